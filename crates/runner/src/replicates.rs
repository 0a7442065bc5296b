//! The replicate loop: a plan's replicates run in parallel on a rayon pool, each with its own
//! observer, checked against its budget and the cancel flag between simulated years, a panic
//! in the model caught and named with what replays it; outcomes come back in replicate order.
//!
//! Determinism is the loop's, not the caller's. Replicate `r` draws only from the streams keyed
//! by (seed, `r`), owns its observer, and its outcome is put in place `r`; so what a caller
//! writes from the outcomes does not depend on the number of threads or the order replicates
//! finished in. Budgets and cancelling are checked between simulated years, so a run stops
//! within one year of being told.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use hailsham_world::{ObserverError, ReplicateObserver};
use hailsham_world::{Params, Replicate, Tally, YearRow};
use rayon::prelude::*;

use crate::error::RunError;
use crate::plan::Cost;

/// What a run may spend before it is stopped.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Budget {
    /// Events any one replicate may handle.
    pub events_max: Option<u64>,
    /// Wall time the whole run may take.
    pub wall_max: Option<Duration>,
}

/// What to run.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// The resolved parameters (validated: [`Params::problems`] is empty).
    pub params: &'a Params,
    /// The scenario's hash, for reports of a panic (empty if unknown).
    pub scenario_hash: String,
    /// The master seed.
    pub seed: u64,
    /// Replicates `0..replicates`.
    pub replicates: u32,
    /// Limits.
    pub budget: Budget,
}

impl<'a> Request<'a> {
    /// `replicates` replicates of `params` with master seed `seed`, no budget.
    #[must_use]
    pub fn new(params: &'a Params, seed: u64, replicates: u32) -> Request<'a> {
        Request {
            params,
            scenario_hash: String::new(),
            seed,
            replicates,
            budget: Budget::default(),
        }
    }

    /// Simulated years each replicate steps through: what [`Progress`] counts, per replicate.
    #[must_use]
    pub fn years(&self) -> u64 {
        u64::try_from(self.params.time.end_year - self.params.time.start_year).unwrap_or(0)
    }
}

/// Told as the run goes. Called from worker threads.
pub trait Progress: Sync {
    /// A replicate finished simulating one more year.
    fn year_done(&self) {}

    /// The operation will step through `steps` replicate-years in all (told once, before the
    /// first run begins; runs served from the store count none).
    fn planned(&self, _steps: u64) {}

    /// The run of scenario `name` begins (when several run one after another).
    fn running(&self, _name: &str) {}

    /// Scenario `name`'s run was sized before it starts, and will cost `cost`: a front end
    /// says so when [`Cost::worth_a_note`].
    fn sized(&self, _name: &str, _cost: &Cost) {}
}

/// Progress nobody watches.
#[derive(Copy, Clone, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// A flag to stop a run from another thread (a Ctrl-C handler, a cancel button).
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks the run to stop; it does within one simulated year.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether stopping was asked for.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// One replicate's results.
#[derive(Debug)]
pub struct Outcome<O> {
    /// One row per simulated year.
    pub series: Vec<YearRow>,
    /// The run's totals.
    pub tally: Tally,
    /// The caller's observer, after its last flush.
    pub observer: O,
}

/// Runs the replicates of `request` on `pool`, each with the observer `make` gives it, and
/// returns their outcomes in replicate order.
///
/// # Errors
/// The first error in replicate order: a budget exceeded, cancelling, an observer that could
/// not write, or a panic in the model (caught, never propagated).
pub fn run<O, F>(
    request: &Request<'_>,
    pool: &rayon::ThreadPool,
    make: F,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Vec<Outcome<O>>, RunError>
where
    O: ReplicateObserver,
    F: Fn(u32) -> Result<O, ObserverError> + Sync,
{
    let started = Instant::now();
    // A failing replicate stops the others at their next year.
    let stop = Cancel::default();
    let events_seen = AtomicU64::new(0);
    let results: Vec<Result<Outcome<O>, RunError>> = pool.install(|| {
        (0..request.replicates)
            .into_par_iter()
            .map(|replicate| {
                let result = catch_unwind(AssertUnwindSafe(|| {
                    run_one(request, replicate, &make, progress, cancel, &stop, started)
                }))
                .unwrap_or_else(|payload| {
                    Err(RunError::Panicked {
                        replicate,
                        seed: request.seed,
                        scenario_hash: request.scenario_hash.clone(),
                        message: panic_message(payload.as_ref()),
                    })
                });
                if let Ok(outcome) = &result {
                    events_seen.fetch_add(outcome.tally.events, Ordering::Relaxed);
                } else {
                    stop.cancel();
                }
                result
            })
            .collect()
    });
    // The first real error in replicate order; a replicate stopped only because another failed
    // reports that failure, not its own stopping.
    let mut stopped = None;
    let mut outcomes = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(outcome) => outcomes.push(outcome),
            Err(RunError::Cancelled) if !cancel.is_cancelled() => stopped = Some(()),
            Err(error) => return Err(error),
        }
    }
    if cancel.is_cancelled() || stopped.is_some() {
        return Err(RunError::Cancelled);
    }
    Ok(outcomes)
}

