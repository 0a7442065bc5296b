//! The standard observers: the yearly series, the run's tally and the person records, each one
//! fold over the announcements (see [`crate::happening`]). They read what the model announces
//! and nothing else; the model never reads them. Adding a figure is a field and a line here.

use std::collections::VecDeque;

use hailsham_engine::Day;

use crate::happening::{Census, Happening, Observer, PersonId, Release};
use crate::output::{
    BloodGroup, CarerBooks, DonationRecord, Histogram, HomeKind, Organ, PersonRecord, Stage, Tally,
    YearRow,
};

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
/// life completes or the run ends, in the order lives end: as records ([`Records::drain`]), or
/// as a batch of compact lives that a writer turns into rows without an allocation per life
/// ([`Records::take_lives`]).
#[derive(Debug, Default)]
pub struct Records {
    /// Lives in progress.
    drafts: Drafts<Draft>,
    /// The carers, partners and donations of the lives in progress.
    lists: Lists,
    /// Lives ended, waiting to be handed out.
    finished: Lives,
}

impl Records {
    /// The records of lives finished since the last drain, in the order they finished.
    pub fn drain(&mut self) -> impl Iterator<Item = PersonRecord> + use<> {
        let lives = std::mem::take(&mut self.finished);
        (0..lives.len()).map(move |index| lives.record(index))
    }

    /// The lives finished since the last take, in the order they finished; `spare` (emptied)
    /// takes their place, so that batches handed back and forth keep their capacity.
    pub fn take_lives(&mut self, mut spare: Lives) -> Lives {
        spare.clear();
        std::mem::replace(&mut self.finished, spare)
    }

    /// Lives finished and not yet handed out.
    #[must_use]
    pub fn finished(&self) -> usize {
        self.finished.len()
    }

    /// Lives in progress.
    #[must_use]
    pub fn in_progress(&self) -> usize {
        self.drafts.len()
    }

    /// Bytes held on the heap: the drafts' window, the lists and the lives waiting.
    #[must_use]
    pub fn memory_bytes(&self) -> usize {
        self.drafts.memory_bytes()
            + self.lists.nodes.capacity() * std::mem::size_of::<Node>()
            + self.finished.lives.capacity() * std::mem::size_of::<Ended>()
            + self.finished.items.capacity() * std::mem::size_of::<Item>()
    }

    fn draft(&mut self, person: PersonId) -> &mut Draft {
        self.drafts
            .get_mut(person)
            .expect("every life's first announcement is its creation")
    }

    /// Adds `item` to the lists of `person`'s life.
    fn push(&mut self, person: PersonId, item: Item) {
        let draft = self
            .drafts
            .get_mut(person)
            .expect("every life's first announcement is its creation");
        self.lists.push(&mut draft.list, item);
    }

    /// Ends `person`'s life: completed on `completion`, or alive at the run's end (`None`).
    fn finish(&mut self, person: PersonId, completion: Option<Day>) {
        let draft = self.drafts.remove(person).expect("a life is finished once");
        let start = self.finished.items.len();
        self.lists.take(draft.list, &mut self.finished.items);
        self.finished.lives.push(Ended {
            id: person,
            draft,
            completion: completion.map_or(MaybeDay::NONE, MaybeDay::some),
            items: (index32(start), index32(self.finished.items.len())),
        });
    }
}

/// An index into a batch's items. A batch holds a year's lives at most, far below 2^32 entries.
fn index32(index: usize) -> u32 {
    u32::try_from(index).expect("a batch of lives holds fewer than 2^32 entries")
}

/// A day, or none: `u32::MAX` stands for none, half the size of an `Option<Day>`. No run
/// reaches that day (eleven million years).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct MaybeDay(u32);

impl MaybeDay {
    const NONE: MaybeDay = MaybeDay(u32::MAX);

    fn some(day: Day) -> MaybeDay {
        debug_assert!(day.0 != u32::MAX, "no run reaches day 2^32 - 1");
        MaybeDay(day.0)
    }

    fn get(self) -> Option<Day> {
        (self != MaybeDay::NONE).then_some(Day(self.0))
    }
}

/// A person, or none: `u32::MAX` stands for none. Ids stay below 2^28 (`Params::problems`
/// bounds the clones a run creates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct MaybePerson(u32);

impl MaybePerson {
    const NONE: MaybePerson = MaybePerson(u32::MAX);

    fn of(person: Option<PersonId>) -> MaybePerson {
        person.map_or(MaybePerson::NONE, |p| MaybePerson(p.0))
    }

