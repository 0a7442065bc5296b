//! `hailsham check` and `hailsham params`, and finding a scenario by path or name.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use hailsham_scenario::Scenario;
use hailsham_world::SPECS;

use crate::Failure;
use crate::args::{CheckArgs, ParamsArgs};

/// Resolves a scenario argument: an existing file, else `scenarios/<name>.toml`, else the
/// built-in `novel` for the name `novel`.
pub(crate) fn load(argument: Option<&str>) -> Result<Scenario, Failure> {
    let Some(argument) = argument else {
        return Ok(Scenario::novel());
    };
    let direct = PathBuf::from(argument);
    let named = Path::new("scenarios").join(format!("{argument}.toml"));
    let path = if direct.is_file() {
        direct
    } else if !argument.ends_with(".toml") && named.is_file() {
        named
    } else if argument == "novel" {
        return Ok(Scenario::novel());
    } else {
        return Err(Failure::Scenario(format!(
            "error: no scenario `{argument}`\n  = note: looked for the file `{}` and for `{}`\n  = help: give a path to a .toml file, or a name from scenarios/\n",
            direct.display(),
            named.display()
        )));
    };
    Scenario::load(&path).map_err(|diagnostics| Failure::Scenario(diagnostics.render()))
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
