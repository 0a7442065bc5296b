//! Carers (world.md §5): after training, a carer looks after a caseload of donors in recovery
//! centres, driving from a bedsit to each donor's centre and back, until given notice to become
//! a donor. Careers spread from about two to fourteen years (novel ch. 1; seed 000).
//!
//! Donors are matched to carers from the nearest town outwards, round-robin within a town so
//! work is shared; a Hailsham carer with room may choose a Hailsham donor of their own year,
//! a partner first, then a friend from the same half-way house, then anyone of that year
//! (seed 000; novel ch. 1). Donors nobody can take wait in a queue for the next free carer.
//! A good carer lowers a donor's risk at each donation (`care.quality_effect`).

use std::collections::VecDeque;

use hailsham_engine::{Day, Schedule};

use crate::draw::{chance, days, index, triangular, unit};
use crate::output::{HomeKind, Stage};
use crate::params::Params;
use crate::people::{NONE, flag};
use crate::world::{Event, World};

pub(crate) struct Care {
    /// Per town, carers with room, served round-robin. Entries may be stale (full or no
    /// longer working) and are dropped when met.
    pools: Vec<VecDeque<u32>>,
    /// Donors with a bed and no carer, first come first served. Entries may be stale.
    uncared: VecDeque<u32>,
    /// Working Hailsham carers, for the choosing of friends. Entries may be stale.
    hailsham_carers: Vec<u32>,
    /// Caseloads: chunk c holds a carer's donors at `c * width ..` (the first `caseload`).
    caseloads: Vec<u32>,
    free_chunks: Vec<u32>,
    width: usize,
    /// Kilometres a day per kilometre of road to a donor's centre: return trips x visits.
    km_factor: f64,
    road_factor: f64,
    local_km: f64,
    /// Reused when a carer's donors are handed on.
    released: Vec<u32>,
}

impl Care {
    pub fn new(p: &Params, towns: usize) -> Care {
        Care {
            pools: vec![VecDeque::new(); towns],
            uncared: VecDeque::new(),
            hailsham_carers: Vec::new(),
            caseloads: Vec::new(),
            free_chunks: Vec::new(),
            width: usize::try_from(p.care.caseload_donors_max).expect("range checked"),
            km_factor: 2.0 * p.care.visits_per_donor_per_week / 7.0,
            road_factor: p.care.road_km_per_straight_km,
            local_km: p.care.local_trip_km,
            released: Vec::new(),
        }
    }

    fn allocate_chunk(&mut self) -> u32 {
        if let Some(chunk) = self.free_chunks.pop() {
            return chunk;
        }
        let chunk = u32::try_from(self.caseloads.len() / self.width).expect("chunks fit in u32");
        self.caseloads
            .resize(self.caseloads.len() + self.width, NONE);
        chunk
    }

    fn chunk(&mut self, chunk: u32) -> &mut [u32] {
        let start = chunk as usize * self.width;
        &mut self.caseloads[start..start + self.width]
    }
}

impl World {
    pub(crate) fn carer_qualified(
        &mut self,
        now: Day,
        id: u32,
        schedule: &mut Schedule<'_, Event>,
    ) {
        let c = &self.p.care;
        let career = days(triangular(
            &mut self.rng.care,
            c.career_years_min,
            c.career_years_mode,
            c.career_years_max,
        ));
        #[allow(clippy::cast_possible_truncation)]
        let quality = unit(&mut self.rng.care) as f32;
        let town =
            u8::try_from(index(&mut self.rng.care, self.map.len())).expect("towns fit in u8");
        let chunk = self.care.allocate_chunk();
        let person = &mut self.people[id as usize];
        debug_assert_eq!(person.stage, Stage::Carer);
        person.carer_start = now;
        person.quality = quality;
        person.town = town;
        person.km_since = now;
        person.caseload_chunk = chunk;
        person.set(flag::WORKING, true);
        if person.home == HomeKind::Hailsham {
            self.care.hailsham_carers.push(id);
        }
        self.flows.carers_working.add(now, 1.0);
        schedule.at(now.plus(career), Event::CareerEnd(id));
        self.offer_room(now, id);
    }