    fn get(self) -> Option<PersonId> {
        (self != MaybePerson::NONE).then_some(PersonId(self.0))
    }
}

/// The yes-or-no facts of a life, as bits of [`Draft::flags`].
mod flag {
    pub(super) const TRANSFERRED: u8 = 1;
    pub(super) const BELIEVED_RUMOUR: u8 = 1 << 1;
    pub(super) const DEFERRAL_APPLIED: u8 = 1 << 2;
    pub(super) const DEFERRAL_GRANTED: u8 = 1 << 3;
    pub(super) const POSSIBLE_SEARCHED: u8 = 1 << 4;
    pub(super) const POSSIBLE_SIGHTED: u8 = 1 << 5;
}

/// A life in progress: what its [`PersonRecord`] will hold but the id (the window's), the day
/// of completion (the life's last announcement's) and the lists (in [`Lists`]), absent days
/// and people as a sentinel, the facts as bits. 80 bytes against the record's 232: most
/// announcements touch a draft picked at random among a hundred thousand, so a draft's size is
/// what the fold costs in cache misses and memory.
#[derive(Clone, Copy, Debug)]
struct Draft {
    birth: Day,
    created: Day,
    left_home: MaybeDay,
    carer_training: MaybeDay,
    carer_start: MaybeDay,
    carer_end: MaybeDay,
    donor_start: MaybeDay,
    escaped: MaybeDay,
    returned: MaybeDay,
    /// Kilometres as a carer: an `f64`'s bits, so that the draft aligns to 4 bytes, not 8.
    carer_km: [u32; 2],
    donors_cared: u32,
    gallery_pieces: u32,
    carer: MaybePerson,
    partner: MaybePerson,
    halfway_house: Option<u16>,
    /// Tokens are announced as `u16`.
    tokens: u16,
    centre: Option<u8>,
    stage: Stage,
    home: HomeKind,
    blood_group: BloodGroup,
    /// [`flag`]s.
    flags: u8,
    list: List,
}

impl Draft {
    fn new(home: HomeKind, birth: Day, created: Day, blood_group: BloodGroup) -> Draft {
        Draft {
            birth,
            created,
            left_home: MaybeDay::NONE,
            carer_training: MaybeDay::NONE,
            carer_start: MaybeDay::NONE,
            carer_end: MaybeDay::NONE,
            donor_start: MaybeDay::NONE,
            escaped: MaybeDay::NONE,
            returned: MaybeDay::NONE,
            carer_km: [0, 0],
            donors_cared: 0,
            gallery_pieces: 0,
            carer: MaybePerson::NONE,
            partner: MaybePerson::NONE,
            halfway_house: None,
            tokens: 0,
            centre: None,
            stage: Stage::Student,
            home,
            blood_group,
            flags: 0,
            list: List::EMPTY,
        }
    }

    fn set(&mut self, bit: u8, on: bool) {
        if on {
            self.flags |= bit;
        } else {
            self.flags &= !bit;
        }
    }

    fn has(&self, bit: u8) -> bool {
        self.flags & bit != 0
    }

    fn set_carer_km(&mut self, km: f64) {
        let bits = km.to_bits();
        #[allow(clippy::cast_possible_truncation)]
        let halves = [bits as u32, (bits >> 32) as u32];
        self.carer_km = halves;
    }

    fn carer_km(&self) -> f64 {
        f64::from_bits(u64::from(self.carer_km[0]) | (u64::from(self.carer_km[1]) << 32))
    }
}

/// An entry of a life's lists: a carer, a partner or a donation, in 12 bytes (a
/// `DonationRecord` in an enum would take 20, and the arena holds one entry per carer taken
/// on, partner and donation of every life in progress). The three lists share one chain, in
/// the order of their announcements; each list's own order is the chain's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Item {
    /// [`Item::CARER`], [`Item::PARTNER`] or [`Item::DONATION`]; for a donation, then the
    /// organ's index, the organs and the centre.
    bytes: [u8; 4],
    /// A donation's day.
    day: Day,
    /// The carer or the partner; a donation's carer.
    person: MaybePerson,
}

/// An entry, read.
enum Entry {
    Carer(PersonId),
    Partner(PersonId),
    Donation(DonationRecord),
}

impl Item {
    const CARER: u8 = 0;
    const PARTNER: u8 = 1;
    const DONATION: u8 = 2;

    fn carer(carer: PersonId) -> Item {
        Item {
            bytes: [Item::CARER, 0, 0, 0],
            day: Day(0),
            person: MaybePerson::of(Some(carer)),
        }
    }

