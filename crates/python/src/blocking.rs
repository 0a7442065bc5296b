//! Long work from Python: the model runs on a thread of its own with the GIL released, while
//! the calling thread wakes ten times a second to see to Python. It checks for Ctrl-C
//! (`check_signals`, which only the main thread can do, and only with the GIL) and, at the
//! first, raises the runner's cancel flag, so the run stops within a simulated year and
//! `KeyboardInterrupt` is raised once it has. It hands progress to a Python callable, which
//! draws a bar in a terminal or a notebook (`hailsham._progress`).
//!
//! The work never touches Python, and Python is never called from the model's threads: one
//! thread holds the GIL at a time, the one that asked.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hailsham_runner::{Cancel, Cost, Progress};
use pyo3::prelude::*;

/// How often the calling thread wakes to check for Ctrl-C and draw progress.
const TICK: Duration = Duration::from_millis(100);

/// Progress counted by the model's threads and read by the calling one.
#[derive(Default)]
struct Counted {
    done: AtomicU64,
    planned: AtomicU64,
    label: Mutex<String>,
    notes: Mutex<Vec<String>>,
}

impl Progress for Counted {
    fn year_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    fn planned(&self, steps: u64) {
        self.planned.fetch_add(steps, Ordering::Relaxed);
    }

    fn running(&self, name: &str) {
        if let Ok(mut label) = self.label.lock() {
            *label = name.to_string();
        }
    }

    fn sized(&self, name: &str, cost: &Cost) {
        if cost.worth_a_note()
            && let Ok(mut notes) = self.notes.lock()
        {
            notes.push(format!(
                "scenario `{name}` plans {:.0} clones a replicate; this will hold about {} and \
                 take about {:.0} minutes",
                cost.clones,
                hailsham_runner::gigabytes(cost.memory_bytes),
                (cost.seconds / 60.0).ceil()
            ));
        }
    }
}

/// Runs `work` with the GIL released, on a thread of its own, handing it the progress to
/// count and the flag that cancels it; tells `progress` (a Python callable taking done,
/// planned, label and notes) as it goes, and a last time at the end.
///
/// # Errors
/// `KeyboardInterrupt` (or what a signal handler raised) when Ctrl-C stopped the work; what
/// `progress` raised; a `RuntimeError` if the work panicked.
pub fn blocking<T, F>(py: Python<'_>, progress: Option<&Bound<'_, PyAny>>, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(&dyn Progress, &Cancel) -> T + Send,
{
    let counted = Counted::default();
    let cancel = Cancel::default();
    let mut interrupted: Option<PyErr> = None;
    let outcome = std::thread::scope(|scope| {
        let counted = &counted;
        let cancel = &cancel;
        let handle = scope.spawn(move || work(counted, cancel));
        loop {
            let finished = py.detach(|| {
                let mut waited = Duration::ZERO;
                while waited < TICK && !handle.is_finished() {
                    std::thread::sleep(Duration::from_millis(5));
                    waited += Duration::from_millis(5);
                }
                handle.is_finished()
            });
            if interrupted.is_none()
                && let Err(error) = py.check_signals()
            {
                cancel.cancel();
                interrupted = Some(error);
            }
            if interrupted.is_none()
                && let Some(progress) = progress
                && let Err(error) = tell(progress, counted, finished)
            {
                cancel.cancel();
                interrupted = Some(error);
            }
            if finished {
                break;
            }
        }
        py.detach(|| handle.join())
    });
    if let Some(error) = interrupted {
        return Err(error);
    }
    outcome.map_err(|_| {
        pyo3::exceptions::PyRuntimeError::new_err(
            "hailsham's work panicked: a bug, please report it with the call that caused it",
        )
    })
}

/// Hands the counts so far to the Python callable `progress`.
fn tell(progress: &Bound<'_, PyAny>, counted: &Counted, finished: bool) -> PyResult<()> {
    let label = counted.label.lock().map(|l| l.clone()).unwrap_or_default();
    let notes = counted
        .notes
        .lock()
        .map(|mut notes| std::mem::take(&mut *notes))
        .unwrap_or_default();
    progress.call1((
        counted.done.load(Ordering::Relaxed),
        counted.planned.load(Ordering::Relaxed),
        label,
        notes,
        finished,
    ))?;
    Ok(())
}
