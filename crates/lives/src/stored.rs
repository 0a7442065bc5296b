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
//! Each row is decoded by the log's codec ([`hailsham_log`]): its columns are read into a
//! [`Row`] ([`Row::set`], words looked up by [`Names`]) and the row into its announcement
//! ([`hailsham_log::decode`]). Two fields of the announcements are not in the log and are
//! computed as the model computes them ([`Unlogged`]): a clone's birth (its creation less the
//! entry age, `homes.home_entry_age_years`), and the life-years lost at completion
//! (`society.life_expectancy_years` less the age). A birth is checked against the ages the
//! log does hold (of donations and completion), so a log of another scenario is refused rather
//! than told wrong.

use std::path::{Path, PathBuf};

use hailsham_log::{DecodeError, Kind, LOG_COLUMNS, LogColumn, Names, Row, Unlogged, words};
use hailsham_table::{Cell, ColumnValues, ParquetColumns, TableError};
use hailsham_world::{Day, Happening, Lineage, Params, PersonId, Places};

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
    /// A row the model could not have written, as the codec says.
    Row {
        /// The file.
        path: PathBuf,
        /// The row, from 0 at the file's first.
        row: u64,
        /// What is wrong with it.
        source: DecodeError,
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
            ReadLifeError::Row { path, row, source } => write!(
                f,
                "{} is not an event log of this scenario: row {row}: {source}",
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
    /// The columns only the clone's own rows need, in the order of [`FIELD_COLUMNS`].
    fields: [usize; FIELD_COLUMNS.len()],
}

/// The columns read at the clone's own rows besides the day, kind and parties (`count_2`
/// belongs to kinds with no party, never to a life).
const FIELD_COLUMNS: [LogColumn; 11] = [
    LogColumn::Home,
    LogColumn::House,
    LogColumn::Centre,
    LogColumn::Town,
    LogColumn::Organ,
    LogColumn::Number,
    LogColumn::AgeDays,
    LogColumn::Count,
    LogColumn::Flag,
    LogColumn::Amount,
    LogColumn::Detail,
];

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

impl Scan {
    /// Sorts the rows of one row group by what they are to the life of clone `id`: its own,
    /// a party's, a creation, the closing of the humane homes (`closing`: its day, and the
    /// group's dates). `highest` is the greatest id created so far. Gives the rows where the
    /// clone is the first party.
    fn sort(
        &mut self,
        group: usize,
        id: u32,
        persons: &[u32],
        others: &[u32],
        highest: &mut i64,
        closing: Option<(i32, &[i32])>,
    ) -> Vec<usize> {
        let mut fresh = Vec::new();
        for (row, (&person, &other)) in persons.iter().zip(others).enumerate() {
            if person != NONE && i64::from(person) > *highest {
                self.created.push((person, (group, row)));
                *highest = i64::from(person);
            }
            if person == id || other == id {
                self.own.push((group, row));
                if person == id {
                    fresh.push(row);
                }
                let party = if person == id { other } else { person };
                if party != NONE {
                    self.parties.insert(party);
                }
            } else if person != NONE {
                if self.parties.contains(person) {
                    self.parties_rows.push(((group, row), person));
                }
            } else if other == NONE
                && closing.is_some_and(|(date, dates)| dates.get(row) == Some(&date))
            {
                self.closing.push((group, row));
            }
        }
        fresh
    }
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
        let p_date = self.positions.date;
        let groups = self.groups();
        let first = self.first_group(id);
        let mut scan = Scan::default();
        // Ids are given in order of creation, so the first row naming a clone above every id
        // seen so far is that clone's creation.
        let mut highest: i64 = (0..first)
            .filter_map(|g| self.max_id(g, self.positions.person))
            .max()
            .unwrap_or(-1);
        let (mut persons, mut others, mut dates) = (Vec::new(), Vec::new(), Vec::new());
        let mut completed_on: Option<i32> = None;
        let mut closing_seen = closing_date.is_none();
        for group in first..groups {
            let closing_here = closing_date.filter(|&date| self.holds_date(group, date));
            self.both_ids(second, group, &mut persons, &mut others)?;
            if closing_here.is_some() {
                self.dates(group, &mut dates)?;
                closing_seen = true;
            }
            let closing = closing_here.map(|date| (date, dates.as_slice()));
            let fresh = scan.sort(group, id, &persons, &others, &mut highest, closing);
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
            scan.closing = self.closing_rows(second, date)?;
        }
        Ok(scan)
    }

    /// The first row group that can hold clone `id`: its first row is its creation, in the
    /// first group whose greatest id reaches it. A group without statistics may hold anything.
    fn first_group(&self, id: u32) -> usize {
        let groups = self.groups();
        (0..groups)
            .find(|&g| {
                self.max_id(g, self.positions.person)
                    .is_none_or(|max| max >= i64::from(id))
            })
            .unwrap_or(groups)
    }

    /// The `person` and `other` columns of one row group, the second read by `second` on a
    /// thread of its own.
    fn both_ids(
        &mut self,
        second: &mut ParquetColumns,
        group: usize,
        persons: &mut Vec<u32>,
        others: &mut Vec<u32>,
    ) -> Result<(), ReadLifeError> {
        let (p_person, p_other, path) = (self.positions.person, self.positions.other, self.path);
        std::thread::scope(|threads| {
            let other = threads.spawn(move || ids_of(second, path, group, p_other, others));
            let person = self.ids(group, p_person, persons);
            let other = other.join().unwrap_or_else(|_| {
                Err(self.not_a_log("the thread reading the `other` column failed"))
            });
            person.and(other)
        })
    }

    /// The rows of day `date` that name nobody (where the humane homes' closing is), from
    /// every row group that may hold the day.
    fn closing_rows(
        &mut self,
        second: &mut ParquetColumns,
        date: i32,
    ) -> Result<Vec<At>, ReadLifeError> {
        let holding: Vec<usize> = (0..self.groups())
            .filter(|&g| self.holds_date(g, date))
            .collect();
        let (mut persons, mut others, mut dates) = (Vec::new(), Vec::new(), Vec::new());
        let mut rows = Vec::new();
        for group in holding {
            self.ids(group, self.positions.person, &mut persons)?;
            ids_of(second, self.path, group, self.positions.other, &mut others)?;
            self.dates(group, &mut dates)?;
            for (row, (&person, &other)) in persons.iter().zip(&others).enumerate() {
                if person == NONE && other == NONE && dates.get(row) == Some(&date) {
                    rows.push((group, row));
                }
            }
        }
        Ok(rows)
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
            (self.kind(code(&read[0], i)) == Some(Kind::Completed))
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
    fn word(&self, column: usize, code: Option<u32>) -> Option<&str> {
        code.and_then(|c| self.reader.dictionary(column).get(c as usize))
            .map(String::as_str)
    }

    /// The kind a `kind` column's code names, if it names one (the clone's own rows are
    /// checked strictly in pass 2; a pass that only looks for completions need not).
    fn kind(&self, code: Option<u32>) -> Option<Kind> {
        self.word(self.positions.kind, code)
            .and_then(Kind::from_name)
    }

    /// The row `at`, counted from the file's first, for errors.
    fn file_row(&self, at: At) -> u64 {
        let before: usize = (0..at.0).map(|g| self.reader.group_rows(g)).sum();
        u64::try_from(before + at.1).unwrap_or(u64::MAX)
    }

    /// Row `at` refused by the codec.
    fn bad_row(&self, at: At, source: DecodeError) -> ReadLifeError {
        ReadLifeError::Row {
            path: self.path.to_path_buf(),
            row: self.file_row(at),
            source,
        }
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

/// The positions of the log's columns in `reader`, each checked against the log's type.
fn positions(reader: &ParquetColumns) -> Result<Positions, String> {
    let find = |column: LogColumn| -> Result<usize, String> {
        let name = column.name();
        let expected = LOG_COLUMNS[column as usize].kind;
        let position = reader
            .position(name)
            .ok_or_else(|| format!("it has no column `{name}`"))?;
        let kind = reader.columns()[position].kind;
        if kind != expected {
            return Err(format!("its column `{name}` is {kind}, not {expected}"));
        }
        Ok(position)
    };
    let mut fields = [0; FIELD_COLUMNS.len()];
    for (slot, column) in fields.iter_mut().zip(FIELD_COLUMNS) {
        *slot = find(column)?;
    }
    Ok(Positions {
        date: find(LogColumn::Date)?,
        kind: find(LogColumn::Kind)?,
        person: find(LogColumn::Person)?,
        other: find(LogColumn::Other)?,
        home: find(LogColumn::Home)?,
        count: find(LogColumn::Count)?,
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

/// Cell `i` of a column read by [`Log::read_at`], as the file holds it: a text column's code
/// looked up in its `dictionary`.
fn value<'a>(values: &ColumnValues, i: usize, dictionary: &'a [String]) -> Cell<'a> {
    let cell = match values {
        ColumnValues::Int32(v) => v.get(i).copied().flatten().map(Cell::Int32),
        ColumnValues::Date(v) => v.get(i).copied().flatten().map(Cell::Date),
        ColumnValues::Int64(v) => v.get(i).copied().flatten().map(Cell::Int64),
        ColumnValues::Float64(v) => v.get(i).copied().flatten().map(Cell::Float64),
        ColumnValues::Bool(v) => v.get(i).copied().flatten().map(Cell::Bool),
        ColumnValues::Text(v) => v
            .get(i)
            .copied()
            .flatten()
            .and_then(|code| dictionary.get(code as usize))
            .map(|word| Cell::Text(word)),
    };
    cell.unwrap_or(Cell::Null)
}

/// What pass 2 read: the kind and date of every row wanted (the clone's own rows, the
/// parties' rows and creations, the closing's), in row order.
struct Kinds {
    wanted: Vec<At>,
    kinds: Vec<Option<Kind>>,
    dates: ColumnValues,
    /// The run's first day, as a date.
    epoch: i32,
}

impl Kinds {
    /// The kind of row `at`, if it was wanted and has one.
    fn kind(&self, at: At) -> Option<Kind> {
        let i = self.wanted.binary_search(&at).ok()?;
        self.kinds[i]
    }

    /// The day of the run of row `at`.
    fn day(&self, log: &Log<'_>, at: At) -> Result<Day, ReadLifeError> {
        let date = self
            .wanted
            .binary_search(&at)
            .ok()
            .and_then(|i| int32(&self.dates, i))
            .ok_or_else(|| {
                log.bad_row(
                    at,
                    DecodeError::Required {
                        column: LogColumn::Date,
                    },
                )
            })?;
        date.checked_sub(self.epoch)
            .and_then(|days| u32::try_from(days).ok())
            .map(Day)
            .ok_or_else(|| log.not_a_log("a row dated before the run began"))
    }
}

impl Log<'_> {
    /// Opens the log at `path` and checks that its footer holds each pair of `footer` and its
    /// columns are the log's.
    fn open<'a>(path: &'a Path, footer: &[(&str, &str)]) -> Result<Log<'a>, ReadLifeError> {
        let reader = ParquetColumns::open(path).map_err(|source| ReadLifeError::Table {
            path: path.to_path_buf(),
            source,
        })?;
        let not_a_log = |detail: String| ReadLifeError::NotALog {
            path: path.to_path_buf(),
            detail,
        };
        for &(key, expected) in footer {
            match reader.metadata_value(key) {
                Some(value) if value == expected => {}
                found => {
                    return Err(not_a_log(format!(
                        "its footer's `{key}` is {}, where {expected} was expected",
                        found.map_or_else(|| "missing".to_string(), |v| format!("`{v}`"))
                    )));
                }
            }
        }
        let positions = positions(&reader).map_err(not_a_log)?;
        Ok(Log {
            path,
            reader,
            positions,
        })
    }

    /// Clone `id` is named by no row: how many clones the log holds.
    fn no_such_clone(&self, id: PersonId) -> ReadLifeError {
        // Ids run from 0 in order of creation: the greatest id is the clones less one.
        let highest = (0..self.groups())
            .filter_map(|g| self.max_id(g, self.positions.person))
            .max()
            .unwrap_or(-1);
        ReadLifeError::Life(LifeError::NoSuchClone {
            id,
            created: u64::try_from(highest + 1).unwrap_or(0),
        })
    }

    /// The creation rows of the parties of the life and of clone `id` itself, by id: from
    /// pass 1 where it read them, else from earlier groups.
    fn creations(&mut self, scan: &Scan, id: PersonId) -> Result<Vec<(u32, At)>, ReadLifeError> {
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
        creations.extend(self.earlier_creations(&earlier)?);
        creations.sort_unstable();
        Ok(creations)
    }

    /// Pass 2: kind and date at the clone's rows, the parties' rows and creations, and the
    /// closing's. A kind word the codec does not know refuses the log.
    fn kinds(
        &mut self,
        scan: &Scan,
        creations: &[(u32, At)],
        epoch: i32,
    ) -> Result<Kinds, ReadLifeError> {
        let mut wanted: Vec<At> = scan.own.clone();
        wanted.extend(scan.parties_rows.iter().map(|&(at, _)| at));
        wanted.extend(creations.iter().map(|&(_, at)| at));
        wanted.extend(&scan.closing);
        wanted.sort_unstable();
        wanted.dedup();
        let p_kind = self.positions.kind;
        let [kinds, dates]: [ColumnValues; 2] = self
            .read_at(&[p_kind, self.positions.date], &wanted)?
            .try_into()
            .map_err(|_| self.not_a_log("a column missing from a read"))?;
        let kinds = (0..wanted.len())
            .map(|i| {
                self.word(p_kind, code(&kinds, i))
                    .map(|word| words::kind(word).map_err(|e| self.bad_row(wanted[i], e)))
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Kinds {
            wanted,
            kinds,
            dates,
            epoch,
        })
    }

    /// Pass 3, the parties: each creation's birth, home and cohort place, and the
    /// completions among the rows read (the parties' own, and the clone's rows as a carer,
    /// whose first party `own_persons` gives), by id.
    fn records(
        &mut self,
        creations: &[(u32, At)],
        kinds: &Kinds,
        unlogged: &Unlogged,
        completions: impl Iterator<Item = (At, u32)>,
    ) -> Result<Vec<(u32, Record)>, ReadLifeError> {
        let (p_home, p_count) = (self.positions.home, self.positions.count);
        let creation_at: Vec<At> = creations.iter().map(|&(_, at)| at).collect();
        let values = self.read_at(&[p_home, p_count], &creation_at)?;
        let mut records: Vec<(u32, Record)> = Vec::with_capacity(creations.len());
        for (i, &(party, at)) in creations.iter().enumerate() {
            if kinds.kind(at) != Some(Kind::Created) {
                return Err(self.not_a_log(format!(
                    "the first row naming clone {party} is not its creation"
                )));
            }
            let missing = |column| DecodeError::Missing {
                kind: Kind::Created,
                column,
            };
            let day = kinds.day(self, at)?;
            let home = self
                .word(p_home, code(&values[0], i))
                .ok_or(missing(LogColumn::Home))
                .and_then(words::home)
                .map_err(|e| self.bad_row(at, e))?;
            let place = int64(&values[1], i).ok_or(missing(LogColumn::Count));
            let place = place
                .and_then(|n| {
                    u32::try_from(n).map_err(|_| DecodeError::OutOfRange {
                        kind: Kind::Created,
                        column: LogColumn::Count,
                        value: n as f64,
                    })
                })
                .map_err(|e| self.bad_row(at, e))?;
            records.push((party, (unlogged.birth(day).0, NONE, place, home)));
        }
        for (at, who) in completions {
            if kinds.kind(at) != Some(Kind::Completed) {
                continue;
            }
            let day = kinds.day(self, at)?;
            if let Ok(i) = records.binary_search_by_key(&who, |&(id, _)| id) {
                records[i].1.1 = day.0;
            }
        }
        Ok(records)
    }
}

/// The clone's own rows, read in pass 3: the parties and the other columns.
struct Own {
    /// `person`, `other`, then [`FIELD_COLUMNS`], each in the order of the rows.
    values: Vec<ColumnValues>,
}

impl Own {
    /// The first party of row `i`.
    fn person(&self, i: usize) -> Option<u32> {
        int32(&self.values[0], i).and_then(|p| u32::try_from(p).ok())
    }
}

impl Log<'_> {
    /// Pass 3, the clone: the parties and the other columns at the clone's own rows.
    fn own(&mut self, scan: &Scan) -> Result<Own, ReadLifeError> {
        let mut columns = vec![self.positions.person, self.positions.other];
        columns.extend(self.positions.fields);
        Ok(Own {
            values: self.read_at(&columns, &scan.own)?,
        })
    }

    /// Row `i` of the clone's own rows, at `at`, of kind `kind`, as the codec's row.
    fn row(
        &self,
        own: &Own,
        i: usize,
        at: At,
        kind: Kind,
        names: &Names,
    ) -> Result<Row, ReadLifeError> {
        let mut row = Row::new(kind);
        let columns = [LogColumn::Person, LogColumn::Other]
            .into_iter()
            .chain(FIELD_COLUMNS);
        let positions = [self.positions.person, self.positions.other]
            .into_iter()
            .chain(self.positions.fields);
        for ((column, position), values) in columns.zip(positions).zip(&own.values) {
            let cell = value(values, i, self.reader.dictionary(position));
            row.set(column, cell, names)
                .map_err(|e| self.bad_row(at, e))?;
        }
        Ok(row)
    }

    /// The announcements of the clone's own rows, decoded, with their days. Each must name
    /// the clone, and the ages of its donations and completion must fit `birth`.
    #[allow(clippy::too_many_arguments)]
    fn events(
        &self,
        scan: &Scan,
        own: &Own,
        kinds: &Kinds,
        names: &Names,
        unlogged: &Unlogged,
        id: PersonId,
        birth: u32,
    ) -> Result<Vec<(Day, Happening)>, ReadLifeError> {
        let mut events = Vec::with_capacity(scan.own.len());
        for (i, &at) in scan.own.iter().enumerate() {
            let kind = kinds.kind(at).ok_or_else(|| {
                self.bad_row(
                    at,
                    DecodeError::Required {
                        column: LogColumn::Kind,
                    },
                )
            })?;
            // A couple's belief is announced for each partner: the clone's is its own.
            if kind == Kind::RumourBelieved && own.person(i) != Some(id.0) {
                continue;
            }
            let day = kinds.day(self, at)?;
            let row = self.row(own, i, at, kind, names)?;
            let happening =
                hailsham_log::decode(day, &row, unlogged).map_err(|e| self.bad_row(at, e))?;
            if happening.person() != Some(id) && happening.other() != Some(id) {
                // The kinds with no party (an Exchange, a Sale, a day's patients, the closing
                // of the humane homes) are never a row of one life.
                return Err(self.not_a_log(format!("a row of kind `{kind}` naming a clone")));
            }
            // The log holds ages, not births: an age that disagrees with the birth the
            // scenario's entry age gives is a log of another scenario.
            if let Happening::Donation { age_days, .. } | Happening::Completed { age_days, .. } =
                happening
                && happening.person() == Some(id)
                && day.0.checked_sub(age_days) != Some(birth)
            {
                return Err(self.not_a_log(format!(
                    "clone {id} is {age_days} days old on day {} of the run, which does not fit \
                     the entry age of this scenario",
                    day.0
                )));
            }
            events.push((day, happening));
        }
        Ok(events)
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
    /// is not a log of hailsham (or not of `params`), [`ReadLifeError::Row`] for a row the
    /// model could not have written, [`ReadLifeError::Life`] if it holds no such clone.
    pub fn from_log(
        path: &Path,
        params: &Params,
        footer: &[(&str, &str)],
        id: PersonId,
    ) -> Result<Life, ReadLifeError> {
        let mut log = Log::open(path, footer)?;
        let calendar = calendar_of(params);
        let epoch = hailsham_log::epoch(calendar)
            .ok_or_else(|| log.not_a_log("a start year out of the calendar"))?;
        let closing_date = i32::try_from(params.homes.humane_close_year)
            .ok()
            .map(|year| epoch + i32::try_from(calendar.year_start(year).0).unwrap_or(0));
        let mut second = ParquetColumns::open(path).map_err(|source| log.table(source))?;
        let scan = log.scan(&mut second, id.0, closing_date)?;
        if scan.own.is_empty() {
            return Err(log.no_such_clone(id));
        }
        let creations = log.creations(&scan, id)?;
        let kinds = log.kinds(&scan, &creations, epoch)?;
        let humane_homes_closed = match scan
            .closing
            .iter()
            .find(|&&at| kinds.kind(at) == Some(Kind::HumaneHomesClosed))
        {
            Some(&at) => Some(kinds.day(&log, at)?),
            None => None,
        };
        let own = log.own(&scan)?;
        let unlogged = Unlogged::new(params);
        // Completions: the parties' from their rows, and among the clone's rows its own and
        // those of the donors it saw through as a carer (who name it as `other`).
        let own_persons = (0..scan.own.len()).filter_map(|i| Some((scan.own[i], own.person(i)?)));
        let completions = scan.parties_rows.iter().copied().chain(own_persons);
        let records = log.records(&creations, &kinds, &unlogged, completions)?;
        let &(_, (birth, _, place, _)) = records
            .iter()
            .find(|&&(party, _)| party == id.0)
            .ok_or_else(|| log.not_a_log(format!("clone {} is never created", id.0)))?;
        let names = Names::new(Places::new(params));
        let events = log.events(&scan, &own, &kinds, &names, &unlogged, id, birth)?;
        Ok(Life {
            person: id,
            lineage: Lineage::new(calendar.year_of(Day(birth)), place),
            events,
            calendar,
            places: names.places().clone(),
            humane_homes_closed,
            end: last_day(params, calendar),
            facts: Facts::Parties(records),
        })
    }
}
