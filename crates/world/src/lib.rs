//! The world of *Never Let Me Go* as a model: the clones' line of life and the institutions
//! around it, run by the engine.
//!
//! Every clone moves along one line of stages (docs/model.md §1): created into a home as a child,
//! [`Stage::Student`] until sixteen, [`Stage::Veteran`] at a half-way house for about two
//! years, most of them a [`Stage::Carer`] for two to fourteen years, then a [`Stage::Donor`]
//! who gives organs in a recovery centre, up to four times, until [`Stage::Completed`]. Around
//! that line stand the institutions, one module each: `homes`, `hailsham` (tokens, Exchanges,
//! Sales, the Gallery), `halfway`, `care`, `donation`, `demand`, `deferral`, `society`.
//!
//! The principal types: [`Params`] (every number of the model, with its unit, tag and source;
//! [`SPECS`] lists them), [`Replicate`] (one run, stepped a calendar year at a time),
//! [`Happening`] (everything the model announces) and [`Observer`] (what it announces to), and
//! the outputs [`YearRow`], [`PersonRecord`] and [`Tally`], each the fold of one observer
//! ([`Series`], [`Records`], [`TallyFold`]).
//!
//! ```
//! use hailsham_world::{Params, Records, Replicate};
//!
//! let mut params = Params::default();       // the `novel` scenario
//! params.homes.population_millions = 0.5;   // a small country, for a quick look
//! let mut replicate = Replicate::new(&params, 1, 0, Records::default());
//! let mut rows = Vec::new();
//! let mut lives = 0;
//! while let Some(row) = replicate.step_year() {
//!     rows.push(row);
//!     lives += replicate.observer().drain().count();
//! }
//! let (tally, mut records) = replicate.finish();
//! lives += records.drain().count();
//! assert_eq!(rows.len(), 48); // 1952 to 1999
//! assert_eq!(lives as u64, tally.clones_created); // one record per life
//! assert!(tally.completions_at_donation.iter().sum::<u64>() == tally.completed);
//! ```
//!
//! The main design decisions: the world does no I/O and reads no clock. It announces what
//! happens and the caller's observers decide what to keep, so the same model serves the CLI,
//! tests and, later, bindings; and the outputs depend only on the parameters, the seed and the
//! replicate number. Mechanisms decide, observers count: no handler increments an output.
//! Randomness comes from one stream per institution, so a new draw in one institution leaves
//! the others' draws alone.
#![deny(missing_docs)]

mod care;
mod deferral;
mod demand;
mod donation;
mod draw;
mod escape;
mod folds;
mod hailsham;
mod halfway;
pub mod happening;
mod homes;
mod nature;
pub mod output;
pub mod params;
mod people;
mod places;
mod society;
mod towns;
mod world;

pub use folds::{Lives, Note, Records, Series, TallyFold};
pub use hailsham_engine::{Calendar, DAYS_PER_YEAR, Day};
pub use happening::{Assignment, Census, Happening, Observer, PersonId, Release};
pub use homes::{Lineage, planned_clones};
pub use output::{
    BloodGroup, CarerBooks, DonationRecord, Histogram, HomeKind, Organ, PersonRecord, Stage, Tally,
    YearRow,
};
pub use params::{Kind, ParamSpec, Params, Problem, SPECS, SetError, Tag, Value};
pub use places::{HAILSHAM_HOUSES, HOUSE_CARE, HOUSE_HAILSHAM, HOUSE_NAMES, Places, house_name};

use hailsham_engine::{Simulation, Streams};

use crate::world::World;

/// The names of the towns with recovery centres, by centre index (as in [`PersonRecord::centre`]).
#[must_use]
pub fn centre_names() -> Vec<&'static str> {
    towns::TOWNS.iter().map(|t| t.name).collect()
}

/// What every replicate observes: its series and its tally, and the caller's observer.
struct Observers<O> {
    series: Series,
    tally: TallyFold,
    extra: O,
}

impl<O: Observer> Observer for Observers<O> {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        self.series.observe(day, happening);
        self.tally.observe(day, happening);
        self.extra.observe(day, happening);
    }
}

/// An error an observer met writing what it keeps.
pub type ObserverError = Box<dyn std::error::Error + Send + Sync>;

