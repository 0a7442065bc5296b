//! The run store: every run of hailsham (what was asked, how it went, its figures and its
//! yearly series) in one SQLite file that several processes share, and that a user can query
//! with the `sqlite3` shell or DuckDB (docs/store.md documents every table and column).
//!
//! A run is one scenario's replicates. Its life in the store:
//!
//! - [`Store::begin`] records it `running` before it runs (or [`Store::enqueue`] `queued`, and
//!   [`Store::start`] `running` when its turn comes), with the request ([`RequestKey`]), the
//!   scenario, the command that asked for it, a timestamp and the process that runs it;
//! - [`Store::finish`] writes its figures and series and marks it `complete`, in one
//!   transaction: a process killed during it leaves the run `running`, never half complete;
//! - [`Store::fail`] marks it `failed` or `cancelled`, with a message;
//! - a run left `running` or `queued` by a process that has ended is marked `interrupted` when
//!   any process next opens the store ([`Store::open`], [`Store::interrupt_dead`]); the pid
//!   and the process's start time are recorded so that a reused pid is not mistaken for it.
//!
//! [`Store::find_complete`] finds a complete run of the same request, so a caller can serve
//! it again instead of running it; [`Store::list`] gives every run's [`RunHead`], newest
//! first; [`Store::get`] a [`StoredRun`], with the [`Summary`] rebuilt from the stored figures
//! by [`Summary::from_replicates`] (so intervals and paired comparisons are computed again,
//! exactly: figures are stored as the `f64`s they were) and the yearly [`StoredSeries`].
//!
//! ```
//! use hailsham_outputs::{FIGURES, Summary};
//! use hailsham_store::{NewRun, RequestKey, Store};
//!
//! let path = std::env::temp_dir().join(format!("hailsham-doc-{}.sqlite", std::process::id()));
//! let mut store = Store::open(&path)?;
//! let key = RequestKey {
//!     scenario_hash: "ab12".into(),
//!     seed: 1,
//!     replicates: 2,
//!     start_year: 1952,
//!     end_year: 1960,
//!     version: "0.1.0".into(),
//! };
//! let id = store.begin(&NewRun {
//!     key: key.clone(),
//!     scenario_name: "novel".into(),
//!     scenario_text: "name = \"novel\"\n".into(),
//!     command: "hailsham run".into(),
//! })?;
//! assert_eq!(store.find_complete(&key)?, None, "running, not complete");
//! let summary = Summary::from_replicates(vec![vec![1.0; FIGURES.len()], vec![3.0; FIGURES.len()]]);
//! store.finish(id, &summary, &[Vec::new(), Vec::new()], None)?;
//! assert_eq!(store.find_complete(&key)?, Some(id));
//! let run = store.get(id)?.expect("stored");
//! assert_eq!(run.summary, Some(summary));
//! # drop(store);
//! # for suffix in ["", "-wal", "-shm"] {
//! #     let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
//! # }
//! # Ok::<(), hailsham_store::StoreError>(())
//! ```
//!
//! **Architecture Invariant:** the store knows nothing of terminals, HTTP or scenario files:
//! it keeps what its callers hand it, as the report crate's figures ([`FIGURES`]) and series
//! columns ([`SERIES_COLUMNS`]) name it. Only this crate knows SQL.
//!
//! A [`Store`] is one connection: `Send`, not `Sync`. A program with several threads gives
//! each its own `Store` (opening is cheap) or guards one with a mutex; SQLite's WAL mode and a
//! busy timeout let several processes read and write one file at once.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use hailsham_outputs::{Estimate, FIGURES, SERIES_COLUMNS, Summary, estimate, figure_index};
use hailsham_table::Cell;
use hailsham_world::YearRow;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

mod error;
mod schema;
mod sweeps;
#[cfg(test)]
mod tests;

pub use error::StoreError;
pub use schema::SCHEMA_VERSION;
pub use sweeps::{NewSweep, SweepHead, SweepId, SweepRun};

use crate::schema::NOW;
use hailsham_outputs::process::{self, Liveness};

/// How long a write waits for another process's write to end before it fails: finishing a
/// large run takes well under a second.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// The pause before trying again what SQLite refused as busy without waiting.
const BUSY_RETRY: Duration = Duration::from_millis(20);

/// Whether SQLite said the file is locked by another connection.
fn is_busy(error: &(dyn std::error::Error + 'static)) -> bool {
    matches!(
        error.downcast_ref::<rusqlite::Error>(),
        Some(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error {
                code: rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked,
                ..
            },
            _
        ))
    )
}

/// `attempt` again while SQLite answers busy, for at most the busy timeout.
fn until_not_busy<T>(mut attempt: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    loop {
        match attempt() {
            Err(error) if is_busy(&error) && started.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(BUSY_RETRY);
            }
            other => return other,
        }
    }
}

/// The series' columns before its values: `replicate` and `year` (a test checks).
const SERIES_KEYS: usize = 2;

/// A run's id in the store: 1, 2, 3... in the order runs began, never reused.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunId(pub i64);

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A text that is not a run id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a run id is a whole number from 1 up (got `{0}`)")]
pub struct BadRunId(pub String);

