//! The table of people: one compact record per living clone, in reusable slots.
//!
//! A clone has a permanent id (given in order of creation) and, while alive, a slot in the
//! table. When a life completes its record is written and the slot is freed for the next clone
//! created, so the table holds the living, not everyone who ever lived: memory follows the
//! population, not the years simulated.
//!
//! A [`Slot`] and a [`PersonId`] are different types: events and ties inside the model hold
//! slots, everything announced names ids. Holding slots is safe because nothing points at a
//! slot once its clone has completed: no event is pending for a completed clone (completion
//! ends the line of events), a donor leaves the caseload and the bed at completion, and a
//! partner becomes [`Partner::Completed`], held by permanent id. Lists that are cleaned lazily
//! hold a [`Ref`] (slot and id), so a stale entry never passes for the slot's next occupant.
//!
//! [`People`] also keeps the books of the table, the clones by stage and the clones away
//! ([`Books`]), and it alone moves them: a clone is created, advanced a stage, runs away, is
//! brought back or completes through a move of [`People`] that changes the person and the
//! books together, so no institution edits a count and the books cannot drift from the table.
//!
//! Dates are kept as days since birth in 16 bits (`Params::problems` bounds a run to 179
//! years, so they fit), and dates that follow from others are not kept: creation and leaving the
//! home come from birth and the fixed ages, the first day at work from training, the end of a
//! career from the first day as a donor.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use hailsham_engine::Day;

use crate::happening::PersonId;
use crate::output::{BloodGroup, HomeKind, Stage};
use crate::world::SLOTS_MAX;

/// The marker for "none" in a packed field (a tie, a partner, a caseload's chain).
pub(crate) const NONE: u32 = u32::MAX;

/// Where a living clone sits in the table. Reused once its clone completes: never announced,
/// never written out (a [`PersonId`] is).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Slot(pub u32);

/// A working carer's desk, by its index in the care tables.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct DeskIndex(pub u32);

/// A clone's partner, as the table holds it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Partner {
    /// No partner.
    None,
    /// A living partner, in this slot.
    Living(Slot),
    /// The partner has completed: their slot may hold someone else now.
    Completed(PersonId),
}

/// The marker for "no date" in a 16-bit date.
pub(crate) const NO_DATE: u16 = u16::MAX;

/// The last date a life can hold, in days since birth: about 179.4 years, after the end of
/// any run (at most [`crate::params::RUN_YEARS_MAX`] years) for anyone born in it.
pub(crate) const DATE_LAST: u16 = NO_DATE - 1;

/// Bits of [`Person::flags`].
pub(crate) mod flag {
    /// Moved to a government home when the humane homes closed.
    pub const TRANSFERRED: u16 = 1 << 0;
    /// Queued in a town's pool of carers with room.
    pub const IN_POOL: u16 = 1 << 1;
    /// Believes the deferral rumour (set for both partners when a couple forms).
    pub const BELIEVES: u16 = 1 << 2;
    /// Has applied for a deferral (with the partner).
    pub const APPLIED: u16 = 1 << 3;
    /// Was granted a deferral.
    pub const GRANTED: u16 = 1 << 4;
    /// A kidney was taken at a donation before the last.
    pub const KIDNEY_TAKEN: u16 = 1 << 7;
    /// A lung lobe was taken at a donation before the last.
    pub const LUNG_TAKEN: u16 = 1 << 8;
    /// Part of the pancreas was taken at a donation before the last.
    pub const PANCREAS_TAKEN: u16 = 1 << 9;
    /// Holds a recovery-centre bed.
    pub const HAS_BED: u16 = 1 << 10;
    /// Works as a carer (qualified, career not ended); the tie is the desk.
    pub const WORKING: u16 = 1 << 11;
    /// The partner has completed; the partner field holds their permanent id, not a slot.
    pub const PARTNER_GONE: u16 = 1 << 13;
    /// Ran away and is not (yet) found: out of every count by stage.
    pub const AWAY: u16 = 1 << 14;
    /// Ran away at some time. Such a clone's slot is never reused: events booked before the
    /// escape may still come, and must find this clone (and be ignored), not a newcomer.
    pub const ESCAPED: u16 = 1 << 15;
}

