//! A life read back from a stored event log (`hailsham run --out DIR --log` writes
//! `DIR/log-NNN.parquet`, the columns of docs/log.md) instead of a re-run of its replicate.
//!
//! The log holds every announcement, one row each, in the order announced, so the rows that
//! name one clone, decoded back into [`Happening`]s, are what a [`crate::Witness`] of the
//! re-run would have kept, and the story told from them is the same. Only a few hundred of
//! the log's millions of rows concern one life, so the file is read in three passes, each
//! narrower than the last:
//!
//! 1. the two id columns (`person`, `other`), from the first row group that can hold the
//!    clone on (row-group statistics rule out the ones before its creation): which rows name
//!    the clone, who the other parties are, and, since ids are given in order of creation,
//!    where each clone was created (the first row naming it);
//! 2. `kind` and `date` at those rows only, and at the rows of the parties met: which of
//!    theirs is a completion;
//! 3. the other columns at the clone's own rows, and the home and cohort place at the
//!    parties' creations.
//!
//! Pages that hold none of the rows wanted are passed over by their headers, undecompressed
//! ([`ParquetColumns::read_rows`]).
//!
//! Two fields of the announcements are not in the log and are computed as the model computes
//! them: a clone's birth (its creation less the entry age, `homes.home_entry_age_years`), and
//! the life-years lost at completion (`society.life_expectancy_years` less the age). A birth
//! is checked against the ages the log does hold (of donations and completion), so a log of
//! another scenario is refused rather than told wrong.

use std::path::{Path, PathBuf};

use hailsham_outputs::LOG_COLUMNS;
use hailsham_table::{ColumnValues, ParquetColumns, TableError};
use hailsham_world::{
    Assignment, BloodGroup, DAYS_PER_YEAR, Day, HOUSE_CARE, HOUSE_HAILSHAM, Happening, HomeKind,
    Lineage, Organ, Params, PersonId, Places, Release, Stage,
};

use crate::life::{Facts, Life, LifeError, NONE, Record, calendar_of, last_day};

/// Why a life could not be read from a stored log.
#[derive(Debug)]
pub enum ReadLifeError {
    /// The file could not be read, or is not Parquet.
    Table {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: TableError,
    },
    /// A file whose columns or values are not those of a log of this scenario.
    NotALog {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The log holds no such clone.
    Life(LifeError),
}

impl std::fmt::Display for ReadLifeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadLifeError::Table { path, source } => write!(
                f,
                "cannot read {}: {}",
                path.display(),
                hailsham_table::error_chain(source)
            ),
            ReadLifeError::NotALog { path, detail } => write!(
                f,
                "{} is not an event log of this scenario: {detail}",
                path.display()
            ),
            ReadLifeError::Life(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ReadLifeError {}

/// Ids a log may hold at most: the model's own bound on the clones a run creates (2^28, the
/// slots a queued event can name), so that a foreign file's ids cannot size the reader's sets.
const IDS_MAX: u32 = 1 << 28;

/// Where a row lies: its row group and its row in the group.
type At = (usize, usize);

/// The columns of the log this reader reads, by their position in the file.
struct Positions {
    date: usize,
    kind: usize,
    person: usize,
    other: usize,
    home: usize,
    count: usize,
    /// The columns only the clone's own rows need, in the order [`Fields`] takes them.
    fields: [usize; FIELD_COLUMNS.len()],
}

/// The columns read at the clone's own rows besides the day, kind and parties.
const FIELD_COLUMNS: [&str; 11] = [
    "home", "house", "centre", "town", "organ", "number", "age_days", "count", "flag", "amount",
    "detail",
];

/// One row's columns besides the day, kind and parties, words resolved (`count_2` belongs to
/// kinds with no party, never to a life).
#[derive(Default, Clone)]
struct Fields {
    home: Option<String>,
    house: Option<String>,
    centre: Option<String>,
    town: Option<String>,
    organ: Option<String>,
    number: Option<i32>,
    age_days: Option<i32>,
    count: Option<i64>,
    flag: Option<bool>,
    amount: Option<f64>,
    detail: Option<String>,
}

/// What the first pass found.
#[derive(Default)]
struct Scan {
    /// Rows naming the clone as either party.
    own: Vec<At>,
    /// Rows about a party of the life after they met it (where their completion is), with
    /// the party.
    parties_rows: Vec<(At, u32)>,
    /// The parties met, as a set of ids.
    parties: IdSet,
    /// Creations seen, by id, ascending (ids are given in order of creation).
    created: Vec<(u32, At)>,
    /// The row that says the humane homes closed, if the pass met it.
    closing: Vec<At>,
}

/// A set of ids as a bitmap: the first pass asks it about every row.
#[derive(Default)]
struct IdSet {
    words: Vec<u64>,
}

impl IdSet {
    fn insert(&mut self, id: u32) {
        let word = (id / 64) as usize;
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= 1 << (id % 64);
    }

    fn contains(&self, id: u32) -> bool {
        self.words
            .get((id / 64) as usize)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    fn ids(&self) -> Vec<u32> {
        let mut ids = Vec::new();
        for (i, &word) in self.words.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let bit = bits.trailing_zeros();
                ids.push(u32::try_from(i).unwrap_or(u32::MAX) * 64 + bit);
                bits &= bits - 1;
            }
        }
        ids
    }
}

/// An open log and what it takes to read it.
struct Log<'a> {
    path: &'a Path,
    reader: ParquetColumns,
    positions: Positions,
}

