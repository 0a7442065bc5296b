//! What can go wrong with a store: each error names the store's file and what was expected.

use std::path::PathBuf;

use crate::{RunId, Status};

/// An error of the run store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The folder the store's file goes in could not be made.
    #[error("cannot create the folder of the run store {}: {source}", .path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// SQLite refused something (the file is not a database, a disk is full, a lock timed out).
    #[error("run store {}: {action}: {source}", .path.display())]
    Sql {
        /// The store's file.
        path: PathBuf,
        /// What the store was doing.
        action: &'static str,
        /// What SQLite said (boxed: it is large, and errors are returned by value).
        source: Box<rusqlite::Error>,
    },
    /// An SQLite database with tables of its own but no `schema_version`: not a run store.
    #[error(
        "{} is an SQLite database but not a hailsham run store (it has tables, and no \
         `schema_version` in a `meta` table); name another file for the store",
        .path.display()
    )]
    NotAStore {
        /// The file.
        path: PathBuf,
    },
    /// The store was written by a newer hailsham, whose tables this one cannot read safely.
    #[error(
        "the run store {} has schema version {found}, newer than the version {supported} this \
         hailsham reads: use a newer hailsham, or another store",
        .path.display()
    )]
    Newer {
        /// The store's file.
        path: PathBuf,
        /// The version the file records.
        found: i64,
        /// The newest version this build reads.
        supported: i64,
    },
    /// A value in the file is not what the schema allows (edited by hand, say).
    #[error("run store {}: {what}", .path.display())]
    Corrupt {
        /// The store's file.
        path: PathBuf,
        /// What was found, and what was expected.
        what: String,
    },
    /// No run has this id.
    #[error("run store {}: no run {id}", .path.display())]
    NoRun {
        /// The store's file.
        path: PathBuf,
        /// The id asked for.
        id: RunId,
    },
    /// A run can be finished or failed only while it is queued or running.
    #[error(
        "run store {}: run {id} is {status}, so it cannot be {action} (only a queued or running \
         run can)",
        .path.display()
    )]
    NotLive {
        /// The store's file.
        path: PathBuf,
        /// The run.
        id: RunId,
        /// Its status.
        status: Status,
        /// What was asked: `finished`, `failed`, `started`.
        action: &'static str,
    },
    /// Results handed to [`crate::Store::finish`] are not for as many replicates as the run was
    /// begun with.
    #[error(
        "run store {}: run {id} was begun with {expected} replicates, but its {what} has {found}",
        .path.display()
    )]
    Replicates {
        /// The store's file.
        path: PathBuf,
        /// The run.
        id: RunId,
        /// `summary` or `series`.
        what: &'static str,
        /// Replicates the run was begun with.
        expected: u32,
        /// Replicates handed in.
        found: usize,
    },
    /// A run's scenario text is longer than the store records.
    #[error(
        "run store {}: the scenario's text is {bytes} bytes; the store records at most {max} \
         (a scenario is a few kilobytes: leave long comments out)",
        .path.display()
    )]
    ScenarioTooLong {
        /// The store's file.
        path: PathBuf,
        /// The text's length in bytes.
        bytes: usize,
        /// [`crate::SCENARIO_TEXT_MAX`].
        max: usize,
    },
}
