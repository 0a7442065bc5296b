//! What hailsham runs give: what the world hands out, turned into figures, intervals, words and
//! files. No chart or font code: the charts and the HTML report are `hailsham-report`'s, so the
//! page, the run store, sift and lives build on this crate without a plotting library.
//!
//! A replicate of the world ends with a `Tally` of raw sums and histograms, hands out one
//! `YearRow` per calendar year and one `PersonRecord` per life, all in model units (days,
//! counts). This crate turns them into what people read:
//!
//! - [`figures()`] computes the summary figures of one replicate from its `Tally`, in the order
//!   of the one declared list [`FIGURES`] (key, label, unit); [`groups`] gives the table's
//!   headings. An undefined figure (the median age of no completions) is NaN, never zero.
//! - [`estimate`] gives a figure's mean over replicates and a 95% interval of that mean.
//! - [`Summary`] holds every figure of every replicate and their [`Estimate`]s;
//!   [`render_table`] prints it for a terminal, [`write_summary_json`] for programs.
//! - [`SeriesTable`] and [`PeopleTable`] stream the yearly series and the person records as
//!   Parquet or CSV (through `hailsham-table`), with typed columns [`SERIES_COLUMNS`] and
//!   [`PEOPLE_COLUMNS`]; [`write_metadata`] records what was run ([`Metadata`]).
//! - [`EventLog`] is an observer that streams every announcement of a replicate as one row of
//!   [`LOG_COLUMNS`], as Parquet or CSV; [`PeopleFile`] is the observer that streams the person
//!   records.
//! - [`OutputDir`] holds the files in a temporary sibling directory and renames it into place
//!   only when the run succeeds, so a directory under the final name is always complete; the
//!   folders a killed run left are removed once [`process`] says their process has ended (the
//!   run store asks it the same of a run's process).
//! - [`Comparison`] sets several scenarios' summaries side by side with each one's paired
//!   difference from the first ([`difference`]: replicate by replicate, since the scenarios
//!   share their random numbers); [`render_comparison`] prints it, [`write_comparison_json`]
//!   writes it.
//! - [`narrative()`] writes a paragraph in plain English from a comparison's numbers, and
//!   [`answer()`] the answer to the question a scenario declares; [`changes`] lists what a
//!   scenario changes against another.
//!
//! ```
//! use hailsham_outputs::{FIGURES, Summary, render_table};
//!
//! // Two replicates whose figures are all 1 and 3: every mean is 2.
//! let figure_count = FIGURES.len();
//! let summary = Summary::from_replicates(vec![vec![1.0; figure_count], vec![3.0; figure_count]]);
//! let clones = summary.get("clones_created").unwrap();
//! assert_eq!((clones.mean, clones.n), (2.0, 2));
//! let table = render_table(&summary, "example · seed 1 · 2 replicates");
//! assert!(table.starts_with("example"));
//! ```
//!
//! # Intervals of the mean, with Student's t
//!
//! Replicates differ only in their random streams, so a figure's values over replicates are
//! independent draws, and what a reader wants to know is how well their mean pins down the
//! model's expected value: the interval is `mean ± t(0.975, n - 1) · sd / √n`. It is not a
//! range of outcomes (how far one history might stray), which would need far more replicates
//! to estimate. Runs are costly, so `n` is small, often 5; there the normal factor 1.96 would
//! understate the uncertainty by a third or more, while Student's t (2.776 at 4 degrees of
//! freedom) is exact for normal draws and close for the sums and shares that figures are.
//! Sums run in replicate order, never in the order threads finish, so results are
//! bit-identical from run to run.
//!
//! # No timestamps
//!
//! **Architecture Invariant:** every byte written depends only on the scenario's bytes, the
//! seed, the number of replicates and the version. There are no dates of running, host names
//! or timings in any file, so two runs can be compared with `cmp`, and a file that differs
//! means a result that differs. Floats are printed with Rust's exact formatting (and
//! `serde_json`'s, for JSON), the same on every platform; NaN is written as an empty CSV field
//! or JSON `null`.
//!
//! **Architecture Invariant:** the world's types carry no serde: this crate writes them by
//! hand, so the model builds without a serialization library, and the output columns are
//! declared here, in one place.
#![deny(missing_docs)]

pub mod answer;
pub mod changes;
pub mod compare;
pub mod figures;
pub mod interval;
pub mod log;
pub mod narrative;
pub mod process;
#[doc(hidden)]
pub mod robust;
pub mod samples;
pub mod summary;
pub mod write;
mod writing;

pub use answer::{
    Answer, Declaration, Direction, Verdict, answer, answer_of, assumptions, declaration,
    figure_keys, point_verdict,
};
pub use changes::{Change, changes};
pub use compare::{
    Comparison, ComparisonMetadata, Difference, MARK, Printed, ScenarioIdentity, difference,
    paired_differences, printed, printed_difference, render_comparison, write_comparison_json,
    write_comparison_metadata,
};
pub use narrative::narrative;
pub use robust::{Bound, Ranged, Reversal, Robustness, Sensitivity, Spread, wilson};

pub use figures::{FIGURES, Figure, Group, Window, figure_index, figures, groups};
pub use hailsham_log::{LOG_COLUMNS, log_schema};
pub use interval::{Estimate, NON_NEGATIVE_UNITS, bounds, difference_bounds, estimate, t_975};
pub use log::EventLog;
pub use summary::{Summary, render_table};
pub use write::{
    DONATION_COLUMNS, FigureView, Metadata, OutputDir, OutputError, PEOPLE_COLUMNS, PeopleFile,
    PeopleTable, SERIES_COLUMNS, SeriesTable, people_schema, series_row, series_schema,
    write_metadata, write_summary_json,
};

/// The version of hailsham that wrote an output: recorded in every file, in the run store's
/// request identity and in every JSON answer, read here once.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
