//! One replicate's announcements as a compact columnar index: the events in announcement
//! order as parallel columns (struct of arrays), the events of each kind and of each person
//! as offset tables into them, and per-person facts (home, birth, half-way house, completion,
//! donations, career, partners) as columns by id.
//!
//! An [`IndexBuilder`] is filled either live, as an [`Observer`] of a running replicate, or
//! from a stored log ([`crate::read_log`]). Both come through the log's codec: a happening is
//! encoded ([`hailsham_log::encode`]) into the very row the stored log's columns are read
//! into, and that row becomes the index's by one function ([`Row::of_log`]), so the two give
//! the same index.

use hailsham_log::{Detail, Kind};
use hailsham_world::{Day, Happening, Observer, Params, PersonId, Places};

/// No person, no day: the empty value of the id and day columns.
pub(crate) const NONE: u32 = u32::MAX;
/// No day.
pub(crate) const NO_DAY: i32 = i32::MIN;
/// No place, no house.
pub(crate) const NO_PLACE: u16 = u16::MAX;
/// No code, no town, no flag.
pub(crate) const NO_CODE: u8 = u8::MAX;

/// Days in a year, for years between days.
pub(crate) const YEAR_DAYS: f64 = hailsham_world::DAYS_PER_YEAR;

/// One announcement, normalised: what a [`Happening`] and a row of the log both become.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Row {
    /// Kind, as its index (`Kind as u8`).
    pub kind: u8,
    /// Days since 1970-01-01.
    pub day: i32,
    /// The first party, or none.
    pub person: u32,
    /// The second party, or none.
    pub other: u32,
    /// A half-way house (a code of [`Index::houses`]) or a recovery centre (a town).
    pub place: u16,
    /// A town.
    pub town: u8,
    /// An enumerated value: blood group, how, why, organ, stage.
    pub code: u8,
    /// A donation's number (0 for none).
    pub number: u8,
    /// A flag: 0, 1, or [`NO_CODE`].
    pub flag: u8,
    /// A count.
    pub count: u32,
    /// A second count.
    pub count2: u32,
    /// An amount (km, life-years, pieces).
    pub amount: f32,
}

impl Row {
    pub(crate) fn new(kind: u8, day: i32) -> Row {
        Row {
            kind,
            day,
            person: NONE,
            other: NONE,
            place: NO_PLACE,
            town: NO_CODE,
            code: NO_CODE,
            number: 0,
            flag: NO_CODE,
            count: 0,
            count2: 0,
            amount: 0.0,
        }
    }
}

impl Row {
    /// The index's row of a row of the log on `date` (days since 1970), with the home of a
    /// creation ([`NO_CODE`] for any other row): the one way into the index, for a live run
    /// and a stored log alike. A house and a centre share the place column (no kind has
    /// both); the house is a code of [`Index::houses`]. Inlined into the loop over a stored
    /// log's rows, where it runs a quarter of a billion times for the world.
    #[inline(always)]
    pub(crate) fn of_log(row: &hailsham_log::Row, date: i32) -> (Row, u8) {
        let mut out = Row::new(row.kind as u8, date);
        out.person = opt(row.person);
        out.other = opt(row.other);
        if let Some(centre) = row.centre {
            out.place = u16::from(centre);
        }
        if let Some(house) = row.house {
            out.place = house;
        }
        out.town = row.town.unwrap_or(NO_CODE);
        out.code = row
            .detail
            .map(Detail::code)
            .or(row.organ.map(|organ| organ as u8))
            .unwrap_or(NO_CODE);
        out.number = row
            .number
            .map_or(0, |n| u8::try_from(n.clamp(0, 255)).unwrap_or(0));
        out.flag = row.flag.map_or(NO_CODE, u8::from);
        out.count = small(row.count);
        out.count2 = small(row.count_2);
        out.amount = row.amount.map_or(0.0, amount);
        if row.kind == Kind::Patients {
            // What grown organs served, which the index does not keep.
            out.number = 0;
            out.amount = 0.0;
        }
        (out, row.home.map_or(NO_CODE, |home| home as u8))
    }
}

