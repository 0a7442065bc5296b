//! The runner's operations for Python: each function takes what the Python package passes
//! (a scenario as a name, path or text, with changes; a seed; replicates...), calls the runner
//! with the GIL released, and returns the result as a `RunResult`, an Arrow `Table`, or the
//! JSON view the command line's `--format json` prints (`questions`, `sift`, `life`). The
//! Python package wraps them in classes with docstrings (`python/hailsham/__init__.py`).

use std::path::{Path, PathBuf};

use hailsham_outputs::{FIGURES, Summary, render_table};
use hailsham_runner::{
    Asking, Done, Limits, Location, Order, Plan, Recorder, RunError, location, scenarios,
};
use hailsham_scenario::Scenario;
use hailsham_world::{SPECS, Value};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt};

use crate::arrow::{Columns, Table};
use crate::blocking::blocking;
use crate::errors::to_python;

/// Adds the functions and classes to the module.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<RunResult>()?;
    module.add_function(wrap_pyfunction!(run, module)?)?;
    module.add_function(wrap_pyfunction!(read_parquet, module)?)?;
    module.add_function(wrap_pyfunction!(params, module)?)?;
    module.add_function(wrap_pyfunction!(questions, module)?)?;
    module.add_function(wrap_pyfunction!(compare, module)?)?;
    module.add_function(wrap_pyfunction!(life, module)?)?;
    module.add_function(wrap_pyfunction!(stored_life, module)?)?;
    module.add_function(wrap_pyfunction!(sift, module)?)?;
    module.add_function(wrap_pyfunction!(sift_logs, module)?)?;
    module.add_function(wrap_pyfunction!(scenario_names, module)?)?;
    Ok(())
}

/// A scenario as Python names it: `("find", name or path)` or `("text", TOML)`, with changes
/// (`section.key`, value) set on it.
pub type Given = (String, String, Vec<(String, Py<PyAny>)>);

/// A Python value as a parameter's: `True` before `1`, since a bool is an int in Python.
fn value(py: Python<'_>, key: &str, object: &Py<PyAny>) -> PyResult<Value> {
    let object = object.bind(py);
    if object.is_instance_of::<PyBool>() {
        Ok(Value::Bool(object.extract()?))
    } else if object.is_instance_of::<PyInt>() {
        Ok(Value::Int(object.extract()?))
    } else if object.is_instance_of::<PyFloat>() {
        Ok(Value::Float(object.extract()?))
    } else {
        Err(PyTypeError::new_err(format!(
            "the change to `{key}` is {}: a parameter takes a number, a whole number or a bool",
            object.get_type().name()?
        )))
    }
}

/// The scenario `given` names, found as the command line finds it (relative paths from the
/// current directory), with its changes set.
pub fn scenario(py: Python<'_>, given: &Given) -> PyResult<Scenario> {
    let (kind, text, changes) = given;
    let found = match kind.as_str() {
        "text" => scenarios::from_text(text),
        _ => scenarios::find(Some(text), Path::new("")),
    }
    .map_err(|e| to_python(py, &e))?;
    if changes.is_empty() {
        return Ok(found);
    }
    let changes = changes
        .iter()
        .map(|(key, object)| Ok((key.clone(), value(py, key, object)?)))
        .collect::<PyResult<Vec<_>>>()?;
    found
        .with_changes(&changes)
        .map_err(|e| to_python(py, &RunError::Scenario(e)))
}

/// The run store Python asked for: `None` where the command line would find it (the
/// `HAILSHAM_STORE` variable, then the user's data folder), `""` for none, else a path.
pub fn recorder(store: Option<&str>, command: &str) -> Recorder {
    let location = match store {
        Some("") => Location::Off("store=False was given"),
        Some(path) => Location::At(PathBuf::from(path)),
        None => location(None, false, |name| std::env::var_os(name)),
    };
    Recorder::lenient(
        &location,
        command.to_string(),
        false,
        Box::new(|error| eprintln!("warning: {error}; going on without the run store")),
    )
}

