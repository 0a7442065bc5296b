//! A stored event log (`hailsham run --out DIR --log` writes `DIR/log-NNN.parquet`, columns
//! of docs/log.md) read into an [`Index`] through the fast column reader of
//! `hailsham-table`, one row group at a time.

use std::path::{Path, PathBuf};

use hailsham_log::{DecodeError, Detail, DetailWords, Kind, LogColumn, words};
use hailsham_table::{ColumnValues, ParquetColumns, RowGroups, TableError};
use hailsham_world::{HomeKind, Organ};
use hailsham_world::{PersonId, centre_names};

use crate::index::{IDS_MAX, Index, IndexBuilder, Row};

/// Why a stored log could not be read.
#[derive(Debug)]
pub enum LogError {
    /// The folder or a file could not be read, or is not Parquet.
    Table {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: TableError,
    },
    /// A folder with no `log-NNN.parquet` in it.
    NoLogs {
        /// The folder.
        dir: PathBuf,
    },
    /// The folder could not be listed.
    Folder {
        /// The folder.
        dir: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A file whose columns are not the log's.
    NotALog {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// A row the model could not have written.
    Row {
        /// The file.
        path: PathBuf,
        /// The row, from 0 at the file's first.
        row: u64,
        /// What is wrong with it.
        source: DecodeError,
    },
}

impl std::fmt::Display for LogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LogError::Table { path, source } => write!(
                f,
                "cannot read {}: {}",
                path.display(),
                hailsham_table::error_chain(source)
            ),
            LogError::NoLogs { dir } => write!(
                f,
                "{} holds no event log (log-NNN.parquet): write one with `hailsham run --out {} --log`",
                dir.display(),
                dir.display()
            ),
            LogError::Folder { dir, source } => {
                write!(f, "cannot read the folder {}: {source}", dir.display())
            }
            LogError::NotALog { path, detail } => {
                write!(
                    f,
                    "{} is not an event log of hailsham: {detail}",
                    path.display()
                )
            }
            LogError::Row { path, row, source } => write!(
                f,
                "{} is not an event log of hailsham: row {row}: {source}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for LogError {}

/// The `log-NNN.parquet` files of a folder, in replicate order.
///
/// # Errors
/// If the folder cannot be listed, or holds no log.
pub fn log_files(dir: &Path) -> Result<Vec<PathBuf>, LogError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LogError::Folder {
        dir: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<(u32, PathBuf)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| LogError::Folder {
            dir: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(number) = name
            .strip_prefix("log-")
            .and_then(|n| n.strip_suffix(".parquet"))
            .and_then(|n| n.parse::<u32>().ok())
        {
            files.push((number, entry.path()));
        }
    }
    if files.is_empty() {
        return Err(LogError::NoLogs {
            dir: dir.to_path_buf(),
        });
    }
    files.sort();
    Ok(files.into_iter().map(|(_, p)| p).collect())
}

/// What a stored log says of the run that wrote it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogMetadata {
    /// The scenario's name.
    pub scenario: Option<String>,
    /// The scenario's hash.
    pub scenario_hash: Option<String>,
    /// The master seed.
    pub seed: Option<u64>,
}

fn not_a_log(path: &Path, detail: impl Into<String>) -> LogError {
    LogError::NotALog {
        path: path.to_path_buf(),
        detail: detail.into(),
    }
}

/// Reads one stored log into an index, with what its footer says of the run; a thread of
/// its own decodes the row groups ahead of the index ([`Reading::Ahead`]).
///
/// # Errors
/// If the file cannot be read, or is not a log of hailsham.
pub fn read_log(path: &Path) -> Result<(Index, LogMetadata), LogError> {
    read_log_with(path, Reading::Ahead)
}

/// How a log's row groups are decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// By a thread of their own, ahead of the index being built: the default.
    Ahead,
    /// On the calling thread, between building from one group and the next: for callers
    /// that already keep every core busy, and to measure what reading ahead saves.
    InLine,
}

/// Reads one stored log into an index as [`read_log`] does, decoding as `reading` says.
///
/// # Errors
/// As [`read_log`].
pub fn read_log_with(path: &Path, reading: Reading) -> Result<(Index, LogMetadata), LogError> {
    let table = |source| LogError::Table {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = ParquetColumns::open(path).map_err(table)?;
    // Every column, in the order of the log's schema.
    reader
        .select(&LogColumn::ALL.map(LogColumn::name))
        .map_err(table)?;
    let metadata = LogMetadata {
        scenario: reader.metadata_value("scenario").map(str::to_string),
        scenario_hash: reader.metadata_value("scenario_hash").map(str::to_string),
        seed: reader.metadata_value("seed").and_then(|s| s.parse().ok()),
    };
    let rows = reader.rows();
    let position = |column: LogColumn| reader.position(column.name()).unwrap_or(usize::MAX);
    let positions = [
        LogColumn::Kind,
        LogColumn::Home,
        LogColumn::House,
        LogColumn::Centre,
        LogColumn::Town,
        LogColumn::Organ,
        LogColumn::Detail,
    ]
    .map(position);
    let index = match reading {
        // Decoding a row group costs about what building the index from it does: a thread
        // of its own decodes the next while this one builds.
        Reading::Ahead => {
            let mut groups = reader.read_ahead().map_err(table)?;
            index_groups(&mut groups, path, rows, positions)?
        }
        Reading::InLine => index_groups(&mut reader, path, rows, positions)?,
    };
    Ok((index, metadata))
}

/// The typed value of each word of a text column's dictionary, decoded once per word rather
/// than once per row, and extended as the reader's dictionary grows. A word the column does
/// not take is kept as itself: a row that holds it is refused, with the word.
struct Dictionary<T> {
    column: LogColumn,
    values: Vec<Result<T, String>>,
}

impl<T: Copy> Dictionary<T> {
    fn new(column: LogColumn) -> Dictionary<T> {
        Dictionary {
            column,
            values: Vec::new(),
        }
    }

    /// Decodes the words new since the last row group.
    fn extend(&mut self, words: &[String], decode: impl Fn(&str) -> Option<T>) {
        let known = self.values.len();
        if known < words.len() {
            self.values.extend(
                words[known..]
                    .iter()
                    .map(|word| decode(word).ok_or_else(|| word.clone())),
            );
        }
    }

    /// The value of the word of code `code`.
    #[inline(always)]
    fn get(&self, code: u32) -> Result<T, DecodeError> {
        match self.values.get(code as usize) {
            Some(Ok(value)) => Ok(*value),
            Some(Err(word)) => Err(self.unknown(word)),
            None => Err(self.unknown("")),
        }
    }

    /// The value of a row's word, if it has one.
    #[inline(always)]
    fn of(&self, code: Option<u32>) -> Result<Option<T>, DecodeError> {
        match code {
            None => Ok(None),
            Some(code) => self.get(code).map(Some),
        }
    }

    #[cold]
    fn unknown(&self, word: &str) -> DecodeError {
        let word = word.to_string();
        match self.column {
            LogColumn::Kind => DecodeError::UnknownKind { word },
            column => DecodeError::UnknownWord { column, word },
        }
    }
}

/// What the words of a log's text columns mean, as far as its row groups have named them.
struct Words {
    kinds: Dictionary<Kind>,
    homes: Dictionary<HomeKind>,
    organs: Dictionary<Organ>,
    centres: Dictionary<u8>,
    towns: Dictionary<u8>,
    /// Each word in each vocabulary of [`VOCABULARIES`]: which applies depends on the kind.
    details: Dictionary<[Option<Detail>; 4]>,
    /// The detail words themselves, for errors.
    detail_words: Vec<String>,
    /// The index's code of each house word.
    houses: Vec<u16>,
    /// The position in [`VOCABULARIES`] of each kind's detail words.
    vocabulary_of: [Option<usize>; Kind::ALL.len()],
}

/// The vocabularies of the `detail` column.
const VOCABULARIES: [DetailWords; 4] = [
    DetailWords::Blood,
    DetailWords::How,
    DetailWords::Why,
    DetailWords::Stage,
];

/// The columns of one row group, typed.
struct Columns<'a> {
    replicate: &'a [Option<i32>],
    date: &'a [Option<i32>],
    kind: &'a [Option<u32>],
    person: &'a [Option<i32>],
    other: &'a [Option<i32>],
    home: &'a [Option<u32>],
    house: &'a [Option<u32>],
    centre: &'a [Option<u32>],
    town: &'a [Option<u32>],
    organ: &'a [Option<u32>],
    number: &'a [Option<i32>],
    age_days: &'a [Option<i32>],
    count: &'a [Option<i64>],
    count_2: &'a [Option<i64>],
    flag: &'a [Option<bool>],
    amount: &'a [Option<f64>],
    detail: &'a [Option<u32>],
}

impl<'a> Columns<'a> {
    /// The columns of a row group read in the order of [`LogColumn::ALL`], if each has the
    /// log's type.
    fn of(values: &'a [ColumnValues]) -> Option<Columns<'a>> {
        let [
            ColumnValues::Int32(replicate),
            ColumnValues::Date(date),
            ColumnValues::Text(kind),
            ColumnValues::Int32(person),
            ColumnValues::Int32(other),
            ColumnValues::Text(home),
            ColumnValues::Text(house),
            ColumnValues::Text(centre),
            ColumnValues::Text(town),
            ColumnValues::Text(organ),
            ColumnValues::Int32(number),
            ColumnValues::Int32(age_days),
            ColumnValues::Int64(count),
            ColumnValues::Int64(count_2),
            ColumnValues::Bool(flag),
            ColumnValues::Float64(amount),
            ColumnValues::Text(detail),
        ] = values
        else {
            return None;
        };
        Some(Columns {
            replicate,
            date,
            kind,
            person,
            other,
            home,
            house,
            centre,
            town,
            organ,
            number,
            age_days,
            count,
            count_2,
            flag,
            amount,
            detail,
        })
    }
}

impl Words {
    fn new() -> Words {
        Words {
            kinds: Dictionary::new(LogColumn::Kind),
            homes: Dictionary::new(LogColumn::Home),
            organs: Dictionary::new(LogColumn::Organ),
            centres: Dictionary::new(LogColumn::Centre),
            towns: Dictionary::new(LogColumn::Town),
            details: Dictionary::new(LogColumn::Detail),
            detail_words: Vec::new(),
            houses: Vec::new(),
            vocabulary_of: Kind::ALL.map(|kind| {
                hailsham_log::entry(kind)
                    .detail
                    .and_then(|words| VOCABULARIES.iter().position(|&v| v == words))
            }),
        }
    }

