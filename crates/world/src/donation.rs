//! Donations, recovery centres and completion (docs/model.md §1, §6).
//!
//! A new donor is given a bed in a recovery centre and keeps it to the end. Donations come one
//! at a time, with recovery between them. At each, the donor may complete: the risk grows with
//! the donation's number, is multiplied by the donor's frailty, lowered by a good carer, and is
//! certain at the last (`donation.donations_max`, four in `novel`). A donation before the last
//! takes one organ a living donor can spare (a kidney, a liver lobe, a lung lobe, part of the
//! pancreas); the completing donation takes every vital organ left.

use std::collections::VecDeque;

use hailsham_engine::{DAYS_PER_YEAR, Day};

use crate::draw::{chance, gamma_stages, index, unit, whole_days};
use crate::happening::{Happening, Observer, Release};
use crate::output::{BloodGroup, Organ, Stage};
use crate::params::Params;
use crate::people::{Partner, Slot, flag};
use crate::world::{Bookings, Event, World};

/// Recovery centres: free beds per town, and donors waiting for one.
pub(crate) struct Centres {
    free: Vec<u32>,
    total: u64,
    held: u64,
    waiting: VecDeque<Slot>,
}

impl Centres {
    pub fn new(params: &Params, towns: usize) -> Centres {
        let beds = params.donation.recovery_beds_per_million * params.homes.population_millions;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let total = (beds.round() as u64).max(1);
        let towns_u64 = towns as u64;
        let free = (0..towns_u64)
            .map(|t| {
                u32::try_from(total / towns_u64 + u64::from(t < total % towns_u64))
                    .expect("beds per centre fit in u32")
            })
            .collect();
        Centres {
            free,
            total,
            held: 0,
            waiting: VecDeque::new(),
        }
    }

    /// Bytes held on the heap.
    pub fn memory_bytes(&self) -> usize {
        self.free.capacity() * 4 + self.waiting.capacity() * 4
    }

    pub fn beds_total(&self) -> u64 {
        self.total
    }

    pub fn beds_held(&self) -> u64 {
        self.held
    }

    pub fn waiting_for_bed(&self) -> u64 {
        self.waiting.len() as u64
    }
}

/// The risk of completing at donation `n` (1-based) for an average donor with no carer.
fn base_risk(params: &Params, n: u8) -> f64 {
    let donation = &params.donation;
    if i64::from(n) >= donation.donations_max {
        return 1.0;
    }
    match n {
        1 => donation.completion_risk_1,
        2 => donation.completion_risk_2,
        _ => donation.completion_risk_3,
    }
}

/// Organs of each kind an average donor supplies over all donations, for sizing cohorts: an
/// exact sum over the paths of donations (organs taken so far change what is left to take). It
/// takes the living donations at the parameters' shares; the model steers each by the waiting
/// lists, which planners cannot know years ahead.
pub(crate) fn expected_yield_per_donor(params: &Params) -> [f64; 5] {
    fn add_vital(yields: &mut [f64; 5], taken: u16, probability: f64) {
        for organ in vital_organs_left(taken) {
            yields[organ.index()] += probability;
        }
    }
    fn walk(params: &Params, n: u8, taken: u16, probability: f64, yields: &mut [f64; 5]) {
        let risk = base_risk(params, n);
        if risk >= 1.0 {
            add_vital(yields, taken, probability);
            return;
        }
        let during = params.donation.on_table_share;
        let weights = living_weights(params, taken);
        let sum: f64 = weights.iter().map(|(_, w)| w).sum();
        if sum <= 0.0 {
            // Nothing a living donor can give: the next donation is the last.
            add_vital(yields, taken, probability);
            return;
        }
        for &(bit, weight) in &weights {
            if weight <= 0.0 {
                continue;
            }
            let branch = probability * weight / sum;
            // Fatal during the operation: every vital organ left, this one among them.
            add_vital(yields, taken, branch * risk * during);
            // Fatal in the recovery after it: this organ, then every vital organ left.
            let after = branch * risk * (1.0 - during);
            yields[organ_of_bit(bit).index()] += branch * (1.0 - risk) + after;
            add_vital(yields, taken | bit, after);
            walk(params, n + 1, taken | bit, branch * (1.0 - risk), yields);
        }
    }
    let mut yields = [0.0; 5];
    walk(params, 1, 0, 1.0, &mut yields);
    yields
}

/// The organs the completing donation yields, given what was taken before: the heart, the
/// liver, the lungs (counted as one), the kidneys left and the pancreas if left. An iterator,
/// not a vector: it runs at every completion and every matching check.
fn vital_organs_left(taken: u16) -> impl Iterator<Item = Organ> {
    let second_kidney = taken & flag::KIDNEY_TAKEN == 0;
    let pancreas = taken & flag::PANCREAS_TAKEN == 0;
    [Organ::Heart, Organ::Liver, Organ::Lung, Organ::Kidney]
        .into_iter()
        .chain(second_kidney.then_some(Organ::Kidney))
        .chain(pancreas.then_some(Organ::Pancreas))
}

