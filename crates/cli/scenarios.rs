//! `hailsham scenarios`: the scenarios bundled into the binary, each with what it asks.

use std::io::{self, Write};

use hailsham_scenario::BUNDLED;

use crate::Failure;

/// Lists every bundled scenario: its name and question, and under them its description.
pub(crate) fn scenarios() -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "Scenarios bundled into hailsham: run any by name from any directory (`hailsham run escape`),"
    )?;
    writeln!(
        out,
        "or build on one from a file of your own (`base = \"novel.toml\"`)."
    )?;
    writeln!(out)?;
    let width = BUNDLED
        .iter()
        .map(|bundled| bundled.name.len())
        .max()
        .unwrap_or(0);
    for bundled in BUNDLED {
        let scenario = bundled
            .load()
            .map_err(|diagnostics| Failure::Scenario(diagnostics.render()))?;
        // The question leads; a scenario that asks none (novel, world) shows what it is.
        let (first, second) = if scenario.question.is_empty() {
            (scenario.description.as_str(), "")
        } else {
            (scenario.question.as_str(), scenario.description.as_str())
        };
        writeln!(out, "  {:<width$}  {first}", bundled.name)?;
        if !second.is_empty() {
            writeln!(out, "  {:<width$}  {second}", "")?;
        }
    }
    Ok(())
}