    fn partner(partner: PersonId) -> Item {
        Item {
            bytes: [Item::PARTNER, 0, 0, 0],
            day: Day(0),
            person: MaybePerson::of(Some(partner)),
        }
    }

    fn donation(donation: DonationRecord) -> Item {
        #[allow(clippy::cast_possible_truncation)]
        let organ = donation.organ.index() as u8;
        Item {
            bytes: [Item::DONATION, organ, donation.organs, donation.centre],
            day: donation.day,
            person: MaybePerson::of(donation.carer),
        }
    }

    fn entry(self) -> Entry {
        let person = || self.person.get().expect("a carer or partner is someone");
        match self.bytes[0] {
            Item::CARER => Entry::Carer(person()),
            Item::PARTNER => Entry::Partner(person()),
            _ => Entry::Donation(DonationRecord {
                day: self.day,
                organ: Organ::ALL[usize::from(self.bytes[1])],
                organs: self.bytes[2],
                centre: self.bytes[3],
                carer: self.person.get(),
            }),
        }
    }
}

/// A life's chain in [`Lists`]: its first and last entries, [`NIL`] when empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct List {
    head: u32,
    tail: u32,
}

impl List {
    const EMPTY: List = List {
        head: NIL,
        tail: NIL,
    };
}

/// No entry.
const NIL: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Node {
    item: Item,
    next: u32,
}

/// The lists of every life in progress in one arena: each life's entries chained from its
/// draft's first to its last, the entries of ended lives chained for reuse. A carer taken on or
/// a donation made allocates nothing, where three vectors a life would allocate as each grew;
/// the arena holds the most entries alive at once.
#[derive(Debug)]
struct Lists {
    nodes: Vec<Node>,
    /// The first free entry, [`NIL`] if none.
    free: u32,
}

impl Default for Lists {
    fn default() -> Lists {
        Lists {
            nodes: Vec::new(),
            free: NIL,
        }
    }
}

impl Lists {
    /// Adds `item` at the end of `list`.
    fn push(&mut self, list: &mut List, item: Item) {
        let node = Node { item, next: NIL };
        let index = if self.free == NIL {
            // Grown by an eighth, not doubled, as the drafts' window: at world scale the
            // arena holds tens of millions of entries.
            if self.nodes.len() == self.nodes.capacity() {
                self.nodes
                    .reserve_exact((self.nodes.capacity() / 8).max(1024));
            }
            self.nodes.push(node);
            index32(self.nodes.len() - 1)
        } else {
            let index = self.free;
            self.free = self.nodes[index as usize].next;
            self.nodes[index as usize] = node;
            index
        };
        if list.tail == NIL {
            list.head = index;
        } else {
            self.nodes[list.tail as usize].next = index;
        }
        list.tail = index;
    }

    /// Moves the entries of `list`, in order, to the end of `out`, and frees them.
    fn take(&mut self, list: List, out: &mut Vec<Item>) {
        let mut at = list.head;
        while at != NIL {
            let node = self.nodes[at as usize];
            out.push(node.item);
            at = node.next;
        }
        if list.tail != NIL {
            self.nodes[list.tail as usize].next = self.free;
            self.free = list.head;
        }
    }
}

/// A life ended: its id, its draft, its completion, and its entries in the batch's items.
#[derive(Clone, Copy, Debug)]
struct Ended {
    id: PersonId,
    draft: Draft,
    completion: MaybeDay,
    items: (u32, u32),
}

/// Lives ended, in the order they ended, kept compact: what [`Records::take_lives`] hands out.
/// [`Lives::fill`] writes one into a [`PersonRecord`] the caller keeps, so a writer turns a
/// batch into rows without allocating per life; [`Lives::record`] makes a new one.
#[derive(Debug, Default)]
pub struct Lives {
    lives: Vec<Ended>,
    items: Vec<Item>,
}

