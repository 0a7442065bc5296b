//! The run store from the command line: where it is, recording every run of `run`,
//! `compare`, `report` and `questions`, serving a request it already holds, and the `runs`
//! and `show` commands (docs/store.md).
//!
//! A store never stops a run: one that cannot be opened or written is reported once on
//! standard error, and the command goes on without it.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use hailsham_outputs::{FIGURES, Summary, render_table};
use hailsham_runner::RunError;
use hailsham_scenario::Scenario;
use hailsham_store::{NewRun, RequestKey, RunHead, RunId, Stopped, Store, StoreError};
use hailsham_world::YearRow;

use crate::Failure;
use crate::args::{ListFormat, RunsArgs, ShowArgs, StoreOptions};
use crate::run::{title, years_of};

/// The environment variable naming the store (`off`: none).
const STORE_VARIABLE: &str = "HAILSHAM_STORE";

/// Where the store is, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    At(PathBuf),
    /// No store, and why, for commands that need one.
    Off(&'static str),
}

/// The store's location: `--no-store`, `--store PATH`, `HAILSHAM_STORE` (`off` for none),
/// `$XDG_DATA_HOME/hailsham/runs.sqlite`, `~/.local/share/hailsham/runs.sqlite`, the first
/// that is given. `variable` reads the environment (a parameter, so tests can give their own).
pub(crate) fn location(
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

/// The location the flags and the environment give.
fn located(flag: Option<&Path>, no_store: bool) -> Location {
    location(flag, no_store, |name| std::env::var_os(name))
}

/// The identity of `scenario`'s run with `seed` and `replicates`.
pub(crate) fn key(scenario: &Scenario, hash: &str, seed: u64, replicates: u32) -> RequestKey {
    let (start_year, end_year) = years_of(&scenario.params);
    RequestKey {
        scenario_hash: hash.to_string(),
        seed,
        replicates,
        start_year,
        end_year,
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// The command line as typed, each word quoted where a shell would need it.
fn command_line() -> String {
    let mut words = vec!["hailsham".to_string()];
    for word in std::env::args_os().skip(1) {
        let word = word.to_string_lossy().into_owned();
        let plain = !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || "-_./=:,+@%".contains(c));
        words.push(if plain {
            word
        } else {
            format!("'{}'", word.replace('\'', r"'\''"))
        });
    }
    words.join(" ")
}

/// A stored timestamp as a reader sees it: `2026-05-01 12:34:56 UTC`.
fn when(timestamp: &str) -> String {
    match timestamp.strip_suffix('Z') {
        Some(utc) => format!("{} UTC", utc.replacen('T', " ", 1)),
        None => timestamp.to_string(),
    }
}

/// What a command records in the store, and serves from it.
pub(crate) struct Recorder {
    store: Option<Store>,
    command: String,
    fresh: bool,
}

impl Recorder {
    /// The store the options name, or none (said once on standard error if it cannot be
    /// opened).
    pub(crate) fn open(options: &StoreOptions) -> Recorder {
        let store = match located(options.store.as_deref(), options.no_store) {
            Location::Off(_) => None,
            Location::At(path) => match Store::open(&path) {
                Ok(store) => Some(store),
                Err(error) => {
                    warn(&error);
                    None
                }
            },
        };
        Recorder {
            store,
            command: command_line(),
            fresh: options.fresh,
        }
    }

    /// Gives up the store after an error: said once, and the command goes on without it.
    fn lost(&mut self, error: &StoreError) {
        warn(error);
        self.store = None;
    }

    /// The newest complete run of `key` and its summary, unless `--fresh` asks for a new run.
    pub(crate) fn stored(&mut self, key: &RequestKey) -> Option<(RunHead, Summary)> {
        if self.fresh {
            return None;
        }
        let store = self.store.as_ref()?;
        let found = store
            .find_complete(key)
            .and_then(|id| id.map_or(Ok(None), |id| store.get(id)));
        match found {
            Ok(run) => run.and_then(|run| Some((run.head, run.summary?))),
            Err(error) => {
                self.lost(&error);
                None
            }
        }
    }

    /// Records `scenario`'s run of `key` as begun.
    pub(crate) fn begin(&mut self, scenario: &Scenario, key: RequestKey) -> Option<RunId> {
        let store = self.store.as_mut()?;
        let run = NewRun {
            key,
            scenario_name: scenario.name.clone(),
            scenario_text: scenario.resolved_toml(),
            command: self.command.clone(),
        };
        match store.begin(&run) {
            Ok(id) => Some(id),
            Err(error) => {
                self.lost(&error);
                None
            }
        }
    }

    /// Records run `id` complete, with its figures and series.
    pub(crate) fn finish(&mut self, id: Option<RunId>, summary: &Summary, series: &[Vec<YearRow>]) {
        let (Some(store), Some(id)) = (self.store.as_mut(), id) else {
            return;
        };
        if let Err(error) = store.finish(id, summary, series, None) {
            self.lost(&error);
        }
    }

    /// Records where complete run `id` wrote its event log.
    pub(crate) fn set_log(&mut self, id: Option<RunId>, dir: &Path) {
        let (Some(store), Some(id)) = (self.store.as_mut(), id) else {
            return;
        };
        // Absolute, so that it names the folder from wherever the store is read.
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Err(error) = store.set_log(id, &dir) {
            self.lost(&error);
        }
    }

    /// Records run `id` as stopped by `failure`: cancelled by Ctrl-C, else failed.
    pub(crate) fn fail(&mut self, id: Option<RunId>, failure: &Failure) {
        let (Some(store), Some(id)) = (self.store.as_mut(), id) else {
            return;
        };
        let (stopped, message) = match failure {
            Failure::Run(RunError::Cancelled) => (Stopped::Cancelled, "cancelled".to_string()),
            Failure::Run(error) => (Stopped::Failed, error.to_string()),
            Failure::Scenario(text) | Failure::Usage(text) => (Stopped::Failed, text.clone()),
            Failure::Output(error) => (Stopped::Failed, format!("{error:#}")),
            Failure::Stdout(error) => (Stopped::Failed, error.to_string()),
        };
        if let Err(error) = store.fail(id, stopped, message.trim_end()) {
            self.lost(&error);
        }
    }

    /// The store's file, if one is open.
    pub(crate) fn path(&self) -> Option<&Path> {
        self.store.as_ref().map(Store::path)
    }
}

fn warn(error: &StoreError) {
    eprintln!("warning: {error}; going on without the run store");
}

/// The line on standard error for a run served from the store.
pub(crate) fn served(head: &RunHead, store: Option<&Path>) -> String {
    format!(
        "from the run store: run {} of {}{} (the same scenario hash, seed, replicates, years \
         and version); --fresh runs it again",
        head.id,
        when(&head.started),
        store.map_or(String::new(), |path| format!(", in {}", path.display()))
    )
}

/// The line on standard error for several runs served from the store.
pub(crate) fn served_many(heads: &[(String, RunHead)]) -> String {
    let runs: Vec<String> = heads
        .iter()
        .map(|(name, head)| format!("{name} (run {})", head.id))
        .collect();
    format!(
        "from the run store: {}; --fresh runs {} again",
        runs.join(", "),
        if heads.len() == 1 { "it" } else { "them" }
    )
}

/// Opens the store for `runs` and `show`; `None` if the file does not exist yet (nothing
/// was ever recorded), so that reading never creates one.
fn open_for_reading(flag: Option<&Path>) -> Result<Option<Store>, Failure> {
    let path = match located(flag, false) {
        Location::At(path) => path,
        Location::Off(why) => {
            return Err(Failure::Usage(format!(
                "error: there is no run store ({why}): name one with --store PATH\n"
            )));
        }
    };
    if !path.exists() {
        return Ok(None);
    }
    Store::open(&path)
        .map(Some)
        .map_err(|e| Failure::Output(e.into()))
}

/// The store's path as shown in messages.
fn shown(flag: Option<&Path>) -> String {
    match located(flag, false) {
        Location::At(path) => path.display().to_string(),
        Location::Off(why) => why.to_string(),
    }
}

/// `hailsham runs`: every stored run, newest first.
pub(crate) fn runs(args: &RunsArgs) -> Result<(), Failure> {
    let heads = match open_for_reading(args.store.as_deref())? {
        Some(store) => store.list().map_err(|e| Failure::Output(e.into()))?,
        None => Vec::new(),
    };
    let mut out = io::stdout().lock();
    if args.format == ListFormat::Json {
        let document = serde_json::json!({ "runs": heads });
        writeln!(out, "{}", to_json(&document)?)?;
        return Ok(());
    }
    if heads.is_empty() {
        eprintln!(
            "no runs stored in {} yet (every `hailsham run` is recorded there)",
            shown(args.store.as_deref())
        );
        return Ok(());
    }
    write!(out, "{}", render_runs(&heads))?;
    Ok(())
}

/// The heads as a table: id, date, status, scenario, seed, replicates, years, command.
fn render_runs(heads: &[RunHead]) -> String {
    let rows: Vec<[String; 8]> = heads
        .iter()
        .map(|head| {
            [
                head.id.to_string(),
                when(&head.started).trim_end_matches(" UTC").to_string(),
                head.status.to_string(),
                head.scenario_name.clone(),
                head.seed.to_string(),
                head.replicates.to_string(),
                format!("{}-{}", head.start_year, head.end_year),
                head.command.clone(),
            ]
        })
        .collect();
    let header = [
        "id",
        "started (UTC)",
        "status",
        "scenario",
        "seed",
        "replicates",
        "years",
        "command",
    ];
    // Numbers right-aligned, words left-aligned; the command last, as long as it is.
    let right = [true, false, false, false, true, true, false, false];
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            let pad = " ".repeat(widths[i].saturating_sub(cell.chars().count()));
            if right[i] {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                if i + 1 < cells.len() {
                    text.push_str(&pad);
                }
            }
        }
        text.trim_end().to_string() + "\n"
    };
    let mut text = line(&header);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        text.push_str(&line(&cells));
    }
    text
}

