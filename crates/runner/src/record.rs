//! The run store as every front end uses it: where it is, recording each run (begun, queued,
//! started, finished, failed), and serving a request it already holds complete.
//!
//! Two policies, one code path. The command line's store never stops a run: one that cannot be
//! opened or written is reported once (through the front end's `on_lost`) and the command goes
//! on without it. The page's store is where its results live, so the page's recorder returns
//! every error. [`Recorder::attempt`] is the one place that tells them apart.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hailsham_outputs::Summary;
use hailsham_store::{NewRun, RunHead, RunId, Stopped, Store, StoreError, StoredRun};

use crate::error::RunError;
use crate::plan::Plan;
use crate::run::Ran;

/// The environment variable naming the store (`off`: none).
pub const STORE_VARIABLE: &str = "HAILSHAM_STORE";

/// Where the store is, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// At this file.
    At(PathBuf),
    /// No store, and why, for commands that need one.
    Off(&'static str),
}

/// The store's location: `--no-store`, `--store PATH`, `HAILSHAM_STORE` (`off` for none),
/// `$XDG_DATA_HOME/hailsham/runs.sqlite`, `~/.local/share/hailsham/runs.sqlite`, the first
/// that is given. `variable` reads the environment (a parameter, so that the library never
/// reads the process's environment itself and tests can give their own).
pub fn location(
    flag: Option<&Path>,
    no_store: bool,
    variable: impl Fn(&str) -> Option<OsString>,
) -> Location {
    if no_store {
        return Location::Off("--no-store was given");
    }
    if let Some(path) = flag {
        return Location::At(path.to_path_buf());
    }
    let given = |name: &str| variable(name).filter(|value| !value.is_empty());
    if let Some(value) = given(STORE_VARIABLE) {
        if value == "off" {
            return Location::Off("HAILSHAM_STORE is `off`");
        }
        return Location::At(PathBuf::from(value));
    }
    // The XDG specification says a relative XDG_DATA_HOME is to be ignored.
    if let Some(data) = given("XDG_DATA_HOME").map(PathBuf::from)
        && data.is_absolute()
    {
        return Location::At(data.join("hailsham").join("runs.sqlite"));
    }
    match given("HOME") {
        Some(home) => Location::At(
            PathBuf::from(home)
                .join(".local")
                .join("share")
                .join("hailsham")
                .join("runs.sqlite"),
        ),
        None => Location::Off("no HAILSHAM_STORE, XDG_DATA_HOME or HOME is set"),
    }
}

/// What a front end is told when its store is given up.
pub type OnLost = Box<dyn Fn(&StoreError) + Send + Sync>;

/// Records runs in a store and serves what it holds.
pub struct Recorder {
    store: Option<Arc<Mutex<Store>>>,
    /// What asked for the runs: the command line as typed, or `serve`.
    command: String,
    /// Whether a request the store holds is run again all the same.
    fresh: bool,
    /// The lenient policy: told of an error, and the store given up. `None`: every error is
    /// returned.
    on_lost: Option<OnLost>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("command", &self.command)
            .field("fresh", &self.fresh)
            .field("lenient", &self.on_lost.is_some())
            .finish_non_exhaustive()
    }
}