impl Lives {
    /// Lives in the batch.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lives.len()
    }

    /// Whether the batch holds no life.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lives.is_empty()
    }

    /// Empties the batch, keeping its capacity.
    pub fn clear(&mut self) {
        self.lives.clear();
        self.items.clear();
    }

    /// The record of life `index`.
    ///
    /// # Panics
    /// If `index` is not below [`Lives::len`].
    #[must_use]
    pub fn record(&self, index: usize) -> PersonRecord {
        let ended = &self.lives[index];
        let draft = &ended.draft;
        let mut record = PersonRecord::new(
            ended.id,
            draft.home,
            draft.birth,
            draft.created,
            draft.blood_group,
        );
        self.fill(index, &mut record);
        record
    }

    /// Writes the record of life `index` into `record`, every field, reusing its lists'
    /// capacity.
    ///
    /// # Panics
    /// If `index` is not below [`Lives::len`].
    pub fn fill(&self, index: usize, record: &mut PersonRecord) {
        let Ended {
            id,
            draft,
            completion,
            items,
        } = self.lives[index];
        // Destructured in full so that a field added to the draft fails to compile here until
        // it reaches the record.
        let Draft {
            birth,
            created,
            left_home,
            carer_training,
            carer_start,
            carer_end,
            donor_start,
            escaped,
            returned,
            carer_km: _,
            donors_cared,
            gallery_pieces,
            carer,
            partner,
            halfway_house,
            tokens,
            centre,
            stage,
            home,
            blood_group,
            flags: _,
            list: _,
        } = draft;
        record.id = id;
        record.stage = stage;
        record.birth = birth;
        record.created = created;
        record.home = home;
        record.transferred = draft.has(flag::TRANSFERRED);
        record.left_home = left_home.get();
        record.halfway_house = halfway_house;
        record.carer_training = carer_training.get();
        record.carer_start = carer_start.get();
        record.carer_end = carer_end.get();
        record.donors_cared = donors_cared;
        record.carer_km = draft.carer_km();
        record.donor_start = donor_start.get();
        record.centre = centre;
        record.carer = carer.get();
        record.completion = completion.get();
        record.tokens = u32::from(tokens);
        record.gallery_pieces = gallery_pieces;
        record.partner = partner.get();
        record.believed_rumour = draft.has(flag::BELIEVED_RUMOUR);
        record.deferral_applied = draft.has(flag::DEFERRAL_APPLIED);
        record.deferral_granted = draft.has(flag::DEFERRAL_GRANTED);
        record.possible_searched = draft.has(flag::POSSIBLE_SEARCHED);
        record.possible_sighted = draft.has(flag::POSSIBLE_SIGHTED);
        record.blood_group = blood_group;
        record.escaped = escaped.get();
        record.returned = returned.get();
        record.carers.clear();
        record.partners.clear();
        record.donations.clear();
        for item in &self.items[items.0 as usize..items.1 as usize] {
            match item.entry() {
                Entry::Carer(carer) => record.carers.push(carer),
                Entry::Partner(partner) => record.partners.push(partner),
                Entry::Donation(donation) => record.donations.push(donation),
            }
        }
    }
}

/// Lives in progress, by id: a window of ids from the oldest life still in progress to the
/// newest, since ids are given out in order and lives mostly end in the order they began, each
/// id's entry the place of its life in a dense table. Indexing the window replaces a hash table
/// that, at world scale, spent most of the fold's time probing and rehashing (docs in
/// BENCHMARKS.md). The window is not dense: one life that does not end (a student of the first
/// year who ran away) keeps every later id in it, and at England's end it spans 185,000 ids for
/// 124,000 lives; so it holds four bytes an id, and the lives sit in the table, which reuses the
/// places of ended ones.
#[derive(Debug)]
struct Drafts<T> {
    /// The place in `table` of each id from `first` on; [`NIL`] for a life not in progress.
    window: VecDeque<u32>,
    /// The id of the window's first entry.
    first: u32,
    table: Vec<T>,
    /// Places in `table` that ended lives left.
    free: Vec<u32>,
    /// Lives in progress.
    live: usize,
}

impl<T> Default for Drafts<T> {
    fn default() -> Drafts<T> {
        Drafts {
            window: VecDeque::new(),
            first: 0,
            table: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }
}

/// Makes room for one more in `v`, by an eighth of its capacity (at least 1,024), not by
/// doubling: at world scale these tables are gigabytes.
fn grow_by_an_eighth<T>(v: &mut Vec<T>) {
    if v.len() == v.capacity() {
        v.reserve_exact((v.capacity() / 8).max(1024));
    }
}

impl<T: Copy> Drafts<T> {
    fn len(&self) -> usize {
        self.live
    }

    /// Bytes held on the heap.
    fn memory_bytes(&self) -> usize {
        self.window.capacity() * std::mem::size_of::<u32>()
            + self.table.capacity() * std::mem::size_of::<T>()
            + self.free.capacity() * std::mem::size_of::<u32>()
    }