impl Log<'_> {
    fn table(&self, source: TableError) -> ReadLifeError {
        ReadLifeError::Table {
            path: self.path.to_path_buf(),
            source,
        }
    }

    fn not_a_log(&self, detail: impl Into<String>) -> ReadLifeError {
        ReadLifeError::NotALog {
            path: self.path.to_path_buf(),
            detail: detail.into(),
        }
    }

    fn groups(&self) -> usize {
        self.reader.row_groups()
    }

    /// The greatest id in `column` of `group` (by the writer's statistics), or `None` if it
    /// kept none.
    fn max_id(&self, group: usize, column: usize) -> Option<i64> {
        self.reader.int_bounds(group, column).map(|(_, max)| max)
    }

    /// An id column of one row group, a null as [`NONE`].
    fn ids(
        &mut self,
        group: usize,
        column: usize,
        out: &mut Vec<u32>,
    ) -> Result<(), ReadLifeError> {
        ids_of(&mut self.reader, self.path, group, column, out)
    }

    /// Pass 1: the id columns, from the group of the clone's creation to the group of its
    /// completion (or the end). `second` is another reader of the same file: the `other`
    /// column is read on a second thread while this one reads `person`.
    fn scan(
        &mut self,
        second: &mut ParquetColumns,
        id: u32,
        closing_date: Option<i32>,
    ) -> Result<Scan, ReadLifeError> {
        let (p_person, p_other, p_date) = (
            self.positions.person,
            self.positions.other,
            self.positions.date,
        );
        let groups = self.groups();
        // The clone's first row is its creation: in the first group whose greatest id
        // reaches it. A group without statistics may hold anything.
        let first = (0..groups)
            .find(|&g| {
                self.max_id(g, p_person)
                    .is_none_or(|max| max >= i64::from(id))
            })
            .unwrap_or(groups);
        let mut scan = Scan::default();
        // Ids are given in order of creation, so the first row naming a clone above every id
        // seen so far is that clone's creation.
        let mut highest: i64 = (0..first)
            .filter_map(|g| self.max_id(g, p_person))
            .max()
            .unwrap_or(-1);
        let (mut persons, mut others, mut dates) = (Vec::new(), Vec::new(), Vec::new());
        let mut completed_on: Option<i32> = None;
        let mut closing_seen = closing_date.is_none();
        for group in first..groups {
            let closing_here = closing_date.filter(|&date| self.holds_date(group, date));
            let path = self.path;
            let others_out = &mut others;
            let second = &mut *second;
            std::thread::scope(|threads| {
                let other = threads.spawn(move || ids_of(second, path, group, p_other, others_out));
                let person = self.ids(group, p_person, &mut persons);
                let other = other.join().unwrap_or_else(|_| {
                    Err(self.not_a_log("the thread reading the `other` column failed"))
                });
                person.and(other)
            })?;
            if closing_here.is_some() {
                self.dates(group, &mut dates)?;
                closing_seen = true;
            }
            let mut fresh = Vec::new();
            for (row, (&person, &other)) in persons.iter().zip(&others).enumerate() {
                if person != NONE && i64::from(person) > highest {
                    scan.created.push((person, (group, row)));
                    highest = i64::from(person);
                }
                if person == id || other == id {
                    scan.own.push((group, row));
                    if person == id {
                        fresh.push(row);
                    }
                    let party = if person == id { other } else { person };
                    if party != NONE {
                        scan.parties.insert(party);
                    }
                } else if person != NONE {
                    if scan.parties.contains(person) {
                        scan.parties_rows.push(((group, row), person));
                    }
                } else if other == NONE
                    && closing_here.is_some_and(|date| dates.get(row) == Some(&date))
                {
                    scan.closing.push((group, row));
                }
            }
            // Completion ends a clone's line of announcements: nothing names it after the
            // day it completes, so the pass stops at the group where that day ends.
            if completed_on.is_none() && !fresh.is_empty() {
                completed_on = self.completion_among(group, &fresh)?;
            }
            if let Some(day) = completed_on
                && self
                    .reader
                    .int_bounds(group, p_date)
                    .is_some_and(|(_, last)| last > i64::from(day))
            {
                break;
            }
        }
        // The humane homes may close after the clone's last row: that day is read apart.
        if let Some(date) = closing_date.filter(|_| !closing_seen) {
            let holding: Vec<usize> = (0..groups).filter(|&g| self.holds_date(g, date)).collect();
            for group in holding {
                self.ids(group, p_person, &mut persons)?;
                ids_of(second, self.path, group, p_other, &mut others)?;
                self.dates(group, &mut dates)?;
                for (row, (&person, &other)) in persons.iter().zip(&others).enumerate() {
                    if person == NONE && other == NONE && dates.get(row) == Some(&date) {
                        scan.closing.push((group, row));
                    }
                }
            }
        }
        Ok(scan)
    }

    /// Whether row group `group` may hold rows of day `date` (by the date column's bounds).
    fn holds_date(&self, group: usize, date: i32) -> bool {
        self.reader
            .int_bounds(group, self.positions.date)
            .is_none_or(|(low, high)| (low..=high).contains(&i64::from(date)))
    }

    /// The date column of one row group (a null as `i32::MIN`).
    fn dates(&mut self, group: usize, out: &mut Vec<i32>) -> Result<(), ReadLifeError> {
        out.clear();
        out.resize(self.reader.group_rows(group), i32::MIN);
        let column = self.positions.date;
        self.reader
            .scan_int32(group, column, |row, date| out[row] = date)
            .map_err(|e| ReadLifeError::Table {
                path: self.path.to_path_buf(),
                source: e,
            })
    }

    /// The date of the completion among rows `rows` of `group`, if one is.
    fn completion_among(
        &mut self,
        group: usize,
        rows: &[usize],
    ) -> Result<Option<i32>, ReadLifeError> {
        let at: Vec<At> = rows.iter().map(|&row| (group, row)).collect();
        let (p_kind, p_date) = (self.positions.kind, self.positions.date);
        let read = self.read_at(&[p_kind, p_date], &at)?;
        Ok((0..at.len()).find_map(|i| {
            (self.word(p_kind, code(&read[0], i)).as_deref() == Some("completed"))
                .then(|| int32(&read[1], i))
                .flatten()
        }))
    }

    /// The creation rows of clones created before the first group pass 1 read: the first row
    /// naming each, in the group where the greatest id first reaches it.
    fn earlier_creations(&mut self, ids: &[u32]) -> Result<Vec<(u32, At)>, ReadLifeError> {
        let p_person = self.positions.person;
        let mut by_group: Vec<(usize, u32)> = Vec::new();
        for &id in ids {
            let group = (0..self.groups())
                .find(|&g| {
                    self.max_id(g, p_person)
                        .is_none_or(|max| max >= i64::from(id))
                })
                .ok_or_else(|| self.not_a_log(format!("clone {id} is named but never created")))?;
            by_group.push((group, id));
        }
        by_group.sort_unstable();
        let mut found = Vec::with_capacity(ids.len());
        let mut persons = Vec::new();
        let mut i = 0;
        while i < by_group.len() {
            let group = by_group[i].0;
            let end = by_group[i..]
                .iter()
                .position(|&(g, _)| g != group)
                .map_or(by_group.len(), |n| i + n);
            self.ids(group, p_person, &mut persons)?;
            for &(_, id) in &by_group[i..end] {
                let row = persons
                    .iter()
                    .position(|&p| p == id)
                    .ok_or_else(|| self.not_a_log(format!("clone {id} is never created")))?;
                found.push((id, (group, row)));
            }
            i = end;
        }
        Ok(found)
    }

    /// Reads the columns at `positions` at the rows `at` (in any order, no duplicates); the
    /// values come back in the order of `at`, column by column.
    fn read_at(
        &mut self,
        positions: &[usize],
        at: &[At],
    ) -> Result<Vec<ColumnValues>, ReadLifeError> {
        let names: Vec<String> = positions
            .iter()
            .map(|&p| self.reader.columns()[p].name.clone())
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        self.reader.select(&names).map_err(|e| self.table(e))?;
        let mut order: Vec<usize> = (0..at.len()).collect();
        order.sort_unstable_by_key(|&i| at[i]);
        let mut columns: Vec<ColumnValues> = Vec::new();
        let mut i = 0;
        let mut rows = Vec::new();
        while i < order.len() {
            let group = at[order[i]].0;
            rows.clear();
            while i < order.len() && at[order[i]].0 == group {
                rows.push(at[order[i]].1);
                i += 1;
            }
            let read = self
                .reader
                .read_rows(group, &rows)
                .map_err(|e| self.table(e))?;
            if columns.is_empty() {
                columns = read.values;
            } else {
                for (column, values) in columns.iter_mut().zip(read.values) {
                    append(column, values);
                }
            }
        }
        if columns.is_empty() {
            // No rows: one empty column for each asked for, so that every column is there.
            columns = positions
                .iter()
                .map(|_| ColumnValues::Int32(Vec::new()))
                .collect();
        }
        // Back to the order asked for.
        Ok(columns
            .into_iter()
            .map(|column| permute(column, &order))
            .collect())
    }

    /// The word of text column `column` for `code`.
    fn word(&self, column: usize, code: Option<u32>) -> Option<String> {
        code.and_then(|c| self.reader.dictionary(column).get(c as usize).cloned())
    }
}

