//! Carers (docs/model.md §5): after training, a carer looks after a caseload of donors in recovery
//! centres, driving from a bedsit to each donor's centre and back, until given notice to become a
//! donor. Careers spread from about two to fourteen years (novel ch. 1; docs/model.md §1).
//!
//! Donors are matched to carers from the nearest town outwards, round-robin within a town so work
//! is shared; a Hailsham carer with room may choose a Hailsham donor of their own year, a partner
//! first, then a friend from the same half-way house, then anyone of that year (The Paladin Pages;
//! novel ch. 1). Donors nobody can take wait in a queue for the next free carer. A good carer
//! lowers a donor's risk at each donation (`care.quality_effect`).

use std::collections::VecDeque;

use hailsham_engine::Day;

use crate::draw::{chance, choice, days, index, index_of, triangular_of};
use crate::happening::{Assignment, Happening, Observer, Release};
use crate::output::{HomeKind, Stage};
use crate::params::Params;
use crate::people::{DeskIndex, NONE, Ref, Slot, flag, push_table};
use crate::places::HOUSE_CARE;
use crate::world::{Bookings, Event, World};

/// A working carer's desk: what only a carer at work needs. Freed at the end of the career.
#[derive(Clone, Debug)]
struct Desk {
    /// Kilometres a day the current caseload's visits would take, before the cap on a year's
    /// driving (`care.km_per_year_max`).
    km_per_day: f32,
    /// Nights away a day those visits would take, before the same cap.
    overnights_per_day: f32,
    /// Last day the carer's kilometres were brought up to date.
    km_since: Day,
    /// The first place of the caseload's chain, `NONE` when the caseload is empty.
    first: u32,
    /// The carer's quality, 0 to 1, in 65,536ths.
    quality: u16,
    /// The town of the carer's bedsit.
    town: u8,
    caseload: u8,
}

/// What looking after one donor costs a carer a day.
#[derive(Clone, Copy, Debug)]
struct Visits {
    km: f64,
    /// Nights away (a fraction: one a week is 1/7).
    overnights: f64,
}

/// One donor on a caseload, chained to the next. A caseload is a chain rather than a row of
/// `caseload_donors_max` places because most carers have room: at a row per desk, the empty
/// places would cost more than the desks.
#[derive(Clone, Copy, Debug)]
struct Place {
    donor: Slot,
    /// The next place of the chain, `NONE` at its end.
    next: u32,
}

pub(crate) struct Care {
    /// Per town, carers with room, served round-robin. Entries may be stale (full or no
    /// longer working) and are dropped when met.
    pools: Vec<VecDeque<Ref>>,
    /// Donors with a bed and no carer, first come first served. Entries may be stale.
    uncared: VecDeque<Ref>,
    /// Working Hailsham carers by birth year (offset from the start year), for the choosing
    /// of friends, who are of the same year. Entries may be stale; compacted yearly.
    hailsham_carers: Vec<Vec<Ref>>,
    /// The same, by birth year and half-way house (`year * houses + house`): housemates.
    hailsham_housemates: Vec<Vec<Ref>>,
    houses: usize,
    desks: Vec<Desk>,
    free_desks: Vec<u32>,
    /// The places of every caseload's chain.
    places: Vec<Place>,
    free_places: Vec<u32>,
    width: usize,
    /// Return trips a day to a near donor: visits a week over seven days.
    near_trips_per_day: f64,
    /// Return trips a day to a far donor, each with a night away.
    far_trips_per_day: f64,
    /// One-way road kilometres beyond which a donor is far.
    overnight_beyond_km: f64,
    road_factor: f64,
    local_km: f64,
    /// The most a carer drives in a day, on average: a year's most over the days of a year.
    km_per_day_max: f64,
    /// A donor's carer is sought first in one of this many towns nearest the centre.
    reach: usize,
    /// Reused when a carer's donors are handed on.
    released: Vec<Slot>,
}

