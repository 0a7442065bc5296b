use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use hailsham_outputs::{FIGURES, Summary, difference};
use hailsham_world::{Params, Replicate, YearRow};
use rusqlite::Connection;

use super::*;

/// A store file for one test, removed with its WAL files at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "hailsham-store-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        Scratch(path)
    }

    /// A store file inside a folder that does not exist yet.
    fn store(&self) -> PathBuf {
        self.0.join("store").join("runs.sqlite")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn key(seed: u64, replicates: u32) -> RequestKey {
    RequestKey {
        scenario_hash: "5eed".repeat(16),
        seed,
        replicates,
        start_year: 1952,
        end_year: 1962,
        version: "0.1.0".to_string(),
    }
}

fn new_run(key: RequestKey) -> NewRun {
    NewRun {
        key,
        scenario_name: "small".to_string(),
        scenario_text: "name = \"small\"\nhomes.population_millions = 0.3\n".to_string(),
        command: "hailsham run small".to_string(),
    }
}

/// A small world's replicates: their summary and their yearly rows.
fn small_run(population: f64, seed: u64, replicates: u32) -> (Summary, Vec<Vec<YearRow>>) {
    let mut params = Params::default();
    params.homes.population_millions = population;
    params.time.end_year = 1962;
    assert!(params.problems().is_empty(), "{:?}", params.problems());
    let mut tallies = Vec::new();
    let mut series = Vec::new();
    for replicate in 0..replicates {
        let mut world = Replicate::new(&params, seed, replicate, ());
        let mut rows = Vec::new();
        while let Some(row) = world.step_year() {
            rows.push(row);
        }
        tallies.push(world.finish().0);
        series.push(rows);
    }
    (Summary::from_tallies(&tallies), series)
}

/// A summary of `replicates` replicates whose every figure is `value`.
fn flat_summary(value: f64, replicates: u32) -> Summary {
    Summary::from_replicates(vec![vec![value; FIGURES.len()]; replicates as usize])
}

/// The same number, NaN being the same as NaN; what the store keeps of a non-finite value
/// is NaN.
fn same(stored: f64, given: f64) -> bool {
    if given.is_finite() {
        stored.to_bits() == given.to_bits()
    } else {
        stored.is_nan()
    }
}

fn same_estimate(stored: &Estimate, given: &Estimate) -> bool {
    same(stored.mean, given.mean)
        && same(stored.low, given.low)
        && same(stored.high, given.high)
        && stored.n == given.n
}

fn assert_same_series(stored: &StoredSeries, given: &StoredSeries) {
    assert_eq!(stored.columns, given.columns);
    assert_eq!(stored.replicates.len(), given.replicates.len());
    for (replicate, (a, b)) in stored.replicates.iter().zip(&given.replicates).enumerate() {
        assert_eq!(a.len(), b.len(), "replicate {replicate}");
        for (a, b) in a.iter().zip(b) {
            assert_eq!(a.year, b.year);
            for (column, (x, y)) in a.values.iter().zip(&b.values).enumerate() {
                assert!(
                    same(*x, *y),
                    "replicate {replicate}, year {}, {}: stored {x}, given {y}",
                    a.year,
                    stored.columns[column]
                );
            }
        }
    }
}

#[test]
fn a_run_round_trips_figures_series_and_intervals() {
    let scratch = Scratch::new("round-trip");
    let (summary, series) = small_run(0.3, 7, 3);
    let (other_summary, other_series) = small_run(0.5, 7, 3);
    let log = Path::new("/runs/small/log");
    let (id, other) = {
        let mut store = Store::open(scratch.store()).expect("opens");
        let id = store.begin(&new_run(key(7, 3))).expect("begins");
        assert_eq!(
            store.head(id).expect("reads").map(|h| h.status),
            Some(Status::Running)
        );
        store
            .finish(id, &summary, &series, Some(log))
            .expect("finishes");
        let mut other_key = key(7, 3);
        other_key.scenario_hash = "0the5".repeat(12);
        let other = store.begin(&new_run(other_key)).expect("begins");
        store
            .finish(other, &other_summary, &other_series, None)
            .expect("finishes");
        (id, other)
    };
    // Read back by another connection, as another process would.
    let store = Store::open(scratch.store()).expect("opens again");
    let run = store.get(id).expect("reads").expect("is there");
    assert_eq!(run.head.status, Status::Complete);
    assert_eq!(run.head.key(), key(7, 3));
    assert_eq!(run.head.scenario_name, "small");
    assert_eq!(run.head.command, "hailsham run small");
    assert_eq!(run.head.pid, std::process::id());
    assert_eq!(run.head.log_dir.as_deref(), Some(log));
    assert!(run.head.finished.is_some() && run.head.message.is_none());
    assert!(
        run.head.started.len() == 20 && run.head.started.ends_with('Z'),
        "{}",
        run.head.started
    );
    assert_eq!(run.scenario_text, new_run(key(7, 3)).scenario_text);

    let stored = run.summary.expect("a complete run has its summary");
    assert_eq!(stored.replicates.len(), 3);
    for (a, b) in stored.replicates.iter().zip(&summary.replicates) {
        for (figure, (x, y)) in FIGURES.iter().zip(a.iter().zip(b)) {
            assert!(same(*x, *y), "{}: stored {x}, given {y}", figure.key);
        }
    }
    for (figure, (a, b)) in FIGURES
        .iter()
        .zip(stored.estimates.iter().zip(&summary.estimates))
    {
        assert!(same_estimate(a, b), "{}: {a:?} against {b:?}", figure.key);
    }
    // Not vacuous: a real interval over three replicates came back.
    let clones = stored.get("clones_created").expect("a figure");
    assert!(clones.n == 3 && clones.mean > 0.0 && clones.low < clones.high);

    // Paired differences from stored runs are those of the runs themselves.
    let other_stored = store
        .get(other)
        .expect("reads")
        .and_then(|run| run.summary)
        .expect("complete");
    for figure in FIGURES.iter() {
        let given = difference(
            &summary.values(figure.key).expect("known"),
            &other_summary.values(figure.key).expect("known"),
        );
        let again = difference(
            &stored.values(figure.key).expect("known"),
            &other_stored.values(figure.key).expect("known"),
        );
        assert!(
            same_estimate(&again.estimate, &given.estimate) && again.marked == given.marked,
            "{}",
            figure.key
        );
    }

    let stored_series = run.series.expect("a complete run has its series");
    assert_same_series(&stored_series, &StoredSeries::from_rows(&series));
    assert_eq!(
        stored_series.years(),
        (1952..1962).collect::<Vec<_>>(),
        "one row a year"
    );
    let donations = stored_series.column("donations").expect("a column");
    let last = series[2].last().expect("rows");
    #[allow(clippy::cast_precision_loss)]
    let last_donations = last.donations as f64;
    assert_eq!(
        stored_series.replicates[2]
            .last()
            .map(|row| row.values[donations]),
        Some(last_donations)
    );
    // The yearly estimates are those of the rows given.
    let per_year = stored_series.estimates(donations);
    assert_eq!(per_year.len(), 10);
    #[allow(clippy::cast_precision_loss)]
    let values: Vec<f64> = series.iter().map(|rows| rows[9].donations as f64).collect();
    assert!(same_estimate(&per_year[9], &estimate(&values)));
    assert!(
        stored_series
            .estimates(StoredSeries::column_names().len())
            .is_empty()
    );
}

#[test]
fn every_figure_and_series_column_is_a_row_of_its_table() {
    let scratch = Scratch::new("rows");
    let mut store = Store::open(scratch.store()).expect("opens");
    let id = store.begin(&new_run(key(1, 2))).expect("begins");
    let rows = vec![YearRow {
        year: 1952,
        donations: 12,
        life_years_gained: f64::NAN,
        ..YearRow::default()
    }];
    let mut summary_values = vec![vec![2.5; FIGURES.len()]; 2];
    summary_values[1][0] = f64::INFINITY;
    let summary = Summary::from_replicates(summary_values);
    store
        .finish(id, &summary, &[rows.clone(), rows], None)
        .expect("finishes");
    let connection = Connection::open(scratch.store()).expect("opens");
    let count = |sql: &str| -> i64 {
        connection
            .query_row(sql, [], |row| row.get(0))
            .expect("counts")
    };
    assert_eq!(
        count("SELECT count(*) FROM figures"),
        2 * FIGURES.len() as i64
    );
    assert_eq!(
        count("SELECT count(*) FROM series"),
        2 * (SERIES_COLUMNS.len() - SERIES_KEYS) as i64
    );
    // Undefined values are NULL, for every reader of the file.
    assert_eq!(count("SELECT count(*) FROM figures WHERE value IS NULL"), 1);
    assert_eq!(
        count(
            "SELECT count(*) FROM series WHERE value IS NULL AND column_name = 'life_years_gained'"
        ),
        2
    );
    assert_eq!(
        count("SELECT CAST(sum(value) AS INTEGER) FROM series WHERE column_name = 'donations'"),
        24
    );
}

#[test]
fn find_complete_finds_only_complete_runs_of_the_same_request() {
    let scratch = Scratch::new("find");
    let mut store = Store::open(scratch.store()).expect("opens");
    let first = store.begin(&new_run(key(1, 2))).expect("begins");
    assert_eq!(store.find_complete(&key(1, 2)).expect("finds"), None);
    store
        .finish(first, &flat_summary(1.0, 2), &[vec![], vec![]], None)
        .expect("finishes");
    assert_eq!(store.find_complete(&key(1, 2)).expect("finds"), Some(first));

    // Any part of the key that differs is another request.
    let mut others = vec![key(2, 2), key(1, 3)];
    for change in 0..4 {
        let mut other = key(1, 2);
        match change {
            0 => other.scenario_hash.push('0'),
            1 => other.start_year -= 1,
            2 => other.end_year += 1,
            _ => other.version = "0.2.0".to_string(),
        }
        others.push(other);
    }
    for other in &others {
        assert_eq!(
            store.find_complete(other).expect("finds"),
            None,
            "{other:?}"
        );
    }

    // Failed, cancelled and running runs are never served.
    let failed = store.begin(&new_run(key(1, 2))).expect("begins");
    store
        .fail(failed, Stopped::Failed, "the disk was full")
        .expect("fails");
    let cancelled = store.begin(&new_run(key(1, 2))).expect("begins");
    store
        .fail(cancelled, Stopped::Cancelled, "cancelled")
        .expect("cancels");
    let _running = store.begin(&new_run(key(1, 2))).expect("begins");
    assert_eq!(store.find_complete(&key(1, 2)).expect("finds"), Some(first));
    let head = store.head(failed).expect("reads").expect("there");
    assert_eq!(head.status, Status::Failed);
    assert_eq!(head.message.as_deref(), Some("the disk was full"));
    assert!(head.finished.is_some());
    assert_eq!(
        store.head(cancelled).expect("reads").map(|h| h.status),
        Some(Status::Cancelled)
    );

    // The newest complete run of a request is the one found.
    let second = store.begin(&new_run(key(1, 2))).expect("begins");
    store
        .finish(second, &flat_summary(1.0, 2), &[vec![], vec![]], None)
        .expect("finishes");
    assert_eq!(
        store.find_complete(&key(1, 2)).expect("finds"),
        Some(second)
    );
    store
        .set_log(second, Path::new("/out/novel"))
        .expect("records the log");
    assert_eq!(
        store.head(second).expect("reads").and_then(|h| h.log_dir),
        Some(PathBuf::from("/out/novel"))
    );
    assert!(matches!(
        store.set_log(RunId(999), Path::new("/out")),
        Err(StoreError::NoRun { .. })
    ));

    // A run ends once.
    let refused = store
        .finish(failed, &flat_summary(1.0, 2), &[vec![], vec![]], None)
        .expect_err("a failed run cannot be finished");
    assert!(
        matches!(
            refused,
            StoreError::NotLive {
                status: Status::Failed,
                ..
            }
        ),
        "{refused}"
    );
    assert!(
        store
            .fail(second, Stopped::Cancelled, "late")
            .is_err_and(|e| e.to_string().contains("is complete")),
        "a complete run cannot be cancelled"
    );
    let missing = store
        .fail(RunId(999), Stopped::Failed, "x")
        .expect_err("no such run");
    assert!(matches!(missing, StoreError::NoRun { id: RunId(999), .. }));
    // Results for another number of replicates are refused, and nothing is written.
    let third = store.begin(&new_run(key(5, 2))).expect("begins");
    let wrong = store
        .finish(
            third,
            &flat_summary(1.0, 3),
            &[vec![], vec![], vec![]],
            None,
        )
        .expect_err("three replicates for a run of two");
    assert!(
        matches!(
            wrong,
            StoreError::Replicates {
                expected: 2,
                found: 3,
                ..
            }
        ),
        "{wrong}"
    );
    assert_eq!(
        store.head(third).expect("reads").map(|h| h.status),
        Some(Status::Running)
    );
}

#[test]
fn runs_left_live_by_a_dead_process_are_interrupted_on_open() {
    let scratch = Scratch::new("interrupted");
    let me = std::process::id();
    let Some(mine) = process::identity(me) else {
        // No /proc (not Linux): no process is judged dead, so there is nothing to test.
        return;
    };
    let (dead, reused, alive, queued, done) = {
        let mut store = Store::open(scratch.store()).expect("opens");
        let dead = store.begin(&new_run(key(1, 2))).expect("begins");
        let reused = store.begin(&new_run(key(2, 2))).expect("begins");
        let alive = store.begin(&new_run(key(3, 2))).expect("begins");
        let queued = store.enqueue(&new_run(key(4, 2))).expect("queues");
        let done = store.begin(&new_run(key(5, 2))).expect("begins");
        store
            .finish(done, &flat_summary(4.0, 2), &[vec![], vec![]], None)
            .expect("finishes");
        (dead, reused, alive, queued, done)
    };
    let connection = Connection::open(scratch.store()).expect("opens");
    // Linux's pids stay below 2^22: this one names no process.
    connection
        .execute(
            "UPDATE runs SET pid = 2147483647 WHERE id IN (?1, ?2)",
            params![dead.0, queued.0],
        )
        .expect("updates");
    // Our own pid, started at another time: this process was given the pid of the one that
    // ran it.
    let (boot_and_space, _ticks) = mine.rsplit_once('/').expect("BOOT/NAMESPACE/TICKS");
    connection
        .execute(
            "UPDATE runs SET pid_start = ?2 WHERE id = ?1",
            params![reused.0, format!("{boot_and_space}/1")],
        )
        .expect("updates");
    let mut store = Store::open(scratch.store()).expect("opens again");
    let status = |id| store.head(id).expect("reads").expect("there");
    for id in [dead, reused, queued] {
        let head = status(id);
        assert_eq!(head.status, Status::Interrupted, "run {id}");
        assert!(head.finished.is_none(), "an interrupted run never finished");
        let message = head.message.expect("says why");
        assert!(
            message.contains("ended before the run finished"),
            "{message}"
        );
    }
    assert!(
        status(dead)
            .message
            .is_some_and(|m| m.contains("pid 2147483647"))
    );
    let alive_head = status(alive);
    assert_eq!(
        alive_head.status,
        Status::Running,
        "this process still runs it"
    );
    assert_eq!(alive_head.pid, me);
    let stored: Option<String> = connection
        .query_row(
            "SELECT pid_start FROM runs WHERE id = ?1",
            params![alive.0],
            |row| row.get(0),
        )
        .expect("reads");
    assert_eq!(stored.as_deref(), Some(mine.as_str()));
    // A complete run is left as it was, figures and all.
    let kept = store.get(done).expect("reads").expect("there");
    assert_eq!(kept.head.status, Status::Complete);
    assert_eq!(kept.summary, Some(flat_summary(4.0, 2)));
    // Nothing more to mark, and an interrupted run cannot be finished after all.
    assert_eq!(store.interrupt_dead().expect("checks"), Vec::new());
    assert!(
        store
            .finish(dead, &flat_summary(1.0, 2), &[vec![], vec![]], None)
            .is_err()
    );
}

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let scratch = Scratch::new("newer");
    drop(Store::open(scratch.store()).expect("creates"));
    let connection = Connection::open(scratch.store()).expect("opens");
    connection
        .execute(
            "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
            [],
        )
        .expect("updates");
    let refused = Store::open(scratch.store()).expect_err("a newer schema");
    assert!(
        matches!(
            refused,
            StoreError::Newer {
                found: 99,
                supported: SCHEMA_VERSION,
                ..
            }
        ),
        "{refused:?}"
    );
    let message = refused.to_string();
    assert!(
        message.contains(&scratch.store().display().to_string())
            && message.contains("schema version 99")
            && message.contains("newer"),
        "{message}"
    );
    let version: String = connection
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |row| row.get(0),
        )
        .expect("reads");
    assert_eq!(version, "99", "the file is not touched");
}

