//! A sweep: one scenario run at every point of a design over some of its parameters, each
//! point's replicates with common random numbers, each run recorded in the store as it ends.
//!
//! The points come from the design over the unit hypercube ([`hailsham_sensitivity`]), each
//! coordinate mapped onto its parameter's range or list ([`Axis::at`]); every point's
//! parameters are checked against the rules that tie parameters together before anything
//! runs, so a sweep never stops half-way on a point that cannot be run. Point `p`'s replicate
//! `r` runs from the streams keyed by (seed, `r`), as replicate `r` of a plain run would: two
//! points differ by their parameters alone, so the difference between them is the
//! parameters' and not the luck of the draw.
//!
//! Runs go to the store one at a time, as they end, keyed by the sweep's hash, the point and
//! the replicate: a sweep stopped at any moment (Ctrl-C, a budget, SIGKILL) and started again
//! runs only what the store does not yet hold, and its table, read back from the store in
//! point and replicate order, has the same bytes as an uninterrupted one's. The table is
//! written from the store a run at a time, so memory does not grow with the sweep (without a
//! store, the runs are held until the table is written).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Instant;

use hailsham_outputs::{FIGURES, VERSION, figures};
use hailsham_scenario::{Axis, Design, Sweep, grid_levels};
use hailsham_sensitivity::{Effect, Index, MorrisDesign, SaltelliDesign};
use hailsham_store::{NewSweep, SweepId, SweepRun};
use hailsham_table::{Cell, Column, ColumnType, Format, Schema, TableWriter};
use hailsham_world::{Kind, Params, SPECS, Value, planned_clones};
use rayon::prelude::*;

use crate::error::RunError;
use crate::plan::{Cost, Limits, Outputs, Years, cost};
use crate::record::Recorder;
use crate::replicates::{Budget, Cancel, Progress, Request, run_one};

/// A sweep, resolved: its file, its design and how it may run. A point's parameters are made
/// again from its place in the design when it runs (microseconds, against a run's tens of
/// milliseconds), so the plan holds no more than the design does, however many points it has.
#[derive(Clone, Debug)]
pub struct SweepPlan {
    /// The sweep file, read and checked.
    pub sweep: Sweep,
    /// The design: its points in the unit hypercube, and how its outputs are read.
    pub reading: Reading,
    /// Worker threads (`None`: one per core). Results never depend on it.
    pub threads: Option<usize>,
    /// What the sweep may spend before it is stopped.
    pub budget: Budget,
    /// Whether each axis keeps the base's value (`Sweep::kept`), in the axes' order.
    kept: Vec<bool>,
    /// The parameters of the point that plans the most clones: what sizes a run at once.
    largest: Params,
    /// Clones planned by every point together, for one replicate each.
    clones_planned: f64,
}

/// One point of a sweep.
#[derive(Clone, Debug)]
pub struct SweepPoint {
    /// The value of each axis, in the sweep's order.
    pub values: Vec<Value>,
    /// The base scenario's parameters with those values set.
    pub params: Params,
}

/// A design, with the points it runs and how its outputs are read beyond their spread.
#[derive(Clone, Debug)]
pub enum Reading {
    /// A grid, random points or a Latin hypercube, its points in the unit hypercube: only the
    /// spread of each figure over them.
    Spread(Vec<Vec<f64>>),
    /// Saltelli's scheme: first and total Sobol indices.
    Sobol(SaltelliDesign),
    /// Morris's trajectories: elementary effects.
    Morris(MorrisDesign),
}

impl SweepPlan {
    /// The plan of the sweep file at `path`: read and checked as a scenario is (its base's
    /// `[answer]` against the report's figures), its points drawn and each checked.
    ///
    /// # Errors
    /// [`RunError::Scenario`] with every problem of the file and its base, or as
    /// [`SweepPlan::new`].
    pub fn load(path: &Path) -> Result<SweepPlan, RunError> {
        let figures = hailsham_outputs::figure_keys();
        let sweep = Sweep::load(path, Some(&figures)).map_err(RunError::Scenario)?;
        SweepPlan::new(sweep)
    }