    /// Row `i` of `columns` as the codec's row, with its date. Inlined into the loop over a
    /// log's rows, so the row lives in registers on its way into the index.
    #[inline(always)]
    fn row(
        &self,
        columns: &Columns<'_>,
        i: usize,
    ) -> Result<(hailsham_log::Row, i32), DecodeError> {
        let kind = match columns.kind[i] {
            Some(code) => self.kinds.get(code)?,
            None => {
                return Err(DecodeError::Required {
                    column: LogColumn::Kind,
                });
            }
        };
        let Some(date) = columns.date[i] else {
            return Err(DecodeError::Required {
                column: LogColumn::Date,
            });
        };
        let mut row = hailsham_log::Row::new(kind);
        row.person = id(kind, columns.person[i], LogColumn::Person)?;
        row.other = id(kind, columns.other[i], LogColumn::Other)?;
        row.home = self.homes.of(columns.home[i])?;
        row.house = columns.house[i].and_then(|code| self.houses.get(code as usize).copied());
        row.centre = self.centres.of(columns.centre[i])?;
        row.town = self.towns.of(columns.town[i])?;
        row.organ = self.organs.of(columns.organ[i])?;
        row.number = columns.number[i];
        row.age_days = columns.age_days[i];
        row.count = columns.count[i];
        row.count_2 = columns.count_2[i];
        row.flag = columns.flag[i];
        row.amount = columns.amount[i];
        if let (Some(vocabulary), Some(code)) =
            (self.vocabulary_of[kind as usize], columns.detail[i])
        {
            match self.details.get(code)?[vocabulary] {
                Some(detail) => row.detail = Some(detail),
                None => return Err(self.unknown_detail(code)),
            }
        }
        Ok((row, date))
    }

