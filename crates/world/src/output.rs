//! What a run hands out: one [`PersonRecord`] per life, one [`YearRow`] per year, and a
//! [`Tally`] of raw sums and histograms at the end.
//!
//! The world fills these in model units (days, counts); it never formats or writes them. The
//! report crate turns them into figures, intervals and files.

use hailsham_engine::Day;

use crate::happening::PersonId;

/// The five organs the model tracks. Parts (a liver lobe, a lung lobe, part of a pancreas) count
/// as one organ of their kind, as a transplant does.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Organ {
    /// A kidney.
    Kidney = 0,
    /// A liver, or a lobe of one.
    Liver = 1,
    /// A heart: only ever taken at the completing donation.
    Heart = 2,
    /// A lung, or a lobe of one.
    Lung = 3,
    /// A pancreas, or part of one.
    Pancreas = 4,
}

impl Organ {
    /// Every organ, in index order.
    pub const ALL: [Organ; 5] = [
        Organ::Kidney,
        Organ::Liver,
        Organ::Heart,
        Organ::Lung,
        Organ::Pancreas,
    ];

    /// Lower-case name, for column heads.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Organ::Kidney => "kidney",
            Organ::Liver => "liver",
            Organ::Heart => "heart",
            Organ::Lung => "lung",
            Organ::Pancreas => "pancreas",
        }
    }

    /// The organ's index into per-organ arrays.
    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }
}

/// ABO blood groups (docs/model.md §12, Real figures).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum BloodGroup {
    /// Group O: gives to all.
    O = 0,
    /// Group A: gives to A and AB.
    A = 1,
    /// Group B: gives to B and AB.
    B = 2,
    /// Group AB: gives to AB only.
    AB = 3,
}

impl BloodGroup {
    /// Every group, in index order.
    pub const ALL: [BloodGroup; 4] = [BloodGroup::O, BloodGroup::A, BloodGroup::B, BloodGroup::AB];

    /// The group's name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            BloodGroup::O => "O",
            BloodGroup::A => "A",
            BloodGroup::B => "B",
            BloodGroup::AB => "AB",
        }
    }

    /// Whether an organ of this group may go to a recipient of group `recipient`.
    #[must_use]
    pub fn gives_to(self, recipient: BloodGroup) -> bool {
        matches!(
            (self, recipient),
            (BloodGroup::O, _)
                | (BloodGroup::A, BloodGroup::A | BloodGroup::AB)
                | (BloodGroup::B, BloodGroup::B | BloodGroup::AB)
                | (BloodGroup::AB, BloodGroup::AB)
        )
    }
}

/// The line of life every clone moves along; it never goes back (docs/model.md §1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Stage {
    /// Lives in a home until sixteen.
    Student = 0,
    /// Lives at a half-way house.
    Veteran = 1,
    /// Trains as, then works as, a carer.
    Carer = 2,
    /// Gives organs, recovering in a centre between donations.
    Donor = 3,
    /// Has completed: the last donation is made.
    Completed = 4,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 5] = [
        Stage::Student,
        Stage::Veteran,
        Stage::Carer,
        Stage::Donor,
        Stage::Completed,
    ];

    /// Lower-case name, for column heads.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Student => "student",
            Stage::Veteran => "veteran",
            Stage::Carer => "carer",
            Stage::Donor => "donor",
            Stage::Completed => "completed",
        }
    }
}

/// Carers' days at work, donors' days with a carer, kilometres and nights away, over some years.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CarerBooks {
    /// Carer-days at work.
    pub carer_days: u64,
    /// Donor-days with a carer.
    pub cared_donor_days: u64,
    /// Kilometres driven by carers.
    pub carer_km: f64,
    /// Nights carers spent away.
    pub carer_overnights: f64,
}

/// The kind of home a clone was raised in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum HomeKind {
    /// Hailsham itself.
    Hailsham = 0,
    /// One of the reform movement's other humane homes.
    HumaneOther = 1,
    /// A large government home.
    Government = 2,
}

impl HomeKind {
    /// Every kind, in index order.
    pub const ALL: [HomeKind; 3] = [
        HomeKind::Hailsham,
        HomeKind::HumaneOther,
        HomeKind::Government,
    ];

    /// Lower-case name, for columns.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            HomeKind::Hailsham => "hailsham",
            HomeKind::HumaneOther => "humane-other",
            HomeKind::Government => "government",
        }
    }
}

/// One donation in a life.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DonationRecord {
    /// The day of the operation.
    pub day: Day,
    /// The organ taken; at a completing donation, the heart stands for all that is taken.
    pub organ: Organ,
    /// Organs supplied by this donation (one, or everything left at the last).
    pub organs: u8,
    /// The recovery centre (a town: see [`crate::centre_names`]).
    pub centre: u8,
    /// The donor's carer that day, if any.
    pub carer: Option<PersonId>,
}

