//! The standard observers: the yearly series, the run's tally and the person records, each one
//! fold over the announcements (see [`crate::happening`]). They read what the model announces
//! and nothing else; the model never reads them. Adding a figure is a field and a line here.

use std::collections::VecDeque;

use hailsham_engine::Day;

use crate::happening::{Census, Happening, Observer, PersonId, Release};
use crate::output::{CarerBooks, DonationRecord, Histogram, PersonRecord, Stage, Tally, YearRow};

/// Years in a decade: the carers' figures of the story's present are of the run's last ten.
const YEARS_IN_A_DECADE: usize = 10;

/// Longest age or career the histograms resolve, in days (120 years); longer goes in the last bin.
const HISTOGRAM_DAYS: usize = 43_830;

/// The yearly series: one [`YearRow`] per year, counted from the year's announcements and
/// completed by the census that closes it.
#[derive(Clone, Debug, Default)]
pub struct Series {
    year: YearRow,
    rows: Vec<YearRow>,
}

impl Series {
    /// The rows of the years closed so far.
    #[must_use]
    pub fn rows(&self) -> &[YearRow] {
        &self.rows
    }

    /// The rows, taken.
    #[must_use]
    pub fn into_rows(self) -> Vec<YearRow> {
        self.rows
    }
}

impl Observer for Series {
    #[inline]
    fn observe(&mut self, _day: Day, happening: &Happening) {
        use Happening as H;
        let row = &mut self.year;
        match happening {
            H::Created { .. } => row.created += 1,
            H::Completed { .. } => row.completions += 1,
            H::Donation { .. } => row.donations += 1,
            H::OrganSupplied {
                organ,
                transplanted,
                life_years,
                ..
            } => {
                row.organs_supplied[organ.index()] += 1;
                if *transplanted {
                    row.transplants += 1;
                    row.life_years_gained += life_years;
                } else {
                    row.organs_unused += 1;
                }
            }
            H::Patients {
                arrivals,
                deaths,
                grown,
                life_years_grown,
                ..
            } => {
                row.new_patients += arrivals;
                if *grown > 0 {
                    row.organs_grown += grown;
                    row.life_years_gained += life_years_grown;
                }
                row.waiting_deaths += deaths;
            }
            H::DeferralAsked { .. } => row.deferral_applications += 1,
            H::Exchange { tokens_awarded, .. } => row.tokens_awarded += tokens_awarded,
            H::GalleryPiece { .. } => row.gallery_pieces += 1,
            H::Escaped { .. } => row.escapes += 1,
            H::DonationPostponed { .. } => row.donations_postponed += 1,
            H::YearEnded(census) => self.close_year(census),
            _ => {}
        }
    }
}

impl Series {
    /// The census completes the year's row with the state at its end, and the row is kept.
    fn close_year(&mut self, census: &Census) {
        let row = &mut self.year;
        let stage = |stage: Stage| census.by_stage[stage as usize];
        row.year = census.year;
        row.students = stage(Stage::Student);
        row.veterans = stage(Stage::Veteran);
        row.carers = stage(Stage::Carer);
        row.donors = stage(Stage::Donor);
        row.completed_total = stage(Stage::Completed);
        row.hailsham_students = census.hailsham_students;
        row.waiting = census.waiting;
        row.beds_held = census.beds_held;
        row.beds_total = census.beds_total;
        row.donors_waiting_for_bed = census.donors_waiting_for_bed;
        row.donors_without_carer = census.donors_without_carer;
        row.away = census.away;
        row.carer_km = census.carer_km;
        row.carer_overnights = census.carer_overnights;
        row.carer_days = census.carer_days;
        row.cared_donor_days = census.cared_donor_days;
        row.outsiders_knowing = census.outsiders_knowing;
        row.outsiders_knowing_share = census.outsiders_knowing / census.population;
        self.rows.push(std::mem::take(row));
    }
}

/// The run's totals, folded from every announcement.
#[derive(Clone, Debug)]
pub struct TallyFold {
    tally: Tally,
    /// New patients and transplants of the year being run, for the final year's figures.
    year_new_patients: u64,
    year_transplants: u64,
    year_grown: u64,
    year_deaths: u64,
    /// The carers' books of the last ten years, a year each.
    carer_years: VecDeque<CarerBooks>,
    /// Whether a clone has donated yet.
    donating: bool,
}