/// An id column of one row group of `reader` (the file at `path`), a null as [`NONE`].
fn ids_of(
    reader: &mut ParquetColumns,
    path: &Path,
    group: usize,
    column: usize,
    out: &mut Vec<u32>,
) -> Result<(), ReadLifeError> {
    out.clear();
    out.resize(reader.group_rows(group), NONE);
    let mut bad = None;
    reader
        .scan_int32(group, column, |row, value| match u32::try_from(value) {
            Ok(id) if id < IDS_MAX => out[row] = id,
            _ => bad = Some(value),
        })
        .map_err(|source| ReadLifeError::Table {
            path: path.to_path_buf(),
            source,
        })?;
    match bad {
        Some(value) => Err(ReadLifeError::NotALog {
            path: path.to_path_buf(),
            detail: format!("a person id {value} beyond the model's ids (0 to 2^28)"),
        }),
        None => Ok(()),
    }
}

/// `values` appended to `column` (both of one type).
fn append(column: &mut ColumnValues, values: ColumnValues) {
    match (column, values) {
        (ColumnValues::Int32(a), ColumnValues::Int32(b))
        | (ColumnValues::Date(a), ColumnValues::Date(b)) => a.extend(b),
        (ColumnValues::Int64(a), ColumnValues::Int64(b)) => a.extend(b),
        (ColumnValues::Float64(a), ColumnValues::Float64(b)) => a.extend(b),
        (ColumnValues::Bool(a), ColumnValues::Bool(b)) => a.extend(b),
        (ColumnValues::Text(a), ColumnValues::Text(b)) => a.extend(b),
        // One reader, one column: the types agree.
        _ => {}
    }
}

