//! Why an operation of the runner gave no result: one typed error for every front end, with
//! the structure each needs to say it in its own terms (the command line names its flags, the
//! page its fields), and the exit code the command line gives it.

use std::path::PathBuf;
use std::time::Duration;

use hailsham_scenario::Diagnostics;
use hailsham_world::{ObserverError, Problem};

/// Why an operation stopped without results. Exit codes for the command line are in
/// [`RunError::exit_code`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The scenario did not load or validate: every problem, with file, line and key.
    #[error("{}", .0.render())]
    Scenario(Diagnostics),
    /// Several scenarios were asked for and some did not load: each one's problems, rendered
    /// in the order asked.
    #[error("{0}")]
    Scenarios(String),
    /// An argument names no scenario file and no bundled scenario.
    #[error("no scenario `{}`", shorten(argument))]
    NoScenario {
        /// What was asked for.
        argument: String,
        /// The bundled scenario whose name is closest, if any is close.
        closest: Option<&'static str>,
    },
    /// A new end year breaks rules that tie parameters together.
    #[error(
        "end year {end_year} does not fit scenario `{scenario}`: {}",
        problems.first().map_or("", |problem| problem.message.as_str())
    )]
    Until {
        /// The end year asked for.
        end_year: i64,
        /// The scenario's name.
        scenario: String,
        /// Every rule it breaks.
        problems: Vec<Problem>,
    },
    /// A point of a sweep whose parameters break a rule that ties parameters together: the
    /// sweep's ranges reach values that cannot be run together.
    #[error(
        "point {point} of the sweep cannot run ({values}): {}",
        problems.first().map_or("a value the parameter does not take", |problem| problem.message.as_str())
    )]
    SweepPoint {
        /// The point, from 0 in the design's order.
        point: u64,
        /// Its values, as `section.key = value` pairs.
        values: String,
        /// Every rule it breaks.
        problems: Vec<Problem>,
    },
    /// The plan is larger than the limits it runs under.
    #[error("scenario `{scenario}` is too large to run as asked: {}", reasons.join("; "))]
    TooLarge {
        /// The scenario's name.
        scenario: String,
        /// Each limit passed, in words.
        reasons: Vec<String>,
        /// Clones the scenario plans a replicate.
        clones: f64,
    },
    /// The run made no such clone, or its log names none.
    #[error("{message}")]
    NoLife {
        /// Which clone, in which world.
        message: String,
    },
    /// A folder that is not a stored run's, or lacks what was asked of it.
    #[error("{message}")]
    NotARun {
        /// What is missing, and how to make it.
        message: String,
    },
    /// What was asked does not fit the stored run (another seed).
    #[error("{message}")]
    Mismatch {
        /// What does not fit, and what the run had.
        message: String,
    },
    /// The scenario no longer resolves to the stored run's.
    #[error("{message}")]
    ScenarioChanged {
        /// The run's scenario and hash, and what it resolves to now.
        message: String,
    },
    /// Cancelled from outside.
    #[error("the run was cancelled")]
    Cancelled,
    /// A replicate handled more events than the budget allows.
    #[error(
        "replicate {replicate} went past the budget of {events_max} events (raise it with --events-max)"
    )]
    EventBudget {
        /// The replicate that went past it.
        replicate: u32,
        /// The budget.
        events_max: u64,
    },
    /// The run took longer than the budget allows.
    #[error("the run went past its budget of {} s of wall time", .wall_max.as_secs_f64())]
    WallBudget {
        /// The budget.
        wall_max: Duration,
    },
    /// The model panicked: a bug. The replay line reproduces it exactly.
    #[error(
        "the model failed in replicate {replicate}: {message}\n  replay: seed {seed}, replicate {replicate}, scenario hash {scenario_hash}\n  this is a bug in hailsham: please report it with the scenario file and this message"
    )]
    Panicked {
        /// The replicate.
        replicate: u32,
        /// The master seed.
        seed: u64,
        /// The scenario's hash.
        scenario_hash: String,
        /// What the model said.
        message: String,
    },
    /// An observer could not write what it keeps.
    #[error("replicate {replicate}: {source}")]
    Observer {
        /// The replicate.
        replicate: u32,
        /// What went wrong.
        source: ObserverError,
    },
    /// The run's folder could not be made or put in place.
    #[error(transparent)]
    Folder(#[from] hailsham_outputs::OutputError),
    /// A file of the run's outputs could not be written.
    #[error("{action} {}: {}", path.display(), hailsham_table::error_chain(&**source))]
    Output {
        /// What was being done: `creating`, `writing`.
        action: &'static str,
        /// The file as the user will find it (never the temporary folder it is written in).
        path: PathBuf,
        /// What went wrong.
        source: ObserverError,
    },
}

/// An argument as a message shows it: at most sixty characters.
fn shorten(argument: &str) -> String {
    if argument.chars().count() > 60 {
        format!("{}…", argument.chars().take(60).collect::<String>())
    } else {
        argument.to_string()
    }
}

impl RunError {
    /// The exit code the command line gives this error: 2 for a plan past its limits, 3 for a
    /// scenario, 4 for an output, 5 for a budget exceeded, 6 for cancelling, 70 for a bug in
    /// the model.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::TooLarge { .. } | RunError::Mismatch { .. } => 2,
            RunError::Scenario(_)
            | RunError::Scenarios(_)
            | RunError::NoScenario { .. }
            | RunError::Until { .. }
            | RunError::SweepPoint { .. }
            | RunError::NoLife { .. }
            | RunError::ScenarioChanged { .. } => 3,
            RunError::Observer { .. }
            | RunError::Output { .. }
            | RunError::Folder(_)
            | RunError::NotARun { .. } => 4,
            RunError::EventBudget { .. } | RunError::WallBudget { .. } => 5,
            RunError::Cancelled => 6,
            RunError::Panicked { .. } => 70,
        }
    }

    /// A file error, naming the file as the user will find it.
    pub(crate) fn output(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: impl Into<ObserverError>,
    ) -> RunError {
        RunError::Output {
            action,
            path: path.into(),
            source: source.into(),
        }
    }

    /// The argument's text as messages show it.
    #[must_use]
    pub fn shown(argument: &str) -> String {
        shorten(argument)
    }
}