impl Default for TallyFold {
    fn default() -> TallyFold {
        TallyFold {
            tally: Tally {
                clones_created: 0,
                alive_by_stage: [0; 5],
                completed: 0,
                donations: 0,
                organs_supplied: [0; 5],
                transplants: 0,
                organs_unused: 0,
                new_patients: 0,
                waiting_deaths: 0,
                new_patients_final_year: 0,
                transplants_final_year: 0,
                organs_grown_final_year: 0,
                waiting_deaths_final_year: 0,
                new_patients_since_first_donation: 0,
                waiting_deaths_since_first_donation: 0,
                organs_grown_since_first_donation: 0,
                life_years_gained: 0.0,
                life_years_lost: 0.0,
                completion_age_days: Histogram::new(HISTOGRAM_DAYS),
                completions_at_donation: [0; 4],
                career_days: Histogram::new(HISTOGRAM_DAYS),
                first_donation_age_days: Histogram::new(HISTOGRAM_DAYS),
                escapes: 0,
                escapes_found: 0,
                away: 0,
                organs_grown: 0,
                donations_postponed: 0,
                carer_days: 0,
                cared_donor_days: 0,
                uncared_donor_days: 0,
                carer_km: 0.0,
                carer_overnights: 0.0,
                carers_last_decade: CarerBooks::default(),
                deferral_applications: 0,
                deferrals_granted: 0,
                couples_formed: 0,
                possible_searches: 0,
                possible_sightings: 0,
                exchanges: 0,
                sales: 0,
                tokens_awarded: 0,
                tokens_spent_exchanges: 0,
                tokens_spent_sales: 0,
                gallery_pieces: 0,
                transferred: 0,
                beds_held_max: 0,
                beds_total: 0,
                outsiders_knowing: 0.0,
                population: 0.0,
                events: 0,
            },
            year_new_patients: 0,
            year_transplants: 0,
            year_grown: 0,
            year_deaths: 0,
            donating: false,
            carer_years: VecDeque::new(),
        }
    }
}

impl TallyFold {
    /// The totals so far.
    #[must_use]
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// The totals, taken.
    #[must_use]
    pub fn into_tally(self) -> Tally {
        self.tally
    }

    /// Bytes held on the heap (the histograms).
    #[must_use]
    pub fn memory_bytes(&self) -> usize {
        self.tally.completion_age_days.memory_bytes()
            + self.tally.career_days.memory_bytes()
            + self.tally.first_donation_age_days.memory_bytes()
    }
}

impl Observer for TallyFold {
    #[inline]
    fn observe(&mut self, _day: Day, happening: &Happening) {
        use Happening as H;
        let tally = &mut self.tally;
        match happening {
            H::Created { .. } => tally.clones_created += 1,
            H::Transferred { .. } => tally.transferred += 1,
            H::Exchange {
                tokens_awarded,
                tokens_spent,
                ..
            } => {
                tally.exchanges += 1;
                tally.tokens_awarded += tokens_awarded;
                tally.tokens_spent_exchanges += tokens_spent;
            }
            H::Sale { tokens_spent } => {
                tally.sales += 1;
                tally.tokens_spent_sales += tokens_spent;
            }
            H::GalleryPiece { .. } => tally.gallery_pieces += 1,
            H::PossibleSearched { sighted, .. } => {
                tally.possible_searches += 1;
                tally.possible_sightings += u64::from(*sighted);
            }
            H::CoupleFormed { .. } => tally.couples_formed += 1,
            H::CareerEnded {
                career_days,
                why: Release::Notice,
                ..
            } => tally.career_days.add(*career_days),
            H::BedTaken { beds_held, .. } => {
                tally.beds_held_max = tally.beds_held_max.max(*beds_held)
            }
            H::DonationPostponed { .. } => tally.donations_postponed += 1,
            H::Donation {
                number, age_days, ..
            } => {
                self.donating = true;
                tally.donations += 1;
                if *number == 1 {
                    tally.first_donation_age_days.add(*age_days);
                }
            }
            H::OrganSupplied {
                organ,
                transplanted,
                life_years,
                ..
            } => {
                tally.organs_supplied[organ.index()] += 1;
                if *transplanted {
                    tally.transplants += 1;
                    self.year_transplants += 1;
                    tally.life_years_gained += life_years;
                } else {
                    tally.organs_unused += 1;
                }
            }
            H::Completed {
                number,
                age_days,
                life_years_lost,
                ..
            } => {
                tally.life_years_lost += life_years_lost;
                tally.completion_age_days.add(*age_days);
                tally.completions_at_donation[usize::from(*number) - 1] += 1;
            }
            H::DeferralAsked { granted, .. } => {
                tally.deferral_applications += 1;
                tally.deferrals_granted += u64::from(*granted);
            }
            H::Escaped { .. } => tally.escapes += 1,
            H::Found { .. } => tally.escapes_found += 1,
            H::Patients {
                arrivals,
                deaths,
                grown,
                life_years_grown,
                ..
            } => self.patients(*arrivals, *deaths, *grown, *life_years_grown),
            H::YearEnded(census) => self.close_year(census),
            _ => {}
        }
    }
}

