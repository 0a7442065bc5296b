//! The world: the table of people, the institutions' state, and the dispatch of events.
//!
//! Each institution lives in its own module (`homes`, `hailsham`, `halfway`, `care`,
//! `donation`, `demand`, `deferral`, `society`) as a state struct plus `impl World` methods
//! that handle its events. This file only routes events, keeps the flows only the model can
//! settle, checks the books, and announces (see [`crate::happening`]): it counts nothing for
//! any output. The counts by stage are [`People`]'s, moved with the persons they count.

use hailsham_engine::{Calendar, Day, Keyed, Model, Schedule, Stream, Streams};

use crate::care::Care;
use crate::demand::Demand;
use crate::donation::Centres;
use crate::hailsham::Hailsham;
use crate::halfway::Halfway;
use crate::happening::{Census, Happening, Observer};
use crate::homes::Homes;
use crate::nature::Nature;
use crate::output::Stage;
use crate::params::Params;
use crate::people::{People, Recount, Slot, flag};
use crate::society::Society;
use crate::towns::Map;

/// Everything the queue can hold. Person events carry the person's slot: the table's place,
/// which no event outlives (completion ends a clone's line of events).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// The first day of a calendar year: plan the year's cohort and Hailsham's calendar.
    YearStart,
    /// The cohort born in a year reaches the entry age: their creations are booked.
    Cohort,
    /// A clone is created into a home: the place in its birth year's cohort.
    Create(u32),
    /// The humane homes close (docs/model.md §2).
    HumaneHomesClose,
    /// An Exchange at Hailsham.
    Exchange,
    /// A Sale at Hailsham.
    Sale,
    /// Madame visits Hailsham and takes work to the Gallery.
    MadameVisit,
    /// A month passes at the half-way houses: couples form and split.
    HalfwayMonth,
    /// A day of demand: patients arrive and die waiting.
    DemandDay,
    /// A student turns sixteen and leaves the home.
    LeaveHome(Slot),
    /// A resident goes looking for their possible.
    PossibleSearch(Slot),
    /// A resident leaves the half-way house for training or donation.
    LeaveHalfway(Slot),
    /// A carer finishes training and takes donors.
    CarerQualified(Slot),
    /// A carer is given notice: the career ends and donation begins.
    CareerEnd(Slot),
    /// A donor's donation.
    Donation(Slot),
    /// A donor completes in the recovery after the completing donation.
    Complete(Slot),
    /// A child donor is taken from the home to donate.
    ChildDonor(Slot),
    /// A veteran or carer runs away (if still out in the world that day).
    Escape(Slot),
    /// A clone who ran is found and brought back.
    Found(Slot),
}

/// An [`Event`] as the queue holds it, in four bytes: the queue holds about one event per clone
/// alive, so this halves the queue's memory against the enum's eight.
///
/// Bits 28-31 hold the kind: 0 for the world's own events, whose number is in the low bits,
/// and 1 to 10 for events of a person, whose slot is in bits 0-27. A run therefore names at most
/// [`SLOTS_MAX`] slots, which `Params::problems` ensures. Any other bit pattern is a bug, and
/// unpacking it panics rather than reading it as some event.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct PackedEvent(u32);

/// The engine's schedule as the world's institutions see it: they book [`Event`]s, and the
/// queue keeps them packed.
pub(crate) type Bookings<'a> = Schedule<'a, PackedEvent>;

/// The most slots a run may use: what 28 bits of a [`PackedEvent`] can name.
pub(crate) const SLOTS_MAX: u32 = 1 << 28;

const KIND_SHIFT: u32 = 28;
const SLOT_MASK: u32 = SLOTS_MAX - 1;

