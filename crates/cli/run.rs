//! `hailsham run`: replicates in parallel, a table on the terminal, files in a directory.
//!
//! Determinism: each replicate draws only from its own streams (seed, replicate number) and
//! writes only its own person file; the series, summary and metadata are written after all
//! replicates finish, in replicate order. So the bytes written do not depend on the number of
//! threads or on which replicate finished first.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;
use hailsham_outputs::{
    EventLog, Metadata, OutputDir, PeopleFile, SeriesTable, Summary, render_table, write_metadata,
    write_summary_json,
};
use hailsham_report::{PlotRun, charts, write_charts};
use hailsham_runner::ReplicateObserver;
use hailsham_runner::{ObserverError, Request};
use hailsham_scenario::Scenario;
use hailsham_table::Format;
use hailsham_world::{Calendar, Day, Happening, Observer, Params, Places, Tally, YearRow};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::Failure;
use crate::args::{RunArgs, TableFormat};
use crate::params::load;
use crate::store::Recorder;

/// A progress bar that shows itself only once a run has taken more than a second.
pub(crate) struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: AtomicBool,
    enabled: bool,
}

impl Progress {
    pub(crate) fn new(total: u64, enabled: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} replicate-years, {eta} left",
            )
            .expect("the template is valid")
            .progress_chars("=> "),
        );
        Progress {
            bar,
            start: Instant::now(),
            shown: AtomicBool::new(false),
            enabled,
        }
    }

    /// Names what is running now (a scenario, when several run one after another).
    pub(crate) fn set_message(&self, message: &str) {
        self.bar.set_message(message.to_string());
    }

    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl hailsham_runner::Progress for Progress {
    fn year_done(&self) {
        self.bar.inc(1);
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed().as_secs_f64() > 1.0
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

/// Sets the scenario's end year to `--until`, if given, and checks the scenario again: a new
/// end year can break rules that join parameters (a run's longest span, the clones a run may
/// create), and a scenario that fails them must not run.
pub(crate) fn apply_until(scenario: &mut Scenario, until: Option<i64>) -> Result<(), Failure> {
    let Some(until) = until else {
        return Ok(());
    };
    scenario.params.time.end_year = until;
    let problems = scenario.params.problems();
    if problems.is_empty() {
        return Ok(());
    }
    let mut text = String::new();
    for problem in problems {
        let keys: Vec<String> = problem
            .keys
            .iter()
            .map(|(section, key)| format!("{section}.{key}"))
            .collect();
        text.push_str(&format!(
            "error: --until {until} does not fit scenario `{}`: {} ({})\n",
            scenario.name,
            problem.message,
            keys.join(", ")
        ));
    }
    Err(Failure::Scenario(text))
}

/// The first year and the end year of a scenario's runs.
pub(crate) fn years_of(params: &Params) -> (i32, i32) {
    (
        i32::try_from(params.time.start_year).expect("range checked"),
        i32::try_from(params.time.end_year).expect("range checked"),
    )
}

/// Replicate-years a scenario's runs step through: what the progress bar counts.
pub(crate) fn progress_steps(params: &Params, replicates: u32) -> u64 {
    let (start_year, end_year) = years_of(params);
    u64::try_from(end_year - start_year).expect("end after start") * u64::from(replicates)
}

/// A pool of `threads` worker threads, or one per core.
pub(crate) fn thread_pool(threads: Option<u32>) -> Result<rayon::ThreadPool, Failure> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = threads {
        pool = pool.num_threads(threads as usize);
    }
    pool.build()
        .map_err(|e| Failure::Output(anyhow::anyhow!("cannot start worker threads: {e}")))
}

/// The replicates of one scenario: their summary, and each one's yearly rows and tally, in
/// replicate order (no rows and no tallies when the summary was served from the run store).
pub(crate) struct Runs {
    pub summary: Summary,
    pub series: Vec<Vec<YearRow>>,
    pub tallies: Vec<Tally>,
    /// Rows each replicate's event log holds (empty without a log).
    pub log_rows: Vec<u64>,
}

/// Where a run writes what its replicates observe, beyond the series and the tally.
#[derive(Clone, Debug)]
pub(crate) struct Files {
    /// A folder for `people-NNN.parquet`.
    pub records: Option<PathBuf>,
    /// A folder for `log-NNN.parquet`.
    pub log: Option<PathBuf>,
    /// The tables' format (and so their files' extension).
    pub format: Format,
    /// The folder the files will be found in once the run succeeds, to name them in errors.
    pub shown: PathBuf,
    /// Key-value metadata for the tables' files: what ran, to reproduce it.
    pub metadata: Vec<(String, String)>,
}

impl Default for Files {
    fn default() -> Files {
        Files {
            records: None,
            log: None,
            format: Format::Parquet,
            shown: PathBuf::new(),
            metadata: Vec::new(),
        }
    }
}

/// The extension of a table's file in `format`.
pub(crate) fn extension(format: Format) -> &'static str {
    match format {
        Format::Parquet => "parquet",
        Format::Csv => "csv",
    }
}

