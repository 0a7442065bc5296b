//! The runs the page asks for: a bounded queue, one worker thread that runs them one at a
//! time (each on every core, through the library runner), their progress for the page's
//! server-sent events, and cancelling.
//!
//! A run is recorded in the store when it is accepted, so that a server killed while it
//! waits or runs leaves it marked (the store marks it interrupted when next opened), and is
//! finished in the store in one transaction, so that a finished run is never lost.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

use hailsham_outputs::Summary;
use hailsham_runner::{Budget, Cancel, Progress, Request, RunError};
use hailsham_scenario::Scenario;
use hailsham_store::{NewRun, RequestKey, RunId, Stopped, Store};
use serde::Serialize;
use tokio::sync::watch;

use crate::error::{ApiError, ServeError};

/// A run's state as the page follows it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct RunState {
    /// queued, running, complete, failed or cancelled.
    pub status: &'static str,
    /// Replicate-years simulated, of `total`.
    pub done: u64,
    pub total: u64,
    /// Why it failed.
    pub error: Option<String>,
}

impl RunState {
    pub(crate) fn finished(&self) -> bool {
        matches!(self.status, "complete" | "failed" | "cancelled")
    }
}

/// A run accepted and not yet finished (or finished while the server runs).
pub(crate) struct LiveRun {
    pub state: watch::Sender<RunState>,
    pub cancel: Cancel,
    key: RequestKey,
}

struct Job {
    id: RunId,
    scenario: Scenario,
    seed: u64,
    replicates: u32,
    live: Arc<LiveRun>,
}

/// What [`Jobs::submit`] did.
pub(crate) struct Submitted {
    pub id: RunId,
    /// `queued` for a new run, `complete` for one the store already held, or the status of
    /// the same request already accepted.
    pub status: &'static str,
}

/// Clones a run may plan, over all its replicates: twenty-five replicates of England. A
/// larger run belongs to the command line, where `--large` says it is meant.
pub(crate) const CLONES_MAX: f64 = 5.0e6;
/// Replicates a run may ask for.
pub(crate) const REPLICATES_MAX: u32 = 100;
/// Events one replicate may handle: far above what the clones it plans make (about five
/// each), so only a runaway model meets it.
const EVENTS_PER_CLONE_MAX: f64 = 200.0;
/// Wall time a run may take.
const WALL_MAX: std::time::Duration = std::time::Duration::from_secs(20 * 60);

/// The queue and the worker.
pub(crate) struct Jobs {
    sender: SyncSender<Job>,
    live: Mutex<HashMap<RunId, Arc<LiveRun>>>,
    store: Arc<Mutex<Store>>,
    capacity: usize,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A thread that panicked while holding the lock left the data as it was between two
    // statements of ours, never half-written: going on is safe.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The request key of `replicates` replicates of `scenario` with `seed`.
pub(crate) fn key_of(scenario: &Scenario, seed: u64, replicates: u32) -> RequestKey {
    RequestKey {
        scenario_hash: scenario.hash(),
        seed,
        replicates,
        start_year: i32::try_from(scenario.params.time.start_year).unwrap_or(i32::MIN),
        end_year: i32::try_from(scenario.params.time.end_year).unwrap_or(i32::MIN),
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// Replicate-years `replicates` replicates of `params` step through.
fn total_steps(scenario: &Scenario, replicates: u32) -> u64 {
    let years = scenario.params.time.end_year - scenario.params.time.start_year;
    u64::try_from(years).unwrap_or(0) * u64::from(replicates)
}

impl Jobs {
    /// Starts the worker; `capacity` runs may wait behind the one running.
    pub(crate) fn start(
        store: Arc<Mutex<Store>>,
        capacity: usize,
        threads: Option<usize>,
    ) -> Result<Jobs, ServeError> {
        // Room for every run accepted: the count of runs not finished is the bound (checked
        // in `submit`), and the one about to run may still sit here before the worker takes it.
        let (sender, receiver) = sync_channel(capacity + 1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.unwrap_or(0))
            .thread_name(|i| format!("hailsham-run-{i}"))
            .build()
            .map_err(|e| ServeError::Runtime(std::io::Error::other(e)))?;
        let worker_store = Arc::clone(&store);
        std::thread::Builder::new()
            .name("hailsham-runs".to_string())
            .spawn(move || work(&receiver, &pool, &worker_store))
            .map_err(ServeError::Runtime)?;
        Ok(Jobs {
            sender,
            live: Mutex::new(HashMap::new()),
            store,
            capacity,
        })
    }

    /// Accepts a run of `scenario` (its text as the user gave it in `text`), or finds it
    /// done or under way.
    pub(crate) fn submit(
        &self,
        scenario: Scenario,
        text: &str,
        seed: u64,
        replicates: u32,
    ) -> Result<Submitted, ApiError> {
        if replicates == 0 || replicates > REPLICATES_MAX {
            return Err(ApiError::bad_request(format!(
                "replicates must be 1 to {REPLICATES_MAX}, not {replicates}"
            )));
        }
        #[allow(clippy::cast_precision_loss)]
        let clones = hailsham_world::planned_clones(&scenario.params) * f64::from(replicates);
        if clones.is_nan() || clones > CLONES_MAX {
            return Err(ApiError::unprocessable(format!(
                "this run would create about {:.1} million clones over its replicates; the page \
                 runs at most {:.0} million (run larger worlds with `hailsham run --large`)",
                clones / 1e6,
                CLONES_MAX / 1e6
            )));
        }
        let key = key_of(&scenario, seed, replicates);
        let mut live = lock(&self.live);
        {
            let store = lock(&self.store);
            if let Some(id) = store.find_complete(&key).map_err(store_error)? {
                return Ok(Submitted {
                    id,
                    status: "complete",
                });
            }
        }
        if let Some((id, run)) = live
            .iter()
            .find(|(_, run)| run.key == key && !run.state.borrow().finished())
        {
            return Ok(Submitted {
                id: *id,
                status: run.state.borrow().status,
            });
        }
        let waiting = live
            .values()
            .filter(|run| !run.state.borrow().finished())
            .count();
        // One runs, `capacity` wait.
        if waiting > self.capacity {
            return Err(ApiError::busy(format!(
                "busy: {waiting} runs are running or waiting; try again when one has finished"
            )));
        }
        let id = lock(&self.store)
            .enqueue(&NewRun {
                key: key.clone(),
                scenario_name: scenario.name.clone(),
                scenario_text: text.to_string(),
                command: "serve".to_string(),
            })
            .map_err(store_error)?;
        let (state, _) = watch::channel(RunState {
            status: "queued",
            done: 0,
            total: total_steps(&scenario, replicates),
            error: None,
        });
        let run = Arc::new(LiveRun {
            state,
            cancel: Cancel::default(),
            key,
        });
        let job = Job {
            id,
            scenario,
            seed,
            replicates,
            live: Arc::clone(&run),
        };
        match self.sender.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(job) | TrySendError::Disconnected(job)) => {
                let _ = lock(&self.store).fail(job.id, Stopped::Cancelled, "the queue was full");
                return Err(ApiError::busy(
                    "busy: the queue of runs is full; try again when one has finished",
                ));
            }
        }
        live.insert(id, run);
        Ok(Submitted {
            id,
            status: "queued",
        })
    }

    /// The run `id` if this server accepted it.
    pub(crate) fn live(&self, id: RunId) -> Option<Arc<LiveRun>> {
        lock(&self.live).get(&id).cloned()
    }

    /// Stops every run not finished: the server is going down.
    pub(crate) fn cancel_all(&self) {
        for run in lock(&self.live).values() {
            run.cancel.cancel();
        }
    }
}

fn store_error(error: hailsham_store::StoreError) -> ApiError {
    ApiError::internal(format!("the run store failed: {error}"))
}

/// Counts simulated years for the page.
struct Watched<'a>(&'a watch::Sender<RunState>);

