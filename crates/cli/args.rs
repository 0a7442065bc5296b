//! The command line, as typed.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

const EXIT_CODES: &str = "Exit codes: 0 success; 2 wrong command line; 3 wrong scenario file; \
     4 output not written; 5 budget exceeded; 6 interrupted; 70 a bug in the model.";

/// Run the world of Kazuo Ishiguro's *Never Let Me Go*: the homes, the Cottages, the carers,
/// the donations. Change one of its rules in a scenario file and see what follows.
#[derive(Debug, Parser)]
#[command(name = "hailsham", version, about, after_help = EXIT_CODES)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run a scenario over several replicates and print its figures with 95% intervals.
    Run(RunArgs),
    /// Check scenario files without running them.
    Check(CheckArgs),
    /// List every parameter with its value, unit, tag and source.
    Params(ParamsArgs),
    /// List the scenarios bundled into hailsham, each with the question it asks.
    Scenarios,
    /// Measure speed and memory: the figures of BENCHMARKS.md.
    Bench(BenchArgs),
    /// Run scenarios with the same seeds and print their figures side by side, with each
    /// difference from the first and its 95% interval.
    Compare(CompareArgs),
    /// Run a scenario and the one it is compared with, and write one HTML page: the question,
    /// the change, the figures with intervals, the charts and a paragraph on what moved.
    Report(ReportArgs),
    /// Answer the reviewers' questions: each bundled scenario that asks one runs against
    /// `novel` with the same seeds, and its answer is said in a sentence.
    Questions(QuestionsArgs),
    /// Tell one clone's life as a short story (and, with --against, the same clone's life
    /// under another scenario, and where the two part).
    Life(LifeArgs),
    /// Find the lives that fit a pattern (docs/patterns.md) in live replicates or stored logs:
    /// matches per replicate with a 95% interval, the most unusual first, each with the
    /// command that tells its life.
    Sift(crate::sift::SiftArgs),
    /// List the runs the run store holds (docs/store.md), newest first.
    Runs(RunsArgs),
    /// Print one stored run: its head, and its figures as `run` printed them.
    Show(ShowArgs),
    /// Start the page for readers on this machine (docs/serve.md): the questions, a scenario
    /// editor, runs with progress, charts, the people and their lives, over the run store.
    Serve(crate::serve::ServeArgs),
    /// Run a scenario at every point of a design over some of its parameters (a sweep file,
    /// docs/sweeps.md), resuming what the run store holds, and write one table: a row per
    /// point and replicate. Sobol and Morris designs say how much each parameter matters.
    Sweep(crate::sweep::SweepArgs),
}

/// How a life is printed.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LifeFormat {
    /// The story, in English.
    Text,
    /// The life as data: who, every announcement, the story's sentences and their sources.
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct LifeArgs {
    /// The clone's id (ids are given in order of creation from 0; `hailsham run --out` lists
    /// them in the person records).
    pub id: u32,
    /// Scenario: a TOML file or a bundled name. Default: `novel` (with --log, the scenario the
    /// log's metadata.json names).
    pub scenario: Option<String>,
    /// Tell the same clone (same id, same random numbers) under this scenario too, side by
    /// side, and say where the two lives part. With --log, the other scenario is run (with the
    /// log's seed and years); the stored life is read.
    #[arg(long)]
    pub against: Option<String>,
    /// Read the life from the event log a run stored (DIR/log-NNN.parquet, from `hailsham run
    /// --out DIR --log`) instead of running the replicate again: the same story, in
    /// milliseconds. DIR's metadata.json gives the scenario and the seed.
    #[arg(long, value_name = "DIR")]
    pub log: Option<PathBuf>,
    /// Master seed, as for `run` (default 1; with --log, the log's, and a different one is
    /// refused).
    #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// Which replicate's world the clone lives in (with --log, which log-NNN.parquet).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..10_000))]
    pub replicate: u32,
    /// Stop at the start of this year (overrides the scenario's `time.end_year`). Not with
    /// --log: a stored run ended where it ended.
    #[arg(long, value_parser = clap::value_parser!(i64).range(1901..=2300), conflicts_with = "log")]
    pub until: Option<i64>,
    /// Print each sentence with the announcements it tells.
    #[arg(long)]
    pub explain: bool,
    /// Text, or JSON for programs.
    #[arg(long, value_enum, default_value_t = LifeFormat::Text)]
    pub format: LifeFormat,
}

