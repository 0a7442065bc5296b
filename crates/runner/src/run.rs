//! Running one plan: its replicates on a pool, what they write as they go (person records and
//! event logs, one file a replicate), their figures, and the files of the run's folder
//! (yearly series, summary and metadata), recorded in the run store.
//!
//! Determinism: each replicate draws only from its own streams (seed, replicate number) and
//! writes only its own files; the series, summary and metadata are written after all
//! replicates finish, in replicate order. So the bytes written do not depend on the number of
//! threads or on which replicate finished first.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use hailsham_outputs::{
    EventLog, Metadata, OutputDir, PeopleFile, SeriesTable, Summary, VERSION, write_metadata,
    write_summary_json,
};
use hailsham_store::{RunHead, RunId};
use hailsham_table::Format;
use hailsham_world::{
    Calendar, Day, Happening, Observer, ObserverError, Places, ReplicateObserver, Tally, YearRow,
};

use crate::error::RunError;
use crate::plan::{Limits, Outputs, Plan};
use crate::record::Recorder;
use crate::replicates::{Cancel, Progress};

/// One plan's replicates, run: their figures, and each one's yearly rows and tally, in
/// replicate order.
#[derive(Clone, Debug)]
pub struct Ran {
    /// Every figure of every replicate, with their estimates.
    pub summary: Summary,
    /// Each replicate's yearly rows.
    pub series: Vec<Vec<YearRow>>,
    /// Each replicate's totals.
    pub tallies: Vec<Tally>,
    /// Rows each replicate's event log holds (empty without a log).
    pub log_rows: Vec<u64>,
}

impl Ran {
    /// Events a replicate handled, on average.
    #[must_use]
    pub fn events_mean(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let total = self.tallies.iter().map(|t| t.events as f64).sum::<f64>();
        #[allow(clippy::cast_precision_loss)]
        let count = self.tallies.len().max(1) as f64;
        total / count
    }
}

/// The extension of a table's file in `format`.
#[must_use]
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Parquet => "parquet",
        Format::Csv => "csv",
    }
}

/// The identity of a run as key-value pairs, for a Parquet file's footer.
#[must_use]
pub fn table_metadata(scenario: &str, hash: &str, seed: u64) -> Vec<(String, String)> {
    vec![
        ("scenario".to_string(), scenario.to_string()),
        ("scenario_hash".to_string(), hash.to_string()),
        ("seed".to_string(), seed.to_string()),
        ("version".to_string(), VERSION.to_string()),
    ]
}

/// Where a run writes what its replicates observe, beyond the series and the tally.
#[derive(Clone, Debug)]
struct Files {
    /// A folder for `people-NNN.parquet`.
    records: Option<PathBuf>,
    /// A folder for `log-NNN.parquet`.
    log: Option<PathBuf>,
    /// The tables' format (and so their files' extension).
    format: Format,
    /// The folder the files will be found in once the run succeeds, to name them in errors.
    shown: PathBuf,
    /// Key-value metadata for the tables' files: what ran, to reproduce it.
    metadata: Vec<(String, String)>,
}

/// An observer writing one file, and the file's name as the user will find it: errors name
/// the file under the output directory asked for, not the temporary one it is written in.
struct Named<O> {
    observer: O,
    shown: PathBuf,
}

impl<O: Observer> Observer for Named<O> {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        self.observer.observe(day, happening);
    }
}

impl<O: ReplicateObserver> ReplicateObserver for Named<O> {
    fn flush(&mut self, last: bool) -> Result<(), ObserverError> {
        self.observer.flush(last).map_err(|e| {
            format!(
                "writing {}: {}",
                self.shown.display(),
                hailsham_table::error_chain(&*e)
            )
            .into()
        })
    }
}

type Observers = (
    Option<Named<PeopleFile<BufWriter<File>>>>,
    Option<Named<EventLog<BufWriter<File>>>>,
);