/// `column`, whose `k`th value belongs to row `order[k]`, put in row order.
fn permute(column: ColumnValues, order: &[usize]) -> ColumnValues {
    fn put<T: Copy>(values: &[Option<T>], order: &[usize]) -> Vec<Option<T>> {
        let mut out = vec![None; values.len()];
        for (k, &i) in order.iter().enumerate() {
            if let (Some(slot), Some(&value)) = (out.get_mut(i), values.get(k)) {
                *slot = value;
            }
        }
        out
    }
    match column {
        ColumnValues::Int32(v) => ColumnValues::Int32(put(&v, order)),
        ColumnValues::Date(v) => ColumnValues::Date(put(&v, order)),
        ColumnValues::Int64(v) => ColumnValues::Int64(put(&v, order)),
        ColumnValues::Float64(v) => ColumnValues::Float64(put(&v, order)),
        ColumnValues::Bool(v) => ColumnValues::Bool(put(&v, order)),
        ColumnValues::Text(v) => ColumnValues::Text(put(&v, order)),
    }
}

/// Days from birth to creation: the entry age in whole days, rounded, as the model counts it.
fn entry_days(params: &Params) -> u32 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let days = (params.homes.home_entry_age_years * DAYS_PER_YEAR)
        .round()
        .max(0.0) as u32;
    days
}

/// The life-years lost by a completion at `age_days`, as the model counts them.
fn life_years_lost(params: &Params, age_days: u32) -> f64 {
    (params.society.life_expectancy_years - f64::from(age_days) / DAYS_PER_YEAR).max(0.0)
}

/// What a decoder needs of the run: the names of places, the parameters.
struct Names<'a> {
    places: &'a Places,
    params: &'a Params,
    entry_days: u32,
}

impl Names<'_> {
    fn house(&self, name: &str) -> Option<u16> {
        match name {
            _ if name == self.places.house(HOUSE_HAILSHAM) => return Some(HOUSE_HAILSHAM),
            _ if name == self.places.house(HOUSE_CARE) => return Some(HOUSE_CARE),
            _ => {}
        }
        (0..self.places.houses())
            .filter_map(|h| u16::try_from(h).ok())
            .find(|&h| self.places.house(h) == name)
    }

    fn centre(&self, name: &str) -> Option<u8> {
        (0..=u8::MAX)
            .take(hailsham_world::centre_names().len())
            .find(|&c| self.places.centre(c) == name)
    }
}