#[derive(Debug, clap::Args)]
pub(crate) struct BenchArgs {
    /// Events to time the engine alone on.
    #[arg(long, default_value_t = 100_000_000)]
    pub engine_events: u64,
    /// Replicates for the one-thread-against-two comparison.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub replicates: u32,
    /// Seed of the runs.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true, value_parser = parse_seed)]
    pub seed: u64,
    /// Also run the `world` scenario (scenarios/world.toml, a hundred times England), in a
    /// process of its own so its memory and the other timings do not disturb each other.
    #[arg(long)]
    pub world: bool,
    /// Run only the world section (what `--world` starts in a child process).
    #[arg(long, hide = true)]
    pub world_only: bool,
    /// Run England once as `hailsham run -r 1` writes these files, and print the wall time and
    /// the most memory held (what the files section starts in a child process per timing).
    #[arg(long, hide = true, value_enum)]
    pub files_only: Option<BenchFiles>,
    /// Timings of each configuration in the files section; the median and the range are
    /// printed.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub files_timings: u32,
}

/// The files an England run writes in `hailsham bench`'s files section.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum BenchFiles {
    /// No folder: the figures alone, as `hailsham run -r 1`.
    None,
    /// A folder with the person records, as `hailsham run -r 1 --out DIR`.
    Records,
    /// The person records and the full event log, as `hailsham run -r 1 --out DIR --log`.
    Log,
}

/// What every command that runs scenarios takes: the same seed, replicates, years, threads.
#[derive(Clone, Debug, clap::Args)]
pub(crate) struct RunOptions {
    /// Master seed; replicate k of every scenario uses the streams keyed by (seed, k), so
    /// scenarios run together share their random numbers.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true, value_parser = parse_seed)]
    pub seed: u64,
    /// Replicates of each scenario: figures are means with 95% intervals over them, and
    /// differences between scenarios are paired replicate by replicate.
    #[arg(long, short = 'r', default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub replicates: u32,
    /// Stop at the start of this year (overrides each scenario's `time.end_year`).
    #[arg(long, value_parser = clap::value_parser!(i64).range(1901..=2300))]
    pub until: Option<i64>,
    #[command(flatten)]
    pub running: Running,
}