/// The kinds the builder keeps facts of, by index.
const CREATED: u8 = Kind::Created as u8;
const LEFT_HOME: u8 = Kind::LeftHome as u8;
const COUPLE_FORMED: u8 = Kind::CoupleFormed as u8;
const CARER_QUALIFIED: u8 = Kind::CarerQualified as u8;
const CAREER_ENDED: u8 = Kind::CareerEnded as u8;
const DONATION: u8 = Kind::Donation as u8;
const COMPLETED: u8 = Kind::Completed as u8;

/// A replicate's announcements, indexed. See the module documentation.
#[derive(Debug, Default)]
pub struct Index {
    /// The replicate.
    pub replicate: u32,
    pub(crate) kind: Vec<u8>,
    pub(crate) day: Vec<i32>,
    pub(crate) person: Vec<u32>,
    pub(crate) other: Vec<u32>,
    pub(crate) place: Vec<u16>,
    pub(crate) town: Vec<u8>,
    pub(crate) code: Vec<u8>,
    pub(crate) number: Vec<u8>,
    pub(crate) flag: Vec<u8>,
    pub(crate) count: Vec<u32>,
    pub(crate) count2: Vec<u32>,
    pub(crate) amount: Vec<f32>,
    /// Events of kind k: `by_kind[kind_start[k]..kind_start[k + 1]]`, in order.
    kind_start: Vec<u32>,
    by_kind: Vec<u32>,
    /// Events of person p (as either party): `by_person[person_start[p]..person_start[p + 1]]`.
    person_start: Vec<u32>,
    by_person: Vec<u32>,
    /// Per person, by id.
    pub(crate) home: Vec<u8>,
    pub(crate) blood: Vec<u8>,
    pub(crate) birth: Vec<i32>,
    pub(crate) house: Vec<u16>,
    pub(crate) completion: Vec<i32>,
    pub(crate) donations: Vec<u8>,
    pub(crate) carer_start: Vec<i32>,
    pub(crate) carer_end: Vec<i32>,
    partner_start: Vec<u32>,
    partners: Vec<u32>,
    /// The names of the half-way houses, by code.
    pub houses: Vec<String>,
    /// The last day of the run.
    pub end_day: i32,
}

impl Index {
    /// Announcements indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.kind.len()
    }

    /// Whether nothing was announced.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.kind.is_empty()
    }

    /// People: one more than the highest id seen.
    #[must_use]
    pub fn people(&self) -> usize {
        self.home.len()
    }

    /// The events of kind `kind`, in order.
    pub(crate) fn of_kind(&self, kind: u8) -> &[u32] {
        let k = usize::from(kind);
        &self.by_kind[self.kind_start[k] as usize..self.kind_start[k + 1] as usize]
    }

    /// The events of person `p`, in order.
    pub(crate) fn of_person(&self, p: u32) -> &[u32] {
        let p = p as usize;
        if p + 1 >= self.person_start.len() {
            return &[];
        }
        &self.by_person[self.person_start[p] as usize..self.person_start[p + 1] as usize]
    }

    /// The partners person `p` ever formed a couple with.
    pub(crate) fn partners_of(&self, p: u32) -> &[u32] {
        let p = p as usize;
        if p + 1 >= self.partner_start.len() {
            return &[];
        }
        &self.partners[self.partner_start[p] as usize..self.partner_start[p + 1] as usize]
    }

    /// The name of a house code.
    #[must_use]
    pub fn house_name(&self, code: u16) -> Option<&str> {
        self.houses.get(usize::from(code)).map(String::as_str)
    }

    /// Years person `p` worked as a carer (to the end of the career, or of the run); 0 if
    /// never.
    pub(crate) fn carer_years(&self, p: u32) -> f64 {
        let p = p as usize;
        match self.carer_start.get(p) {
            Some(&start) if start != NO_DAY => {
                // To the career's end; else to completion (a career ends before donation,
                // but a log built by hand may say otherwise); else to the run's end.
                let end = match (self.carer_end[p], self.completion[p]) {
                    (NO_DAY, NO_DAY) => self.end_day,
                    (NO_DAY, completion) => completion,
                    (end, _) => end,
                };
                f64::from(end - start) / YEAR_DAYS
            }
            _ => 0.0,
        }
    }

    /// The calendar year of a day.
    pub(crate) fn year_of(day: i32) -> i64 {
        hailsham_table::civil_from_days(day).0
    }
}

