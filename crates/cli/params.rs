//! `hailsham check` and `hailsham params`, and finding a scenario by path or name.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use hailsham_scenario::{BUNDLED, Bundled, Scenario};
use hailsham_world::SPECS;

use crate::Failure;
use crate::args::{CheckArgs, ParamsArgs};

/// Resolves a scenario argument: a file that exists (anything but a directory, so that an
/// output folder named like a scenario does not hide it; the loader refuses pipes and
/// devices), else a scenario bundled into the binary by name (`escape`, `escape.toml`), from
/// any directory, else `scenarios/<name>.toml` under the current directory (a scenario of
/// one's own, by name).
pub(crate) fn load(argument: Option<&str>) -> Result<Scenario, Failure> {
    let Some(argument) = argument else {
        return Ok(Scenario::novel());
    };
    let direct = PathBuf::from(argument);
    let named = Path::new("scenarios").join(format!("{argument}.toml"));
    // An `[answer]` names the report's figures, which the scenario crate does not own.
    let figures = hailsham_outputs::figure_keys();
    let loaded = if std::fs::metadata(&direct).is_ok_and(|m| !m.is_dir()) {
        Scenario::load_with_figures(&direct, &figures)
    } else if let Some(bundled) = Bundled::find(argument) {
        bundled.load_with_figures(&figures)
    } else if !argument.ends_with(".toml") && named.is_file() {
        Scenario::load_with_figures(&named, &figures)
    } else {
        return Err(Failure::Scenario(no_scenario(argument)));
    };
    loaded.map_err(|diagnostics| Failure::Scenario(diagnostics.render()))
}

/// The message for an argument that names no file and no scenario: the closest bundled name,
/// and every one.
fn no_scenario(argument: &str) -> String {
    // An argument may be long; a message need not be.
    let shown: String = if argument.chars().count() > 60 {
        format!("{}…", argument.chars().take(60).collect::<String>())
    } else {
        argument.to_string()
    };
    let mut message = format!(
        "error: no scenario `{shown}`\n  = note: no file `{shown}`, and no scenario of that name \
         bundled into hailsham or in scenarios/ here\n"
    );
    if let Some(closest) = Bundled::closest(argument) {
        message.push_str(&format!("  = help: did you mean `{}`?\n", closest.name));
    }
    let names: Vec<&str> = BUNDLED.iter().map(|bundled| bundled.name).collect();
    message.push_str(&format!(
        "  = help: the bundled scenarios are {} (`hailsham scenarios` says what each asks); or \
         give the path of a .toml file\n",
        names.join(", ")
    ));
    message
}

pub(crate) fn check(args: &CheckArgs) -> Result<(), Failure> {
    let mut failures = String::new();
    let mut out = io::stdout().lock();
    for argument in &args.scenarios {
        match load(Some(argument)) {
            Ok(scenario) => {
                let changed: Vec<String> = scenario
                    .changed
                    .iter()
                    .map(|(s, k)| format!("{s}.{k}"))
                    .collect();
                writeln!(
                    out,
                    "ok: {argument} (scenario `{}`, hash {}): {} changed from novel{}{}",
                    scenario.name,
                    &scenario.hash()[..12],
                    changed.len(),
                    if changed.is_empty() { "" } else { ": " },
                    changed.join(", ")
                )?;
            }
            Err(Failure::Scenario(rendered)) => failures.push_str(&rendered),
            Err(other) => return Err(other),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Failure::Scenario(failures))
    }
}

pub(crate) fn params(args: &ParamsArgs) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    if args.toml {
        write!(out, "{}", hailsham_scenario::novel_toml())?;
        return Ok(());
    }
    let scenario = load(args.scenario.as_deref())?;
    writeln!(
        out,
        "Parameters of `{}` (hash {}); * marks a value changed from `novel`.",
        scenario.name,
        &scenario.hash()[..12]
    )?;
    writeln!(
        out,
        "Tags: canon and novel are the book's rules; inferred follows from them; assumption is the model's choice."
    )?;
    let mut section = "";
    for spec in SPECS {
        if spec.section != section {
            section = spec.section;
            writeln!(out, "\n[{section}]")?;
        }
        let value = scenario
            .params
            .get(spec.section, spec.key)
            .expect("every spec has a value");
        let mark = if scenario.changed.contains(&(spec.section, spec.key)) {
            "*"
        } else {
            " "
        };
        writeln!(
            out,
            "{mark} {} = {value}   ({}; {})",
            spec.key, spec.unit, spec.tag
        )?;
        writeln!(out, "      {}", spec.meaning)?;
        writeln!(
            out,
            "      range {} to {}; source: {}",
            spec.min, spec.max, spec.source
        )?;
    }
    Ok(())
}
