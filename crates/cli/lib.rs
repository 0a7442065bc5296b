//! The command line of `hailsham`: run the world of *Never Let Me Go*, change one of its
//! rules, see what follows.
//!
//! The command line is thin: it parses flags (`args`) into plans, calls the library boundary
//! (`hailsham-runner`) for every operation, and renders what comes back: tables and words from
//! `hailsham-outputs`, charts and HTML from `hailsham-report`. Only this crate knows terminals,
//! the process's environment and current directory, and exit codes.
//!
//! It is a library with one function, [`main`], so that two programs can be the command line:
//! the `hailsham` binary (`main.rs`, three lines) and the Python wheel's `hailsham` script
//! (`crates/python`), which cannot ship a binary beside its module and so calls [`main`] with
//! `sys.argv`.
//!
//! Exit codes: 0 success; 2 a wrong command line; 3 a wrong scenario file; 4 an output that
//! could not be written; 5 a budget exceeded; 6 interrupted; 70 a bug in the model (caught,
//! with the line that replays it).

mod args;
mod bench;
mod compare;
mod interrupt;
mod life;
mod params;
mod questions;
mod report_cmd;
mod run;
mod scenarios;
mod serve;
mod sift;
mod store;
mod sweep;

use std::ffi::OsString;

// What the Python module prints as the command line does: a run's title, a comparison's, a
// sweep's summary.
pub use compare::title as compare_title;
pub use run::title as run_title;
pub use sweep::summary as sweep_summary;

use clap::Parser;

use crate::args::{Args, Command};

/// Exit code for a scenario that does not load or validate.
const EXIT_SCENARIO: u8 = 3;
/// Exit code for an output that could not be written.
const EXIT_OUTPUT: u8 = 4;

/// An error the binary reports, with the exit code it maps to.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A scenario problem, already rendered with file, line and key.
    Scenario(String),
    /// An output problem.
    Output(anyhow::Error),
    /// Standard output failed (a closed pipe, as with `| head`, ends the program quietly).
    Stdout(std::io::Error),
    /// The runner stopped: a budget, an interruption, an output, or a bug in the model.
    Run(hailsham_runner::RunError),
    /// Flags that do not go together, already rendered: exit 2, as clap's own errors.
    Usage(String),
}

impl From<hailsham_runner::RunError> for Failure {
    fn from(error: hailsham_runner::RunError) -> Failure {
        Failure::Run(error)
    }
}

/// An error of the library in the command line's words: its flags by name, and what to do
/// (the Python module raises its exceptions with the same words).
pub fn render_error(error: &hailsham_runner::RunError) -> String {
    use hailsham_runner::RunError;
    let mut text = match error {
        RunError::Scenario(diagnostics) => diagnostics.render(),
        RunError::Scenarios(rendered) => rendered.clone(),
        RunError::NoScenario { argument, closest } => params::no_scenario(argument, *closest),
        RunError::Until {
            end_year,
            scenario,
            problems,
        } => problems
            .iter()
            .map(|problem| {
                let keys: Vec<String> = problem
                    .keys
                    .iter()
                    .map(|(section, key)| format!("{section}.{key}"))
                    .collect();
                format!(
                    "error: --until {end_year} does not fit scenario `{scenario}`: {} ({})\n",
                    problem.message,
                    keys.join(", ")
                )
            })
            .collect(),
        RunError::TooLarge {
            scenario,
            reasons,
            clones,
        } => format!(
            "error: scenario `{scenario}` is too large to run as asked: {}.\n  It plans {clones:.0} \
             clones a replicate. Fewer replicates, --no-records, no --log, fewer --threads or a \
             smaller scenario would do; or add --large to run it anyway.\n",
            reasons.join("; ")
        ),
        // With its sources, each said once: the OS error under a folder that cannot be made.
        other => format!("error: {}", hailsham_table::error_chain(other)),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Failure {
        Failure::Stdout(error)
    }
}

/// Runs the command line `arguments` (the program's name first, as `std::env::args_os` gives
/// them) and returns the exit code. Help, `--version` and wrong flags are printed here too, and
/// never end the process: a Python caller gets its code back like any other.
pub fn main(arguments: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> u8 {
    let args = match Args::try_parse_from(arguments) {
        Ok(args) => args,
        Err(error) => {
            // clap prints help and the version to standard output, mistakes to standard error.
            let _ = error.print();
            return if error.use_stderr() { 2 } else { 0 };
        }
    };
    interrupt::install(match args.command {
        Command::Serve(_) => "stopping the server (runs under way are cancelled)",
        _ => "stopping at the end of the simulated year",
    });
    let result = match args.command {
        Command::Run(run) => run::run(&run),
        Command::Check(check) => params::check(&check),
        Command::Params(params) => params::params(&params),
        Command::Scenarios => scenarios::scenarios(),
        Command::Bench(bench) => bench::bench(&bench),
        Command::Compare(compare) => compare::compare(&compare),
        Command::Report(report) => report_cmd::report(&report),
        Command::Questions(questions) => questions::questions(&questions),
        Command::Life(life) => life::life(&life),
        Command::Sift(sift) => sift::sift(&sift),
        Command::Runs(runs) => store::runs(&runs),
        Command::Show(show) => store::show(&show),
        Command::Serve(serve) => serve::serve(&serve),
        Command::Sweep(sweep) => sweep::sweep(&sweep),
    };
    match result {
        Ok(()) => 0,
        Err(Failure::Scenario(rendered)) => {
            eprint!("{rendered}");
            if !rendered.ends_with('\n') {
                eprintln!();
            }
            EXIT_SCENARIO
        }
        Err(Failure::Output(error)) => {
            eprintln!("error: {error:#}");
            EXIT_OUTPUT
        }
        Err(Failure::Stdout(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(Failure::Usage(rendered)) => {
            eprint!("{rendered}");
            2
        }
        Err(Failure::Run(error)) => {
            eprint!("{}", render_error(&error));
            error.exit_code()
        }
        Err(Failure::Stdout(error)) => {
            eprintln!("error: cannot write to standard output: {error}");
            EXIT_OUTPUT
        }
    }
}
