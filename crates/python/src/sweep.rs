//! Sweeps from Python, on this machine or spread over workers.
//!
//! A sweep is opened here (`Sweep`: sized, found in the run store or begun there, with the
//! runs it still needs). On this machine, `Sweep.run_here` runs them all on the local pool,
//! recording each as it ends. Elsewhere, the Python package's Ray and Dask backends send
//! batches of job numbers to workers, each of which calls `sweep_batch` (its plan made again
//! from the sweep's text, once per worker), and hand the runs back to `Sweep.record` as each
//! batch finishes; a sweep stopped half-way resumes from what the store holds. `Sweep.finish`
//! then reads every run back in point and replicate order: the table does not depend on which
//! backend ran which run, or on how many workers there were.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hailsham_outputs::FIGURES;
use hailsham_runner::{
    NoProgress, RunError, SweepPlan, SweepReading, SweepRun, SweepState, read_design,
};
use hailsham_scenario::Sweep as SweepFile;
use hailsham_table::Format;
use pyo3::prelude::*;

use crate::api::recorder;
use crate::blocking::blocking;
use crate::errors::to_python;

/// Adds the sweep's class and functions to the module.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Sweep>()?;
    module.add_class::<SweepPlanHandle>()?;
    module.add_function(wrap_pyfunction!(open_sweep, module)?)?;
    module.add_function(wrap_pyfunction!(plan_sweep, module)?)?;
    module.add_function(wrap_pyfunction!(sweep_batch, module)?)?;
    Ok(())
}

/// A run of a sweep as it crosses between processes: point, replicate, the point's scenario
/// hash, its parameters in words, and every figure.
type RunTuple = (u64, u32, String, String, Vec<f64>);

/// A sweep file's plan, from its text (`path` names it and places its `base`).
fn load(py: Python<'_>, text: &str, path: &Path) -> PyResult<SweepPlan> {
    let figures = hailsham_outputs::figure_keys();
    let sweep = SweepFile::parse(text, path, Some(&figures))
        .map_err(|e| to_python(py, &RunError::Scenario(e)))?;
    SweepPlan::new(sweep).map_err(|e| to_python(py, &e))
}

/// A sweep's plan, made once in a worker and used for every batch it is sent.
#[pyclass(frozen, module = "hailsham._hailsham")]
pub struct SweepPlanHandle {
    plan: Arc<SweepPlan>,
}

/// The plan of the sweep whose file is `text` at `path`: what a worker makes once.
#[pyfunction]
fn plan_sweep(py: Python<'_>, text: &str, path: PathBuf) -> PyResult<SweepPlanHandle> {
    Ok(SweepPlanHandle {
        plan: Arc::new(load(py, text, &path)?),
    })
}

/// Runs the jobs `jobs` of a sweep on `threads` threads and returns their runs in the jobs'
/// order: a worker's batch.
#[pyfunction]
#[pyo3(signature = (plan, jobs, threads=None))]
fn sweep_batch(
    py: Python<'_>,
    plan: &SweepPlanHandle,
    jobs: Vec<u64>,
    threads: Option<usize>,
) -> PyResult<Vec<RunTuple>> {
    let plan = Arc::clone(&plan.plan);
    let runs = blocking(py, None, move |_, cancel| {
        hailsham_runner::sweep_jobs(&plan, &jobs, threads, &NoProgress, cancel)
    })?
    .map_err(|e| to_python(py, &e))?;
    Ok(runs
        .into_iter()
        .map(|r| {
            (
                r.point,
                r.replicate,
                r.scenario_hash,
                r.parameters,
                r.figures,
            )
        })
        .collect())
}

/// A sweep opened: its plan, its store, the runs it still needs.
#[pyclass(module = "hailsham._hailsham")]
pub struct Sweep {
    plan: SweepPlan,
    state: Option<SweepState>,
    recorder: hailsham_runner::Recorder,
    figure: usize,
}

/// Opens the sweep whose file is `text` at `path`, sized for `threads` threads at once
/// (the workers of a distributed backend, or the local pool), in the store Python asked for.
#[pyfunction]
#[pyo3(signature = (text, path, threads, large, store, command, figure=None))]
#[allow(clippy::too_many_arguments)]
fn open_sweep(
    py: Python<'_>,
    text: &str,
    path: PathBuf,
    threads: Option<usize>,
    large: bool,
    store: Option<String>,
    command: String,
    figure: Option<String>,
) -> PyResult<Sweep> {
    let mut plan = load(py, text, &path)?;
    let figure = figure_of(&plan, figure.as_deref())?;
    plan.threads = threads;
    let mut recorder = recorder(store.as_deref(), &command);
    let limits = crate::api::limits(large);
    let threads = hailsham_runner::thread_pool(threads)
        .map_err(|e| to_python(py, &e))?
        .current_num_threads();
    let state =
        hailsham_runner::open_sweep(&mut plan, &limits, threads, &mut recorder, &NoProgress)
            .map_err(|e| to_python(py, &e))?;
    Ok(Sweep {
        plan,
        state: Some(state),
        recorder,
        figure,
    })
}

/// The figure a sweep's summary reads: the one asked for, else the base's answer's.
fn figure_of(plan: &SweepPlan, asked: Option<&str>) -> PyResult<usize> {
    plan.figure(asked).map_err(|(key, closest)| {
        let suggestion = closest.map_or_else(String::new, |s| format!(" (did you mean `{s}`?)"));
        pyo3::exceptions::PyValueError::new_err(format!(
            "figure `{}` is no figure of a run{suggestion}",
            RunError::shown(&key)
        ))
    })
}

/// The error of a sweep used after [`Sweep::finish`].
fn finished() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("the sweep is finished")
}