    /// The place in the table of `id`'s life, if it is in progress.
    fn place(&self, id: PersonId) -> Option<usize> {
        let offset = usize::try_from(id.0.checked_sub(self.first)?).ok()?;
        let place = *self.window.get(offset)?;
        (place != NIL).then_some(place as usize)
    }

    /// Adds a life; returns the one that held its id, if any (never, ids are not reused).
    fn insert(&mut self, id: PersonId, life: T) -> Option<T> {
        if let Some(place) = self.place(id) {
            return Some(std::mem::replace(&mut self.table[place], life));
        }
        if self.window.is_empty() {
            self.first = id.0;
        }
        // An id below the window (created out of order) widens it at the front.
        while id.0 < self.first {
            self.window.push_front(NIL);
            self.first -= 1;
        }
        let offset = (id.0 - self.first) as usize;
        while self.window.len() <= offset {
            // Grown by an eighth, not doubled, as the table.
            if self.window.len() == self.window.capacity() {
                self.window
                    .reserve_exact((self.window.capacity() / 8).max(1024));
            }
            self.window.push_back(NIL);
        }
        let place = if let Some(place) = self.free.pop() {
            self.table[place as usize] = life;
            place
        } else {
            grow_by_an_eighth(&mut self.table);
            self.table.push(life);
            index32(self.table.len() - 1)
        };
        self.window[offset] = place;
        self.live += 1;
        None
    }

    fn get_mut(&mut self, id: PersonId) -> Option<&mut T> {
        let place = self.place(id)?;
        Some(&mut self.table[place])
    }

    /// Takes a life out; the window then drops the ended lives at its front.
    fn remove(&mut self, id: PersonId) -> Option<T> {
        let place = self.place(id)?;
        self.window[(id.0 - self.first) as usize] = NIL;
        grow_by_an_eighth(&mut self.free);
        self.free.push(index32(place));
        self.live -= 1;
        while self.window.front() == Some(&NIL) {
            self.window.pop_front();
            self.first += 1;
        }
        Some(self.table[place])
    }
}

/// What the records fold reads of an announcement, in 24 bytes: a writer that folds the
/// records on a thread of its own hands these over rather than announcements (a `Happening`
/// is several times larger, most of it a census the fold never reads), so the simulation's
/// thread only appends them, one after another, where folding them would touch a draft picked
/// at random among a hundred thousand. [`Note::of`] makes one; [`Records::note`] folds it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Note {
    /// Kilometres (an `f64`'s bits), or tokens.
    wide: u64,
    day: Day,
    person: PersonId,
    /// The second party (partner, donor, carer), or a day of birth; `u32::MAX` for none.
    other: u32,
    /// A house or tokens (two bytes), a centre, an organ and its count, a yes or no.
    small: [u8; 3],
    kind: NoteKind,
}

/// The announcements the records fold reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum NoteKind {
    Created,
    Transferred,
    GalleryPiece,
    LeftHome,
    PossibleSearched,
    CoupleFormed,
    CoupleParted,
    RumourBelieved,
    TrainingBegan,
    CarerQualified,
    CarerAssigned,
    CarerReleased,
    CareerEnded,
    BecameDonor,
    BedTaken,
    Donation,
    Completed,
    DeferralAsked,
    Escaped,
    Found,
    RunEnded,
}

impl Note {
    /// A note of `kind` about `person` on `day`, its other fields empty.
    fn new(kind: NoteKind, day: Day, person: PersonId) -> Note {
        Note {
            wide: 0,
            day,
            person,
            other: u32::MAX,
            small: [0; 3],
            kind,
        }
    }

    fn with_other(mut self, other: Option<PersonId>) -> Note {
        self.other = other.map_or(u32::MAX, |p| p.0);
        self
    }

    fn with_small(mut self, small: [u8; 3]) -> Note {
        self.small = small;
        self
    }

    fn with_wide(mut self, wide: u64) -> Note {
        self.wide = wide;
        self
    }

    fn other(&self) -> Option<PersonId> {
        (self.other != u32::MAX).then_some(PersonId(self.other))
    }

    fn two(&self) -> u16 {
        u16::from_le_bytes([self.small[0], self.small[1]])
    }