/// A plan of `scenario`, as the command line makes one from its flags.
fn plan(
    py: Python<'_>,
    scenario: Scenario,
    seed: u64,
    replicates: u32,
    until: Option<i64>,
    threads: Option<usize>,
) -> PyResult<Plan> {
    let mut plan = Plan::new(scenario, seed, replicates)
        .until(until)
        .map_err(|e| to_python(py, &e))?;
    plan.threads = threads;
    Ok(plan)
}

/// The limits a call runs under: the command line's, or none with `large`.
pub fn limits(large: bool) -> Limits {
    if large {
        Limits::NONE
    } else {
        Limits::COMMAND_LINE
    }
}

/// A run done from Python: what ran, its figures, and the folder of its tables.
#[pyclass(frozen, module = "hailsham._hailsham")]
pub struct RunResult {
    /// The scenario's name.
    #[pyo3(get)]
    scenario: String,
    /// The hash of its resolved parameters.
    #[pyo3(get)]
    scenario_hash: String,
    /// The master seed.
    #[pyo3(get)]
    seed: u64,
    /// Replicates run.
    #[pyo3(get)]
    replicates: u32,
    /// The first calendar year.
    #[pyo3(get)]
    start_year: i32,
    /// The year the run ends at (exclusive).
    #[pyo3(get)]
    end_year: i32,
    /// The version of hailsham that ran it.
    #[pyo3(get)]
    version: String,
    /// The folder of its tables (series, people, log, summary, metadata).
    #[pyo3(get)]
    folder: String,
    /// Wall seconds the replicates took.
    #[pyo3(get)]
    seconds: f64,
    /// Worker threads they ran on.
    #[pyo3(get)]
    threads: usize,
    summary: Summary,
    title: String,
}

#[pymethods]
impl RunResult {
    /// Every figure: its key, label, unit, group and years, its mean over the replicates with
    /// the 95% interval, and each replicate's value.
    fn figures(&self) -> PyResult<Table> {
        figures_table(&self.summary)?
            .meta("scenario", &self.scenario)
            .meta("scenario_hash", &self.scenario_hash)
            .meta("seed", self.seed)
            .meta("version", &self.version)
            .table("figures")
    }

    /// The figures as the command line prints them.
    fn text(&self) -> String {
        render_table(&self.summary, &self.title)
    }
}

/// The figures of `summary` as columns.
fn figures_table(summary: &Summary) -> PyResult<Columns> {
    let replicates = |f: usize| {
        summary
            .replicates
            .iter()
            .map(|r| r[f])
            .collect::<Vec<f64>>()
    };
    Ok(Columns::default()
        .text("key", FIGURES.iter().map(|f| Some(f.key)))
        .text("label", FIGURES.iter().map(|f| Some(f.label)))
        .text("unit", FIGURES.iter().map(|f| Some(f.unit)))
        .text("group", FIGURES.iter().map(|f| Some(f.group)))
        .text("years", FIGURES.iter().map(|f| Some(f.window.words())))
        .float("mean", summary.estimates.iter().map(|e| e.mean))
        .float("low", summary.estimates.iter().map(|e| e.low))
        .float("high", summary.estimates.iter().map(|e| e.high))
        .int(
            "n",
            summary.estimates.iter().map(|e| i64::try_from(e.n).ok()),
        )
        .floats("replicates", (0..FIGURES.len()).map(replicates)))
}