impl TallyFold {
    /// A day's new patients and deaths on one organ's list: the run's totals, the year's, and
    /// those since the first donation.
    fn patients(&mut self, arrivals: u64, deaths: u64, grown: u64, life_years_grown: f64) {
        let tally = &mut self.tally;
        tally.new_patients += arrivals;
        self.year_new_patients += arrivals;
        self.year_grown += grown;
        self.year_deaths += deaths;
        if grown > 0 {
            tally.organs_grown += grown;
            tally.life_years_gained += life_years_grown;
        }
        tally.waiting_deaths += deaths;
        if self.donating {
            tally.new_patients_since_first_donation += arrivals;
            tally.waiting_deaths_since_first_donation += deaths;
            tally.organs_grown_since_first_donation += grown;
        }
    }

    /// The census closes a year: the year's flows join the run's, the carers' books of the
    /// last ten years move on a year, the year's figures become the final year's, and the state
    /// at the year's end is the state at the run's end until the next census.
    fn close_year(&mut self, census: &Census) {
        let tally = &mut self.tally;
        tally.uncared_donor_days += census.uncared_donor_days;
        tally.carer_days += census.carer_days;
        tally.cared_donor_days += census.cared_donor_days;
        tally.carer_km += census.carer_km;
        tally.carer_overnights += census.carer_overnights;
        if self.carer_years.len() == YEARS_IN_A_DECADE {
            self.carer_years.pop_front();
        }
        self.carer_years.push_back(CarerBooks {
            carer_days: census.carer_days,
            cared_donor_days: census.cared_donor_days,
            carer_km: census.carer_km,
            carer_overnights: census.carer_overnights,
        });
        tally.carers_last_decade =
            self.carer_years
                .iter()
                .fold(CarerBooks::default(), |sum, year| CarerBooks {
                    carer_days: sum.carer_days + year.carer_days,
                    cared_donor_days: sum.cared_donor_days + year.cared_donor_days,
                    carer_km: sum.carer_km + year.carer_km,
                    carer_overnights: sum.carer_overnights + year.carer_overnights,
                });
        tally.new_patients_final_year = std::mem::take(&mut self.year_new_patients);
        tally.transplants_final_year = std::mem::take(&mut self.year_transplants);
        tally.organs_grown_final_year = std::mem::take(&mut self.year_grown);
        tally.waiting_deaths_final_year = std::mem::take(&mut self.year_deaths);
        tally.alive_by_stage = census.by_stage;
        tally.alive_by_stage[Stage::Completed as usize] = 0;
        tally.completed = census.by_stage[Stage::Completed as usize];
        tally.away = census.away;
        tally.outsiders_knowing = census.outsiders_knowing;
        tally.beds_total = census.beds_total;
        tally.population = census.population;
    }
}

/// One [`PersonRecord`] per life, built from the life's announcements and handed out when the
/// life completes or the run ends (drain them with [`Records::drain`]).
#[derive(Debug, Default)]
pub struct Records {
    /// Lives in progress.
    drafts: Drafts,
    /// Lives written, waiting to be handed out.
    finished: Vec<PersonRecord>,
}