/// The caller's observer of one replicate: it sees every announcement, and is flushed after
/// every simulated year (and once more after the run ends, with `last`) to write out what is
/// ready, so memory does not grow with what it writes.
pub trait ReplicateObserver: Observer + Send {
    /// Writes what is ready.
    ///
    /// # Errors
    /// Whatever writing met; the runner then stops the run and names the replicate.
    fn flush(&mut self, last: bool) -> Result<(), ObserverError>;
}

impl ReplicateObserver for () {
    fn flush(&mut self, _last: bool) -> Result<(), ObserverError> {
        Ok(())
    }
}

impl<O: ReplicateObserver> ReplicateObserver for Option<O> {
    fn flush(&mut self, last: bool) -> Result<(), ObserverError> {
        self.as_mut()
            .map_or(Ok(()), |observer| observer.flush(last))
    }
}

impl<A: ReplicateObserver, B: ReplicateObserver> ReplicateObserver for (A, B) {
    fn flush(&mut self, last: bool) -> Result<(), ObserverError> {
        self.0.flush(last)?;
        self.1.flush(last)
    }
}

/// One replicate of a scenario, run a calendar year at a time. Its series and tally are always
/// kept; `O` is the caller's observer of everything else (`()` for none, [`Records`], a log).
pub struct Replicate<O: Observer = ()> {
    simulation: Simulation<World<Observers<O>>>,
    /// The year the next step runs.
    year: i32,
    end_year: i32,
}

impl<O: Observer> std::fmt::Debug for Replicate<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replicate")
            .field("year", &self.year)
            .field("end_year", &self.end_year)
            .finish_non_exhaustive()
    }
}

impl<O: Observer> Replicate<O> {
    /// Replicate number `replicate` of `params` with master seed `seed`, announcing to
    /// `observer` (besides its own series and tally). What is observed never changes the run.
    ///
    /// # Panics
    /// If `params` breaks a rule of [`Params::problems`]: validation must come first.
    #[must_use]
    pub fn new(params: &Params, seed: u64, replicate: u32, observer: O) -> Replicate<O> {
        let problems = params.problems();
        assert!(
            problems.is_empty(),
            "invalid parameters reached the model: {problems:?}"
        );
        let observers = Observers {
            series: Series::default(),
            tally: TallyFold::default(),
            extra: observer,
        };
        let world = World::new(params, &Streams::new(seed, replicate), observers);
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

    /// The caller's observer, to read or drain between steps.
    pub fn observer(&mut self) -> &mut O {
        &mut self.simulation.model.observer.extra
    }

    /// The rows of the years run so far.
    #[must_use]
    pub fn rows(&self) -> &[YearRow] {
        self.simulation.model.observer.series.rows()
    }

    /// Runs the next calendar year and returns its row; `None` once the end year is reached.
    pub fn step_year(&mut self) -> Option<YearRow> {
        if self.year >= self.end_year {
            return None;
        }
        let end = self.simulation.model.calendar.year_start(self.year + 1);
        self.simulation.run_until(end);
        self.simulation.model.close_year(end);
        self.simulation.model.check_invariants();
        self.year += 1;
        let row = self.rows().last().cloned().expect("the year was closed");
        debug_assert_eq!(row.year, self.year - 1);
        Some(row)
    }

    /// Ends the run (running any years left): announces the end to everyone still alive, and
    /// returns the run's totals and the caller's observer.
    pub fn finish(mut self) -> (Tally, O) {
        while self.step_year().is_some() {}
        let end = self.simulation.model.calendar.year_start(self.end_year);
        self.simulation.model.close_run(end);
        let events = self.simulation.events_handled();
        let Observers { tally, extra, .. } = self.simulation.model.observer;
        let mut tally = tally.into_tally();
        tally.events = events;
        (tally, extra)
    }

    /// Clones alive now (created and not completed).
    #[must_use]
    pub fn alive(&self) -> u64 {
        self.simulation.model.people.books().alive()
    }

    /// Bytes the replicate holds on the heap, by part: the event queue, then the model's
    /// structures (capacity, not only what is in use). For benchmarks.
    #[must_use]
    pub fn memory(&self) -> Vec<(&'static str, usize)> {
        let mut parts = vec![("event queue", self.simulation.queue_memory_bytes())];
        parts.extend(self.simulation.model.memory());
        parts.push((
            "histograms (ages at completion and first donation, careers)",
            self.simulation.model.observer.tally.memory_bytes(),
        ));
        parts
    }

    /// Events handled so far.
    #[must_use]
    pub fn events(&self) -> u64 {
        self.simulation.events_handled()
    }
}
