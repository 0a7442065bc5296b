//! What to run: a resolved scenario, a seed, replicates, threads and a budget, with the one
//! request identity, the one cost estimate and the limits every front end runs under.
//!
//! A run is sized before it starts, from the clones its scenario plans
//! ([`hailsham_world::planned_clones`]) and what each clone costs, as measured on `novel`
//! (BENCHMARKS.md). The command line refuses what would hold more than 16 GiB or write more
//! than 50 GB unless told it is meant; the page refuses what would create more than five
//! million clones. Both are [`Limits`] over the same [`Cost`].

use std::time::Duration;

use hailsham_scenario::Scenario;
use hailsham_store::RequestKey;
use hailsham_world::{Params, planned_clones};

use crate::error::RunError;
use crate::replicates::{Budget, Request};

/// The years a run covers: from the first of January of `start_year` to the first of January
/// of `end_year`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Years {
    /// The first year simulated.
    pub start_year: i32,
    /// The year the run stops at the start of.
    pub end_year: i32,
}

impl Years {
    /// The years `params` runs.
    #[must_use]
    pub fn of(params: &Params) -> Years {
        Years {
            start_year: i32::try_from(params.time.start_year).expect("range checked"),
            end_year: i32::try_from(params.time.end_year).expect("range checked"),
        }
    }

    /// Simulated years a replicate steps through.
    #[must_use]
    pub fn count(self) -> u64 {
        u64::try_from(self.end_year - self.start_year).unwrap_or(0)
    }

    /// `1952-2000`, with `dash` between the years.
    #[must_use]
    pub fn text(self, dash: &str) -> String {
        format!("{}{dash}{}", self.start_year, self.end_year)
    }
}

/// One scenario's run, resolved: everything that decides its results, and how it may run.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The scenario, loaded and validated, with any new end year applied.
    pub scenario: Scenario,
    /// The master seed: replicate `r` draws from the streams keyed by (seed, `r`).
    pub seed: u64,
    /// Replicates `0..replicates`.
    pub replicates: u32,
    /// Worker threads (`None`: one per core). Results never depend on it.
    pub threads: Option<usize>,
    /// What the run may spend before it is stopped.
    pub budget: Budget,
}

impl Plan {
    /// `replicates` replicates of `scenario` with master seed `seed`, on one thread per core,
    /// with no budget.
    #[must_use]
    pub fn new(scenario: Scenario, seed: u64, replicates: u32) -> Plan {
        Plan {
            scenario,
            seed,
            replicates,
            threads: None,
            budget: Budget::default(),
        }
    }

    /// The plan with its scenario run until `end_year` (when given), checked again: a new end
    /// year can break rules that join parameters (a run's longest span, the clones a run may
    /// create), and a scenario that breaks them must not run.
    ///
    /// # Errors
    /// [`RunError::Until`] with every rule broken.
    pub fn until(mut self, end_year: Option<i64>) -> Result<Plan, RunError> {
        self.scenario = until(self.scenario, end_year)?;
        Ok(self)
    }

    /// The years every replicate covers.
    #[must_use]
    pub fn years(&self) -> Years {
        Years::of(&self.scenario.params)
    }

    /// The request's identity in the run store: the same key means the same results.
    #[must_use]
    pub fn key(&self) -> RequestKey {
        let years = self.years();
        RequestKey {
            scenario_hash: self.scenario.hash(),
            seed: self.seed,
            replicates: self.replicates,
            start_year: years.start_year,
            end_year: years.end_year,
            version: hailsham_outputs::VERSION.to_string(),
        }
    }

    /// Replicate-years the run steps through: what progress counts.
    #[must_use]
    pub fn steps(&self) -> u64 {
        self.years().count() * u64::from(self.replicates)
    }

    /// What the run will cost with `outputs` on `threads` threads at once.
    #[must_use]
    pub fn cost(&self, outputs: Outputs, threads: usize) -> Cost {
        cost(&self.scenario.params, self.replicates, outputs, threads)
    }