    /// The plan of `sweep`: its points drawn and each checked against the rules that join
    /// parameters, so that no sweep stops half-way on a point that cannot run.
    ///
    /// # Errors
    /// [`RunError::SweepPoint`] for the first point whose parameters break a rule.
    pub fn new(sweep: Sweep) -> Result<SweepPlan, RunError> {
        let factors = sweep.axes.len();
        let seed = sweep.seed;
        let reading = match sweep.design {
            Design::Grid { levels } => {
                let counts: Vec<usize> =
                    sweep.axes.iter().map(|a| grid_levels(a, levels)).collect();
                Reading::Spread(hailsham_sensitivity::grid(&counts))
            }
            Design::Random { points } => {
                Reading::Spread(hailsham_sensitivity::random(factors, points as usize, seed))
            }
            Design::LatinHypercube { points } => Reading::Spread(
                hailsham_sensitivity::latin_hypercube(factors, points as usize, seed),
            ),
            Design::Sobol { points } => Reading::Sobol(SaltelliDesign::sobol_sequence(
                factors,
                points as usize,
                seed,
            )),
            Design::Morris {
                trajectories,
                levels,
            } => Reading::Morris(MorrisDesign::new(
                factors,
                trajectories as usize,
                levels as usize,
                seed,
            )),
        };
        let kept = sweep
            .axes
            .iter()
            .map(|axis| sweep.kept.contains(&axis.spec.path()))
            .collect();
        let mut plan = SweepPlan {
            largest: sweep.base.params.clone(),
            sweep,
            reading,
            threads: None,
            budget: Budget::default(),
            kept,
            clones_planned: 0.0,
        };
        let mut largest = 0.0;
        for index in 0..plan.len() {
            let point = plan.point(index)?;
            let clones = planned_clones(&point.params);
            plan.clones_planned += clones;
            if clones > largest {
                largest = clones;
                plan.largest = point.params;
            }
        }
        Ok(plan)
    }

    /// Points the design runs.
    #[must_use]
    pub fn len(&self) -> usize {
        match &self.reading {
            Reading::Spread(points) => points.len(),
            Reading::Sobol(design) => design.len(),
            Reading::Morris(design) => design.len(),
        }
    }

    /// Whether the design has no point (never, for a sweep file that reads).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Point `index`'s place in the unit hypercube, an axis a coordinate.
    #[must_use]
    pub fn unit(&self, index: usize) -> Vec<f64> {
        match &self.reading {
            Reading::Spread(points) => points[index].clone(),
            Reading::Sobol(design) => design.point(index),
            Reading::Morris(design) => design.point(index).to_vec(),
        }
    }

    /// Each axis's value at point `index`'s place in the design (the base's own where the
    /// axis is kept).
    #[must_use]
    pub fn values(&self, index: usize) -> Vec<Value> {
        let base = &self.sweep.base.params;
        self.sweep
            .axes
            .iter()
            .zip(self.unit(index))
            .zip(&self.kept)
            .map(|((axis, unit), kept)| {
                let own = kept.then(|| base.get(axis.spec.section, axis.spec.key));
                own.flatten().unwrap_or_else(|| axis.at(unit))
            })
            .collect()
    }

    /// Point `index`: its [`values`](SweepPlan::values), and the base's parameters with them
    /// set.
    ///
    /// # Errors
    /// [`RunError::SweepPoint`] where the values break a rule that joins parameters (never
    /// for a plan [`SweepPlan::new`] made: it checks every point).
    pub fn point(&self, index: usize) -> Result<SweepPoint, RunError> {
        let values = self.values(index);
        let mut params = self.sweep.base.params.clone();
        let mut refused = false;
        for (axis, value) in self.sweep.axes.iter().zip(&values) {
            refused |= params
                .set(axis.spec.section, axis.spec.key, *value)
                .is_err();
        }
        let problems = params.problems();
        if refused || !problems.is_empty() {
            return Err(RunError::SweepPoint {
                point: index as u64,
                values: point_text(&self.sweep.axes, &values),
                problems,
            });
        }
        Ok(SweepPoint { values, params })
    }

    /// Runs in all: points × replicates.
    #[must_use]
    pub fn runs(&self) -> u64 {
        self.len() as u64 * u64::from(self.sweep.replicates)
    }