/// One living clone. Kept small: the table holds every clone alive, so every byte here is a
/// byte per person of the run's memory (28 in all; a test holds it there). What only the
/// records need (dates of donations, organs taken, donors cared for) is not kept here: the
/// records are folded from the announcements.
///
/// What only a few clones ever need (Hailsham's tokens and Gallery pieces, a deferral, a booked
/// escape) is kept beside the table in [`Rare`]; what is fixed at creation and read seldom
/// (frailty, talent) is drawn again from the clone's id when needed ([`crate::traits`]).
#[derive(Clone, Debug)]
pub(crate) struct Person {
    /// Permanent id, in order of creation.
    pub id: PersonId,
    /// One field, two ties that never coexist: a working carer's desk ([`Person::desk`]) or a
    /// donor's carer ([`Person::carer`]); `NONE` otherwise. A carer's desk closes before they
    /// become a donor.
    tie: u32,
    /// The partner's slot, or their permanent id once they have completed (`PARTNER_GONE`):
    /// read through [`Person::partner`].
    partner: u32,
    /// Kilometres driven as a carer, up to the desk's `km_since`.
    pub km: f32,
    /// Day of birth, as days since the run's day 0 (runs last at most 179 years).
    birth: u16,
    /// Days since birth carer training began (the first day at work and a career's length
    /// follow from it).
    pub carer_training: u16,
    pub halfway_house: u16,
    pub flags: u16,
    /// Bits 12-13: blood group; bits 14-15: home.
    packed: u16,
    /// Bits 0-2: stage; bits 3-5: donations made.
    state: u8,
    pub centre: u8,
    /// The clone's place in the cohort of its birth year: with the birth year, who the clone
    /// is in any world of the same seed (see [`crate::Lineage`]), and the key of its nature.
    pub place: u32,
}

impl Person {
    pub fn new(birth: Day, home: HomeKind, group: BloodGroup, place: u32) -> Person {
        Person {
            id: PersonId(NONE),
            tie: NONE,
            partner: NONE,
            km: 0.0,
            birth: u16::try_from(birth.0).expect("a run lasts at most 179 years"),
            carer_training: NO_DATE,
            halfway_house: u16::MAX,
            flags: 0,
            packed: ((home as u16) << 14) | ((group as u16) << 12),
            state: Stage::Student as u8,
            centre: u8::MAX,
            place,
        }
    }

    /// The desk of a working carer.
    #[inline]
    pub fn desk(&self) -> Option<DeskIndex> {
        debug_assert!(self.has(flag::WORKING) || self.tie == NONE || self.stage() != Stage::Carer);
        (self.has(flag::WORKING) && self.tie != NONE).then_some(DeskIndex(self.tie))
    }

    /// Gives a carer starting work a desk, or takes it away at the career's end.
    #[inline]
    pub fn set_desk(&mut self, desk: Option<DeskIndex>) {
        debug_assert!(self.stage() == Stage::Carer);
        self.set(flag::WORKING, desk.is_some());
        self.tie = desk.map_or(NONE, |d| d.0);
    }

    /// A donor's carer.
    #[inline]
    pub fn carer(&self) -> Option<Slot> {
        if self.has(flag::WORKING) || self.tie == NONE {
            None
        } else {
            Some(Slot(self.tie))
        }
    }

    /// Gives a donor a carer, or takes the carer away.
    #[inline]
    pub fn set_carer(&mut self, carer: Option<Slot>) {
        debug_assert!(self.stage() == Stage::Donor && !self.has(flag::WORKING));
        self.tie = carer.map_or(NONE, |c| c.0);
    }

    /// The partner.
    #[inline]
    pub fn partner(&self) -> Partner {
        match self.partner {
            NONE => Partner::None,
            id if self.has(flag::PARTNER_GONE) => Partner::Completed(PersonId(id)),
            slot => Partner::Living(Slot(slot)),
        }
    }

    /// The living partner's slot, if there is one.
    #[inline]
    pub fn living_partner(&self) -> Option<Slot> {
        match self.partner() {
            Partner::Living(slot) => Some(slot),
            Partner::None | Partner::Completed(_) => None,
        }
    }