/// The identity of a run as key-value pairs, for a Parquet file's footer.
pub(crate) fn table_metadata(scenario: &str, hash: &str, seed: u64) -> Vec<(String, String)> {
    vec![
        ("scenario".to_string(), scenario.to_string()),
        ("scenario_hash".to_string(), hash.to_string()),
        ("seed".to_string(), seed.to_string()),
        ("version".to_string(), env!("CARGO_PKG_VERSION").to_string()),
    ]
}

/// An observer writing one file, and the file's name as the user will find it: errors name
/// the file under the output directory asked for, not the temporary one it is written in.
pub(crate) struct Named<O> {
    pub observer: O,
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

/// Runs replicates `0..replicates` of `params` on `pool` through the library runner, writing
/// what `files` asks for. Replicate `r` draws from the streams keyed by (`seed`, `r`) whatever
/// the scenario, so scenarios run with one seed share their random numbers (common random
/// numbers), and results come back in replicate order whatever thread ran which.
pub(crate) fn run_replicates(
    request: &Request<'_>,
    pool: &rayon::ThreadPool,
    files: &Files,
    progress: &Progress,
) -> Result<Runs, Failure> {
    let calendar =
        Calendar::new(i32::try_from(request.params.time.start_year).expect("range checked"));
    let places = Places::new(request.params);
    let outcomes = hailsham_runner::run(
        request,
        pool,
        |replicate| observers(files, calendar, &places, replicate),
        progress,
        &crate::interrupt::cancel(),
    )
    .map_err(Failure::Run)?;
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
    Ok(Runs {
        summary: Summary::from_tallies(&tallies),
        series,
        tallies,
        log_rows,
    })
}

/// The title over a run's table: what `run` prints and `show` prints again.
pub(crate) fn title(
    scenario: &str,
    seed: u64,
    replicates: u32,
    (start_year, end_year): (i32, i32),
    hash: &str,
) -> String {
    format!(
        "{scenario} · seed {seed} · {replicates} replicate{} · {start_year}-{end_year} · \
         scenario hash {}",
        if replicates == 1 { "" } else { "s" },
        hash.get(..12).unwrap_or(hash)
    )
}

pub(crate) fn run(args: &RunArgs) -> Result<(), Failure> {
    crate::args::needs_out(
        args.out.as_deref(),
        &[
            ("--force", args.force),
            ("--no-records", args.no_records),
            ("--plot", args.plot),
            ("--log", args.log),
            ("--format", args.format.is_some()),
        ],
    )
    .map_err(Failure::Usage)?;
    let mut scenario = load(args.scenario.as_deref())?;
    apply_until(&mut scenario, args.options.until)?;
    let params = scenario.params.clone();
    let hash = scenario.hash();
    let replicates = args.options.replicates;
    let (start_year, end_year) = years_of(&params);
    let title = title(
        &scenario.name,
        args.options.seed,
        replicates,
        (start_year, end_year),
        &hash,
    );
    let mut recorder = Recorder::open(&args.options.store);
    let key = crate::store::key(&scenario, &hash, args.options.seed, replicates);
    // Served from the store only when nothing but the table is asked for: files need a run.
    if args.out.is_none()
        && let Some((head, summary)) = recorder.stored(&key)
    {
        write!(io::stdout().lock(), "{}", render_table(&summary, &title))?;
        eprintln!("{}", crate::store::served(&head, recorder.path()));
        return Ok(());
    }
    let pool = thread_pool(args.options.threads)?;
    let format = args.format.unwrap_or(TableFormat::Parquet);
    crate::cost::check(
        &scenario.name,
        &params,
        crate::cost::Plan {
            replicates,
            threads: pool.current_num_threads(),
            records: args.out.is_some() && !args.no_records,
            log: args.out.is_some() && args.log,
            csv: format == TableFormat::Csv,
        },
        args.options.large,
    )?;
    // Sized before anything is written: a refused run leaves nothing behind.
    let out = match &args.out {
        Some(dir) => {
            Some(OutputDir::create(dir, args.force).map_err(|e| Failure::Output(e.into()))?)
        }
        None => None,
    };
    let progress = Progress::new(progress_steps(&params, replicates), !args.options.quiet);
    let files = Files {
        records: out
            .as_ref()
            .filter(|_| !args.no_records)
            .map(|dir| dir.path("")),
        log: out.as_ref().filter(|_| args.log).map(|dir| dir.path("")),
        format: format.into(),
        shown: out
            .as_ref()
            .map(|dir| dir.final_dir().to_path_buf())
            .unwrap_or_default(),
        metadata: table_metadata(&scenario.name, &hash, args.options.seed),
    };
    let request = request(&params, &hash, args.options.seed, replicates, &args.options);
    let id = recorder.begin(&scenario, key);
    let started = Instant::now();
    let runs = run_replicates(&request, &pool, &files, &progress);
    progress.finish();
    let Runs {
        summary,
        series,
        tallies,
        log_rows,
    } = runs.inspect_err(|failure| recorder.fail(id, failure))?;
    let elapsed = started.elapsed();
    // Recorded as soon as the figures exist: what follows writes files, not results.
    recorder.finish(id, &summary, &series);
    write!(io::stdout().lock(), "{}", render_table(&summary, &title))?;
    #[allow(clippy::cast_precision_loss)]
    let events_mean = tallies.iter().map(|t| t.events as f64).sum::<f64>() / tallies.len() as f64;
    eprintln!(
        "{replicates} replicate{} in {:.2} s on {} thread{}; {:.0} events per replicate",
        if replicates == 1 { "" } else { "s" },
        elapsed.as_secs_f64(),
        pool.current_num_threads(),
        if pool.current_num_threads() == 1 {
            ""
        } else {
            "s"
        },
        events_mean
    );
    if !log_rows.is_empty() {
        #[allow(clippy::cast_precision_loss)]
        let total = log_rows.iter().sum::<u64>() as f64;
        eprintln!(
            "event log: {total:.0} rows in {} file{}, {:.1} million rows a second",
            log_rows.len(),
            if log_rows.len() == 1 { "" } else { "s" },
            total / elapsed.as_secs_f64() / 1e6
        );
    }
    if let Some(dir) = out {
        let metadata = Metadata {
            scenario: scenario.name.clone(),
            scenario_files: scenario
                .files
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            scenario_hash: hash,
            seed: args.options.seed,
            replicates,
            start_year,
            end_year,
            version: env!("CARGO_PKG_VERSION").to_string(),
            records: !args.no_records,
        };
        write_outputs(
            (dir.temp_dir(), dir.final_dir()),
            &summary,
            &series,
            &metadata,
            files.format,
        )
        .map_err(Failure::Output)?;
        if args.plot {
            let run = PlotRun {
                name: &scenario.name,
                series: &series,
                tallies: &tallies,
            };
            write_charts(&dir.path("plots"), &charts(&[run], args.options.seed))
                .map_err(|e| Failure::Output(e.into()))?;
        }
        let path = dir.commit().map_err(|e| Failure::Output(e.into()))?;
        if args.log {
            recorder.set_log(id, &path);
        }
        eprintln!("wrote {}", path.display());
    } else {
        eprintln!("(add --out DIR to write the summary, yearly series and one record per person)");
    }
    Ok(())
}

/// The request for a scenario's replicates, with the budget the flags give.
pub(crate) fn request<'a>(
    params: &'a Params,
    hash: &str,
    seed: u64,
    replicates: u32,
    options: &crate::args::RunOptions,
) -> Request<'a> {
    let mut request = Request::new(params, seed, replicates);
    request.scenario_hash = hash.to_string();
    request.budget.events_max = options.events_max;
    request
}

