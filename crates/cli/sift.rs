//! `hailsham sift PATTERN [SCENARIO]`: find the lives that fit a pattern (docs/patterns.md),
//! in live replicates or in the event logs a run stored, count them per replicate with a 95%
//! interval, and list the most unusual, each with the command that tells its life.
//!
//! Determinism: each replicate is sifted on its own and the results come back in replicate
//! order; the ranking is a total order (score, then replicate, then id). So what is printed
//! does not depend on the number of threads. Timings go to standard error only.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use hailsham_outputs::{Estimate, estimate};
use hailsham_sift::{Pattern, Ranked, Sifted, rank};
use serde_json::{Value, json};

use crate::Failure;
use crate::args::RunOptions;
use crate::params::load;
use crate::run::Progress;

/// How sifted matches are printed.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SiftFormat {
    /// A table for people.
    Text,
    /// Every figure and the ranked matches as JSON, for programs.
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct SiftArgs {
    /// A named pattern (narrator, ruth, tommy, refused, cared-for-partner, never-found), a
    /// pattern file, or a pattern's text (docs/patterns.md).
    pub pattern: String,
    /// Scenario to run: a TOML file or a bundled name. Default: `novel`.
    #[arg(conflicts_with = "log")]
    pub scenario: Option<String>,
    /// Sift the event logs a run stored (DIR/log-NNN.parquet, from `hailsham run --out DIR
    /// --log`) instead of running; their footers give the scenario and the seed.
    #[arg(long, value_name = "DIR")]
    pub log: Option<PathBuf>,
    /// Text, or JSON for programs.
    #[arg(long, value_enum, default_value_t = SiftFormat::Text)]
    pub format: SiftFormat,
    /// How many of the most unusual matches to list (0 for all).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[command(flatten)]
    pub options: RunOptions,
}

/// A pattern file may hold at most this many bytes.
const PATTERN_BYTES_MAX: u64 = 1 << 20;