    /// Sets the partner.
    #[inline]
    pub fn set_partner(&mut self, partner: Partner) {
        let (raw, gone) = match partner {
            Partner::None => (NONE, false),
            Partner::Living(slot) => (slot.0, false),
            Partner::Completed(id) => (id.0, true),
        };
        self.partner = raw;
        self.set(flag::PARTNER_GONE, gone);
    }

    #[inline]
    pub fn has(&self, bit: u16) -> bool {
        self.flags & bit != 0
    }

    /// Sets or clears a flag. Not `AWAY` nor `ESCAPED`: those are in the books, and only
    /// [`People::run_away`] and [`People::bring_back`] move them.
    #[inline]
    pub fn set(&mut self, bit: u16, on: bool) {
        debug_assert!(
            bit & (flag::AWAY | flag::ESCAPED) == 0,
            "running away and coming back are moves of People, which keeps the books"
        );
        if on {
            self.flags |= bit;
        } else {
            self.flags &= !bit;
        }
    }

    #[inline]
    pub fn stage(&self) -> Stage {
        Stage::ALL[usize::from(self.state & 0b111)]
    }

    #[inline]
    pub fn home(&self) -> HomeKind {
        HomeKind::ALL[usize::from(self.packed >> 14)]
    }

    #[inline]
    pub fn birth(&self) -> Day {
        Day(u32::from(self.birth))
    }

    /// Donations made.
    #[inline]
    pub fn donations(&self) -> u8 {
        self.state >> 3
    }

    /// Records donation number `n` (1-based) as made.
    #[inline]
    pub fn set_donations(&mut self, n: u8) {
        debug_assert!(n <= 4);
        self.state = (self.state & 0b111) | (n << 3);
    }

    /// Moves the person to `next`, which must lie further along the line of life. Private: the
    /// rest of the model moves a clone on through [`People::advance`], which keeps the books.
    ///
    /// # Panics
    /// If `next` does not come after the current stage: a stage is never left for an earlier
    /// one, and a bug that tried would corrupt every count.
    #[inline]
    fn advance(&mut self, next: Stage) {
        assert!(
            next > self.stage(),
            "stage may not go back or stand still: {:?} -> {next:?}",
            self.stage()
        );
        self.state = (self.state & !0b111) | next as u8;
    }

    /// `day` as days since birth.
    ///
    /// # Panics
    /// If `day` is before birth or more than 179 years after: validation bounds a run to fit.
    #[inline]
    pub fn offset(&self, day: Day) -> u16 {
        self.offset_if_held(day)
            .expect("a run lasts at most 179 years")
    }

    /// `day` as days since birth, or `None` if it lies beyond the 179 years 16 bits hold (a
    /// day the run never reaches).
    ///
    /// # Panics
    /// If `day` is before birth.
    #[inline]
    pub fn offset_if_held(&self, day: Day) -> Option<u16> {
        let days = day
            .0
            .checked_sub(u32::from(self.birth))
            .expect("no date of a life comes before its birth");
        u16::try_from(days).ok().filter(|&d| d != NO_DATE)
    }

    /// The day `offset` days after birth, or `None` for `NO_DATE`.
    #[inline]
    pub fn day(&self, offset: u16) -> Option<Day> {
        (offset != NO_DATE).then(|| self.birth().plus(u32::from(offset)))
    }

    pub fn blood_group(&self) -> BloodGroup {
        BloodGroup::ALL[usize::from((self.packed >> 12) & 0b11)]
    }
}

/// What few clones need, kept beside the table (see [`People::rare`]) rather than in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rare {
    /// Tokens held (Hailsham students).
    pub tokens: u16,
    /// Days since birth the donations wait until (a deferral granted); `NO_DATE` if none.
    pub deferred_until: u16,
    /// Days since birth of the booked escape; `NO_DATE` if none is booked.
    pub escape_day: u16,
}

impl Default for Rare {
    fn default() -> Rare {
        Rare {
            tokens: 0,
            deferred_until: NO_DATE,
            escape_day: NO_DATE,
        }
    }
}

