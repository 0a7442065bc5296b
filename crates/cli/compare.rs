//! `hailsham compare`: several scenarios run with the same seed and replicates, side by side.
//!
//! Every scenario is loaded (and every broken one reported) before anything runs or is
//! written. Replicate `r` of each scenario draws from the streams keyed by (seed, `r`), so the
//! scenarios share their random numbers and their differences are paired replicate by
//! replicate (`hailsham_outputs::compare`). Scenarios run one after another, each one's
//! replicates in parallel; outputs are written after all have run, in the order given.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufWriter, Write};

use anyhow::Context;
use hailsham_outputs::{
    Comparison, ComparisonMetadata, Metadata, OutputDir, ScenarioIdentity, Summary,
    render_comparison, write_comparison_json, write_comparison_metadata,
};
use hailsham_report::{PlotRun, charts, write_charts};
use hailsham_scenario::Scenario;

use crate::Failure;
use crate::args::{CompareArgs, RunOptions};
use crate::params::load;
use crate::run::{
    Files, Progress, Runs, apply_until, progress_steps, request, run_replicates, thread_pool,
    write_outputs, years_of,
};
use crate::store::Recorder;

/// Loads every scenario named, collecting the problems of all of them before failing, and
/// applies `--until` to each.
pub(crate) fn load_all(arguments: &[&str], until: Option<i64>) -> Result<Vec<Scenario>, Failure> {
    let mut scenarios = Vec::with_capacity(arguments.len());
    let mut failures = String::new();
    for argument in arguments {
        match load(Some(argument)) {
            Ok(scenario) => scenarios.push(scenario),
            Err(Failure::Scenario(rendered)) => failures.push_str(&rendered),
            Err(other) => return Err(other),
        }
    }
    if !failures.is_empty() {
        return Err(Failure::Scenario(failures));
    }
    for scenario in &mut scenarios {
        apply_until(scenario, until)?;
    }
    Ok(scenarios)
}

/// Runs every scenario's replicates with the same seed, one scenario after another, under one
/// progress bar, each recorded in the run store. With `reuse` (when only the figures are
/// wanted, not the series or tallies of files and charts), a scenario whose request the store
/// holds complete is served from it instead.
pub(crate) fn run_all(
    scenarios: &[Scenario],
    options: &RunOptions,
    reuse: bool,
) -> Result<Vec<Runs>, Failure> {
    let (seed, replicates, quiet) = (options.seed, options.replicates, options.quiet);
    let mut recorder = Recorder::open(&options.store);
    let hashes: Vec<String> = scenarios.iter().map(Scenario::hash).collect();
    let keys: Vec<_> = scenarios
        .iter()
        .zip(&hashes)
        .map(|(scenario, hash)| crate::store::key(scenario, hash, seed, replicates))
        .collect();
    let stored: Vec<_> = keys
        .iter()
        .map(|key| reuse.then(|| recorder.stored(key)).flatten())
        .collect();
    let pool = thread_pool(options.threads)?;
    // Every scenario to run is sized before any runs.
    for (scenario, _) in scenarios.iter().zip(&stored).filter(|(_, s)| s.is_none()) {
        crate::cost::check(
            &scenario.name,
            &scenario.params,
            crate::cost::Plan {
                replicates,
                threads: pool.current_num_threads(),
                ..crate::cost::Plan::default()
            },
            options.large,
        )?;
    }
    let total = scenarios
        .iter()
        .zip(&stored)
        .filter(|(_, s)| s.is_none())
        .map(|(s, _)| progress_steps(&s.params, replicates))
        .sum();
    let progress = Progress::new(total, !quiet);
    let mut all = Vec::with_capacity(scenarios.len());
    let mut served = Vec::new();
    for (((scenario, hash), key), stored) in scenarios.iter().zip(&hashes).zip(keys).zip(stored) {
        if let Some((head, summary)) = stored {
            served.push((scenario.name.clone(), head));
            all.push(Runs {
                summary,
                series: Vec::new(),
                tallies: Vec::new(),
                log_rows: Vec::new(),
            });
            continue;
        }
        progress.set_message(&scenario.name);
        let request = request(&scenario.params, hash, seed, replicates, options);
        let id = recorder.begin(scenario, key);
        match run_replicates(&request, &pool, &Files::default(), &progress) {
            Ok(runs) => {
                recorder.finish(id, &runs.summary, &runs.series);
                all.push(runs);
            }
            Err(failure) => {
                progress.finish();
                recorder.fail(id, &failure);
                return Err(failure);
            }
        }
    }
    progress.finish();
    if !served.is_empty() {
        eprintln!("{}", crate::store::served_many(&served));
    }
    Ok(all)
}