/// What a donation before the last may take, with weights: a living donor can spare one
/// kidney, one lung lobe and part of the pancreas once; a liver lobe regrows.
fn living_weights(params: &Params, taken: u16) -> [(u16, f64); 4] {
    let donation = &params.donation;
    let open = |bit: u16, weight: f64| if taken & bit == 0 { weight } else { 0.0 };
    [
        (
            flag::KIDNEY_TAKEN,
            open(flag::KIDNEY_TAKEN, donation.living_share_kidney),
        ),
        (0, donation.living_share_liver),
        (
            flag::LUNG_TAKEN,
            open(flag::LUNG_TAKEN, donation.living_share_lung),
        ),
        (
            flag::PANCREAS_TAKEN,
            open(flag::PANCREAS_TAKEN, donation.living_share_pancreas),
        ),
    ]
}

fn organ_of_bit(bit: u16) -> Organ {
    match bit {
        flag::KIDNEY_TAKEN => Organ::Kidney,
        flag::LUNG_TAKEN => Organ::Lung,
        flag::PANCREAS_TAKEN => Organ::Pancreas,
        _ => Organ::Liver,
    }
}

/// What a donation takes, settled before the operation from what the sick wait for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Taking {
    /// A donation before the last: one organ a living donor can spare, by its `flag` bit (0 for
    /// a liver lobe). Should the donor complete on the table, every vital organ left is taken.
    Living(u16),
    /// The last donation: every vital organ left.
    Vital,
}

/// How a donation ends for the donor.
#[derive(Clone, Copy, Debug)]
struct Completion {
    /// The donor completes: on the table, or in the recovery after.
    completing: bool,
    /// The donor completes on the table (the heart taken last, the same day).
    during_operation: bool,
}

pub(crate) const TAKEN_MASK: u16 = flag::KIDNEY_TAKEN | flag::LUNG_TAKEN | flag::PANCREAS_TAKEN;

impl<O: Observer> World<O> {
    /// The donor stage begins: the donor asks for a bed.
    pub(crate) fn become_donor(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        let person = self.people[id].id;
        self.advance(now, id, Stage::Donor);
        self.announce(now, Happening::BecameDonor { person });
        let towns = self.centres.free.len();
        let start = index(&mut self.rng.donation, towns);
        match (0..towns)
            .map(|k| (start + k) % towns)
            .find(|&t| self.centres.free[t] > 0)
        {
            Some(centre) => self.take_bed(now, id, centre, schedule),
            None => {
                self.centres.waiting.push_back(id);
                self.announce(now, Happening::WaitingForBed { person });
            }
        }
    }

    fn take_bed(&mut self, now: Day, id: Slot, centre: usize, schedule: &mut Bookings<'_>) {
        self.centres.free[centre] -= 1;
        self.centres.held += 1;
        let person = &mut self.people[id];
        let centre = u8::try_from(centre).expect("towns fit in u8");
        person.centre = centre;
        person.set(flag::HAS_BED, true);
        let person = person.id;
        let beds_held = self.centres.held;
        self.announce(
            now,
            Happening::BedTaken {
                person,
                centre,
                beds_held,
            },
        );
        self.flows.donors_uncared.add(now, 1.0);
        self.find_carer(now, id);
        let wait = whole_days(self.spread_wait(self.params.donation.first_donation_days_mean));
        schedule.at(now.plus(wait), Event::Donation(id));
        if self.params.deferral.apply_at_donation == 0 {
            self.consider_deferral(now, id);
        }
    }