#[test]
fn a_file_that_is_no_store_is_refused_with_its_name() {
    let scratch = Scratch::new("not-a-store");
    let path = scratch.store();
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("creates");
    Connection::open(&path)
        .and_then(|c| c.execute_batch("CREATE TABLE notes (text TEXT);"))
        .expect("another database");
    let refused = Store::open(&path).expect_err("not a store");
    assert!(
        matches!(refused, StoreError::NotAStore { .. }),
        "{refused:?}"
    );

    let text = scratch.0.join("notes.txt");
    std::fs::write(
        &text,
        "Kathy H. was a carer for eleven years.\n".repeat(100),
    )
    .expect("writes");
    let refused = Store::open(&text).expect_err("not a database");
    let message = refused.to_string();
    assert!(
        message.contains("notes.txt") && message.contains("not a database"),
        "{message}"
    );
}

#[test]
fn list_is_newest_first_and_heads_keep_every_field() {
    let scratch = Scratch::new("list");
    let mut store = Store::open(scratch.store()).expect("opens");
    assert_eq!(store.list().expect("lists"), Vec::new());
    let mut big = key(u64::MAX, 1);
    big.start_year = 1901;
    big.end_year = 2300;
    let ids: Vec<RunId> = [key(1, 2), big.clone(), key(3, 4)]
        .into_iter()
        .map(|k| store.begin(&new_run(k)).expect("begins"))
        .collect();
    let heads = store.list().expect("lists");
    let listed: Vec<RunId> = heads.iter().map(|h| h.id).collect();
    assert_eq!(listed, vec![ids[2], ids[1], ids[0]]);
    assert!(ids[0].0 < ids[1].0 && ids[1].0 < ids[2].0);
    // The largest seed survives SQLite's signed integers.
    assert_eq!(heads[1].key(), big);
    // Another connection sees the same runs, all still running in this live process.
    let again = Store::open(scratch.store()).expect("opens");
    assert_eq!(again.list().expect("lists"), heads);
    assert!(heads.iter().all(|h| h.status == Status::Running));
    assert_eq!(store.get(RunId(99)).expect("reads"), None);
    let running = store.get(ids[0]).expect("reads").expect("there");
    assert_eq!((running.summary, running.series), (None, None));
}