impl Care {
    /// Kilometres and nights away a day that `desk`'s caseload is visited with: its visits
    /// as they would be, or, past the most a carer drives in a year, fewer visits to each
    /// donor, cut in the same proportion, with the nights away they take.
    fn driven(&self, desk: &Desk) -> (f64, f64) {
        let (km, overnights) = (
            f64::from(desk.km_per_day),
            f64::from(desk.overnights_per_day),
        );
        if km <= self.km_per_day_max {
            (km, overnights)
        } else {
            (self.km_per_day_max, overnights * self.km_per_day_max / km)
        }
    }

    pub fn new(params: &Params, towns: usize) -> Care {
        let (halfway, care) = (&params.halfway, &params.care);
        Care {
            pools: vec![VecDeque::new(); towns],
            uncared: VecDeque::new(),
            hailsham_carers: Vec::new(),
            hailsham_housemates: Vec::new(),
            houses: usize::try_from(halfway.houses_hailsham + halfway.houses_other)
                .expect("range checked"),
            desks: Vec::new(),
            free_desks: Vec::new(),
            places: Vec::new(),
            free_places: Vec::new(),
            width: usize::try_from(care.caseload_donors_max).expect("range checked"),
            near_trips_per_day: care.visits_per_donor_per_week / 7.0,
            far_trips_per_day: care
                .overnight_trips_per_week
                .min(care.visits_per_donor_per_week)
                / 7.0,
            overnight_beyond_km: care.overnight_beyond_km,
            road_factor: care.road_km_per_straight_km,
            local_km: care.local_trip_km,
            km_per_day_max: care.km_per_year_max / crate::DAYS_PER_YEAR,
            reach: usize::try_from(care.reach_towns)
                .expect("range checked")
                .clamp(1, towns.max(1)),
            released: Vec::new(),
        }
    }

    /// Bytes held on the heap: (desks and caseloads, pools and queues of references).
    pub fn memory_bytes(&self) -> (usize, usize) {
        let desks = self.desks.capacity() * std::mem::size_of::<Desk>()
            + self.free_desks.capacity() * 4
            + self.places.capacity() * std::mem::size_of::<Place>()
            + self.free_places.capacity() * 4;
        let refs = std::mem::size_of::<Ref>();
        let lists = self.pools.iter().map(VecDeque::capacity).sum::<usize>() * refs
            + self.uncared.capacity() * refs
            + self
                .hailsham_carers
                .iter()
                .map(Vec::capacity)
                .sum::<usize>()
                * refs;
        (desks, lists)
    }

    fn open_desk(&mut self, desk: Desk) -> DeskIndex {
        if let Some(d) = self.free_desks.pop() {
            self.desks[d as usize] = desk;
            return DeskIndex(d);
        }
        DeskIndex(push_table(&mut self.desks, desk))
    }

    /// Puts `donor` first on desk `d`'s caseload.
    fn add_to_caseload(&mut self, d: DeskIndex, donor: Slot) {
        let desk = &mut self.desks[d.0 as usize];
        let place = Place {
            donor,
            next: desk.first,
        };
        desk.caseload += 1;
        desk.first = if let Some(free) = self.free_places.pop() {
            self.places[free as usize] = place;
            free
        } else {
            push_table(&mut self.places, place)
        };
    }

    /// Takes `donor` off desk `d`'s caseload.
    fn remove_from_caseload(&mut self, d: DeskIndex, donor: Slot) {
        let mut previous = NONE;
        let mut at = self.desks[d.0 as usize].first;
        while self.places[at as usize].donor != donor {
            previous = at;
            at = self.places[at as usize].next;
            assert!(at != NONE, "a donor is on their carer's caseload");
        }
        let next = self.places[at as usize].next;
        if previous == NONE {
            self.desks[d.0 as usize].first = next;
        } else {
            self.places[previous as usize].next = next;
        }
        self.desks[d.0 as usize].caseload -= 1;
        self.free_places.push(at);
    }

