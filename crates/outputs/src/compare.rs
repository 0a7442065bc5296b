//! Scenarios side by side: each figure's mean in every scenario, and each scenario's difference
//! from the first with a 95% interval of the paired difference.
//!
//! # Paired differences, because the random numbers are common
//!
//! `hailsham compare` runs replicate `r` of every scenario from the same streams (keyed by seed,
//! replicate and purpose), so replicate `r` of scenario B differs from replicate `r` of A only
//! where B's rules make the world draw or act differently. The noise the two share cancels in
//! the difference `B[r] - A[r]`, and the interval of the mean of those differences (Student's t
//! over the pairs, as [`estimate`] gives it) is much narrower than the two scenarios' own
//! intervals would suggest. A difference is **marked** when its interval excludes zero: the
//! replicates then say the change is more than noise. A figure that is identical in every
//! pair has a difference of exactly zero, an interval of zero width, and no mark.
//!
//! A pair in which either scenario has no value (NaN: the median age of no completions) is
//! skipped, so the mean difference can differ from the difference of the two means; `n` says
//! how many pairs an interval rests on.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};

use serde::Serialize;

use crate::figures::{FIGURES, figure_index};
use crate::interval::{Estimate, difference_bounds, estimate};
use crate::summary::{
    Style, Summary, decimals_for, fixed, group_thousands, pad, push_grouped, width,
};

/// One scenario's difference from the first in one figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// The mean of the paired differences and its 95% interval; `n` counts the pairs in which
    /// both scenarios have a value.
    pub estimate: Estimate,
    /// `other[r] - base[r]` for each replicate `r`, NaN where either is missing.
    pub values: Vec<f64>,
    /// Whether the interval excludes zero (it needs two pairs or more to exist).
    pub marked: bool,
}