pub(crate) fn run_one<O, F>(
    request: &Request<'_>,
    replicate: u32,
    make: &F,
    progress: &dyn Progress,
    cancel: &Cancel,
    stop: &Cancel,
    started: Instant,
) -> Result<Outcome<O>, RunError>
where
    O: ReplicateObserver,
    F: Fn(u32) -> Result<O, ObserverError> + Sync,
{
    let observer_error = |source| RunError::Observer { replicate, source };
    let observer = make(replicate).map_err(observer_error)?;
    let mut simulation = Replicate::new(request.params, request.seed, replicate, observer);
    let mut series = Vec::new();
    loop {
        if cancel.is_cancelled() || stop.is_cancelled() {
            return Err(RunError::Cancelled);
        }
        if let Some(wall_max) = request.budget.wall_max
            && started.elapsed() > wall_max
        {
            return Err(RunError::WallBudget { wall_max });
        }
        let Some(row) = simulation.step_year() else {
            break;
        };
        if let Some(events_max) = request.budget.events_max
            && simulation.events() > events_max
        {
            return Err(RunError::EventBudget {
                replicate,
                events_max,
            });
        }
        simulation.observer().flush(false).map_err(observer_error)?;
        series.push(row);
        progress.year_done();
    }
    let (tally, mut observer) = simulation.finish();
    observer.flush(true).map_err(observer_error)?;
    Ok(Outcome {
        series,
        tally,
        observer,
    })
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hailsham_world::{Day, Happening, Observer};

    fn small() -> Params {
        let mut params = Params::default();
        params.homes.population_millions = 0.05;
        params
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool")
    }

    #[test]
    fn outcomes_come_in_replicate_order_whatever_the_threads() {
        let params = small();
        let request = Request::new(&params, 3, 4);
        let one = run(
            &request,
            &pool(1),
            |_| Ok(()),
            &NoProgress,
            &Cancel::default(),
        )
        .expect("runs");
        let three = run(
            &request,
            &pool(3),
            |_| Ok(()),
            &NoProgress,
            &Cancel::default(),
        )
        .expect("runs");
        let tallies = |o: &[Outcome<()>]| o.iter().map(|o| o.tally.clone()).collect::<Vec<_>>();
        assert_eq!(tallies(&one), tallies(&three));
        assert_ne!(
            one[0].tally, one[1].tally,
            "replicates differ from each other"
        );
        assert_eq!(one[0].series.len(), 48);
    }

    #[test]
    fn an_event_budget_stops_the_run_and_names_itself() {
        let params = small();
        let mut request = Request::new(&params, 3, 2);
        request.budget.events_max = Some(1_000);
        let error = run(
            &request,
            &pool(2),
            |_| Ok(()),
            &NoProgress,
            &Cancel::default(),
        )
        .expect_err("over budget");
        assert!(
            matches!(
                error,
                RunError::EventBudget {
                    events_max: 1_000,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.exit_code(), 5);
        assert!(error.to_string().contains("1000 events"));
    }

    #[test]
    fn a_cancelled_run_stops() {
        let params = small();
        let request = Request::new(&params, 3, 2);
        let cancel = Cancel::default();
        cancel.cancel();
        let error =
            run(&request, &pool(2), |_| Ok(()), &NoProgress, &cancel).expect_err("cancelled");
        assert!(matches!(error, RunError::Cancelled));
    }

    /// An observer that panics, standing for a bug in the model.
    #[derive(Debug)]
    struct Boom;
    impl Observer for Boom {
        fn observe(&mut self, _day: Day, happening: &Happening) {
            if matches!(happening, Happening::Donation { .. }) {
                panic!("a bug");
            }
        }
    }
    impl ReplicateObserver for Boom {
        fn flush(&mut self, _last: bool) -> Result<(), ObserverError> {
            Ok(())
        }
    }

    #[test]
    fn a_panic_is_caught_and_reported_with_its_replay() {
        let params = small();
        let mut request = Request::new(&params, 9, 2);
        request.scenario_hash = "abc123".to_string();
        let error = run(
            &request,
            &pool(2),
            |_| Ok(Boom),
            &NoProgress,
            &Cancel::default(),
        )
        .expect_err("panics");
        let RunError::Panicked {
            replicate,
            seed,
            message,
            ..
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!((*replicate, *seed), (0, 9));
        assert_eq!(message, "a bug");
        assert!(error.to_string().contains("scenario hash abc123"));
        assert_eq!(error.exit_code(), 70);
    }
}