/// Builds an [`Index`] from rows in announcement order.
#[derive(Debug)]
pub struct IndexBuilder {
    index: Index,
    /// The day of each person's creation, for births inferred from ages.
    created: Vec<i32>,
    /// Creation day less birth day, once known (a stored log has no births, only ages).
    birth_offset: Option<i32>,
    births_known: bool,
    couples: Vec<(u32, u32)>,
    /// Live: the run's first day, as days since 1970.
    epoch: i32,
}

/// Ids a log may hold at most: the model's own bound on clones (2^28).
pub(crate) const IDS_MAX: u32 = 1 << 28;

impl IndexBuilder {
    /// An empty builder for replicate `replicate`; houses are named by `houses` (by the
    /// model's index, for a live run) and more are added as a log names them.
    #[must_use]
    pub fn new(replicate: u32, houses: Vec<String>) -> IndexBuilder {
        IndexBuilder {
            index: Index {
                replicate,
                houses,
                end_day: NO_DAY,
                ..Index::default()
            },
            created: Vec::new(),
            birth_offset: None,
            births_known: false,
            couples: Vec::new(),
            epoch: 0,
        }
    }

    /// A builder for a live run of `params`: its observer ([`Observer`]) fills it.
    ///
    /// # Panics
    /// If the start year is out of the calendar's range (validated parameters never are).
    #[must_use]
    pub fn live(params: &Params, replicate: u32) -> IndexBuilder {
        let places = Places::new(params);
        let houses = (0..places.houses())
            .map(|h| {
                places
                    .house(u16::try_from(h).unwrap_or(u16::MAX))
                    .to_string()
            })
            .collect();
        let mut builder = IndexBuilder::new(replicate, houses);
        let start = i32::try_from(params.time.start_year).expect("range checked");
        builder.epoch = hailsham_log::epoch(hailsham_world::Calendar::new(start))
            .expect("start years are in range");
        builder.births_known = true;
        builder
    }

    /// Makes room for `rows` more announcements.
    pub fn reserve(&mut self, rows: usize) {
        let index = &mut self.index;
        index.kind.reserve(rows);
        index.day.reserve(rows);
        index.person.reserve(rows);
        index.other.reserve(rows);
        index.place.reserve(rows);
        index.town.reserve(rows);
        index.code.reserve(rows);
        index.number.reserve(rows);
        index.flag.reserve(rows);
        index.count.reserve(rows);
        index.count2.reserve(rows);
        index.amount.reserve(rows);
    }

    /// Rows pushed so far.
    #[must_use]
    pub fn len(&self) -> usize {
        self.index.kind.len()
    }