fn word_of<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, word: &str) -> Option<T> {
    all.iter().copied().find(|&value| name(value) == word)
}

/// The announcement of one row: the inverse of the event log's row of a [`Happening`]
/// (`EventLog` in hailsham-report). `Err` names what is missing or unknown.
#[allow(clippy::too_many_lines)]
fn happening(
    kind: &str,
    day: Day,
    person: Option<PersonId>,
    other: Option<PersonId>,
    fields: &Fields,
    names: &Names<'_>,
) -> Result<Happening, String> {
    use Happening as H;
    let missing = |column: &str| format!("a `{kind}` row without `{column}`");
    let person = || person.ok_or_else(|| missing("person"));
    let other_party = || other.ok_or_else(|| missing("other"));
    let text = |value: &Option<String>, column: &str| -> Result<String, String> {
        value.clone().ok_or_else(|| missing(column))
    };
    let count = || fields.count.ok_or_else(|| missing("count"));
    let flag = || fields.flag.ok_or_else(|| missing("flag"));
    let amount = || fields.amount.ok_or_else(|| missing("amount"));
    let number = || -> Result<u8, String> {
        let n = fields.number.ok_or_else(|| missing("number"))?;
        u8::try_from(n).map_err(|_| format!("a `{kind}` row with number {n}"))
    };
    let age = || -> Result<u32, String> {
        let n = fields.age_days.ok_or_else(|| missing("age_days"))?;
        u32::try_from(n).map_err(|_| format!("a `{kind}` row with age {n} days"))
    };
    let fits = |n: i64, column: &str| format!("a `{kind}` row whose `{column}` is {n}");
    let house = || -> Result<u16, String> {
        let name = text(&fields.house, "house")?;
        names
            .house(&name)
            .ok_or_else(|| format!("a house `{name}` this scenario does not have"))
    };
    let place = |value: &Option<String>, column: &str| -> Result<u8, String> {
        let name = text(value, column)?;
        names
            .centre(&name)
            .ok_or_else(|| format!("an unknown town `{name}`"))
    };
    let detail = || text(&fields.detail, "detail");
    let unknown = |word: &str| format!("a `{kind}` row with an unknown word `{word}`");
    let release = || -> Result<Release, String> {
        let word = detail()?;
        word_of(
            &[Release::Completion, Release::Notice, Release::CarerRan],
            Release::as_str,
            &word,
        )
        .ok_or_else(|| unknown(&word))
    };
    let organ = || -> Result<Organ, String> {
        let word = text(&fields.organ, "organ")?;
        word_of(&Organ::ALL, Organ::as_str, &word).ok_or_else(|| unknown(&word))
    };
    Ok(match kind {
        "created" => {
            let home = text(&fields.home, "home")?;
            let blood = detail()?;
            let place = count()?;
            H::Created {
                person: person()?,
                home: word_of(&HomeKind::ALL, HomeKind::as_str, &home)
                    .ok_or_else(|| unknown(&home))?,
                birth: Day(day.0.saturating_sub(names.entry_days)),
                blood_group: word_of(&BloodGroup::ALL, BloodGroup::as_str, &blood)
                    .ok_or_else(|| unknown(&blood))?,
                place: u32::try_from(place).map_err(|_| fits(place, "count"))?,
            }
        }
        "transferred" => H::Transferred { person: person()? },
        "gallery-piece" => H::GalleryPiece { person: person()? },
        "left-home" => {
            let tokens = count()?;
            H::LeftHome {
                person: person()?,
                house: house()?,
                tokens: u16::try_from(tokens).map_err(|_| fits(tokens, "count"))?,
            }
        }
        "possible-searched" => H::PossibleSearched {
            person: person()?,
            sighted: flag()?,
        },
        "couple-formed" => H::CoupleFormed {
            first: person()?,
            second: other_party()?,
            house: house()?,
        },
        "rumour-believed" => H::RumourBelieved {
            person: person()?,
            partner: other_party()?,
        },
        "couple-parted" => H::CoupleParted {
            first: person()?,
            second: other_party()?,
            house: house()?,
        },
        "training-began" => H::TrainingBegan { person: person()? },
        "carer-qualified" => H::CarerQualified {
            person: person()?,
            town: place(&fields.town, "town")?,
        },
        "carer-assigned" => {
            let how = detail()?;
            H::CarerAssigned {
                carer: person()?,
                donor: other_party()?,
                centre: place(&fields.centre, "centre")?,
                town: place(&fields.town, "town")?,
                how: word_of(&Assignment::ALL, Assignment::as_str, &how)
                    .ok_or_else(|| unknown(&how))?,
            }
        }
        "carer-released" => H::CarerReleased {
            carer: person()?,
            donor: other_party()?,
            why: release()?,
        },
        "career-ended" => {
            let days = count()?;
            H::CareerEnded {
                person: person()?,
                career_days: u32::try_from(days).map_err(|_| fits(days, "count"))?,
                km: amount()?,
                why: release()?,
            }
        }
        "became-donor" => H::BecameDonor { person: person()? },
        "waiting-for-bed" => H::WaitingForBed { person: person()? },
        "bed-taken" => {
            let held = count()?;
            H::BedTaken {
                person: person()?,
                centre: place(&fields.centre, "centre")?,
                beds_held: u64::try_from(held).map_err(|_| fits(held, "count"))?,
            }
        }
        "donation-postponed" => H::DonationPostponed {
            person: person()?,
            number: number()?,
        },
        "donation" => {
            let organs = count()?;
            H::Donation {
                person: person()?,
                number: number()?,
                organ: organ()?,
                organs: u8::try_from(organs).map_err(|_| fits(organs, "count"))?,
                centre: place(&fields.centre, "centre")?,
                carer: other,
                completing: flag()?,
                age_days: age()?,
            }
        }
        "organ-supplied" => H::OrganSupplied {
            donor: person()?,
            organ: organ()?,
            transplanted: flag()?,
            life_years: amount()?,
        },
        "completed" => {
            let age_days = age()?;
            H::Completed {
                person: person()?,
                number: number()?,
                during_operation: flag()?,
                centre: place(&fields.centre, "centre")?,
                carer: other,
                age_days,
                life_years_lost: life_years_lost(names.params, age_days),
            }
        }
        "deferral-asked" => H::DeferralAsked {
            first: person()?,
            second: other_party()?,
            granted: flag()?,
        },
        "escaped" => {
            let stage = detail()?;
            H::Escaped {
                person: person()?,
                stage: word_of(&Stage::ALL, Stage::as_str, &stage)
                    .ok_or_else(|| unknown(&stage))?,
            }
        }
        "found" => H::Found { person: person()? },
        "run-ended" => {
            let tokens = count()?;
            H::RunEnded {
                person: person()?,
                carer_km: amount()?,
                tokens: u16::try_from(tokens).map_err(|_| fits(tokens, "count"))?,
            }
        }
        // The kinds with no party (an Exchange, a Sale, a day's patients, the closing of
        // the humane homes) are never a row of one life.
        _ => return Err(format!("a row of kind `{kind}` naming a clone")),
    })
}