impl From<Event> for PackedEvent {
    #[inline]
    fn from(event: Event) -> PackedEvent {
        let (kind, low) = match event {
            Event::YearStart => (0, 0),
            Event::Cohort => (0, 1),
            Event::HumaneHomesClose => (0, 3),
            Event::Exchange => (0, 4),
            Event::Sale => (0, 5),
            Event::MadameVisit => (0, 6),
            Event::HalfwayMonth => (0, 7),
            Event::DemandDay => (0, 8),
            Event::LeaveHome(slot) => (1, slot.0),
            Event::PossibleSearch(slot) => (2, slot.0),
            Event::LeaveHalfway(slot) => (3, slot.0),
            Event::CarerQualified(slot) => (4, slot.0),
            Event::CareerEnd(slot) => (5, slot.0),
            Event::Donation(slot) => (6, slot.0),
            Event::Complete(slot) => (7, slot.0),
            Event::ChildDonor(slot) => (8, slot.0),
            Event::Escape(slot) => (9, slot.0),
            Event::Found(slot) => (10, slot.0),
            Event::Create(place) => (11, place),
        };
        debug_assert!(low <= SLOT_MASK, "slots stay below SLOTS_MAX");
        PackedEvent((kind << KIND_SHIFT) | low)
    }
}

impl From<PackedEvent> for Event {
    #[inline]
    fn from(packed: PackedEvent) -> Event {
        let low = packed.0 & SLOT_MASK;
        match packed.0 >> KIND_SHIFT {
            0 => match low {
                0 => Event::YearStart,
                1 => Event::Cohort,
                3 => Event::HumaneHomesClose,
                4 => Event::Exchange,
                5 => Event::Sale,
                6 => Event::MadameVisit,
                7 => Event::HalfwayMonth,
                8 => Event::DemandDay,
                _ => unreachable!("no world event is numbered {low}"),
            },
            1 => Event::LeaveHome(Slot(low)),
            2 => Event::PossibleSearch(Slot(low)),
            3 => Event::LeaveHalfway(Slot(low)),
            4 => Event::CarerQualified(Slot(low)),
            5 => Event::CareerEnd(Slot(low)),
            6 => Event::Donation(Slot(low)),
            7 => Event::Complete(Slot(low)),
            8 => Event::ChildDonor(Slot(low)),
            9 => Event::Escape(Slot(low)),
            10 => Event::Found(Slot(low)),
            11 => Event::Create(low),
            kind => unreachable!("no event is of kind {kind}"),
        }
    }
}

/// A level that changes at events, summed over time (level x days) for the yearly books.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flow {
    level: f64,
    last: u32,
    /// Level-days since the last `take`.
    sum: f64,
}

impl Flow {
    #[inline]
    pub fn add(&mut self, now: Day, delta: f64) {
        self.settle(now);
        self.level += delta;
    }

    #[inline]
    pub fn settle(&mut self, now: Day) {
        self.sum += self.level * f64::from(now.0 - self.last);
        self.last = now.0;
    }

    /// The level-days since the last take, settled to `now`.
    pub fn take(&mut self, now: Day) -> f64 {
        self.settle(now);
        std::mem::take(&mut self.sum)
    }

    pub fn level(&self) -> f64 {
        self.level
    }
}

/// Level-days kept for the yearly books.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flows {
    /// Carers at work (qualified, not yet donors).
    pub carers_working: Flow,
    /// Donors with a bed and a carer.
    pub donors_cared: Flow,
    /// Donors with a bed and no carer.
    pub donors_uncared: Flow,
    /// Kilometres a day driven by all carers.
    pub km_per_day: Flow,
    /// Nights away a day, all carers.
    pub overnights_per_day: Flow,
    /// Veterans and carers: the clones who meet outsiders.
    pub out_in_the_world: Flow,
}

/// The random streams, one per institution: a new draw in one leaves the others alone.
pub(crate) struct Rngs {
    pub homes: Stream,
    pub hailsham: Stream,
    pub halfway: Stream,
    pub care: Stream,
    pub donation: Stream,
    pub demand: Stream,
    pub deferral: Stream,
    pub society: Stream,
    pub escape: Stream,
    /// Draws of a clone's creation (birthday, home, blood group), keyed by its birth year and
    /// place in the cohort, so that the same clone is created in every world of one seed.
    pub creation: Keyed,
    /// What a clone decides for itself, keyed by its lineage (see `draw::choice`).
    pub personal: Keyed,
}