    /// The note of `happening` on `day`, or `None` for what the records fold does not read.
    #[must_use]
    pub fn of(day: Day, happening: &Happening) -> Option<Note> {
        use Happening as H;
        use NoteKind as K;
        let two = |n: u16| {
            let [a, b] = n.to_le_bytes();
            [a, b, 0]
        };
        Some(match *happening {
            H::Created {
                person,
                home,
                birth,
                blood_group,
                ..
            } => Note::new(K::Created, day, person)
                .with_other(Some(PersonId(birth.0)))
                .with_small([home as u8, blood_group as u8, 0]),
            H::Transferred { person } => Note::new(K::Transferred, day, person),
            H::GalleryPiece { person } => Note::new(K::GalleryPiece, day, person),
            H::LeftHome {
                person,
                house,
                tokens,
            } => Note::new(K::LeftHome, day, person)
                .with_small(two(house))
                .with_wide(u64::from(tokens)),
            H::PossibleSearched { person, sighted } => {
                Note::new(K::PossibleSearched, day, person).with_small([u8::from(sighted), 0, 0])
            }
            H::CoupleFormed { first, second, .. } => {
                Note::new(K::CoupleFormed, day, first).with_other(Some(second))
            }
            H::CoupleParted { first, second, .. } => {
                Note::new(K::CoupleParted, day, first).with_other(Some(second))
            }
            H::RumourBelieved { person, .. } => Note::new(K::RumourBelieved, day, person),
            H::TrainingBegan { person } => Note::new(K::TrainingBegan, day, person),
            H::CarerQualified { person, .. } => Note::new(K::CarerQualified, day, person),
            H::CarerAssigned { carer, donor, .. } => {
                Note::new(K::CarerAssigned, day, carer).with_other(Some(donor))
            }
            H::CarerReleased { donor, why, .. } => Note::new(K::CarerReleased, day, donor)
                .with_small([u8::from(why == Release::Completion), 0, 0]),
            H::CareerEnded { person, km, .. } => {
                Note::new(K::CareerEnded, day, person).with_wide(km.to_bits())
            }
            H::BecameDonor { person } => Note::new(K::BecameDonor, day, person),
            H::BedTaken { person, centre, .. } => {
                Note::new(K::BedTaken, day, person).with_small([centre, 0, 0])
            }
            H::Donation {
                person,
                organ,
                organs,
                centre,
                carer,
                ..
            } => Note::new(K::Donation, day, person)
                .with_other(carer)
                .with_small([organ as u8, organs, centre]),
            H::Completed { person, carer, .. } => {
                Note::new(K::Completed, day, person).with_other(carer)
            }
            H::DeferralAsked {
                first,
                second,
                granted,
            } => Note::new(K::DeferralAsked, day, first)
                .with_other(Some(second))
                .with_small([u8::from(granted), 0, 0]),
            H::Escaped { person, .. } => Note::new(K::Escaped, day, person),
            H::Found { person } => Note::new(K::Found, day, person),
            H::RunEnded {
                person,
                carer_km,
                tokens,
            } => Note::new(K::RunEnded, day, person)
                .with_small(two(tokens))
                .with_wide(carer_km.to_bits()),
            H::HumaneHomesClosed { .. }
            | H::Exchange { .. }
            | H::Sale { .. }
            | H::WaitingForBed { .. }
            | H::DonationPostponed { .. }
            | H::OrganSupplied { .. }
            | H::Patients { .. }
            | H::YearEnded(_) => return None,
        })
    }
}

