//! Turning a person into the record of their life.

use hailsham_engine::Day;

use crate::output::{DonationRecord, Organ, PersonRecord};
use crate::people::{NONE, Person, flag, is_set};
use crate::world::World;

fn day(day: Day) -> Option<Day> {
    is_set(day).then_some(day)
}

impl World {
    /// The record of person `id` as it stands now.
    pub(crate) fn record(&self, id: u32) -> PersonRecord {
        let p: &Person = &self.people[id as usize];
        let now = self.people[id as usize].completion;
        let km_until = if is_set(now) {
            now
        } else {
            Day(self.calendar.year_start(self.year.year).0)
        };
        let donations = (0..usize::from(p.donations))
            .map(|i| {
                let organ = p.organ_of(i).unwrap_or(Organ::Heart);
                let last = i + 1 == usize::from(p.donations) && is_set(p.completion);
                DonationRecord {
                    day: p.donation_days[i],
                    organ,
                    organs: if last { p.last_yield } else { 1 },
                }
            })
            .collect();
        PersonRecord {
            id,
            stage: p.stage,
            birth: p.birth,
            created: p.created,
            home: p.home,
            transferred: p.has(flag::TRANSFERRED),
            left_home: day(p.left_home),
            halfway_house: (p.halfway_house != u16::MAX).then_some(p.halfway_house),
            carer_training: day(p.carer_training),
            carer_start: day(p.carer_start),
            carer_end: day(p.carer_end),
            donors_cared: u32::from(p.donors_cared),
            carer_km: self.carer_km(km_until, id),
            donor_start: day(p.donor_start),
            centre: (p.centre != u8::MAX).then_some(p.centre),
            carer: (p.carer != NONE).then_some(p.carer),
            donations,
            completion: day(p.completion),
            tokens: u32::from(p.tokens),
            gallery_pieces: u32::from(p.gallery_pieces),
            partner: (p.partner != NONE).then_some(p.partner),
            deferral_applied: p.has(flag::APPLIED),
            deferral_granted: p.has(flag::GRANTED),
            possible_searched: p.has(flag::SEARCHED),
            possible_sighted: p.has(flag::SIGHTED),
        }
    }
}