/// The pattern an argument names, and what to call its source in messages: a named pattern,
/// else a file, else the text itself.
fn resolve(argument: &str) -> Result<(String, String), Failure> {
    if let Some(text) = hailsham_sift::named(argument) {
        return Ok((text.to_string(), format!("patterns/{argument}.sift")));
    }
    let path = Path::new(argument);
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.is_file()
    {
        if metadata.len() > PATTERN_BYTES_MAX {
            return Err(Failure::Scenario(format!(
                "error: `{argument}` is larger than 1 MiB, the most a pattern file may hold\n"
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::Scenario(format!(
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
        return Err(Failure::Scenario(message));
    }
    Ok((argument.to_string(), "<pattern>".to_string()))
}

/// Where the announcements came from.
struct Source {
    scenario: String,
    /// The scenario as typed, for the `life` command.
    scenario_argument: Option<String>,
    hash: Option<String>,
    seed: u64,
    log: Option<PathBuf>,
}

pub(crate) fn sift(args: &SiftArgs) -> Result<(), Failure> {
    let (text, file) = resolve(&args.pattern)?;
    let pattern =
        Pattern::parse(&text).map_err(|error| Failure::Scenario(error.render(&file, &text)))?;
    let pool =
        hailsham_runner::thread_pool(args.options.running.threads.map(|threads| threads as usize))?;
    let started = Instant::now();
    let (sifted, source) = match &args.log {
        Some(dir) => stored(&pattern, dir, &pool)?,
        None => live(&pattern, args, &pool)?,
    };
    let elapsed = started.elapsed();
    let mut out = io::stdout().lock();
    match args.format {
        SiftFormat::Text => write_text(&mut out, &pattern, &sifted, &source, args.limit)?,
        SiftFormat::Json => write_json(&mut out, &pattern, &sifted, &source, args.limit)?,
    }
    let announcements: u64 = sifted.iter().map(|s| s.announcements).sum();
    eprintln!(
        "sifted {} replicate{} ({announcements} announcements) in {:.2} s on {} thread{}",
        sifted.len(),
        if sifted.len() == 1 { "" } else { "s" },
        elapsed.as_secs_f64(),
        pool.current_num_threads(),
        if pool.current_num_threads() == 1 {
            ""
        } else {
            "s"
        },
    );
    Ok(())
}

fn live(
    pattern: &Pattern,
    args: &SiftArgs,
    pool: &rayon::ThreadPool,
) -> Result<(Vec<Sifted>, Source), Failure> {
    let plan = crate::run::plan(load(args.scenario.as_deref())?, &args.options)?;
    let progress = Progress::new(!args.options.running.quiet);
    let sifted =
        hailsham_runner::sift(&plan, pattern, pool, &progress, &crate::interrupt::cancel());
    progress.finish();
    let sifted = sifted?;
    let count = sifted.sifted.len();
    eprintln!(
        "ran {count} replicate{} with the index filling in {:.2} s; finishing the indexes took {:.3} s \
         and matching {:.3} s (summed over replicates)",
        if count == 1 { "" } else { "s" },
        sifted.seconds,
        sifted.indexing.as_secs_f64(),
        sifted.matching.as_secs_f64()
    );
    Ok((
        sifted.sifted,
        Source {
            scenario: plan.scenario.name.clone(),
            scenario_argument: args.scenario.clone(),
            hash: Some(plan.scenario.hash()),
            seed: args.options.seed,
            log: None,
        },
    ))
}

fn stored(
    pattern: &Pattern,
    dir: &Path,
    pool: &rayon::ThreadPool,
) -> Result<(Vec<Sifted>, Source), Failure> {
    let (sifted, metadata) = hailsham_runner::sift_logs(dir, pattern, pool)?;
    eprintln!(
        "read {} log{} in {:.3} s; matching took {:.3} s",
        sifted.sifted.len(),
        if sifted.sifted.len() == 1 { "" } else { "s" },
        sifted.indexing.as_secs_f64(),
        sifted.matching.as_secs_f64()
    );
    let scenario = metadata.scenario.unwrap_or_else(|| "novel".to_string());
    Ok((
        sifted.sifted,
        Source {
            scenario_argument: (scenario != "novel").then(|| scenario.clone()),
            scenario,
            hash: metadata.scenario_hash,
            seed: metadata.seed.unwrap_or(1),
            log: Some(dir.to_path_buf()),
        },
    ))
}

/// The command that tells a match's life: from the stored log where the sift read one (the
/// fast way, and the log's own lives), else by running the replicate again.
fn life_command(source: &Source, replicate: u32, id: u32) -> String {
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

#[allow(clippy::cast_precision_loss)]
fn estimates(sifted: &[Sifted]) -> (Estimate, Estimate, Estimate) {
    let counts: Vec<f64> = sifted.iter().map(|s| s.matches.len() as f64).collect();
    let populations: Vec<f64> = sifted.iter().map(|s| s.population as f64).collect();
    let shares: Vec<f64> = sifted.iter().map(Sifted::share).collect();
    (estimate(&counts), estimate(&populations), estimate(&shares))
}

fn interval(e: &Estimate, scale: f64, decimals: usize, unit: &str) -> String {
    if e.mean.is_nan() {
        return "n/a".to_string();
    }
    let mean = format!("{:.decimals$}{unit}", e.mean * scale);
    if e.low.is_nan() {
        return format!("{mean} (one replicate: no interval)");
    }
    format!(
        "{mean} (95% interval {:.decimals$}{unit} to {:.decimals$}{unit})",
        e.low * scale,
        e.high * scale
    )
}

fn date(days: i32) -> String {
    let (y, m, d) = hailsham_table::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn write_text(
    out: &mut impl Write,
    pattern: &Pattern,
    sifted: &[Sifted],
    source: &Source,
    limit: usize,
) -> Result<(), Failure> {
    let (counts, population, share) = estimates(sifted);
    writeln!(
        out,
        "{}{}",
        pattern.name,
        pattern
            .about
            .as_deref()
            .map(|a| format!(": {a}"))
            .unwrap_or_default()
    )?;
    let from = match &source.log {
        Some(dir) => format!(" · logs in {}", dir.display()),
        None => String::new(),
    };
    writeln!(
        out,
        "{} · seed {} · {} replicate{}{}{}",
        source.scenario,
        source.seed,
        sifted.len(),
        if sifted.len() == 1 { "" } else { "s" },
        source
            .hash
            .as_deref()
            .map(|h| format!(" · scenario hash {}", &h[..h.len().min(12)]))
            .unwrap_or_default(),
        from
    )?;
    writeln!(out)?;
    let per: Vec<String> = sifted.iter().map(|s| s.matches.len().to_string()).collect();
    writeln!(
        out,
        "distinct ?{} per replicate: {}",
        pattern.primary(),
        per.join(", ")
    )?;
    writeln!(out, "mean: {}", interval(&counts, 1.0, 1, ""))?;
    writeln!(
        out,
        "population: {:.1} a replicate, the ?{} of `{}` announcements that meet the first \
         clause's conditions on who ?{} is (home, house, birth, blood group)",
        population.mean,
        pattern.primary(),
        pattern.kinds()[pattern.first_clause()],
        pattern.primary(),
    )?;
    writeln!(out, "share: {}", interval(&share, 100.0, 2, "%"))?;
    let ranked = rank(sifted);
    if ranked.is_empty() {
        writeln!(out, "\nno matches")?;
        return Ok(());
    }
    let shown = if limit == 0 {
        ranked.len()
    } else {
        limit.min(ranked.len())
    };
    writeln!(
        out,
        "\nthe {shown} most unusual of {} matches (rarest home, half-way house, decade of birth, \
         donations and years as a carer among them):",
        ranked.len()
    )?;
    let width = shown.to_string().len();
    for (i, r) in ranked.iter().take(shown).enumerate() {
        write_ranked(out, i + 1, width, r, source)?;
    }
    Ok(())
}

fn write_ranked(
    out: &mut impl Write,
    place: usize,
    width: usize,
    r: &Ranked<'_>,
    source: &Source,
) -> Result<(), Failure> {
    let m = r.found;
    let people: Vec<String> = m
        .people
        .iter()
        .map(|(name, id)| format!("?{name} {id}"))
        .collect();
    let p = &m.properties;
    writeln!(
        out,
        "{place:>width$}. {:.2}  replicate {}, {}: {}, {}, born {}, {} donation{}, {}",
        r.score,
        r.replicate,
        people.join(", "),
        p.home,
        p.house,
        p.born,
        p.donations,
        if p.donations == 1 { "" } else { "s" },
        if p.carer_years == "not a carer" {
            p.carer_years.clone()
        } else {
            format!("carer {} years", p.carer_years)
        }
    )?;
    writeln!(
        out,
        "{:width$}  {}",
        "",
        life_command(source, r.replicate, m.id)
    )?;
    Ok(())
}

fn estimate_json(e: &Estimate) -> Value {
    json!({ "mean": e.mean, "low": e.low, "high": e.high, "n": e.n })
}

fn write_json(
    out: &mut impl Write,
    pattern: &Pattern,
    sifted: &[Sifted],
    source: &Source,
    limit: usize,
) -> Result<(), Failure> {
    let (counts, population, share) = estimates(sifted);
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
    let document = json!({
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
    });
    let text = serde_json::to_string_pretty(&document)
        .map_err(|e| Failure::Output(anyhow::anyhow!("cannot render JSON: {e}")))?;
    writeln!(out, "{text}")?;
    Ok(())
}
