//! Finding the lives that fit a pattern in a plan's replicates as they run: each replicate's
//! index is built from its announcements, sifted at its end and let go, so a replicate's index
//! lives only while it runs.

use std::time::{Duration, Instant};

use hailsham_sift::{LiveSift, Pattern, Sifted};

use crate::error::RunError;
use crate::plan::Plan;
use crate::replicates::{Cancel, Progress};

/// A plan's replicates sifted: each one's matches, in replicate order, and where the time went.
#[derive(Debug)]
pub struct SiftedRun {
    /// Each replicate's matches and population.
    pub sifted: Vec<Sifted>,
    /// Seconds the replicates took to run, their indexes filling as they went.
    pub seconds: f64,
    /// Time to finish the indexes after the runs, summed over replicates.
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