/// The store locked; a thread that panicked while holding the lock left it between two
/// statements of ours, never half-written, so going on is safe.
pub fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Recorder {
    /// The command line's recorder: the store at `location`, if it opens, with `on_lost` told
    /// of any error (then the store is given up and the command goes on without it).
    #[must_use]
    pub fn lenient(location: &Location, command: String, fresh: bool, on_lost: OnLost) -> Recorder {
        let store = match location {
            Location::Off(_) => None,
            Location::At(path) => match Store::open(path) {
                Ok(store) => Some(Arc::new(Mutex::new(store))),
                Err(error) => {
                    on_lost(&error);
                    None
                }
            },
        };
        Recorder {
            store,
            command,
            fresh,
            on_lost: Some(on_lost),
        }
    }

    /// The page's recorder over its shared store: every error is returned.
    #[must_use]
    pub fn strict(store: Arc<Mutex<Store>>, command: String) -> Recorder {
        Recorder {
            store: Some(store),
            command,
            fresh: false,
            on_lost: None,
        }
    }

    /// No store at all.
    #[must_use]
    pub fn none() -> Recorder {
        Recorder {
            store: None,
            command: String::new(),
            fresh: false,
            on_lost: None,
        }
    }

    /// `work` on the store, under the policy: `Ok(None)` without a store, and, when lenient,
    /// after an error (told once, the store given up).
    fn attempt<T>(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        let Some(store) = &self.store else {
            return Ok(None);
        };
        let result = work(&mut lock(store));
        match (result, &self.on_lost) {
            (Ok(value), _) => Ok(Some(value)),
            (Err(error), Some(on_lost)) => {
                on_lost(&error);
                self.store = None;
                Ok(None)
            }
            (Err(error), None) => Err(error),
        }
    }

    /// The newest complete run of `plan`'s request, with its figures, unless the recorder was
    /// asked for fresh runs.
    ///
    /// # Errors
    /// The store's, when strict.
    pub fn stored(&mut self, plan: &Plan) -> Result<Option<(RunHead, Summary)>, StoreError> {
        if self.fresh {
            return Ok(None);
        }
        let key = plan.key();
        let found = self.attempt(|store| {
            let Some(id) = store.find_complete(&key)? else {
                return Ok(None);
            };
            store.get(id)
        })?;
        Ok(found
            .flatten()
            .and_then(|run| Some((run.head, run.summary?))))
    }

    /// The newest complete run of `plan`'s request, whole (head, text, figures and series).
    ///
    /// # Errors
    /// The store's, when strict.
    pub fn stored_run(&mut self, plan: &Plan) -> Result<Option<StoredRun>, StoreError> {
        let key = plan.key();
        let found = self.attempt(|store| {
            let Some(id) = store.find_complete(&key)? else {
                return Ok(None);
            };
            store.get(id)
        })?;
        Ok(found.flatten())
    }

    fn new_run(&self, plan: &Plan, scenario_text: Option<String>) -> NewRun {
        NewRun {
            key: plan.key(),
            scenario_name: plan.scenario.name.clone(),
            scenario_text: scenario_text.unwrap_or_else(|| plan.scenario.resolved_toml()),
            command: self.command.clone(),
        }
    }

    /// Records `plan`'s run as begun (running now), with the scenario's resolved text.
    ///
    /// # Errors
    /// The store's, when strict.
    pub fn begin(&mut self, plan: &Plan) -> Result<Option<RunId>, StoreError> {
        let run = self.new_run(plan, None);
        self.attempt(|store| store.begin(&run))
    }

    /// Records `plan`'s run as waiting its turn, with the scenario's text as the user gave it.
    ///
    /// # Errors
    /// The store's, when strict.
    pub fn enqueue(
        &mut self,
        plan: &Plan,
        scenario_text: &str,
    ) -> Result<Option<RunId>, StoreError> {
        let run = self.new_run(plan, Some(scenario_text.to_string()));
        self.attempt(|store| store.enqueue(&run))
    }

    /// Records a waiting run as started.
    ///
    /// # Errors
    /// The store's, when strict.
    pub fn start(&mut self, id: Option<RunId>) -> Result<(), StoreError> {
        let Some(id) = id else { return Ok(()) };
        self.attempt(|store| store.start(id)).map(drop)
    }

    /// Records run `id` complete, with its figures and series, in one transaction.
    ///
    /// # Errors
    /// The store's, when strict.
    pub fn finish(&mut self, id: Option<RunId>, ran: &Ran) -> Result<(), StoreError> {
        let Some(id) = id else { return Ok(()) };
        self.attempt(|store| store.finish(id, &ran.summary, &ran.series, None))
            .map(drop)
    }

    /// Records where complete run `id` wrote its event log (made absolute, so that it names
    /// the folder from wherever the store is read).
    ///
    /// # Errors
    /// The store's, when strict.
    pub fn set_log(&mut self, id: Option<RunId>, dir: &Path) -> Result<(), StoreError> {
        let Some(id) = id else { return Ok(()) };
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        self.attempt(|store| store.set_log(id, &dir)).map(drop)
    }

    /// Records run `id` as stopped by `error`: cancelled, else failed with its message.
    ///
    /// # Errors
    /// The store's, when strict.
    pub fn fail(&mut self, id: Option<RunId>, error: &RunError) -> Result<(), StoreError> {
        let (stopped, message) = match error {
            RunError::Cancelled => (Stopped::Cancelled, "cancelled".to_string()),
            other => (Stopped::Failed, other.to_string()),
        };
        self.stop(id, stopped, &message)
    }

    /// Records run `id` as stopped, with why.
    ///
    /// # Errors
    /// The store's, when strict.
    pub fn stop(
        &mut self,
        id: Option<RunId>,
        stopped: Stopped,
        message: &str,
    ) -> Result<(), StoreError> {
        let Some(id) = id else { return Ok(()) };
        let message = message.trim_end().to_string();
        self.attempt(|store| store.fail(id, stopped, &message))
            .map(drop)
    }

    /// The sweep `new` in the store, recorded now if it holds none.
    ///
    /// # Errors
    /// The store's, when strict.
    pub(crate) fn open_sweep(
        &mut self,
        new: &hailsham_store::NewSweep,
    ) -> Result<Option<hailsham_store::SweepId>, StoreError> {
        self.attempt(|store| store.sweep(new))
    }

    /// The runs the store holds of the sweep of `hash` (this version's), if any; `None`
    /// without a store.
    ///
    /// # Errors
    /// The store's, when strict.
    pub(crate) fn sweep_held(&mut self, hash: &str) -> Result<Option<u64>, StoreError> {
        let version = hailsham_outputs::VERSION;
        self.attempt(|store| store.sweep_held(hash, version))
            .map(Option::flatten)
    }

    /// The runs of sweep `id` the store holds, as (point, replicate), unless the recorder was
    /// asked for fresh runs.
    ///
    /// # Errors
    /// The store's, when strict.
    pub(crate) fn sweep_done(
        &mut self,
        id: hailsham_store::SweepId,
    ) -> Result<Option<Vec<(u64, u32)>>, StoreError> {
        if self.fresh {
            return Ok(Some(Vec::new()));
        }
        self.attempt(|store| store.sweep_done(id))
    }

    /// Records one run of sweep `id`.
    ///
    /// # Errors
    /// The store's, when strict.
    pub(crate) fn record_sweep_run(
        &mut self,
        id: hailsham_store::SweepId,
        run: &hailsham_store::SweepRun,
    ) -> Result<(), StoreError> {
        self.attempt(|store| store.record_sweep_run(id, run))
            .map(drop)
    }

    /// Calls `visit` with each stored run of sweep `id`, in point and replicate order.
    ///
    /// # Errors
    /// What `visit` returns, or the store's.
    pub(crate) fn sweep_figures(
        &mut self,
        id: hailsham_store::SweepId,
        visit: &mut dyn FnMut(&hailsham_store::SweepRun) -> Result<(), RunError>,
    ) -> Result<(), RunError> {
        /// The visitor's error, or the store's while reading.
        enum Stopped {
            Store(StoreError),
            Run(RunError),
        }
        impl From<StoreError> for Stopped {
            fn from(error: StoreError) -> Stopped {
                Stopped::Store(error)
            }
        }
        let Some(store) = &self.store else {
            return Ok(());
        };
        match lock(store).sweep_figures(id, |run| visit(run).map_err(Stopped::Run)) {
            Ok(()) => Ok(()),
            Err(Stopped::Run(error)) => Err(error),
            Err(Stopped::Store(error)) => Err(RunError::output(
                "reading the sweep from",
                "the run store",
                error,
            )),
        }
    }

    /// The store's file, if one is open.
    #[must_use]
    pub fn path(&self) -> Option<PathBuf> {
        self.store
            .as_ref()
            .map(|store| lock(store).path().to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment<'a>(pairs: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn the_store_is_found_by_flag_then_variable_then_xdg_then_home() {
        let all = [
            ("HAILSHAM_STORE", "/env/runs.sqlite"),
            ("XDG_DATA_HOME", "/xdg"),
            ("HOME", "/home/kathy"),
        ];
        let at = |path: &str| Location::At(PathBuf::from(path));
        let flag = Some(Path::new("/flag.sqlite"));
        assert_eq!(location(flag, false, environment(&all)), at("/flag.sqlite"));
        assert!(matches!(
            location(flag, true, environment(&all)),
            Location::Off(_)
        ));
        assert_eq!(
            location(None, false, environment(&all)),
            at("/env/runs.sqlite")
        );
        assert_eq!(
            location(None, false, environment(&all[1..])),
            at("/xdg/hailsham/runs.sqlite")
        );
        assert_eq!(
            location(None, false, environment(&all[2..])),
            at("/home/kathy/.local/share/hailsham/runs.sqlite")
        );
        // Empty means unset; a relative XDG_DATA_HOME is ignored, as the specification says.
        let odd = [
            ("HAILSHAM_STORE", ""),
            ("XDG_DATA_HOME", "relative"),
            ("HOME", "/home/kathy"),
        ];
        assert_eq!(
            location(None, false, environment(&odd)),
            at("/home/kathy/.local/share/hailsham/runs.sqlite")
        );
        let off = [("HAILSHAM_STORE", "off"), ("HOME", "/home/kathy")];
        assert!(matches!(
            location(None, false, environment(&off)),
            Location::Off(why) if why.contains("off")
        ));
        // The flag wins over `off`.
        assert_eq!(location(flag, false, environment(&off)), at("/flag.sqlite"));
        assert!(matches!(
            location(None, false, environment(&[])),
            Location::Off(_)
        ));
    }

    /// Goal: the lenient policy gives up a store that fails, says so once, and goes on; the
    /// strict one returns the error. Method: a store file that is a directory cannot open, and
    /// a run finished twice fails the second time.
    #[test]
    fn a_lenient_recorder_goes_on_without_a_store_that_fails_and_a_strict_one_says_why() {
        let dir = std::env::temp_dir().join(format!("hailsham-record-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a-directory")).expect("a folder");
        let told = Arc::new(Mutex::new(0));
        let counter = Arc::clone(&told);
        let recorder = Recorder::lenient(
            &Location::At(dir.join("a-directory")),
            "hailsham run".into(),
            false,
            Box::new(move |_| *counter.lock().expect("a count") += 1),
        );
        assert!(recorder.path().is_none());
        assert_eq!(*told.lock().expect("a count"), 1);

        let store = Arc::new(Mutex::new(
            Store::open(dir.join("runs.sqlite")).expect("opens"),
        ));
        let mut strict = Recorder::strict(store, "serve".into());
        let mut params = hailsham_world::Params::default();
        params.homes.population_millions = 0.05;
        params.time.end_year = 1960;
        let mut scenario = hailsham_scenario::Scenario::novel();
        scenario.params = params;
        let plan = Plan::new(scenario, 1, 1);
        let id = strict.begin(&plan).expect("begun");
        assert!(id.is_some());
        strict
            .stop(id, Stopped::Cancelled, "cancelled")
            .expect("stopped");
        assert!(
            strict.stop(id, Stopped::Cancelled, "again").is_err(),
            "a stopped run stays stopped"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