    fn has_room(&self, carer: u32) -> bool {
        let person = &self.people[carer as usize];
        person.has(flag::WORKING) && usize::from(person.caseload) < self.care.width
    }

    /// A carer has room: take waiting donors first, then wait in the town's pool.
    fn offer_room(&mut self, now: Day, carer: u32) {
        while self.has_room(carer) {
            let Some(donor) = self.care.uncared.pop_front() else {
                break;
            };
            if self.needs_carer(donor) {
                self.assign(now, carer, donor);
            }
        }
        if self.has_room(carer) && !self.people[carer as usize].has(flag::IN_POOL) {
            self.people[carer as usize].set(flag::IN_POOL, true);
            let town = self.people[carer as usize].town as usize;
            self.care.pools[town].push_back(carer);
        }
    }

    /// The most donors a carer may have.
    pub(crate) fn care_width(&self) -> usize {
        self.care.width
    }

    fn needs_carer(&self, donor: u32) -> bool {
        let person = &self.people[donor as usize];
        person.stage == Stage::Donor && person.has(flag::HAS_BED) && person.carer == NONE
    }

    /// Finds a carer for a donor who has a bed and none; queues the donor if nobody has room.
    pub(crate) fn find_carer(&mut self, now: Day, donor: u32) {
        debug_assert!(self.needs_carer(donor));
        if self.people[donor as usize].home == HomeKind::Hailsham
            && let Some(carer) = self.hailsham_friend(donor)
            && chance(&mut self.rng.care, self.p.care.hailsham_choice_share)
        {
            self.assign(now, carer, donor);
            return;
        }
        let centre = self.people[donor as usize].centre;
        for k in 0..self.map.len() {
            let town = self.map.nearest(centre)[k] as usize;
            while let Some(&carer) = self.care.pools[town].front() {
                if !self.has_room(carer) {
                    self.care.pools[town].pop_front();
                    self.people[carer as usize].set(flag::IN_POOL, false);
                    continue;
                }
                self.care.pools[town].pop_front();
                self.assign(now, carer, donor);
                if self.has_room(carer) {
                    self.care.pools[town].push_back(carer);
                } else {
                    self.people[carer as usize].set(flag::IN_POOL, false);
                }
                return;
            }
        }
        self.care.uncared.push_back(donor);
    }

    /// A working Hailsham carer of the donor's year with room: partner, then housemate, then any.
    fn hailsham_friend(&mut self, donor: u32) -> Option<u32> {
        let people = &self.people;
        let width = self.care.width;
        self.care
            .hailsham_carers
            .retain(|&c| people[c as usize].has(flag::WORKING));
        let d = &people[donor as usize];
        let year = self.calendar.year_of(d.birth);
        let mut best: Option<(u8, u32)> = None;
        for &c in &self.care.hailsham_carers {
            let carer = &people[c as usize];
            if usize::from(carer.caseload) >= width || self.calendar.year_of(carer.birth) != year {
                continue;
            }
            let rank = if d.partner == c {
                0
            } else if carer.halfway_house == d.halfway_house {
                1
            } else {
                2
            };
            if best.is_none_or(|(r, _)| rank < r) {
                best = Some((rank, c));
            }
        }
        best.map(|(_, c)| c)
    }

    /// Kilometres a day a carer in `town` drives to look after one donor at `centre`.
    fn visit_km_per_day(&self, town: u8, centre: u8) -> f64 {
        (self.map.km(town, centre) * self.care.road_factor + self.care.local_km)
            * self.care.km_factor
    }

    /// Brings a carer's kilometres up to `now`.
    fn settle_km(&mut self, now: Day, carer: u32) {
        let person = &mut self.people[carer as usize];
        #[allow(clippy::cast_possible_truncation)]
        let driven = (f64::from(person.km_per_day) * f64::from(now.since(person.km_since))) as f32;
        person.km += driven;
        person.km_since = now;
    }

