//! Single lives of a hailsham run, told as short stories.
//!
//! A run simulates a country's clones; this crate lets a reader meet one of them. [`Life`]
//! gathers, from one replicate, every announcement that names the clone (a [`Witness`] is the
//! observer that keeps them), and the few facts about everyone else a story needs; or reads
//! the same from the event log a run stored ([`Life::from_log`]), in milliseconds. [`tell`]
//! turns the life into a [`Story`] in the novel's vocabulary: named homes and houses, carers
//! and donors, donations and completion. Each [`Sentence`] keeps the announcements it tells,
//! so a reader (or a test) can check every date, age, place and person it names. [`compare`]
//! sets one clone's life in two scenarios side by side (same id, same seed: common random
//! numbers) and finds where they part. [`to_json`] gives the life as data.
//!
//! Names are drawn from the clone's lineage ([`name_of`]) from lists of English first names by decade of
//! birth, kept as data with their source in `data/first-names.csv`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod check;
mod explain;
mod json;
mod life;
mod names;
mod parting;
mod stored;
mod tell;

pub use explain::Explainer;
pub use json::to_json;
pub use life::{Fact, Life, LifeError, Whom, Witness};
pub use names::{Name, name_of};
pub use parting::{Parting, compare, summary};
pub use stored::ReadLifeError;
pub use tell::{MONTHS, Sentence, Story, tell};

#[cfg(test)]
mod tests;
