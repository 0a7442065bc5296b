//! `hailsham sweep FILE`: a sweep file read by the library into a plan, sized, run (resuming
//! what the run store holds of it) and written as one table; here are the terminal's parts:
//! the progress bar, the summary of one figure over the points and, for Sobol and Morris
//! designs, how much each parameter moves it.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use hailsham_outputs::{FIGURES, estimate, printed};
use hailsham_runner::{SweepPlan, SweepReading, Swept, read_design};
use hailsham_scenario::Values;
use hailsham_table::Format;

use crate::Failure;
use crate::args::{Running, TableFormat};
use crate::run::Progress;

#[derive(Debug, clap::Args)]
pub(crate) struct SweepArgs {
    /// The sweep file (TOML; docs/sweeps.md): its base scenario, the parameters it varies
    /// and how, its design, replicates and seed.
    pub file: PathBuf,
    /// Write the sweep's table here: a row per point and replicate, the parameters and every
    /// figure as columns (Parquet, or CSV for a name ending `.csv`).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the table if it exists.
    #[arg(long)]
    pub force: bool,
    /// The table's format (default: from the name given to --out).
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
    /// The figure the summary reads over the points (default: the one the base scenario's
    /// answer judges, else `waiting_deaths`).
    #[arg(long, value_name = "KEY")]
    pub figure: Option<String>,
    #[command(flatten)]
    pub running: Running,
}

pub(crate) fn sweep(args: &SweepArgs) -> Result<(), Failure> {
    let mut plan = SweepPlan::load(&args.file)?;
    let figure = figure_of(args, &plan)?;
    let out = match &args.out {
        Some(path) => Some((path.as_path(), format_of(path, args.format))),
        None => {
            if args.force || args.format.is_some() {
                return Err(Failure::Usage(
                    "error: --force and --format go with --out FILE\n".to_string(),
                ));
            }
            None
        }
    };
    if let Some((path, _)) = out
        && path.exists()
        && !args.force
    {
        return Err(Failure::Usage(format!(
            "error: {} exists; add --force to replace it\n",
            path.display()
        )));
    }
    plan.threads = args.running.threads.map(|threads| threads as usize);
    plan.budget.events_max = args.running.events_max;
    let limits = crate::run::limits(&args.running);
    if let Some((path, _)) = out {
        crate::interrupt::remove_on_forced_exit(partial(path));
    }
    let mut recorder = crate::store::recorder(&args.running.store);
    let progress = Progress::new(!args.running.quiet);
    hailsham_runner::Progress::running(&progress, &plan.sweep.name);
    let swept = hailsham_runner::sweep(
        &mut plan,
        &limits,
        out,
        &[figure],
        &mut recorder,
        &progress,
        &crate::interrupt::cancel(),
    );
    progress.finish();
    let swept = swept?;
    let mut stdout = io::stdout().lock();
    write!(stdout, "{}", summary(&plan, &swept, figure))?;
    eprintln!(
        "{} runs: {} run now in {:.2} s on {} thread{}, {} from the run store{}",
        swept.runs,
        swept.ran,
        swept.seconds,
        swept.threads,
        if swept.threads == 1 { "" } else { "s" },
        swept.resumed,
        recorder
            .path()
            .map_or_else(String::new, |path| format!(" ({})", path.display()))
    );
    match &swept.table {
        Some(path) => eprintln!("wrote {}", path.display()),
        None => eprintln!("(add --out FILE.parquet to write a row per point and replicate)"),
    }
    Ok(())
}

/// The table's partial file, as the runner names it: removed if a second Ctrl-C ends the
/// process.
fn partial(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "sweep".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.partial"))
}

fn format_of(path: &Path, format: Option<TableFormat>) -> Format {
    match format {
        Some(format) => format.into(),
        None if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv")) =>
        {
            Format::Csv
        }
        None => Format::Parquet,
    }
}

/// The figure the summary reads: the flag's, the base's judged figure, or deaths waiting.
fn figure_of(args: &SweepArgs, plan: &SweepPlan) -> Result<usize, Failure> {
    plan.figure(args.figure.as_deref())
        .map_err(|(key, closest)| {
            let suggestion =
                closest.map_or_else(String::new, |s| format!("\n  help: did you mean `{s}`?"));
            Failure::Usage(format!(
                "error: --figure `{}` is no figure of a run (the keys of summary.json){suggestion}\n",
                hailsham_runner::RunError::shown(&key)
            ))
        })
}

