//! hailsham's integration tests, one binary (as ripgrep's): each module is a family.
//!
//! - `canon`: the `novel` scenario reproduces the figures docs/model.md §1 demands;
//! - `invariants`: properties over random seeds and parameters (proptest);
//! - `determinism`: the same seed gives byte-identical files on one thread and on several;
//! - `bad_input`: broken scenarios and flags give their message and exit code, and no output;
//! - `readers`: `novel` agrees with the book where its readers look first (the carers, the harvest);
//! - `architecture`: ARCHITECTURE.md's table of dependencies holds for every crate.

mod answers;
mod architecture;
mod bad_input;
mod canon;
mod cli;
mod compare;
mod determinism;
mod fuzz_corpus;
mod invariants;
mod lives;
mod log;
mod readers;
mod scenarios;
mod serve;
mod sift;
mod store;
mod swarm;
mod sweep;

use hailsham_world::{Params, PersonRecord, Records, Replicate, Tally, YearRow};

/// A whole run of one replicate, with every record.
pub struct Run {
    pub rows: Vec<YearRow>,
    pub records: Vec<PersonRecord>,
    pub tally: Tally,
}

pub fn run(params: &Params, seed: u64, replicate: u32) -> Run {
    let mut simulation = Replicate::new(params, seed, replicate, Records::default());
    let mut records = Vec::new();
    let mut rows = Vec::new();
    while let Some(row) = simulation.step_year() {
        records.extend(simulation.observer().drain());
        rows.push(row);
    }
    let (tally, mut observer) = simulation.finish();
    records.extend(observer.drain());
    Run {
        rows,
        records,
        tally,
    }
}

/// Years between two days.
pub fn years(from: hailsham_world::Day, to: hailsham_world::Day) -> f64 {
    to.years_since(from)
}