impl Rngs {
    fn new(streams: &Streams) -> Rngs {
        Rngs {
            homes: streams.stream("homes"),
            hailsham: streams.stream("hailsham"),
            halfway: streams.stream("halfway"),
            care: streams.stream("care"),
            donation: streams.stream("donation"),
            demand: streams.stream("demand"),
            deferral: streams.stream("deferral"),
            society: streams.stream("society"),
            escape: streams.stream("escape"),
            creation: streams.keyed("creation"),
            personal: streams.keyed("personal"),
        }
    }
}

/// The model: the table of people, each institution's state, and the observer it announces to.
pub(crate) struct World<O: Observer> {
    pub params: Params,
    pub calendar: Calendar,
    pub people: People,
    pub map: Map,
    pub rng: Rngs,
    pub nature: Nature,
    pub homes: Homes,
    pub hailsham: Hailsham,
    pub halfway: Halfway,
    pub care: Care,
    pub centres: Centres,
    pub demand: Demand,
    pub society: Society,
    pub flows: Flows,
    /// Everything the model announces goes here, and nowhere else.
    pub observer: O,
}

impl<O: Observer> World<O> {
    pub fn new(params: &Params, streams: &Streams, observer: O) -> World<O> {
        debug_assert!(
            params.problems().is_empty(),
            "scenario validation lets no incoherent set through"
        );
        let calendar =
            Calendar::new(i32::try_from(params.time.start_year).expect("start_year is in range"));
        let map = Map::new();
        let centres = Centres::new(params, map.len());
        World {
            homes: Homes::new(params),
            hailsham: Hailsham::default(),
            halfway: Halfway::new(params),
            care: Care::new(params, map.len()),
            centres,
            demand: Demand::new(params),
            society: Society::default(),
            flows: Flows::default(),
            observer,
            people: People::default(),
            rng: Rngs::new(streams),
            nature: Nature::new(params, streams),
            map,
            calendar,
            params: params.clone(),
        }
    }

    /// Tells the observer what happened today.
    #[inline]
    pub fn announce(&mut self, now: Day, happening: Happening) {
        self.observer.observe(now, &happening);
    }

    /// The initial events: the first year's start and the daily and monthly clocks.
    pub fn initial_events(&self) -> [(Day, Event); 3] {
        [
            (Day(0), Event::YearStart),
            (Day(0), Event::DemandDay),
            (Day(0), Event::HalfwayMonth),
        ]
    }

    /// Moves person `id` to `next` (the table keeps its counts by stage) and keeps the flows.
    pub fn advance(&mut self, now: Day, id: Slot, next: Stage) {
        let previous = self.people.advance(id, next);
        let out = |stage: Stage| matches!(stage, Stage::Veteran | Stage::Carer);
        match (out(previous), out(next)) {
            (false, true) => self.flows.out_in_the_world.add(now, 1.0),
            (true, false) => self.flows.out_in_the_world.add(now, -1.0),
            _ => {}
        }
    }

    /// Closes the year that ends on `end` (the next year's first day): settles the flows and
    /// announces the census.
    pub fn close_year(&mut self, end: Day) {
        self.society_year_end(end);
        self.compact_hailsham_carers();
        let flows = &mut self.flows;
        let carer_days = flows.carers_working.take(end);
        let cared = flows.donors_cared.take(end);
        let uncared = flows.donors_uncared.take(end);
        let carer_km = flows.km_per_day.take(end);
        let carer_overnights = flows.overnights_per_day.take(end);
        let books = self.people.books();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let census = Census {
            year: self.calendar.year_of(Day(end.0 - 1)),
            by_stage: books.by_stage,
            hailsham_students: self.hailsham.students_count(&self.people),
            waiting: self.demand.waiting_total(),
            beds_held: self.centres.beds_held(),
            beds_total: self.centres.beds_total(),
            donors_waiting_for_bed: self.centres.waiting_for_bed(),
            donors_without_carer: self.flows.donors_uncared.level().round() as u64,
            away: books.away,
            outsiders_knowing: self.society.knowing(self),
            population: self.params.homes.population_millions * 1e6,
            carer_days: carer_days.round() as u64,
            cared_donor_days: cared.round() as u64,
            uncared_donor_days: uncared.round() as u64,
            carer_km,
            carer_overnights,
        };
        self.announce(end, Happening::YearEnded(census));
    }

