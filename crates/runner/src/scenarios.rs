//! Finding a scenario: by path, by the name of one bundled into the program, or from text a
//! page sent. Every front end finds scenarios here, so a name means the same scenario on the
//! command line, in the page and in Python.
//!
//! The bundled scenarios are compiled in and never change while a program runs, so each is
//! loaded once and cloned after: a page of questions would otherwise parse all of them on
//! every request.

use std::path::Path;
use std::sync::OnceLock;

use hailsham_outputs::figure_keys;
use hailsham_scenario::{BUNDLED, Bundled, Scenario, novel_toml};

use crate::error::RunError;

/// Every bundled scenario, loaded once (with the figures an `[answer]` may name).
fn loaded() -> &'static [(&'static Bundled, Result<Scenario, String>)] {
    static LOADED: OnceLock<Vec<(&'static Bundled, Result<Scenario, String>)>> = OnceLock::new();
    LOADED.get_or_init(|| {
        let figures = figure_keys();
        BUNDLED
            .iter()
            .map(|bundled| {
                (
                    bundled,
                    bundled
                        .load_with_figures(&figures)
                        .map_err(|diagnostics| diagnostics.render()),
                )
            })
            .collect()
    })
}

/// The bundled scenario `bundled`, from the cache.
fn bundled(bundled: &'static Bundled) -> Result<Scenario, RunError> {
    let (_, loaded) = loaded()
        .iter()
        .find(|(b, _)| std::ptr::eq(*b, bundled))
        .expect("every bundled scenario is in the cache");
    loaded.clone().map_err(RunError::Scenarios)
}

/// Resolves a scenario argument as the command line gives it: `None` is `novel`; else a file
/// that exists (anything but a directory, so that an output folder named like a scenario does
/// not hide it; the loader refuses pipes and devices), else a scenario bundled into the
/// program by name (`escape`, `escape.toml`), else `scenarios/<name>.toml` under `directory`
/// (a scenario of one's own, by name). Relative paths are read from `directory`; the empty
/// path reads them as they were typed.
///
/// # Errors
/// The scenario's diagnostics, or [`RunError::NoScenario`] with the closest bundled name.
pub fn find(argument: Option<&str>, directory: &Path) -> Result<Scenario, RunError> {
    let Some(argument) = argument else {
        return Ok(Scenario::novel());
    };
    let direct = directory.join(argument);
    let named = directory.join("scenarios").join(format!("{argument}.toml"));
    let figures = figure_keys();
    if std::fs::metadata(&direct).is_ok_and(|m| !m.is_dir()) {
        Scenario::load_with_figures(&direct, &figures).map_err(RunError::Scenario)
    } else if let Some(found) = Bundled::find(argument) {
        bundled(found)
    } else if !argument.ends_with(".toml") && named.is_file() {
        Scenario::load_with_figures(&named, &figures).map_err(RunError::Scenario)
    } else {
        Err(RunError::NoScenario {
            argument: argument.to_string(),
            closest: Bundled::closest(argument).map(|b| b.name),
        })
    }
}

/// Every scenario `arguments` name, found as [`find`] does; the problems of all of them are
/// collected before failing, so one command reports every broken file at once.
///
/// # Errors
/// [`RunError::Scenarios`] with every problem, or the first error that is not a scenario's.
pub fn find_all(arguments: &[&str], directory: &Path) -> Result<Vec<Scenario>, RunError> {
    let mut scenarios = Vec::with_capacity(arguments.len());
    let mut failures = String::new();
    for argument in arguments {
        match find(Some(argument), directory) {
            Ok(scenario) => scenarios.push(scenario),
            Err(RunError::Scenario(diagnostics)) => failures.push_str(&diagnostics.render()),
            Err(RunError::Scenarios(rendered)) => failures.push_str(&rendered),
            Err(other) => return Err(other),
        }
    }
    if failures.is_empty() {
        Ok(scenarios)
    } else {
        Err(RunError::Scenarios(failures))
    }
}

/// The scenario named `name`, `novel` or a bundled one, and its text as a reader would read
/// it. Reads no file: what a page may ask for.
///
/// # Errors
/// [`RunError::NoScenario`] for a name that is no bundled scenario's.
pub fn named(name: &str) -> Result<(Scenario, String), RunError> {
    if name == "novel" {
        return Ok((Scenario::novel(), novel_toml()));
    }
    let Some(found) = Bundled::find(name).filter(|b| b.name == name) else {
        return Err(RunError::NoScenario {
            argument: name.to_string(),
            closest: Bundled::closest(name).map(|b| b.name),
        });
    };
    Ok((bundled(found)?, found.text.to_string()))
}

/// A scenario given as text: its bases are bundled scenarios only, so reading it touches no
/// file.
///
/// # Errors
/// The scenario's diagnostics, located in `scenario.toml`.
pub fn from_text(text: &str) -> Result<Scenario, RunError> {
    Scenario::parse_isolated(text, Path::new("scenario.toml"), &figure_keys())
        .map_err(RunError::Scenario)
}

/// The bundled scenarios that ask a question and declare how it is answered, in order, each
/// with its name.
///
/// # Errors
/// [`RunError::Scenarios`] with the problems of every bundled scenario that does not load (a
/// bug in a release, caught by the tests).
pub fn asking() -> Result<Vec<(&'static str, Scenario)>, RunError> {
    let mut asked = Vec::new();
    let mut failures = String::new();
    for (bundled, loaded) in loaded() {
        match loaded {
            Ok(scenario) if scenario.answer.is_some() => {
                asked.push((bundled.name, scenario.clone()));
            }
            Ok(_) => {}
            Err(rendered) => failures.push_str(rendered),
        }
    }
    if failures.is_empty() {
        Ok(asked)
    } else {
        Err(RunError::Scenarios(failures))
    }
}

/// `novel` over the same years as `scenario`: what a question's scenario is set against.
#[must_use]
pub fn baseline_for(scenario: &Scenario) -> Scenario {
    let mut novel = Scenario::novel();
    novel.params.time.start_year = scenario.params.time.start_year;
    novel.params.time.end_year = scenario.params.time.end_year;
    novel
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Goal: a name means one scenario everywhere. Method: the command line's lookup and the
    /// page's give the same resolved parameters for every bundled name.
    #[test]
    fn the_command_line_and_the_page_find_the_same_bundled_scenarios() {
        for bundled in BUNDLED {
            let found = find(Some(bundled.name), Path::new("")).expect("found");
            let (named, text) = named(bundled.name).expect("named");
            assert_eq!(found.hash(), named.hash(), "{}", bundled.name);
            assert!(!text.is_empty());
        }
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        let Err(RunError::NoScenario { closest, .. }) = named("escpae") else {
            panic!("no such scenario");
        };
        assert_eq!(closest, Some("escape"));
        assert!(find(Some("escpae"), Path::new("")).is_err());
    }

    #[test]
    fn ten_bundled_scenarios_ask_a_question() {
        let asked = asking().expect("all load");
        assert_eq!(asked.len(), 10);
        for (_, scenario) in &asked {
            let novel = baseline_for(scenario);
            assert_eq!(novel.params.time.end_year, scenario.params.time.end_year);
        }
    }
}
