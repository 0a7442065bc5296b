//! `hailsham compare`: several scenarios run with the same seed and replicates, side by side.
//!
//! Every scenario is loaded (and every broken one reported) before anything runs or is
//! written. Replicate `r` of each scenario draws from the streams keyed by (seed, `r`), so the
//! scenarios share their random numbers and their differences are paired replicate by
//! replicate (`hailsham_outputs::compare`). Scenarios run one after another, each one's
//! replicates in parallel; outputs are written after all have run, in the order given.

use std::io::{self, Write};
use std::path::Path;

use hailsham_outputs::{OutputDir, render_comparison};
use hailsham_report::{PlotRun, charts, write_charts};
use hailsham_runner::{Compared, Folder, Plan, Years};
use hailsham_scenario::Scenario;

use crate::Failure;
use crate::args::{CompareArgs, RunOptions};
use crate::run::Progress;

/// The plans of every scenario named, with the run options; the problems of all of them are
/// reported before failing.
pub(crate) fn plans(arguments: &[&str], options: &RunOptions) -> Result<Vec<Plan>, Failure> {
    hailsham_runner::scenarios::find_all(arguments, Path::new(""))?
        .into_iter()
        .map(|scenario| crate::run::plan(scenario, options))
        .collect()
}

/// Runs the plans through the library's `compare` with the command line's progress and
/// recorder, and says which were served from the store.
pub(crate) fn run_all(
    plans: &mut [Plan],
    options: &RunOptions,
    reuse: bool,
) -> Result<Compared, Failure> {
    let mut recorder = crate::store::recorder(&options.running.store);
    let progress = Progress::new(!options.running.quiet);
    let compared = hailsham_runner::compare(
        plans,
        reuse,
        &crate::run::limits(&options.running),
        &mut recorder,
        &progress,
        &crate::interrupt::cancel(),
    );
    progress.finish();
    let compared = compared?;
    if !compared.served.is_empty() {
        eprintln!("{}", crate::store::served_many(&compared.served));
    }
    Ok(compared)
}

/// `1952-2000` when every scenario runs the same years, else each scenario's.
pub(crate) fn years_text(scenarios: &[&Scenario], dash: &str) -> String {
    let spans: Vec<Years> = scenarios.iter().map(|s| Years::of(&s.params)).collect();
    if spans.iter().all(|span| *span == spans[0]) {
        spans[0].text(dash)
    } else {
        scenarios
            .iter()
            .zip(&spans)
            .map(|(s, years)| format!("{} {}", s.name, years.text(dash)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The comparison's title: the scenarios, the seed, the replicates, the years and the hashes,
/// wrapped to stay readable beside the table.
pub fn title(scenarios: &[&Scenario], seed: u64, replicates: u32) -> String {
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    let hashes: Vec<String> = scenarios
        .iter()
        .map(|s| format!("{} {}", s.name, &s.hash()[..12]))
        .collect();
    let others: Vec<String> = names[1..].iter().map(|n| (*n).to_string()).collect();
    format!(
        "{}\nseed {seed} · {replicates} replicate{} each, paired · {}\n{}",
        wrap(&format!("{} against ", names[0]), &others),
        if replicates == 1 { "" } else { "s" },
        years_text(scenarios, "-"),
        wrap("scenario hashes: ", &hashes)
    )
}

/// `prefix` then `items` parted by commas, wrapped before 100 columns with a two-space indent.
fn wrap(prefix: &str, items: &[String]) -> String {
    const WIDTH: usize = 100;
    let mut out = prefix.to_string();
    let mut line = prefix.chars().count();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        let length = piece.chars().count();
        if i > 0 {
            if line + 1 + length > WIDTH {
                out.push_str("\n  ");
                line = 2;
            } else {
                out.push(' ');
                line += 1;
            }
        }
        out.push_str(&piece);
        line += length;
    }
    out
}

/// Runs the plans with common random numbers, pairs their figures and prints the
/// side-by-side table and each declared answer: what `compare` and `report` both begin with.
pub(crate) fn run_and_compare(
    plans: &mut [Plan],
    options: &RunOptions,
    reuse: bool,
) -> Result<Compared, Failure> {
    let compared = run_all(plans, options, reuse)?;
    let scenarios: Vec<Scenario> = plans.iter().map(|plan| plan.scenario.clone()).collect();
    let shown: Vec<&Scenario> = scenarios.iter().collect();
    let comparison = &compared.comparison;
    let mut out = io::stdout().lock();
    write!(
        out,
        "{}",
        render_comparison(comparison, &title(&shown, options.seed, options.replicates))
    )?;
    // Each scenario that declares an answer says it, against the first, after the table.
    for (other, scenario) in scenarios.iter().enumerate().skip(1) {
        if let Some(answer) = hailsham_outputs::answer_of(comparison, &scenarios, other) {
            let mut heading = format!("{} against {}", scenario.name, scenarios[0].name);
            if !scenario.question.is_empty() {
                heading = format!("{heading}: {}", scenario.question);
            }
            write!(
                out,
                "\n{}\n{}\n",
                crate::questions::wrap_words(&heading, 100, "  "),
                crate::questions::wrap_words(&answer.paragraph(), 100, "")
            )?;
        }
    }
    Ok(compared)
}

pub(crate) fn compare(args: &CompareArgs) -> Result<(), Failure> {
    crate::args::needs_out(
        args.out.as_deref(),
        &[
            ("--force", args.force),
            ("--plot", args.plot),
            ("--format", args.format.is_some()),
        ],
    )
    .map_err(Failure::Usage)?;
    let arguments: Vec<&str> = args.scenarios.iter().map(String::as_str).collect();
    let mut plans = plans(&arguments, &args.options)?;
    let folder = match &args.out {
        Some(dir) => {
            if let Some(temporary) = OutputDir::temporary_for(dir) {
                crate::interrupt::remove_on_forced_exit(temporary);
            }
            Some(Folder::create(dir, args.force)?)
        }
        None => None,
    };
    // Files and charts need each replicate's series and tallies: only a bare table is served.
    let reuse = folder.is_none() && !args.plot;
    let compared = run_and_compare(&mut plans, &args.options, reuse)?;
    let Some(folder) = folder else {
        eprintln!(
            "(add --out DIR to write comparison.json and each scenario's summary and series)"
        );
        return Ok(());
    };
    hailsham_runner::write_comparison(
        &folder,
        &plans,
        &compared,
        args.format == Some(crate::args::TableFormat::Csv),
    )?;
    if args.plot {
        let plot_runs: Vec<PlotRun<'_>> = plans
            .iter()
            .zip(&compared.runs)
            .map(|(plan, run)| PlotRun {
                name: &plan.scenario.name,
                series: &run.series,
                tallies: &run.tallies,
            })
            .collect();
        write_charts(
            &folder.path("plots"),
            &charts(&plot_runs, args.options.seed),
        )
        .map_err(|e| Failure::Output(e.into()))?;
    }
    let path = folder.commit(&mut hailsham_runner::Recorder::none(), None)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
