//! Homes: cohorts of clones created year by year into Hailsham, the reform movement's other
//! humane homes and the large government homes; the closing of the humane homes; leaving the
//! home at sixteen (docs/model.md §1, §2).
//!
//! Cohorts are sized from demand: enough clones, once grown, to supply
//! `homes.demand_coverage_target` of the organs the sick need each year, given what an average
//! donor gives over their donations. The programme ramps up over `homes.programme_ramp_years`.

use hailsham_engine::{Calendar, DAYS_PER_YEAR, Day};

use crate::donation::expected_yield_per_donor;
use crate::draw::{chance, days};
use crate::happening::{Happening, Observer};
use crate::output::{BloodGroup, HomeKind, Stage};
use crate::params::Params;
use crate::people::{People, Person, Slot, flag};
use crate::world::{Bookings, Event, World};

/// The homes' standing figures, derived once from the parameters.
/// Who a clone is, in any world of one seed and replicate: the year of birth and the place in
/// that year's cohort. Ids are given in order of creation, so a world that makes more clones
/// gives the same clone another id; the lineage stays. A clone's birthday, home, blood group and
/// nature (frailty, talent) are drawn by it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Lineage {
    /// The calendar year of birth.
    pub birth_year: i32,
    /// The place in the cohort of that year, from 0.
    pub place: u32,
}

impl Lineage {
    /// The lineage of the clone at `place` of the cohort born in `birth_year`.
    #[must_use]
    pub fn new(birth_year: i32, place: u32) -> Lineage {
        Lineage { birth_year, place }
    }

    /// The key of its keyed draws.
    #[must_use]
    pub fn key(self) -> u64 {
        #[allow(clippy::cast_sign_loss)]
        let year = u64::from(self.birth_year as u32);
        (year << 32) | u64::from(self.place)
    }
}

/// Clones a run of `params` is planned to create, in expectation: each birth year's cohort
/// (full size after the programme's ramp, none once grown organs take over) that reaches the
/// homes before the run ends. What a run will cost is sized from it before it starts.
#[must_use]
pub fn planned_clones(params: &Params) -> f64 {
    let full = cohort_full(params);
    let (time, grown) = (&params.time, &params.grown);
    let ramp = params.homes.programme_ramp_years;
    let entry = params.homes.home_entry_age_years;
    let mut clones = 0.0;
    for year in time.start_year..time.end_year {
        #[allow(clippy::cast_precision_loss)]
        let (born, since_start) = (year as f64, (year - time.start_year) as f64 + 1.0);
        // The part of the cohort born in `year` whose entry age falls before the run ends.
        #[allow(clippy::cast_precision_loss)]
        let within = ((time.end_year as f64) - (born + entry)).clamp(0.0, 1.0);
        if within <= 0.0 || (grown.enabled && year >= grown.start_year) {
            continue;
        }
        let share = if ramp <= 0.0 {
            1.0
        } else {
            (since_start / ramp).min(1.0)
        };
        clones += full * share * within;
    }
    clones
}

/// The lineage key of the clone in `slot`.
pub(crate) fn lineage_key(people: &People, calendar: &Calendar, slot: Slot) -> u64 {
    let person = &people[slot];
    Lineage::new(calendar.year_of(person.birth()), person.place).key()
}

pub(crate) struct Homes {
    /// Clones a full-size cohort holds (before rounding).
    pub cohort_full: f64,
    pub entry_days: u32,
    pub leave_days: u32,
    pub child_donor_days: u32,
}

/// Clones a full-size cohort holds: enough to meet the target share of the year's need for
/// organs, counted together, at the organs a donor is expected to give. The heart, one to a
/// donor and the most needed, stays short; organs of which donors give more than the sick need
/// are left untaken, since no organ is taken that no patient waits for (docs/model.md §6).
pub(crate) fn cohort_full(params: &Params) -> f64 {
    let (homes, demand) = (&params.homes, &params.demand);
    let need_per_year = homes.population_millions
        * (demand.need_kidney_per_million
            + demand.need_liver_per_million
            + demand.need_heart_per_million
            + demand.need_lung_per_million
            + demand.need_pancreas_per_million);
    let organs_per_donor = expected_yield_per_donor(params)
        .iter()
        .sum::<f64>()
        .max(1.0);
    homes.demand_coverage_target * need_per_year / organs_per_donor
}