    /// What the sweep will cost on `threads` threads at once: its points' runs one after
    /// another, at most `threads` at once, each as large as the largest point's.
    #[must_use]
    pub fn cost(&self, threads: usize) -> Cost {
        let replicates = self.sweep.replicates;
        let largest = cost(&self.largest, replicates, Outputs::default(), threads);
        // Time and the clones over all runs grow with the clones planned, point by point.
        let share = if largest.clones > 0.0 {
            self.clones_planned / largest.clones
        } else {
            0.0
        };
        Cost {
            seconds: largest.seconds * share,
            clones_total: largest.clones_total * share,
            ..largest
        }
    }

    /// Sizes the sweep against `limits` and sets its budget from them, as [`Plan::check`]
    /// does a run.
    ///
    /// [`Plan::check`]: crate::Plan::check
    ///
    /// # Errors
    /// [`RunError::TooLarge`], naming every limit passed.
    pub fn check(&mut self, limits: &Limits, threads: usize) -> Result<Cost, RunError> {
        let cost = self.cost(threads);
        let name = format!("sweep {}", self.sweep.name);
        limits.apply(
            &cost,
            self.sweep.replicates,
            threads,
            &name,
            &mut self.budget,
        )?;
        Ok(cost)
    }

    /// The sweep's identity in the store (with the version).
    #[must_use]
    pub fn hash(&self) -> String {
        self.sweep.hash()
    }

    fn years(&self) -> Years {
        Years::of(&self.sweep.base.params)
    }

    /// The figure a sweep's summary reads (an index into [`FIGURES`]): the one `asked` for,
    /// else the base scenario's judged figure, else patients who died waiting.
    ///
    /// # Errors
    /// The key asked for is no figure's: it is returned, with the closest figure key.
    pub fn figure(&self, asked: Option<&str>) -> Result<usize, (String, Option<&'static str>)> {
        let key = match asked {
            Some(key) => key,
            None => self
                .sweep
                .base
                .answer
                .as_ref()
                .map_or("waiting_deaths", |answer| answer.yes_when.figure.as_str()),
        };
        hailsham_outputs::figure_index(key).ok_or_else(|| {
            (
                key.to_string(),
                hailsham_scenario::closest(key, FIGURES.iter().map(|f| f.key)),
            )
        })
    }

    /// Simulated years in each run: a run's steps of progress.
    #[must_use]
    pub fn years_per_run(&self) -> u64 {
        self.years().count()
    }
}

