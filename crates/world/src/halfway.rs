//! Half-way houses: the Cottages, the White Mansion, Poplar Farm and the houses for everyone
//! else (docs/model.md §4). Residents arrive at sixteen, stay about two years, pair off and split
//! up, go looking for their possibles, and leave for carer training or for donation.

use hailsham_engine::Day;

use crate::draw::{chance, choice, days, index, index_of, triangular_of};
use crate::happening::{Happening, Observer};
use crate::homes::month_day;
use crate::output::{HomeKind, Stage};
use crate::params::Params;
use crate::people::{Partner, Ref, Slot, flag};
use crate::places::HOUSE_HAILSHAM;
use crate::world::{Bookings, Event, World};

pub(crate) struct Halfway {
    /// Residents of each house; stale entries (gone) are dropped at the monthly round.
    residents: Vec<Vec<Ref>>,
    houses_hailsham: usize,
    /// Months since the start, for the monthly clock.
    month: u32,
    /// Reused each month: the singles of one house.
    singles: Vec<Slot>,
    /// Reused each month: the couples of one house, each by its lower slot first.
    couples: Vec<(Slot, Slot)>,
}

impl Halfway {
    pub fn new(params: &Params) -> Halfway {
        let halfway = &params.halfway;
        let hailsham = usize::try_from(halfway.houses_hailsham).expect("range checked");
        let other = usize::try_from(halfway.houses_other).expect("range checked");
        Halfway {
            residents: vec![Vec::new(); hailsham + other],
            houses_hailsham: hailsham,
            month: 0,
            singles: Vec::new(),
            couples: Vec::new(),
        }
    }
}

impl Halfway {
    /// Bytes held on the heap by the residents' lists.
    pub fn memory_bytes(&self) -> usize {
        self.residents.iter().map(Vec::capacity).sum::<usize>() * std::mem::size_of::<Ref>()
            + self.singles.capacity() * 4
            + self.couples.capacity() * 8
    }
}

impl<O: Observer> World<O> {
    pub(crate) fn arrive_at_halfway_house(
        &mut self,
        now: Day,
        id: Slot,
        schedule: &mut Bookings<'_>,
    ) {
        let halfway = &self.params.halfway;
        let person = &self.people[id];
        let from_hailsham = person.home() == HomeKind::Hailsham && !person.has(flag::TRANSFERRED);
        let key = self.lineage_key(id);
        let choose = |n: u32| self.rng.personal.unit(key, n);
        let houses = &self.halfway;
        let house = if from_hailsham {
            index_of(choose(choice::HOUSE), houses.houses_hailsham)
        } else {
            houses.houses_hailsham
                + index_of(
                    choose(choice::HOUSE),
                    houses.residents.len() - houses.houses_hailsham,
                )
        };
        let stay = days(triangular_of(
            choose(choice::STAY),
            halfway.stay_years_min,
            halfway.stay_years_mode,
            halfway.stay_years_max,
        ));
        let search = choose(choice::SEARCH) < halfway.possible_search_share;
        let search_day = index_of(choose(choice::SEARCH_DAY), stay.max(1) as usize);
        let house_index = u16::try_from(house).expect("houses fit in u16");
        self.people[id].halfway_house = house_index;
        // A Hailsham couple sent to different houses parts; one whose partner is still at
        // Hailsham waits to see where the partner goes.
        if let Some(partner) = self.people[id].living_partner()
            && self.people[partner].stage() == Stage::Veteran
            && self.people[partner].halfway_house != house_index
        {
            self.part(now, id, partner, HOUSE_HAILSHAM);
        }
        let tokens = if self.people[id].home() == HomeKind::Hailsham {
            self.people.rare(id).tokens
        } else {
            0
        };
        let person = self.people[id].id;
        self.announce(
            now,
            Happening::LeftHome {
                person,
                house: house_index,
                tokens,
            },
        );
        let resident = self.people.reference(id);
        self.halfway.residents[house].push(resident);
        if search && stay > 0 {
            let day = u32::try_from(search_day).expect("< stay");
            schedule.at(now.plus(day), Event::PossibleSearch(id));
        }
        schedule.at(now.plus(stay), Event::LeaveHalfway(id));
        self.book_escape(now, id, schedule);
    }

    pub(crate) fn possible_search(&mut self, now: Day, id: Slot) {
        let person = &self.people[id];
        if person.stage() != Stage::Veteran || person.has(flag::AWAY) {
            return; // ran away first
        }
        let sighted = chance(
            &mut self.rng.halfway,
            self.params.halfway.possible_sighting_share,
        );
        let person = self.people[id].id;
        self.announce(now, Happening::PossibleSearched { person, sighted });
    }