/// `other[r] - base[r]` for each replicate, NaN where either value is not finite.
///
/// # Panics
///
/// If the two have different lengths: a comparison pairs replicate `r` with replicate `r`.
#[must_use]
pub fn paired_differences(base: &[f64], other: &[f64]) -> Vec<f64> {
    assert_eq!(
        base.len(),
        other.len(),
        "paired differences need as many replicates on each side"
    );
    base.iter()
        .zip(other)
        .map(|(a, b)| {
            if a.is_finite() && b.is_finite() {
                b - a
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// The paired difference `other - base` over replicates, its interval and mark.
///
/// # Panics
///
/// As [`paired_differences`].
#[must_use]
pub fn difference(base: &[f64], other: &[f64]) -> Difference {
    let values = paired_differences(base, other);
    let estimate = estimate(&values);
    Difference {
        marked: excludes_zero(&estimate),
        estimate,
        values,
    }
}

/// Whether a defined interval lies wholly above or wholly below zero.
fn excludes_zero(e: &Estimate) -> bool {
    e.n >= 2 && e.low.is_finite() && e.high.is_finite() && (e.low > 0.0 || e.high < 0.0)
}

/// Several scenarios run with the same seed and replicates: their summaries, and each one's
/// differences from the first.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The scenarios' names, the first being the one the others are compared with.
    pub names: Vec<String>,
    /// Each scenario's summary, in the order of `names`.
    pub summaries: Vec<Summary>,
    /// `differences[j][f]`: scenario `j + 1` minus scenario 0 in figure `f` ([`FIGURES`]
    /// order).
    pub differences: Vec<Vec<Difference>>,
}

impl Comparison {
    /// The comparison of `summaries` (one per name, the first is the base).
    ///
    /// # Panics
    ///
    /// If there are no scenarios, if names and summaries differ in number, or if the
    /// summaries have different numbers of replicates (the caller ran them together).
    #[must_use]
    pub fn new(names: Vec<String>, summaries: Vec<Summary>) -> Comparison {
        assert!(!names.is_empty(), "a comparison needs a scenario");
        assert_eq!(names.len(), summaries.len(), "one summary per name");
        let replicates = summaries[0].replicates.len();
        for summary in &summaries {
            assert_eq!(
                summary.replicates.len(),
                replicates,
                "every scenario of a comparison runs the same replicates"
            );
        }
        let column = |summary: &Summary, figure: usize| -> Vec<f64> {
            summary
                .replicates
                .iter()
                .map(|values| values.get(figure).copied().unwrap_or(f64::NAN))
                .collect()
        };
        let differences = summaries[1..]
            .iter()
            .map(|other| {
                (0..FIGURES.len())
                    .map(|f| {
                        let mut d = difference(&column(&summaries[0], f), &column(other, f));
                        // Two shares differ by a whole at most (see `Estimate::clamped`).
                        d.estimate = d.estimate.clamped(difference_bounds(FIGURES[f].unit));
                        d
                    })
                    .collect()
            })
            .collect();
        Comparison {
            names,
            summaries,
            differences,
        }
    }

    /// Replicates run of each scenario.
    #[must_use]
    pub fn replicates(&self) -> usize {
        self.summaries[0].replicates.len()
    }

    /// The difference of scenario `other` (an index into `names`, at least 1) from the first,
    /// in the figure named `key`.
    #[must_use]
    pub fn difference(&self, other: usize, key: &str) -> Option<&Difference> {
        self.differences
            .get(other.checked_sub(1)?)?
            .get(figure_index(key)?)
    }
}

/// The cells of one figure in one pairing, formatted for a reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cells {
    /// The base scenario's mean.
    pub base: String,
    /// The other scenario's mean.
    pub other: String,
    /// The mean paired difference, signed (`+0.52`, `-2.21`, `0`).
    pub difference: String,
    /// `(low to high)`, or why there is none (`n/a`), with `(n=3)` when pairs were skipped.
    pub interval: String,
    /// Whether the interval excludes zero.
    pub marked: bool,
}

/// Formats the figure `figure` of scenario `other` (at least 1) against the first.
pub fn cells(comparison: &Comparison, other: usize, figure: usize) -> Cells {
    let unit = FIGURES[figure].unit;
    let base = &comparison.summaries[0].estimates[figure];
    let them = &comparison.summaries[other].estimates[figure];
    let d = &comparison.differences[other - 1][figure];
    let replicates = comparison.replicates();
    let style = difference_style(unit, &d.estimate);
    let interval = if d.estimate.n == 0 {
        "n/a".to_string()
    } else if replicates < 2 {
        "n/a (1 replicate)".to_string()
    } else if d.estimate.n < 2 || !d.estimate.low.is_finite() || !d.estimate.high.is_finite() {
        "n/a (1 pair)".to_string()
    } else {
        // The unit (pp) once, after the difference: not again inside the brackets.
        let bare = |value| signed(style, value).trim_end_matches(" pp").to_string();
        let mut text = format!("({} to {})", bare(d.estimate.low), bare(d.estimate.high));
        if d.estimate.n < replicates {
            let _ = write!(text, " (n={})", d.estimate.n);
        }
        text
    };
    Cells {
        base: Style::of(unit, base.mean).format(base.mean),
        other: Style::of(unit, them.mean).format(them.mean),
        difference: if d.estimate.n == 0 {
            "n/a".to_string()
        } else {
            signed(style, d.estimate.mean)
        },
        interval,
        marked: d.marked,
    }
}

/// An estimate's mean and interval as the tables print them: the same digits everywhere a
/// reader sees the figure (the terminal, the report, the page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    /// The mean (`4.6`, `24.2%`, `+1,094`).
    pub mean: String,
    /// The interval's low end, in the mean's style.
    pub low: String,
    /// The interval's high end.
    pub high: String,
}

/// A figure of `unit`'s estimate as the summary table prints it.
#[must_use]
pub fn printed(estimate: &Estimate, unit: &str) -> Printed {
    let style = Style::of(unit, estimate.mean);
    Printed {
        mean: style.format(estimate.mean),
        low: style.format(estimate.low),
        high: style.format(estimate.high),
    }
}

/// A paired difference of a figure of `unit` as the comparison table prints it: signed,
/// shares in percentage points (`+5.2 pp`).
#[must_use]
pub fn printed_difference(difference: &Estimate, unit: &str) -> Printed {
    let style = difference_style(unit, difference);
    Printed {
        mean: signed(style, difference.mean),
        low: signed(style, difference.low),
        high: signed(style, difference.high),
    }
}

/// The style of a difference: decimals from the larger of the difference and the interval's
/// half-width, so an interval never prints as `(0 to 0)` around a nonzero spread. Shares
/// differ in percentage points.
pub(crate) fn difference_style(unit: &str, d: &Estimate) -> Style {
    let half = if d.half_width().is_finite() {
        d.half_width()
    } else {
        0.0
    };
    let mean = if d.mean.is_finite() { d.mean } else { 0.0 };
    let magnitude = mean.abs().max(half);
    match unit {
        "share" => Style {
            percent: true,
            decimals: decimals_for(magnitude * 100.0, 1),
        },
        "years" => Style {
            percent: false,
            decimals: if magnitude >= 1000.0 {
                0
            } else {
                decimals_for(magnitude, 1).max(1)
            },
        },
        _ => Style {
            percent: false,
            decimals: decimals_for(magnitude, 0),
        },
    }
}

/// A difference with its sign: `+1.20`, `-0.35`, `0`; shares in percentage points (`+5.2 pp`).
pub(crate) fn signed(style: Style, value: f64) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let scaled = if style.percent { value * 100.0 } else { value };
    let text = group_thousands(&fixed(scaled, style.decimals));
    let zero = text.chars().all(|c| c == '0' || c == '.' || c == ',');
    let mut out = if zero {
        "0".to_string()
    } else if text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    };
    if style.percent {
        out.push_str(" pp");
    }
    out
}