    /// Whether nothing was pushed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.index.kind.is_empty()
    }

    /// The code of a house named `name`, added if new.
    pub(crate) fn house_code(&mut self, name: &str) -> u16 {
        if let Some(code) = self.index.houses.iter().position(|h| h == name) {
            return u16::try_from(code).unwrap_or(NO_PLACE);
        }
        self.index.houses.push(name.to_string());
        u16::try_from(self.index.houses.len() - 1).unwrap_or(NO_PLACE)
    }

    fn person_row(&mut self, id: u32) -> usize {
        let p = id as usize;
        if p >= self.index.home.len() {
            let n = p + 1;
            let index = &mut self.index;
            index.home.resize(n, NO_CODE);
            index.blood.resize(n, NO_CODE);
            index.birth.resize(n, NO_DAY);
            index.house.resize(n, NO_PLACE);
            index.completion.resize(n, NO_DAY);
            index.donations.resize(n, 0);
            index.carer_start.resize(n, NO_DAY);
            index.carer_end.resize(n, NO_DAY);
            self.created.resize(n, NO_DAY);
        }
        p
    }

    /// Tells the builder a person's birth day (a live run knows it; a log gives ages).
    pub(crate) fn set_birth(&mut self, id: u32, birth: i32) {
        let p = self.person_row(id);
        self.index.birth[p] = birth;
    }

    /// Tells the builder a person's age in days on `day` (a log's `age_days`), from which
    /// births are inferred: creation comes a fixed time after birth.
    pub(crate) fn saw_age(&mut self, id: u32, day: i32, age_days: i32) {
        if self.births_known || self.birth_offset.is_some() {
            return;
        }
        let p = id as usize;
        if let Some(&created) = self.created.get(p)
            && created != NO_DAY
        {
            self.birth_offset = Some(created - (day - age_days));
        }
    }

    /// Adds one announcement; `home` is the home of a `created` row.
    ///
    /// # Errors
    /// A person id beyond the model's bound (a log that is not the model's).
    pub fn push(&mut self, row: Row, home: u8) -> Result<(), String> {
        for id in [row.person, row.other] {
            if id != NONE && id >= IDS_MAX {
                return Err(format!("person id {id} is beyond the model's ids (2^28)"));
            }
        }
        if row.person != NONE {
            let p = self.person_row(row.person);
            let index = &mut self.index;
            match row.kind {
                CREATED => {
                    index.home[p] = home;
                    index.blood[p] = row.code;
                    self.created[p] = row.day;
                }
                LEFT_HOME => index.house[p] = row.place,
                COUPLE_FORMED if row.other != NONE => self.couples.push((row.person, row.other)),
                CARER_QUALIFIED if index.carer_start[p] == NO_DAY => {
                    index.carer_start[p] = row.day;
                }
                CAREER_ENDED => index.carer_end[p] = row.day,
                DONATION => index.donations[p] = index.donations[p].saturating_add(1),
                COMPLETED => index.completion[p] = row.day,
                // The facts of a person are these; other kinds are only indexed.
                _ => {}
            }
        }
        if row.other != NONE {
            self.person_row(row.other);
        }
        let index = &mut self.index;
        index.end_day = index.end_day.max(row.day);
        index.kind.push(row.kind);
        index.day.push(row.day);
        index.person.push(row.person);
        index.other.push(row.other);
        index.place.push(row.place);
        index.town.push(row.town);
        index.code.push(row.code);
        index.number.push(row.number);
        index.flag.push(row.flag);
        index.count.push(row.count);
        index.count2.push(row.count2);
        index.amount.push(row.amount);
        Ok(())
    }

    /// The finished index: the offset tables built by counting sorts.
    #[must_use]
    pub fn finish(mut self) -> Index {
        // Every kind has its place in the table, those a pattern cannot name too.
        let kinds = Kind::ALL.len();
        // Births of a stored log: creation day less the offset its ages give.
        if !self.births_known {
            for (p, &created) in self.created.iter().enumerate() {
                self.index.birth[p] = match (created, self.birth_offset) {
                    (NO_DAY, _) | (_, None) => NO_DAY,
                    (created, Some(offset)) => created - offset,
                };
            }
        }
        let index = &mut self.index;
        // The two offset tables read only the columns and write only their own vectors: built
        // on two threads at once, each exactly as it would be alone (a world's index has a
        // quarter of a billion events, and the reading thread is idle by now).
        let (by_kind, by_person) = std::thread::scope(|scope| {
            let kinds_of = &index.kind;
            let by_kind = scope.spawn(move || kind_table(kinds_of, kinds));
            let by_person = person_table(&index.person, &index.other, index.home.len());
            (by_kind.join(), by_person)
        });
        let (kind_start, by_kind) = match by_kind {
            Ok(table) => table,
            // A panic in the other thread is a bug; build the table here instead.
            Err(_) => kind_table(&index.kind, kinds),
        };
        index.kind_start = kind_start;
        index.by_kind = by_kind;
        let (person_start, by_person) = by_person;
        index.person_start = person_start;
        index.by_person = by_person;
        let people = index.home.len();
        // Partners, both ways, each once, in order of first coupling.
        let mut start = vec![0u32; people + 1];
        for &(a, b) in &self.couples {
            start[a as usize + 1] += 1;
            start[b as usize + 1] += 1;
        }
        for p in 0..people {
            start[p + 1] += start[p];
        }
        let mut fill = start.clone();
        let mut partners = vec![0u32; start[people] as usize];
        for &(a, b) in &self.couples {
            for (x, y) in [(a, b), (b, a)] {
                partners[fill[x as usize] as usize] = y;
                fill[x as usize] += 1;
            }
        }
        index.partner_start = start;
        index.partners = partners;
        self.index
    }
}