    /// A donor's donation: unless a deferral puts it off, or nobody waits for what it would
    /// take, the organs are taken and supplied, and the donor completes or recovers.
    pub(crate) fn donation(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        debug_assert_eq!(self.people[id].stage(), Stage::Donor);
        debug_assert!(self.people[id].has(flag::HAS_BED));
        if let Some(until) = self.deferred_until(id).filter(|&until| now < until) {
            schedule.at(until, Event::Donation(id));
            return;
        }
        let person = &self.people[id];
        let n = person.donations() + 1;
        assert!(
            i64::from(n) <= self.params.donation.donations_max,
            "no donor exceeds the maximum of donations"
        );
        let last = i64::from(n) == self.params.donation.donations_max;
        let taken = person.flags & TAKEN_MASK;
        let group = person.blood_group();
        // What the operation takes is settled before it happens, from what the sick wait for.
        // An operation nobody waits for is put off, and the risk is drawn only for operations
        // that happen, so waiting never changes the odds.
        let Some(taking) = self.plan_taking(last, taken, group) else {
            return self.postpone(now, id, n, schedule);
        };
        let completion = self.draw_completion(id, n, last);
        let (organ, organs) = self.organs_taken(taking, completion.during_operation, taken, group);
        let person = &self.people[id];
        let donor = person.id;
        let donation = Happening::Donation {
            person: donor,
            number: n,
            organ,
            organs,
            centre: person.centre,
            carer: person.carer().map(|carer| self.people[carer].id),
            completing: completion.completing,
            age_days: now.since(person.birth()),
        };
        self.announce(now, donation);
        self.people[id].set_donations(n);
        if completion.during_operation {
            self.supply_vital_organs(now, id, taken);
            self.complete_now(now, id, true, schedule);
            return;
        }
        let Taking::Living(bit) = taking else {
            unreachable!("the last donation completes during the operation");
        };
        self.supply_one(now, donor, organ_of_bit(bit), group);
        self.people[id].flags |= bit;
        self.recover(now, id, n, completion.completing, schedule);
    }

    /// The day a granted deferral puts the donor's donations off until, if any. Only a clone
    /// granted a deferral has a day to wait for: the flag spares the others a lookup beside the
    /// table.
    fn deferred_until(&self, id: Slot) -> Option<Day> {
        let person = &self.people[id];
        if person.has(flag::GRANTED) {
            person.day(self.people.rare(id).deferred_until)
        } else {
            None
        }
    }

    /// What a donation will take, or `None` if nobody (compatible) waits for any of it: before
    /// the last, one organ a living donor can spare, steered by the waiting lists (a draw); at
    /// the last, every vital organ left.
    fn plan_taking(&mut self, last: bool, taken: u16, group: BloodGroup) -> Option<Taking> {
        if last {
            (self.wanted_vital_organs(taken, group) > 0).then_some(Taking::Vital)
        } else {
            self.choose_living_organ(taken, group).map(Taking::Living)
        }
    }

    /// Whether donation number `n` completes the donor, and if so whether on the table: the
    /// base risk for the number, times frailty, less the carer's effect; certain at the last.
    fn draw_completion(&mut self, id: Slot, n: u8, last: bool) -> Completion {
        let risk = base_risk(&self.params, n)
            * self.nature.frailty(self.lineage_key(id))
            * (1.0 - self.params.care.quality_effect * self.carer_quality(id));
        let completing = last || chance(&mut self.rng.donation, risk);
        // The heart is taken last, and completion is the same day: at the last donation, or when
        // an earlier one proves fatal on the table. A donor who completes in the recovery after
        // an earlier one gives the rest on the day of completion.
        let during_operation = completing
            && (last || chance(&mut self.rng.donation, self.params.donation.on_table_share));
        Completion {
            completing,
            during_operation,
        }
    }

    /// The organ a donation is announced with, and how many it takes: the planned living organ,
    /// or, when the donor completes on the table, every vital organ left that someone
    /// compatible waits for, named by the first of them (the heart if none).
    fn organs_taken(
        &self,
        taking: Taking,
        during_operation: bool,
        taken: u16,
        group: BloodGroup,
    ) -> (Organ, u8) {
        match taking {
            Taking::Living(bit) if !during_operation => (organ_of_bit(bit), 1),
            Taking::Living(_) | Taking::Vital => {
                let wanted = self.wanted_vital_organs(taken, group);
                let first = vital_organs_left(taken)
                    .find(|&organ| self.demand.someone_compatible_waits(organ, group))
                    .unwrap_or(Organ::Heart);
                (first, wanted)
            }
        }
    }

    /// After a donation the donor lived through: one who will complete in the recovery does so
    /// within its first days; anyone else donates again after the recovery and a spread wait,
    /// and a believing couple may ask for a deferral at the set number.
    fn recover(
        &mut self,
        now: Day,
        id: Slot,
        n: u8,
        completing: bool,
        schedule: &mut Bookings<'_>,
    ) {
        if completing {
            let recovery = whole_days(self.params.donation.recovery_days_min).max(1);
            let after = 1 + u32::try_from(index(&mut self.rng.donation, recovery as usize))
                .expect("< recovery");
            schedule.at(now.plus(after), Event::Complete(id));
            return;
        }
        let donation = &self.params.donation;
        let (recovery, beyond) = (
            donation.recovery_days_min,
            donation.interval_days_mean - donation.recovery_days_min,
        );
        let gap = whole_days(recovery + self.spread_wait(beyond)).max(1);
        schedule.at(now.plus(gap), Event::Donation(id));
        if i64::from(n) == self.params.deferral.apply_at_donation {
            self.consider_deferral(now, id);
        }
    }