impl FromStr for RunId {
    type Err = BadRunId;

    fn from_str(text: &str) -> Result<RunId, BadRunId> {
        match text.trim().parse::<i64>() {
            Ok(id) if id >= 1 => Ok(RunId(id)),
            _ => Err(BadRunId(text.to_string())),
        }
    }
}

/// Where a run is in its life.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Waiting for its turn (the web server's queue).
    Queued,
    /// Running now, in the process its row names.
    Running,
    /// Finished: its figures and series are stored.
    Complete,
    /// Stopped by an error, which its message says.
    Failed,
    /// Stopped on request (Ctrl-C, a cancel button).
    Cancelled,
    /// Its process ended before it finished (killed, or the machine stopped).
    Interrupted,
}

impl Status {
    /// Every status, in the order of a run's life.
    pub const ALL: [Status; 6] = [
        Status::Queued,
        Status::Running,
        Status::Complete,
        Status::Failed,
        Status::Cancelled,
        Status::Interrupted,
    ];

    /// Its name in the `runs.status` column.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Complete => "complete",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
            Status::Interrupted => "interrupted",
        }
    }

    /// The status named `name`, if there is one.
    #[must_use]
    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether a process is (or should be) working on it: queued or running.
    #[must_use]
    pub fn is_live(self) -> bool {
        matches!(self, Status::Queued | Status::Running)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a run that did not complete ended, for [`Store::fail`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// An error stopped it.
    Failed,
    /// It was asked to stop.
    Cancelled,
}

impl From<Stopped> for Status {
    fn from(stopped: Stopped) -> Status {
        match stopped {
            Stopped::Failed => Status::Failed,
            Stopped::Cancelled => Status::Cancelled,
        }
    }
}

/// The identity of a request: two runs with the same key give the same figures, so a complete
/// run of a key can be served instead of running it again.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestKey {
    /// The scenario's hash (`Scenario::hash`: SHA-256 of its resolved parameters).
    pub scenario_hash: String,
    /// The master seed.
    pub seed: u64,
    /// Replicates `0..replicates`.
    pub replicates: u32,
    /// The first calendar year.
    pub start_year: i32,
    /// The year the run ends at.
    pub end_year: i32,
    /// The version of hailsham that runs it.
    pub version: String,
}

/// The longest scenario text a run may record, in bytes. The whole of `novel.toml`, every
/// parameter with its comments, is under 30 KiB; a longer text is mostly comment, and a page
/// that recorded megabytes of it would let any client fill the disk.
pub const SCENARIO_TEXT_MAX: usize = 64 * 1024;

/// How much of one command's runs the store keeps as a cache ([`Store::evict`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheLimits {
    /// Finished runs kept, at most.
    pub runs_max: usize,
    /// Replicates held by the runs kept, at most: a replicate's figures and yearly series
    /// are what takes room (BENCHMARKS.md measures it).
    pub replicates_max: u64,
}

/// A run about to begin: its request, and what to show of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRun {
    /// What is run.
    pub key: RequestKey,
    /// The scenario's name.
    pub scenario_name: String,
    /// The scenario as TOML text that loads to the same parameters.
    pub scenario_text: String,
    /// What asked for it: the command line as typed, or the web server's request.
    pub command: String,
}

/// A run as [`Store::list`] shows it: everything but the scenario's text and the results.
/// Its serializable counterpart, for programs and the page, is the runner's `RunView`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunHead {
    /// Its id.
    pub id: RunId,
    /// What asked for it.
    pub command: String,
    /// The scenario's name.
    pub scenario_name: String,
    /// The scenario's hash.
    pub scenario_hash: String,
    /// The master seed.
    pub seed: u64,
    /// Replicates.
    pub replicates: u32,
    /// The first calendar year.
    pub start_year: i32,
    /// The year the run ends at.
    pub end_year: i32,
    /// The version of hailsham that ran it.
    pub version: String,
    /// Where it is in its life.
    pub status: Status,
    /// Why it failed, was cancelled or interrupted; `None` otherwise.
    pub message: Option<String>,
    /// The process that ran it.
    pub pid: u32,
    /// When it began (or was queued), UTC, ISO 8601: `2026-05-01T12:34:56Z`.
    pub started: String,
    /// When it completed, failed or was cancelled; `None` while live and when interrupted.
    pub finished: Option<String>,
    /// The folder of its event log (`log-NNN.parquet`), if it wrote one.
    pub log_dir: Option<PathBuf>,
}

impl RunHead {
    /// The request the run answers.
    #[must_use]
    pub fn key(&self) -> RequestKey {
        RequestKey {
            scenario_hash: self.scenario_hash.clone(),
            seed: self.seed,
            replicates: self.replicates,
            start_year: self.start_year,
            end_year: self.end_year,
            version: self.version.clone(),
        }
    }
}

/// A run with everything the store holds of it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredRun {
    /// Its head.
    pub head: RunHead,
    /// The scenario as TOML text.
    pub scenario_text: String,
    /// Every figure of every replicate, with estimates computed again; `None` unless complete.
    pub summary: Option<Summary>,
    /// The yearly series; `None` unless complete.
    pub series: Option<StoredSeries>,
}

