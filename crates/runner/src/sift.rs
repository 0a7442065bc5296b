//! Finding the lives that fit a pattern: in a plan's replicates as they run (each replicate's
//! index is built from its announcements, sifted at its end and let go, so a replicate's index
//! lives only while it runs), or in the event logs a run stored, one log a thread.

use std::time::{Duration, Instant};

use std::path::{Path, PathBuf};

use hailsham_outputs::{Estimate, estimate};
use hailsham_sift::{LiveSift, LogMetadata, Pattern, Sifted, log_files, rank, read_log};
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::error::RunError;
use crate::plan::Plan;
use crate::replicates::{Cancel, Progress};

/// A plan's replicates sifted: each one's matches, in replicate order, and where the time went.
#[derive(Debug)]
pub struct SiftedRun {
    /// Each replicate's matches and population.
    pub sifted: Vec<Sifted>,
    /// Seconds the replicates took to run, their indexes filling as they went (none for logs).
    pub seconds: f64,
    /// Time to finish the indexes after the runs, or to read the logs, summed over replicates.
    pub indexing: Duration,
    /// Time to match the pattern, summed over replicates.
    pub matching: Duration,
}

/// `pattern` over `plan`'s replicates, run on `pool`.
///
/// # Errors
/// What stopped the run: cancelled, a budget passed, a bug in the model.
pub fn sift(
    plan: &Plan,
    pattern: &Pattern,
    pool: &rayon::ThreadPool,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<SiftedRun, RunError> {
    let params = &plan.scenario.params;
    progress.planned(plan.steps());
    let started = Instant::now();
    let outcomes = crate::replicates::run(
        &plan.request(),
        pool,
        |replicate| Ok(LiveSift::new(params, replicate, pattern)),
        progress,
        cancel,
    )?;
    let seconds = started.elapsed().as_secs_f64();
    let indexing = outcomes.iter().map(|o| o.observer.indexing).sum();
    let matching = outcomes.iter().map(|o| o.observer.matching).sum();
    let sifted = outcomes
        .into_iter()
        .map(|o| {
            o.observer
                .into_sifted()
                .expect("every replicate is sifted at its last flush")
        })
        .collect();
    Ok(SiftedRun {
        sifted,
        seconds,
        indexing,
        matching,
    })
}

/// `pattern` over every event log (`log-NNN.parquet`) a run stored in `dir`, one log a thread
/// of `pool`, with what the first log's footer says of the run.
///
/// # Errors
/// [`RunError::NotARun`] for a folder without logs, or a log that cannot be read.
pub fn sift_logs(
    dir: &Path,
    pattern: &Pattern,
    pool: &rayon::ThreadPool,
) -> Result<(SiftedRun, LogMetadata), RunError> {
    let not_a_run = |e: hailsham_sift::LogError| RunError::NotARun {
        message: e.to_string(),
    };
    let files = log_files(dir).map_err(not_a_run)?;
    let results: Vec<Result<_, _>> = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let started = Instant::now();
                let (index, metadata) = read_log(path)?;
                let reading = started.elapsed();
                let started = Instant::now();
                let sifted = pattern.sift(&index);
                Ok::<_, hailsham_sift::LogError>((sifted, metadata, reading, started.elapsed()))
            })
            .collect()
    });
    let mut sifted = Vec::with_capacity(results.len());
    let mut first = None;
    let (mut indexing, mut matching) = (Duration::ZERO, Duration::ZERO);
    for result in results {
        let (one, metadata, read, matched) = result.map_err(not_a_run)?;
        indexing += read;
        matching += matched;
        first.get_or_insert(metadata);
        sifted.push(one);
    }
    Ok((
        SiftedRun {
            sifted,
            seconds: 0.0,
            indexing,
            matching,
        },
        first.unwrap_or_default(),
    ))
}

/// A pattern file may hold at most this many bytes.
const PATTERN_BYTES_MAX: u64 = 1 << 20;

/// The pattern an argument names, and what to call its source in messages: a named pattern,
/// else a file, else the text itself.
fn resolve(argument: &str, directory: &Path) -> Result<(String, String), RunError> {
    if let Some(text) = hailsham_sift::named(argument) {
        return Ok((text.to_string(), format!("patterns/{argument}.sift")));
    }
    let path = directory.join(argument);
    let path = path.as_path();
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.is_file()
    {
        if metadata.len() > PATTERN_BYTES_MAX {
            return Err(RunError::Scenarios(format!(
                "error: `{argument}` is larger than 1 MiB, the most a pattern file may hold\n"
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            RunError::Scenarios(format!(
                "error: cannot read pattern file `{argument}`: {e}\n"
            ))
        })?;
        return Ok((text, argument.to_string()));
    }
    // A single word that names no pattern and no file: say so, rather than parse it.
    let word = !argument.trim().is_empty()
        && !argument
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ':' | '?' | '(' | '='));
    if word {
        let shown: String = argument.chars().take(60).collect();
        let mut message = format!(
            "error: no pattern `{shown}`\n  = note: no named pattern and no file of that name\n"
        );
        if let Some(closest) = hailsham_sift::closest_named(argument) {
            message.push_str(&format!("  = help: did you mean `{closest}`?\n"));
        }
        let names: Vec<&str> = hailsham_sift::NAMED.iter().map(|(n, _)| *n).collect();
        message.push_str(&format!(
            "  = help: the named patterns are {}; or give a pattern file, or a pattern's text \
             such as \"c: completed ?x where number = 2\" (docs/patterns.md)\n",
            names.join(", ")
        ));
        return Err(RunError::Scenarios(message));
    }
    Ok((argument.to_string(), "<pattern>".to_string()))
}