impl Progress for Watched<'_> {
    fn year_done(&self) {
        self.0.send_modify(|state| state.done += 1);
    }
}

fn work(receiver: &Receiver<Job>, pool: &rayon::ThreadPool, store: &Mutex<Store>) {
    for job in receiver {
        let state = &job.live.state;
        if job.live.cancel.is_cancelled() {
            let _ = lock(store).fail(job.id, Stopped::Cancelled, "cancelled before it ran");
            state.send_modify(|s| s.status = "cancelled");
            continue;
        }
        if let Err(e) = lock(store).start(job.id) {
            state.send_modify(|s| {
                s.status = "failed";
                s.error = Some(format!("the run store failed: {e}"));
            });
            continue;
        }
        state.send_modify(|s| s.status = "running");
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let events_max = (hailsham_world::planned_clones(&job.scenario.params)
            * EVENTS_PER_CLONE_MAX)
            .max(1e6) as u64;
        let request = Request {
            params: &job.scenario.params,
            scenario_hash: job.scenario.hash(),
            seed: job.seed,
            replicates: job.replicates,
            budget: Budget {
                events_max: Some(events_max),
                wall_max: Some(WALL_MAX),
            },
        };
        let outcomes = hailsham_runner::run(
            &request,
            pool,
            |_| Ok(()),
            &Watched(state),
            &job.live.cancel,
        );
        match outcomes {
            Ok(outcomes) => {
                let tallies: Vec<_> = outcomes.iter().map(|o| o.tally.clone()).collect();
                let series: Vec<_> = outcomes.into_iter().map(|o| o.series).collect();
                let summary = Summary::from_tallies(&tallies);
                match lock(store).finish(job.id, &summary, &series, None) {
                    Ok(()) => state.send_modify(|s| s.status = "complete"),
                    Err(e) => state.send_modify(|s| {
                        s.status = "failed";
                        s.error = Some(format!("the run finished but could not be stored: {e}"));
                    }),
                }
            }
            Err(RunError::Cancelled) => {
                let _ = lock(store).fail(job.id, Stopped::Cancelled, "cancelled");
                state.send_modify(|s| s.status = "cancelled");
            }
            Err(error) => {
                let message = error.to_string();
                let _ = lock(store).fail(job.id, Stopped::Failed, &message);
                state.send_modify(|s| {
                    s.status = "failed";
                    s.error = Some(message);
                });
            }
        }
    }
}