    /// Desk `d`'s donors, into `out`.
    fn caseload_donors(&self, d: DeskIndex, out: &mut Vec<Slot>) {
        let mut at = self.desks[d.0 as usize].first;
        while at != NONE {
            out.push(self.places[at as usize].donor);
            at = self.places[at as usize].next;
        }
    }
}

impl<O: Observer> World<O> {
    /// A carer finishes training: the career's length, the carer's quality and the town of the
    /// bedsit are the clone's own choices; a desk opens, and donors come.
    pub(crate) fn carer_qualified(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        let person = &self.people[id];
        if person.stage() != Stage::Carer || person.has(flag::AWAY) {
            return; // ran away during training (and maybe was brought back as a donor)
        }
        let care = &self.params.care;
        let key = self.lineage_key(id);
        let choose = |n: u32| self.rng.personal.unit(key, n);
        // A triangle over the logarithm: notice can come in any year, and few careers are long.
        let career = days(
            triangular_of(
                choose(choice::CAREER),
                care.career_years_min.ln(),
                care.career_years_mode.ln(),
                care.career_years_max.ln(),
            )
            .exp(),
        );
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let quality = (choose(choice::QUALITY) * 65_536.0) as u16;
        let town =
            u8::try_from(index_of(choose(choice::TOWN), self.map.len())).expect("towns fit in u8");
        let desk = self.care.open_desk(Desk {
            km_per_day: 0.0,
            overnights_per_day: 0.0,
            km_since: now,
            first: NONE,
            quality,
            town,
            caseload: 0,
        });
        let person = &mut self.people[id];
        debug_assert_eq!(person.stage(), Stage::Carer);
        debug_assert_eq!(
            person.day(person.carer_training).map(|d| now.since(d)),
            Some(days(care.training_years))
        );
        person.set_desk(Some(desk));
        let (carer, home) = (person.id, person.home());
        self.announce(
            now,
            Happening::CarerQualified {
                person: carer,
                town,
            },
        );
        if home == HomeKind::Hailsham {
            self.list_hailsham_carer(id);
        }
        self.flows.carers_working.add(now, 1.0);
        schedule.at(now.plus(career), Event::CareerEnd(id));
        self.offer_room(now, id);
    }

    /// Puts a Hailsham carer who starts work on the lists where Hailsham donors of the same
    /// year look for a friend: their year's, and their year's at their half-way house.
    fn list_hailsham_carer(&mut self, id: Slot) {
        let year = self.birth_year_index(id);
        let house = usize::from(self.people[id].halfway_house);
        let carer = self.people.reference(id);
        let lists = &mut self.care;
        if lists.hailsham_carers.len() <= year {
            lists.hailsham_carers.resize_with(year + 1, Vec::new);
            lists
                .hailsham_housemates
                .resize_with((year + 1) * lists.houses, Vec::new);
        }
        lists.hailsham_carers[year].push(carer);
        if house < lists.houses {
            lists.hailsham_housemates[year * lists.houses + house].push(carer);
        }
    }

    fn desk_index(&self, carer: Slot) -> DeskIndex {
        self.people[carer]
            .desk()
            .expect("a working carer has a desk")
    }

    fn desk(&self, carer: Slot) -> &Desk {
        &self.care.desks[self.desk_index(carer).0 as usize]
    }

    /// Donors on a working carer's caseload.
    pub(crate) fn caseload(&self, carer: Slot) -> usize {
        usize::from(self.desk(carer).caseload)
    }

    fn has_room(&self, carer: Slot) -> bool {
        self.people[carer].has(flag::WORKING) && self.caseload(carer) < self.care.width
    }

    /// Whether a pool entry still names a working carer with room.
    fn pool_entry_open(&self, carer: Ref) -> bool {
        self.people.is_current(carer) && self.has_room(carer.slot)
    }