#[test]
fn a_queued_run_starts_once() {
    let scratch = Scratch::new("queue");
    let mut store = Store::open(scratch.store()).expect("opens");
    let id = store.enqueue(&new_run(key(1, 1))).expect("queues");
    assert_eq!(
        store.head(id).expect("reads").map(|h| h.status),
        Some(Status::Queued)
    );
    store.start(id).expect("starts");
    assert_eq!(
        store.head(id).expect("reads").map(|h| h.status),
        Some(Status::Running)
    );
    assert!(matches!(
        store.start(id),
        Err(StoreError::NotLive {
            status: Status::Running,
            ..
        })
    ));
}

#[test]
fn run_ids_and_statuses_read_back() {
    assert_eq!("12".parse::<RunId>(), Ok(RunId(12)));
    assert_eq!(" 3 ".parse::<RunId>(), Ok(RunId(3)));
    for bad in ["0", "-3", "abc", "", "1.5", "99999999999999999999"] {
        assert!(bad.parse::<RunId>().is_err(), "{bad}");
    }
    for status in Status::ALL {
        assert_eq!(Status::parse(status.as_str()), Some(status));
    }
    assert_eq!(Status::parse("done"), None);
    // The schema's CHECK names every status, and no other.
    for status in Status::ALL {
        assert!(schema::CREATE.contains(&format!("'{status}'")), "{status}");
    }
}