    /// Sizes the run against `limits` and sets its budget from them.
    ///
    /// # Errors
    /// [`RunError::TooLarge`], naming every limit passed.
    pub fn check(
        &mut self,
        limits: &Limits,
        outputs: Outputs,
        threads: usize,
    ) -> Result<Cost, RunError> {
        let cost = self.cost(outputs, threads);
        limits.apply(
            &cost,
            self.replicates,
            threads,
            &self.scenario.name,
            &mut self.budget,
        )?;
        Ok(cost)
    }

    /// The replicate loop's request.
    pub(crate) fn request(&self) -> Request<'_> {
        let mut request = Request::new(&self.scenario.params, self.seed, self.replicates);
        request.scenario_hash = self.scenario.hash();
        request.budget = self.budget;
        request
    }
}

/// `scenario` run until `end_year`, if given, refused if the rules then fail.
///
/// # Errors
/// [`RunError::Until`] with every rule broken.
pub fn until(mut scenario: Scenario, end_year: Option<i64>) -> Result<Scenario, RunError> {
    let Some(end_year) = end_year else {
        return Ok(scenario);
    };
    scenario.params.time.end_year = end_year;
    let problems = scenario.params.problems();
    if problems.is_empty() {
        return Ok(scenario);
    }
    Err(RunError::Until {
        end_year,
        scenario: scenario.name.clone(),
        problems,
    })
}

/// What a run writes besides its figures, for its cost.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Outputs {
    /// Each replicate keeps person records.
    pub records: bool,
    /// Each replicate writes its event log.
    pub log: bool,
    /// The tables are CSV rather than Parquet.
    pub csv: bool,
}

/// Events a clone's life makes, on average (`novel`: 961,685 events for 191,990 clones).
const EVENTS_PER_CLONE: f64 = 5.0;
/// Bytes of memory per clone created while a replicate runs without records (about 0.6 of
/// the clones created are alive at the peak, at about 55 bytes each).
const MEMORY_PER_CLONE: f64 = 40.0;
/// Bytes of memory per clone created that the person records add (drafts of lives in
/// progress: 7.3 GB for the 19.2 million clones of `world`).
const RECORDS_MEMORY_PER_CLONE: f64 = 400.0;
/// Bytes per clone of the person records as Parquet (8.6 MB for 192,000 clones).
const RECORDS_BYTES_PER_CLONE: f64 = 46.0;
/// Bytes per clone of the event log as Parquet (11.6 rows of 9 bytes).
const LOG_BYTES_PER_CLONE: f64 = 106.0;
/// CSV against Parquet, for the same rows.
const CSV_FACTOR: f64 = 4.8;
/// Events a thread handles a second, with a margin below what the bench measures.
const EVENTS_PER_SECOND: f64 = 4.0e6;

/// What a run will cost: clones a replicate, events, memory held at once, bytes written and
/// seconds on the threads it has.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    /// Clones a replicate plans.
    pub clones: f64,
    /// Events a replicate handles.
    pub events: f64,
    /// Bytes held at once.
    pub memory_bytes: f64,
    /// Bytes written over all replicates.
    pub output_bytes: f64,
    /// Seconds of wall time.
    pub seconds: f64,
    /// Clones over all replicates.
    pub clones_total: f64,
}

/// Above these, a front end says what a run will cost before it starts.
const OUTPUT_BYTES_NOTE: f64 = 2.0e9;
const SECONDS_NOTE: f64 = 300.0;
const MEMORY_BYTES_NOTE: f64 = 16.0 * GIB;

impl Cost {
    /// Whether the run is big enough to say what it will cost before it starts.
    #[must_use]
    pub fn worth_a_note(&self) -> bool {
        self.output_bytes > OUTPUT_BYTES_NOTE
            || self.seconds > SECONDS_NOTE
            || self.memory_bytes > MEMORY_BYTES_NOTE
    }
}