impl Homes {
    pub fn new(params: &Params) -> Homes {
        Homes {
            cohort_full: cohort_full(params),
            entry_days: days(params.homes.home_entry_age_years),
            leave_days: days(params.homes.leave_age_years),
            child_donor_days: days(params.donation.child_donor_age_years),
        }
    }
}

impl<O: Observer> World<O> {
    /// The lineage key of the clone in `slot`.
    pub(crate) fn lineage_key(&self, slot: Slot) -> u64 {
        lineage_key(&self.people, &self.calendar, slot)
    }

    /// Whether the humane homes take in clones in `year`.
    pub fn humane_homes_open(&self, year: i32) -> bool {
        i64::from(year) >= self.params.homes.reform_start_year
            && i64::from(year) < self.params.homes.humane_close_year
    }

    /// How much of the truth a clone raised in `home` has understood on leaving it.
    pub fn told_level(&self, home: HomeKind) -> f64 {
        match home {
            HomeKind::Hailsham => self.params.homes.told_level_hailsham,
            HomeKind::HumaneOther => self.params.homes.told_level_humane_other,
            HomeKind::Government => self.params.homes.told_level_government,
        }
    }

    pub(crate) fn year_start(&mut self, now: Day, schedule: &mut Bookings<'_>) {
        let year = self.calendar.year_of(now);
        let year_days = self.calendar.days_in_year(year);
        // This year's births come into the homes at the entry age. One event stands for the
        // whole cohort until then, so the queue does not hold years of creations.
        schedule.at(now.plus(self.homes.entry_days), Event::Cohort);
        if self.humane_homes_open(year) {
            self.plan_hailsham_year(now, year_days, schedule);
        }
        if i64::from(year) == self.params.homes.humane_close_year {
            schedule.at(now, Event::HumaneHomesClose);
        }
        schedule.at(now.plus(year_days), Event::YearStart);
    }

    /// The cohort born in a year reaches the entry age: book each clone's creation.
    pub(crate) fn cohort(&mut self, now: Day, schedule: &mut Bookings<'_>) {
        let birth_year = self.calendar.year_of(Day(now.0 - self.homes.entry_days));
        let birth_year_days = self.calendar.days_in_year(birth_year);
        if self.params.grown.enabled && i64::from(birth_year) >= self.params.grown.start_year {
            return; // grown organs make new clones unnecessary: the programme winds down
        }
        let since_start = f64::from(birth_year - self.calendar.start_year()) + 1.0;
        let ramp = self.params.homes.programme_ramp_years;
        let share = if ramp <= 0.0 {
            1.0
        } else {
            (since_start / ramp).min(1.0)
        };
        let expected = self.homes.cohort_full * share;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let cohort =
            expected.floor() as u64 + u64::from(chance(&mut self.rng.homes, expected.fract()));
        // Each clone's birthday is drawn by its place in the cohort, not from a stream: the
        // first clones of a year are the same clones in a world that makes more or fewer.
        let places = u32::try_from(cohort).expect("a cohort fits the table of people");
        for place in 0..places {
            let key = Lineage::new(birth_year, place).key();
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let birthday = ((self.rng.creation.unit(key, 0) * f64::from(birth_year_days)) as u32)
                .min(birth_year_days - 1);
            schedule.at(now.plus(birthday), Event::Create(place));
        }
    }