impl Records {
    /// Folds one note: what [`Observer::observe`] does with the announcement it was made of.
    pub fn note(&mut self, note: &Note) {
        use NoteKind as K;
        let (day, person) = (note.day, note.person);
        match note.kind {
            K::Created => {
                let draft = Draft::new(
                    HomeKind::ALL[usize::from(note.small[0])],
                    Day(note.other),
                    day,
                    BloodGroup::ALL[usize::from(note.small[1])],
                );
                let previous = self.drafts.insert(person, draft);
                debug_assert!(previous.is_none(), "ids are never reused");
            }
            K::Transferred => self.draft(person).set(flag::TRANSFERRED, true),
            K::GalleryPiece => {
                if let Some(draft) = self.drafts.get_mut(person) {
                    draft.gallery_pieces += 1;
                }
            }
            K::LeftHome => {
                let draft = self.draft(person);
                draft.stage = Stage::Veteran;
                draft.left_home = MaybeDay::some(day);
                draft.halfway_house = Some(note.two());
                draft.tokens = u16::try_from(note.wide).expect("tokens are announced as u16");
            }
            K::PossibleSearched => {
                let draft = self.draft(person);
                draft.set(flag::POSSIBLE_SEARCHED, true);
                draft.set(flag::POSSIBLE_SIGHTED, note.small[0] == 1);
            }
            K::CoupleFormed => {
                let second = note.other().expect("a couple is two");
                for (a, b) in [(person, second), (second, person)] {
                    self.draft(a).partner = MaybePerson::of(Some(b));
                    self.push(a, Item::partner(b));
                }
            }
            K::CoupleParted => {
                let second = note.other().expect("a couple is two");
                self.draft(person).partner = MaybePerson::NONE;
                self.draft(second).partner = MaybePerson::NONE;
            }
            K::RumourBelieved => self.draft(person).set(flag::BELIEVED_RUMOUR, true),
            K::TrainingBegan => {
                let draft = self.draft(person);
                draft.stage = Stage::Carer;
                draft.carer_training = MaybeDay::some(day);
            }
            K::CarerQualified => self.draft(person).carer_start = MaybeDay::some(day),
            K::CarerAssigned => {
                let (carer, donor) = (person, note.other().expect("a carer takes a donor"));
                self.draft(carer).donors_cared += 1;
                self.draft(donor).carer = MaybePerson::of(Some(carer));
                self.push(donor, Item::carer(carer));
            }
            K::CarerReleased => {
                // The carer who sees a donor through to completion stays on the record.
                if note.small[0] == 0 {
                    self.draft(person).carer = MaybePerson::NONE;
                }
            }
            K::CareerEnded => {
                let draft = self.draft(person);
                draft.carer_end = MaybeDay::some(day);
                draft.set_carer_km(f64::from_bits(note.wide));
            }
            K::BecameDonor => {
                let draft = self.draft(person);
                if draft.stage == Stage::Student {
                    // a child donor leaves the home for a centre
                    draft.left_home = MaybeDay::some(day);
                }
                draft.stage = Stage::Donor;
                draft.donor_start = MaybeDay::some(day);
            }
            K::BedTaken => self.draft(person).centre = Some(note.small[0]),
            K::Donation => self.push(
                person,
                Item::donation(DonationRecord {
                    day,
                    organ: Organ::ALL[usize::from(note.small[0])],
                    organs: note.small[1],
                    centre: note.small[2],
                    carer: note.other(),
                }),
            ),
            K::Completed => {
                let draft = self.draft(person);
                draft.stage = Stage::Completed;
                draft.carer = MaybePerson::of(note.other());
                self.finish(person, Some(day));
            }
            K::DeferralAsked => {
                let second = note.other().expect("a couple asks");
                for who in [person, second] {
                    let draft = self.draft(who);
                    draft.set(flag::DEFERRAL_APPLIED, true);
                    draft.set(flag::DEFERRAL_GRANTED, note.small[0] == 1);
                }
            }
            K::Escaped => self.draft(person).escaped = MaybeDay::some(day),
            K::Found => self.draft(person).returned = MaybeDay::some(day),
            K::RunEnded => {
                let draft = self.draft(person);
                draft.set_carer_km(f64::from_bits(note.wide));
                if draft.stage == Stage::Student {
                    draft.tokens = note.two();
                }
                self.finish(person, None);
            }
        }
    }
}

impl Observer for Records {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        if let Some(note) = Note::of(day, happening) {
            self.note(&note);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_draft_is_compact() {
        // The point of the draft and the entries (see their comments): a third of the record
        // a draft stands for, a cache line and a quarter; an entry and its link in 16 bytes.
        assert_eq!(std::mem::size_of::<Draft>(), 80);
        assert!(std::mem::size_of::<PersonRecord>() >= 2 * 80);
        assert_eq!(std::mem::size_of::<Node>(), 16);
        assert_eq!(std::mem::size_of::<Note>(), 24);
    }

    /// An entry of each kind, told apart by `n`.
    fn item(kind: u8, n: u32) -> Item {
        match kind % 3 {
            0 => Item::carer(PersonId(n)),
            1 => Item::partner(PersonId(n)),
            _ => Item::donation(DonationRecord {
                day: Day(n),
                organ: Organ::Kidney,
                organs: 1,
                centre: 2,
                carer: n.is_multiple_of(2).then_some(PersonId(n / 2)),
            }),
        }
    }