/// `homes.population_millions = 20.0, care.carer_share = 0.4`.
fn point_text(axes: &[Axis], values: &[Value]) -> String {
    axes.iter()
        .zip(values)
        .map(|(axis, value)| format!("{} = {value}", axis.spec.path()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a sweep did.
#[derive(Clone, Debug)]
pub struct Swept {
    /// The sweep's hash.
    pub hash: String,
    /// Runs in all.
    pub runs: u64,
    /// Runs found in the store from an earlier start, not run again.
    pub resumed: u64,
    /// Runs run now.
    pub ran: u64,
    /// The table written, as the user named it.
    pub table: Option<PathBuf>,
    /// The figures whose means were kept (indices into [`FIGURES`]).
    pub summarized: Vec<usize>,
    /// Each point's mean over its replicates of each figure `summarized`, point after point.
    pub means: Vec<f64>,
    /// Seconds the runs took.
    pub seconds: f64,
    /// Threads they ran on.
    pub threads: usize,
}

impl Swept {
    /// The mean of figure `figure` (an index into [`FIGURES`]) at each point, in order, if
    /// it was one of those summarized.
    #[must_use]
    pub fn figure(&self, figure: usize) -> Option<Vec<f64>> {
        let at = self.summarized.iter().position(|f| *f == figure)?;
        Some(
            self.means
                .chunks(self.summarized.len())
                .map(|point| point[at])
                .collect(),
        )
    }
}

/// How a sweep's figure is read by its design.
#[derive(Clone, Debug)]
pub enum SweepReading {
    /// No reading beyond the spread.
    Spread,
    /// Each axis's Sobol indices, in the sweep's order.
    Sobol(Vec<Index>),
    /// Each axis's elementary effects, in the sweep's order.
    Morris(Vec<Effect>),
}

/// How the sweep's design reads `outputs` (one a point): Sobol indices with intervals from a
/// thousand bootstrap resamples, or Morris effects.
///
/// # Errors
/// The outputs do not vary, or one is not a number.
pub fn read_design(
    reading: &Reading,
    outputs: &[f64],
    seed: u64,
) -> Result<SweepReading, hailsham_sensitivity::SensitivityError> {
    Ok(match reading {
        Reading::Spread(_) => SweepReading::Spread,
        Reading::Sobol(design) => SweepReading::Sobol(design.indices(outputs, 1000, seed)?),
        Reading::Morris(design) => SweepReading::Morris(design.screening(outputs)?),
    })
}

/// Where the runs of a sweep go as they end.
#[derive(Debug)]
enum Sink {
    /// The store, under the sweep's id.
    Store(SweepId),
    /// Memory, when there is no store: each run, point after point.
    Memory(Vec<Option<SweepRun>>),
}

/// A sweep opened: sized, found in the store (or begun there), with the runs it still needs.
/// Runs are handed to it as they end, from this machine's pool ([`sweep`]) or from workers
/// elsewhere (the Python package's Ray and Dask backends, which run [`sweep_jobs`] on each
/// batch), and [`finish_sweep`] writes its table from the store. However the runs were
/// spread, the table is the same: each run's figures depend only on its point and replicate.
#[derive(Debug)]
pub struct SweepState {
    sink: Sink,
    /// Runs not yet held, as job numbers (point × replicates + replicate), in order.
    missing: Vec<u64>,
    /// Runs in all.
    runs: u64,
    /// Replicates of each point.
    replicates: u32,
    /// Runs the store held when the sweep was opened.
    resumed: u64,
    /// Threads the local pool runs on (1 where workers elsewhere run the jobs).
    threads: usize,
    started: Instant,
}

impl SweepState {
    /// The runs still to do, as job numbers: job `j` is replicate `j % replicates` of point
    /// `j / replicates`.
    #[must_use]
    pub fn missing(&self) -> &[u64] {
        &self.missing
    }

    /// Records one run that ended (in the store, or in memory without one).
    ///
    /// # Errors
    /// A store error when the recorder is strict; a run that is not one of the sweep's.
    pub fn record(&mut self, recorder: &mut Recorder, run: SweepRun) -> Result<(), RunError> {
        match &mut self.sink {
            Sink::Store(id) => recorder
                .record_sweep_run(*id, &run)
                .map_err(|e| RunError::output("recording the sweep in", "the run store", e)),
            Sink::Memory(runs) => {
                let replicates = u64::from(self.replicates);
                let job = (u64::from(run.replicate) < replicates)
                    .then(|| run.point * replicates + u64::from(run.replicate))
                    .and_then(|job| usize::try_from(job).ok());
                let slot = job.and_then(|job| runs.get_mut(job)).ok_or_else(|| {
                    RunError::output(
                        "recording the sweep in",
                        "memory",
                        format!(
                            "point {} replicate {} is not one of the sweep's",
                            run.point, run.replicate
                        ),
                    )
                })?;
                *slot = Some(run);
                Ok(())
            }
        }
    }
}

/// Sizes `plan` against `limits` on `threads` threads (told to `progress` as
/// [`Progress::sized`]), and opens it in `recorder`'s store: a sweep begun before resumes with
/// the runs it holds. `progress` is told the replicate-years still to run.
///
/// # Errors
/// [`RunError::TooLarge`]; a store error when the recorder is strict.
pub fn open_sweep(
    plan: &mut SweepPlan,
    limits: &Limits,
    threads: usize,
    recorder: &mut Recorder,
    progress: &dyn Progress,
) -> Result<SweepState, RunError> {
    let cost = plan.check(limits, threads)?;
    progress.sized(&format!("sweep {}", plan.sweep.name), &cost);
    let replicates = plan.sweep.replicates;
    let runs = plan.runs();
    let store_error = |e| RunError::output("recording the sweep in", "the run store", e);
    let new = NewSweep {
        hash: plan.hash(),
        name: plan.sweep.name.clone(),
        text: plan.sweep.text.clone(),
        design: plan.sweep.design.kind().to_string(),
        points: plan.len() as u64,
        replicates,
        version: VERSION.to_string(),
    };
    let id = recorder.open_sweep(&new).map_err(store_error)?;
    let done = match id {
        Some(id) => recorder
            .sweep_done(id)
            .map_err(store_error)?
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let mut held = vec![false; usize::try_from(runs).unwrap_or(usize::MAX)];
    for (point, replicate) in &done {
        if let Some(slot) = usize::try_from(point * u64::from(replicates) + u64::from(*replicate))
            .ok()
            .and_then(|i| held.get_mut(i))
        {
            *slot = true;
        }
    }
    let missing: Vec<u64> = (0..runs)
        .filter(|job| !held[usize::try_from(*job).unwrap_or(usize::MAX)])
        .collect();
    progress.planned(plan.years().count() * missing.len() as u64);
    Ok(SweepState {
        sink: match id {
            Some(id) => Sink::Store(id),
            None => Sink::Memory(vec![None; held.len()]),
        },
        resumed: runs - missing.len() as u64,
        missing,
        runs,
        replicates,
        threads,
        started: Instant::now(),
    })
}

/// Runs `jobs` of `plan` on `pool`, handing each run to `ended` in the order they end (on
/// the calling thread). The first error stops the others.
///
/// # Errors
/// What stopped a run (cancelled, a budget, a bug in the model), or what `ended` returned.
pub fn run_sweep_jobs(
    plan: &SweepPlan,
    jobs: &[u64],
    pool: &rayon::ThreadPool,
    progress: &dyn Progress,
    cancel: &Cancel,
    mut ended: impl FnMut(SweepRun) -> Result<(), RunError>,
) -> Result<(), RunError> {
    let replicates = plan.sweep.replicates;
    let started = Instant::now();
    let stop = Cancel::default();
    let (sender, receiver) = mpsc::sync_channel::<(u64, Result<Ended, RunError>)>(64);
    let mut failure = None;
    std::thread::scope(|scope| {
        let stop = &stop;
        scope.spawn(move || {
            pool.install(|| {
                jobs.par_iter().for_each_with(sender, |sender, job| {
                    if stop.is_cancelled() {
                        return;
                    }
                    let index = usize::try_from(job / u64::from(replicates)).expect("a point");
                    let replicate =
                        u32::try_from(job % u64::from(replicates)).expect("below replicates");
                    let result = plan.point(index).and_then(|point| {
                        run_point(plan, &point, replicate, progress, cancel, stop, started)
                    });
                    let _ = sender.send((*job, result));
                });
            });
        });
        // Each run is handed over here, on one thread, in the order they end: the store is
        // one connection, and a run is written in one transaction.
        for (job, result) in receiver {
            if failure.is_some() {
                continue;
            }
            let run = result.map(|ended| SweepRun {
                point: job / u64::from(replicates),
                replicate: u32::try_from(job % u64::from(replicates)).expect("below replicates"),
                scenario_hash: ended.hash,
                parameters: ended.parameters,
                figures: ended.figures,
            });
            if let Err(error) = run.and_then(&mut ended) {
                stop.cancel();
                failure = Some(error);
            }
        }
    });
    if let Some(error) = failure {
        return Err(error);
    }
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled);
    }
    Ok(())
}

/// Runs `jobs` of `plan` on a pool of `threads` threads and returns their runs in the jobs'
/// order: what a worker of a distributed sweep does with its batch.
///
/// # Errors
/// As [`run_sweep_jobs`].
pub fn sweep_jobs(
    plan: &SweepPlan,
    jobs: &[u64],
    threads: Option<usize>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Vec<SweepRun>, RunError> {
    let pool = crate::plan::thread_pool(threads)?;
    let mut runs = Vec::with_capacity(jobs.len());
    run_sweep_jobs(plan, jobs, &pool, progress, cancel, |run| {
        runs.push(run);
        Ok(())
    })?;
    let replicates = u64::from(plan.sweep.replicates);
    runs.sort_by_key(|run| run.point * replicates + u64::from(run.replicate));
    Ok(runs)
}

/// Sizes `plan` against `limits` (told to `progress` as [`Progress::sized`]), runs it,
/// resuming from what `recorder` holds of it, writes its table to `out` (as the user named it:
/// written beside it first, then renamed, so that a table that exists is whole), and keeps
/// each point's mean of the figures `summarize` names (indices into [`FIGURES`]).
///
/// # Errors
/// [`RunError::TooLarge`] before anything runs; what stopped a run (cancelled, a budget, a
/// bug in the model), a store error when the recorder is strict, or the table's.
pub fn sweep(
    plan: &mut SweepPlan,
    limits: &Limits,
    out: Option<(&Path, Format)>,
    summarize: &[usize],
    recorder: &mut Recorder,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Swept, RunError> {
    let pool = crate::plan::thread_pool(plan.threads)?;
    let mut state = open_sweep(plan, limits, pool.current_num_threads(), recorder, progress)?;
    let jobs = std::mem::take(&mut state.missing);
    run_sweep_jobs(plan, &jobs, &pool, progress, cancel, |run| {
        state.record(recorder, run)
    })?;
    state.missing = jobs;
    finish_sweep(plan, state, recorder, out, summarize)
}

/// Reads a sweep whose runs have all been recorded back from the store (or memory), in point
/// and replicate order: writes its table to `out` and keeps each point's mean of the figures
/// `summarize` names.
///
/// # Errors
/// A store lost on the way; the table's.
pub fn finish_sweep(
    plan: &SweepPlan,
    state: SweepState,
    recorder: &mut Recorder,
    out: Option<(&Path, Format)>,
    summarize: &[usize],
) -> Result<Swept, RunError> {
    let seconds = state.started.elapsed().as_secs_f64();
    // A lenient recorder that lost its store on the way: the runs it did record are safe for
    // a later start, but this table needs them all.
    if let Sink::Store(_) = state.sink
        && recorder.path().is_none()
    {
        return Err(RunError::output(
            "recording the sweep in",
            "the run store",
            "the store was lost during the sweep: start the sweep again to finish it",
        ));
    }
    let mut table = match out {
        Some((path, format)) => Some(SweepTable::create(plan, path, format)?),
        None => None,
    };
    let kept = summarize.len();
    let mut means = vec![0.0; plan.len() * kept];
    let mut counted = vec![0_u32; plan.len() * kept];
    let mut take = |run: &SweepRun| -> Result<(), RunError> {
        let point = usize::try_from(run.point).expect("a point");
        for (at, figure) in summarize.iter().enumerate() {
            let value = run.figures[*figure];
            if value.is_finite() {
                means[point * kept + at] += value;
                counted[point * kept + at] += 1;
            }
        }
        if let Some(table) = &mut table {
            table.write(plan, run)?;
        }
        Ok(())
    };
    match &state.sink {
        Sink::Store(id) => recorder.sweep_figures(*id, &mut take)?,
        Sink::Memory(runs) => {
            for (job, run) in runs.iter().enumerate() {
                let run = run.as_ref().ok_or_else(|| {
                    RunError::output(
                        "writing",
                        "the sweep's table",
                        format!("run {job} of the sweep never ended"),
                    )
                })?;
                take(run)?;
            }
        }
    }
    for (mean, count) in means.iter_mut().zip(&counted) {
        *mean = if *count > 0 {
            *mean / f64::from(*count)
        } else {
            f64::NAN
        };
    }
    let table = match table {
        Some(table) => Some(table.finish()?),
        None => None,
    };
    Ok(Swept {
        hash: plan.hash(),
        runs: state.runs,
        resumed: state.resumed,
        ran: state.missing.len() as u64,
        table,
        summarized: summarize.to_vec(),
        means,
        seconds,
        threads: state.threads,
    })
}

/// What one run of a sweep hands to the thread that records it.
struct Ended {
    /// Its figures, in [`FIGURES`] order.
    figures: Vec<f64>,
    /// Its point's hash.
    hash: String,
    /// Its point's values, in words.
    parameters: String,
}

/// Replicate `replicate` of `point`, its figures, and what the store keeps beside them.
fn run_point(
    plan: &SweepPlan,
    point: &SweepPoint,
    replicate: u32,
    progress: &dyn Progress,
    cancel: &Cancel,
    stop: &Cancel,
    started: Instant,
) -> Result<Ended, RunError> {
    let hash = hailsham_scenario::params_hash(&point.params);
    let mut request = Request::new(&point.params, plan.sweep.seed, plan.sweep.replicates);
    request.budget = plan.budget;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_one(
            &request,
            replicate,
            &|_| Ok(()),
            progress,
            cancel,
            stop,
            started,
        )
    }))
    .unwrap_or_else(|payload| {
        Err(RunError::Panicked {
            replicate,
            seed: plan.sweep.seed,
            scenario_hash: hash.clone(),
            message: crate::replicates::panic_message(payload.as_ref()),
        })
    })?;
    Ok(Ended {
        figures: figures(&outcome.tally),
        hash,
        parameters: point_text(&plan.sweep.axes, &point.values),
    })
}

/// The column name of each parameter, `section.key`, made once for the whole program: a
/// table's columns are named by `'static` strings.
fn column_name(spec: &hailsham_world::ParamSpec) -> &'static str {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    let names = NAMES.get_or_init(|| SPECS.iter().map(hailsham_world::ParamSpec::path).collect());
    SPECS
        .iter()
        .position(|s| s.section == spec.section && s.key == spec.key)
        .map_or("parameter", |i| names[i].as_str())
}

