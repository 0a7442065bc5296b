//! Ctrl-C and SIGTERM: the first asks the run to stop (it does within a simulated year, and
//! its temporary output is removed as the error unwinds); a second ends the process at once.

use std::sync::OnceLock;

use hailsham_runner::Cancel;

static CANCEL: OnceLock<Cancel> = OnceLock::new();

/// The process's cancel flag, raised by Ctrl-C or SIGTERM once the handler is installed.
pub(crate) fn cancel() -> Cancel {
    CANCEL.get_or_init(Cancel::default).clone()
}

/// Installs the handler. Failing to install one is not fatal: the run goes on without it.
pub(crate) fn install() {
    let flag = cancel();
    let _ = ctrlc::set_handler(move || {
        if flag.is_cancelled() {
            std::process::exit(130);
        }
        eprintln!("\ninterrupted: stopping at the end of the simulated year");
        flag.cancel();
    });
}
