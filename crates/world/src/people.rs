//! The table of people: one compact record per clone, indexed by a dense id.
//!
//! A person's id is their index in the table, given in order of creation. Links between people
//! (a donor's carer, a partner) are ids. Absent days and links are `NONE`.

use hailsham_engine::Day;

use crate::output::{HomeKind, Organ, Stage};

/// The marker for "no day" and "no person".
pub(crate) const NONE: u32 = u32::MAX;

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
    /// Went looking for a possible.
    pub const SEARCHED: u16 = 1 << 5;
    /// Sighted someone who might be the possible.
    pub const SIGHTED: u16 = 1 << 6;
    /// A kidney was taken at a donation before the last.
    pub const KIDNEY_TAKEN: u16 = 1 << 7;
    /// A lung lobe was taken at a donation before the last.
    pub const LUNG_TAKEN: u16 = 1 << 8;
    /// Part of the pancreas was taken at a donation before the last.
    pub const PANCREAS_TAKEN: u16 = 1 << 9;
    /// Holds a recovery-centre bed.
    pub const HAS_BED: u16 = 1 << 10;
    /// Works as a carer (qualified, career not ended).
    pub const WORKING: u16 = 1 << 11;
}

/// One clone. Kept small: the table holds every clone of a run.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    pub birth: Day,
    pub created: Day,
    pub left_home: Day,
    pub carer_training: Day,
    pub carer_start: Day,
    pub carer_end: Day,
    pub donor_start: Day,
    pub completion: Day,
    /// Donation days, in order; `NONE` past `donations`.
    pub donation_days: [Day; 4],
    /// A deferral keeps donations waiting until this day.
    pub deferred_until: Day,
    /// Last day the carer's kilometres were brought up to date.
    pub km_since: Day,
    /// The donor's carer, or the carer's chunk in the caseload table.
    pub carer: u32,
    pub caseload_chunk: u32,
    pub partner: u32,
    /// Kilometres driven as a carer, up to `km_since`.
    pub km: f32,
    /// Kilometres a day at the current caseload.
    pub km_per_day: f32,
    /// Multiplies the donor's completion risks (lognormal, median 1).
    pub frailty: f32,
    /// The carer's quality, 0 to 1.
    pub quality: f32,
    pub donors_cared: u16,
    pub tokens: u16,
    pub gallery_pieces: u16,
    pub flags: u16,
    pub halfway_house: u16,
    pub stage: Stage,
    pub home: HomeKind,
    pub donations: u8,
    /// Organs of each donation, `Organ as u8`; the last completing one yields all left.
    pub donation_organs: [u8; 4],
    /// Organs supplied by the completing donation.
    pub last_yield: u8,
    pub centre: u8,
    pub town: u8,
    pub caseload: u8,
    /// Artistic talent at Hailsham, 0 to 255.
    pub talent: u8,
}

const NO_DAY: Day = Day(NONE);

impl Person {
    pub fn new(birth: Day, created: Day, home: HomeKind, frailty: f32, talent: u8) -> Person {
        Person {
            birth,
            created,
            left_home: NO_DAY,
            carer_training: NO_DAY,
            carer_start: NO_DAY,
            carer_end: NO_DAY,
            donor_start: NO_DAY,
            completion: NO_DAY,
            donation_days: [NO_DAY; 4],
            deferred_until: Day(0),
            km_since: NO_DAY,
            carer: NONE,
            caseload_chunk: NONE,
            partner: NONE,
            km: 0.0,
            km_per_day: 0.0,
            frailty,
            quality: 0.0,
            donors_cared: 0,
            tokens: 0,
            gallery_pieces: 0,
            flags: 0,
            halfway_house: u16::MAX,
            stage: Stage::Student,
            home,
            donations: 0,
            donation_organs: [u8::MAX; 4],
            last_yield: 0,
            centre: u8::MAX,
            town: u8::MAX,
            caseload: 0,
            talent,
        }
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

    /// Moves the person to `next`, which must lie further along the line of life.
    ///
    /// # Panics
    /// If `next` does not come after the current stage: a stage is never left for an earlier
    /// one, and a bug that tried would corrupt every count.
    #[inline]
    pub fn advance(&mut self, next: Stage) {
        assert!(
            next > self.stage,
            "stage may not go back or stand still: {:?} -> {next:?}",
            self.stage
        );
        self.stage = next;
    }

    pub fn organ_of(&self, donation: usize) -> Option<Organ> {
        Organ::ALL
            .get(self.donation_organs[donation] as usize)
            .copied()
    }
}

/// Whether a day field is set.
#[inline]
pub(crate) fn is_set(day: Day) -> bool {
    day != NO_DAY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_stays_small() {
        // Every clone of a run is in memory at once: keep the record compact.
        assert!(
            std::mem::size_of::<Person>() <= 112,
            "{}",
            std::mem::size_of::<Person>()
        );
    }

    #[test]
    #[should_panic(expected = "may not go back")]
    fn stages_never_go_back() {
        let mut person = Person::new(Day(0), Day(0), HomeKind::Government, 1.0, 0);
        person.advance(Stage::Donor);
        person.advance(Stage::Carer);
    }
}