    /// Ends the run on `end`: the last word on everyone still alive or away, in id order.
    pub fn close_run(&mut self, end: Day) {
        let mut living: Vec<(crate::happening::PersonId, Slot)> = self
            .people
            .living()
            .filter(|(_, person)| person.stage() != Stage::Completed)
            .map(|(slot, person)| (person.id, slot))
            .collect();
        living.sort_unstable();
        for (person, slot) in living {
            let carer_km = self.carer_km(end, slot);
            let tokens = self.people.rare(slot).tokens;
            self.announce(
                end,
                Happening::RunEnded {
                    person,
                    carer_km,
                    tokens,
                },
            );
        }
    }

    /// Bytes the model holds on the heap, by part (capacity, not only what is in use).
    pub fn memory(&self) -> Vec<(&'static str, usize)> {
        let (slots, free, rare) = self.people.memory_bytes();
        let (desks, lists) = self.care.memory_bytes();
        vec![
            ("people: one slot per clone alive", slots),
            ("people: free slots", free),
            ("people: rare fields (tokens, deferrals, escapes)", rare),
            ("carers' desks and caseloads", desks),
            ("carer pools and waiting donors", lists),
            ("half-way house residents", self.halfway.memory_bytes()),
            ("Hailsham roll", self.hailsham.memory_bytes()),
            ("recovery centres", self.centres.memory_bytes()),
        ]
    }

    /// Checks the books against the table of people. A failure is a bug in the model.
    ///
    /// The cheap checks run always; the full scan of the table runs in debug builds (tests).
    pub fn check_invariants(&self) {
        assert_eq!(
            self.people.books().accounted(),
            u64::from(self.people.created()),
            "created = alive + completed + away"
        );
        assert!(
            self.centres.beds_held() <= self.centres.beds_total(),
            "beds held over capacity"
        );
        self.check_flows_not_negative();
        if cfg!(debug_assertions) {
            self.check_table();
        }
    }

    /// Every flow's level stays at or above zero (within rounding).
    fn check_flows_not_negative(&self) {
        let flows = &self.flows;
        for (name, flow) in [
            ("carers at work", &flows.carers_working),
            ("donors cared for", &flows.donors_cared),
            ("donors without carer", &flows.donors_uncared),
            ("km a day", &flows.km_per_day),
            ("nights away a day", &flows.overnights_per_day),
            ("clones out in the world", &flows.out_in_the_world),
        ] {
            assert!(
                flow.level() > -0.5,
                "{name} went negative: {}",
                flow.level()
            );
        }
    }

    /// One scan of the table: the books match a recount, the beds held are the donors holding
    /// one, every working carer's caseload is within the maximum, every cared-for donor's carer
    /// works, and the flows of carers at work and donors cared for match the table.
    fn check_table(&self) {
        let mut recount = Recount::default();
        let mut beds = 0_u64;
        let mut cared = 0_u64;
        let mut working = 0_u64;
        for (slot, person) in self.people.living() {
            recount.add(person);
            if person.has(flag::AWAY) {
                continue;
            }
            if person.stage() == Stage::Completed {
                assert!(
                    person.has(flag::ESCAPED),
                    "a completed clone's slot is free unless they once ran"
                );
                continue;
            }
            beds += u64::from(person.has(flag::HAS_BED));
            assert!(i64::from(person.donations()) <= self.params.donation.donations_max);
            if person.has(flag::WORKING) {
                working += 1;
                assert_eq!(person.stage(), Stage::Carer);
                assert!(
                    self.caseload(slot) <= self.care_width(),
                    "caseload over the maximum"
                );
            } else if let Some(carer) = person.carer() {
                cared += 1;
                assert_eq!(person.stage(), Stage::Donor, "only donors have a carer");
                assert!(
                    self.people[carer].has(flag::WORKING),
                    "clone {}'s carer is not working",
                    person.id
                );
            }
        }
        assert_eq!(
            recount.books(&self.people),
            self.people.books(),
            "counts by stage and away match the table"
        );
        assert_eq!(
            beds,
            self.centres.beds_held(),
            "beds held match the donors holding them"
        );
        #[allow(clippy::cast_precision_loss)]
        {
            assert!(
                (cared as f64 - self.flows.donors_cared.level()).abs() < 0.5,
                "cared donors match the caseloads"
            );
            assert!(
                (working as f64 - self.flows.carers_working.level()).abs() < 0.5,
                "carers at work match the desks"
            );
        }
    }
}

