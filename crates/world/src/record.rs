//! Turning a person into the record of their life.

use hailsham_engine::Day;

use crate::donation::{TAKEN_MASK, completion_yield};
use crate::output::{DonationRecord, PersonRecord, Stage};
use crate::people::{NONE, Rare, flag};
use crate::world::World;

/// The day the clone ran: the booked escape day, or (for one away for good, whose booking is
/// cleared once the record is written) the day the record is written, which is that day.
fn escaped_day(p: &crate::people::Person, rare: Rare, now: Day) -> Option<Day> {
    p.day(rare.escape_day).or(Some(now))
}

impl World {
    /// The record of the clone in `slot` as it stands on `now` (their completion, or the end
    /// of the run). Dates the table does not keep are derived: creation and leaving the home
    /// from birth, the first day at work from training, a career's end from the donor stage.
    pub(crate) fn record(&self, slot: u32, now: Day) -> PersonRecord {
        let p = &self.people[slot];
        let rare = self.people.rare(slot);
        let completed = p.stage() == Stage::Completed;
        let donations = (0..usize::from(p.donations()))
            .map(|i| {
                let last = i + 1 == usize::from(p.donations()) && completed;
                DonationRecord {
                    day: p.day(p.donation_days[i]).expect("made donations have days"),
                    organ: p.organ_of(i),
                    organs: if last {
                        completion_yield(p.flags & TAKEN_MASK)
                    } else {
                        1
                    },
                }
            })
            .collect();
        let carer_training = p.day(p.carer_training);
        let donor_start = p.day(p.donor_start);
        let carer_start = carer_training
            .filter(|_| p.has(flag::QUALIFIED))
            .map(|d| d.plus(self.homes.training_days));
        let partner = match p.partner {
            NONE => None,
            partner if p.has(flag::PARTNER_GONE) => Some(partner),
            partner => Some(self.people[partner].id),
        };
        PersonRecord {
            id: p.id,
            stage: p.stage(),
            birth: p.birth(),
            created: p.birth().plus(self.homes.entry_days),
            home: p.home(),
            transferred: p.has(flag::TRANSFERRED),
            // A child donor leaves the home for a centre before the leaving age.
            left_home: (p.stage() > Stage::Student).then(|| {
                p.birth()
                    .plus(self.homes.leave_days)
                    .min(donor_start.unwrap_or(Day(u32::MAX)))
            }),
            halfway_house: (p.halfway_house != u16::MAX).then_some(p.halfway_house),
            carer_training,
            carer_start,
            carer_end: carer_start.and(donor_start),
            donors_cared: u32::from(p.donors_cared),
            carer_km: self.carer_km(now, slot),
            donor_start,
            centre: (p.centre != u8::MAX).then_some(p.centre),
            carer: (!completed && p.stage() == Stage::Donor && p.link != NONE)
                .then(|| self.people[p.link].id),
            donations,
            completion: completed.then_some(now),
            tokens: u32::from(rare.tokens),
            gallery_pieces: u32::from(rare.gallery_pieces),
            partner,
            deferral_applied: p.has(flag::APPLIED),
            deferral_granted: p.has(flag::GRANTED),
            possible_searched: p.has(flag::SEARCHED),
            possible_sighted: p.has(flag::SIGHTED),
            blood_group: p.blood_group(),
            escaped: p
                .has(flag::ESCAPED)
                .then(|| escaped_day(p, rare, now))
                .flatten(),
            // A clone brought back becomes a donor that day.
            returned: (p.has(flag::ESCAPED) && !p.has(flag::AWAY))
                .then_some(donor_start)
                .flatten(),
        }
    }
}
