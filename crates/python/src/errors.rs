//! hailsham's errors as Python exceptions, with the command line's words.
//!
//! Every exception is a `HailshamError` carrying the exit code the command line would give;
//! a scenario's mistakes are a `ScenarioError` carrying, for the first problem, the file,
//! line, column, key and what was expected, and every problem in `problems`. A run stopped
//! by Ctrl-C is `KeyboardInterrupt`, as Python users expect.

use hailsham_runner::RunError;
use hailsham_scenario::{Diagnostic, ScenarioError as Problem};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyKeyboardInterrupt};
use pyo3::prelude::*;
use pyo3::types::PyDict;

create_exception!(
    _hailsham,
    HailshamError,
    PyException,
    "An error of hailsham's; `exit_code` is the code the command line gives it."
);
create_exception!(
    _hailsham,
    ScenarioError,
    HailshamError,
    "A scenario, a change, a pattern or a sweep file that cannot be used: `file`, `line`, \
     `column`, `key` and `expected` of the first problem, and `problems`, a dict for each."
);
create_exception!(
    _hailsham,
    BudgetError,
    HailshamError,
    "A run too large for its limits, or past its budget of events or time."
);
create_exception!(
    _hailsham,
    OutputError,
    HailshamError,
    "A file that could not be written or read."
);
create_exception!(
    _hailsham,
    ModelError,
    HailshamError,
    "A bug in the model, caught: the message says how to replay it."
);

/// Adds the exceptions to the module.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("HailshamError", py.get_type::<HailshamError>())?;
    module.add("ScenarioError", py.get_type::<ScenarioError>())?;
    module.add("BudgetError", py.get_type::<BudgetError>())?;
    module.add("OutputError", py.get_type::<OutputError>())?;
    module.add("ModelError", py.get_type::<ModelError>())?;
    Ok(())
}

/// What a problem expected, in words.
fn expected(problem: &Problem) -> Option<String> {
    match problem {
        Problem::WrongType { expected, .. } => Some((*expected).to_string()),
        Problem::OutOfRange { min, max, .. } => Some(format!("{min} to {max}")),
        Problem::UnknownChoice { choices, .. } => Some((*choices).to_string()),
        _ => problem.help(),
    }
}

/// One problem as a dict: file, line, column, key, expected, message.
fn problem_dict<'py>(py: Python<'py>, item: &Diagnostic) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("file", item.file.display().to_string())?;
    dict.set_item("line", item.line)?;
    dict.set_item("column", item.column)?;
    dict.set_item("key", item.error.key())?;
    dict.set_item("expected", expected(&item.error))?;
    dict.set_item("message", item.error.to_string())?;
    Ok(dict)
}

/// `error` as the Python exception it is, with the command line's message.
pub fn to_python(py: Python<'_>, error: &RunError) -> PyErr {
    if matches!(error, RunError::Cancelled) {
        return PyKeyboardInterrupt::new_err("the run was cancelled");
    }
    let message = hailsham_cli::render_error(error).trim_end().to_string();
    let exception = match error.exit_code() {
        3 => ScenarioError::new_err(message),
        2 | 5 => BudgetError::new_err(message),
        4 => OutputError::new_err(message),
        70 => ModelError::new_err(message),
        _ => HailshamError::new_err(message),
    };
    if let Err(failed) = annotate(py, &exception, error) {
        return failed;
    }
    exception
}

/// Sets the exception's attributes: the exit code, and a scenario's places.
fn annotate(py: Python<'_>, exception: &PyErr, error: &RunError) -> PyResult<()> {
    let value = exception.value(py);
    value.setattr("exit_code", error.exit_code())?;
    let items: &[Diagnostic] = match error {
        RunError::Scenario(diagnostics) => &diagnostics.items,
        _ => &[],
    };
    let problems = items
        .iter()
        .map(|item| problem_dict(py, item))
        .collect::<PyResult<Vec<_>>>()?;
    let first = problems.first();
    for attribute in ["file", "line", "column", "key", "expected"] {
        let found = match first {
            Some(dict) => dict.get_item(attribute)?,
            None => None,
        };
        value.setattr(attribute, found)?;
    }
    value.setattr("problems", problems)?;
    Ok(())
}
