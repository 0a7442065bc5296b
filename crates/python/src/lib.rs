//! `hailsham._hailsham`: the Python module, a front end over the runner like the command line
//! and the page.
//!
//! It holds no workflow: each function turns Python's arguments into the runner's plans,
//! calls one runner operation with the GIL released (`blocking`), and hands back the typed
//! result, as Arrow tables (`arrow`) or as the JSON views the command line's `--format json`
//! prints. The Python package (`python/hailsham`) gives them their classes, docstrings and
//! types; the sweep backends for Ray and Dask are written there, over the three calls a
//! distributed sweep needs (`sweep.rs`).
//!
//! `main` is the whole command line, for the wheel's `hailsham` script.

mod api;
mod arrow;
mod blocking;
mod errors;
mod sweep;

use std::ffi::OsString;

use pyo3::prelude::*;

/// Runs the command line with `argv` (the program's name first, as `sys.argv`) and returns
/// its exit code: what the wheel's `hailsham` script runs.
#[pyfunction]
fn main(py: Python<'_>, argv: Vec<OsString>) -> u8 {
    // The command line installs its own Ctrl-C handler and prints as it goes: it runs as the
    // binary would, with the GIL released for other threads.
    py.detach(|| hailsham_cli::main(argv))
}

#[pymodule]
fn _hailsham(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("VERSION", hailsham_runner::VERSION)?;
    module.add_function(wrap_pyfunction!(main, module)?)?;
    module.add_class::<arrow::Table>()?;
    errors::register(module)?;
    api::register(module)?;
    sweep::register(module)?;
    Ok(())
}