    /// A carer has room: take waiting donors first, then wait in the town's pool.
    fn offer_room(&mut self, now: Day, carer: Slot) {
        while self.has_room(carer) {
            let Some(donor) = self.care.uncared.pop_front() else {
                break;
            };
            if self.people.is_current(donor) && self.needs_carer(donor.slot) {
                self.assign(now, carer, donor.slot, Assignment::FromWaiting);
            }
        }
        if self.has_room(carer) && !self.people[carer].has(flag::IN_POOL) {
            self.people[carer].set(flag::IN_POOL, true);
            let town = self.desk(carer).town as usize;
            let entry = self.people.reference(carer);
            self.care.pools[town].push_back(entry);
        }
    }

    /// The most donors a carer may have.
    pub(crate) fn care_width(&self) -> usize {
        self.care.width
    }

    fn needs_carer(&self, donor: Slot) -> bool {
        let person = &self.people[donor];
        person.stage() == Stage::Donor && person.has(flag::HAS_BED) && person.carer().is_none()
    }

    /// Finds a carer for a donor who has a bed and none; queues the donor if nobody has room.
    pub(crate) fn find_carer(&mut self, now: Day, donor: Slot) {
        debug_assert!(self.needs_carer(donor));
        if self.people[donor].home() == HomeKind::Hailsham
            && let Some((carer, how)) = self.hailsham_friend(donor)
            && chance(&mut self.rng.care, self.params.care.hailsham_choice_share)
        {
            self.assign(now, carer, donor, how);
            return;
        }
        let centre = self.people[donor].centre;
        // The search starts in a town drawn from the few nearest the centre, so that a carer's
        // donors lie in several towns around the bedsit, then goes outwards from the centre.
        let reach = self.care.reach.min(self.map.len());
        let first = index(&mut self.rng.care, reach);
        for k in 0..self.map.len() {
            let k = match k {
                0 => first,
                k if k <= first => k - 1,
                k => k,
            };
            let town = self.map.nearest(centre)[k] as usize;
            while let Some(&entry) = self.care.pools[town].front() {
                self.care.pools[town].pop_front();
                if !self.pool_entry_open(entry) {
                    if self.people.is_current(entry) {
                        self.people[entry.slot].set(flag::IN_POOL, false);
                    }
                    continue;
                }
                self.assign(now, entry.slot, donor, Assignment::Allotted);
                if self.has_room(entry.slot) {
                    self.care.pools[town].push_back(entry);
                } else {
                    self.people[entry.slot].set(flag::IN_POOL, false);
                }
                return;
            }
        }
        let waiting = self.people.reference(donor);
        self.care.uncared.push_back(waiting);
    }

    /// A working Hailsham carer of the donor's year with room: partner, then housemate, then
    /// any, the earliest qualified first within each.
    fn hailsham_friend(&self, donor: Slot) -> Option<(Slot, Assignment)> {
        let year = self.birth_year_index(donor);
        let d = &self.people[donor];
        if let Some(partner) = d.living_partner() {
            let p = &self.people[partner];
            if p.home() == HomeKind::Hailsham
                && self.birth_year_index(partner) == year
                && self.has_room(partner)
            {
                return Some((partner, Assignment::ChosenPartner));
            }
        }
        let open = |list: &Vec<Ref>| {
            list.iter()
                .find(|&&c| self.people.is_current(c) && self.has_room(c.slot))
                .map(|c| c.slot)
        };
        let house = usize::from(d.halfway_house);
        let housemates = (house < self.care.houses)
            .then(|| {
                self.care
                    .hailsham_housemates
                    .get(year * self.care.houses + house)
            })
            .flatten();
        housemates
            .and_then(open)
            .map(|carer| (carer, Assignment::ChosenHousemate))
            .or_else(|| {
                self.care
                    .hailsham_carers
                    .get(year)
                    .and_then(open)
                    .map(|carer| (carer, Assignment::ChosenYearmate))
            })
    }

    /// Drops carers who no longer work from the lists of Hailsham carers (yearly).
    pub(crate) fn compact_hailsham_carers(&mut self) {
        let people = &self.people;
        let working = |c: &Ref| people.is_current(*c) && people[c.slot].has(flag::WORKING);
        for list in self
            .care
            .hailsham_carers
            .iter_mut()
            .chain(self.care.hailsham_housemates.iter_mut())
        {
            list.retain(working);
        }
    }