/// The observers of replicate `replicate` that write what `files` asks for.
fn observers(
    files: &Files,
    calendar: Calendar,
    places: &Places,
    replicate: u32,
) -> Result<Observers, ObserverError> {
    let metadata: Vec<(&str, &str)> = files
        .metadata
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // Opens the file `stem` in `dir`; errors name it as the user will find it.
    let create = |dir: &Path, stem: &str| -> Result<(File, PathBuf), ObserverError> {
        let name = format!("{stem}-{replicate:03}.{}", extension(files.format));
        let shown = files.shown.join(&name);
        let file = File::create(dir.join(&name))
            .map_err(|e| format!("creating {}: {e}", shown.display()))?;
        Ok((file, shown))
    };
    let named = |shown: PathBuf| {
        move |e: hailsham_table::TableError| -> ObserverError {
            format!(
                "writing {}: {}",
                shown.display(),
                hailsham_table::error_chain(&e)
            )
            .into()
        }
    };
    let people = match &files.records {
        Some(dir) => {
            let (file, shown) = create(dir, "people")?;
            let observer = PeopleFile::new(
                BufWriter::with_capacity(1 << 16, file),
                files.format,
                calendar,
                places.clone(),
                replicate,
                &metadata,
            )
            .map_err(named(shown.clone()))?;
            Some(Named { observer, shown })
        }
        None => None,
    };
    let log = match &files.log {
        Some(dir) => {
            let (file, shown) = create(dir, "log")?;
            let observer = EventLog::new(
                BufWriter::with_capacity(1 << 20, file),
                files.format,
                replicate,
                calendar,
                places.clone(),
                &metadata,
            )
            .map_err(named(shown.clone()))?;
            Some(Named { observer, shown })
        }
        None => None,
    };
    Ok((people, log))
}

/// Runs `plan`'s replicates on `pool`, writing what `files` asks for. Replicate `r` draws from
/// the streams keyed by (seed, `r`) whatever the scenario, so scenarios run with one seed
/// share their random numbers (common random numbers), and results come back in replicate
/// order whatever thread ran which.
fn run_files(
    plan: &Plan,
    pool: &rayon::ThreadPool,
    files: Option<&Files>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    let params = &plan.scenario.params;
    let calendar = Calendar::new(i32::try_from(params.time.start_year).expect("range checked"));
    let places = Places::new(params);
    let outcomes = crate::replicates::run(
        &plan.request(),
        pool,
        |replicate| match files {
            Some(files) => observers(files, calendar, &places, replicate),
            None => Ok((None, None)),
        },
        progress,
        cancel,
    )?;
    let mut series = Vec::with_capacity(outcomes.len());
    let mut tallies = Vec::with_capacity(outcomes.len());
    let mut log_rows = Vec::new();
    for outcome in outcomes {
        if let Some(log) = &outcome.observer.1 {
            log_rows.push(log.observer.rows());
        }
        series.push(outcome.series);
        tallies.push(outcome.tally);
    }
    Ok(Ran {
        summary: Summary::from_tallies(&tallies),
        series,
        tallies,
        log_rows,
    })
}

/// Runs `plan` for its figures alone, recorded by `recorder` (begun, then finished or failed).
///
/// # Errors
/// What stopped the run: cancelled, a budget passed, a bug in the model; or the store's, when
/// the recorder is strict.
pub fn run_figures(
    plan: &Plan,
    pool: &rayon::ThreadPool,
    recorder: &mut Recorder,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    let id = recorder.begin(plan).map_err(store_error)?;
    recorded(plan, pool, None, recorder, id, progress, cancel)
}

/// Runs `plan` for its figures alone, already recorded as `id` (queued and started, as a
/// page's queue does it), then records how it ended.
///
/// # Errors
/// What stopped the run: cancelled, a budget passed, a bug in the model; or the store's, when
/// the recorder is strict.
pub fn run_recorded(
    plan: &Plan,
    pool: &rayon::ThreadPool,
    recorder: &mut Recorder,
    id: Option<RunId>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    recorded(plan, pool, None, recorder, id, progress, cancel)
}

/// Runs `plan` (already recorded as `id`) with `files`, then records how it ended.
fn recorded(
    plan: &Plan,
    pool: &rayon::ThreadPool,
    files: Option<&Files>,
    recorder: &mut Recorder,
    id: Option<RunId>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    match run_files(plan, pool, files, progress, cancel) {
        Ok(ran) => {
            // Recorded as soon as the figures exist: what follows writes files, not results.
            recorder.finish(id, &ran).map_err(store_error)?;
            Ok(ran)
        }
        Err(error) => {
            recorder.fail(id, &error).map_err(store_error)?;
            Err(error)
        }
    }
}

/// A store error met by a strict recorder, as the run's error.
fn store_error(error: hailsham_store::StoreError) -> RunError {
    RunError::output("recording the run in", "the run store", error)
}