const INDENT: usize = 2;
const GAP: &str = "  ";
/// The widest a block of the table may grow before the next scenario goes to a new block.
const WIDTH_MAX: usize = 118;
/// The mark of a difference whose interval excludes zero.
pub const MARK: &str = "*";

/// The comparison as plain text for a terminal: `title`, then one block per group of scenarios
/// that fits in about 120 columns (all of them, for two or three), each with one line per
/// figure under the group headings: the first scenario's mean, then for each other scenario
/// its mean and its difference from the first with the 95% interval, marked [`MARK`] when the
/// interval excludes zero. The same comparison always gives the same text.
#[must_use]
pub fn render_comparison(comparison: &Comparison, title: &str) -> String {
    let others = comparison.names.len() - 1;
    let layout = Layout::of(comparison);
    let mut out = String::new();
    out.push_str(title.trim_end());
    out.push('\n');
    for block in &layout.blocks() {
        out.push('\n');
        render_block(&mut out, comparison, &layout, block);
    }
    if others > 0 {
        let _ = write!(
            out,
            "\nA difference is a scenario's value minus {}'s, replicate by replicate ({} pair{}): its \
             mean and 95% interval.\n{MARK} marks an interval that excludes zero. Shares differ in \
             percentage points (pp).\n",
            comparison.names[0],
            comparison.replicates(),
            if comparison.replicates() == 1 {
                ""
            } else {
                "s"
            }
        );
    }
    out
}

/// The cells of a comparison's table and the width of each of its columns.
struct Layout {
    /// For each other scenario, the cells of each figure.
    all_cells: Vec<Vec<Cells>>,
    label_width: usize,
    unit_width: usize,
    /// The first scenario's mean column.
    base_width: usize,
    /// Each other scenario: its mean column, and one column of difference, interval and mark.
    widths: Vec<(usize, usize)>,
}

impl Layout {
    /// Every cell of the comparison, and each column as wide as its widest cell or heading.
    fn of(comparison: &Comparison) -> Layout {
        let others = comparison.names.len() - 1;
        let label_width = FIGURES
            .iter()
            .map(|f| width(f.label) + INDENT)
            .fold(width("figure"), usize::max);
        let unit_width = FIGURES
            .iter()
            .map(|f| width(f.unit))
            .fold(width("unit"), usize::max);
        let all_cells: Vec<Vec<Cells>> = (1..=others)
            .map(|other| {
                (0..FIGURES.len())
                    .map(|f| cells(comparison, other, f))
                    .collect()
            })
            .collect();
        let base_width = FIGURES
            .iter()
            .enumerate()
            .map(|(f, _)| {
                all_cells
                    .first()
                    .map_or_else(|| base_only(comparison, f), |c| c[f].base.clone())
            })
            .map(|text| width(&text))
            .fold(width(&comparison.names[0]), usize::max);
        let widths: Vec<(usize, usize)> = all_cells
            .iter()
            .enumerate()
            .map(|(j, column)| {
                let mean = column
                    .iter()
                    .map(|c| width(&c.other))
                    .fold(width(&comparison.names[j + 1]), usize::max);
                let difference = column
                    .iter()
                    .map(|c| width(&difference_cell(c)))
                    .fold(width(difference_heading()), usize::max);
                (mean, difference)
            })
            .collect();
        Layout {
            all_cells,
            label_width,
            unit_width,
            base_width,
            widths,
        }
    }

