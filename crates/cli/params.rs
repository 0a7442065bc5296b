//! `hailsham check` and `hailsham params`, and finding a scenario by path or name.

use std::io::{self, Write};
use std::path::Path;

use hailsham_scenario::{BUNDLED, Scenario};
use hailsham_world::SPECS;

use crate::Failure;
use crate::args::{CheckArgs, ParamsArgs};

/// The scenario an argument names, found as every front end finds it
/// (`hailsham_runner::scenarios::find`); relative paths as typed, from the current directory.
pub(crate) fn load(argument: Option<&str>) -> Result<Scenario, Failure> {
    Ok(hailsham_runner::scenarios::find(argument, Path::new(""))?)
}

/// The message for an argument that names no file and no scenario: the closest bundled name,
/// and every one.
pub(crate) fn no_scenario(argument: &str, closest: Option<&str>) -> String {
    // An argument may be long; a message need not be.
    let shown = hailsham_runner::RunError::shown(argument);
    let mut message = format!(
        "error: no scenario `{shown}`\n  = note: no file `{shown}`, and no scenario of that name \
         bundled into hailsham or in scenarios/ here\n"
    );
    if let Some(closest) = closest {
        message.push_str(&format!("  = help: did you mean `{closest}`?\n"));
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
            Err(Failure::Run(error)) if error.exit_code() == crate::EXIT_SCENARIO => {
                failures.push_str(&crate::render_error(&error));
            }
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