/// Runs a scenario, its tables written into `folder` (made, and left for the caller).
#[pyfunction]
#[pyo3(signature = (given, seed, replicates, until, records, log, threads, large, store, folder, force, command, progress=None))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    given: Given,
    seed: u64,
    replicates: u32,
    until: Option<i64>,
    records: bool,
    log: bool,
    threads: Option<usize>,
    large: bool,
    store: Option<String>,
    folder: PathBuf,
    force: bool,
    command: String,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<RunResult> {
    let mut plan = plan(py, scenario(py, &given)?, seed, replicates, until, threads)?;
    let order = Order {
        out: Some((folder, force)),
        records,
        log,
        csv: false,
        limits: limits(large),
    };
    let mut recorder = recorder(store.as_deref(), &command);
    let (done, plan) = blocking(py, progress.as_ref(), move |progress, cancel| {
        let done = hailsham_runner::run(&mut plan, &order, &mut recorder, progress, cancel)
            .and_then(|done| match done {
                Done::Ran {
                    ran,
                    folder: Some(folder),
                    threads,
                    seconds,
                    ..
                } => {
                    // The folder is the caller's to keep or remove: its log is not the store's
                    // to point at.
                    let path = folder.commit(&mut Recorder::none(), None)?;
                    Ok((ran, path, threads, seconds))
                }
                Done::Ran { .. } | Done::Served(..) => {
                    unreachable!("a run with a folder always runs and writes it")
                }
            });
        (done, plan)
    })?;
    let (ran, path, threads, seconds) = done.map_err(|e| to_python(py, &e))?;
    let years = plan.years();
    let hash = plan.scenario.hash();
    Ok(RunResult {
        title: hailsham_cli::run_title(
            &plan.scenario.name,
            plan.seed,
            plan.replicates,
            years,
            &hash,
        ),
        scenario: plan.scenario.name.clone(),
        scenario_hash: hash,
        seed: plan.seed,
        replicates: plan.replicates,
        start_year: years.start_year,
        end_year: years.end_year,
        version: hailsham_runner::VERSION.to_string(),
        folder: path.display().to_string(),
        seconds,
        threads,
        summary: ran.summary,
    })
}

/// A Parquet table a run wrote, as an Arrow table named `name`.
#[pyfunction]
fn read_parquet(py: Python<'_>, name: &str, path: PathBuf) -> PyResult<Table> {
    py.detach(|| Table::read_parquet(name, &path))
        .map_err(crate::errors::OutputError::new_err)
}

/// Every parameter of a scenario: its key, value, unit, type, range, tag, source and meaning.
#[pyfunction]
fn params(py: Python<'_>, given: Given) -> PyResult<Table> {
    let scenario = scenario(py, &given)?;
    let value = |section: &str, key: &str| scenario.params.get(section, key);
    Columns::default()
        .text("section", SPECS.iter().map(|s| Some(s.section)))
        .text("key", SPECS.iter().map(|s| Some(s.path())))
        .text(
            "value",
            SPECS
                .iter()
                .map(|s| value(s.section, s.key).map(|v| v.to_string())),
        )
        .text("unit", SPECS.iter().map(|s| Some(s.unit)))
        .text("kind", SPECS.iter().map(|s| Some(s.kind.as_str())))
        .float("min", SPECS.iter().map(|s| s.min))
        .float("max", SPECS.iter().map(|s| s.max))
        .text("tag", SPECS.iter().map(|s| Some(s.tag.as_str())))
        .flag(
            "changed",
            SPECS
                .iter()
                .map(|s| scenario.changed.contains(&(s.section, s.key))),
        )
        .text("source", SPECS.iter().map(|s| Some(s.source)))
        .text("meaning", SPECS.iter().map(|s| Some(s.meaning)))
        .meta("scenario", &scenario.name)
        .meta("scenario_hash", scenario.hash())
        .meta("version", hailsham_runner::VERSION)
        .table("params")
}

/// The bundled scenarios' names.
#[pyfunction]
fn scenario_names() -> Vec<&'static str> {
    hailsham_scenario::BUNDLED.iter().map(|b| b.name).collect()
}