/// The sweep's table, being written beside its final name.
struct SweepTable {
    /// `None` once finished.
    writer: Option<TableWriter<std::io::BufWriter<std::fs::File>>>,
    partial: PathBuf,
    path: PathBuf,
    cells: Vec<Cell<'static>>,
}

impl SweepTable {
    fn create(plan: &SweepPlan, path: &Path, format: Format) -> Result<SweepTable, RunError> {
        let mut columns = vec![
            Column::required(
                "point",
                ColumnType::Int64,
                "the point, from 0 in the design's order",
            ),
            Column::required("replicate", ColumnType::Int32, "the replicate, from 0"),
        ];
        for axis in &plan.sweep.axes {
            let kind = match axis.spec.kind {
                Kind::Float => ColumnType::Float64,
                Kind::Int => ColumnType::Int64,
                Kind::Bool => ColumnType::Bool,
            };
            columns.push(Column::required(
                column_name(axis.spec),
                kind,
                axis.spec.meaning,
            ));
        }
        for figure in FIGURES {
            columns.push(Column::nullable(
                figure.key,
                ColumnType::Float64,
                figure.label,
            ));
        }
        let schema = Schema::new(columns).map_err(|e| RunError::output("writing", path, e))?;
        let name = path
            .file_name()
            .map_or_else(|| "sweep".into(), |n| n.to_string_lossy().into_owned());
        let partial = path.with_file_name(format!(".{name}.partial"));
        let file =
            std::fs::File::create(&partial).map_err(|e| RunError::output("creating", path, e))?;
        let mut metadata = crate::run::table_metadata(
            &plan.sweep.base.name,
            &plan.sweep.base.hash(),
            plan.sweep.seed,
        );
        metadata.push(("sweep".to_string(), plan.sweep.name.clone()));
        metadata.push(("sweep_hash".to_string(), plan.hash()));
        metadata.push(("design".to_string(), plan.sweep.design.kind().to_string()));
        metadata.push(("replicates".to_string(), plan.sweep.replicates.to_string()));
        let pairs: Vec<(&str, &str)> = metadata
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let writer = TableWriter::new(std::io::BufWriter::new(file), schema, format, &pairs)
            .map_err(|e| RunError::output("writing", path, e))?;
        Ok(SweepTable {
            writer: Some(writer),
            partial,
            path: path.to_path_buf(),
            cells: Vec::with_capacity(2 + plan.sweep.axes.len() + FIGURES.len()),
        })
    }