/// The positions of the log's columns in `reader`, each checked against docs/log.md's type.
fn positions(reader: &ParquetColumns) -> Result<Positions, String> {
    let find = |name: &str| -> Result<usize, String> {
        let expected = LOG_COLUMNS.iter().find(|c| c.name == name).map(|c| c.kind);
        let position = reader
            .position(name)
            .ok_or_else(|| format!("it has no column `{name}`"))?;
        let kind = reader.columns()[position].kind;
        if Some(kind) != expected {
            return Err(format!(
                "its column `{name}` is {kind}, not {}",
                expected.map_or_else(|| "a column of the log".to_string(), |k| k.to_string())
            ));
        }
        Ok(position)
    };
    let mut fields = [0; FIELD_COLUMNS.len()];
    for (slot, name) in fields.iter_mut().zip(FIELD_COLUMNS) {
        *slot = find(name)?;
    }
    Ok(Positions {
        date: find("date")?,
        kind: find("kind")?,
        person: find("person")?,
        other: find("other")?,
        home: find("home")?,
        count: find("count")?,
        fields,
    })
}

fn int32(values: &ColumnValues, i: usize) -> Option<i32> {
    match values {
        ColumnValues::Int32(v) | ColumnValues::Date(v) => v.get(i).copied().flatten(),
        _ => None,
    }
}

fn int64(values: &ColumnValues, i: usize) -> Option<i64> {
    match values {
        ColumnValues::Int64(v) => v.get(i).copied().flatten(),
        _ => None,
    }
}

fn code(values: &ColumnValues, i: usize) -> Option<u32> {
    match values {
        ColumnValues::Text(v) => v.get(i).copied().flatten(),
        _ => None,
    }
}