    proptest! {
        /// Goal: the window of drafts behaves as a map from id to life. Method: create ids in
        /// a shuffled order, remove a random subset in random order, and compare with a
        /// `BTreeMap` after every step; the window starts at the oldest life in progress, and
        /// as many new lives as ended fill the table's free places.
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
                prop_assert!(drafts.insert(PersonId(*id), *id).is_none());
                model.insert(*id, ());
            }
            for id in removals {
                let removed = drafts.remove(PersonId(id));
                prop_assert_eq!(removed, model.remove(&id).map(|()| id));
                prop_assert_eq!(drafts.len(), model.len());
                for probe in [id, id.saturating_sub(1), id + 1] {
                    prop_assert_eq!(
                        drafts.get_mut(PersonId(probe)).copied(),
                        model.get(&probe).map(|()| probe)
                    );
                }
                if let Some(first) = model.keys().next() {
                    prop_assert_eq!(drafts.first, *first, "ended lives leave the front");
                    prop_assert_eq!(drafts.window.len(), 200 - *first as usize);
                }
            }
            // New lives take the places ended ones left: the table never outgrows the most
            // lives in progress at once.
            let ended = 200 - model.len();
            for id in 200..200 + u32::try_from(ended).unwrap() {
                prop_assert!(drafts.insert(PersonId(id), id).is_none());
                prop_assert_eq!(drafts.get_mut(PersonId(id)).copied(), Some(id));
            }
            prop_assert_eq!(drafts.table.len(), 200);
            prop_assert_eq!(drafts.len(), 200);
        }
    }

    proptest! {
        /// Goal: the arena keeps each life's lists as vectors would, and reuses what ended
        /// lives freed. Method: random pushes to a few lives, lives ended at random (their
        /// entries taken) and begun again, compared with a vector a life after every step; the
        /// arena never holds more entries than were alive at once.
        #[test]
        fn lists_behave_as_vectors(
            steps in proptest::collection::vec((0usize..6, any::<u8>(), any::<bool>()), 0..400),
        ) {
            let mut lists = Lists::default();
            let mut heads = [List::EMPTY; 6];
            let mut model: [Vec<Item>; 6] = Default::default();
            let mut alive_most = 0;
            for (n, (life, kind, end)) in steps.into_iter().enumerate() {
                if end {
                    let mut taken = vec![item(0, 99)];
                    lists.take(heads[life], &mut taken);
                    prop_assert_eq!(&taken[0], &item(0, 99), "taken entries are appended");
                    prop_assert_eq!(&taken[1..], model[life].as_slice());
                    heads[life] = List::EMPTY;
                    model[life].clear();
                } else {
                    let entry = item(kind, u32::try_from(n).unwrap());
                    lists.push(&mut heads[life], entry);
                    model[life].push(entry);
                }
                alive_most = alive_most.max(model.iter().map(Vec::len).sum::<usize>());
                prop_assert_eq!(lists.nodes.len(), alive_most);
            }
            for (life, head) in heads.into_iter().enumerate() {
                let mut taken = Vec::new();
                lists.take(head, &mut taken);
                prop_assert_eq!(&taken, &model[life]);
            }
        }
    }

    /// Goal: a batch of lives gives every record whole, and a record filled again from another
    /// life holds nothing of the first. Method: a small world's records folded, taken as
    /// batches every year and filled into one reused record, against the same run's records made
    /// afresh by `drain`.
    #[test]
    fn filled_records_equal_new_ones() {
        let mut params = crate::Params::default();
        params.homes.population_millions = 0.3;
        let run = |batches: bool| {
            let mut replicate = crate::Replicate::new(&params, 3, 0, Records::default());
            let mut out = Vec::new();
            let mut reused = PersonRecord::new(
                PersonId(0),
                HomeKind::Hailsham,
                Day(0),
                Day(0),
                BloodGroup::O,
            );
            let mut spare = Lives::default();
            let mut take = |records: &mut Records, out: &mut Vec<PersonRecord>| {
                if batches {
                    let lives = records.take_lives(std::mem::take(&mut spare));
                    for index in 0..lives.len() {
                        lives.fill(index, &mut reused);
                        out.push(reused.clone());
                    }
                    spare = lives;
                } else {
                    out.extend(records.drain());
                }
            };
            while replicate.step_year().is_some() {
                take(replicate.observer(), &mut out);
            }
            let (tally, mut records) = replicate.finish();
            take(&mut records, &mut out);
            assert_eq!(records.finished(), 0);
            assert_eq!(records.in_progress(), 0);
            (tally, out)
        };
        let (tally, fresh) = run(false);
        let (_, filled) = run(true);
        assert_eq!(fresh.len() as u64, tally.clones_created);
        assert!(
            fresh
                .iter()
                .any(|r| r.donations.len() >= 2 && r.carers.len() >= 2)
        );
        assert!(fresh.iter().any(|r| !r.partners.is_empty()));
        assert_eq!(filled, fresh);
    }
}