/// One life, written when it completes or when the run ends: a fold of the life's
/// announcements ([`crate::Records`]).
#[derive(Clone, Debug, PartialEq)]
pub struct PersonRecord {
    /// Permanent id, in order of creation (from 0).
    pub id: PersonId,
    /// The stage when the record was written.
    pub stage: Stage,
    /// Birth day.
    pub birth: Day,
    /// The day the clone was created into a home.
    pub created: Day,
    /// The home kind the clone was raised in (first home).
    pub home: HomeKind,
    /// Whether the clone moved to a government home when the humane homes closed.
    pub transferred: bool,
    /// The day of leaving the home, if reached.
    pub left_home: Option<Day>,
    /// Index of the half-way house (0, 1, 2 are the Hailsham houses).
    pub halfway_house: Option<u16>,
    /// The day carer training began, if ever.
    pub carer_training: Option<Day>,
    /// The day carer work began (first day a donor may be assigned), if ever.
    pub carer_start: Option<Day>,
    /// The day the carer career ended (notice to become a donor), if it did.
    pub carer_end: Option<Day>,
    /// Donors looked after, counted at assignment.
    pub donors_cared: u32,
    /// Kilometres driven as a carer.
    pub carer_km: f64,
    /// The day of becoming a donor, if reached.
    pub donor_start: Option<Day>,
    /// The recovery centre (index into [`crate::centre_names`]), if one was given.
    pub centre: Option<u8>,
    /// The donor's carer when the record was written: at completion, the carer who saw the
    /// donor through.
    pub carer: Option<PersonId>,
    /// Every carer the donor had, in order (one may come twice).
    pub carers: Vec<PersonId>,
    /// Donations made, in order.
    pub donations: Vec<DonationRecord>,
    /// The day of completion, if reached.
    pub completion: Option<Day>,
    /// Tokens held when leaving Hailsham (Hailsham only).
    pub tokens: u32,
    /// Pieces of work Madame took to the Gallery.
    pub gallery_pieces: u32,
    /// The partner, if the last couple held.
    pub partner: Option<PersonId>,
    /// Every partner, in order.
    pub partners: Vec<PersonId>,
    /// Whether the clone (with a partner) came to believe the deferral rumour.
    pub believed_rumour: bool,
    /// Whether the clone (with their partner) applied for a deferral.
    pub deferral_applied: bool,
    /// Whether a deferral was granted.
    pub deferral_granted: bool,
    /// Whether the clone went looking for a possible.
    pub possible_searched: bool,
    /// The clone's blood group.
    pub blood_group: BloodGroup,
    /// The day the clone ran away, if ever.
    pub escaped: Option<Day>,
    /// The day a clone who ran was found and brought back, if so.
    pub returned: Option<Day>,
    /// Whether the search ended in a sighting.
    pub possible_sighted: bool,
}

impl PersonRecord {
    /// The record of a clone just created into `home` on `created`.
    #[must_use]
    pub fn new(
        id: PersonId,
        home: HomeKind,
        birth: Day,
        created: Day,
        blood_group: BloodGroup,
    ) -> PersonRecord {
        PersonRecord {
            id,
            stage: Stage::Student,
            birth,
            created,
            home,
            transferred: false,
            left_home: None,
            halfway_house: None,
            carer_training: None,
            carer_start: None,
            carer_end: None,
            donors_cared: 0,
            carer_km: 0.0,
            donor_start: None,
            centre: None,
            carer: None,
            carers: Vec::new(),
            donations: Vec::new(),
            completion: None,
            tokens: 0,
            gallery_pieces: 0,
            partner: None,
            partners: Vec::new(),
            believed_rumour: false,
            deferral_applied: false,
            deferral_granted: false,
            possible_searched: false,
            blood_group,
            escaped: None,
            returned: None,
            possible_sighted: false,
        }
    }
}

/// A histogram of whole-day durations, one bin a day up to `bins`; values at or above `bins`
/// go in the last bin. Bins are made as values reach them, a year at a time, so a histogram
/// that could resolve 120 years holds only the years its values have reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Histogram {
    /// Counts by day. 32 bits are enough: validation bounds the clones a run creates below
    /// 2^28, and each is counted at most once.
    counts: Vec<u32>,
    bins: usize,
    total: u64,
}

impl Histogram {
    /// An empty histogram of up to `bins` one-day bins.
    #[must_use]
    pub fn new(bins: usize) -> Histogram {
        assert!(bins > 0);
        Histogram {
            counts: Vec::new(),
            bins,
            total: 0,
        }
    }

    /// Counts one value.
    #[inline]
    pub fn add(&mut self, days: u32) {
        let bin = (days as usize).min(self.bins - 1);
        if bin >= self.counts.len() {
            let len = (bin + 366).min(self.bins);
            self.counts.reserve_exact(len - self.counts.len());
            self.counts.resize(len, 0);
        }
        self.counts[bin] += 1;
        self.total += 1;
    }