#[pymethods]
impl Sweep {
    /// The sweep's name.
    #[getter]
    fn name(&self) -> String {
        self.plan.sweep.name.clone()
    }

    /// Its identity in the store (with the version).
    #[getter]
    fn hash(&self) -> String {
        self.plan.hash()
    }

    /// Points in its design.
    #[getter]
    fn points(&self) -> usize {
        self.plan.len()
    }

    /// Replicates of each point.
    #[getter]
    fn replicates(&self) -> u32 {
        self.plan.sweep.replicates
    }

    /// The master seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.plan.sweep.seed
    }

    /// Runs in all.
    #[getter]
    fn runs(&self) -> u64 {
        self.plan.runs()
    }

    /// The design's kind: grid, random, latin-hypercube, sobol or morris.
    #[getter]
    fn design(&self) -> &'static str {
        self.plan.sweep.design.kind()
    }

    /// The swept parameters, as `section.key`, in the sweep's order.
    #[getter]
    fn parameters(&self) -> Vec<String> {
        self.plan.sweep.axes.iter().map(|a| a.spec.path()).collect()
    }

    /// Seconds one run takes on one thread, as the plan estimates it: what sizes a batch.
    #[getter]
    fn seconds_per_run(&self) -> f64 {
        let cost = self.plan.cost(1);
        #[allow(clippy::cast_precision_loss)]
        let runs = self.plan.runs().max(1) as f64;
        cost.seconds / runs
    }

    /// The runs still to do, as job numbers (point × replicates + replicate).
    fn missing(&mut self) -> PyResult<Vec<u64>> {
        Ok(self.state.as_ref().ok_or_else(finished)?.missing().to_vec())
    }

    /// Runs every missing run on this machine's pool, each recorded as it ends.
    #[pyo3(signature = (progress=None))]
    fn run_here(&mut self, py: Python<'_>, progress: Option<Bound<'_, PyAny>>) -> PyResult<()> {
        let plan = &self.plan;
        let recorder = &mut self.recorder;
        let state = self.state.as_mut().ok_or_else(finished)?;
        let jobs = state.missing().to_vec();
        blocking(py, progress.as_ref(), move |progress, cancel| {
            progress.planned(plan.years_per_run() * jobs.len() as u64);
            let pool = hailsham_runner::thread_pool(plan.threads)?;
            hailsham_runner::run_sweep_jobs(plan, &jobs, &pool, progress, cancel, |run| {
                state.record(recorder, run)
            })
        })?
        .map_err(|e| to_python(py, &e))
    }

    /// Records runs a worker returned.
    fn record(&mut self, py: Python<'_>, runs: Vec<RunTuple>) -> PyResult<()> {
        let recorder = &mut self.recorder;
        let state = self.state.as_mut().ok_or_else(finished)?;
        for (point, replicate, scenario_hash, parameters, figures) in runs {
            let run = SweepRun {
                point,
                replicate,
                scenario_hash,
                parameters,
                figures,
            };
            state.record(recorder, run).map_err(|e| to_python(py, &e))?;
        }
        Ok(())
    }

    /// Reads every run back in point and replicate order and writes the table to `out`
    /// (Parquet, or CSV for a `.csv` name); returns the runs in all, those resumed from the
    /// store, those run now, the summary as the command line prints it, each point's mean of
    /// the figure read, and the design's reading of it as JSON (Sobol indices or Morris
    /// effects, with each parameter's key).
    fn finish(
        &mut self,
        py: Python<'_>,
        out: PathBuf,
    ) -> PyResult<(u64, u64, u64, String, Vec<f64>, String)> {
        let state = self.state.take().ok_or_else(finished)?;
        let format = if out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            Format::Csv
        } else {
            Format::Parquet
        };
        let figure = self.figure;
        let plan = &self.plan;
        let recorder = &mut self.recorder;
        let swept = py
            .detach(|| {
                hailsham_runner::finish_sweep(
                    plan,
                    state,
                    recorder,
                    Some((&out, format)),
                    &[figure],
                )
            })
            .map_err(|e| to_python(py, &e))?;
        let means = swept.figure(figure).unwrap_or_default();
        let summary = hailsham_cli::sweep_summary(plan, &swept, figure);
        let keys: Vec<String> = plan.sweep.axes.iter().map(|a| a.spec.path()).collect();
        let reading = match read_design(&plan.reading, &means, plan.sweep.seed) {
            Ok(SweepReading::Sobol(indices)) => serde_json::json!({
                "kind": "sobol",
                "figure": FIGURES[figure].key,
                "indices": keys.iter().zip(indices).map(|(key, index)| serde_json::json!({
                    "parameter": key,
                    "first": index.first.value, "first_low": index.first.low, "first_high": index.first.high,
                    "total": index.total.value, "total_low": index.total.low, "total_high": index.total.high,
                })).collect::<Vec<_>>(),
            }),
            Ok(SweepReading::Morris(effects)) => serde_json::json!({
                "kind": "morris",
                "figure": FIGURES[figure].key,
                "effects": keys.iter().zip(effects).map(|(key, effect)| serde_json::json!({
                    "parameter": key, "mu_star": effect.mu_star, "mu": effect.mu, "sigma": effect.sigma,
                })).collect::<Vec<_>>(),
            }),
            Ok(SweepReading::Spread) => {
                serde_json::json!({ "kind": "spread", "figure": FIGURES[figure].key })
            }
            Err(error) => {
                serde_json::json!({ "kind": "none", "figure": FIGURES[figure].key, "error": error.to_string() })
            }
        };
        Ok((
            swept.runs,
            swept.resumed,
            swept.ran,
            summary,
            means,
            reading.to_string(),
        ))
    }
}
