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
use hailsham_report::{
    Metadata, OutputDir, PeopleWriter, PlotRun, SeriesWriter, Summary, charts, render_table,
    write_charts, write_metadata, write_summary_json,
};
use hailsham_scenario::Scenario;
use hailsham_world::{Params, Records, Replicate, Tally, YearRow};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::Failure;
use crate::args::RunArgs;
use crate::params::load;

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

    fn tick(&self) {
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

/// Sets the scenario's end year to `--until`, if given, refusing a year not after its start.
pub(crate) fn apply_until(scenario: &mut Scenario, until: Option<i64>) -> Result<(), Failure> {
    if let Some(until) = until {
        scenario.params.time.end_year = until;
        if until <= scenario.params.time.start_year {
            return Err(Failure::Scenario(format!(
                "error: --until {until} must come after the time.start_year ({}) of scenario `{}`\n",
                scenario.params.time.start_year, scenario.name
            )));
        }
    }
    Ok(())
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

/// The replicates of one scenario: each one's yearly rows and tally, in replicate order.
pub(crate) struct Runs {
    pub series: Vec<Vec<YearRow>>,
    pub tallies: Vec<Tally>,
}

/// Runs replicates `0..replicates` of `params` on `pool`, writing `people-NNN.csv` into
/// `records` if given. Replicate `r` draws from the streams keyed by (`seed`, `r`) whatever
/// the scenario, so scenarios run with one seed share their random numbers (common random
/// numbers), and results come back in replicate order whatever thread ran which.
pub(crate) fn run_replicates(
    params: &Params,
    seed: u64,
    replicates: u32,
    pool: &rayon::ThreadPool,
    records: Option<&Path>,
    progress: &Progress,
) -> Result<Runs, Failure> {
    let records = records.map(Path::to_path_buf);
    let results: Vec<io::Result<(Vec<YearRow>, Tally)>> = pool.install(|| {
        (0..replicates)
            .into_par_iter()
            .map(|replicate| run_replicate(params, seed, replicate, records.as_ref(), progress))
            .collect()
    });
    let mut series = Vec::with_capacity(results.len());
    let mut tallies = Vec::with_capacity(results.len());
    for result in results {
        let (rows, tally) = result
            .context("writing person records")
            .map_err(Failure::Output)?;
        series.push(rows);
        tallies.push(tally);
    }
    Ok(Runs { series, tallies })
}

pub(crate) fn run(args: &RunArgs) -> Result<(), Failure> {
    let mut scenario = load(args.scenario.as_deref())?;
    apply_until(&mut scenario, args.options.until)?;
    let params = scenario.params.clone();
    let hash = scenario.hash();
    let out = match &args.out {
        Some(dir) => {
            Some(OutputDir::create(dir, args.force).map_err(|e| Failure::Output(e.into()))?)
        }
        None => None,
    };
    let replicates = args.options.replicates;
    let (start_year, end_year) = years_of(&params);
    let progress = Progress::new(progress_steps(&params, replicates), !args.options.quiet);
    let pool = thread_pool(args.options.threads)?;
    let records = out
        .as_ref()
        .filter(|_| !args.no_records)
        .map(|dir| dir.path(""));
    let started = Instant::now();
    let runs = run_replicates(
        &params,
        args.options.seed,
        replicates,
        &pool,
        records.as_deref(),
        &progress,
    );
    progress.finish();
    let Runs { series, tallies } = runs?;
    let elapsed = started.elapsed();
    let summary = Summary::from_tallies(&tallies);
    let title = format!(
        "{} · seed {} · {} replicate{} · {}-{} · scenario hash {}",
        scenario.name,
        args.options.seed,
        replicates,
        if replicates == 1 { "" } else { "s" },
        start_year,
        end_year,
        &hash[..12]
    );
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
        write_outputs(dir.temp_dir(), &summary, &series, &metadata).map_err(Failure::Output)?;
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
        eprintln!("wrote {}", path.display());
    } else {
        eprintln!("(add --out DIR to write the summary, yearly series and one record per person)");
    }
    Ok(())
}

fn run_replicate(
    params: &Params,
    seed: u64,
    replicate: u32,
    records: Option<&PathBuf>,
    progress: &Progress,
) -> io::Result<(Vec<YearRow>, Tally)> {
    let mut simulation = Replicate::new(
        params,
        seed,
        replicate,
        records.is_some().then(Records::default),
    );
    let mut writer = match records {
        Some(dir) => {
            let file = File::create(dir.join(format!("people-{replicate:03}.csv")))?;
            Some(PeopleWriter::new(
                BufWriter::new(file),
                simulation.calendar(),
            )?)
        }
        None => None,
    };
    let mut write = |records: &mut Option<Records>| -> io::Result<()> {
        if let (Some(w), Some(records)) = (writer.as_mut(), records.as_mut()) {
            for record in records.drain() {
                w.write(replicate, &record)?;
            }
        }
        Ok(())
    };
    let mut rows = Vec::new();
    while let Some(row) = simulation.step_year() {
        write(simulation.observer())?;
        rows.push(row);
        progress.tick();
    }
    let (tally, mut observer) = simulation.finish();
    write(&mut observer)?;
    if let Some(w) = writer {
        w.finish()?.flush()?;
    }
    Ok((rows, tally))
}

/// Writes `series.csv`, `summary.json` and `metadata.json` into the folder `dir`.
pub(crate) fn write_outputs(
    dir: &Path,
    summary: &Summary,
    series: &[Vec<YearRow>],
    metadata: &Metadata,
) -> anyhow::Result<()> {
    let create = |name: &str| -> anyhow::Result<BufWriter<File>> {
        let path = dir.join(name);
        Ok(BufWriter::new(
            File::create(&path).with_context(|| format!("creating {}", path.display()))?,
        ))
    };
    let mut writer = SeriesWriter::new(create("series.csv")?)?;
    for (replicate, rows) in series.iter().enumerate() {
        for row in rows {
            writer.write_row(
                u32::try_from(replicate).expect("replicates fit in u32"),
                row,
            )?;
        }
    }
    writer.finish()?.flush()?;
    let mut summary_file = create("summary.json")?;
    write_summary_json(&mut summary_file, summary, metadata)?;
    summary_file.flush()?;
    let mut metadata_file = create("metadata.json")?;
    write_metadata(&mut metadata_file, metadata)?;
    metadata_file.flush()?;
    Ok(())
}
