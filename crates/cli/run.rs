//! `hailsham run`: the flags made a plan and an order, run by the library
//! (`hailsham_runner::run`), the figures printed as a table, the charts drawn into the folder.
//! What runs, what is written and recorded is the runner's; here are the terminal's parts: the
//! progress bar, the notes on standard error, and the table.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use hailsham_outputs::{OutputDir, render_table};
use hailsham_report::{PlotRun, charts, write_charts};
use hailsham_runner::{Cost, Done, Limits, Order, Plan, Years, gigabytes};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::Failure;
use crate::args::{RunArgs, RunOptions, Running, TableFormat};
use crate::params::load;

/// A progress bar that shows itself only once a run has taken more than a second, and the
/// notes a run's size calls for.
pub(crate) struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: AtomicBool,
    enabled: bool,
}

impl Progress {
    pub(crate) fn new(enabled: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} replicate-years, {eta} left",
            )
            .expect("the template is valid")
            .progress_chars("=> "),
        );
        Progress {
            bar,
            start: Instant::now(),
            shown: AtomicBool::new(false),
            enabled,
        }
    }

    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl hailsham_runner::Progress for Progress {
    fn year_done(&self) {
        self.bar.inc(1);
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed().as_secs_f64() > 1.0
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn planned(&self, steps: u64) {
        self.bar.set_length(steps);
    }

    fn running(&self, name: &str) {
        self.bar.set_message(name.to_string());
    }

    fn sized(&self, name: &str, cost: &Cost) {
        if cost.worth_a_note() {
            eprintln!(
                "note: scenario `{name}` plans {:.0} clones a replicate; this run will write about \
                 {}, hold about {} and take about {:.0} minutes",
                cost.clones,
                gigabytes(cost.output_bytes),
                gigabytes(cost.memory_bytes),
                (cost.seconds / 60.0).ceil()
            );
        }
    }
}

/// The plan the run options give for `scenario`: seed, replicates, `--until`, threads and the
/// events budget.
pub(crate) fn plan(
    scenario: hailsham_scenario::Scenario,
    options: &RunOptions,
) -> Result<Plan, Failure> {
    let mut plan = Plan::new(scenario, options.seed, options.replicates).until(options.until)?;
    plan.threads = options.running.threads.map(|threads| threads as usize);
    plan.budget.events_max = options.running.events_max;
    Ok(plan)
}

/// The limits a command runs under: none with `--large`.
pub(crate) fn limits(running: &Running) -> Limits {
    if running.large {
        Limits::NONE
    } else {
        Limits::COMMAND_LINE
    }
}

/// The title over a run's table: what `run` prints and `show` prints again.
pub fn title(scenario: &str, seed: u64, replicates: u32, years: Years, hash: &str) -> String {
    format!(
        "{scenario} · seed {seed} · {replicates} replicate{} · {} · scenario hash {}",
        if replicates == 1 { "" } else { "s" },
        years.text("-"),
        hash.get(..12).unwrap_or(hash)
    )
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

pub(crate) fn run(args: &RunArgs) -> Result<(), Failure> {
    crate::args::needs_out(
        args.out.as_deref(),
        &[
            ("--force", args.force),
            ("--no-records", args.no_records),
            ("--plot", args.plot),
            ("--log", args.log),
            ("--format", args.format.is_some()),
        ],
    )
    .map_err(Failure::Usage)?;
    let mut plan = plan(load(args.scenario.as_deref())?, &args.options)?;
    let title = title(
        &plan.scenario.name,
        plan.seed,
        plan.replicates,
        plan.years(),
        &plan.scenario.hash(),
    );
    if let Some(temporary) = args.out.as_deref().and_then(OutputDir::temporary_for) {
        crate::interrupt::remove_on_forced_exit(temporary);
    }
    let mut recorder = crate::store::recorder(&args.options.running.store);
    let progress = Progress::new(!args.options.running.quiet);
    let done = hailsham_runner::run(
        &mut plan,
        &order(args),
        &mut recorder,
        &progress,
        &crate::interrupt::cancel(),
    );
    progress.finish();
    let (ran, folder, id, threads, seconds) = match done? {
        Done::Served(head, summary) => {
            write!(io::stdout().lock(), "{}", render_table(&summary, &title))?;
            eprintln!(
                "{}",
                crate::store::served(&head, recorder.path().as_deref())
            );
            return Ok(());
        }
        Done::Ran {
            ran,
            folder,
            id,
            threads,
            seconds,
        } => (ran, folder, id, threads, seconds),
    };
    write!(
        io::stdout().lock(),
        "{}",
        render_table(&ran.summary, &title)
    )?;
    say_how_it_ran(&plan, &ran, threads, seconds);
    let Some(folder) = folder else {
        eprintln!("(add --out DIR to write the summary, yearly series and one record per person)");
        return Ok(());
    };
    if args.plot {
        let run = PlotRun {
            name: &plan.scenario.name,
            series: &ran.series,
            tallies: &ran.tallies,
        };
        write_charts(&folder.path("plots"), &charts(&[run], plan.seed))
            .map_err(|e| Failure::Output(e.into()))?;
    }
    let path = folder.commit(&mut recorder, id)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// What the flags ask the run to write, and the limits it runs under.
fn order(args: &RunArgs) -> Order {
    Order {
        out: args.out.clone().map(|dir| (dir, args.force)),
        records: !args.no_records,
        log: args.log,
        csv: args.format == Some(TableFormat::Csv),
        limits: limits(&args.options.running),
    }
}

/// How long the run took, on how many threads, and how fast its log was written: on standard
/// error, as timings never go into outputs.
fn say_how_it_ran(plan: &Plan, ran: &hailsham_runner::Ran, threads: usize, seconds: f64) {
    eprintln!(
        "{} replicate{} in {seconds:.2} s on {threads} thread{}; {:.0} events per replicate",
        plan.replicates,
        plural(plan.replicates as usize),
        plural(threads),
        ran.events_mean()
    );
    if !ran.log_rows.is_empty() {
        #[allow(clippy::cast_precision_loss)]
        let total = ran.log_rows.iter().sum::<u64>() as f64;
        eprintln!(
            "event log: {total:.0} rows in {} file{}, {:.1} million rows a second",
            ran.log_rows.len(),
            plural(ran.log_rows.len()),
            total / seconds / 1e6
        );
    }
}