/// A hasher for slots and permanent ids: one multiplication (Fibonacci hashing). `std`'s
/// default, SipHash, is built to resist keys chosen by an attacker, which slots and ids are
/// not, and costs several times more: Hailsham's Exchanges and Sales look up every student's
/// tokens, and the records fold looks up a life at every announcement.
#[derive(Default)]
pub(crate) struct MultiplyHasher(u64);

impl Hasher for MultiplyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u32(u32::from(byte));
        }
    }

    #[inline]
    fn write_u32(&mut self, slot: u32) {
        // The table takes its index from the low bits and its tags from the top seven: an odd
        // multiplier maps distinct low bits to distinct low bits, and spreads into the top.
        self.0 = (self.0 ^ u64::from(slot)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Pushes `value` onto a table that lives the whole run, and returns its index. The table grows
/// by an eighth, not by doubling: the largest tables of a run would otherwise leave up to half
/// their memory unused at the peak.
pub(crate) fn push_table<T>(table: &mut Vec<T>, value: T) -> u32 {
    if table.len() == table.capacity() {
        table.reserve_exact((table.capacity() / 8).max(1024));
    }
    table.push(value);
    u32::try_from(table.len() - 1).expect("tables are indexed by u32")
}

/// A reference to a living clone that survives its slot being reused: the slot and the id.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ref {
    pub slot: Slot,
    pub id: PersonId,
}

/// The books of the table: the clones by stage and the clones away. Only the moves of
/// [`People`] change them; a [`Recount`] counts them again from the table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Books {
    /// Alive by stage; the completed entry counts completions. A clone away is in none.
    pub by_stage: [u64; 5],
    /// Clones who ran and are not found.
    pub away: u64,
}

impl Books {
    /// Clones at `stage` (completions, for [`Stage::Completed`]).
    #[inline]
    pub fn count(&self, stage: Stage) -> u64 {
        self.by_stage[stage as usize]
    }

    /// Clones alive and not away.
    pub fn alive(&self) -> u64 {
        self.by_stage.iter().sum::<u64>() - self.count(Stage::Completed)
    }

    /// Everyone the books account for: alive, completed or away. Equals the clones created.
    pub fn accounted(&self) -> u64 {
        self.by_stage.iter().sum::<u64>() + self.away
    }
}

/// The books counted again from the table, one clone at a time, to check [`People::books`]
/// against. A fold rather than a method of [`People`], so the model's check of the table
/// (`World::check_invariants`) recounts in the scan it makes anyway, not in a second one.
#[derive(Debug, Default)]
pub(crate) struct Recount(Books);

impl Recount {
    /// Counts a clone found in the table: away, or at their stage. A completed clone's slot is
    /// kept only if they once ran, so completions are not counted here (see [`Recount::books`]).
    #[inline]
    pub fn add(&mut self, person: &Person) {
        if person.has(flag::AWAY) {
            self.0.away += 1;
        } else if person.stage() != Stage::Completed {
            self.0.by_stage[person.stage() as usize] += 1;
        }
    }

    /// The books recounted, once every clone in `people` was added. Completions are what
    /// creation leaves unaccounted for, so books equal to these also mean created = alive +
    /// completed + away.
    pub fn books(self, people: &People) -> Books {
        let mut books = self.0;
        books.by_stage[Stage::Completed as usize] = u64::from(people.created())
            .checked_sub(books.accounted())
            .expect("every clone in the table was created");
        books
    }
}

/// The living, in reusable slots, and the books that count them.
#[derive(Debug, Default)]
pub(crate) struct People {
    persons: Vec<Person>,
    /// Freed slots, reused last freed first.
    free: Vec<Slot>,
    next_id: u32,
    /// The rare fields of the few clones who have any, by slot. Looked up, never iterated, so
    /// the map's order cannot reach an output.
    rare: HashMap<Slot, Rare, BuildHasherDefault<MultiplyHasher>>,
    /// Counts by stage and away, moved with the persons they count.
    books: Books,
}

impl People {
    /// A clone is created: a student, in a slot, with the next permanent id, and in the books.
    /// Returns the slot.
    pub fn create(&mut self, person: Person) -> Slot {
        debug_assert_eq!(
            person.stage(),
            Stage::Student,
            "every clone begins a student"
        );
        let slot = self.insert(person);
        self.books.by_stage[Stage::Student as usize] += 1;
        slot
    }

