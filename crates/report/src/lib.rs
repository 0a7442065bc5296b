//! hailsham's pictures: the charts of one run or several overlaid, as SVG and PNG, and the
//! self-contained HTML report of a scenario against another. Everything they show is computed
//! by `hailsham-outputs`; this crate only draws it, and is the only one that builds a plotting
//! library and a font.
//!
//! - [`charts`] draws six [`Chart`]s of one run or several overlaid ([`write_charts`] writes
//!   them as SVG and PNG).
//! - [`render_report`] writes one HTML page: the question, the change, the figures with their
//!   intervals, the charts and a paragraph on what moved.
//!
//! **Architecture Invariant:** nothing but the command line depends on this crate: the page,
//! the run store, sift and lives never build chart or font code.
#![deny(missing_docs)]

pub mod html;
pub mod plot;
pub mod robust;

pub use html::{ReportPage, render_report};
pub use plot::{CHART_STEMS, Chart, PlotError, PlotRun, charts, write_charts};
pub use robust::{indices_svg, robustness_html};
