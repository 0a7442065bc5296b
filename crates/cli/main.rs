//! `hailsham`: run the world of *Never Let Me Go*, change one of its rules, see what follows.
//!
//! The binary is thin: it parses flags (`args`), resolves a scenario (`hailsham-scenario`),
//! runs replicates in parallel (`run`), and hands results to `hailsham-report` for tables and
//! files. Only this crate knows about terminals, threads and exit codes.
//!
//! Exit codes: 0 success; 2 a wrong command line; 3 a wrong scenario file; 4 an output that
//! could not be written; 5 a budget exceeded; 6 interrupted; 70 a bug in the model (caught,
//! with the line that replays it).

mod args;
mod bench;
mod compare;
mod cost;
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

use std::process::ExitCode;

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

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Failure {
        Failure::Stdout(error)
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    interrupt::install();
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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Scenario(rendered)) => {
            eprint!("{rendered}");
            if !rendered.ends_with('\n') {
                eprintln!();
            }
            ExitCode::from(EXIT_SCENARIO)
        }
        Err(Failure::Output(error)) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_OUTPUT)
        }
        Err(Failure::Stdout(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(rendered)) => {
            eprint!("{rendered}");
            ExitCode::from(2)
        }
        Err(Failure::Run(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
        Err(Failure::Stdout(error)) => {
            eprintln!("error: cannot write to standard output: {error}");
            ExitCode::from(EXIT_OUTPUT)
        }
    }
}