impl Life {
    /// Reads the life of clone `id` from the stored event log at `path`, written by a run of
    /// `params`: the same life [`Life::witness`] gives by re-running the replicate. The
    /// file's key-value metadata must hold each pair of `footer` (the caller's scenario hash
    /// and seed, say), so that a log of another run is refused.
    ///
    /// # Errors
    /// [`ReadLifeError::Table`] if the file cannot be read, [`ReadLifeError::NotALog`] if it
    /// is not a log of hailsham (or not of `params`), [`ReadLifeError::Life`] if it holds no
    /// such clone.
    #[allow(clippy::too_many_lines)]
    pub fn from_log(
        path: &Path,
        params: &Params,
        footer: &[(&str, &str)],
        id: PersonId,
    ) -> Result<Life, ReadLifeError> {
        let table = |source| ReadLifeError::Table {
            path: path.to_path_buf(),
            source,
        };
        let reader = ParquetColumns::open(path).map_err(table)?;
        for &(key, expected) in footer {
            match reader.metadata_value(key) {
                Some(value) if value == expected => {}
                found => {
                    return Err(ReadLifeError::NotALog {
                        path: path.to_path_buf(),
                        detail: format!(
                            "its footer's `{key}` is {}, where {expected} was expected",
                            found.map_or_else(|| "missing".to_string(), |v| format!("`{v}`"))
                        ),
                    });
                }
            }
        }
        let positions = positions(&reader).map_err(|detail| ReadLifeError::NotALog {
            path: path.to_path_buf(),
            detail,
        })?;
        let mut log = Log {
            path,
            reader,
            positions,
        };
        let calendar = calendar_of(params);
        let epoch = hailsham_table::days_from_civil(i64::from(calendar.start_year()), 1, 1)
            .ok_or_else(|| log.not_a_log("a start year out of the calendar"))?;
        let closing_year = i32::try_from(params.homes.humane_close_year).ok();
        let closing_date = closing_year
            .map(|year| epoch + i32::try_from(calendar.year_start(year).0).unwrap_or(0));
        let mut second = ParquetColumns::open(path).map_err(table)?;
        let scan = log.scan(&mut second, id.0, closing_date)?;
        if scan.own.is_empty() {
            // Ids run from 0 in order of creation: the greatest id is the clones less one.
            let p_person = log.positions.person;
            let highest = (0..log.groups())
                .filter_map(|g| log.max_id(g, p_person))
                .max()
                .unwrap_or(-1);
            return Err(ReadLifeError::Life(LifeError::NoSuchClone {
                id,
                created: u64::try_from(highest + 1).unwrap_or(0),
            }));
        }
        // The parties' creations: from pass 1 where it read them, else from earlier groups.
        let parties = scan.parties.ids();
        let mut creations: Vec<(u32, At)> = Vec::with_capacity(parties.len() + 1);
        let mut earlier = Vec::new();
        for &party in parties.iter().chain(std::iter::once(&id.0)) {
            let seen = scan
                .created
                .binary_search_by_key(&party, |&(id, _)| id)
                .ok()
                .map(|i| scan.created[i].1);
            match seen {
                Some(at) => creations.push((party, at)),
                None => earlier.push(party),
            }
        }
        creations.extend(log.earlier_creations(&earlier)?);
        creations.sort_unstable();

        // Pass 2: kind and date at the clone's rows, the parties' rows and creations, and the
        // closing's.
        let p = &log.positions;
        let (p_kind, p_date) = (p.kind, p.date);
        let mut wanted: Vec<At> = scan.own.clone();
        wanted.extend(scan.parties_rows.iter().map(|&(at, _)| at));
        wanted.extend(creations.iter().map(|&(_, at)| at));
        wanted.extend(&scan.closing);
        wanted.sort_unstable();
        wanted.dedup();
        let read = log.read_at(&[p_kind, p_date], &wanted)?;
        let kinds: Vec<Option<String>> = (0..wanted.len())
            .map(|i| log.word(p_kind, code(&read[0], i)))
            .collect();
        let dates = &read[1];

        // Pass 3: the other columns at the clone's rows, home and place at the creations.
        let own_at: Vec<At> = scan.own.clone();
        let mut columns = vec![log.positions.person, log.positions.other];
        columns.extend(log.positions.fields);
        let values = log.read_at(&columns, &own_at)?;
        let creation_at: Vec<At> = creations.iter().map(|&(_, at)| at).collect();
        let (p_home, p_count) = (log.positions.home, log.positions.count);
        let created_values = log.read_at(&[p_home, p_count], &creation_at)?;
        let homes: Vec<Option<String>> = (0..creation_at.len())
            .map(|i| log.word(p_home, code(&created_values[0], i)))
            .collect();
        let field_words: Vec<[Option<String>; FIELD_COLUMNS.len()]> = (0..own_at.len())
            .map(|i| {
                std::array::from_fn(|k| log.word(log.positions.fields[k], code(&values[2 + k], i)))
            })
            .collect();
        let not_a_log = |detail: String| ReadLifeError::NotALog {
            path: path.to_path_buf(),
            detail,
        };

        let kind_of = |at: At| -> Option<&str> {
            let i = wanted.binary_search(&at).ok()?;
            kinds[i].as_deref()
        };
        let day_of = |at: At| -> Result<Day, ReadLifeError> {
            let date = wanted
                .binary_search(&at)
                .ok()
                .and_then(|i| int32(dates, i))
                .ok_or_else(|| not_a_log("a row without a date".into()))?;
            date.checked_sub(epoch)
                .and_then(|days| u32::try_from(days).ok())
                .map(Day)
                .ok_or_else(|| not_a_log("a row dated before the run began".into()))
        };
        let humane_homes_closed = match scan
            .closing
            .iter()
            .find(|&&at| kind_of(at) == Some("humane-homes-closed"))
        {
            Some(&at) => Some(day_of(at)?),
            None => None,
        };
        let mut own: Vec<(At, &str)> = Vec::with_capacity(scan.own.len());
        for &at in &scan.own {
            let kind = kind_of(at).ok_or_else(|| not_a_log("a row without a kind".into()))?;
            own.push((at, kind));
        }

        let places = Places::new(params);
        let names = Names {
            places: &places,
            params,
            entry_days: entry_days(params),
        };
        let mut records: Vec<(u32, Record)> = Vec::with_capacity(creations.len());
        for (i, &(party, at)) in creations.iter().enumerate() {
            if kind_of(at) != Some("created") {
                return Err(not_a_log(format!(
                    "the first row naming clone {party} is not its creation"
                )));
            }
            let day = day_of(at)?;
            let home = homes[i]
                .as_deref()
                .and_then(|w| word_of(&HomeKind::ALL, HomeKind::as_str, w))
                .ok_or_else(|| not_a_log(format!("clone {party} has no home")))?;
            let place = int64(&created_values[1], i)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| not_a_log(format!("clone {party} has no place")))?;
            let birth = day.0.saturating_sub(names.entry_days);
            records.push((party, (birth, NONE, place, home)));
        }
        // Completions: the parties' from their rows, and among the clone's rows its own and
        // those of the donors it saw through as a carer (who name it as `other`).
        let own_persons = (0..scan.own.len())
            .filter_map(|i| Some((scan.own[i], u32::try_from(int32(&values[0], i)?).ok()?)));
        let completions = scan.parties_rows.iter().copied().chain(own_persons);
        for (at, who) in completions {
            if kind_of(at) != Some("completed") {
                continue;
            }
            let day = day_of(at)?;
            if let Ok(i) = records.binary_search_by_key(&who, |&(id, _)| id) {
                records[i].1.1 = day.0;
            }
        }