    /// Bytes held on the heap.
    #[must_use]
    pub fn memory_bytes(&self) -> usize {
        self.counts.capacity() * 4
    }

    /// Values counted.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The `q`-quantile (0 to 1) in days, by the nearest-rank rule; `None` when empty.
    #[must_use]
    pub fn quantile(&self, q: f64) -> Option<u32> {
        if self.total == 0 {
            return None;
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0_u64;
        for (day, &count) in self.counts.iter().enumerate() {
            seen += u64::from(count);
            if seen >= rank {
                return Some(u32::try_from(day).expect("bins fit in u32"));
            }
        }
        unreachable!("rank is at most total")
    }

    /// The smallest value counted.
    #[must_use]
    pub fn min(&self) -> Option<u32> {
        self.counts
            .iter()
            .position(|&c| c > 0)
            .map(|d| u32::try_from(d).expect("bins fit"))
    }

    /// The largest value counted.
    #[must_use]
    pub fn max(&self) -> Option<u32> {
        self.counts
            .iter()
            .rposition(|&c| c > 0)
            .map(|d| u32::try_from(d).expect("bins fit"))
    }

    /// The mean in days.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn mean(&self) -> Option<f64> {
        (self.total > 0).then(|| {
            let sum: f64 = self
                .counts
                .iter()
                .enumerate()
                .map(|(d, &c)| d as f64 * f64::from(c))
                .sum();
            sum / self.total as f64
        })
    }

    /// Count of values in `[from, to)` days.
    #[must_use]
    pub fn count_between(&self, from: u32, to: u32) -> u64 {
        let to = (to as usize).min(self.counts.len());
        let from = (from as usize).min(to);
        self.counts[from..to].iter().map(|&c| u64::from(c)).sum()
    }
}

/// The state of the world in one calendar year: stocks at the year's end, flows during it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearRow {
    /// The calendar year.
    pub year: i32,
    /// Clones created into homes during the year.
    pub created: u64,
    /// Alive at the end of the year, by stage: student, veteran, carer, donor.
    pub students: u64,
    /// Veterans at half-way houses.
    pub veterans: u64,
    /// Carers (in training or at work).
    pub carers: u64,
    /// Donors.
    pub donors: u64,
    /// Completed since the start (a stock).
    pub completed_total: u64,
    /// Completions during the year.
    pub completions: u64,
    /// Students at Hailsham at the end of the year.
    pub hailsham_students: u64,
    /// Donations made during the year.
    pub donations: u64,
    /// Organs supplied during the year, by [`Organ`] index.
    pub organs_supplied: [u64; 5],
    /// Organs transplanted into a waiting patient during the year.
    pub transplants: u64,
    /// Organs supplied with nobody waiting for them.
    pub organs_unused: u64,
    /// New patients needing an organ during the year.
    pub new_patients: u64,
    /// Patients who died waiting during the year.
    pub waiting_deaths: u64,
    /// Patients waiting at the end of the year.
    pub waiting: u64,
    /// Recipients' life-years gained by the year's transplants.
    pub life_years_gained: f64,
    /// Recovery beds held at the end of the year.
    pub beds_held: u64,
    /// Recovery beds in all.
    pub beds_total: u64,
    /// Donors waiting for a bed at the end of the year.
    pub donors_waiting_for_bed: u64,
    /// Donors with no carer at the end of the year.
    pub donors_without_carer: u64,
    /// Kilometres driven by carers during the year.
    pub carer_km: f64,
    /// Nights carers spent away during the year ("overnights").
    pub carer_overnights: f64,
    /// Carer-days worked during the year (carers at work, not in training).
    pub carer_days: u64,
    /// Donor-days with a carer during the year.
    pub cared_donor_days: u64,
    /// Deferral applications during the year.
    pub deferral_applications: u64,
    /// Tokens awarded at Hailsham during the year.
    pub tokens_awarded: u64,
    /// Pieces of work taken to the Gallery during the year.
    pub gallery_pieces: u64,
    /// Clones who ran away during the year.
    pub escapes: u64,
    /// Clones away (ran and not found) at the end of the year.
    pub away: u64,
    /// Patients served by grown organs during the year.
    pub organs_grown: u64,
    /// Donations put off for want of a compatible recipient during the year.
    pub donations_postponed: u64,
    /// Outsiders who know what the clones are, at the end of the year.
    pub outsiders_knowing: f64,
    /// The same as a share of the population.
    pub outsiders_knowing_share: f64,
}

