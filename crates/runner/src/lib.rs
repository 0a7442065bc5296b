//! The one way into hailsham for programs: every front end (the command line, the page, and
//! Python) finds scenarios, plans runs, runs them, records them in the run store and reads
//! their answers through this crate, and holds no workflow of its own. A front end parses what
//! it was given into a [`Plan`], calls an operation, and renders the typed result.
//!
//! **API Boundary:** this crate, with the value types of `hailsham-world`, `hailsham-scenario`
//! and `hailsham-outputs` that its results carry, is what outside callers use.
//!
//! The principal items:
//!
//! - [`scenarios`]: a scenario by path or bundled name ([`scenarios::find`]), by name alone
//!   for a page ([`scenarios::named`]), from text ([`scenarios::from_text`]), the questions the
//!   bundled scenarios ask ([`scenarios::asking`]).
//! - [`Plan`]: a resolved scenario, seed, replicates, threads and budget, with the one request
//!   identity ([`Plan::key`]), the one cost estimate ([`Plan::cost`]) and the limits it runs
//!   under ([`Limits`], checked by [`Plan::check`]).
//! - [`run()`]: one plan as an [`Order`] asks (its figures alone, or a folder of files), served
//!   from the store or run, recorded; [`compare()`]: several plans side by side with paired
//!   differences; [`questions()`]: the reviewers' questions answered, and [`stored_answer`]
//!   one of them from the store alone; [`sift()`]: the lives that fit a pattern in a plan's
//!   replicates as they run; [`life()`], [`stored_life`] and [`against()`]: one clone's life
//!   told, from a run or a stored log, and the same clone in another world.
//! - [`Recorder`]: the run store, with the command line's lenient policy or the page's strict
//!   one; [`location`] finds it.
//! - [`Progress`] (told as the run goes) and [`Cancel`] (a flag another thread may raise);
//!   [`RunError`], one typed error with the exit code the command line gives it.
//! - [`RunView`], [`StoredRunView`] and [`FigureView`]: the one serializable shape of each
//!   result, for the command line's `--format json` and the page's API alike.
//! - [`replicates::run`]: the replicate loop beneath every operation, for callers that bring
//!   their own observer (tests, benchmarks).
//!
//! ```
//! use hailsham_runner::{Cancel, NoProgress, Order, Plan, Recorder, Done, run};
//! use hailsham_scenario::Scenario;
//!
//! let mut scenario = Scenario::novel();
//! scenario.params.homes.population_millions = 0.2;
//! let mut plan = Plan::new(scenario, 7, 2).until(Some(1980)).unwrap();
//! let done = run(&mut plan, &Order::default(), &mut Recorder::none(), &NoProgress, &Cancel::default())
//!     .unwrap();
//! let Done::Ran { ran, .. } = done else { unreachable!("no store, so nothing is served") };
//! assert_eq!(ran.tallies.len(), 2);
//! assert!(ran.summary.get("clones_created").unwrap().mean > 0.0);
//! ```
//!
//! The main design decision: the boundary takes plans and returns values. It reads no
//! environment variable and no current directory of its own (a front end passes the folder
//! relative paths are read from, and the variables that locate the store), prints nothing
//! (progress and notes go through [`Progress`]), and decides no exit code beyond naming it
//! ([`RunError::exit_code`]). So the command line and the page cannot drift apart: the same
//! request has one key, one cost, one budget and one record in the store, whoever asked.
#![deny(missing_docs)]

mod compare;
mod error;
mod lives;
mod plan;
mod record;
pub mod replicates;
mod robust;
mod run;
pub mod scenarios;
mod sift;
mod sweep;
mod views;

pub use compare::{
    Answered, Asking, Compared, Questions, StoredAnswer, compare, folder_names, questions,
    stored_answer, write_comparison,
};
pub use error::RunError;
pub use lives::{Against, StoredLife, Told, against, life, stored_life, stored_life_of};
pub use plan::{Cost, Limits, Outputs, Plan, Years, gigabytes, thread_pool, until};
pub use record::{Location, OnLost, Recorder, STORE_VARIABLE, location, lock};
pub use replicates::{Budget, Cancel, NoProgress, Outcome, Progress, Request};
pub use run::{
    Done, Folder, Order, Ran, extension, metadata, run, run_figures, run_recorded, table_metadata,
    write_tables,
};

pub use hailsham_sensitivity::{Effect, Index};
/// A run of a sweep as the store keeps it: what workers of a distributed sweep hand back.
pub use hailsham_store::SweepRun;
pub use robust::{
    ROBUST_SCALE, Robust, SHARE_POINTS, SOBOL_FACTORS_MAX, SOBOL_POINTS, plausible, robust,
    stored_robust, stored_robustness,
};
pub use sift::{
    SiftSource, SiftedRun, life_command, pattern, sift, sift_estimates, sift_logs, sift_view,
};
pub use sweep::{
    Reading, SweepPlan, SweepPoint, SweepReading, SweepState, Swept, finish_sweep, open_sweep,
    read_design, run_sweep_jobs, sweep, sweep_jobs,
};
pub use views::{
    BoundView, IndexView, ParamView, ReversalView, RobustnessView, RunView, StoredRunView,
    questions_view,
};

pub use hailsham_outputs::FigureView;

pub use hailsham_outputs::VERSION;
pub use hailsham_world::{ObserverError, ReplicateObserver};