    /// The person's birth year, counted from the run's start year.
    fn birth_year_index(&self, id: Slot) -> usize {
        let year = self.calendar.year_of(self.people[id].birth()) - self.calendar.start_year();
        usize::try_from(year).expect("clones are born from the start year on")
    }

    /// Kilometres and nights away a day for a carer in `town` looking after one donor at
    /// `centre`: a near donor is visited on day trips; a far one on fewer, longer trips, each with
    /// a night away, the week's visits made on them. The kilometres count the trips made.
    fn visit_per_day(&self, town: u8, centre: u8) -> Visits {
        let one_way = self.map.km(town, centre) * self.care.road_factor + self.care.local_km;
        if one_way > self.care.overnight_beyond_km {
            Visits {
                km: 2.0 * one_way * self.care.far_trips_per_day,
                overnights: self.care.far_trips_per_day,
            }
        } else {
            Visits {
                km: 2.0 * one_way * self.care.near_trips_per_day,
                overnights: 0.0,
            }
        }
    }

    /// Brings a carer's kilometres up to `now`.
    fn settle_km(&mut self, now: Day, carer: Slot) {
        let d = self.desk_index(carer);
        let (km_per_day, _) = self.care.driven(&self.care.desks[d.0 as usize]);
        let desk = &mut self.care.desks[d.0 as usize];
        #[allow(clippy::cast_possible_truncation)]
        let driven = (km_per_day * f64::from(now.since(desk.km_since))) as f32;
        desk.km_since = now;
        self.people[carer].km += driven;
    }

    fn assign(&mut self, now: Day, carer: Slot, donor: Slot, how: Assignment) {
        debug_assert!(self.has_room(carer) && self.needs_carer(donor));
        self.settle_km(now, carer);
        let d = self.desk_index(carer);
        let town = self.care.desks[d.0 as usize].town;
        let centre = self.people[donor].centre;
        let visits = self.visit_per_day(town, centre);
        self.care.add_to_caseload(d, donor);
        let before = self.care.driven(&self.care.desks[d.0 as usize]);
        let desk = &mut self.care.desks[d.0 as usize];
        #[allow(clippy::cast_possible_truncation)]
        {
            desk.km_per_day += visits.km as f32;
            desk.overnights_per_day += visits.overnights as f32;
        }
        let after = self.care.driven(&self.care.desks[d.0 as usize]);
        let carer_id = self.people[carer].id;
        self.people[donor].set_carer(Some(carer));
        self.flows.km_per_day.add(now, after.0 - before.0);
        self.flows.overnights_per_day.add(now, after.1 - before.1);
        self.flows.donors_uncared.add(now, -1.0);
        self.flows.donors_cared.add(now, 1.0);
        let donor_id = self.people[donor].id;
        self.announce(
            now,
            Happening::CarerAssigned {
                carer: carer_id,
                donor: donor_id,
                centre,
                town,
                how,
            },
        );
        // Old friends, neither with a living partner, may become a couple late (novel ch. 20-22).
        let single = |slot: Slot| self.people[slot].living_partner().is_none();
        if matches!(
            how,
            Assignment::ChosenHousemate | Assignment::ChosenYearmate
        ) && single(carer)
            && single(donor)
            && chance(&mut self.rng.care, self.params.care.late_couple_share)
        {
            self.pair(now, carer, donor, HOUSE_CARE);
            if i64::from(self.people[donor].donations()) >= self.params.deferral.apply_at_donation {
                self.consider_deferral(now, donor);
            }
        }
    }