    /// The other scenarios in blocks, each as many as fit in [`WIDTH_MAX`] columns beside
    /// the figure, the first scenario and the unit (one block at least, if empty).
    fn blocks(&self) -> Vec<Vec<usize>> {
        let fixed_width =
            self.label_width + GAP.len() + self.base_width + GAP.len() + self.unit_width;
        let mut blocks: Vec<Vec<usize>> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        let mut current_width = fixed_width;
        for (j, (mean, difference)) in self.widths.iter().enumerate() {
            let added = GAP.len() + mean + GAP.len() + difference;
            if !current.is_empty() && current_width + added > WIDTH_MAX {
                blocks.push(std::mem::take(&mut current));
                current_width = fixed_width;
            }
            current.push(j);
            current_width += added;
        }
        if !current.is_empty() || blocks.is_empty() {
            blocks.push(current);
        }
        blocks
    }
}

/// One block of the table: its header and rule, then each group of figures under its
/// heading, a line a figure with the other scenarios of `block`.
fn render_block(out: &mut String, comparison: &Comparison, layout: &Layout, block: &[usize]) {
    let label_width = layout.label_width;
    let mut header = format!(
        "{:<label_width$}{GAP}{}{}",
        "figure",
        pad(layout.base_width, &comparison.names[0]),
        comparison.names[0]
    );
    for &j in block {
        let (mean, difference) = layout.widths[j];
        let name = &comparison.names[j + 1];
        let heading = difference_heading();
        let _ = write!(
            header,
            "{GAP}{}{name}{GAP}{heading}{}",
            pad(mean, name),
            pad(difference, heading)
        );
    }
    let _ = write!(header, "{GAP}unit");
    let rule = width(&header) - width("unit") + layout.unit_width;
    out.push_str(header.trim_end());
    out.push('\n');
    out.push_str(&"-".repeat(rule));
    out.push('\n');
    push_grouped(out, |f| Some(figure_line(comparison, layout, block, f)));
}

/// The line of figure `f` in a block: its label, the first scenario's mean, each other
/// scenario's mean and difference, and the unit.
fn figure_line(comparison: &Comparison, layout: &Layout, block: &[usize], f: usize) -> String {
    let base = layout
        .all_cells
        .first()
        .map_or_else(|| base_only(comparison, f), |c| c[f].base.clone());
    let mut line = format!(
        "{:INDENT$}{:<inner$}{GAP}{}{base}",
        "",
        FIGURES[f].label,
        pad(layout.base_width, &base),
        inner = layout.label_width - INDENT
    );
    for &j in block {
        let (mean, difference) = layout.widths[j];
        let c = &layout.all_cells[j][f];
        let d = difference_cell(c);
        let _ = write!(
            line,
            "{GAP}{}{}{GAP}{d}{}",
            pad(mean, &c.other),
            c.other,
            pad(difference, &d)
        );
    }
    let _ = write!(line, "{GAP}{}", FIGURES[f].unit);
    line
}

fn base_only(comparison: &Comparison, figure: usize) -> String {
    let e = &comparison.summaries[0].estimates[figure];
    Style::of(FIGURES[figure].unit, e.mean).format(e.mean)
}

fn difference_heading() -> &'static str {
    "difference (95% interval)"
}

/// `+0.52 (+0.40 to +0.64) *`: the difference, its interval, and the mark if any.
fn difference_cell(c: &Cells) -> String {
    let mut text = format!("{} {}", c.difference, c.interval);
    if c.marked {
        text.push(' ');
        text.push_str(MARK);
    }
    text
}

/// A scenario's identity in a comparison's files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioIdentity {
    /// The scenario's name.
    pub name: String,
    /// The folder of the output directory its summary and series are written to.
    pub folder: String,
    /// The scenario files read, the chain of `base`s first (empty for the built-in `novel`).
    pub scenario_files: Vec<String>,
    /// The hash of its resolved parameters.
    pub scenario_hash: String,
    /// The first calendar year of its runs.
    pub start_year: i32,
    /// The year its runs end at.
    pub end_year: i32,
}

/// What a comparison was: enough to reproduce it. Written as the comparison's `metadata.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComparisonMetadata {
    /// The scenarios, the first being the one the others are compared with.
    pub scenarios: Vec<ScenarioIdentity>,
    /// The master seed every scenario ran with.
    pub seed: u64,
    /// Replicates run of each scenario.
    pub replicates: u32,
    /// The version of hailsham that ran it.
    pub version: String,
}

