//! A stored event log (`hailsham run --out DIR --log` writes `DIR/log-NNN.parquet`, columns
//! of docs/log.md) read into an [`Index`] through the fast column reader of
//! `hailsham-table`, one row group at a time.

use std::path::{Path, PathBuf};

use hailsham_table::{ColumnValues, ParquetColumns, RowGroups, TableError};

use crate::index::{IDS_MAX, Index, IndexBuilder, NO_CODE, NONE, Row};
use crate::schema::{Domain, KINDS, RELEASES};

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
    /// A file whose columns or values are not the log's.
    NotALog {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
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

/// The columns read, in this order.
const COLUMNS: [&str; 16] = [
    "replicate",
    "date",
    "kind",
    "person",
    "other",
    "home",
    "house",
    "centre",
    "town",
    "organ",
    "number",
    "age_days",
    "count",
    "count_2",
    "flag",
    "amount",
];
/// And the detail column, last.
const DETAIL: &str = "detail";

/// For each word of a text column's dictionary, its code in a domain (or [`NO_CODE`]).
fn codes_of(words: &[String], domain: &[&str]) -> Vec<u8> {
    words
        .iter()
        .map(|w| {
            domain
                .iter()
                .position(|d| d == w)
                .and_then(|p| u8::try_from(p).ok())
                .unwrap_or(NO_CODE)
        })
        .collect()
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
    let mut names: Vec<&str> = COLUMNS.to_vec();
    names.push(DETAIL);
    reader.select(&names).map_err(table)?;
    let metadata = LogMetadata {
        scenario: reader.metadata_value("scenario").map(str::to_string),
        scenario_hash: reader.metadata_value("scenario_hash").map(str::to_string),
        seed: reader.metadata_value("seed").and_then(|s| s.parse().ok()),
    };
    let rows = reader.rows();
    let position = |name: &str| reader.position(name).unwrap_or(usize::MAX);
    let positions = [
        position("kind"),
        position("home"),
        position("house"),
        position("centre"),
        position("town"),
        position("organ"),
        position(DETAIL),
    ];
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

/// The index of a log's row groups, read from `reader`; `positions` are the file positions
/// of its text columns kind, home, house, centre, town, organ and detail.
#[allow(clippy::too_many_lines)]
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
    let towns = hailsham_world::centre_names();
    let homes = Domain::Home.words();
    let organs = Domain::Organ.words();
    let kind_names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
    let mut builder: Option<IndexBuilder> = None;
    // The code of each word of each text column, in the index's terms, extended as the
    // reader's dictionaries grow.
    let mut kind_codes: Vec<u8> = Vec::new();
    let mut home_codes: Vec<u8> = Vec::new();
    let mut organ_codes: Vec<u8> = Vec::new();
    let mut centre_codes: Vec<u8> = Vec::new();
    let mut town_codes: Vec<u8> = Vec::new();
    let mut house_codes: Vec<u16> = Vec::new();
    let mut detail_words: Vec<String> = Vec::new();
    let k_created = crate::index::K::of("created");
    let k_carer_assigned = crate::index::K::of("carer-assigned");
    let k_carer_released = crate::index::K::of("carer-released");
    let k_career_ended = crate::index::K::of("career-ended");
    let k_escaped = crate::index::K::of("escaped");
    let k_donation = crate::index::K::of("donation");
    let k_completed = crate::index::K::of("completed");
    let k_patients = crate::index::K::of("patients");
    let blood = Domain::Blood.words();
    let how = Domain::How.words();
    let stages = Domain::Stage.words();
    while let Some(group) = reader.next_group() {
        let group = group.map_err(table)?;
        let v = &group.values;
        let (
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
        ) = (
            &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11],
            &v[12], &v[13], &v[14], &v[15], &v[16],
        )
        else {
            return Err(not_a_log(
                path,
                "its columns have other types than docs/log.md gives",
            ));
        };
        // Words new in this row group.
        let extend = |codes: &mut Vec<u8>, words: &[String], domain: &[&str]| {
            if codes.len() < words.len() {
                let new = codes_of(&words[codes.len()..], domain);
                codes.extend(new);
            }
        };
        extend(&mut kind_codes, reader.dictionary(p_kind), &kind_names);
        extend(&mut home_codes, reader.dictionary(p_home), &homes);
        extend(&mut organ_codes, reader.dictionary(p_organ), &organs);
        extend(&mut centre_codes, reader.dictionary(p_centre), &towns);
        extend(&mut town_codes, reader.dictionary(p_town), &towns);
        let details = reader.dictionary(p_detail);
        if detail_words.len() < details.len() {
            detail_words.extend_from_slice(&details[detail_words.len()..]);
        }
        let builder = builder.get_or_insert_with(|| {
            let replicate = replicate
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
        while house_codes.len() < houses.len() {
            let code = builder.house_code(&houses[house_codes.len()]);
            house_codes.push(code);
        }
        let id = |value: Option<i32>, row: usize| -> Result<u32, LogError> {
            match value {
                None => Ok(NONE),
                Some(v) => match u32::try_from(v) {
                    Ok(v) if v < IDS_MAX => Ok(v),
                    _ => Err(not_a_log(
                        path,
                        format!("row {row}: person id {v} is out of range"),
                    )),
                },
            }
        };
        let code = |codes: &[u8], value: Option<u32>| {
            value.map_or(NO_CODE, |c| {
                codes.get(c as usize).copied().unwrap_or(NO_CODE)
            })
        };
        let small = |n: Option<i64>| n.map_or(0, |n| u32::try_from(n.max(0)).unwrap_or(u32::MAX));
        for i in 0..group.rows {
            let Some(kind_word) = kind[i] else {
                return Err(not_a_log(path, format!("row {i} has no kind")));
            };
            let kind = code(&kind_codes, Some(kind_word));
            if kind == NO_CODE {
                let word = &reader.dictionary(p_kind)[kind_word as usize];
                return Err(not_a_log(path, format!("unknown kind `{word}`")));
            }
            let Some(day) = date[i] else {
                return Err(not_a_log(path, format!("row {i} has no date")));
            };
            let mut row = Row::new(kind, day);
            row.person = id(person[i], i)?;
            row.other = id(other[i], i)?;
            row.town = code(&town_codes, town[i]);
            let centre_code = code(&centre_codes, centre[i]);
            if centre_code != NO_CODE {
                row.place = u16::from(centre_code);
            }
            if let Some(h) = house[i] {
                row.place = house_codes.get(h as usize).copied().unwrap_or(row.place);
            }
            row.number = number[i].map_or(0, |n| u8::try_from(n.clamp(0, 255)).unwrap_or(0));
            row.count = small(count[i]);
            row.count2 = small(count_2[i]);
            row.flag = flag[i].map_or(NO_CODE, u8::from);
            #[allow(clippy::cast_possible_truncation)]
            {
                row.amount = amount[i].map_or(0.0, |a| a as f32);
            }
            let detail_word = detail[i].map(|d| detail_words[d as usize].as_str());
            let in_domain = |domain: &[&str]| {
                detail_word
                    .and_then(|w| domain.iter().position(|d| *d == w))
                    .and_then(|p| u8::try_from(p).ok())
                    .unwrap_or(NO_CODE)
            };
            let mut home_code = NO_CODE;
            if kind == k_created {
                home_code = code(&home_codes, home[i]);
                row.code = in_domain(&blood);
            } else if kind == k_carer_assigned {
                row.code = in_domain(&how);
            } else if kind == k_carer_released || kind == k_career_ended {
                row.code = in_domain(&RELEASES);
            } else if kind == k_escaped {
                row.code = in_domain(&stages);
            } else if organ[i].is_some() {
                row.code = code(&organ_codes, organ[i]);
            }
            if kind == k_patients {
                // The log's `number` and `amount` of a day's patients are what grown organs
                // served, which the index does not keep.
                row.number = 0;
                row.amount = 0.0;
            }
            if (kind == k_donation || kind == k_completed)
                && let Some(age) = age_days[i]
                && row.person != NONE
            {
                builder.saw_age(row.person, day, age);
            }
            builder
                .push(row, home_code)
                .map_err(|detail| not_a_log(path, detail))?;
        }
        reader.recycle(group);
    }
    let builder = builder.unwrap_or_else(|| IndexBuilder::new(0, Vec::new()));
    Ok(builder.finish())
}
