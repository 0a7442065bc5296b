//! The run store from the command line: where it is, recording every run of `run`,
//! `compare`, `report` and `questions`, serving a request it already holds, and the `runs`
//! and `show` commands (docs/store.md).
//!
//! A store never stops a run: one that cannot be opened or written is reported once on
//! standard error, and the command goes on without it.

use std::io::{self, Write};
use std::path::Path;

use hailsham_outputs::render_table;
use hailsham_runner::{Location, Recorder, RunView, StoredRunView, location};
use hailsham_store::{RunHead, Store};

use crate::Failure;
use crate::args::{ListFormat, RunsArgs, ShowArgs, StoreOptions};
use crate::run::title;

/// The store's location as the flags and the process's environment give it.
pub(crate) fn located(flag: Option<&Path>, no_store: bool) -> Location {
    location(flag, no_store, |name| std::env::var_os(name))
}

/// The recorder of a command's runs: lenient, as a store never stops a run (one that cannot be
/// opened or written is said once on standard error, and the command goes on without it).
pub(crate) fn recorder(options: &StoreOptions) -> Recorder {
    Recorder::lenient(
        &located(options.store.as_deref(), options.no_store),
        command_line(),
        options.fresh,
        Box::new(|error| eprintln!("warning: {error}; going on without the run store")),
    )
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
        let views: Vec<RunView> = heads.iter().map(RunView::from).collect();
        let document = serde_json::json!({ "runs": views });
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
        let document = serde_json::to_value(StoredRunView::from(&run))
            .map_err(|e| Failure::Output(anyhow::anyhow!("writing JSON: {e}")))?;
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
        hailsham_runner::Years {
            start_year: head.start_year,
            end_year: head.end_year,
        },
        &head.scenario_hash,
    );
    write!(out, "\n{}", render_table(summary, &title))?;
    Ok(())
}

fn to_json(document: &serde_json::Value) -> Result<String, Failure> {
    serde_json::to_string_pretty(document)
        .map_err(|e| Failure::Output(anyhow::anyhow!("writing JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_utc() {
        assert_eq!(when("2026-05-01T12:34:56Z"), "2026-05-01 12:34:56 UTC");
        assert_eq!(when("not a time"), "not a time");
    }
}