/// What a run is asked to write: a folder (with person records, an event log, in a format),
/// or nothing but its figures.
#[derive(Clone, Debug, Default)]
pub struct Order {
    /// The folder to write, and whether to replace one that exists.
    pub out: Option<(PathBuf, bool)>,
    /// Person records in the folder.
    pub records: bool,
    /// The event log in the folder.
    pub log: bool,
    /// CSV rather than Parquet.
    pub csv: bool,
    /// The limits the run is sized against before it starts.
    pub limits: Limits,
}

impl Order {
    /// What the run writes, for its cost.
    #[must_use]
    pub fn outputs(&self) -> Outputs {
        Outputs {
            records: self.out.is_some() && self.records,
            log: self.out.is_some() && self.log,
            csv: self.csv,
        }
    }

    fn format(&self) -> Format {
        if self.csv {
            Format::Csv
        } else {
            Format::Parquet
        }
    }
}

/// How a run asked for by [`run`] ended.
#[derive(Debug)]
pub enum Done {
    /// The store held the request complete: its head and figures, served as they were.
    Served(RunHead, Summary),
    /// Run now.
    Ran {
        /// The results.
        ran: Ran,
        /// The run's folder, written but not yet in place: a front end may add to it (charts)
        /// before [`Folder::commit`].
        folder: Option<Folder>,
        /// Its id in the store.
        id: Option<RunId>,
        /// Worker threads it ran on.
        threads: usize,
        /// Seconds it took.
        seconds: f64,
    },
}

/// A run's folder, written under a temporary name and renamed into place only on success, so a
/// folder under the final name is always complete.
#[derive(Debug)]
pub struct Folder {
    dir: OutputDir,
    log: bool,
}

impl Folder {
    /// Starts the folder `path` under a temporary name (replacing one there with `force`).
    ///
    /// # Errors
    /// A path that names no folder, a folder not empty without `force`, or one that cannot be
    /// made.
    pub fn create(path: &Path, force: bool) -> Result<Folder, RunError> {
        Ok(Folder {
            dir: OutputDir::create(path, force)?,
            log: false,
        })
    }

    /// `name` inside the folder as the user will find it, for messages.
    #[must_use]
    pub fn final_path(&self, name: &str) -> PathBuf {
        self.dir.final_dir().join(name)
    }

    /// `name` inside the folder, as written now (under its temporary name).
    #[must_use]
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path(name)
    }

    /// Renames the folder into place, and records where its event log is.
    ///
    /// # Errors
    /// If the rename fails, or the final name was taken meanwhile.
    pub fn commit(self, recorder: &mut Recorder, id: Option<RunId>) -> Result<PathBuf, RunError> {
        let path = self.dir.commit()?;
        if self.log {
            recorder.set_log(id, &path).map_err(store_error)?;
        }
        Ok(path)
    }
}