#[test]
fn the_series_values_follow_replicate_and_year() {
    assert_eq!(SERIES_COLUMNS[0].name, "replicate");
    assert_eq!(SERIES_COLUMNS[1].name, "year");
    assert_eq!(
        StoredSeries::column_names().len(),
        SERIES_COLUMNS.len() - SERIES_KEYS
    );
}

#[test]
fn docs_store_md_documents_every_table_and_column() {
    let doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/store.md"));
    let scratch = Scratch::new("doc");
    drop(Store::open(scratch.store()).expect("opens"));
    let connection = Connection::open(scratch.store()).expect("opens");
    for (table, columns) in schema::TABLES {
        let actual: Vec<String> = connection
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
            .expect("reads the schema");
        assert_eq!(actual, *columns, "table {table}");
        let heading = format!("### `{table}`");
        let start = doc.find(&heading).unwrap_or_else(|| panic!("no {heading}"));
        let section = &doc[start + heading.len()..];
        let section = &section[..section.find("\n### ").unwrap_or(section.len())];
        for column in columns.iter() {
            assert!(
                section.contains(&format!("| `{column}` |")),
                "docs/store.md: table {table} has no row for column `{column}`"
            );
        }
    }
}

#[test]
fn errors_stay_small_enough_to_return_by_value() {
    // Callers wrap them in errors of their own; clippy's `result_large_err` starts at 128.
    assert!(std::mem::size_of::<StoreError>() <= 64);
}