/// One replicate's row of the series for one year.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesYear {
    /// The calendar year.
    pub year: i32,
    /// One value per column of [`StoredSeries::columns`], in that order; NaN where it has none.
    pub values: Vec<f64>,
}

/// The yearly series of a run's replicates, column by column as [`SERIES_COLUMNS`] names
/// them.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredSeries {
    /// The numeric columns of [`SERIES_COLUMNS`] (all but `replicate` and `year`), in order.
    pub columns: Vec<&'static str>,
    /// Per replicate, in replicate order: one row per year, in year order.
    pub replicates: Vec<Vec<SeriesYear>>,
}

/// A table value as a number; NaN for none (a null, or a non-number, which the series has not).
fn number(value: &Cell<'_>) -> f64 {
    match *value {
        Cell::Int32(n) | Cell::Date(n) => f64::from(n),
        // Counts of a run stay far below 2^53, where an f64 stops holding every integer.
        Cell::Int64(n) => n as f64,
        Cell::Float64(x) => x,
        Cell::Bool(b) => f64::from(u8::from(b)),
        Cell::Null | Cell::Text(_) => f64::NAN,
    }
}

/// Inserts every figure of every replicate of run `id`'s summary.
fn insert_figures(
    transaction: &rusqlite::Transaction<'_>,
    id: RunId,
    summary: &Summary,
) -> rusqlite::Result<()> {
    let mut figure = transaction
        .prepare("INSERT INTO figures (run, key, replicate, value) VALUES (?1, ?2, ?3, ?4)")?;
    for (replicate, values) in summary.replicates.iter().enumerate() {
        for (spec, value) in FIGURES.iter().zip(values) {
            figure.execute(params![
                id.0,
                spec.key,
                sql_integer(replicate),
                finite(*value)
            ])?;
        }
    }
    Ok(())
}

/// Inserts each replicate's yearly rows of run `id`, a cell a column.
fn insert_series(
    transaction: &rusqlite::Transaction<'_>,
    id: RunId,
    series: &[Vec<YearRow>],
) -> rusqlite::Result<()> {
    let mut cell = transaction.prepare(
        "INSERT INTO series (run, replicate, year, column_name, value) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let columns = &SERIES_COLUMNS[SERIES_KEYS..];
    for (replicate, rows) in series.iter().enumerate() {
        let replicate_u32 = u32::try_from(replicate).unwrap_or(u32::MAX);
        for row in rows {
            let values = hailsham_outputs::series_row(replicate_u32, row);
            for (column, value) in columns.iter().zip(&values[SERIES_KEYS..]) {
                cell.execute(params![
                    id.0,
                    sql_integer(replicate),
                    row.year,
                    column.name,
                    finite(number(value))
                ])?;
            }
        }
    }
    Ok(())
}

/// A value for SQLite: NULL where it is not a finite number (an undefined figure, a share of
/// nobody). Every computation over replicates skips NaN and infinity alike, so nothing is lost.
fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

impl StoredSeries {
    /// The names of the series' numeric columns, in [`SERIES_COLUMNS`] order.
    #[must_use]
    pub fn column_names() -> Vec<&'static str> {
        SERIES_COLUMNS[SERIES_KEYS..]
            .iter()
            .map(|column| column.name)
            .collect()
    }

    /// The series of replicates' yearly rows as the world hands them out (in replicate order):
    /// what [`Store::get`] gives back for rows stored by [`Store::finish`].
    #[must_use]
    pub fn from_rows(series: &[Vec<YearRow>]) -> StoredSeries {
        let replicates = series
            .iter()
            .enumerate()
            .map(|(replicate, rows)| {
                let replicate = u32::try_from(replicate).unwrap_or(u32::MAX);
                rows.iter()
                    .map(|row| SeriesYear {
                        year: row.year,
                        values: hailsham_outputs::series_row(replicate, row)[SERIES_KEYS..]
                            .iter()
                            .map(number)
                            .collect(),
                    })
                    .collect()
            })
            .collect();
        StoredSeries {
            columns: StoredSeries::column_names(),
            replicates,
        }
    }

    /// The place of the column `name` in [`StoredSeries::columns`].
    #[must_use]
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == name)
    }

    /// The years of the series (the first replicate's: every replicate runs the same years).
    #[must_use]
    pub fn years(&self) -> Vec<i32> {
        self.replicates
            .first()
            .map(|rows| rows.iter().map(|row| row.year).collect())
            .unwrap_or_default()
    }

    /// For each of [`StoredSeries::years`], the mean of column `column` over replicates and its 95%
    /// interval (as a figure's, unclamped); empty if there is no such column.
    #[must_use]
    pub fn estimates(&self, column: usize) -> Vec<Estimate> {
        if column >= self.columns.len() {
            return Vec::new();
        }
        let mut values = Vec::with_capacity(self.replicates.len());
        self.years()
            .iter()
            .enumerate()
            .map(|(index, year)| {
                values.clear();
                values.extend(self.replicates.iter().map(|rows| {
                    rows.get(index)
                        .filter(|row| row.year == *year)
                        .and_then(|row| row.values.get(column).copied())
                        .unwrap_or(f64::NAN)
                }));
                estimate(&values)
            })
            .collect()
    }
}