impl Records {
    /// The records of lives finished since the last drain, in the order they finished.
    pub fn drain(&mut self) -> std::vec::Drain<'_, PersonRecord> {
        self.finished.drain(..)
    }

    /// Lives in progress.
    #[must_use]
    pub fn in_progress(&self) -> usize {
        self.drafts.len()
    }

    fn draft(&mut self, person: PersonId) -> &mut PersonRecord {
        self.drafts
            .get_mut(person)
            .expect("every life's first announcement is its creation")
    }

    fn finish(&mut self, person: PersonId) {
        let record = self.drafts.remove(person).expect("a life is finished once");
        self.finished.push(record);
    }
}

/// Lives in progress, by id: a window of ids from the oldest life still in progress to the
/// newest, since ids are given out in order and lives mostly end in the order they began.
/// Indexing the window replaces a hash table that, at world scale, spent most of the fold's
/// time probing and rehashing (docs in BENCHMARKS.md); the cost is a slot for each life that
/// ended out of turn inside the window.
#[derive(Debug, Default)]
struct Drafts {
    window: VecDeque<Option<PersonRecord>>,
    /// The id of the window's first slot.
    first: u32,
    /// Slots that hold a life.
    live: usize,
}

impl Drafts {
    fn len(&self) -> usize {
        self.live
    }

    /// The slot of `id`, if the window covers it.
    fn index(&self, id: PersonId) -> Option<usize> {
        let offset = usize::try_from(id.0.checked_sub(self.first)?).ok()?;
        (offset < self.window.len()).then_some(offset)
    }

    /// Adds a life; returns the one that held its id, if any (never, ids are not reused).
    fn insert(&mut self, id: PersonId, record: PersonRecord) -> Option<PersonRecord> {
        if self.window.is_empty() {
            self.first = id.0;
        }
        // An id below the window (created out of order) widens it at the front.
        while id.0 < self.first {
            self.window.push_front(None);
            self.first -= 1;
        }
        let offset = (id.0 - self.first) as usize;
        while self.window.len() <= offset {
            // Grown by an eighth, not doubled: at world scale the window is gigabytes.
            if self.window.len() == self.window.capacity() {
                self.window
                    .reserve_exact((self.window.capacity() / 8).max(1024));
            }
            self.window.push_back(None);
        }
        let previous = self.window[offset].replace(record);
        if previous.is_none() {
            self.live += 1;
        }
        previous
    }

    fn get_mut(&mut self, id: PersonId) -> Option<&mut PersonRecord> {
        let index = self.index(id)?;
        self.window[index].as_mut()
    }

    /// Takes a life out; the window then drops the ended lives at its front.
    fn remove(&mut self, id: PersonId) -> Option<PersonRecord> {
        let index = self.index(id)?;
        let record = self.window[index].take()?;
        self.live -= 1;
        while matches!(self.window.front(), Some(None)) {
            self.window.pop_front();
            self.first += 1;
        }
        Some(record)
    }
}