/// Goal: two processes creating or opening one new store at once both succeed (a server and a
/// command started together did not: "database is locked"). Method: eight threads, each with
/// its own connection as a process would have, open one new store at the same moment, twenty
/// times over; every open succeeds and the store holds one schema.
#[test]
fn a_new_store_opened_by_many_at_once_opens_for_all() {
    for round in 0..20 {
        let scratch = Scratch::new(&format!("race-{round}"));
        let path = scratch.store();
        let start = std::sync::Arc::new(std::sync::Barrier::new(8));
        let openers: Vec<_> = (0..8)
            .map(|_| {
                let (path, start) = (path.clone(), std::sync::Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&path).map(drop)
                })
            })
            .collect();
        for opener in openers {
            let opened = opener.join().expect("the thread ends");
            assert!(opened.is_ok(), "round {round}: {:?}", opened.err());
        }
        let store = Store::open(&path).expect("opens");
        assert!(store.list().expect("lists").is_empty());
    }
}

/// Goal: a complete run whose figures a damaged store lost is refused as damaged, not shown as
/// a table of n/a. Method: a complete run of this version, figure rows deleted by hand; `get`
/// names the run and the count; a run of another version may lack figures added since.
#[test]
fn a_complete_run_missing_figures_is_damage_not_a_result() {
    let scratch = Scratch::new("missing-figures");
    let mut store = Store::open(scratch.store()).expect("opens");
    let (summary, series) = small_run(0.3, 1, 2);
    let mut current = key(1, 2);
    current.version = hailsham_outputs::VERSION.to_string();
    let id = store.begin(&new_run(current)).expect("begins");
    store.finish(id, &summary, &series, None).expect("finishes");
    let mut older = key(2, 2);
    older.version = "0.0.1".to_string();
    let old = store.begin(&new_run(older)).expect("begins");
    store
        .finish(old, &summary, &series, None)
        .expect("finishes");
    let connection = Connection::open(scratch.store()).expect("opens");
    connection
        .execute("DELETE FROM figures WHERE replicate = 1", [])
        .expect("deletes");
    let error = store.get(id).expect_err("damaged");
    let text = error.to_string();
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    assert!(
        text.contains(&format!("run {id} is complete but holds")),
        "{text}"
    );
    let old_run = store.get(old).expect("reads").expect("there");
    assert!(
        old_run.summary.is_some(),
        "another version's run reads as it was"
    );
}