    /// The clone in `slot` moves on to `next`, in the table and in the books; returns the stage
    /// they left.
    ///
    /// # Panics
    /// If `next` does not come after the clone's stage (see [`Person::advance`]).
    #[inline]
    pub fn advance(&mut self, slot: Slot, next: Stage) -> Stage {
        let person = &mut self.persons[slot.0 as usize];
        debug_assert!(
            !person.has(flag::AWAY),
            "a clone away is in no stage's count, and has no event that moves them on"
        );
        let previous = person.stage();
        person.advance(next);
        self.books.by_stage[previous as usize] -= 1;
        self.books.by_stage[next as usize] += 1;
        previous
    }

    /// The clone in `slot` runs away: out of their stage's count, into the count away, and
    /// marked for good as one who ran (so [`People::release`] keeps their slot). Returns the
    /// stage they ran from.
    ///
    /// # Panics
    /// If the clone is away already.
    pub fn run_away(&mut self, slot: Slot) -> Stage {
        let person = &mut self.persons[slot.0 as usize];
        assert!(!person.has(flag::AWAY), "a clone away cannot run again");
        let stage = person.stage();
        person.flags |= flag::AWAY | flag::ESCAPED;
        self.books.by_stage[stage as usize] -= 1;
        self.books.away += 1;
        stage
    }

    /// The clone in `slot`, away, is found and brought back: back in the count of the stage they
    /// ran from (whatever comes next moves them on from there, never back). Returns that stage.
    ///
    /// # Panics
    /// If the clone is not away.
    pub fn bring_back(&mut self, slot: Slot) -> Stage {
        let person = &mut self.persons[slot.0 as usize];
        assert!(person.has(flag::AWAY), "only a clone away is brought back");
        let stage = person.stage();
        person.flags &= !flag::AWAY;
        self.books.away -= 1;
        self.books.by_stage[stage as usize] += 1;
        stage
    }

    /// The books: clones by stage and clones away.
    #[inline]
    pub fn books(&self) -> Books {
        self.books
    }

    /// The books counted again from the whole table (for tests: the model recounts within its
    /// own scan of the table).
    #[cfg(test)]
    pub fn recount(&self) -> Books {
        let mut recount = Recount::default();
        for (_, person) in self.living() {
            recount.add(person);
        }
        recount.books(self)
    }

    /// Puts a new clone in a slot and gives them the next permanent id; returns the slot.
    fn insert(&mut self, mut person: Person) -> Slot {
        person.id = PersonId(self.next_id);
        self.next_id = self
            .next_id
            .checked_add(1)
            .expect("fewer than four billion clones in a run");
        if let Some(slot) = self.free.pop() {
            self.persons[slot.0 as usize] = person;
            slot
        } else {
            let slot = push_table(&mut self.persons, person);
            assert!(
                slot < SLOTS_MAX,
                "validation bounds the clones a run creates below SLOTS_MAX"
            );
            Slot(slot)
        }
    }

    /// Frees the slot of a clone who has completed, unless they once ran: events booked before
    /// the escape may still come, and must find this clone (and be ignored), not a newcomer.
    pub fn release(&mut self, slot: Slot) {
        debug_assert_eq!(self[slot].stage(), Stage::Completed);
        if self[slot].has(flag::ESCAPED) {
            return;
        }
        self[slot].id = PersonId(NONE);
        self.rare.remove(&slot);
        self.free.push(slot);
    }

    /// The rare fields of the clone in `slot` (defaults if none were ever set).
    pub fn rare(&self, slot: Slot) -> Rare {
        self.rare.get(&slot).copied().unwrap_or_default()
    }

    /// The rare fields of the clone in `slot`, to change.
    pub fn rare_mut(&mut self, slot: Slot) -> &mut Rare {
        self.rare.entry(slot).or_default()
    }

    /// The rare fields of the clone in `slot`, to change, if any were ever set.
    pub fn rare_if_any(&mut self, slot: Slot) -> Option<&mut Rare> {
        self.rare.get_mut(&slot)
    }

    /// A reference to the clone in `slot`.
    pub fn reference(&self, slot: Slot) -> Ref {
        Ref {
            slot,
            id: self[slot].id,
        }
    }