    pub(crate) fn create(&mut self, now: Day, place: u32, schedule: &mut Bookings<'_>) {
        let year = self.calendar.year_of(now);
        let birth = Day(now.0.saturating_sub(self.homes.entry_days));
        let key = Lineage::new(self.calendar.year_of(birth), place).key();
        let home = if self.humane_homes_open(year) {
            let u = self.rng.creation.unit(key, 1);
            if u < self.params.homes.hailsham_share {
                HomeKind::Hailsham
            } else if u < self.params.homes.hailsham_share + self.params.homes.humane_other_share {
                HomeKind::HumaneOther
            } else {
                HomeKind::Government
            }
        } else {
            HomeKind::Government
        };
        let group = self.blood_group_draw(self.rng.creation.unit(key, 2));
        let slot = self.people.create(Person::new(birth, home, group, place));
        let person = self.people[slot].id;
        self.announce(
            now,
            Happening::Created {
                person,
                home,
                birth,
                blood_group: group,
                place,
            },
        );
        if home == HomeKind::Hailsham {
            let student = self.people.reference(slot);
            self.hailsham.admit(student);
        }
        if self.params.donation.child_donors {
            schedule.at(
                birth.plus(self.homes.child_donor_days).max(now),
                Event::ChildDonor(slot),
            );
        } else {
            schedule.at(
                birth.plus(self.homes.leave_days).max(now),
                Event::LeaveHome(slot),
            );
        }
    }

    /// The humane homes close; their students move to government homes (docs/model.md §2).
    pub(crate) fn humane_homes_close(&mut self, now: Day) {
        let mut transferred = 0_u32;
        // Slots in table order: announced in that order, which is deterministic.
        let moving: Vec<Slot> = self
            .people
            .living()
            .filter(|(_, person)| {
                person.stage() == Stage::Student && person.home() != HomeKind::Government
            })
            .map(|(slot, _)| slot)
            .collect();
        for slot in moving {
            self.people[slot].set(flag::TRANSFERRED, true);
            transferred += 1;
            let person = self.people[slot].id;
            self.announce(now, Happening::Transferred { person });
        }
        self.hailsham.close();
        self.announce(now, Happening::HumaneHomesClosed { transferred });
    }

    pub(crate) fn leave_home(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        debug_assert_eq!(self.people[id].stage(), Stage::Student);
        self.advance(now, id, Stage::Veteran);
        self.arrive_at_halfway_house(now, id, schedule);
    }

    /// A child donor leaves the home for a recovery centre, not a half-way house.
    pub(crate) fn child_donor(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        debug_assert_eq!(self.people[id].stage(), Stage::Student);
        self.become_donor(now, id, schedule);
    }

    /// A blood group drawn from the population's shares (docs/model.md, Real figures).
    /// The blood group of uniform draw `u`, by the shares of the groups.
    fn blood_group_draw(&self, u: f64) -> BloodGroup {
        let matching = &self.params.matching;
        if u < matching.share_o {
            BloodGroup::O
        } else if u < matching.share_o + matching.share_a {
            BloodGroup::A
        } else if u < matching.share_o + matching.share_a + matching.share_b {
            BloodGroup::B
        } else {
            BloodGroup::AB
        }
    }

    /// Guardians and wardens in all homes now: outsiders who know.
    pub fn guardians(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let students = self.people.books().count(Stage::Student) as f64;
        students / self.params.homes.students_per_guardian
    }
}

/// Days in a twelfth of a year, for monthly clocks.
pub(crate) fn month_day(month_index: u32) -> u32 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let day = (f64::from(month_index) * DAYS_PER_YEAR / 12.0).round() as u32;
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Replicate;

    /// Goal: the size of a run is known before it runs. Method: the planned clones against the
    /// clones created, for the novel and for a world with grown organs and a short ramp.
    #[test]
    fn planned_clones_match_what_runs_create() {
        let mut grown = Params::default();
        grown.homes.population_millions = 5.0;
        grown.grown.enabled = true;
        grown.homes.programme_ramp_years = 3.0;
        let mut novel = Params::default();
        novel.homes.population_millions = 5.0;
        for params in [novel, grown] {
            let planned = planned_clones(&params);
            let (tally, ()) = Replicate::new(&params, 2, 0, ()).finish();
            #[allow(clippy::cast_precision_loss)]
            let created = tally.clones_created as f64;
            assert!(
                (planned - created).abs() / created < 0.03,
                "planned {planned:.0}, created {created}"
            );
        }
    }
}