/// Goal: the page's runs are a cache the store bounds, and nothing else is touched. Method:
/// runs of the page (`serve`), finished with a small world's figures and series, among runs
/// of the command line and a page run still going; evicting to 2 runs (then to 3 replicates)
/// deletes exactly the oldest finished page runs, with their figures and series rows, and
/// leaves the command line's runs, the running one and the newest page runs whole.
#[test]
fn eviction_deletes_the_oldest_finished_page_runs_and_nothing_else() {
    let scratch = Scratch::new("evict");
    let mut store = Store::open(scratch.store()).expect("opens");
    let (summary, series) = small_run(0.05, 3, 1);
    let page = |seed| NewRun {
        command: "serve".to_string(),
        ..new_run(key(seed, 1))
    };
    let mut finished_page_runs = Vec::new();
    let mut hand_runs = Vec::new();
    for seed in 0..6 {
        let id = store.begin(&page(seed)).expect("begins");
        if seed == 2 {
            store.fail(id, Stopped::Failed, "failed").expect("fails");
        } else {
            store.finish(id, &summary, &series, None).expect("finishes");
        }
        finished_page_runs.push(id);
        let by_hand = store.begin(&new_run(key(seed, 1))).expect("begins");
        store
            .finish(by_hand, &summary, &series, None)
            .expect("finishes");
        hand_runs.push(by_hand);
    }
    let running = store.begin(&page(99)).expect("begins");
    let rows = |store: &Store, table: &str, run: RunId| -> i64 {
        store
            .connection
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE run = ?1"),
                [run.0],
                |row| row.get(0),
            )
            .expect("counts")
    };
    assert!(rows(&store, "series", finished_page_runs[0]) > 100);

    let limits = CacheLimits {
        runs_max: 2,
        replicates_max: 1_000,
    };
    let evicted = store.evict("serve", limits).expect("evicts");
    // The newest first: runs 5 and 4 kept, 3, 2 (failed) 1 and 0 gone.
    let mut expected: Vec<RunId> = finished_page_runs[..4].to_vec();
    expected.reverse();
    assert_eq!(evicted, expected);
    for &id in &finished_page_runs[..4] {
        assert_eq!(store.head(id).expect("reads"), None, "{id:?} deleted");
        assert_eq!(rows(&store, "series", id), 0);
        assert_eq!(rows(&store, "figures", id), 0);
    }
    for &id in finished_page_runs[4..].iter().chain(&hand_runs) {
        let run = store.get(id).expect("reads").expect("kept");
        assert_eq!(run.head.status, Status::Complete, "{id:?}");
    }
    assert_eq!(
        store.head(running).expect("reads").map(|h| h.status),
        Some(Status::Running)
    );

    // Nothing more to do at the same limits; fewer replicates evict one more.
    assert_eq!(store.evict("serve", limits).expect("evicts"), vec![]);
    let limits = CacheLimits {
        runs_max: 10,
        replicates_max: 1,
    };
    assert_eq!(
        store.evict("serve", limits).expect("evicts"),
        vec![finished_page_runs[4]]
    );
    assert!(store.get(finished_page_runs[5]).expect("reads").is_some());
}