    /// Takes a donor off their carer's caseload; returns the carer.
    fn unassign(&mut self, now: Day, donor: Slot, why: Release) -> Slot {
        let carer = self.people[donor].carer().expect("the donor has a carer");
        self.settle_km(now, carer);
        let d = self.desk_index(carer);
        let town = self.care.desks[d.0 as usize].town;
        let visits = self.visit_per_day(town, self.people[donor].centre);
        self.care.remove_from_caseload(d, donor);
        let before = self.care.driven(&self.care.desks[d.0 as usize]);
        let desk = &mut self.care.desks[d.0 as usize];
        #[allow(clippy::cast_possible_truncation)]
        {
            // Sums of floats drift: an empty caseload drives nothing, exactly.
            (desk.km_per_day, desk.overnights_per_day) = if desk.caseload == 0 {
                (0.0, 0.0)
            } else {
                (
                    (f64::from(desk.km_per_day) - visits.km).max(0.0) as f32,
                    (f64::from(desk.overnights_per_day) - visits.overnights).max(0.0) as f32,
                )
            };
        }
        let after = self.care.driven(&self.care.desks[d.0 as usize]);
        self.people[donor].set_carer(None);
        self.flows.km_per_day.add(now, after.0 - before.0);
        self.flows.overnights_per_day.add(now, after.1 - before.1);
        self.flows.donors_cared.add(now, -1.0);
        self.flows.donors_uncared.add(now, 1.0);
        let (carer_id, donor_id) = (self.people[carer].id, self.people[donor].id);
        self.announce(
            now,
            Happening::CarerReleased {
                carer: carer_id,
                donor: donor_id,
                why,
            },
        );
        carer
    }

    /// A donor leaves care (completion): the carer gets room back.
    pub(crate) fn leave_care(&mut self, now: Day, donor: Slot, why: Release) {
        let had_carer = self.people[donor].carer();
        if had_carer.is_some() {
            self.unassign(now, donor, why);
        }
        self.flows.donors_uncared.add(now, -1.0);
        if let Some(carer) = had_carer {
            self.offer_room(now, carer);
        }
    }

    /// The quality of the donor's carer, or zero with none.
    pub(crate) fn carer_quality(&self, donor: Slot) -> f64 {
        match self.people[donor].carer() {
            None => 0.0,
            Some(carer) => f64::from(self.desk(carer).quality) / 65_536.0,
        }
    }

    /// Closes a working carer's desk, for `why` (notice, or running away): their donors go to
    /// other carers, the kilometres are settled, the desk is freed, and the career's end is
    /// announced.
    pub(crate) fn close_desk(&mut self, now: Day, id: Slot, why: Release) {
        let mut released = std::mem::take(&mut self.care.released);
        released.clear();
        let d = self.desk_index(id);
        self.care.caseload_donors(d, &mut released);
        for &donor in &released {
            self.unassign(now, donor, why);
        }
        self.settle_km(now, id);
        debug_assert_eq!(self.caseload(id), 0);
        self.care.free_desks.push(d.0);
        let person = &mut self.people[id];
        person.set_desk(None);
        let start = person
            .day(person.carer_training)
            .expect("a carer trained")
            .plus(days(self.params.care.training_years));
        let ended = Happening::CareerEnded {
            person: person.id,
            career_days: now.since(start),
            km: f64::from(person.km),
            why,
        };
        self.flows.carers_working.add(now, -1.0);
        self.announce(now, ended);
        for &donor in &released {
            self.find_carer(now, donor);
        }
        self.care.released = released;
    }

    /// Notice: the career ends, the carer's donors go to others, the carer becomes a donor.
    pub(crate) fn career_end(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        if !self.people[id].has(flag::WORKING) {
            return; // the carer ran away before the notice came
        }
        self.close_desk(now, id, Release::Notice);
        self.become_donor(now, id, schedule);
    }

    /// Kilometres a carer has driven by `now`.
    pub(crate) fn carer_km(&self, now: Day, id: Slot) -> f64 {
        let person = &self.people[id];
        let driving = if person.has(flag::WORKING) {
            let desk = self.desk(id);
            self.care.driven(desk).0 * f64::from(now.since(desk.km_since))
        } else {
            0.0
        };
        f64::from(person.km) + driving
    }
}
