//! What a run will cost, sized before it starts: clones, events, memory, bytes written and
//! time, from the clones the scenario plans ([`hailsham_world::planned_clones`]) and what each
//! clone costs, as measured on `novel` (BENCHMARKS.md). Above the limits the run is refused,
//! unless `--large` says it is meant; near them, a line on standard error says what is coming.

use hailsham_world::{Params, planned_clones};

use crate::Failure;

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

/// Memory a run may plan to hold at once without `--large`.
pub(crate) const MEMORY_MAX: f64 = 16.0 * (1u64 << 30) as f64;
/// Bytes a run may plan to write without `--large`.
pub(crate) const OUTPUT_MAX: f64 = 50.0e9;
/// Above these, a run says what it will cost before it starts.
const OUTPUT_WARN: f64 = 2.0e9;
const SECONDS_WARN: f64 = 300.0;

/// What one scenario's replicates will write and hold.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Plan {
    /// Replicates to run.
    pub replicates: u32,
    /// Replicates that run at once.
    pub threads: usize,
    /// Whether each replicate keeps person records, and writes an event log.
    pub records: bool,
    pub log: bool,
    /// Whether the tables are CSV.
    pub csv: bool,
}

/// The cost of running `params` as `plan` says.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Cost {
    pub clones: f64,
    pub events: f64,
    pub memory: f64,
    pub output: f64,
    pub seconds: f64,
}

pub(crate) fn cost(params: &Params, plan: Plan) -> Cost {
    let clones = planned_clones(params);
    let replicates = f64::from(plan.replicates.max(1));
    #[allow(clippy::cast_precision_loss)]
    let at_once = plan.threads.max(1).min(plan.replicates.max(1) as usize) as f64;
    let per_replicate = clones
        * (MEMORY_PER_CLONE
            + if plan.records {
                RECORDS_MEMORY_PER_CLONE
            } else {
                0.0
            });
    let format = if plan.csv { CSV_FACTOR } else { 1.0 };
    let written = clones
        * ((if plan.records {
            RECORDS_BYTES_PER_CLONE
        } else {
            0.0
        }) + (if plan.log { LOG_BYTES_PER_CLONE } else { 0.0 }))
        * format;
    let events = clones * EVENTS_PER_CLONE;
    Cost {
        clones,
        events,
        memory: per_replicate * at_once,
        output: written * replicates,
        seconds: events * replicates / (EVENTS_PER_SECOND * at_once),
    }
}

fn gigabytes(bytes: f64) -> String {
    format!("{:.1} GB", bytes / 1e9)
}

/// Refuses a run above the limits unless `large`; says what a big run will cost.
pub(crate) fn check(name: &str, params: &Params, plan: Plan, large: bool) -> Result<(), Failure> {
    let cost = cost(params, plan);
    let mut over = Vec::new();
    if cost.memory > MEMORY_MAX {
        over.push(format!(
            "it would hold about {} in memory at once ({} replicates at a time; the limit is {})",
            gigabytes(cost.memory),
            plan.threads.min(plan.replicates as usize),
            gigabytes(MEMORY_MAX)
        ));
    }
    if cost.output > OUTPUT_MAX {
        over.push(format!(
            "it would write about {} (the limit is {})",
            gigabytes(cost.output),
            gigabytes(OUTPUT_MAX)
        ));
    }
    if !over.is_empty() && !large {
        return Err(Failure::Usage(format!(
            "error: scenario `{name}` is too large to run as asked: {}.\n  \
             It plans {:.0} clones a replicate. Fewer replicates, --no-records, no --log, \
             fewer --threads or a smaller scenario would do; or add --large to run it anyway.\n",
            over.join("; "),
            cost.clones
        )));
    }
    if cost.output > OUTPUT_WARN || cost.seconds > SECONDS_WARN || !over.is_empty() {
        eprintln!(
            "note: scenario `{name}` plans {:.0} clones a replicate; this run will write about {}, \
             hold about {} and take about {:.0} minutes",
            cost.clones,
            gigabytes(cost.output),
            gigabytes(cost.memory),
            (cost.seconds / 60.0).ceil()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cost_of_novel_is_what_the_bench_measures() {
        let plan = Plan {
            replicates: 1,
            threads: 1,
            records: true,
            log: true,
            csv: false,
        };
        let cost = cost(&Params::default(), plan);
        assert!((cost.clones - 186_753.0).abs() < 3_000.0, "{cost:?}");
        // 8.6 MB of records and 20 MB of log.
        assert!((25e6..35e6).contains(&cost.output), "{cost:?}");
        assert!(check("novel", &Params::default(), plan, false).is_ok());
    }

    #[test]
    fn ten_thousand_replicates_of_records_are_refused_unless_large() {
        let plan = Plan {
            replicates: 10_000,
            threads: 2,
            records: true,
            log: false,
            csv: true,
        };
        let Err(Failure::Usage(message)) = check("novel", &Params::default(), plan, false) else {
            panic!("refused");
        };
        assert!(message.contains("would write about"), "{message}");
        assert!(message.contains("--large"), "{message}");
        assert!(check("novel", &Params::default(), plan, true).is_ok());
    }
}