/// Writes `metadata` as pretty JSON with a final newline.
///
/// # Errors
///
/// Any error of `w`.
pub fn write_comparison_metadata<W: Write>(w: W, metadata: &ComparisonMetadata) -> io::Result<()> {
    let mut w = BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, metadata).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

#[derive(Serialize)]
struct ComparisonFile<'a> {
    #[serde(flatten)]
    metadata: &'a ComparisonMetadata,
    figures: Vec<FigureComparison<'a>>,
}

#[derive(Serialize)]
struct FigureComparison<'a> {
    key: &'a str,
    label: &'a str,
    unit: &'a str,
    scenarios: Vec<ScenarioValues<'a>>,
}

#[derive(Serialize)]
struct ScenarioValues<'a> {
    name: &'a str,
    mean: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    n: usize,
    values: Vec<Option<f64>>,
    /// The paired difference from the first scenario; absent for the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    difference: Option<DifferenceEntry>,
}

#[derive(Serialize)]
struct DifferenceEntry {
    mean: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    n: usize,
    marked: bool,
    values: Vec<Option<f64>>,
}

/// A finite number, or `None` (JSON `null`) for NaN and infinity.
fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

/// Writes the whole comparison as pretty JSON: the metadata's fields, then `figures`, each
/// with `key`, `label`, `unit` and, per scenario, `name`, `mean`, `low`, `high`, `n`, the
/// per-replicate `values` and (for all but the first) the paired `difference` with its
/// interval, `marked` and per-replicate values. NaN and infinity become `null`.
///
/// # Errors
///
/// Any error of `w`.
///
/// # Panics
///
/// If `metadata` names a different number of scenarios than `comparison` holds.
pub fn write_comparison_json<W: Write>(
    w: W,
    comparison: &Comparison,
    metadata: &ComparisonMetadata,
) -> io::Result<()> {
    assert_eq!(metadata.scenarios.len(), comparison.names.len());
    let figures = FIGURES
        .iter()
        .enumerate()
        .map(|(f, figure)| FigureComparison {
            key: figure.key,
            label: figure.label,
            unit: figure.unit,
            scenarios: comparison
                .names
                .iter()
                .zip(&comparison.summaries)
                .enumerate()
                .map(|(s, (name, summary))| {
                    let e = &summary.estimates[f];
                    ScenarioValues {
                        name,
                        mean: finite(e.mean),
                        low: finite(e.low),
                        high: finite(e.high),
                        n: e.n,
                        values: summary
                            .replicates
                            .iter()
                            .map(|values| values.get(f).copied().and_then(finite))
                            .collect(),
                        difference: s.checked_sub(1).map(|j| {
                            let d = &comparison.differences[j][f];
                            DifferenceEntry {
                                mean: finite(d.estimate.mean),
                                low: finite(d.estimate.low),
                                high: finite(d.estimate.high),
                                n: d.estimate.n,
                                marked: d.marked,
                                values: d.values.iter().copied().map(finite).collect(),
                            }
                        }),
                    }
                })
                .collect(),
        })
        .collect();
    let file = ComparisonFile { metadata, figures };
    let mut w = BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, &file).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::samples::summary_with;

    fn metadata(names: &[&str]) -> ComparisonMetadata {
        ComparisonMetadata {
            scenarios: names
                .iter()
                .map(|name| ScenarioIdentity {
                    name: (*name).to_string(),
                    folder: (*name).to_string(),
                    scenario_files: Vec::new(),
                    scenario_hash: "abc".to_string(),
                    start_year: 1952,
                    end_year: 2000,
                })
                .collect(),
            seed: 1,
            replicates: 3,
            version: "0.1.0".to_string(),
        }
    }

    #[test]
    fn paired_differences_of_known_vectors() {
        // Goal: the difference is taken replicate by replicate, and its interval is Student's
        // over the pairs, not over either side's own spread.
        let base = [10.0, 20.0, 30.0, 40.0];
        let other = [11.0, 22.0, 33.0, 44.0];
        assert_eq!(paired_differences(&base, &other), vec![1.0, 2.0, 3.0, 4.0]);
        let d = difference(&base, &other);
        assert_eq!(d.estimate.mean, 2.5);
        assert_eq!(d.estimate.n, 4);
        // sd of 1..4 is √(5/3); t(3) = 3.182.
        let half = 3.182 * (5.0_f64 / 3.0).sqrt() / 2.0;
        assert!((d.estimate.half_width() - half).abs() < 1e-12, "{d:?}");
        assert!(d.marked, "0.47 to 4.53 excludes zero");

        // The sides spread from 10 to 40, yet a steady shift of -0.5 is certain.
        let shifted = difference(&base, &[9.5, 19.5, 29.5, 39.5]);
        assert_eq!(
            (
                shifted.estimate.mean,
                shifted.estimate.low,
                shifted.estimate.high
            ),
            (-0.5, -0.5, -0.5)
        );
        assert!(shifted.marked);

        // Differences that straddle zero are not marked.
        let noise = difference(&[1.0, 2.0, 3.0], &[1.5, 1.5, 3.0]);
        assert!(noise.estimate.low < 0.0 && noise.estimate.high > 0.0);
        assert!(!noise.marked);
    }

    #[test]
    fn identical_figures_differ_by_exactly_zero_and_are_not_marked() {
        let values = [3.21, 3.5, 2.9, 3.0, 3.3];
        let d = difference(&values, &values);
        assert_eq!(
            (
                d.estimate.mean,
                d.estimate.low,
                d.estimate.high,
                d.estimate.n
            ),
            (0.0, 0.0, 0.0, 5)
        );
        assert!(!d.marked);
    }

    #[test]
    fn pairs_with_a_missing_side_are_skipped() {
        let d = difference(&[1.0, f64::NAN, 3.0, 4.0], &[2.0, 5.0, f64::NAN, 6.0]);
        assert!(d.values[1].is_nan() && d.values[2].is_nan());
        assert_eq!((d.estimate.mean, d.estimate.n), (1.5, 2));
        let none = difference(&[f64::NAN; 3], &[1.0; 3]);
        assert_eq!(none.estimate.n, 0);
        assert!(!none.marked);
        let one = difference(&[1.0, f64::NAN], &[3.0, 2.0]);
        assert_eq!(one.estimate.n, 1);
        assert!(!one.marked, "one pair has no interval");
    }

    #[test]
    fn a_comparison_with_itself_marks_nothing() {
        let summary = summary_with(
            2.0,
            3,
            &[
                ("clones_created", &[100.0, 110.0, 120.0]),
                ("demand_met_share", &[0.5, f64::NAN, 0.7]),
            ],
        );
        let comparison = Comparison::new(
            vec!["novel".into(), "novel".into()],
            vec![summary.clone(), summary],
        );
        for d in &comparison.differences[0] {
            assert!(!d.marked);
            if d.estimate.n > 0 {
                assert_eq!(
                    (d.estimate.mean, d.estimate.low, d.estimate.high),
                    (0.0, 0.0, 0.0)
                );
            }
        }
        let table = render_comparison(&comparison, "novel against novel");
        assert!(
            !table
                .lines()
                .any(|l| l.ends_with(&format!("{MARK}  people")) || l.contains(" * "))
        );
        let clones = table
            .lines()
            .find(|l| l.trim_start().starts_with("clones created"))
            .expect("a line");
        assert!(clones.contains("0 (0 to 0)"), "{clones}");
    }

    #[test]
    fn table_of_two_scenarios_shows_means_differences_and_marks() {
        let base = summary_with(
            1.0,
            3,
            &[
                ("donations_per_donor_mean", &[3.2, 3.25, 3.18]),
                ("clones_created", &[271_000.0, 272_000.0, 270_000.0]),
                ("completed_at_1_share", &[0.10, 0.11, 0.12]),
            ],
        );
        let other = summary_with(
            1.0,
            3,
            &[
                ("donations_per_donor_mean", &[1.0, 1.0, 1.0]),
                ("clones_created", &[271_500.0, 271_000.0, 270_600.0]),
                ("completed_at_1_share", &[1.0, 1.0, 1.0]),
            ],
        );
        let comparison = Comparison::new(
            vec!["novel".into(), "single-harvest".into()],
            vec![base, other],
        );
        let title = "novel against single-harvest · seed 1 · 3 replicates · 1952-2000";
        let table = render_comparison(&comparison, title);
        assert_eq!(
            table,
            render_comparison(&comparison, title),
            "deterministic"
        );
        assert!(table.starts_with(title));
        let line = |label: &str| {
            table
                .lines()
                .find(|l| l.trim_start().starts_with(label))
                .unwrap_or_else(|| panic!("no line {label}\n{table}"))
                .to_string()
        };
        let donations = line("donations per completed donor");
        assert!(donations.contains("3.21"), "{donations}");
        assert!(donations.contains("1.00"), "{donations}");
        assert!(donations.contains("-2.21 ("), "{donations}");
        assert!(donations.contains(&format!(") {MARK}")), "{donations}");
        let clones = line("clones created");
        assert!(clones.contains("+33 ("), "{clones}");
        assert!(!clones.contains(MARK), "within noise: {clones}");
        let first = line("completed at 1st donation");
        assert!(
            first.contains("11.0%") && first.contains("100.0%"),
            "{first}"
        );
        assert!(first.contains("+89.0 pp ("), "{first}");
        assert!(!first.contains("pp to"), "the unit once: {first}");
        for l in table.lines() {
            assert!(width(l) <= 120, "too wide ({}): {l}", width(l));
            assert_eq!(l, l.trim_end(), "trailing space: {l:?}");
        }
        assert!(table.contains("single-harvest"));
        assert!(table.contains("excludes zero"));
        assert!(table.contains("difference (95% interval)"));
    }

    #[test]
    fn many_scenarios_wrap_into_blocks_of_readable_width() {
        let names: Vec<String> = [
            "novel",
            "hailsham-everywhere",
            "single-harvest",
            "told-plainly",
            "grown-organs",
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
        let summaries = (0..names.len())
            .map(|i| summary_with(1.0 + f64::from(u8::try_from(i).unwrap()), 2, &[]))
            .collect();
        let comparison = Comparison::new(names.clone(), summaries);
        let table = render_comparison(&comparison, "five");
        for l in table.lines() {
            assert!(width(l) <= 120, "too wide ({}): {l}", width(l));
        }
        for name in &names {
            assert!(table.contains(name.as_str()), "{name}");
        }
        let headers = table.lines().filter(|l| l.starts_with("figure")).count();
        assert!(headers >= 2, "more than one block:\n{table}");
    }

    #[test]
    fn comparison_json_has_every_figure_and_null_for_nan() {
        let base = summary_with(1.0, 3, &[("demand_met_share", &[0.5, f64::NAN, 0.7])]);
        let other = summary_with(2.0, 3, &[("demand_met_share", &[0.6, 0.6, 0.8])]);
        let comparison = Comparison::new(vec!["a".into(), "b".into()], vec![base, other]);
        let mut out = Vec::new();
        write_comparison_json(&mut out, &comparison, &metadata(&["a", "b"])).expect("vec");
        let text = String::from_utf8(out).expect("utf8");
        assert!(!text.contains("NaN"));
        let json: serde_json::Value = serde_json::from_str(&text).expect("parses");
        assert_eq!(json["seed"], 1);
        assert_eq!(json["scenarios"][1]["name"], "b");
        let figures = json["figures"].as_array().expect("array");
        assert_eq!(figures.len(), FIGURES.len());
        let demand = figures
            .iter()
            .find(|f| f["key"] == "demand_met_share")
            .expect("figure");
        assert_eq!(demand["scenarios"][0]["values"][1], serde_json::Value::Null);
        assert!(demand["scenarios"][0].get("difference").is_none());
        let d = &demand["scenarios"][1]["difference"];
        assert_eq!(d["n"], 2);
        assert_eq!(d["values"][1], serde_json::Value::Null);
        let clones = &figures[0]["scenarios"][1]["difference"];
        assert_eq!(clones["mean"], 1.0);
        assert_eq!(clones["marked"], true);
        let mut again = Vec::new();
        write_comparison_json(&mut again, &comparison, &metadata(&["a", "b"])).expect("vec");
        assert_eq!(again, text.as_bytes());
    }

    #[test]
    fn signed_numbers() {
        let plain = Style {
            percent: false,
            decimals: 2,
        };
        assert_eq!(signed(plain, 1.234), "+1.23");
        assert_eq!(signed(plain, -2.2), "-2.20");
        assert_eq!(signed(plain, -0.0001), "0");
        assert_eq!(signed(plain, f64::NAN), "n/a");
        let points = Style {
            percent: true,
            decimals: 1,
        };
        assert_eq!(signed(points, 0.052), "+5.2 pp");
        let counts = Style {
            percent: false,
            decimals: 0,
        };
        assert_eq!(signed(counts, 12_345.0), "+12,345");
    }
}