/// How any command that runs the model runs: its threads, its bar, its limits, its store.
#[derive(Clone, Debug, clap::Args)]
pub(crate) struct Running {
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Run even above the size limits (16 GiB held at once, 50 GB written: see the README's
    /// "Limits"); without it, a run that would pass them is refused before it starts.
    #[arg(long)]
    pub large: bool,
    /// Stop (exit code 5, no output left) if any replicate handles more events than this.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub events_max: Option<u64>,
    #[command(flatten)]
    pub store: StoreOptions,
}

/// Where runs are recorded, and whether one already recorded may be served.
#[derive(Clone, Debug, clap::Args)]
pub(crate) struct StoreOptions {
    /// The run store, an SQLite file that records every run (docs/store.md). Default:
    /// $HAILSHAM_STORE (`off` for none), else $XDG_DATA_HOME/hailsham/runs.sqlite, else
    /// ~/.local/share/hailsham/runs.sqlite.
    #[arg(long, value_name = "PATH", conflicts_with = "no_store")]
    pub store: Option<PathBuf>,
    /// Record nothing in the run store, and serve nothing from it.
    #[arg(long)]
    pub no_store: bool,
    /// Run even if the run store holds the same request complete (without it, a run asked
    /// for nothing but its table is served from the store).
    #[arg(long)]
    pub fresh: bool,
}

/// How `runs` and `show` print.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ListFormat {
    /// A table for a person.
    Text,
    /// JSON for programs.
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct RunsArgs {
    /// The run store (default as for `run`: $HAILSHAM_STORE, else the XDG data folder).
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// Text, or JSON for programs.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// The run's id, as `hailsham runs` lists it.
    pub run: hailsham_store::RunId,
    /// The run store (default as for `run`: $HAILSHAM_STORE, else the XDG data folder).
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// Text, or JSON for programs (the head, the scenario's text and every figure).
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// The file format of the tables a run writes: the series, the person records and the log.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum TableFormat {
    /// Apache Parquet: typed columns that pandas, polars, DuckDB and Arrow read natively.
    Parquet,
    /// Comma-separated text.
    Csv,
}

impl From<TableFormat> for hailsham_table::Format {
    fn from(format: TableFormat) -> hailsham_table::Format {
        match format {
            TableFormat::Parquet => hailsham_table::Format::Parquet,
            TableFormat::Csv => hailsham_table::Format::Csv,
        }
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// Scenario: a TOML file, or a name in scenarios/ (e.g. `novel`). Default: `novel`.
    pub scenario: Option<String>,
    /// Write summary.json, metadata.json, series.parquet and people-NNN.parquet to this
    /// directory (and log-NNN.parquet with --log; .csv with --format csv).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace the output directory if it exists.
    #[arg(long)]
    pub force: bool,
    /// Do not write one record per person (faster; the summary is the same).
    #[arg(long)]
    pub no_records: bool,
    /// Also draw charts (SVG and PNG) into DIR/plots/.
    #[arg(long)]
    pub plot: bool,
    /// Also write the event log: every announcement of every life, one row each, into
    /// DIR/log-NNN.parquet (docs/log.md lists the kinds and columns).
    #[arg(long)]
    pub log: bool,
    /// The format of the series, the person records and the log: Parquet (typed columns that
    /// pandas, polars, DuckDB and Arrow read natively) or CSV.
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
    #[command(flatten)]
    pub options: RunOptions,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// Scenario files (or names in scenarios/) to check.
    #[arg(required = true)]
    pub scenarios: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ParamsArgs {
    /// Scenario whose values to show (default: `novel`); values it changes are marked `*`.
    pub scenario: Option<String>,
    /// Print the documented `novel` scenario as TOML instead (this is scenarios/novel.toml).
    #[arg(long, conflicts_with = "scenario")]
    pub toml: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CompareArgs {
    /// Scenarios (TOML files, or names in scenarios/); the first is the one compared against.
    #[arg(required = true, num_args = 2..)]
    pub scenarios: Vec<String>,
    /// Write comparison.json, metadata.json and each scenario's summary and series here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace the output directory if it exists.
    #[arg(long)]
    pub force: bool,
    /// Also draw charts of the scenarios overlaid (SVG and PNG) into DIR/plots/.
    #[arg(long)]
    pub plot: bool,
    /// The format of each scenario's series: Parquet or CSV.
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
    #[command(flatten)]
    pub options: RunOptions,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// The scenario to report on: a TOML file, or a name in scenarios/.
    pub scenario: String,
    /// The scenario to compare it with.
    #[arg(long, default_value = "novel")]
    pub against: String,
    /// The HTML file to write (default: report-<scenario>.html).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub options: RunOptions,
}

/// How `questions` prints its answers.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum QuestionsFormat {
    /// Each question, and under it its answer in a sentence.
    Text,
    /// The questions, verdicts and every sentence of each answer, for programs.
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct QuestionsArgs {
    /// Text, or JSON for programs.
    #[arg(long, value_enum, default_value_t = QuestionsFormat::Text)]
    pub format: QuestionsFormat,
    /// Also say how far each answer holds over the plausible worlds (every assumption varied
    /// over the range sweeps/plausible.toml gives it): the share of worlds where it holds,
    /// where it reverses, and the assumptions that move it most, with their Sobol indices.
    /// Some ten thousand runs of a fifth of England, recorded in the run store as they go:
    /// minutes the first time, and `questions` says it again from the store after.
    #[arg(long)]
    pub robust: bool,
    #[command(flatten)]
    pub options: RunOptions,
}

/// A seed: a whole number from 0 to 2^64 - 1, said plainly when it is not one (a negative
/// number would otherwise be taken for a flag, and the hint to write `-- -1` misleads).
fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim().parse::<u64>().map_err(|_| {
        format!(
            "a seed is a whole number from 0 to {} (got `{text}`)",
            u64::MAX
        )
    })
}

/// Refuses flags that write into an output folder when no `--out` names one.
pub(crate) fn needs_out(
    out: Option<&std::path::Path>,
    flags: &[(&str, bool)],
) -> Result<(), String> {
    if out.is_some() {
        return Ok(());
    }
    let given: Vec<&str> = flags
        .iter()
        .filter(|(_, on)| *on)
        .map(|(f, _)| *f)
        .collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(format!(
        "error: {} {} the output folder: add --out DIR (for example --out out/run)\n",
        given.join(", "),
        if given.len() == 1 {
            "works on"
        } else {
            "work on"
        }
    ))
}