    fn write(&mut self, plan: &SweepPlan, run: &SweepRun) -> Result<(), RunError> {
        let values = plan.values(usize::try_from(run.point).expect("a point"));
        self.cells.clear();
        self.cells
            .push(Cell::Int64(i64::try_from(run.point).unwrap_or(i64::MAX)));
        self.cells.push(Cell::Int32(
            i32::try_from(run.replicate).unwrap_or(i32::MAX),
        ));
        for value in &values {
            self.cells.push(match value {
                Value::Float(x) => Cell::Float64(*x),
                Value::Int(i) => Cell::Int64(*i),
                Value::Bool(b) => Cell::Bool(*b),
            });
        }
        for value in &run.figures {
            self.cells.push(if value.is_finite() {
                Cell::Float64(*value)
            } else {
                Cell::Null
            });
        }
        let Some(writer) = &mut self.writer else {
            return Ok(());
        };
        writer
            .write_row(&self.cells)
            .map_err(|e| RunError::output("writing", &self.path, e))
    }

    fn finish(mut self) -> Result<PathBuf, RunError> {
        use std::io::Write as _;
        let path = self.path.clone();
        if let Some(writer) = self.writer.take() {
            writer
                .finish()
                .map_err(|e| RunError::output("writing", &path, e))
                .and_then(|mut file| {
                    file.flush()
                        .map_err(|e| RunError::output("writing", &path, e))
                })?;
        }
        std::fs::rename(&self.partial, &path).map_err(|e| RunError::output("writing", &path, e))?;
        Ok(path)
    }
}