/// Goal: no run records a scenario text past the bound. Method: a text one byte over it is
/// refused with its length and the bound, and nothing is recorded; one at the bound is
/// recorded.
#[test]
fn a_scenario_text_past_the_bound_is_refused() {
    let scratch = Scratch::new("text-bound");
    let mut store = Store::open(scratch.store()).expect("opens");
    let mut run = new_run(key(1, 1));
    run.scenario_text = "#".repeat(SCENARIO_TEXT_MAX + 1);
    let error = store.begin(&run).expect_err("too long");
    let message = error.to_string();
    assert!(
        message.contains(&format!("{} bytes", SCENARIO_TEXT_MAX + 1))
            && message.contains(&SCENARIO_TEXT_MAX.to_string()),
        "{message}"
    );
    assert!(store.list().expect("lists").is_empty());
    run.scenario_text.pop();
    store.enqueue(&run).expect("at the bound");
    assert_eq!(store.list().expect("lists").len(), 1);
}

fn new_sweep(hash: &str) -> NewSweep {
    NewSweep {
        hash: hash.to_string(),
        name: "carers".to_string(),
        text: "base = \"novel\"\n".to_string(),
        design: "random".to_string(),
        points: 3,
        replicates: 2,
        version: "0.1.0".to_string(),
    }
}