/// `hailsham show RUN`: one run's head and, if it is complete, its table as `run` printed it.
pub(crate) fn show(args: &ShowArgs) -> Result<(), Failure> {
    let no_run = || {
        Failure::Usage(format!(
            "error: no run {} in the run store {} (`hailsham runs` lists the runs it holds)\n",
            args.run,
            shown(args.store.as_deref())
        ))
    };
    let store = open_for_reading(args.store.as_deref())?.ok_or_else(no_run)?;
    let run = store
        .get(args.run)
        .map_err(|e| Failure::Output(e.into()))?
        .ok_or_else(no_run)?;
    let head = &run.head;
    let mut out = io::stdout().lock();
    if args.format == ListFormat::Json {
        let mut document = serde_json::to_value(head)
            .map_err(|e| Failure::Output(anyhow::anyhow!("writing JSON: {e}")))?;
        if let Some(object) = document.as_object_mut() {
            object.insert("scenario_text".into(), run.scenario_text.clone().into());
            object.insert(
                "figures".into(),
                run.summary
                    .as_ref()
                    .map_or(serde_json::Value::Null, figures_json),
            );
        }
        writeln!(out, "{}", to_json(&document)?)?;
        return Ok(());
    }
    writeln!(out, "run {} · {} · {}", head.id, head.status, head.command)?;
    let mut times = format!("started {}", when(&head.started));
    if let Some(finished) = &head.finished {
        times.push_str(&format!(", finished {}", when(finished)));
    }
    writeln!(out, "{times} · hailsham {}", head.version)?;
    if let Some(message) = &head.message {
        writeln!(out, "{message}")?;
    }
    if let Some(dir) = &head.log_dir {
        writeln!(out, "event log: {}", dir.display())?;
    }
    let Some(summary) = &run.summary else {
        writeln!(out, "(no figures: the run is {})", head.status)?;
        return Ok(());
    };
    let title = title(
        &head.scenario_name,
        head.seed,
        head.replicates,
        (head.start_year, head.end_year),
        &head.scenario_hash,
    );
    write!(out, "\n{}", render_table(summary, &title))?;
    Ok(())
}

/// Each figure with its estimate and its values, as `summary.json` has them.
fn figures_json(summary: &Summary) -> serde_json::Value {
    let finite = |x: f64| x.is_finite().then_some(x);
    FIGURES
        .iter()
        .zip(&summary.estimates)
        .enumerate()
        .map(|(index, (figure, estimate))| {
            serde_json::json!({
                "key": figure.key,
                "label": figure.label,
                "unit": figure.unit,
                "mean": finite(estimate.mean),
                "low": finite(estimate.low),
                "high": finite(estimate.high),
                "n": estimate.n,
                "values": summary
                    .replicates
                    .iter()
                    .map(|values| values.get(index).copied().and_then(finite))
                    .collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn to_json(document: &serde_json::Value) -> Result<String, Failure> {
    serde_json::to_string_pretty(document)
        .map_err(|e| Failure::Output(anyhow::anyhow!("writing JSON: {e}")))
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

    #[test]
    fn timestamps_read_as_utc() {
        assert_eq!(when("2026-05-01T12:34:56Z"), "2026-05-01 12:34:56 UTC");
        assert_eq!(when("not a time"), "not a time");
    }
}