/// The reviewers' questions answered, as `questions --format json` prints them.
#[pyfunction]
#[pyo3(signature = (seed, replicates, until, threads, robust, large, store, command, progress=None))]
#[allow(clippy::too_many_arguments)]
fn questions(
    py: Python<'_>,
    seed: u64,
    replicates: u32,
    until: Option<i64>,
    threads: Option<usize>,
    robust: bool,
    large: bool,
    store: Option<String>,
    command: String,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let asking = Asking {
        seed,
        replicates,
        until,
        threads,
    };
    let mut recorder = recorder(store.as_deref(), &command);
    let limits = limits(large);
    let document = blocking(py, progress.as_ref(), move |progress, cancel| {
        let answered =
            hailsham_runner::questions(&asking, &limits, &mut recorder, progress, cancel)?;
        let robust = if robust {
            hailsham_runner::robust(
                &answered.answered,
                threads,
                &limits,
                &mut recorder,
                progress,
                cancel,
            )?
            .questions
        } else {
            hailsham_runner::stored_robust(&answered.answered, &mut recorder)?
                .map(|robust| robust.questions)
                .unwrap_or_default()
        };
        Ok::<_, RunError>(hailsham_runner::questions_view(
            &answered.answered,
            &robust,
            &asking,
        ))
    })?
    .map_err(|e| to_python(py, &e))?;
    Ok(document.to_string())
}

