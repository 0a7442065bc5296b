//! Several plans run with the same seed and replicates, side by side, and the reviewers'
//! questions each answered by its scenario against `novel`.
//!
//! Replicate `r` of each plan draws from the streams keyed by (seed, `r`), so the scenarios
//! share their random numbers and their differences are paired replicate by replicate
//! (`hailsham_outputs::compare`). Plans run one after another, each one's replicates in
//! parallel; every plan is sized before any runs.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufWriter, Write};

use hailsham_outputs::{
    Answer, Comparison, ComparisonMetadata, ScenarioIdentity, Summary, VERSION, answer_of,
    write_comparison_json, write_comparison_metadata,
};
use hailsham_scenario::Scenario;
use hailsham_store::{RunHead, StoreError, StoredRun};
use hailsham_table::Format;

use crate::error::RunError;
use crate::plan::{Limits, Outputs, Plan, Years};
use crate::record::Recorder;
use crate::replicates::{Cancel, Progress};
use crate::run::{Folder, Ran, run_figures};

/// Several plans, run or served.
#[derive(Debug)]
pub struct Compared {
    /// Each plan's results, in the order given; a plan served from the store has its figures
    /// and no series or tallies.
    pub runs: Vec<Ran>,
    /// The plans served from the store, by scenario name.
    pub served: Vec<(String, RunHead)>,
    /// Their figures side by side, each paired with the first's.
    pub comparison: Comparison,
}

/// Runs every plan, one after another under one progress, each recorded by `recorder`. With
/// `reuse` (when only the figures are wanted, not the series or tallies of files and charts),
/// a plan whose request the store holds complete is served from it instead. Every plan to
/// run is sized against `limits` before any runs.
///
/// # Errors
/// A plan past its limits, or what stopped a run (the runs before it are recorded complete).
pub fn compare(
    plans: &mut [Plan],
    reuse: bool,
    limits: &Limits,
    recorder: &mut Recorder,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Compared, RunError> {
    let mut stored = Vec::with_capacity(plans.len());
    for plan in plans.iter() {
        stored.push(if reuse {
            recorder.stored(plan).map_err(store_error)?
        } else {
            None
        });
    }
    let threads = plans.first().map_or(Ok(1), |plan| {
        crate::plan::thread_pool(plan.threads).map(|p| p.current_num_threads())
    })?;
    for (plan, _) in plans.iter_mut().zip(&stored).filter(|(_, s)| s.is_none()) {
        let cost = plan.check(limits, Outputs::default(), threads)?;
        progress.sized(&plan.scenario.name, &cost);
    }
    progress.planned(
        plans
            .iter()
            .zip(&stored)
            .filter(|(_, s)| s.is_none())
            .map(|(plan, _)| plan.steps())
            .sum(),
    );
    let mut runs = Vec::with_capacity(plans.len());
    let mut served = Vec::new();
    for (plan, stored) in plans.iter().zip(stored) {
        if let Some((head, summary)) = stored {
            served.push((plan.scenario.name.clone(), head));
            runs.push(Ran {
                summary,
                series: Vec::new(),
                tallies: Vec::new(),
                log_rows: Vec::new(),
            });
            continue;
        }
        progress.running(&plan.scenario.name);
        let pool = crate::plan::thread_pool(plan.threads)?;
        runs.push(run_figures(plan, &pool, recorder, progress, cancel)?);
    }
    let comparison = Comparison::new(
        plans
            .iter()
            .map(|plan| plan.scenario.name.clone())
            .collect(),
        runs.iter().map(|run| run.summary.clone()).collect(),
    );
    Ok(Compared {
        runs,
        served,
        comparison,
    })
}

fn store_error(error: StoreError) -> RunError {
    RunError::output("reading", "the run store", error)
}

/// One reviewer's question, answered.
#[derive(Clone, Debug)]
pub struct Answered {
    /// The bundled scenario's name.
    pub name: &'static str,
    /// The question it asks.
    pub question: String,
    /// Who raised it, and where.
    pub source: String,
    /// The years it runs.
    pub years: Years,
    /// Its answer, from its figures against `novel`'s; `None` if its judged figure is not
    /// one of the figures (a broken scenario, caught by the tests).
    pub answer: Option<Answer>,
}

/// How the questions are asked: every pair runs with this seed and these replicates.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Asking {
    /// The master seed.
    pub seed: u64,
    /// Replicates of each scenario.
    pub replicates: u32,
    /// A year every run stops at the start of, instead of each scenario's own end.
    pub until: Option<i64>,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
}

/// The questions answered, and the runs served from the store to answer them.
#[derive(Debug)]
pub struct Questions {
    /// Each question with its answer, in the bundled scenarios' order.
    pub answered: Vec<Answered>,
    /// The runs the store held, by scenario name.
    pub served: Vec<(String, RunHead)>,
}