/// `1952-2000` when every scenario runs the same years, else each scenario's.
pub(crate) fn years_text(scenarios: &[Scenario], dash: &str) -> String {
    let spans: Vec<(i32, i32)> = scenarios.iter().map(|s| years_of(&s.params)).collect();
    if spans.iter().all(|span| *span == spans[0]) {
        format!("{}{dash}{}", spans[0].0, spans[0].1)
    } else {
        scenarios
            .iter()
            .zip(&spans)
            .map(|(s, (start, end))| format!("{} {start}{dash}{end}", s.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The comparison's title: the scenarios, the seed, the replicates, the years and the hashes,
/// wrapped to stay readable beside the table.
pub(crate) fn title(scenarios: &[Scenario], seed: u64, replicates: u32) -> String {
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

/// A folder name for each scenario: its name with anything but letters, digits (of any
/// script: `Élodie` stays `Élodie`), `.`, `_` and `-` replaced by `-`, runs of `-` made one,
/// made unique (`novel`, `novel-2`) and never `plots`, which holds the charts.
pub(crate) fn folder_names(scenarios: &[Scenario]) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::from(["plots".to_string()]);
    scenarios
        .iter()
        .map(|scenario| {
            let mut base = String::with_capacity(scenario.name.len());
            for c in scenario.name.chars() {
                let c = if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '-'
                };
                if !(c == '-' && base.ends_with('-')) {
                    base.push(c);
                }
            }
            let base_trimmed = base.trim_matches('-');
            let mut base = if base_trimmed.is_empty() {
                base
            } else {
                base_trimmed.to_string()
            };
            if base.is_empty() || base.chars().all(|c| c == '.') {
                base = "scenario".to_string();
            }
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// Runs the scenarios with common random numbers, pairs their figures and prints the
/// side-by-side table: what `compare` and `report` both begin with.
pub(crate) fn run_and_compare(
    scenarios: &[Scenario],
    options: &RunOptions,
    reuse: bool,
) -> Result<(Vec<Runs>, Comparison), Failure> {
    let runs = run_all(scenarios, options, reuse)?;
    let summaries: Vec<Summary> = runs.iter().map(|r| r.summary.clone()).collect();
    let names = scenarios.iter().map(|s| s.name.clone()).collect();
    let comparison = Comparison::new(names, summaries);
    let mut out = io::stdout().lock();
    write!(
        out,
        "{}",
        render_comparison(
            &comparison,
            &title(scenarios, options.seed, options.replicates)
        )
    )?;
    // Each scenario that declares an answer says it, against the first, after the table.
    for (other, scenario) in scenarios.iter().enumerate().skip(1) {
        if let Some(answer) = hailsham_outputs::answer_of(&comparison, scenarios, other) {
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
    Ok((runs, comparison))
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
    let scenarios = load_all(&arguments, args.options.until)?;
    let out = match &args.out {
        Some(dir) => {
            Some(OutputDir::create(dir, args.force).map_err(|e| Failure::Output(e.into()))?)
        }
        None => None,
    };
    // Files and charts need each replicate's series and tallies: only a bare table is served.
    let reuse = out.is_none() && !args.plot;
    let (runs, comparison) = run_and_compare(&scenarios, &args.options, reuse)?;
    let Some(dir) = out else {
        eprintln!(
            "(add --out DIR to write comparison.json and each scenario's summary and series)"
        );
        return Ok(());
    };
    write_comparison(&dir, args, &scenarios, &runs, &comparison).map_err(Failure::Output)?;
    let path = dir.commit().map_err(|e| Failure::Output(e.into()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn write_comparison(
    dir: &OutputDir,
    args: &CompareArgs,
    scenarios: &[Scenario],
    runs: &[Runs],
    comparison: &Comparison,
) -> anyhow::Result<()> {
    let version = env!("CARGO_PKG_VERSION").to_string();
    let folders = folder_names(scenarios);
    let mut identities = Vec::with_capacity(scenarios.len());
    for ((scenario, folder), (run, summary)) in scenarios
        .iter()
        .zip(&folders)
        .zip(runs.iter().zip(&comparison.summaries))
    {
        let (start_year, end_year) = years_of(&scenario.params);
        let files: Vec<String> = scenario
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let metadata = Metadata {
            scenario: scenario.name.clone(),
            scenario_files: files.clone(),
            scenario_hash: scenario.hash(),
            seed: args.options.seed,
            replicates: args.options.replicates,
            start_year,
            end_year,
            version: version.clone(),
            records: false,
        };
        let path = dir.path(folder);
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        write_outputs(
            (&path, &dir.final_dir().join(folder)),
            summary,
            &run.series,
            &metadata,
            args.format
                .unwrap_or(crate::args::TableFormat::Parquet)
                .into(),
        )?;
        identities.push(ScenarioIdentity {
            name: scenario.name.clone(),
            folder: folder.clone(),
            scenario_files: files,
            scenario_hash: metadata.scenario_hash,
            start_year,
            end_year,
        });
    }
    let metadata = ComparisonMetadata {
        scenarios: identities,
        seed: args.options.seed,
        replicates: args.options.replicates,
        version,
    };
    let create = |name: &str| -> anyhow::Result<BufWriter<File>> {
        let path = dir.path(name);
        Ok(BufWriter::new(
            File::create(&path).with_context(|| format!("creating {}", path.display()))?,
        ))
    };
    let mut file = create("comparison.json")?;
    write_comparison_json(&mut file, comparison, &metadata)?;
    file.flush()?;
    let mut file = create("metadata.json")?;
    write_comparison_metadata(&mut file, &metadata)?;
    file.flush()?;
    if args.plot {
        let plot_runs: Vec<PlotRun<'_>> = scenarios
            .iter()
            .zip(runs)
            .map(|(scenario, run)| PlotRun {
                name: &scenario.name,
                series: &run.series,
                tallies: &run.tallies,
            })
            .collect();
        write_charts(&dir.path("plots"), &charts(&plot_runs, args.options.seed))?;
    }
    Ok(())
}