    /// Whether `r` still names the clone it was taken of.
    pub fn is_current(&self, r: Ref) -> bool {
        self[r.slot].id == r.id
    }

    /// Bytes held on the heap: (slots, free list, rare fields).
    pub fn memory_bytes(&self) -> (usize, usize, usize) {
        // A hash map entry: key, value and one control byte.
        let rare = self.rare.capacity() * (4 + std::mem::size_of::<Rare>() + 1);
        (
            self.persons.capacity() * std::mem::size_of::<Person>(),
            self.free.capacity() * 4,
            rare,
        )
    }

    /// Ids given so far (clones created).
    pub fn created(&self) -> u32 {
        self.next_id
    }

    /// The living, as (slot, person).
    pub fn living(&self) -> impl Iterator<Item = (Slot, &Person)> {
        self.persons
            .iter()
            .enumerate()
            .filter(|(_, p)| p.id.0 != NONE)
            .map(|(slot, p)| (Slot(u32::try_from(slot).expect("slots fit in u32")), p))
    }
}

impl std::ops::Index<Slot> for People {
    type Output = Person;
    #[inline]
    fn index(&self, slot: Slot) -> &Person {
        &self.persons[slot.0 as usize]
    }
}

impl std::ops::IndexMut<Slot> for People {
    #[inline]
    fn index_mut(&mut self, slot: Slot) -> &mut Person {
        &mut self.persons[slot.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn person_stays_small() {
        // Every living clone is in memory at once: keep the record compact. (28 bytes, and 4
        // for the place in the birth cohort that makes a clone the same clone in every world.)
        assert!(
            std::mem::size_of::<Person>() <= 32,
            "{}",
            std::mem::size_of::<Person>()
        );
    }

    #[test]
    #[should_panic(expected = "may not go back")]
    fn stages_never_go_back() {
        let mut person = Person::new(Day(0), HomeKind::Government, BloodGroup::O, 0);
        person.advance(Stage::Donor);
        person.advance(Stage::Carer);
    }

    #[test]
    fn slots_are_reused_and_stale_references_are_seen() {
        let mut people = People::default();
        let a = people.create(Person::new(Day(0), HomeKind::Government, BloodGroup::O, 0));
        let b = people.create(Person::new(Day(1), HomeKind::Government, BloodGroup::A, 0));
        let old = people.reference(a);
        people.advance(a, Stage::Completed);
        people.release(a);
        let c = people.create(Person::new(Day(2), HomeKind::Hailsham, BloodGroup::B, 0));
        assert_eq!(c, a, "the freed slot is reused");
        assert_eq!(
            (people[b].id, people[c].id),
            (PersonId(1), PersonId(2)),
            "ids are permanent and never reused"
        );
        assert!(!people.is_current(old));
        assert!(people.is_current(people.reference(c)));
        assert_eq!(people.living().count(), 2);
        assert_eq!(people.created(), 3);
    }

    fn student(place: u32) -> Person {
        Person::new(Day(0), HomeKind::Government, BloodGroup::O, place)
    }

    #[test]
    fn a_clone_who_once_ran_keeps_the_slot_after_completing() {
        let mut people = People::default();
        let runner = people.create(student(0));
        people.advance(runner, Stage::Veteran);
        assert_eq!(people.run_away(runner), Stage::Veteran);
        assert_eq!(people.books().away, 1);
        assert_eq!(
            people.books().count(Stage::Veteran),
            0,
            "away is in no stage"
        );
        assert_eq!(people.bring_back(runner), Stage::Veteran);
        people.advance(runner, Stage::Donor);
        people.advance(runner, Stage::Completed);
        people.release(runner);
        let next = people.create(student(1));
        assert_ne!(next, runner, "the runner's slot is not reused");
        assert!(people[runner].has(flag::ESCAPED));
        let books = people.books();
        assert_eq!(
            (
                books.count(Stage::Student),
                books.count(Stage::Completed),
                books.away
            ),
            (1, 1, 0)
        );
        assert_eq!(people.recount(), books);
    }

    #[test]
    #[should_panic(expected = "may not go back")]
    fn people_never_move_a_clone_back() {
        let mut people = People::default();
        let slot = people.create(student(0));
        people.advance(slot, Stage::Carer);
        people.advance(slot, Stage::Veteran);
    }

    #[test]
    #[should_panic(expected = "cannot run again")]
    fn a_clone_away_cannot_run_again() {
        let mut people = People::default();
        let slot = people.create(student(0));
        people.advance(slot, Stage::Veteran);
        people.run_away(slot);
        people.run_away(slot);
    }

    #[test]
    #[should_panic(expected = "only a clone away is brought back")]
    fn only_a_clone_away_is_brought_back() {
        let mut people = People::default();
        let slot = people.create(student(0));
        people.bring_back(slot);
    }

    /// A move the property test may try on a clone; it is made only where the model could make
    /// it (the model's handlers check the same conditions before moving anyone).
    #[derive(Clone, Copy, Debug)]
    enum Move {
        Create,
        /// On by this many stages (1 to 3), stopping at donor: completion is its own move.
        Advance(usize),
        RunAway,
        BringBack,
        Complete,
    }

    fn a_move() -> impl Strategy<Value = Move> {
        prop_oneof![
            3 => Just(Move::Create),
            4 => (1_usize..=3).prop_map(Move::Advance),
            1 => Just(Move::RunAway),
            1 => Just(Move::BringBack),
            2 => Just(Move::Complete),
        ]
    }

    proptest! {
        /// Goal: the books stay true whatever legal moves are made, in whatever order. Method:
        /// random sequences of moves on random clones; after every move the books equal a
        /// recount of the table, account for every clone created, and no clone's stage has gone
        /// back.
        #[test]
        fn the_books_match_a_recount_after_any_legal_moves(
            moves in proptest::collection::vec((a_move(), any::<u16>()), 0..400),
        ) {
            let mut people = People::default();
            // Clones not completed (away or not), with the stage last seen, by permanent id.
            let mut line: Vec<(Slot, PersonId, Stage)> = Vec::new();
            let mut completed = 0_u64;
            for (step, pick) in moves {
                let chosen = if line.is_empty() { None } else { Some(usize::from(pick) % line.len()) };
                match (step, chosen) {
                    (Move::Create, _) | (_, None) => {
                        let slot = people.create(student(u32::from(pick)));
                        line.push((slot, people[slot].id, Stage::Student));
                    }
                    (step, Some(at)) => {
                        let slot = line[at].0;
                        let (stage, away) = (people[slot].stage(), people[slot].has(flag::AWAY));
                        match step {
                            Move::Advance(by) if !away && stage < Stage::Donor => {
                                let next = Stage::ALL[(stage as usize + by).min(Stage::Donor as usize)];
                                prop_assert_eq!(people.advance(slot, next), stage);
                            }
                            Move::RunAway if !away && matches!(stage, Stage::Veteran | Stage::Carer) => {
                                prop_assert_eq!(people.run_away(slot), stage);
                            }
                            Move::BringBack if away => {
                                prop_assert_eq!(people.bring_back(slot), stage);
                            }
                            Move::Complete if !away => {
                                people.advance(slot, Stage::Completed);
                                people.release(slot);
                                line.swap_remove(at);
                                completed += 1;
                            }
                            _ => {}
                        }
                    }
                }
                let books = people.books();
                prop_assert_eq!(people.recount(), books);
                prop_assert_eq!(books.accounted(), u64::from(people.created()));
                prop_assert_eq!(books.count(Stage::Completed), completed);
                for (slot, id, seen) in &mut line {
                    let person = &people[*slot];
                    prop_assert_eq!(person.id, *id, "a living clone keeps the slot");
                    prop_assert!(person.stage() >= *seen, "no stage goes back");
                    *seen = person.stage();
                }
            }
        }
    }

    #[test]
    fn dates_are_days_since_birth_and_fields_pack() {
        let person = Person::new(Day(1000), HomeKind::Government, BloodGroup::AB, 0);
        assert_eq!(person.offset(Day(1365)), 365);
        assert_eq!(person.day(365), Some(Day(1365)));
        assert_eq!(person.day(NO_DATE), None);
        assert_eq!(
            (person.blood_group(), person.home()),
            (BloodGroup::AB, HomeKind::Government)
        );
    }
}