pub(crate) fn cost(params: &Params, replicates: u32, outputs: Outputs, threads: usize) -> Cost {
    let clones = planned_clones(params);
    let replicates = replicates.max(1);
    #[allow(clippy::cast_precision_loss)]
    let at_once = threads.max(1).min(replicates as usize) as f64;
    let records_memory = if outputs.records {
        RECORDS_MEMORY_PER_CLONE
    } else {
        0.0
    };
    let records_bytes = if outputs.records {
        RECORDS_BYTES_PER_CLONE
    } else {
        0.0
    };
    let log_bytes = if outputs.log {
        LOG_BYTES_PER_CLONE
    } else {
        0.0
    };
    let format = if outputs.csv { CSV_FACTOR } else { 1.0 };
    let events = clones * EVENTS_PER_CLONE;
    let replicates = f64::from(replicates);
    Cost {
        clones,
        events,
        memory_bytes: clones * (MEMORY_PER_CLONE + records_memory) * at_once,
        output_bytes: clones * (records_bytes + log_bytes) * format * replicates,
        seconds: events * replicates / (EVENTS_PER_SECOND * at_once),
        clones_total: clones * replicates,
    }
}

/// The limits a front end runs plans under; `None` is no limit. The default is the command
/// line's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Bytes a run may hold at once.
    pub memory_bytes_max: Option<f64>,
    /// Bytes a run may write.
    pub output_bytes_max: Option<f64>,
    /// Clones a run may create over all its replicates.
    pub clones_max: Option<f64>,
    /// Events one replicate may handle for each clone it plans: far above what a clone makes
    /// (about five), so only a runaway model meets it.
    pub events_per_clone_max: Option<f64>,
    /// Wall time a run may take.
    pub wall_max: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::COMMAND_LINE
    }
}

/// Gibibytes, in bytes.
const GIB: f64 = (1u64 << 30) as f64;

impl Limits {
    /// The command line's: at most 16 GiB held at once and 50 GB written.
    pub const COMMAND_LINE: Limits = Limits {
        memory_bytes_max: Some(16.0 * GIB),
        output_bytes_max: Some(50.0e9),
        clones_max: None,
        events_per_clone_max: None,
        wall_max: None,
    };

    /// None at all: the command line's `--large`.
    pub const NONE: Limits = Limits {
        memory_bytes_max: None,
        output_bytes_max: None,
        clones_max: None,
        events_per_clone_max: None,
        wall_max: None,
    };

    /// The page's, on a machine others share: at most five million clones a run (twenty-five
    /// replicates of England), 200 events a clone, twenty minutes. A larger run belongs to the
    /// command line, where `--large` says it is meant.
    pub const PAGE: Limits = Limits {
        memory_bytes_max: Some(16.0 * GIB),
        output_bytes_max: None,
        clones_max: Some(5.0e6),
        events_per_clone_max: Some(200.0),
        wall_max: Some(Duration::from_secs(20 * 60)),
    };

    /// Refuses what `cost` (of `name`, `replicates` a run on `threads`) passes, naming every
    /// limit passed; else sets `budget` from the limits (never looser than it was).
    ///
    /// # Errors
    /// [`RunError::TooLarge`].
    pub(crate) fn apply(
        &self,
        cost: &Cost,
        replicates: u32,
        threads: usize,
        name: &str,
        budget: &mut Budget,
    ) -> Result<(), RunError> {
        let reasons = self.passed(cost, replicates, threads);
        if !reasons.is_empty() {
            return Err(RunError::TooLarge {
                scenario: name.to_string(),
                reasons,
                clones: cost.clones,
            });
        }
        if let Some(per_clone) = self.events_per_clone_max {
            // At least a million, so that a tiny world's budget is never its own noise.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let events_max = (cost.clones * per_clone).max(1e6) as u64;
            budget.events_max = Some(
                budget
                    .events_max
                    .map_or(events_max, |given| given.min(events_max)),
            );
        }
        if let Some(wall_max) = self.wall_max {
            budget.wall_max = Some(wall_max);
        }
        Ok(())
    }

    /// Each limit `cost` passes, in words.
    fn passed(&self, cost: &Cost, replicates: u32, threads: usize) -> Vec<String> {
        let mut reasons = Vec::new();
        if let Some(max) = self.clones_max
            && (cost.clones_total.is_nan() || cost.clones_total > max)
        {
            reasons.push(format!(
                "it would create about {:.1} million clones over its replicates (the limit is \
                 {:.0} million)",
                cost.clones_total / 1e6,
                max / 1e6
            ));
        }
        if let Some(max) = self.memory_bytes_max
            && cost.memory_bytes > max
        {
            reasons.push(format!(
                "it would hold about {} in memory at once ({} replicates at a time; the limit \
                 is {})",
                gigabytes(cost.memory_bytes),
                threads.min(replicates as usize),
                gigabytes(max)
            ));
        }
        if let Some(max) = self.output_bytes_max
            && cost.output_bytes > max
        {
            reasons.push(format!(
                "it would write about {} (the limit is {})",
                gigabytes(cost.output_bytes),
                gigabytes(max)
            ));
        }
        reasons
    }
}