    /// A wait of `mean` days, the sum of `donation.interval_stages` exponential waits: spread,
    /// but without the exponential's tail of waits many times the mean.
    fn spread_wait(&mut self, mean: f64) -> f64 {
        let stages = u32::try_from(self.params.donation.interval_stages).expect("range checked");
        gamma_stages(&mut self.rng.donation, stages, mean)
    }

    /// Puts a donation off: nobody who could take what it would take is waiting.
    fn postpone(&mut self, now: Day, id: Slot, number: u8, schedule: &mut Bookings<'_>) {
        let person = self.people[id].id;
        self.announce(now, Happening::DonationPostponed { person, number });
        schedule.at(
            now.plus(whole_days(self.params.donation.retry_days).max(1)),
            Event::Donation(id),
        );
    }

    /// How many of the vital organs left someone compatible waits for.
    fn wanted_vital_organs(&self, taken: u16, group: BloodGroup) -> u8 {
        let wanted = vital_organs_left(taken)
            .filter(|&organ| self.demand.someone_compatible_waits(organ, group))
            .count();
        u8::try_from(wanted).expect("at most six organs")
    }

    /// Supplies every vital organ left that someone waits for; the rest are not taken.
    fn supply_vital_organs(&mut self, now: Day, id: Slot, taken: u16) {
        let (donor, group) = (self.people[id].id, self.people[id].blood_group());
        for organ in vital_organs_left(taken) {
            if self.demand.someone_compatible_waits(organ, group) {
                self.supply_one(now, donor, organ, group);
            }
        }
    }

    /// Chooses the organ a donation before the last takes (its `flag` bit; 0 for a liver lobe):
    /// among those a living donor can still spare, in proportion to the parameter's share times
    /// the patients who could take it. `None` if nobody waits for any of them.
    fn choose_living_organ(&mut self, taken: u16, group: BloodGroup) -> Option<u16> {
        let mut weights = living_weights(&self.params, taken);
        for (bit, weight) in &mut weights {
            #[allow(clippy::cast_precision_loss)]
            let waiting = self.demand.compatible_waiting(organ_of_bit(*bit), group) as f64;
            *weight *= waiting;
        }
        let sum: f64 = weights.iter().map(|(_, w)| w).sum();
        if sum <= 0.0 {
            return None;
        }
        let mut pick = unit(&mut self.rng.donation) * sum;
        for &(bit, weight) in &weights {
            if pick < weight {
                return Some(bit);
            }
            pick -= weight;
        }
        weights
            .iter()
            .rev()
            .find(|(_, w)| *w > 0.0)
            .map(|&(bit, _)| bit)
    }

    /// The donor completes in the recovery after the completing donation. The rest is taken that
    /// day, the heart last.
    pub(crate) fn complete(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        let taken = self.people[id].flags & TAKEN_MASK;
        self.supply_vital_organs(now, id, taken);
        self.complete_now(now, id, false, schedule);
    }

    /// The donor completes (during the operation, or after it): leaves care, gives the bed
    /// back, and the partner keeps this life's permanent id.
    fn complete_now(
        &mut self,
        now: Day,
        id: Slot,
        during_operation: bool,
        schedule: &mut Bookings<'_>,
    ) {
        let carer = self.people[id].carer().map(|carer| self.people[carer].id);
        self.leave_care(now, id, Release::Completion);
        let person = &mut self.people[id];
        let centre = person.centre;
        person.set(flag::HAS_BED, false);
        let completed = Happening::Completed {
            person: person.id,
            number: person.donations(),
            during_operation,
            centre,
            carer,
            age_days: now.since(person.birth()),
            life_years_lost: (self.params.society.life_expectancy_years
                - f64::from(now.since(person.birth())) / DAYS_PER_YEAR)
                .max(0.0),
        };
        let partner = person.living_partner();
        self.advance(now, id, Stage::Completed);
        self.announce(now, completed);
        // The partner keeps this life's permanent id, not the slot, which is freed below; and
        // before the bed is handed on, since the donor waiting for it may be the partner, who
        // would otherwise ask for a deferral with one who has completed.
        if let Some(partner) = partner {
            let completed_id = self.people[id].id;
            self.people[partner].set_partner(Partner::Completed(completed_id));
        }
        self.centres.free[usize::from(centre)] += 1;
        self.centres.held -= 1;
        // The freed bed goes to the first donor waiting for one.
        if let Some(next) = self.centres.waiting.pop_front() {
            self.take_bed(now, next, usize::from(centre), schedule);
        }
        // The slot is freed last, once nothing reads it (a clone who once ran keeps it).
        self.people.release(id);
    }
}
