//! The runs the page asks for: a bounded queue, one worker thread that runs them one at a
//! time (each on every core, through the library boundary, `hailsham_runner`), their progress
//! for the page's server-sent events, and cancelling. What a run is, what it costs, its key
//! and its record in the store are the runner's; the queue and the events are the page's.
//!
//! A run is recorded in the store when it is accepted, so that a server killed while it
//! waits or runs leaves it marked (the store marks it interrupted when next opened), and is
//! finished in the store in one transaction, so that a finished run is never lost.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

use hailsham_runner::{Cancel, Plan, Progress, Recorder, RunError, lock};
use hailsham_store::{CacheLimits, RequestKey, RunId, Stopped, Store};
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
    plan: Plan,
    live: Arc<LiveRun>,
}

/// What [`Jobs::submit`] did.
pub(crate) struct Submitted {
    pub id: RunId,
    /// `queued` for a new run, `complete` for one the store already held, or the status of
    /// the same request already accepted.
    pub status: &'static str,
}

/// The queue and the worker.
pub(crate) struct Jobs {
    sender: SyncSender<Job>,
    live: Mutex<HashMap<RunId, Arc<LiveRun>>>,
    store: Arc<Mutex<Store>>,
    capacity: usize,
    /// The worker's threads: a run's replicates run this many at once.
    threads: usize,
}

fn lock_live<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A thread that panicked while holding the lock left the data as it was between two
    // statements of ours, never half-written: going on is safe.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Jobs {
    /// Starts the worker; `capacity` runs may wait behind the one running.
    pub(crate) fn start(
        store: Arc<Mutex<Store>>,
        capacity: usize,
        threads: Option<usize>,
        cache: CacheLimits,
    ) -> Result<Jobs, ServeError> {
        // Room for every run accepted: the count of runs not finished is the bound (checked
        // in `submit`), and the one about to run may still sit here before the worker takes
        // it. As much again for runs cancelled while they wait, which hold their slot here
        // until the worker passes them by: without it, a run cancelled to make room left the
        // queue full while the first run had not yet been taken (a loaded machine showed it).
        let (sender, receiver) = sync_channel(2 * (capacity + 1));
        let pool = hailsham_runner::thread_pool(threads)
            .map_err(|e| ServeError::Runtime(std::io::Error::other(e)))?;
        let pool_threads = pool.current_num_threads();
        let worker_store = Arc::clone(&store);
        std::thread::Builder::new()
            .name("hailsham-runs".to_string())
            .spawn(move || work(&receiver, &pool, &worker_store, cache))
            .map_err(ServeError::Runtime)?;
        Ok(Jobs {
            sender,
            live: Mutex::new(HashMap::new()),
            store,
            capacity,
            threads: pool_threads,
        })
    }

    /// The threads a run's replicates use: what a plan is sized on.
    pub(crate) fn threads(&self) -> usize {
        self.threads
    }

    /// Accepts `plan` (its scenario's text as the user gave it in `text`), or finds it done or
    /// under way. The plan comes sized against the page's limits, which also gave its budget
    /// ([`crate::requests::run`]).
    pub(crate) fn submit(&self, plan: Plan, text: &str) -> Result<Submitted, ApiError> {
        let key = plan.key();
        let mut live = lock_live(&self.live);
        if let Some(id) = lock(&self.store).find_complete(&key).map_err(store_error)? {
            return Ok(Submitted {
                id,
                status: "complete",
            });
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
        let id = Recorder::strict(Arc::clone(&self.store), COMMAND.to_string())
            .enqueue(&plan, text)
            .map_err(store_error)?
            .expect("a strict recorder has a store");
        let (state, _) = watch::channel(RunState {
            status: "queued",
            done: 0,
            total: plan.steps(),
            error: None,
        });
        let run = Arc::new(LiveRun {
            state,
            cancel: Cancel::default(),
            key,
        });
        let job = Job {
            id,
            plan,
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
        // Runs that have ended are the store's to tell: kept here, each accepted run would
        // hold its memory for as long as the server runs.
        live.retain(|_, run| !run.state.borrow().finished());
        live.insert(id, run);
        Ok(Submitted {
            id,
            status: "queued",
        })
    }

    /// The run `id` if this server accepted it.
    pub(crate) fn live(&self, id: RunId) -> Option<Arc<LiveRun>> {
        lock_live(&self.live).get(&id).cloned()
    }

    /// Stops every run not finished: the server is going down.
    pub(crate) fn cancel_all(&self) {
        for run in lock_live(&self.live).values() {
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

/// What the store records as the command of the page's runs: the runs [`Store::evict`] may
/// delete.
const COMMAND: &str = "serve";

fn work(
    receiver: &Receiver<Job>,
    pool: &rayon::ThreadPool,
    store: &Arc<Mutex<Store>>,
    cache: CacheLimits,
) {
    for job in receiver {
        run_job(&job, pool, store);
        // The page's runs are a cache: the oldest go once there are too many. A store that
        // fails here keeps them, and says so at the next run's recording.
        let _ = lock(store).evict(COMMAND, cache);
    }
}

/// Runs one job to its end, and says how it went in its state.
fn run_job(job: &Job, pool: &rayon::ThreadPool, store: &Arc<Mutex<Store>>) {
    let state = &job.live.state;
    let mut recorder = Recorder::strict(Arc::clone(store), COMMAND.to_string());
    if job.live.cancel.is_cancelled() {
        let _ = recorder.stop(Some(job.id), Stopped::Cancelled, "cancelled before it ran");
        state.send_modify(|s| s.status = "cancelled");
        return;
    }
    if let Err(e) = recorder.start(Some(job.id)) {
        state.send_modify(|s| {
            s.status = "failed";
            s.error = Some(format!("the run store failed: {e}"));
        });
        return;
    }
    state.send_modify(|s| s.status = "running");
    let ran = hailsham_runner::run_recorded(
        &job.plan,
        pool,
        &mut recorder,
        Some(job.id),
        &Watched(state),
        &job.live.cancel,
    );
    match ran {
        Ok(_) => state.send_modify(|s| s.status = "complete"),
        Err(RunError::Cancelled) => state.send_modify(|s| s.status = "cancelled"),
        Err(error) => {
            let message = error.to_string();
            state.send_modify(|s| {
                s.status = "failed";
                s.error = Some(message);
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Goal: the server's memory does not grow with the runs it has accepted. Method: five
    /// small runs, one after another, each waited for; only runs not ended are kept live.
    #[test]
    fn ended_runs_are_not_kept_live() {
        let dir = std::env::temp_dir().join(format!("hailsham-jobs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Arc::new(Mutex::new(
            Store::open(dir.join("runs.sqlite")).expect("opens"),
        ));
        let jobs = Jobs::start(store, 2, Some(1), crate::CACHE_DEFAULT).expect("starts");
        for seed in 0..5 {
            let mut scenario = hailsham_scenario::Scenario::novel();
            scenario.params.homes.population_millions = 0.05;
            scenario.params.time.end_year = 1960;
            let submitted = jobs
                .submit(Plan::new(scenario, seed, 1), "novel")
                .expect("accepted");
            let run = jobs.live(submitted.id).expect("live while it runs");
            for _ in 0..500 {
                if run.state.borrow().finished() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            assert_eq!(run.state.borrow().status, "complete");
            assert!(
                lock_live(&jobs.live).len() <= 1,
                "at most the last run is kept"
            );
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