/// Bytes as gigabytes, for a reader.
#[must_use]
pub fn gigabytes(bytes: f64) -> String {
    format!("{:.1} GB", bytes / 1e9)
}

/// A pool of `threads` worker threads, or one per core.
///
/// # Errors
/// If the threads cannot be started.
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, RunError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .thread_name(|i| format!("hailsham-run-{i}"))
        .build()
        .map_err(|e| RunError::output("starting", "worker threads", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn novel(replicates: u32) -> Plan {
        Plan::new(Scenario::novel(), 1, replicates)
    }

    /// Goal: the estimate matches what the bench measures for `novel`. Method: one replicate
    /// with records and log; its clones, and the bytes of both tables.
    #[test]
    fn the_cost_of_novel_is_what_the_bench_measures() {
        let outputs = Outputs {
            records: true,
            log: true,
            csv: false,
        };
        let mut plan = novel(1);
        let cost = plan.cost(outputs, 1);
        assert!((cost.clones - 186_753.0).abs() < 3_000.0, "{cost:?}");
        // 8.6 MB of records and 20 MB of log.
        assert!((25e6..35e6).contains(&cost.output_bytes), "{cost:?}");
        assert!(plan.check(&Limits::COMMAND_LINE, outputs, 1).is_ok());
    }

    #[test]
    fn ten_thousand_replicates_of_records_are_refused_unless_there_are_no_limits() {
        let outputs = Outputs {
            records: true,
            log: false,
            csv: true,
        };
        let mut plan = novel(10_000);
        let Err(RunError::TooLarge { reasons, .. }) = plan.check(&Limits::COMMAND_LINE, outputs, 2)
        else {
            panic!("refused");
        };
        assert!(reasons[0].contains("would write about"), "{reasons:?}");
        assert!(plan.check(&Limits::NONE, outputs, 2).is_ok());
    }

    /// Goal: the page's limits refuse what the command line would run, and budget what they
    /// accept. Method: thirty replicates of England (5.6 million clones) against five.
    #[test]
    fn the_page_refuses_more_than_five_million_clones_and_budgets_the_rest() {
        let mut large = novel(30);
        let Err(error) = large.check(&Limits::PAGE, Outputs::default(), 2) else {
            panic!("refused");
        };
        assert!(error.to_string().contains("million clones"), "{error}");
        assert_eq!(error.exit_code(), 2);
        let mut five = novel(5);
        five.check(&Limits::PAGE, Outputs::default(), 2)
            .expect("accepted");
        let events_max = five.budget.events_max.expect("a budget");
        assert!(
            (30_000_000..45_000_000).contains(&events_max),
            "{events_max}"
        );
        assert_eq!(five.budget.wall_max, Some(Duration::from_secs(1200)));
    }

    /// Goal: the request identity names everything that decides results, and nothing else.
    #[test]
    fn the_key_follows_the_scenario_seed_replicates_and_years() {
        let plan = novel(5);
        let key = plan.key();
        assert_eq!((key.seed, key.replicates), (1, 5));
        assert_eq!((key.start_year, key.end_year), (1952, 2000));
        assert_eq!(key, novel(5).key());
        let mut threaded = novel(5);
        threaded.threads = Some(1);
        assert_eq!(key, threaded.key(), "threads never change results");
        let shorter = novel(5).until(Some(1990)).expect("fits");
        assert_ne!(key, shorter.key());
        assert_eq!(shorter.steps(), 38 * 5);
    }

    #[test]
    fn an_end_year_that_breaks_a_rule_is_refused_with_every_rule() {
        let Err(RunError::Until {
            end_year, problems, ..
        }) = novel(1).until(Some(1952))
        else {
            panic!("refused");
        };
        assert_eq!(end_year, 1952);
        assert!(!problems.is_empty());
    }
}