/// Every bundled scenario that asks a question, against `novel` with the same seed and
/// replicates over the scenario's own years (`novel` runs once for each span of years the
/// questions use, so every pair runs alike), each answer from the pair's figures. Only the
/// figures are needed, so runs the store holds are served from it.
///
/// # Errors
/// A scenario that does not fit `until`, or what stopped a run.
pub fn questions(
    asking: &Asking,
    limits: &Limits,
    recorder: &mut Recorder,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Questions, RunError> {
    let Asking {
        seed,
        replicates,
        until,
        threads,
    } = *asking;
    let mut asked = crate::scenarios::asking()?;
    for (_, scenario) in &mut asked {
        *scenario = crate::plan::until(scenario.clone(), until)?;
    }
    let mut spans: Vec<Years> = Vec::new();
    for (_, scenario) in &asked {
        let span = Years::of(&scenario.params);
        if !spans.contains(&span) {
            spans.push(span);
        }
    }
    let plan = |scenario: Scenario| {
        let mut plan = Plan::new(scenario, seed, replicates);
        plan.threads = threads;
        plan
    };
    let mut plans: Vec<Plan> = spans
        .iter()
        .map(|span| {
            let mut novel = Scenario::novel();
            novel.params.time.start_year = i64::from(span.start_year);
            novel.params.time.end_year = i64::from(span.end_year);
            plan(novel)
        })
        .collect();
    plans.extend(asked.iter().map(|(_, scenario)| plan(scenario.clone())));
    let compared = compare(&mut plans, true, limits, recorder, progress, cancel)?;
    let summaries: Vec<&Summary> = compared.runs.iter().map(|run| &run.summary).collect();
    let mut answered = Vec::with_capacity(asked.len());
    for (index, (name, scenario)) in asked.iter().enumerate() {
        let span = Years::of(&scenario.params);
        let base = spans.iter().position(|s| *s == span).unwrap_or(0);
        let comparison = Comparison::new(
            vec![plans[base].scenario.name.clone(), scenario.name.clone()],
            vec![
                summaries[base].clone(),
                summaries[spans.len() + index].clone(),
            ],
        );
        let pair = [plans[base].scenario.clone(), scenario.clone()];
        answered.push(Answered {
            name,
            question: scenario.question.clone(),
            source: scenario.source.clone(),
            years: span,
            answer: answer_of(&comparison, &pair, 1),
        });
    }
    Ok(Questions {
        answered,
        served: compared.served,
    })
}

/// A question's two runs as the store holds them, and their comparison.
#[derive(Debug)]
pub struct StoredAnswer {
    /// `novel` over the question's years.
    pub base: StoredRun,
    /// The question's scenario.
    pub other: StoredRun,
    /// Their figures side by side.
    pub comparison: Comparison,
}

/// A question answered from the store alone, where it holds both runs complete (the scenario
/// and `novel` over the same years, with `seed` and `replicates`); `None` where it does not.
///
/// # Errors
/// The store's.
pub fn stored_answer(
    scenario: &Scenario,
    seed: u64,
    replicates: u32,
    recorder: &mut Recorder,
) -> Result<Option<StoredAnswer>, StoreError> {
    let novel = crate::scenarios::baseline_for(scenario);
    let base = recorder.stored_run(&Plan::new(novel.clone(), seed, replicates))?;
    let other = recorder.stored_run(&Plan::new(scenario.clone(), seed, replicates))?;
    let (Some(base), Some(other)) = (base, other) else {
        return Ok(None);
    };
    let (Some(base_summary), Some(other_summary)) = (&base.summary, &other.summary) else {
        return Ok(None);
    };
    let comparison = Comparison::new(
        vec![novel.name.clone(), scenario.name.clone()],
        vec![base_summary.clone(), other_summary.clone()],
    );
    Ok(Some(StoredAnswer {
        base,
        other,
        comparison,
    }))
}

/// A folder name for each scenario: its name with anything but letters, digits (of any
/// script: `Élodie` stays `Élodie`), `.`, `_` and `-` replaced by `-`, runs of `-` made one,
/// made unique (`novel`, `novel-2`) and never `plots`, which holds the charts.
#[must_use]
pub fn folder_names(scenarios: &[&Scenario]) -> Vec<String> {
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

/// Writes a comparison's folder: each plan's summary, series and metadata in a folder of its
/// own ([`folder_names`]), then `comparison.json` and `metadata.json`; errors name the files
/// as they will be found.
///
/// # Errors
/// A file that cannot be created or written.
pub fn write_comparison(
    folder: &Folder,
    plans: &[Plan],
    compared: &Compared,
    csv: bool,
) -> Result<(), RunError> {
    let (Some(first), format) = (
        plans.first(),
        if csv { Format::Csv } else { Format::Parquet },
    ) else {
        return Ok(());
    };
    let scenarios: Vec<&Scenario> = plans.iter().map(|plan| &plan.scenario).collect();
    let folders = folder_names(&scenarios);
    let mut identities = Vec::with_capacity(plans.len());
    for ((plan, name), (run, summary)) in plans
        .iter()
        .zip(&folders)
        .zip(compared.runs.iter().zip(&compared.comparison.summaries))
    {
        let metadata = crate::run::metadata(plan, false);
        let path = folder.path(name);
        let shown = folder.final_path(name);
        std::fs::create_dir_all(&path)
            .map_err(|e| RunError::output("creating", shown.clone(), e))?;
        crate::run::write_tables((&path, &shown), summary, &run.series, &metadata, format)?;
        identities.push(ScenarioIdentity {
            name: metadata.scenario,
            folder: name.clone(),
            scenario_files: metadata.scenario_files,
            scenario_hash: metadata.scenario_hash,
            start_year: metadata.start_year,
            end_year: metadata.end_year,
        });
    }
    let metadata = ComparisonMetadata {
        scenarios: identities,
        seed: first.seed,
        replicates: first.replicates,
        version: VERSION.to_string(),
    };
    let write = |name: &str, write: &dyn Fn(&mut BufWriter<File>) -> std::io::Result<()>| {
        let path = folder.path(name);
        let mut file = File::create(&path)
            .map(BufWriter::new)
            .map_err(|e| RunError::output("creating", path.clone(), e))?;
        write(&mut file)
            .and_then(|()| file.flush())
            .map_err(|e| RunError::output("writing", path, e))
    };
    write("comparison.json", &|file| {
        write_comparison_json(file, &compared.comparison, &metadata)
    })?;
    write("metadata.json", &|file| {
        write_comparison_metadata(file, &metadata)
    })
}
