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

use hailsham_outputs::Estimate;
use hailsham_runner::{SiftSource, sift_estimates};
use hailsham_sift::{Pattern, Ranked, Sifted, rank};

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

pub(crate) fn sift(args: &SiftArgs) -> Result<(), Failure> {
    let pattern = hailsham_runner::pattern(&args.pattern, Path::new(""))?;
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
        SiftFormat::Json => {
            let document = hailsham_runner::sift_view(&pattern, &sifted, &source, args.limit);
            let text = serde_json::to_string_pretty(&document)
                .map_err(|e| Failure::Output(anyhow::anyhow!("cannot render JSON: {e}")))?;
            writeln!(out, "{text}")?;
        }
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
) -> Result<(Vec<Sifted>, SiftSource), Failure> {
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
        SiftSource {
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
) -> Result<(Vec<Sifted>, SiftSource), Failure> {
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
        SiftSource {
            scenario_argument: (scenario != "novel").then(|| scenario.clone()),
            scenario,
            hash: metadata.scenario_hash,
            seed: metadata.seed.unwrap_or(1),
            log: Some(dir.to_path_buf()),
        },
    ))
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

fn write_text(
    out: &mut impl Write,
    pattern: &Pattern,
    sifted: &[Sifted],
    source: &SiftSource,
    limit: usize,
) -> Result<(), Failure> {
    let (counts, population, share) = sift_estimates(sifted);
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
    source: &SiftSource,
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
        hailsham_runner::life_command(source, r.replicate, m.id)
    )?;
    Ok(())
}