/// The pattern `argument` names (a named pattern, a pattern file, read from `directory` when
/// relative, or a pattern's text), parsed.
///
/// # Errors
/// [`RunError::Scenarios`] with the problem rendered: no such pattern (with the closest name),
/// a file too large or unreadable, a pattern that does not parse (with its line).
pub fn pattern(argument: &str, directory: &Path) -> Result<Pattern, RunError> {
    let (text, file) = resolve(argument, directory)?;
    Pattern::parse(&text).map_err(|error| RunError::Scenarios(error.render(&file, &text)))
}

/// Where the announcements came from.
pub struct SiftSource {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario as typed, for the `life` command.
    pub scenario_argument: Option<String>,
    /// The scenario's hash, where known.
    pub hash: Option<String>,
    /// The master seed.
    pub seed: u64,
    /// The folder of the logs sifted, if they were stored.
    pub log: Option<PathBuf>,
}

/// The command that tells a match's life: from the stored log where the sift read one (the
/// fast way, and the log's own lives), else by running the replicate again.
pub fn life_command(source: &SiftSource, replicate: u32, id: u32) -> String {
    if let Some(log) = &source.log {
        return format!(
            "hailsham life {id} --log {} --replicate {replicate}",
            log.display()
        );
    }
    let scenario = source
        .scenario_argument
        .as_deref()
        .map(|s| format!(" {s}"))
        .unwrap_or_default();
    format!(
        "hailsham life {id}{scenario} --seed {} --replicate {replicate}",
        source.seed
    )
}

/// The matches, the population and the share matched, each over the replicates with its 95%
/// interval.
#[allow(clippy::cast_precision_loss)]
#[must_use]
pub fn sift_estimates(sifted: &[Sifted]) -> (Estimate, Estimate, Estimate) {
    let counts: Vec<f64> = sifted.iter().map(|s| s.matches.len() as f64).collect();
    let populations: Vec<f64> = sifted.iter().map(|s| s.population as f64).collect();
    let shares: Vec<f64> = sifted.iter().map(Sifted::share).collect();
    (estimate(&counts), estimate(&populations), estimate(&shares))
}

fn date(days: i32) -> String {
    let (y, m, d) = hailsham_table::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}
fn estimate_json(e: &Estimate) -> Value {
    json!({ "mean": e.mean, "low": e.low, "high": e.high, "n": e.n })
}

/// What a sift found, as the command line's `--format json` prints it and Python reads it:
/// the pattern, where the announcements came from, each replicate's counts, the estimates
/// with their intervals, and the `limit` most unusual matches (all with 0), ranked.
#[must_use]
pub fn sift_view(pattern: &Pattern, sifted: &[Sifted], source: &SiftSource, limit: usize) -> Value {
    let (counts, population, share) = sift_estimates(sifted);
    let ranked = rank(sifted);
    let shown = if limit == 0 {
        ranked.len()
    } else {
        limit.min(ranked.len())
    };
    let matches: Vec<Value> = ranked
        .iter()
        .take(shown)
        .enumerate()
        .map(|(i, r)| {
            let m = r.found;
            let people: serde_json::Map<String, Value> = m
                .people
                .iter()
                .map(|(name, id)| (name.clone(), json!(id)))
                .collect();
            let events: Vec<Value> = m
                .events
                .iter()
                .map(|e| json!({ "label": e.label, "kind": e.kind, "date": date(e.date), "seq": e.seq }))
                .collect();
            let properties: serde_json::Map<String, Value> = m
                .properties
                .pairs()
                .into_iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect();
            json!({
                "rank": i + 1,
                "score": r.score,
                "replicate": r.replicate,
                "id": m.id,
                "people": people,
                "events": events,
                "properties": properties,
                "life": life_command(source, r.replicate, m.id),
            })
        })
        .collect();
    let replicates: Vec<Value> = sifted
        .iter()
        .map(|s| {
            json!({
                "replicate": s.replicate,
                "matches": s.matches.len(),
                "population": s.population,
                "announcements": s.announcements,
            })
        })
        .collect();
    json!({
        "pattern": {
            "name": pattern.name,
            "about": pattern.about,
            "text": pattern.text,
            "counted": pattern.primary(),
            "variables": pattern.variables(),
            "clauses": pattern.labels(),
        },
        "source": {
            "scenario": source.scenario,
            "scenario_hash": source.hash,
            "seed": source.seed,
            "log": source.log.as_ref().map(|d| d.display().to_string()),
        },
        "replicates": replicates,
        "matches": estimate_json(&counts),
        "population": estimate_json(&population),
        "share": estimate_json(&share),
        "total": ranked.len(),
        "ranked": matches,
    })
}
