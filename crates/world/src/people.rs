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

    #[inline]
    pub fn set(&mut self, bit: u16, on: bool) {
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

    /// Moves the person to `next`, which must lie further along the line of life.
    ///
    /// # Panics
    /// If `next` does not come after the current stage: a stage is never left for an earlier
    /// one, and a bug that tried would corrupt every count.
    #[inline]
    pub fn advance(&mut self, next: Stage) {
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

/// The living, in reusable slots.
#[derive(Debug, Default)]
pub(crate) struct People {
    persons: Vec<Person>,
    /// Freed slots, reused last freed first.
    free: Vec<Slot>,
    next_id: u32,
    /// The rare fields of the few clones who have any, by slot. Looked up, never iterated, so
    /// the map's order cannot reach an output.
    rare: HashMap<Slot, Rare, BuildHasherDefault<MultiplyHasher>>,
}

impl People {
    /// Puts a new clone in a slot and gives them the next permanent id; returns the slot.
    pub fn insert(&mut self, mut person: Person) -> Slot {
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

    /// Frees the slot of a clone who has completed.
    pub fn release(&mut self, slot: Slot) {
        debug_assert_eq!(self[slot].stage(), Stage::Completed);
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
        let a = people.insert(Person::new(Day(0), HomeKind::Government, BloodGroup::O, 0));
        let b = people.insert(Person::new(Day(1), HomeKind::Government, BloodGroup::A, 0));
        let old = people.reference(a);
        people[a].advance(Stage::Completed);
        people.release(a);
        let c = people.insert(Person::new(Day(2), HomeKind::Hailsham, BloodGroup::B, 0));
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