impl Observer for Records {
    fn observe(&mut self, day: Day, happening: &Happening) {
        use Happening as H;
        match *happening {
            H::Created {
                person,
                home,
                birth,
                blood_group,
                ..
            } => {
                let draft = PersonRecord::new(person, home, birth, day, blood_group);
                let previous = self.drafts.insert(person, draft);
                debug_assert!(previous.is_none(), "ids are never reused");
            }
            H::Transferred { person } => self.draft(person).transferred = true,
            H::GalleryPiece { person } => {
                if let Some(draft) = self.drafts.get_mut(person) {
                    draft.gallery_pieces += 1;
                }
            }
            H::LeftHome {
                person,
                house,
                tokens,
            } => {
                let draft = self.draft(person);
                draft.stage = Stage::Veteran;
                draft.left_home = Some(day);
                draft.halfway_house = Some(house);
                draft.tokens = u32::from(tokens);
            }
            H::PossibleSearched { person, sighted } => {
                let draft = self.draft(person);
                draft.possible_searched = true;
                draft.possible_sighted = sighted;
            }
            H::CoupleFormed { first, second, .. } => {
                for (a, b) in [(first, second), (second, first)] {
                    let draft = self.draft(a);
                    draft.partner = Some(b);
                    draft.partners.push(b);
                }
            }
            H::CoupleParted { first, second, .. } => {
                self.draft(first).partner = None;
                self.draft(second).partner = None;
            }
            H::RumourBelieved { person, .. } => self.draft(person).believed_rumour = true,
            H::TrainingBegan { person } => {
                let draft = self.draft(person);
                draft.stage = Stage::Carer;
                draft.carer_training = Some(day);
            }
            H::CarerQualified { person, .. } => self.draft(person).carer_start = Some(day),
            H::CarerAssigned { carer, donor, .. } => {
                let draft = self.draft(carer);
                draft.donors_cared += 1;
                let draft = self.draft(donor);
                draft.carer = Some(carer);
                draft.carers.push(carer);
            }
            H::CarerReleased { donor, why, .. } => {
                // The carer who sees a donor through to completion stays on the record.
                if why != Release::Completion {
                    self.draft(donor).carer = None;
                }
            }
            H::CareerEnded { person, km, .. } => {
                let draft = self.draft(person);
                draft.carer_end = Some(day);
                draft.carer_km = km;
            }
            H::BecameDonor { person } => {
                let draft = self.draft(person);
                if draft.stage == Stage::Student {
                    draft.left_home = Some(day); // a child donor leaves the home for a centre
                }
                draft.stage = Stage::Donor;
                draft.donor_start = Some(day);
            }
            H::BedTaken { person, centre, .. } => self.draft(person).centre = Some(centre),
            H::Donation {
                person,
                organ,
                organs,
                centre,
                carer,
                ..
            } => self.draft(person).donations.push(DonationRecord {
                day,
                organ,
                organs,
                centre,
                carer,
            }),
            H::Completed { person, carer, .. } => {
                let draft = self.draft(person);
                draft.stage = Stage::Completed;
                draft.completion = Some(day);
                draft.carer = carer;
                self.finish(person);
            }
            H::DeferralAsked {
                first,
                second,
                granted,
            } => {
                for who in [first, second] {
                    let draft = self.draft(who);
                    draft.deferral_applied = true;
                    draft.deferral_granted = granted;
                }
            }
            H::Escaped { person, .. } => self.draft(person).escaped = Some(day),
            H::Found { person } => self.draft(person).returned = Some(day),
            H::RunEnded {
                person,
                carer_km,
                tokens,
            } => {
                let draft = self.draft(person);
                draft.carer_km = carer_km;
                if draft.stage == Stage::Student {
                    draft.tokens = u32::from(tokens);
                }
                self.finish(person);
            }
            H::HumaneHomesClosed { .. }
            | H::Exchange { .. }
            | H::Sale { .. }
            | H::WaitingForBed { .. }
            | H::DonationPostponed { .. }
            | H::OrganSupplied { .. }
            | H::Patients { .. }
            | H::YearEnded(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{BloodGroup, HomeKind};
    use proptest::prelude::*;

    fn record(id: u32) -> PersonRecord {
        PersonRecord::new(
            PersonId(id),
            HomeKind::Hailsham,
            Day(0),
            Day(0),
            BloodGroup::O,
        )
    }

    proptest! {
        /// Goal: the window of drafts behaves as a map from id to life. Method: create ids in
        /// a shuffled order, remove a random subset in random order, and compare with a
        /// `BTreeMap` after every step; the window starts at the oldest life in progress.
        #[test]
        fn drafts_behave_as_a_map(
            swaps in proptest::collection::vec((0usize..200, 0usize..200), 0..20),
            removals in proptest::collection::vec(0u32..200, 0..300),
        ) {
            let mut ids: Vec<u32> = (0..200).collect();
            for (a, b) in swaps {
                ids.swap(a, b);
            }
            let mut drafts = Drafts::default();
            let mut model = std::collections::BTreeMap::new();
            for id in &ids {
                prop_assert!(drafts.insert(PersonId(*id), record(*id)).is_none());
                model.insert(*id, ());
            }
            for id in removals {
                let removed = drafts.remove(PersonId(id));
                prop_assert_eq!(removed.map(|r| r.id), model.remove(&id).map(|()| PersonId(id)));
                prop_assert_eq!(drafts.len(), model.len());
                for probe in [id, id.saturating_sub(1), id + 1] {
                    prop_assert_eq!(
                        drafts.get_mut(PersonId(probe)).map(|r| r.id),
                        model.get(&probe).map(|()| PersonId(probe))
                    );
                }
                if let Some(first) = model.keys().next() {
                    prop_assert_eq!(drafts.first, *first, "ended lives leave the front");
                    prop_assert_eq!(drafts.window.len(), 200 - *first as usize);
                }
            }
        }
    }
}