/// An open run store.
#[derive(Debug)]
pub struct Store {
    connection: Connection,
    path: PathBuf,
}

/// A run's head as read from a row, before its values are checked.
struct RawHead {
    id: i64,
    command: String,
    scenario_name: String,
    scenario_hash: String,
    seed: i64,
    replicates: i64,
    start_year: i64,
    end_year: i64,
    version: String,
    status: String,
    message: Option<String>,
    pid: i64,
    started: String,
    finished: Option<String>,
    log_dir: Option<String>,
}

/// The columns of `runs` a [`RawHead`] is read from, in its order.
const HEAD_COLUMNS: &str = "id, command, scenario_name, scenario_hash, seed, replicates, \
     start_year, end_year, version, status, message, pid, started, finished, log_dir";

impl RawHead {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawHead> {
        Ok(RawHead {
            id: row.get(0)?,
            command: row.get(1)?,
            scenario_name: row.get(2)?,
            scenario_hash: row.get(3)?,
            seed: row.get(4)?,
            replicates: row.get(5)?,
            start_year: row.get(6)?,
            end_year: row.get(7)?,
            version: row.get(8)?,
            status: row.get(9)?,
            message: row.get(10)?,
            pid: row.get(11)?,
            started: row.get(12)?,
            finished: row.get(13)?,
            log_dir: row.get(14)?,
        })
    }
}

/// A seed in SQLite's signed 64-bit integers: seeds from 2^63 up are stored as `seed - 2^64`,
/// the same 64 bits, and read back exactly.
/// A replicate's place as SQLite's integer (replicates number at most 2^32).
fn sql_integer(replicate: usize) -> i64 {
    i64::try_from(replicate).unwrap_or(i64::MAX)
}

fn seed_to_sql(seed: u64) -> i64 {
    i64::from_ne_bytes(seed.to_ne_bytes())
}

fn seed_from_sql(seed: i64) -> u64 {
    u64::from_ne_bytes(seed.to_ne_bytes())
}