/// Writes `series.parquet` (or `.csv`), `summary.json` and `metadata.json` into the folder
/// `dir`; errors name the files as they will be found in `shown`.
pub(crate) fn write_outputs(
    (dir, shown): (&Path, &Path),
    summary: &Summary,
    series: &[Vec<YearRow>],
    metadata: &Metadata,
    format: Format,
) -> anyhow::Result<()> {
    let create = |name: &str| -> anyhow::Result<BufWriter<File>> {
        Ok(BufWriter::new(File::create(dir.join(name)).with_context(
            || format!("creating {}", shown.join(name).display()),
        )?))
    };
    let series_name = format!("series.{}", extension(format));
    let writing = |name: &str| format!("writing {}", shown.join(name).display());
    let pairs = table_metadata(&metadata.scenario, &metadata.scenario_hash, metadata.seed);
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut table = SeriesTable::new(create(&series_name)?, format, &pairs)
        .with_context(|| writing(&series_name))?;
    for (replicate, rows) in series.iter().enumerate() {
        for row in rows {
            table
                .write_row(
                    u32::try_from(replicate).expect("replicates fit in u32"),
                    row,
                )
                .with_context(|| writing(&series_name))?;
        }
    }
    table
        .finish()
        .with_context(|| writing(&series_name))?
        .flush()
        .with_context(|| writing(&series_name))?;
    let mut summary_file = create("summary.json")?;
    write_summary_json(&mut summary_file, summary, metadata)
        .and_then(|()| summary_file.flush())
        .with_context(|| writing("summary.json"))?;
    let mut metadata_file = create("metadata.json")?;
    write_metadata(&mut metadata_file, metadata)
        .and_then(|()| metadata_file.flush())
        .with_context(|| writing("metadata.json"))?;
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