/// Runs `plan` as `order` asks: served from the store when only its figures are wanted and
/// the store holds them, else sized against the order's limits (before anything is written),
/// run, recorded, and its folder written (series, summary, metadata, and the tables asked
/// for), left for the caller to commit.
///
/// # Errors
/// A plan past its limits, a folder that cannot be made, what stopped the run, a file that
/// could not be written.
pub fn run(
    plan: &mut Plan,
    order: &Order,
    recorder: &mut Recorder,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Done, RunError> {
    // Served from the store only when nothing but the figures is asked for: files need a run.
    if order.out.is_none()
        && let Some((head, summary)) = recorder.stored(plan).map_err(store_error)?
    {
        return Ok(Done::Served(head, summary));
    }
    let pool = crate::plan::thread_pool(plan.threads)?;
    let threads = pool.current_num_threads();
    let cost = plan.check(&order.limits, order.outputs(), threads)?;
    progress.sized(&plan.scenario.name, &cost);
    progress.planned(plan.steps());
    // Sized before anything is written: a refused run leaves nothing behind.
    let dir = match &order.out {
        Some((path, force)) => Some(OutputDir::create(path, *force)?),
        None => None,
    };
    let format = order.format();
    let files = dir.as_ref().map(|dir| Files {
        records: order.records.then(|| dir.path("")),
        log: order.log.then(|| dir.path("")),
        format,
        shown: dir.final_dir().to_path_buf(),
        metadata: table_metadata(&plan.scenario.name, &plan.scenario.hash(), plan.seed),
    });
    let id = recorder.begin(plan).map_err(store_error)?;
    let started = std::time::Instant::now();
    let ran = recorded(plan, &pool, files.as_ref(), recorder, id, progress, cancel)?;
    let seconds = started.elapsed().as_secs_f64();
    let folder = match dir {
        Some(dir) => {
            let metadata = metadata(plan, order.records);
            write_tables(
                (dir.temp_dir(), dir.final_dir()),
                &ran.summary,
                &ran.series,
                &metadata,
                format,
            )?;
            Some(Folder {
                dir,
                log: order.log,
            })
        }
        None => None,
    };
    Ok(Done::Ran {
        ran,
        folder,
        id,
        threads,
        seconds,
    })
}

/// What a run's files record of it.
#[must_use]
pub fn metadata(plan: &Plan, records: bool) -> Metadata {
    let years = plan.years();
    Metadata {
        scenario: plan.scenario.name.clone(),
        scenario_files: plan
            .scenario
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        scenario_hash: plan.scenario.hash(),
        seed: plan.seed,
        replicates: plan.replicates,
        start_year: years.start_year,
        end_year: years.end_year,
        version: VERSION.to_string(),
        records,
    }
}

/// Writes `series.parquet` (or `.csv`), `summary.json` and `metadata.json` into the folder
/// `dir`; errors name the files as they will be found in `shown`.
///
/// # Errors
/// A file that cannot be created or written.
pub fn write_tables(
    (dir, shown): (&Path, &Path),
    summary: &Summary,
    series: &[Vec<YearRow>],
    metadata: &Metadata,
    format: Format,
) -> Result<(), RunError> {
    let create = |name: &str| -> Result<BufWriter<File>, RunError> {
        File::create(dir.join(name))
            .map(BufWriter::new)
            .map_err(|e| RunError::output("creating", shown.join(name), e))
    };
    let series_name = format!("series.{}", extension(format));
    let writing = |name: &str| {
        let path = shown.join(name);
        move |e: Box<dyn std::error::Error + Send + Sync>| RunError::output("writing", path, e)
    };
    let pairs = table_metadata(&metadata.scenario, &metadata.scenario_hash, metadata.seed);
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut table = SeriesTable::new(create(&series_name)?, format, &pairs)
        .map_err(|e| writing(&series_name)(e.into()))?;
    for (replicate, rows) in series.iter().enumerate() {
        for row in rows {
            table
                .write_row(
                    u32::try_from(replicate).expect("replicates fit in u32"),
                    row,
                )
                .map_err(|e| writing(&series_name)(e.into()))?;
        }
    }
    table
        .finish()
        .map_err(|e| writing(&series_name)(e.into()))?
        .flush()
        .map_err(|e| writing(&series_name)(e.into()))?;
    let mut summary_file = create("summary.json")?;
    write_summary_json(&mut summary_file, summary, metadata)
        .and_then(|()| summary_file.flush())
        .map_err(|e| writing("summary.json")(e.into()))?;
    let mut metadata_file = create("metadata.json")?;
    write_metadata(&mut metadata_file, metadata)
        .and_then(|()| metadata_file.flush())
        .map_err(|e| writing("metadata.json")(e.into()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails every flush the way a full disk does.
    struct FullDisk;

    impl Observer for FullDisk {
        fn observe(&mut self, _day: Day, _happening: &Happening) {}
    }

    impl ReplicateObserver for FullDisk {
        fn flush(&mut self, _last: bool) -> Result<(), ObserverError> {
            let os = std::io::Error::from_raw_os_error(28);
            Err(Box::new(hailsham_table::TableError::Io {
                action: "writing a row group",
                source: os,
            }))
        }
    }

    /// Goal: a write that fails names the file the user asked for, and the OS error once.
    #[test]
    fn a_failed_write_names_the_final_file_and_the_os_error_once() {
        let mut named = Named {
            observer: FullDisk,
            shown: PathBuf::from("out/people-000.parquet"),
        };
        let message = named.flush(true).expect_err("fails").to_string();
        assert!(
            message.starts_with("writing out/people-000.parquet: I/O error while writing"),
            "{message}"
        );
        assert_eq!(message.matches("os error 28").count(), 1, "{message}");
        assert!(!message.contains(".tmp-"), "{message}");
    }
}
