//! The world of *Never Let Me Go* as a model: the clones' line of life and the institutions
//! around it, run by the engine.
//!
//! Every clone moves along one line of stages (world.md §1): created into a home as a child,
//! [`Stage::Student`] until sixteen, [`Stage::Veteran`] at a half-way house for about two
//! years, most of them a [`Stage::Carer`] for two to fourteen years, then a [`Stage::Donor`]
//! who gives organs in a recovery centre, up to four times, until [`Stage::Completed`]. Around
//! that line stand the institutions, one module each: `homes`, `hailsham` (tokens, Exchanges,
//! Sales, the Gallery), `halfway`, `care`, `donation`, `demand`, `deferral`, `society`.
//!
//! The principal types: [`Params`] (every number of the model, with its unit, tag and source;
//! [`SPECS`] lists them), [`Replicate`] (one run, stepped a calendar year at a time), and the
//! outputs [`YearRow`], [`PersonRecord`] and [`Tally`].
//!
//! ```
//! use hailsham_world::{Params, Replicate};
//!
//! let mut params = Params::default();       // the `novel` scenario
//! params.homes.population_millions = 0.5;   // a small country, for a quick look
//! let mut replicate = Replicate::new(&params, 1, 0, false);
//! let mut rows = Vec::new();
//! while let Some(row) = replicate.step_year(&mut |_record| {}) {
//!     rows.push(row);
//! }
//! let tally = replicate.finish(&mut |_record| {});
//! assert_eq!(rows.len(), 48); // 1952 to 1999
//! assert!(tally.clones_created > 0);
//! assert!(tally.completions_at_donation.iter().sum::<u64>() == tally.completed);
//! ```
//!
//! The main design decision: the world does no I/O and reads no clock. It hands out values
//! (rows, records, a tally) and the caller decides what to write, so the same model serves the
//! CLI, tests and, later, bindings; and the outputs depend only on the parameters, the seed
//! and the replicate number. Randomness comes from one stream per institution, so a new draw in
//! one institution leaves the others' draws alone.
#![deny(missing_docs)]

mod care;
mod deferral;
mod demand;
mod donation;
mod draw;
mod escape;
mod hailsham;
mod halfway;
mod homes;
mod nature;
pub mod output;
pub mod params;
mod people;
mod record;
mod society;
mod towns;
mod world;

pub use hailsham_engine::{Calendar, DAYS_PER_YEAR, Day};
pub use output::{
    BloodGroup, DonationRecord, Histogram, HomeKind, Organ, PersonRecord, Stage, Tally, YearRow,
};
pub use params::{Kind, ParamSpec, Params, Problem, SPECS, SetError, Tag, Value};

use hailsham_engine::{Simulation, Streams};

use crate::world::World;

/// The names of the towns with recovery centres, by centre index (as in [`PersonRecord::centre`]).
#[must_use]
pub fn centre_names() -> Vec<&'static str> {
    towns::TOWNS.iter().map(|t| t.name).collect()
}

/// One replicate of a scenario, run a calendar year at a time.
pub struct Replicate {
    simulation: Simulation<World>,
    /// The year the next step runs.
    year: i32,
    end_year: i32,
}

impl std::fmt::Debug for Replicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replicate")
            .field("year", &self.year)
            .field("end_year", &self.end_year)
            .finish_non_exhaustive()
    }
}

impl Replicate {
    /// A replicate of `params` with master seed `seed`; `collect_records` says whether person
    /// records are built (the summary is the same either way).
    ///
    /// # Panics
    /// If `params` breaks a rule of [`Params::problems`]: validation must come first.
    #[must_use]
    pub fn new(params: &Params, seed: u64, replicate: u32, collect_records: bool) -> Replicate {
        let problems = params.problems();
        assert!(
            problems.is_empty(),
            "invalid parameters reached the model: {problems:?}"
        );
        let world = World::new(params, &Streams::new(seed, replicate), collect_records);
        let initial = world.initial_events();
        let mut simulation = Simulation::new(world);
        for (day, event) in initial {
            simulation.schedule(day, event);
        }
        let start = i32::try_from(params.time.start_year).expect("range checked");
        let end_year = i32::try_from(params.time.end_year).expect("range checked");
        Replicate {
            simulation,
            year: start,
            end_year,
        }
    }

    /// The calendar of the run (day 0 is the first of January of `time.start_year`).
    #[must_use]
    pub fn calendar(&self) -> Calendar {
        self.simulation.model.calendar
    }

    /// Runs the next calendar year and returns its row, handing each record of a life that
    /// completed during the year to `records`; `None` once the end year is reached.
    pub fn step_year(&mut self, records: &mut dyn FnMut(&PersonRecord)) -> Option<YearRow> {
        if self.year >= self.end_year {
            return None;
        }
        let end = self.simulation.model.calendar.year_start(self.year + 1);
        self.simulation.run_until(end);
        let row = self.simulation.model.close_year(end);
        debug_assert_eq!(row.year, self.year);
        for record in self.simulation.model.records.drain(..) {
            records(&record);
        }
        self.simulation.model.check_invariants();
        self.year += 1;
        Some(row)
    }

    /// Ends the run (running any years left): hands the records of everyone still alive to
    /// `records`, in id order, and returns the run's totals.
    pub fn finish(mut self, records: &mut dyn FnMut(&PersonRecord)) -> Tally {
        while self.step_year(records).is_some() {}
        let world = &mut self.simulation.model;
        if world.collect_records {
            let end = world.calendar.year_start(self.end_year);
            for record in world.records_of_the_living(end) {
                records(&record);
            }
        }
        let mut tally = world.tally();
        tally.events = self.simulation.events_handled();
        tally
    }

    /// Clones alive now (created and not completed).
    #[must_use]
    pub fn alive(&self) -> u64 {
        let by_stage = &self.simulation.model.by_stage;
        by_stage.iter().sum::<u64>() - by_stage[Stage::Completed as usize]
    }

    /// Bytes the replicate holds on the heap, by part: the event queue, then the model's
    /// structures (capacity, not only what is in use). For benchmarks.
    #[must_use]
    pub fn memory(&self) -> Vec<(&'static str, usize)> {
        let mut parts = vec![("event queue", self.simulation.queue_memory_bytes())];
        parts.extend(self.simulation.model.memory());
        parts
    }

    /// Events handled so far.
    #[must_use]
    pub fn events(&self) -> u64 {
        self.simulation.events_handled()
    }
}
