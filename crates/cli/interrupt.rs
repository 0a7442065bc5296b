//! Ctrl-C and SIGTERM: the first asks the run to stop (it does within a simulated year, and
//! its temporary output is removed as the error unwinds); a second ends the process at once,
//! with the exit code of an interruption, after removing the temporary output it leaves.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};

use hailsham_runner::Cancel;

static CANCEL: OnceLock<Cancel> = OnceLock::new();

/// Temporary files and folders a forced exit removes: what a run writes before it renames
/// its output into place.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The exit code of an interrupted command (README: exit codes).
pub(crate) const EXIT_INTERRUPTED: i32 = 6;

/// The process's cancel flag, raised by Ctrl-C or SIGTERM once the handler is installed.
pub(crate) fn cancel() -> Cancel {
    CANCEL.get_or_init(Cancel::default).clone()
}

/// Marks `path` (a file or a folder) to be removed if a second Ctrl-C ends the process.
pub(crate) fn remove_on_forced_exit(path: PathBuf) {
    TEMPORARY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(path);
}

/// Installs the handler, which says `stopping` at the first signal. Failing to install one is
/// not fatal: the command goes on without it.
pub(crate) fn install(stopping: &'static str) {
    let flag = cancel();
    let _ = ctrlc::set_handler(move || {
        if flag.is_cancelled() {
            let temporary = TEMPORARY.lock().unwrap_or_else(PoisonError::into_inner);
            for path in temporary.iter() {
                remove(path);
            }
            std::process::exit(EXIT_INTERRUPTED);
        }
        eprintln!("\ninterrupted: {stopping}");
        flag.cancel();
    });
}

/// Removes `path`, file or folder, tried again for a moment: the run's threads may still be
/// creating files in it, or unwinding from the first signal and removing it too. Best effort:
/// the process ends either way.
fn remove(path: &std::path::Path) {
    for _ in 0..50 {
        let _ = std::fs::remove_dir_all(path).or_else(|_| std::fs::remove_file(path));
        if std::fs::symlink_metadata(path).is_err() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