/// A value of figure `figure` as the tables print it.
fn shown(figure: usize, value: f64) -> String {
    printed(&estimate(&[value]), FIGURES[figure].unit).mean
}

/// The summary: what ran, the figure over the points, and the design's reading of it.
pub fn summary(plan: &SweepPlan, swept: &Swept, figure: usize) -> String {
    use std::fmt::Write as _;
    let sweep = &plan.sweep;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "sweep {} · {} · {} points × {} replicate{} · base {} (scenario hash {}) · seed {} · sweep hash {}",
        sweep.name,
        sweep.design.kind(),
        plan.len(),
        sweep.replicates,
        if sweep.replicates == 1 { "" } else { "s" },
        sweep.base.name,
        &sweep.base.hash()[..12],
        sweep.seed,
        &swept.hash[..12]
    );
    for axis in &sweep.axes {
        let values = match &axis.values {
            Values::Range { low, high, log } => format!(
                "{low} to {high}{}",
                if *log {
                    ", evenly over its logarithm"
                } else {
                    ""
                }
            ),
            Values::List(values) => values
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        };
        let _ = writeln!(text, "  {:<44} {values}", axis.spec.path());
    }
    let outputs = swept.figure(figure).unwrap_or_default();
    let mut sorted: Vec<f64> = outputs.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let label = FIGURES[figure].label;
    let key = FIGURES[figure].key;
    let _ = writeln!(text);
    if sorted.is_empty() {
        let _ = writeln!(text, "{label} (`{key}`) is undefined at every point");
        return text;
    }
    let quantile = |q: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let at = ((sorted.len() - 1) as f64 * q).round() as usize;
        sorted[at]
    };
    let _ = writeln!(
        text,
        "{label} (`{key}`), the mean of each point's replicates, over the {} points: lowest {}, \
         median {}, highest {}",
        sorted.len(),
        shown(figure, sorted[0]),
        shown(figure, quantile(0.5)),
        shown(figure, sorted[sorted.len() - 1])
    );
    if sorted.len() < outputs.len() {
        let _ = writeln!(
            text,
            "  ({} points where it is undefined are left out)",
            outputs.len() - sorted.len()
        );
        return text;
    }
    match read_design(&plan.reading, &outputs, sweep.seed) {
        Ok(SweepReading::Spread) => {}
        Ok(SweepReading::Sobol(indices)) => {
            let _ = writeln!(
                text,
                "\nSobol indices of `{key}` (share of its variance over the sweep; 95% bootstrap intervals):"
            );
            let _ = writeln!(
                text,
                "  {:<44} {:>22}  {:>22}",
                "parameter", "first order", "total"
            );
            for (axis, index) in sweep.axes.iter().zip(indices) {
                let cell =
                    |value: f64, low: f64, high: f64| format!("{value:.2} ({low:.2} to {high:.2})");
                let _ = writeln!(
                    text,
                    "  {:<44} {:>22}  {:>22}",
                    axis.spec.path(),
                    cell(index.first.value, index.first.low, index.first.high),
                    cell(index.total.value, index.total.low, index.total.high)
                );
            }
        }
        Ok(SweepReading::Morris(effects)) => {
            let _ = writeln!(
                text,
                "\nMorris elementary effects on `{key}` (a parameter's whole range, in the figure's unit; most first):"
            );
            let _ = writeln!(
                text,
                "  {:<44} {:>14} {:>14} {:>14}",
                "parameter", "μ*", "μ", "σ"
            );
            let mut rows: Vec<_> = sweep.axes.iter().zip(effects).collect();
            rows.sort_by(|a, b| b.1.mu_star.total_cmp(&a.1.mu_star));
            for (axis, effect) in rows {
                let _ = writeln!(
                    text,
                    "  {:<44} {:>14} {:>14} {:>14}",
                    axis.spec.path(),
                    shown(figure, effect.mu_star),
                    shown(figure, effect.mu),
                    shown(figure, effect.sigma)
                );
            }
        }
        Err(error) => {
            let _ = writeln!(text, "  (no reading of the design: {error})");
        }
    }
    text
}
