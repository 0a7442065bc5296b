//! The store's tables, as SQL. docs/store.md documents every column; a test checks that it
//! names each one.

/// The version of the tables below. A store whose `meta.schema_version` is higher was written
/// by a newer hailsham and is refused; a lower one would be migrated here.
pub const SCHEMA_VERSION: i64 = 2;

/// The tables, created in one transaction when a store is new. Plain tables (not `WITHOUT
/// ROWID`) so that every reader, DuckDB's SQLite scanner included, scans them alike; keys are
/// kept by `PRIMARY KEY` and `UNIQUE` indexes.
pub(crate) const CREATE: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE runs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    command       TEXT NOT NULL,
    scenario_name TEXT NOT NULL,
    scenario_text TEXT NOT NULL,
    scenario_hash TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    replicates    INTEGER NOT NULL CHECK (replicates > 0),
    start_year    INTEGER NOT NULL,
    end_year      INTEGER NOT NULL,
    version       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN
                      ('queued', 'running', 'complete', 'failed', 'cancelled', 'interrupted')),
    message       TEXT,
    pid           INTEGER NOT NULL,
    pid_start     TEXT,
    started       TEXT NOT NULL,
    finished      TEXT,
    log_dir       TEXT
);
CREATE INDEX runs_by_request
    ON runs (scenario_hash, seed, replicates, start_year, end_year, version, status);
CREATE TABLE figures (
    run       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key       TEXT NOT NULL,
    replicate INTEGER NOT NULL,
    value     REAL,
    PRIMARY KEY (run, key, replicate)
);
CREATE TABLE series (
    run         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    replicate   INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    value       REAL,
    PRIMARY KEY (run, replicate, year, column_name)
);
";

/// The sweep tables, added by version 2: created with a new store, and in a store of version
/// 1 when it is first opened by a hailsham that has them.
pub(crate) const SWEEPS: &str = "
CREATE TABLE IF NOT EXISTS sweeps (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    sweep_text TEXT NOT NULL,
    sweep_hash TEXT NOT NULL,
    design     TEXT NOT NULL,
    points     INTEGER NOT NULL CHECK (points > 0),
    replicates INTEGER NOT NULL CHECK (replicates > 0),
    version    TEXT NOT NULL,
    started    TEXT NOT NULL,
    UNIQUE (sweep_hash, version)
);
CREATE TABLE IF NOT EXISTS sweep_runs (
    sweep         INTEGER NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    point         INTEGER NOT NULL,
    replicate     INTEGER NOT NULL,
    scenario_hash TEXT NOT NULL,
    parameters    TEXT NOT NULL,
    finished      TEXT NOT NULL,
    PRIMARY KEY (sweep, point, replicate)
);
CREATE TABLE IF NOT EXISTS sweep_figures (
    sweep     INTEGER NOT NULL,
    point     INTEGER NOT NULL,
    replicate INTEGER NOT NULL,
    key       TEXT NOT NULL,
    value     REAL,
    PRIMARY KEY (sweep, point, replicate, key),
    FOREIGN KEY (sweep, point, replicate)
        REFERENCES sweep_runs (sweep, point, replicate) ON DELETE CASCADE
);
";

/// The columns of each table, in order: what docs/store.md must document.
#[cfg(test)]
pub(crate) const TABLES: [(&str, &[&str]); 7] = [
    ("meta", &["key", "value"]),
    (
        "runs",
        &[
            "id",
            "command",
            "scenario_name",
            "scenario_text",
            "scenario_hash",
            "seed",
            "replicates",
            "start_year",
            "end_year",
            "version",
            "status",
            "message",
            "pid",
            "pid_start",
            "started",
            "finished",
            "log_dir",
        ],
    ),
    ("figures", &["run", "key", "replicate", "value"]),
    (
        "series",
        &["run", "replicate", "year", "column_name", "value"],
    ),
    (
        "sweeps",
        &[
            "id",
            "name",
            "sweep_text",
            "sweep_hash",
            "design",
            "points",
            "replicates",
            "version",
            "started",
        ],
    ),
    (
        "sweep_runs",
        &[
            "sweep",
            "point",
            "replicate",
            "scenario_hash",
            "parameters",
            "finished",
        ],
    ),
    (
        "sweep_figures",
        &["sweep", "point", "replicate", "key", "value"],
    ),
];

/// Now, in UTC, as ISO 8601 to the second: the store's timestamps, taken by SQLite so that
/// every process writing the file writes them alike.
pub(crate) const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