impl Drop for SweepTable {
    fn drop(&mut self) {
        // A table left unfinished (an error, a cancel) is removed: nothing half-written stays.
        let _ = std::fs::remove_file(&self.partial);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn plan(text: &str) -> SweepPlan {
        let sweep = Sweep::parse(text, Path::new("test.toml"), None).expect("reads");
        SweepPlan::new(sweep).expect("every point runs")
    }

    /// Goal: a sweep is sized before it starts, as a run is: past the page's limit of clones
    /// it is refused, naming the limit, and nothing runs. Method: six points of England,
    /// five replicates each (about 5.6 million clones in all).
    #[test]
    fn a_sweep_past_the_limits_is_refused_before_it_starts() {
        let mut big = plan(
            "base = \"novel\"\nreplicates = 5\n[design]\nkind = \"random\"\npoints = 6\n\
             [parameters.care]\ncarer_share = { low = 0.4, high = 0.6 }\n",
        );
        assert_eq!(big.runs(), 30);
        let Err(RunError::TooLarge { reasons, .. }) = big.check(&Limits::PAGE, 2) else {
            panic!("refused");
        };
        assert!(reasons[0].contains("million clones"), "{reasons:?}");
        assert!(big.check(&Limits::COMMAND_LINE, 2).is_ok());
    }

    /// Goal: a point whose values break a rule is refused before anything runs, with the point
    /// and the rule.
    #[test]
    fn a_point_that_breaks_a_rule_is_refused_with_its_values() {
        let sweep = Sweep::parse(
            "base = \"novel\"\n[design]\nkind = \"grid\"\n[parameters.donation]\n\
             donations_max = [2, 4]\n",
            Path::new("test.toml"),
            None,
        )
        .expect("reads");
        let Err(RunError::SweepPoint {
            point,
            values,
            problems,
        }) = SweepPlan::new(sweep)
        else {
            panic!("refused");
        };
        assert_eq!(point, 0);
        assert_eq!(values, "donation.donations_max = 2");
        assert!(
            problems[0].message.contains("donations_max"),
            "{problems:?}"
        );
    }

    /// Goal: a Sobol design runs Saltelli's scheme: its base sample, times the parameters and
    /// two (the assertion moved here from the sweep file's reader, which no longer counts).
    #[test]
    fn a_sobol_design_runs_its_base_times_the_parameters_and_two() {
        let sobol = plan(
            "base = \"novel\"\n[design]\nkind = \"sobol\"\npoints = 8\n[parameters.care]\n\
             carer_share = { low = 0.2, high = 0.9 }\n[parameters.donation]\n\
             completion_risk_2 = [0.1, 0.2]\n[parameters.homes]\n\
             reform_start_year = { low = 1955, high = 1958 }\n",
        );
        assert_eq!(sobol.len(), 8 * (3 + 2));
        assert_eq!(sobol.runs(), 40);
    }

    /// Goal: a grid's points are every combination, the last axis fastest, each value as the
    /// file gives it.
    #[test]
    fn a_grid_is_every_combination_of_the_values() {
        let grid = plan(
            "base = \"novel\"\n[design]\nkind = \"grid\"\nlevels = 3\n[parameters.care]\n\
             carer_share = { low = 0.4, high = 0.6 }\n[parameters.donation]\n\
             completion_risk_2 = [0.1, 0.2]\n",
        );
        let values: Vec<String> = (0..grid.len())
            .map(|i| point_text(&grid.sweep.axes, &grid.values(i)))
            .collect();
        assert_eq!(values.len(), 6);
        assert_eq!(
            values[0],
            "care.carer_share = 0.4, donation.completion_risk_2 = 0.1"
        );
        assert_eq!(
            values[1],
            "care.carer_share = 0.4, donation.completion_risk_2 = 0.2"
        );
        assert_eq!(
            values[5],
            "care.carer_share = 0.6, donation.completion_risk_2 = 0.2"
        );
        assert_eq!(grid.point(2).expect("checked").params.care.carer_share, 0.5);
    }
}
