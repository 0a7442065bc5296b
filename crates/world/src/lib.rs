//! The world of *Never Let Me Go* as a model: the clones' line of life and the institutions
//! around it, driven by the engine.
//!
//! PLACEHOLDER: the tour of the model is written with the model.
#![deny(missing_docs)]

pub mod output;
pub mod params;

pub use hailsham_engine::{Calendar, DAYS_PER_YEAR, Day};
pub use output::{DonationRecord, Histogram, HomeKind, Organ, PersonRecord, Stage, Tally, YearRow};
pub use params::{Kind, ParamSpec, Params, Problem, SPECS, SetError, Tag, Value};

/// One replicate of a scenario, run a calendar year at a time.
///
/// ```ignore
/// let mut replicate = Replicate::new(&params, seed, 0, true);
/// while let Some(row) = replicate.step_year(&mut |record| write(record)) { series.push(row) }
/// let tally = replicate.finish(&mut |record| write(record));
/// ```
#[derive(Debug)]
pub struct Replicate {
    _private: (),
}

impl Replicate {
    /// A replicate of `params` with master seed `seed`; `collect_records` says whether person
    /// records are built (the summary is the same either way).
    #[must_use]
    pub fn new(_params: &Params, _seed: u64, _replicate: u32, _collect_records: bool) -> Replicate {
        todo!()
    }

    /// The calendar of the run (day 0 is the first of January of `time.start_year`).
    #[must_use]
    pub fn calendar(&self) -> Calendar {
        todo!()
    }

    /// Runs the next calendar year and returns its row, handing each record of a life that
    /// completed during the year to `records`; `None` once the end year is reached.
    pub fn step_year(&mut self, _records: &mut dyn FnMut(&PersonRecord)) -> Option<YearRow> {
        todo!()
    }

    /// Ends the run: hands the records of everyone still alive to `records` (in id order) and
    /// returns the run's totals.
    pub fn finish(self, _records: &mut dyn FnMut(&PersonRecord)) -> Tally {
        todo!()
    }
}