    /// A detail word that is not of the vocabulary its row's kind takes.
    #[cold]
    fn unknown_detail(&self, code: u32) -> DecodeError {
        DecodeError::UnknownWord {
            column: LogColumn::Detail,
            word: self
                .detail_words
                .get(code as usize)
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// A person's id of a log, read from `column` of a row of `kind`.
#[inline(always)]
fn id(kind: Kind, value: Option<i32>, column: LogColumn) -> Result<Option<PersonId>, DecodeError> {
    match value {
        None => Ok(None),
        Some(v) => match u32::try_from(v) {
            Ok(id) if id < IDS_MAX => Ok(Some(PersonId(id))),
            _ => Err(DecodeError::OutOfRange {
                kind,
                column,
                value: f64::from(v),
            }),
        },
    }
}

/// The index of a log's row groups, read from `reader`; `positions` are the file positions
/// of its text columns kind, home, house, centre, town, organ and detail. Each row is read
/// into the codec's row ([`hailsham_log::Row`]), words decoded through its dictionaries,
/// and becomes the index's row as a live run's does ([`Row::of_log`]).
fn index_groups<G: RowGroups>(
    reader: &mut G,
    path: &Path,
    rows: u64,
    positions: [usize; 7],
) -> Result<Index, LogError> {
    let table = |source| LogError::Table {
        path: path.to_path_buf(),
        source,
    };
    let [p_kind, p_home, p_house, p_centre, p_town, p_organ, p_detail] = positions;
    let towns = centre_names();
    let town_of = |w: &str| words::town_index(&towns, LogColumn::Town, w).ok();
    let mut builder: Option<IndexBuilder> = None;
    let mut words = Words::new();
    // The file's row of a group's first row, for errors.
    let mut first_row: u64 = 0;
    while let Some(group) = reader.next_group() {
        let group = group.map_err(table)?;
        let Some(columns) = Columns::of(&group.values) else {
            return Err(not_a_log(
                path,
                "its columns have other types than docs/log.md gives",
            ));
        };
        words
            .kinds
            .extend(reader.dictionary(p_kind), Kind::from_name);
        words.homes.extend(reader.dictionary(p_home), |w| {
            hailsham_log::words::home(w).ok()
        });
        words.organs.extend(reader.dictionary(p_organ), |w| {
            hailsham_log::words::organ(w).ok()
        });
        words.centres.extend(reader.dictionary(p_centre), town_of);
        words.towns.extend(reader.dictionary(p_town), town_of);
        let details = reader.dictionary(p_detail);
        words
            .details
            .extend(details, |w| Some(VOCABULARIES.map(|v| v.parse(w))));
        let known = words.detail_words.len();
        if known < details.len() {
            words.detail_words.extend_from_slice(&details[known..]);
        }
        let builder = builder.get_or_insert_with(|| {
            let replicate = columns
                .replicate
                .first()
                .copied()
                .flatten()
                .and_then(|r| u32::try_from(r).ok())
                .unwrap_or(0);
            let mut builder = IndexBuilder::new(replicate, Vec::new());
            builder.reserve(usize::try_from(rows).unwrap_or(0));
            builder
        });
        let houses = reader.dictionary(p_house);
        while words.houses.len() < houses.len() {
            let code = builder.house_code(&houses[words.houses.len()]);
            words.houses.push(code);
        }
        for i in 0..group.rows {
            let (row, day) = words.row(&columns, i).map_err(|source| LogError::Row {
                path: path.to_path_buf(),
                row: first_row + i as u64,
                source,
            })?;
            let (index_row, home) = Row::of_log(&row, day);
            if matches!(row.kind, Kind::Donation | Kind::Completed)
                && let (Some(age), Some(person)) = (row.age_days, row.person)
            {
                builder.saw_age(person.0, day, age);
            }
            builder
                .push(index_row, home)
                .map_err(|detail| not_a_log(path, detail))?;
        }
        first_row += group.rows as u64;
        reader.recycle(group);
    }
    let builder = builder.unwrap_or_else(|| IndexBuilder::new(0, Vec::new()));
    Ok(builder.finish())
}