fn sweep_run(point: u64, replicate: u32) -> SweepRun {
    #[allow(clippy::cast_precision_loss)]
    let mut figures: Vec<f64> = (0..FIGURES.len())
        .map(|i| point as f64 * 1000.0 + f64::from(replicate) + i as f64 / 7.0)
        .collect();
    figures[1] = f64::NAN;
    SweepRun {
        point,
        replicate,
        scenario_hash: format!("{point:064}"),
        parameters: format!("care.carer_share = 0.{point}"),
        figures,
    }
}

/// Goal: a sweep's runs are found again by the next process, in order, with the very figures
/// recorded, and a run recorded twice is kept once. Method: record three runs out of order,
/// reopen, and read them back.
#[test]
fn a_sweep_is_found_again_with_its_runs_in_order() {
    let scratch = Scratch::new("sweep");
    let mut store = Store::open(scratch.store()).expect("opens");
    let id = store.sweep(&new_sweep("ab")).expect("recorded");
    assert_eq!(store.sweep(&new_sweep("ab")).expect("found"), id);
    assert_ne!(store.sweep(&new_sweep("cd")).expect("another"), id);
    for (point, replicate) in [(2, 0), (0, 1), (0, 0)] {
        store
            .record_sweep_run(id, &sweep_run(point, replicate))
            .expect("recorded");
    }
    store
        .record_sweep_run(id, &sweep_run(0, 0))
        .expect("a second time is no error");
    drop(store);
    let store = Store::open(scratch.store()).expect("opens again");
    assert_eq!(
        store.sweep_done(id).expect("read"),
        vec![(0, 0), (0, 1), (2, 0)]
    );
    let mut read = Vec::new();
    store
        .sweep_figures(id, |run| {
            read.push(run.clone());
            Ok::<(), StoreError>(())
        })
        .expect("read");
    assert_eq!(read.len(), 3);
    for (run, (point, replicate)) in read.iter().zip([(0, 0), (0, 1), (2, 0)]) {
        let expected = sweep_run(point, replicate);
        assert_eq!((run.point, run.replicate), (point, replicate));
        assert_eq!(run.scenario_hash, expected.scenario_hash);
        assert_eq!(run.parameters, expected.parameters);
        assert!(run.figures[1].is_nan());
        assert!(
            run.figures
                .iter()
                .zip(&expected.figures)
                .all(|(a, b)| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()))
        );
    }
    let first = store.sweep_runs(id, 2).expect("read");
    assert_eq!(
        first
            .iter()
            .map(|r| (r.point, r.replicate))
            .collect::<Vec<_>>(),
        vec![(0, 0), (0, 1)]
    );
    let heads = store.sweeps().expect("listed");
    assert_eq!(heads.len(), 2);
    assert_eq!(
        (heads[1].id, heads[1].runs_done, heads[1].points),
        (id, 3, 3)
    );
}

/// Goal: a store written before sweeps existed gains their tables and keeps its runs.
#[test]
fn a_store_of_version_one_gains_the_sweep_tables() {
    let scratch = Scratch::new("migrate");
    let path = scratch.store();
    let mut store = Store::open(&path).expect("opens");
    let run = store.begin(&new_run(key(1, 1))).expect("begun");
    drop(store);
    let connection = Connection::open(&path).expect("opens");
    connection
        .execute_batch(
            "DROP TABLE sweep_figures; DROP TABLE sweep_runs; DROP TABLE sweeps;
             UPDATE meta SET value = '1' WHERE key = 'schema_version';",
        )
        .expect("made version 1");
    drop(connection);
    let mut store = Store::open(&path).expect("migrates");
    assert!(store.head(run).expect("read").is_some());
    let id = store
        .sweep(&new_sweep("ef"))
        .expect("the sweep tables exist");
    store
        .record_sweep_run(id, &sweep_run(0, 0))
        .expect("recorded");
    drop(store);
    let connection = Connection::open(&path).expect("opens");
    let version: String = connection
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |row| row.get(0),
        )
        .expect("read");
    assert_eq!(version, SCHEMA_VERSION.to_string());
}