/// Scenarios side by side, each paired with the first: the comparison's folder (written as
/// `compare --out` writes it) and its table as the command line prints it.
#[pyfunction]
#[pyo3(signature = (given, seed, replicates, until, threads, large, store, folder, force, command, progress=None))]
#[allow(clippy::too_many_arguments)]
fn compare(
    py: Python<'_>,
    given: Vec<Given>,
    seed: u64,
    replicates: u32,
    until: Option<i64>,
    threads: Option<usize>,
    large: bool,
    store: Option<String>,
    folder: PathBuf,
    force: bool,
    command: String,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<(String, String, Vec<Option<String>>)> {
    let mut plans = given
        .iter()
        .map(|g| plan(py, scenario(py, g)?, seed, replicates, until, threads))
        .collect::<PyResult<Vec<Plan>>>()?;
    let mut recorder = recorder(store.as_deref(), &command);
    let limits = limits(large);
    let done = blocking(py, progress.as_ref(), move |progress, cancel| {
        let written = hailsham_runner::Folder::create(&folder, force).and_then(|out| {
            let compared = hailsham_runner::compare(
                &mut plans,
                false,
                &limits,
                &mut recorder,
                progress,
                cancel,
            )?;
            hailsham_runner::write_comparison(&out, &plans, &compared, false)?;
            let path = out.commit(&mut Recorder::none(), None)?;
            Ok((compared, path))
        });
        (written, plans)
    })?;
    let (written, plans) = done;
    let (compared, path) = written.map_err(|e| to_python(py, &e))?;
    let scenarios: Vec<Scenario> = plans.iter().map(|p| p.scenario.clone()).collect();
    let names: Vec<&Scenario> = scenarios.iter().collect();
    let text = hailsham_outputs::render_comparison(
        &compared.comparison,
        &hailsham_cli::compare_title(&names, seed, replicates),
    );
    let answers = (0..scenarios.len())
        .map(|other| {
            (other > 0)
                .then(|| hailsham_outputs::answer_of(&compared.comparison, &scenarios, other))
                .flatten()
                .map(|answer| answer.paragraph())
        })
        .collect();
    Ok((path.display().to_string(), text, answers))
}

/// One clone's life, told: its story as text (`width` columns), and the JSON `life --format
/// json` prints.
#[pyfunction]
#[pyo3(signature = (given, seed, replicate, id, until, width))]
fn life(
    py: Python<'_>,
    given: Given,
    seed: u64,
    replicate: u32,
    id: u32,
    until: Option<i64>,
    width: usize,
) -> PyResult<(String, String, String)> {
    let scenario =
        hailsham_runner::until(scenario(py, &given)?, until).map_err(|e| to_python(py, &e))?;
    let told = py
        .detach(|| hailsham_runner::life(&scenario, seed, replicate, id))
        .map_err(|e| to_python(py, &e))?;
    Ok(told_texts(&told, width))
}

/// The story's text, its JSON, and the story with the announcements behind each sentence.
fn told_texts(told: &hailsham_runner::Told, width: usize) -> (String, String, String) {
    let json = hailsham_lives::to_json(&told.life, &told.story).to_string();
    let explained = hailsham_lives::Explainer::new(&told.life).story(&told.story);
    (told.story.to_text(width), json, explained)
}

/// One clone's life read from the event log a run of `given` stored in `folder`.
#[pyfunction]
fn stored_life(
    py: Python<'_>,
    given: Given,
    folder: PathBuf,
    replicate: u32,
    id: u32,
    width: usize,
) -> PyResult<(String, String, String)> {
    let scenario = scenario(py, &given)?;
    let stored = py
        .detach(|| hailsham_runner::stored_life_of(&folder, replicate, id, scenario))
        .map_err(|e| to_python(py, &e))?;
    Ok(told_texts(&stored.told, width))
}

/// The lives that fit a pattern in a scenario's replicates, run now: `sift --format json`.
#[pyfunction]
#[pyo3(signature = (pattern, given, seed, replicates, until, threads, limit, progress=None))]
#[allow(clippy::too_many_arguments)]
fn sift(
    py: Python<'_>,
    pattern: &str,
    given: Given,
    seed: u64,
    replicates: u32,
    until: Option<i64>,
    threads: Option<usize>,
    limit: usize,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let pattern =
        hailsham_runner::pattern(pattern, Path::new("")).map_err(|e| to_python(py, &e))?;
    let argument = (given.0 == "find").then(|| given.1.clone());
    let plan = plan(py, scenario(py, &given)?, seed, replicates, until, threads)?;
    let view = blocking(py, progress.as_ref(), move |progress, cancel| {
        let pool = hailsham_runner::thread_pool(plan.threads)?;
        let sifted = hailsham_runner::sift(&plan, &pattern, &pool, progress, cancel)?;
        let source = hailsham_runner::SiftSource {
            scenario: plan.scenario.name.clone(),
            scenario_argument: argument.filter(|a| a != "novel"),
            hash: Some(plan.scenario.hash()),
            seed: plan.seed,
            log: None,
        };
        Ok::<_, RunError>(hailsham_runner::sift_view(
            &pattern,
            &sifted.sifted,
            &source,
            limit,
        ))
    })?
    .map_err(|e| to_python(py, &e))?;
    Ok(view.to_string())
}

/// The lives that fit a pattern in the event logs a run stored in `folder`.
#[pyfunction]
fn sift_logs(py: Python<'_>, pattern: &str, folder: PathBuf, limit: usize) -> PyResult<String> {
    let pattern =
        hailsham_runner::pattern(pattern, Path::new("")).map_err(|e| to_python(py, &e))?;
    let view = py
        .detach(|| {
            let pool = hailsham_runner::thread_pool(None)?;
            let (sifted, metadata) = hailsham_runner::sift_logs(&folder, &pattern, &pool)?;
            let scenario = metadata.scenario.unwrap_or_else(|| "novel".to_string());
            let source = hailsham_runner::SiftSource {
                scenario_argument: (scenario != "novel").then(|| scenario.clone()),
                scenario,
                hash: metadata.scenario_hash,
                seed: metadata.seed.unwrap_or(1),
                log: Some(folder.clone()),
            };
            Ok::<_, RunError>(hailsham_runner::sift_view(
                &pattern,
                &sifted.sifted,
                &source,
                limit,
            ))
        })
        .map_err(|e| to_python(py, &e))?;
    Ok(view.to_string())
}
