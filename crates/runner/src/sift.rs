//! Finding the lives that fit a pattern: in a plan's replicates as they run (each replicate's
//! index is built from its announcements, sifted at its end and let go, so a replicate's index
//! lives only while it runs), or in the event logs a run stored, one log a thread.

use std::time::{Duration, Instant};

use std::path::Path;

use hailsham_sift::{LiveSift, LogMetadata, Pattern, Sifted, log_files, read_log};
use rayon::prelude::*;

use crate::error::RunError;
use crate::plan::Plan;
use crate::replicates::{Cancel, Progress};

/// A plan's replicates sifted: each one's matches, in replicate order, and where the time went.
#[derive(Debug)]
pub struct SiftedRun {
    /// Each replicate's matches and population.
    pub sifted: Vec<Sifted>,
    /// Seconds the replicates took to run, their indexes filling as they went (none for logs).
    pub seconds: f64,
    /// Time to finish the indexes after the runs, or to read the logs, summed over replicates.
    pub indexing: Duration,
    /// Time to match the pattern, summed over replicates.
    pub matching: Duration,
}

/// `pattern` over `plan`'s replicates, run on `pool`.
///
/// # Errors
/// What stopped the run: cancelled, a budget passed, a bug in the model.
pub fn sift(
    plan: &Plan,
    pattern: &Pattern,
    pool: &rayon::ThreadPool,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<SiftedRun, RunError> {
    let params = &plan.scenario.params;
    progress.planned(plan.steps());
    let started = Instant::now();
    let outcomes = crate::replicates::run(
        &plan.request(),
        pool,
        |replicate| Ok(LiveSift::new(params, replicate, pattern)),
        progress,
        cancel,
    )?;
    let seconds = started.elapsed().as_secs_f64();
    let indexing = outcomes.iter().map(|o| o.observer.indexing).sum();
    let matching = outcomes.iter().map(|o| o.observer.matching).sum();
    let sifted = outcomes
        .into_iter()
        .map(|o| {
            o.observer
                .into_sifted()
                .expect("every replicate is sifted at its last flush")
        })
        .collect();
    Ok(SiftedRun {
        sifted,
        seconds,
        indexing,
        matching,
    })
}

/// `pattern` over every event log (`log-NNN.parquet`) a run stored in `dir`, one log a thread
/// of `pool`, with what the first log's footer says of the run.
///
/// # Errors
/// [`RunError::NotARun`] for a folder without logs, or a log that cannot be read.
pub fn sift_logs(
    dir: &Path,
    pattern: &Pattern,
    pool: &rayon::ThreadPool,
) -> Result<(SiftedRun, LogMetadata), RunError> {
    let not_a_run = |e: hailsham_sift::LogError| RunError::NotARun {
        message: e.to_string(),
    };
    let files = log_files(dir).map_err(not_a_run)?;
    let results: Vec<Result<_, _>> = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let started = Instant::now();
                let (index, metadata) = read_log(path)?;
                let reading = started.elapsed();
                let started = Instant::now();
                let sifted = pattern.sift(&index);
                Ok::<_, hailsham_sift::LogError>((sifted, metadata, reading, started.elapsed()))
            })
            .collect()
    });
    let mut sifted = Vec::with_capacity(results.len());
    let mut first = None;
    let (mut indexing, mut matching) = (Duration::ZERO, Duration::ZERO);
    for result in results {
        let (one, metadata, read, matched) = result.map_err(not_a_run)?;
        indexing += read;
        matching += matched;
        first.get_or_insert(metadata);
        sifted.push(one);
    }
    Ok((
        SiftedRun {
            sifted,
            seconds: 0.0,
            indexing,
            matching,
        },
        first.unwrap_or_default(),
    ))
}