impl<O: Observer> Model for World<O> {
    type Event = PackedEvent;

    fn handle(&mut self, event: PackedEvent, schedule: &mut Bookings<'_>) {
        let now = schedule.now();
        match Event::from(event) {
            Event::YearStart => self.year_start(now, schedule),
            Event::Cohort => self.cohort(now, schedule),
            Event::Create(place) => self.create(now, place, schedule),
            Event::HumaneHomesClose => self.humane_homes_close(now),
            Event::Exchange => self.exchange(now),
            Event::Sale => self.sale(now),
            Event::MadameVisit => self.madame_visit(now),
            Event::HalfwayMonth => self.halfway_month(now, schedule),
            Event::DemandDay => self.demand_day(now, schedule),
            Event::LeaveHome(id) => self.leave_home(now, id, schedule),
            Event::PossibleSearch(id) => self.possible_search(now, id),
            Event::LeaveHalfway(id) => self.leave_halfway(now, id, schedule),
            Event::CarerQualified(id) => self.carer_qualified(now, id, schedule),
            Event::CareerEnd(id) => self.career_end(now, id, schedule),
            Event::Donation(id) => self.donation(now, id, schedule),
            Event::Complete(id) => self.complete(now, id, schedule),
            Event::ChildDonor(id) => self.child_donor(now, id, schedule),
            Event::Escape(id) => self.escape(now, id, schedule),
            Event::Found(id) => self.found(now, id, schedule),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_survives_packing_in_four_bytes() {
        assert_eq!(std::mem::size_of::<PackedEvent>(), 4);
        let world = [
            Event::YearStart,
            Event::Cohort,
            Event::Create(0),
            Event::Create(SLOT_MASK),
            Event::HumaneHomesClose,
            Event::Exchange,
            Event::Sale,
            Event::MadameVisit,
            Event::HalfwayMonth,
            Event::DemandDay,
        ];
        let person: [fn(Slot) -> Event; 10] = [
            Event::LeaveHome,
            Event::PossibleSearch,
            Event::LeaveHalfway,
            Event::CarerQualified,
            Event::CareerEnd,
            Event::Donation,
            Event::Complete,
            Event::ChildDonor,
            Event::Escape,
            Event::Found,
        ];
        let mut packed = Vec::new();
        for event in world.into_iter().chain(
            person
                .iter()
                .flat_map(|make| [0, 1, 12_345, SLOTS_MAX - 1].map(|s| make(Slot(s)))),
        ) {
            let p = PackedEvent::from(event);
            assert_eq!(Event::from(p), event);
            packed.push(p.0);
        }
        packed.sort_unstable();
        packed.dedup();
        assert_eq!(packed.len(), 10 + 10 * 4, "no two events pack alike");
    }

    #[test]
    #[should_panic(expected = "no event is of kind")]
    fn unpacking_an_unknown_kind_is_a_bug() {
        let _ = Event::from(PackedEvent(12 << KIND_SHIFT));
    }

    #[test]
    #[should_panic(expected = "no world event is numbered")]
    fn unpacking_an_unknown_world_event_is_a_bug() {
        let _ = Event::from(PackedEvent(2));
    }
}