/// Raw totals of a whole run, from which the report computes the summary figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Tally {
    /// Clones created into homes.
    pub clones_created: u64,
    /// Clones alive at the end, by [`Stage`] index (the completed entry is zero).
    pub alive_by_stage: [u64; 5],
    /// Completions.
    pub completed: u64,
    /// Donations made.
    pub donations: u64,
    /// Organs supplied, by [`Organ`] index.
    pub organs_supplied: [u64; 5],
    /// Organs transplanted.
    pub transplants: u64,
    /// Organs supplied with nobody waiting.
    pub organs_unused: u64,
    /// New patients over the run.
    pub new_patients: u64,
    /// Deaths while waiting over the run.
    pub waiting_deaths: u64,
    /// New patients in the run's last full year.
    pub new_patients_final_year: u64,
    /// Transplants in the run's last full year.
    pub transplants_final_year: u64,
    /// Patients served by grown organs in the run's last full year.
    pub organs_grown_final_year: u64,
    /// Deaths while waiting in the run's last full year.
    pub waiting_deaths_final_year: u64,
    /// New patients from the day of the first clone's first donation: before it, no clone is
    /// old enough to give, and deaths then say nothing of the programme.
    pub new_patients_since_first_donation: u64,
    /// Deaths while waiting from the day of the first donation.
    pub waiting_deaths_since_first_donation: u64,
    /// Patients served by grown organs from the day of the first donation.
    pub organs_grown_since_first_donation: u64,
    /// Recipients' life-years gained.
    pub life_years_gained: f64,
    /// The clones' own life-years lost: at each completion, the life expectancy of the
    /// country's people less the age at completion.
    pub life_years_lost: f64,
    /// Age at completion, in days.
    pub completion_age_days: Histogram,
    /// Completions by the number of the completing donation (index 0 = first donation).
    pub completions_at_donation: [u64; 4],
    /// Lengths of finished carer careers (training excluded), in days.
    pub career_days: Histogram,
    /// Age at the first donation, in days.
    pub first_donation_age_days: Histogram,
    /// Clones who ran away.
    pub escapes: u64,
    /// Of those, found and brought back.
    pub escapes_found: u64,
    /// Clones away at the end (ran, never found).
    pub away: u64,
    /// Patients served by grown organs.
    pub organs_grown: u64,
    /// Donations put off for want of a compatible recipient.
    pub donations_postponed: u64,
    /// Carer-days at work.
    pub carer_days: u64,
    /// Donor-days with a carer.
    pub cared_donor_days: u64,
    /// Donor-days without a carer (after a bed was given).
    pub uncared_donor_days: u64,
    /// Kilometres driven by carers.
    pub carer_km: f64,
    /// Nights carers spent away ("overnights").
    pub carer_overnights: f64,
    /// The carers' books of the run's last ten years (or fewer, in a shorter run): the story's
    /// present, once the programme is grown, where readers meet the narrator at work.
    pub carers_last_decade: CarerBooks,
    /// Deferral applications (one per couple).
    pub deferral_applications: u64,
    /// Deferrals granted.
    pub deferrals_granted: u64,
    /// Couples formed at half-way houses.
    pub couples_formed: u64,
    /// Searches for a possible.
    pub possible_searches: u64,
    /// Searches that ended in a sighting.
    pub possible_sightings: u64,
    /// Exchanges held at Hailsham.
    pub exchanges: u64,
    /// Sales held at Hailsham.
    pub sales: u64,
    /// Tokens awarded at Hailsham.
    pub tokens_awarded: u64,
    /// Tokens spent at Exchanges.
    pub tokens_spent_exchanges: u64,
    /// Tokens spent at Sales.
    pub tokens_spent_sales: u64,
    /// Pieces taken to the Gallery.
    pub gallery_pieces: u64,
    /// Students moved to government homes when the humane homes closed.
    pub transferred: u64,
    /// Most recovery beds held at once.
    pub beds_held_max: u64,
    /// Recovery beds in all.
    pub beds_total: u64,
    /// Outsiders who know, at the end.
    pub outsiders_knowing: f64,
    /// Population, for the share who know.
    pub population: f64,
    /// Events the engine handled.
    pub events: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_by_nearest_rank() {
        let mut h = Histogram::new(100);
        assert_eq!(h.quantile(0.5), None);
        for d in [10, 20, 30, 40, 500] {
            h.add(d);
        }
        assert_eq!(h.total(), 5);
        assert_eq!(h.quantile(0.5), Some(30));
        assert_eq!(h.quantile(0.0), Some(10));
        assert_eq!(
            h.quantile(1.0),
            Some(99),
            "values past the end land in the last bin"
        );
        assert_eq!(h.min(), Some(10));
        assert_eq!(h.max(), Some(99));
        assert_eq!(h.count_between(10, 31), 3);
        assert!((h.mean().unwrap() - (10.0 + 20.0 + 30.0 + 40.0 + 99.0) / 5.0).abs() < 1e-9);
    }
}