    /// A month at every house: couples split up, then singles pair off.
    pub(crate) fn halfway_month(&mut self, now: Day, schedule: &mut Bookings<'_>) {
        let breakup = 1.0 - (-self.params.halfway.couple_breakup_per_year / 12.0).exp();
        let formation = 1.0 - (-self.params.halfway.couple_formation_per_year / 12.0).exp();
        let mut singles = std::mem::take(&mut self.halfway.singles);
        let mut couples = std::mem::take(&mut self.halfway.couples);
        for house in 0..self.halfway.residents.len() {
            let house_id = u16::try_from(house).expect("houses fit in u16");
            let people = &self.people;
            singles.clear();
            couples.clear();
            // One pass over the residents: who still lives here, who is single, and each
            // couple once, by its lower slot (each resident's record is read once a month).
            self.halfway.residents[house].retain(|&r| {
                if !people.is_current(r) {
                    return false;
                }
                let person = &people[r.slot];
                let here = person.stage() == Stage::Veteran
                    && !person.has(flag::AWAY)
                    && person.halfway_house == house_id;
                if here {
                    match person.partner() {
                        Partner::None => singles.push(r.slot),
                        Partner::Living(b) if b > r.slot => couples.push((r.slot, b)),
                        Partner::Living(_) | Partner::Completed(_) => {}
                    }
                }
                here
            });
            // Split-ups of the couples living together here; the two are single at once.
            for &(a, b) in &couples {
                let partner = &self.people[b];
                if partner.stage() == Stage::Veteran
                    && partner.halfway_house == house_id
                    && chance(&mut self.rng.halfway, breakup)
                {
                    self.part(now, a, b, house_id);
                    singles.extend([a, b]);
                }
            }
            for i in 0..singles.len() {
                let a = singles[i];
                if self.people[a].partner() != Partner::None
                    || !chance(&mut self.rng.halfway, formation)
                {
                    continue;
                }
                let b = singles[index(&mut self.rng.halfway, singles.len())];
                if b == a || self.people[b].partner() != Partner::None {
                    continue;
                }
                self.pair(now, a, b, house_id);
            }
        }
        self.halfway.singles = singles;
        self.halfway.couples = couples;
        self.hailsham_month(now);
        self.halfway.month += 1;
        let next = Day(month_day(self.halfway.month)).max(now.plus(1));
        schedule.at(next, Event::HalfwayMonth);
    }

    /// `a` and `b` become a couple at `house` (a half-way house, [`HOUSE_HAILSHAM`] or
    /// [`HOUSE_CARE`]); whether they believe the rumour is settled now.
    pub(crate) fn pair(&mut self, now: Day, a: Slot, b: Slot, house: u16) {
        self.people[a].set_partner(Partner::Living(b));
        self.people[b].set_partner(Partner::Living(a));
        let (first, second) = (self.people[a].id, self.people[b].id);
        self.announce(
            now,
            Happening::CoupleFormed {
                first,
                second,
                house,
            },
        );
        self.couple_formed(now, a, b);
    }

    /// The couple `a` and `b` part at `house`.
    pub(crate) fn part(&mut self, now: Day, a: Slot, b: Slot, house: u16) {
        self.people[a].set_partner(Partner::None);
        self.people[b].set_partner(Partner::None);
        let (first, second) = (self.people[a].id, self.people[b].id);
        self.announce(
            now,
            Happening::CoupleParted {
                first,
                second,
                house,
            },
        );
    }

    pub(crate) fn leave_halfway(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        let person = &self.people[id];
        if person.stage() != Stage::Veteran || person.has(flag::AWAY) {
            return; // ran away before leaving (and maybe was brought back as a donor)
        }
        let key = self.lineage_key(id);
        if self.rng.personal.unit(key, choice::CARER) < self.params.care.carer_share {
            let person = &mut self.people[id];
            person.carer_training = person.offset(now);
            let person = person.id;
            self.advance(now, id, Stage::Carer);
            self.announce(now, Happening::TrainingBegan { person });
            schedule.at(
                now.plus(days(self.params.care.training_years)),
                Event::CarerQualified(id),
            );
        } else {
            self.become_donor(now, id, schedule);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Replicate;
    use crate::params::{HALFWAY_HOUSES_MAX, Params, SPECS};

    fn max(key: &str) -> i64 {
        let spec = SPECS
            .iter()
            .find(|s| s.section == "halfway" && s.key == key)
            .expect("a spec");
        #[allow(clippy::cast_possible_truncation)]
        let max = spec.max as i64;
        max
    }

    #[test]
    fn the_ranges_keep_every_house_in_sixteen_bits() {
        assert!(max("houses_hailsham") + max("houses_other") <= HALFWAY_HOUSES_MAX);
    }

    /// The most houses the ranges allow run; more than a run can hold is a broken rule.
    #[test]
    fn the_most_houses_the_ranges_allow_run() {
        let mut params = Params::default();
        params.halfway.houses_hailsham = max("houses_hailsham");
        params.halfway.houses_other = max("houses_other");
        params.homes.population_millions = 2.0;
        params.time.end_year = 1975;
        assert_eq!(params.problems(), Vec::new());
        let (tally, ()) = Replicate::new(&params, 1, 0, ()).finish();
        assert!(tally.clones_created > 0);
        params.halfway.houses_other = HALFWAY_HOUSES_MAX;
        let problems = params.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].keys[0], ("halfway", "houses_other"));
        assert!(
            problems[0]
                .message
                .contains("at most 65535 half-way houses")
        );
    }
}