impl Store {
    /// Opens the store at `path`, creating the file, its folder and its tables if missing, and
    /// marks `interrupted` every run left live by a process that has ended.
    ///
    /// # Errors
    /// The folder cannot be made, the file is not an SQLite database ([`StoreError::Sql`]) or
    /// not a run store ([`StoreError::NotAStore`]), its schema is newer than this build reads
    /// ([`StoreError::Newer`]), or SQLite fails.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        let sql = |action: &'static str| {
            let path = path.clone();
            move |source| StoreError::Sql {
                path,
                action,
                source: Box::new(source),
            }
        };
        let connection = Connection::open(&path).map_err(sql("opening the file"))?;
        connection
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(sql("setting the busy timeout"))?;
        // WAL: readers never wait for the writer, and a writer killed mid-transaction leaves
        // the last committed state. NORMAL is durable enough with WAL: a power cut may lose
        // the last commits, never the file.
        // Turning a new file to WAL takes an exclusive lock, and SQLite answers "busy" at once
        // there rather than waiting out the busy timeout: two processes creating one store at
        // once would fail. So the switch is tried again, for as long as the busy timeout.
        until_not_busy(|| {
            connection.pragma_update_and_check(None, "journal_mode", "wal", |_| Ok(()))
        })
        .map_err(sql("opening the file"))?;
        connection
            .pragma_update(None, "synchronous", "normal")
            .map_err(sql("setting synchronous mode"))?;
        connection
            .pragma_update(None, "foreign_keys", true)
            .map_err(sql("turning on foreign keys"))?;
        let mut store = Store { connection, path };
        store.prepare_until_not_busy()?;
        store.interrupt_dead()?;
        Ok(store)
    }

    /// The store's file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self, action: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError + use<> {
        let path = self.path.clone();
        move |source| StoreError::Sql {
            path,
            action,
            source: Box::new(source),
        }
    }

    fn corrupt(&self, what: String) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            what,
        }
    }

    /// Creates the tables of a new store, or checks the version of an existing one.
    /// [`Store::prepare`], tried again while another process holds the new file's first lock.
    fn prepare_until_not_busy(&mut self) -> Result<(), StoreError> {
        let started = std::time::Instant::now();
        loop {
            match self.prepare() {
                Err(StoreError::Sql { source, .. })
                    if is_busy(source.as_ref()) && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(BUSY_RETRY);
                }
                other => return other,
            }
        }
    }

    fn prepare(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |action: &'static str| {
            let path = path.clone();
            move |source| StoreError::Sql {
                path,
                action,
                source: Box::new(source),
            }
        };
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("reading the schema"))?;
        let tables: Vec<String> = transaction
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| row.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .map_err(sql("reading the schema"))?;
        if tables.iter().any(|t| t == "meta") {
            let found: Option<rusqlite::types::Value> = transaction
                .query_row(
                    "SELECT value FROM meta WHERE key = 'schema_version'",
                    [],
                    |row| row.get(0),
                )
                .optional()
                .map_err(sql("reading the schema version"))?;
            let version = match &found {
                Some(rusqlite::types::Value::Integer(v)) => Some(*v),
                Some(rusqlite::types::Value::Text(t)) => t.trim().parse::<i64>().ok(),
                _ => None,
            };
            match version {
                Some(found) if found > SCHEMA_VERSION => {
                    return Err(StoreError::Newer {
                        path,
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                Some(found) if found >= 1 => {
                    if found < SCHEMA_VERSION {
                        // Version 2 added the sweep tables, and changed nothing else.
                        transaction
                            .execute_batch(schema::SWEEPS)
                            .and_then(|()| {
                                transaction.execute(
                                    "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
                                    params![SCHEMA_VERSION.to_string()],
                                )
                            })
                            .map_err(sql("adding the sweep tables"))?;
                    }
                }
                _ => {
                    return Err(StoreError::Corrupt {
                        path,
                        what: format!(
                            "meta.schema_version is {found:?}, not a version from 1 to \
                             {SCHEMA_VERSION}"
                        ),
                    });
                }
            }
        } else if tables.is_empty() {
            transaction
                .execute_batch(schema::CREATE)
                .and_then(|()| transaction.execute_batch(schema::SWEEPS))
                .map_err(sql("creating the tables"))?;
            transaction
                .execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?1), \
                     ('created_by_version', ?2)",
                    params![SCHEMA_VERSION.to_string(), env!("CARGO_PKG_VERSION")],
                )
                .map_err(sql("creating the tables"))?;
        } else {
            return Err(StoreError::NotAStore { path });
        }
        transaction.commit().map_err(sql("creating the tables"))
    }

    /// Marks `interrupted` every queued or running run whose process has ended (or whose pid
    /// now names another process), and returns their ids. [`Store::open`] calls it; a
    /// long-lived caller may call it again to notice runs killed since.
    ///
    /// # Errors
    /// If SQLite fails.
    pub fn interrupt_dead(&mut self) -> Result<Vec<RunId>, StoreError> {
        let live: Vec<(i64, i64, Option<String>)> = self
            .connection
            .prepare("SELECT id, pid, pid_start FROM runs WHERE status IN ('queued', 'running')")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                    .collect()
            })
            .map_err(self.sql("reading live runs"))?;
        let dead: Vec<(i64, i64)> = live
            .into_iter()
            .filter(|(_, pid, start)| {
                u32::try_from(*pid).map_or(true, |pid| {
                    process::liveness(pid, start.as_deref()) == Liveness::Dead
                })
            })
            .map(|(id, pid, _)| (id, pid))
            .collect();
        if dead.is_empty() {
            return Ok(Vec::new());
        }
        let sql = self.sql("marking runs interrupted");
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate);
        let result = transaction.and_then(|transaction| {
            let mut marked = Vec::with_capacity(dead.len());
            {
                let mut statement = transaction.prepare(
                    "UPDATE runs SET status = 'interrupted', message = ?2 \
                     WHERE id = ?1 AND status IN ('queued', 'running')",
                )?;
                for (id, pid) in dead {
                    let message = format!("its process (pid {pid}) ended before the run finished");
                    if statement.execute(params![id, message])? > 0 {
                        marked.push(RunId(id));
                    }
                }
            }
            transaction.commit()?;
            Ok(marked)
        });
        result.map_err(sql)
    }

    /// Deletes the oldest finished runs recorded by `command` (the web server's `serve`, whose
    /// runs are a cache of what the page asked) past `limits`: the newest are kept while
    /// there are at most `limits.runs_max` of them and they hold at most
    /// `limits.replicates_max` replicates between them; every older one goes, with its
    /// figures and series, in one transaction. A queued or running run is never deleted, nor
    /// a run of another command (what a user ran by hand is theirs). Gives the runs deleted.
    ///
    /// # Errors
    /// If SQLite fails (then nothing is deleted).
    pub fn evict(&mut self, command: &str, limits: CacheLimits) -> Result<Vec<RunId>, StoreError> {
        const FINISHED: &str = "command = ?1 AND status NOT IN ('queued', 'running')";
        let sql = self.sql("deleting the oldest cached runs");
        let evict = |transaction: rusqlite::Transaction<'_>| -> rusqlite::Result<Vec<RunId>> {
            let finished: Vec<(i64, i64)> = transaction
                .prepare(&format!(
                    "SELECT id, replicates FROM runs WHERE {FINISHED} ORDER BY id DESC"
                ))?
                .query_map(params![command], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let (mut runs, mut replicates) = (0_usize, 0_u64);
            let first_evicted = finished.iter().position(|&(_, held)| {
                runs += 1;
                replicates = replicates.saturating_add(u64::try_from(held).unwrap_or(0));
                runs > limits.runs_max || replicates > limits.replicates_max
            });
            let Some(first) = first_evicted else {
                return Ok(Vec::new());
            };
            let newest_evicted = finished[first].0;
            for table in ["series", "figures"] {
                transaction.execute(
                    &format!(
                        "DELETE FROM {table} WHERE run IN \
                         (SELECT id FROM runs WHERE {FINISHED} AND id <= ?2)"
                    ),
                    params![command, newest_evicted],
                )?;
            }
            transaction.execute(
                &format!("DELETE FROM runs WHERE {FINISHED} AND id <= ?2"),
                params![command, newest_evicted],
            )?;
            transaction.commit()?;
            Ok(finished[first..].iter().map(|&(id, _)| RunId(id)).collect())
        };
        self.connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(evict)
            .map_err(sql)
    }

    /// Records `run` as `running`, begun now by this process.
    ///
    /// # Errors
    /// If SQLite fails (a replicate count of 0 is refused by the table).
    pub fn begin(&mut self, run: &NewRun) -> Result<RunId, StoreError> {
        self.insert(run, Status::Running)
    }

    /// Records `run` as `queued` by this process; [`Store::start`] marks it running.
    ///
    /// # Errors
    /// As [`Store::begin`].
    pub fn enqueue(&mut self, run: &NewRun) -> Result<RunId, StoreError> {
        self.insert(run, Status::Queued)
    }

    fn insert(&mut self, run: &NewRun, status: Status) -> Result<RunId, StoreError> {
        if run.scenario_text.len() > SCENARIO_TEXT_MAX {
            return Err(StoreError::ScenarioTooLong {
                path: self.path.clone(),
                bytes: run.scenario_text.len(),
                max: SCENARIO_TEXT_MAX,
            });
        }
        let pid = std::process::id();
        let key = &run.key;
        self.connection
            .execute(
                &format!(
                    "INSERT INTO runs (command, scenario_name, scenario_text, scenario_hash, \
                     seed, replicates, start_year, end_year, version, status, pid, pid_start, \
                     started) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, {NOW})"
                ),
                params![
                    run.command,
                    run.scenario_name,
                    run.scenario_text,
                    key.scenario_hash,
                    seed_to_sql(key.seed),
                    key.replicates,
                    key.start_year,
                    key.end_year,
                    key.version,
                    status.as_str(),
                    pid,
                    process::identity(pid),
                ],
            )
            .map_err(self.sql("recording a new run"))?;
        Ok(RunId(self.connection.last_insert_rowid()))
    }

    /// Marks the queued run `id` as running, from now.
    ///
    /// # Errors
    /// No such run, a run not queued, or SQLite fails.
    pub fn start(&mut self, id: RunId) -> Result<(), StoreError> {
        let changed = self
            .connection
            .execute(
                &format!(
                    "UPDATE runs SET status = 'running', started = {NOW} \
                     WHERE id = ?1 AND status = 'queued'"
                ),
                params![id.0],
            )
            .map_err(self.sql("starting a run"))?;
        if changed == 0 {
            return Err(self.not_live(id, "started")?);
        }
        Ok(())
    }

    /// The error for a change refused because run `id` is missing or not live.
    fn not_live(&self, id: RunId, action: &'static str) -> Result<StoreError, StoreError> {
        Ok(match self.head(id)? {
            None => StoreError::NoRun {
                path: self.path.clone(),
                id,
            },
            Some(head) => StoreError::NotLive {
                path: self.path.clone(),
                id,
                status: head.status,
                action,
            },
        })
    }

    /// Stores the results of run `id` and marks it `complete`, in one transaction: `summary`
    /// (every figure of every replicate), `series` (each replicate's yearly rows, in
    /// replicate order) and the folder of its event log, if it wrote one.
    ///
    /// # Errors
    /// No such run; a run not queued or running; a summary or series for another number of
    /// replicates than the run began with; or SQLite fails (then nothing is written).
    pub fn finish(
        &mut self,
        id: RunId,
        summary: &Summary,
        series: &[Vec<YearRow>],
        log: Option<&Path>,
    ) -> Result<(), StoreError> {
        self.check_finishing(id, summary, series)?;
        let log = log.map(|dir| dir.to_string_lossy().into_owned());
        let sql = self.sql("storing a run's results");
        let write = |transaction: rusqlite::Transaction<'_>| -> rusqlite::Result<usize> {
            insert_figures(&transaction, id, summary)?;
            insert_series(&transaction, id, series)?;
            // Checked again inside the transaction: another process may have marked it since.
            let changed = transaction.execute(
                &format!(
                    "UPDATE runs SET status = 'complete', finished = {NOW}, message = NULL, \
                     log_dir = ?2 WHERE id = ?1 AND status IN ('queued', 'running')"
                ),
                params![id.0, log],
            )?;
            if changed == 1 {
                transaction.commit()?;
            }
            Ok(changed)
        };
        let changed = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(write)
            .map_err(sql)?;
        if changed == 0 {
            return Err(self.not_live(id, "finished")?);
        }
        Ok(())
    }

    /// Whether run `id` may be finished with `summary` and `series`: it exists, is queued or
    /// running, and both hold as many replicates as it began with.
    fn check_finishing(
        &self,
        id: RunId,
        summary: &Summary,
        series: &[Vec<YearRow>],
    ) -> Result<(), StoreError> {
        let head = self.head(id)?.ok_or_else(|| StoreError::NoRun {
            path: self.path.clone(),
            id,
        })?;
        if !head.status.is_live() {
            return Err(self.not_live(id, "finished")?);
        }
        for (what, found) in [
            ("summary", summary.replicates.len()),
            ("series", series.len()),
        ] {
            if u32::try_from(found).ok() != Some(head.replicates) {
                return Err(StoreError::Replicates {
                    path: self.path.clone(),
                    id,
                    what,
                    expected: head.replicates,
                    found,
                });
            }
        }
        Ok(())
    }

    /// Records the folder of run `id`'s event log: for a caller that stores the results as
    /// soon as they exist and writes its files after.
    ///
    /// # Errors
    /// No such run, or SQLite fails.
    pub fn set_log(&mut self, id: RunId, dir: &Path) -> Result<(), StoreError> {
        let changed = self
            .connection
            .execute(
                "UPDATE runs SET log_dir = ?2 WHERE id = ?1",
                params![id.0, dir.to_string_lossy()],
            )
            .map_err(self.sql("recording a run's event log"))?;
        if changed == 0 {
            return Err(StoreError::NoRun {
                path: self.path.clone(),
                id,
            });
        }
        Ok(())
    }

    /// Marks run `id` failed or cancelled, with `message` saying why.
    ///
    /// # Errors
    /// No such run, a run not queued or running, or SQLite fails.
    pub fn fail(&mut self, id: RunId, stopped: Stopped, message: &str) -> Result<(), StoreError> {
        let changed = self
            .connection
            .execute(
                &format!(
                    "UPDATE runs SET status = ?2, message = ?3, finished = {NOW} \
                     WHERE id = ?1 AND status IN ('queued', 'running')"
                ),
                params![id.0, Status::from(stopped).as_str(), message],
            )
            .map_err(self.sql("marking a run stopped"))?;
        if changed == 0 {
            return Err(self.not_live(id, "failed")?);
        }
        Ok(())
    }

    /// The newest complete run of `key`, if the store holds one.
    ///
    /// # Errors
    /// If SQLite fails.
    pub fn find_complete(&self, key: &RequestKey) -> Result<Option<RunId>, StoreError> {
        self.connection
            .query_row(
                "SELECT id FROM runs WHERE scenario_hash = ?1 AND seed = ?2 AND replicates = ?3 \
                 AND start_year = ?4 AND end_year = ?5 AND version = ?6 AND status = 'complete' \
                 ORDER BY id DESC LIMIT 1",
                params![
                    key.scenario_hash,
                    seed_to_sql(key.seed),
                    key.replicates,
                    key.start_year,
                    key.end_year,
                    key.version
                ],
                |row| row.get(0).map(RunId),
            )
            .optional()
            .map_err(self.sql("finding a complete run"))
    }

    /// Every run's head, newest first.
    ///
    /// # Errors
    /// If SQLite fails, or a row holds what the schema does not allow.
    pub fn list(&self) -> Result<Vec<RunHead>, StoreError> {
        let raw: Vec<RawHead> = self
            .connection
            .prepare(&format!("SELECT {HEAD_COLUMNS} FROM runs ORDER BY id DESC"))
            .and_then(|mut statement| statement.query_map([], RawHead::read)?.collect())
            .map_err(self.sql("listing runs"))?;
        raw.into_iter().map(|raw| self.checked(raw)).collect()
    }

    /// The head of run `id`, if there is one.
    ///
    /// # Errors
    /// If SQLite fails, or its row holds what the schema does not allow.
    pub fn head(&self, id: RunId) -> Result<Option<RunHead>, StoreError> {
        let raw = self
            .connection
            .query_row(
                &format!("SELECT {HEAD_COLUMNS} FROM runs WHERE id = ?1"),
                params![id.0],
                RawHead::read,
            )
            .optional()
            .map_err(self.sql("reading a run"))?;
        raw.map(|raw| self.checked(raw)).transpose()
    }

    /// Checks a row's values against what a head may hold.
    fn checked(&self, raw: RawHead) -> Result<RunHead, StoreError> {
        let id = RunId(raw.id);
        let status = Status::parse(&raw.status).ok_or_else(|| {
            self.corrupt(format!(
                "run {id} has status `{}`, not one of queued, running, complete, failed, \
                 cancelled, interrupted",
                raw.status
            ))
        })?;
        let whole = |what: &str, value: i64| {
            self.corrupt(format!("run {id} has {what} {value}, out of range"))
        };
        Ok(RunHead {
            id,
            command: raw.command,
            scenario_name: raw.scenario_name,
            scenario_hash: raw.scenario_hash,
            seed: seed_from_sql(raw.seed),
            replicates: u32::try_from(raw.replicates)
                .map_err(|_| whole("replicates", raw.replicates))?,
            start_year: i32::try_from(raw.start_year)
                .map_err(|_| whole("start_year", raw.start_year))?,
            end_year: i32::try_from(raw.end_year).map_err(|_| whole("end_year", raw.end_year))?,
            version: raw.version,
            status,
            message: raw.message,
            pid: u32::try_from(raw.pid).map_err(|_| whole("pid", raw.pid))?,
            started: raw.started,
            finished: raw.finished,
            log_dir: raw.log_dir.map(PathBuf::from),
        })
    }

    /// Run `id` with its scenario's text and, if it is complete, its summary and series.
    ///
    /// # Errors
    /// If SQLite fails, or a row holds what the schema does not allow (a replicate beyond the
    /// run's, a year out of range).
    pub fn get(&self, id: RunId) -> Result<Option<StoredRun>, StoreError> {
        // One read transaction: the head and the results come from one state of the file.
        let snapshot = self
            .connection
            .unchecked_transaction()
            .map_err(self.sql("reading a run"))?;
        let Some(head) = self.head(id)? else {
            return Ok(None);
        };
        let scenario_text: String = snapshot
            .query_row(
                "SELECT scenario_text FROM runs WHERE id = ?1",
                params![id.0],
                |row| row.get(0),
            )
            .map_err(self.sql("reading a run's scenario"))?;
        let (summary, series) = if head.status == Status::Complete {
            (Some(self.summary(&head)?), Some(self.series(&head)?))
        } else {
            (None, None)
        };
        Ok(Some(StoredRun {
            head,
            scenario_text,
            summary,
            series,
        }))
    }

    /// The replicate number `replicate` of run `head`, as an index, if it is one of the run's.
    fn replicate_index(&self, head: &RunHead, replicate: i64) -> Result<usize, StoreError> {
        usize::try_from(replicate)
            .ok()
            .filter(|r| u32::try_from(*r).is_ok_and(|r| r < head.replicates))
            .ok_or_else(|| {
                self.corrupt(format!(
                    "run {} has a row for replicate {replicate}, but it ran replicates 0 to {}",
                    head.id,
                    head.replicates.saturating_sub(1)
                ))
            })
    }

    /// The summary of complete run `head`, from its figures: a figure missing (one added after
    /// the run was stored) is NaN, a key no longer known is left out.
    fn summary(&self, head: &RunHead) -> Result<Summary, StoreError> {
        let rows: Vec<(String, i64, Option<f64>)> = self
            .connection
            .prepare("SELECT key, replicate, value FROM figures WHERE run = ?1")
            .and_then(|mut statement| {
                statement
                    .query_map(params![head.id.0], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                    })?
                    .collect()
            })
            .map_err(self.sql("reading a run's figures"))?;
        let replicates = usize::try_from(head.replicates).unwrap_or(0);
        let mut values = vec![vec![f64::NAN; FIGURES.len()]; replicates];
        let mut held = 0;
        for (key, replicate, value) in rows {
            let replicate = self.replicate_index(head, replicate)?;
            if let Some(index) = figure_index(&key) {
                values[replicate][index] = value.unwrap_or(f64::NAN);
                held += 1;
            }
        }
        // A complete run of this version holds every figure of every replicate (an undefined
        // one as NULL): fewer is a damaged store, not a table of n/a to show as a result. A
        // run of another version may lack figures added since.
        let expected = replicates * FIGURES.len();
        if head.version == hailsham_outputs::VERSION && held < expected {
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
                what: format!(
                    "run {} is complete but holds {held} of its {expected} figures",
                    head.id
                ),
            });
        }
        Ok(Summary::from_replicates(values))
    }

    /// The series of complete run `head`: a column missing is NaN, one no longer known is left
    /// out.
    fn series(&self, head: &RunHead) -> Result<StoredSeries, StoreError> {
        let columns = StoredSeries::column_names();
        let rows: Vec<(i64, i64, String, Option<f64>)> = self
            .connection
            .prepare(
                "SELECT replicate, year, column_name, value FROM series WHERE run = ?1 \
                 ORDER BY replicate, year",
            )
            .and_then(|mut statement| {
                statement
                    .query_map(params![head.id.0], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                    })?
                    .collect()
            })
            .map_err(self.sql("reading a run's series"))?;
        let replicates = usize::try_from(head.replicates).unwrap_or(0);
        let mut series: Vec<Vec<SeriesYear>> = vec![Vec::new(); replicates];
        for (replicate, year, column, value) in rows {
            let replicate = self.replicate_index(head, replicate)?;
            let year = i32::try_from(year)
                .map_err(|_| self.corrupt(format!("run {} has a row for year {year}", head.id)))?;
            let rows = &mut series[replicate];
            // Rows come in year order, so a new year is always the last.
            if rows.last().is_none_or(|row| row.year != year) {
                rows.push(SeriesYear {
                    year,
                    values: vec![f64::NAN; columns.len()],
                });
            }
            if let (Some(index), Some(row)) =
                (columns.iter().position(|c| *c == column), rows.last_mut())
            {
                row.values[index] = value.unwrap_or(f64::NAN);
            }
        }
        Ok(StoredSeries {
            columns,
            replicates: series,
        })
    }
}