        let mut events = Vec::with_capacity(own.len());
        let &(_, (birth, _, place, _)) = records
            .iter()
            .find(|&&(party, _)| party == id.0)
            .ok_or_else(|| not_a_log(format!("clone {} is never created", id.0)))?;
        for (i, &(at, kind)) in own.iter().enumerate() {
            let person = int32(&values[0], i).and_then(|p| u32::try_from(p).ok());
            let other = int32(&values[1], i).and_then(|p| u32::try_from(p).ok());
            if kind == "rumour-believed" && person != Some(id.0) {
                continue;
            }
            let field = |k: usize| &values[2 + k];
            let word = |k: usize| field_words[i][k].clone();
            let fields = Fields {
                home: word(0),
                house: word(1),
                centre: word(2),
                town: word(3),
                organ: word(4),
                number: int32(field(5), i),
                age_days: int32(field(6), i),
                count: int64(field(7), i),
                flag: match field(8) {
                    ColumnValues::Bool(v) => v.get(i).copied().flatten(),
                    _ => None,
                },
                amount: match field(9) {
                    ColumnValues::Float64(v) => v.get(i).copied().flatten(),
                    _ => None,
                },
                detail: word(10),
            };
            let day = day_of(at)?;
            let happening = happening(
                kind,
                day,
                person.map(PersonId),
                other.map(PersonId),
                &fields,
                &names,
            )
            .map_err(not_a_log)?;
            // The log holds ages, not births: an age that disagrees with the birth the
            // scenario's entry age gives is a log of another scenario.
            if let Happening::Donation { age_days, .. } | Happening::Completed { age_days, .. } =
                happening
                && happening.person() == Some(id)
                && day.0.checked_sub(age_days) != Some(birth)
            {
                return Err(not_a_log(format!(
                    "clone {id} is {age_days} days old on day {} of the run, which does not fit                      the entry age of this scenario",
                    day.0
                )));
            }
            events.push((day, happening));
        }
        Ok(Life {
            person: id,
            lineage: Lineage::new(calendar.year_of(Day(birth)), place),
            events,
            calendar,
            places,
            humane_homes_closed,
            end: last_day(params, calendar),
            facts: Facts::Parties(records),
        })
    }
}