/// The events of each kind, in event order: the offsets of each kind in the table, and the
/// table.
fn kind_table(kind: &[u8], kinds: usize) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; kinds + 1];
    for &k in kind {
        start[usize::from(k) + 1] += 1;
    }
    for k in 0..kinds {
        start[k + 1] += start[k];
    }
    let mut fill = start.clone();
    let mut by_kind = vec![0u32; kind.len()];
    for (event, &k) in kind.iter().enumerate() {
        let slot = &mut fill[usize::from(k)];
        by_kind[*slot as usize] = u32::try_from(event).unwrap_or(u32::MAX);
        *slot += 1;
    }
    (start, by_kind)
}

/// The events of each person, in event order: each event under its first party, and under
/// its second if another. The offsets of each person in the table, and the table.
pub(crate) fn person_table(person: &[u32], other: &[u32], people: usize) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; people + 1];
    for (&a, &b) in person.iter().zip(other) {
        if a != NONE {
            start[a as usize + 1] += 1;
        }
        if b != NONE && b != a {
            start[b as usize + 1] += 1;
        }
    }
    for p in 0..people {
        start[p + 1] += start[p];
    }
    let mut fill = start.clone();
    let mut by_person = vec![0u32; start[people] as usize];
    for (event, (&a, &b)) in person.iter().zip(other).enumerate() {
        let event = u32::try_from(event).unwrap_or(u32::MAX);
        if a != NONE {
            by_person[fill[a as usize] as usize] = event;
            fill[a as usize] += 1;
        }
        if b != NONE && b != a {
            by_person[fill[b as usize] as usize] = event;
            fill[b as usize] += 1;
        }
    }
    (start, by_person)
}

fn opt(p: Option<PersonId>) -> u32 {
    p.map_or(NONE, |p| p.0)
}

/// A count of the log (never negative when the model wrote it), as the index keeps it.
fn small(n: Option<i64>) -> u32 {
    n.map_or(0, |n| u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

#[allow(clippy::cast_possible_truncation)]
fn amount(x: f64) -> f32 {
    x as f32
}

impl Observer for IndexBuilder {
    fn observe(&mut self, day: Day, happening: &Happening) {
        let Some(row) = hailsham_log::encode(happening) else {
            return;
        };
        let date = self.epoch + i32::try_from(day.0).unwrap_or(i32::MAX);
        let (row, home) = Row::of_log(&row, date);
        if let Happening::Created { person, birth, .. } = happening {
            let birth = self.epoch + i32::try_from(birth.0).unwrap_or(i32::MAX);
            self.set_birth(person.0, birth);
        }
        // A live run's ids are the model's: always within bounds.
        let _ = self.push(row, home);
    }
}