    fn assign(&mut self, now: Day, carer: u32, donor: u32) {
        debug_assert!(self.has_room(carer) && self.needs_carer(donor));
        self.settle_km(now, carer);
        let (town, chunk, slot) = {
            let c = &self.people[carer as usize];
            (c.town, c.caseload_chunk, usize::from(c.caseload))
        };
        let centre = self.people[donor as usize].centre;
        self.care.chunk(chunk)[slot] = donor;
        let km_per_day = self.visit_km_per_day(town, centre);
        let c = &mut self.people[carer as usize];
        c.caseload += 1;
        c.donors_cared = c.donors_cared.saturating_add(1);
        #[allow(clippy::cast_possible_truncation)]
        {
            c.km_per_day += km_per_day as f32;
        }
        self.people[donor as usize].carer = carer;
        self.flows.km_per_day.add(now, km_per_day);
        self.flows.donors_uncared.add(now, -1.0);
        self.flows.donors_cared.add(now, 1.0);
    }

    /// Takes a donor off their carer's caseload; returns the carer.
    fn unassign(&mut self, now: Day, donor: u32) -> u32 {
        let carer = self.people[donor as usize].carer;
        debug_assert!(carer != NONE);
        self.settle_km(now, carer);
        let (town, chunk, caseload) = {
            let c = &self.people[carer as usize];
            (c.town, c.caseload_chunk, usize::from(c.caseload))
        };
        let centre = self.people[donor as usize].centre;
        let list = self.care.chunk(chunk);
        let at = list[..caseload]
            .iter()
            .position(|&d| d == donor)
            .expect("a donor is on their carer's list");
        list[at] = list[caseload - 1];
        list[caseload - 1] = NONE;
        let km_per_day = self.visit_km_per_day(town, centre);
        let c = &mut self.people[carer as usize];
        c.caseload -= 1;
        #[allow(clippy::cast_possible_truncation)]
        {
            c.km_per_day = if c.caseload == 0 {
                0.0
            } else {
                (f64::from(c.km_per_day) - km_per_day).max(0.0) as f32
            };
        }
        self.people[donor as usize].carer = NONE;
        self.flows.km_per_day.add(now, -km_per_day);
        self.flows.donors_cared.add(now, -1.0);
        self.flows.donors_uncared.add(now, 1.0);
        carer
    }

    /// A donor leaves care (completion): the carer gets room back.
    pub(crate) fn leave_care(&mut self, now: Day, donor: u32) {
        let had_carer = self.people[donor as usize].carer;
        if had_carer != NONE {
            self.unassign(now, donor);
        }
        self.flows.donors_uncared.add(now, -1.0);
        if had_carer != NONE {
            self.offer_room(now, had_carer);
        }
    }

    /// The quality of the donor's carer, or zero with none.
    pub(crate) fn carer_quality(&self, donor: u32) -> f64 {
        let carer = self.people[donor as usize].carer;
        if carer == NONE {
            0.0
        } else {
            f64::from(self.people[carer as usize].quality)
        }
    }

    /// Notice: the career ends, the carer's donors go to others, the carer becomes a donor.
    pub(crate) fn career_end(&mut self, now: Day, id: u32, schedule: &mut Schedule<'_, Event>) {
        let mut released = std::mem::take(&mut self.care.released);
        released.clear();
        {
            let (chunk, caseload) = {
                let c = &self.people[id as usize];
                (c.caseload_chunk, usize::from(c.caseload))
            };
            released.extend_from_slice(&self.care.chunk(chunk)[..caseload]);
        }
        for &donor in &released {
            self.unassign(now, donor);
        }
        self.settle_km(now, id);
        let person = &mut self.people[id as usize];
        debug_assert_eq!(person.caseload, 0);
        person.set(flag::WORKING, false);
        person.carer_end = now;
        let chunk = std::mem::replace(&mut person.caseload_chunk, NONE);
        self.care.free_chunks.push(chunk);
        let career = now.since(person.carer_start);
        self.tally.career_days.add(career);
        self.flows.carers_working.add(now, -1.0);
        self.become_donor(now, id, schedule);
        for &donor in &released {
            self.find_carer(now, donor);
        }
        self.care.released = released;
    }

    /// Kilometres driven by everyone, settled to `now` (for records of the living).
    pub(crate) fn carer_km(&self, now: Day, id: u32) -> f64 {
        let person = &self.people[id as usize];
        if person.has(flag::WORKING) {
            f64::from(person.km)
                + f64::from(person.km_per_day) * f64::from(now.since(person.km_since))
        } else {
            f64::from(person.km)
        }
    }
}
