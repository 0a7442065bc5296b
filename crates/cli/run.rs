//! `hailsham run`: replicates in parallel, a table on the terminal, files in a directory.
//!
//! Determinism: each replicate draws only from its own streams (seed, replicate number) and
//! writes only its own person file; the series, summary and metadata are written after all
//! replicates finish, in replicate order. So the bytes written do not depend on the number of
//! threads or on which replicate finished first.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;
use hailsham_report::{
    Metadata, OutputDir, PeopleWriter, SeriesWriter, Summary, render_table, write_metadata,
    write_summary_json,
};
use hailsham_world::{Params, Replicate, Tally, YearRow};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::Failure;
use crate::args::RunArgs;
use crate::params::load;

/// A progress bar that shows itself only once a run has taken more than a second.
struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: AtomicBool,
    enabled: bool,
}

impl Progress {
    fn new(total: u64, enabled: bool) -> Progress {
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

pub(crate) fn run(args: &RunArgs) -> Result<(), Failure> {
    let mut scenario = load(args.scenario.as_deref())?;
    if let Some(until) = args.until {
        scenario.params.time.end_year = until;
        if until <= scenario.params.time.start_year {
            return Err(Failure::Scenario(format!(
                "error: --until {until} must come after the scenario's time.start_year ({})\n",
                scenario.params.time.start_year
            )));
        }
    }
    let params = scenario.params.clone();
    let hash = scenario.hash();
    let out = match &args.out {
        Some(dir) => {
            Some(OutputDir::create(dir, args.force).map_err(|e| Failure::Output(e.into()))?)
        }
        None => None,
    };
    let replicates = args.replicates;
    let start_year = i32::try_from(params.time.start_year).expect("range checked");
    let end_year = i32::try_from(params.time.end_year).expect("range checked");
    let years = u64::try_from(end_year - start_year).expect("end after start");
    let progress = Progress::new(years * u64::from(replicates), !args.quiet);
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = args.threads {
        pool = pool.num_threads(threads as usize);
    }
    let pool = pool
        .build()
        .map_err(|e| Failure::Output(anyhow::anyhow!("cannot start worker threads: {e}")))?;
    let records = out
        .as_ref()
        .filter(|_| !args.no_records)
        .map(|dir| dir.path(""));
    let started = Instant::now();
    let results: Vec<io::Result<(Vec<YearRow>, Tally)>> = pool.install(|| {
        (0..replicates)
            .into_par_iter()
            .map(|replicate| {
                run_replicate(&params, args.seed, replicate, records.as_ref(), &progress)
            })
            .collect()
    });
    progress.bar.finish_and_clear();
    let elapsed = started.elapsed();
    let mut series = Vec::with_capacity(results.len());
    let mut tallies = Vec::with_capacity(results.len());
    for result in results {
        let (rows, tally) = result
            .context("writing person records")
            .map_err(Failure::Output)?;
        series.push(rows);
        tallies.push(tally);
    }
    let summary = Summary::from_tallies(&tallies);
    let title = format!(
        "{} · seed {} · {} replicate{} · {}-{} · scenario hash {}",
        scenario.name,
        args.seed,
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
            seed: args.seed,
            replicates,
            start_year,
            end_year,
            version: env!("CARGO_PKG_VERSION").to_string(),
            records: !args.no_records,
        };
        write_outputs(&dir, &summary, &series, &metadata).map_err(Failure::Output)?;
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
    let mut simulation = Replicate::new(params, seed, replicate, records.is_some());
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
    let mut error: Option<io::Error> = None;
    let mut sink = |record: &hailsham_world::PersonRecord| {
        if let (Some(w), None) = (writer.as_mut(), error.as_ref())
            && let Err(e) = w.write(replicate, record)
        {
            error = Some(e);
        }
    };
    let mut rows = Vec::new();
    while let Some(row) = simulation.step_year(&mut sink) {
        rows.push(row);
        progress.tick();
    }
    let tally = simulation.finish(&mut sink);
    if let Some(e) = error {
        return Err(e);
    }
    if let Some(w) = writer {
        w.finish()?.flush()?;
    }
    Ok((rows, tally))
}

fn write_outputs(
    dir: &OutputDir,
    summary: &Summary,
    series: &[Vec<YearRow>],
    metadata: &Metadata,
) -> anyhow::Result<()> {
    let create = |name: &str| -> anyhow::Result<BufWriter<File>> {
        let path = dir.path(name);
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
