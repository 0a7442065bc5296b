//! Charts of one run or of several scenarios overlaid, as SVG and PNG.
//!
//! [`charts`] turns the replicates of each scenario (yearly rows and tallies) into six
//! [`Chart`]s, each a title and one or more panels of lines, bands and bars in data
//! coordinates; [`Chart::svg`] and [`Chart::png`] draw the same chart with plotters' SVG and
//! bitmap backends. The charts ([`CHART_STEMS`] names their files):
//!
//! 1. `population-by-stage`: students, veterans, carers and donors alive at each year's end;
//! 2. `organs-and-demand`: organs supplied and new patients (the demand) per year;
//! 3. `age-at-completion`: the share of completions by year of age;
//! 4. `donations-per-donor`: the share of donors completing at the 1st to the 4th donation;
//! 5. `carer-careers`: the share of finished carer careers by length in whole years;
//! 6. `outsiders-knowing`: the share of outsiders who know, year by year.
//!
//! Every line is a mean over replicates; yearly lines carry a band from the lowest to the
//! highest replicate, and bars a whisker for the 95% interval of their mean, so no chart shows
//! one run as the answer. Each scenario has one colour, the same on every chart, in the order
//! the scenarios were given. With one scenario the population chart colours its four stages
//! instead; with several it draws one panel per stage.
//!
//! # Text without system fonts
//!
//! plotters' bitmap backend needs glyph outlines. Its default `ttf` feature finds system fonts
//! through font-kit, which needs fontconfig and freetype on the machine and draws with
//! whatever font the machine has. This crate uses the `ab_glyph` feature with DejaVu Sans
//! (`assets/DejaVuSans.ttf`, Bitstream Vera licence, `assets/LICENSE-DejaVu.txt`) compiled
//! in, so a PNG needs nothing from the machine and comes out the same byte for byte
//! everywhere. SVG text names the generic `sans-serif` family and is laid out with the same
//! font's metrics.
//!
//! plotters 0.3.7 draws each ab_glyph glyph at the pen position without its left side
//! bearing, so words come out gapped ("on e", "stu dents"). PNGs are therefore drawn on a
//! [`Canvas`]: the bitmap backend with its own `draw_text`, which places every glyph where
//! ab_glyph puts it (pen position, kerning and bearing), and otherwise defers to plotters.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use hailsham_world::{DAYS_PER_YEAR, Histogram, Tally, YearRow};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters_backend::text_anchor::{HPos, VPos};
// `BackendStyle` is named in full where needed: in scope, its `stroke_width` would clash with
// that of plotters' `Color`.
use plotters_backend::{BackendColor, BackendCoord, BackendTextStyle, DrawingErrorKind};

use hailsham_outputs::estimate;
use hailsham_outputs::summary::group_thousands;

/// The file stems of the charts, in the order [`charts`] returns them.
pub const CHART_STEMS: [&str; 6] = [
    "population-by-stage",
    "organs-and-demand",
    "age-at-completion",
    "donations-per-donor",
    "carer-careers",
    "outsiders-knowing",
];

/// Width of every chart, in pixels.
pub const WIDTH_PIXELS: u32 = 1000;
/// Height of every chart, in pixels.
pub const HEIGHT_PIXELS: u32 = 620;

/// The font every chart's text is laid out and (in PNG) drawn with.
static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

/// Okabe and Ito's colours, told apart also by readers with colour-blindness; black last.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

/// The colour of the scenario given `index`th: the same on every chart.
fn scenario_colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// The stroke of the scenario given `index`th of `count`: with several, the first is drawn
/// broad and the others narrow on top of it, so lines that coincide (a figure the change does
/// not touch) still show both colours.
fn scenario_stroke(index: usize, count: usize) -> u32 {
    match (count, index) {
        (1, _) => 3,
        (_, 0) => 5,
        _ => 2,
    }
}

const GRID: RGBColor = RGBColor(225, 225, 225);
const INK: RGBColor = RGBColor(40, 40, 40);
const FAINT_INK: RGBColor = RGBColor(95, 95, 95);

/// What charts are drawn from: one scenario's replicates.
#[derive(Clone, Copy, Debug)]
pub struct PlotRun<'a> {
    /// The scenario's name, for titles and legends.
    pub name: &'a str,
    /// Each replicate's yearly rows, in replicate order.
    pub series: &'a [Vec<YearRow>],
    /// Each replicate's tally, in replicate order.
    pub tallies: &'a [Tally],
}

/// Why a chart could not be drawn or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// The compiled-in font could not be read (a bug of the build).
    #[error("the charts' font could not be loaded")]
    Font,
    /// plotters or the PNG encoder failed.
    #[error("drawing the chart {chart}: {message}")]
    Draw {
        /// The chart's file stem.
        chart: &'static str,
        /// What failed.
        message: String,
    },
    /// A chart file could not be written.
    #[error("writing {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

/// How an axis prints its ticks.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Axis {
    /// Calendar years: `1975`.
    Year,
    /// Counts: `120,000`.
    Count,
    /// Shares from 0 to 1, printed as percentages: `45%`.
    Share,
    /// Years of age or of a career: `30`.
    Years,
    /// Donation numbers: `1st` to `4th`, nothing between.
    Ordinal,
}

impl Axis {
    /// The tick text of `value` on an axis spanning `span`.
    fn format(self, value: f64, span: f64) -> String {
        match self {
            Axis::Year | Axis::Years => format!("{value:.0}"),
            Axis::Count => group_thousands(&format!("{value:.0$}", tick_decimals(span))),
            Axis::Share => format!("{:.*}%", tick_decimals(span * 100.0), value * 100.0),
            Axis::Ordinal => {
                let rounded = value.round();
                if (value - rounded).abs() > 1e-6 || rounded < 1.0 {
                    return String::new();
                }
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let n = rounded as u64; // A small positive whole number, checked above.
                let suffix = match (n % 10, n % 100) {
                    (1, r) if r != 11 => "st",
                    (2, r) if r != 12 => "nd",
                    (3, r) if r != 13 => "rd",
                    _ => "th",
                };
                format!("{n}{suffix}")
            }
        }
    }
}

/// Decimals for ticks about a sixth of `span` apart: none for steps of 1 or more.
fn tick_decimals(span: f64) -> usize {
    let step = span / 6.0;
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        0
    } else {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let decimals = (-step.log10().floor()) as usize; // step < 1, so positive.
        decimals.min(6)
    }
}

/// A line of a panel: a mean over replicates, with an optional band.
#[derive(Clone, Debug)]
struct Line {
    colour: RGBColor,
    /// Stroke width in pixels.
    stroke: u32,
    dashed: bool,
    points: Vec<(f64, f64)>,
    /// (x, lowest, highest) over replicates.
    band: Vec<(f64, f64, f64)>,
    /// Whether to shade the area under the line (histograms).
    fill: bool,
}

/// A bar with a whisker for the 95% interval of its mean.
#[derive(Clone, Debug)]
struct Bar {
    colour: RGBColor,
    left: f64,
    right: f64,
    height: f64,
    low: f64,
    high: f64,
}

/// One plotting area: axes, lines and bars.
#[derive(Clone, Debug)]
struct Panel {
    heading: Option<String>,
    x_desc: String,
    y_desc: String,
    x_axis: Axis,
    y_axis: Axis,
    x_range: (f64, f64),
    y_range: (f64, f64),
    lines: Vec<Line>,
    bars: Vec<Bar>,
    /// Said over the plot when something has no data (a scenario with no carers).
    note: Option<String>,
}

impl Panel {
    /// A panel of `lines` over the years, its axes fitted to them: `heading` over it, `y_desc`
    /// up its side, values drawn as `y_axis` has them.
    fn yearly(heading: Option<String>, y_desc: &str, y_axis: Axis, lines: Vec<Line>) -> Panel {
        let (x_range, y_range) = ranges(&lines);
        Panel {
            heading,
            x_desc: "year".to_string(),
            y_desc: y_desc.to_string(),
            x_axis: Axis::Year,
            y_axis,
            x_range,
            y_range,
            lines,
            bars: Vec::new(),
            note: None,
        }
    }
}

/// How a legend entry is drawn.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Mark {
    Solid,
    Dashed,
    Block,
}

#[derive(Clone, Debug)]
struct LegendEntry {
    label: String,
    colour: RGBColor,
    mark: Mark,
}

/// One chart, in data coordinates, ready to be drawn as SVG or PNG.
#[derive(Clone, Debug)]
pub struct Chart {
    /// The file stem (`population-by-stage`), one of [`CHART_STEMS`].
    pub stem: &'static str,
    /// The title: what is shown, of which scenarios, with which seed.
    pub title: String,
    /// What the lines, bands and bars are.
    pub subtitle: String,
    legend: Vec<LegendEntry>,
    panels: Vec<Panel>,
    /// Rows and columns of panels.
    grid: (usize, usize),
}

/// The six charts of `runs` (one per scenario, the first given first), with `seed` in titles.
///
/// # Panics
///
/// If `runs` is empty.
#[must_use]
pub fn charts(runs: &[PlotRun<'_>], seed: u64) -> Vec<Chart> {
    assert!(!runs.is_empty(), "charts need a run");
    let names: Vec<&str> = runs.iter().map(|r| r.name).collect();
    // Titles name every scenario while they fit on one line; past that the legend names them.
    let mut who = names.join(" vs ");
    if who.chars().count() > 48 {
        let others = names.len() - 1;
        who = format!(
            "{} vs {others} other scenario{}",
            names[0],
            if others == 1 { "" } else { "s" }
        );
    }
    let replicates = runs.iter().map(|r| r.tallies.len()).max().unwrap_or(0);
    let years = year_span(runs);
    let of = |what: &str| format!("{what} · {who} · seed {seed}");
    let yearly_note = format!(
        "{years} · lines: mean of {replicates} replicate{}; shading: lowest to highest replicate",
        plural(replicates)
    );
    let histogram_note = format!(
        "{years} · share of each replicate's total, mean of {replicates} replicate{}",
        plural(replicates)
    );
    let bar_note = format!(
        "{years} · bars: mean of {replicates} replicate{}; whiskers: 95% interval of the mean",
        plural(replicates)
    );
    let mut charts = vec![
        population(runs, of("Population by stage"), yearly_note.clone()),
        organs(
            runs,
            of("Organs supplied against demand"),
            yearly_note.clone(),
        ),
        age_histogram(
            runs,
            CHART_STEMS[2],
            of("Age at completion"),
            histogram_note.clone(),
            "age at completion (years)",
            "share of completions at that age",
            |t| &t.completion_age_days,
        ),
        donations(runs, of("Donations per donor"), bar_note),
        age_histogram(
            runs,
            CHART_STEMS[4],
            of("Carer career lengths"),
            histogram_note,
            "years as a carer (whole years, training excluded)",
            "share of finished careers of that length",
            |t| &t.career_days,
        ),
        knowing(runs, of("Outsiders who know"), yearly_note),
    ];
    for (chart, stem) in charts.iter_mut().zip(CHART_STEMS) {
        debug_assert_eq!(chart.stem, stem);
    }
    charts.shrink_to_fit();
    charts
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `1952–2000`, or each scenario's years when they differ.
fn year_span(runs: &[PlotRun<'_>]) -> String {
    let spans: Vec<Option<(i32, i32)>> = runs
        .iter()
        .map(|r| {
            let rows = r.series.first()?;
            Some((rows.first()?.year, rows.last()?.year + 1))
        })
        .collect();
    match spans.first() {
        Some(Some((start, end))) if spans.iter().all(|s| *s == spans[0]) => {
            format!("{start}–{end}")
        }
        _ => runs
            .iter()
            .zip(&spans)
            .map(|(r, s)| match s {
                Some((start, end)) => format!("{} {start}–{end}", r.name),
                None => format!("{} no years", r.name),
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Mean, lowest and highest over replicates of `value` in each year, for one scenario's rows.
fn yearly(series: &[Vec<YearRow>], value: impl Fn(&YearRow) -> f64) -> Line {
    let mut points = Vec::new();
    let mut band = Vec::new();
    let Some(first) = series.first() else {
        return line(PALETTE[0], points, band);
    };
    for (i, row) in first.iter().enumerate() {
        let values: Vec<f64> = series
            .iter()
            .filter_map(|rows| rows.get(i))
            .filter(|r| r.year == row.year)
            .map(&value)
            .filter(|v| v.is_finite())
            .collect();
        if values.is_empty() {
            continue;
        }
        #[allow(clippy::cast_precision_loss)] // Replicates number far fewer than 2^53.
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let x = f64::from(row.year);
        points.push((x, mean));
        band.push((x, low, high));
    }
    line(PALETTE[0], points, band)
}

fn line(colour: RGBColor, points: Vec<(f64, f64)>, band: Vec<(f64, f64, f64)>) -> Line {
    Line {
        colour,
        stroke: 3,
        dashed: false,
        points,
        band,
        fill: false,
    }
}

/// A count as a float: exact below 2^53, far beyond any count a run makes.
#[allow(clippy::cast_precision_loss)]
fn count(n: u64) -> f64 {
    n as f64
}

/// The x range of every line's points, and a y range from zero to a little above the highest
/// point or band.
fn ranges(lines: &[Line]) -> ((f64, f64), (f64, f64)) {
    let mut x = (f64::INFINITY, f64::NEG_INFINITY);
    let mut y_max: f64 = 0.0;
    for l in lines {
        for &(px, py) in &l.points {
            x = (x.0.min(px), x.1.max(px));
            y_max = y_max.max(py);
        }
        for &(_, _, high) in &l.band {
            y_max = y_max.max(high);
        }
    }
    if !(x.0.is_finite() && x.1.is_finite()) {
        x = (0.0, 1.0);
    }
    if x.1 <= x.0 {
        x.1 = x.0 + 1.0;
    }
    (x, (0.0, y_top(y_max)))
}

/// A little headroom above `max`; 1 when there is nothing to show.
fn y_top(max: f64) -> f64 {
    if max.is_finite() && max > 0.0 {
        max * 1.08
    } else {
        1.0
    }
}

/// A stage of life by name, with how many were in it at a year's end.
type Stage = (&'static str, fn(&YearRow) -> f64);

fn population(runs: &[PlotRun<'_>], title: String, subtitle: String) -> Chart {
    let stages: [Stage; 4] = [
        ("students", |r| count(r.students)),
        ("veterans", |r| count(r.veterans)),
        ("carers", |r| count(r.carers)),
        ("donors", |r| count(r.donors)),
    ];
    if runs.len() == 1 {
        return population_of_one(&runs[0], &stages, title, subtitle);
    }
    Chart {
        stem: CHART_STEMS[0],
        title,
        subtitle,
        legend: scenario_legend(runs, Mark::Solid),
        panels: population_panels(runs, &stages),
        grid: (2, 2),
    }
}

/// One scenario's population: the stages on one panel, a colour each.
fn population_of_one(
    run: &PlotRun<'_>,
    stages: &[Stage],
    title: String,
    subtitle: String,
) -> Chart {
    let lines: Vec<Line> = stages
        .iter()
        .enumerate()
        .map(|(i, (_, pick))| Line {
            colour: PALETTE[i],
            ..yearly(run.series, pick)
        })
        .collect();
    Chart {
        stem: CHART_STEMS[0],
        title,
        subtitle,
        legend: stages
            .iter()
            .enumerate()
            .map(|(i, (name, _))| LegendEntry {
                label: (*name).to_string(),
                colour: PALETTE[i],
                mark: Mark::Solid,
            })
            .collect(),
        panels: vec![Panel::yearly(
            None,
            "people alive at the year's end",
            Axis::Count,
            lines,
        )],
        grid: (1, 1),
    }
}

/// Several scenarios' population: a panel per stage, a colour per scenario.
fn population_panels(runs: &[PlotRun<'_>], stages: &[Stage]) -> Vec<Panel> {
    stages
        .iter()
        .map(|(name, pick)| {
            let lines: Vec<Line> = runs
                .iter()
                .enumerate()
                .map(|(s, run)| Line {
                    colour: scenario_colour(s),
                    stroke: scenario_stroke(s, runs.len()),
                    ..yearly(run.series, pick)
                })
                .collect();
            Panel::yearly(
                Some((*name).to_string()),
                "people at year's end",
                Axis::Count,
                lines,
            )
        })
        .collect()
}

fn scenario_legend(runs: &[PlotRun<'_>], mark: Mark) -> Vec<LegendEntry> {
    runs.iter()
        .enumerate()
        .map(|(s, run)| LegendEntry {
            label: run.name.to_string(),
            colour: scenario_colour(s),
            mark,
        })
        .collect()
}

fn organs(runs: &[PlotRun<'_>], title: String, subtitle: String) -> Chart {
    let mut lines = Vec::new();
    let mut legend = Vec::new();
    for (s, run) in runs.iter().enumerate() {
        let colour = scenario_colour(s);
        let stroke = scenario_stroke(s, runs.len());
        lines.push(Line {
            colour,
            stroke,
            ..yearly(run.series, |r| count(r.organs_supplied.iter().sum()))
        });
        lines.push(Line {
            colour,
            stroke,
            dashed: true,
            ..yearly(run.series, |r| count(r.new_patients))
        });
        let prefix = if runs.len() == 1 {
            String::new()
        } else {
            format!("{}: ", run.name)
        };
        legend.push(LegendEntry {
            label: format!("{prefix}organs supplied"),
            colour,
            mark: Mark::Solid,
        });
        legend.push(LegendEntry {
            label: format!("{prefix}new patients (demand)"),
            colour,
            mark: Mark::Dashed,
        });
    }
    Chart {
        stem: CHART_STEMS[1],
        title,
        subtitle,
        legend,
        panels: vec![Panel::yearly(
            None,
            "organs, or patients, per year",
            Axis::Count,
            lines,
        )],
        grid: (1, 1),
    }
}

/// Whole days in `years` years, as the figures count them.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn days(years: u32) -> u32 {
    // Ages and careers end well before 11 million years.
    (f64::from(years) * DAYS_PER_YEAR).round() as u32
}

/// The share of a histogram's values in each whole year `[y, y + 1)`, from year 0 to the year
/// of its largest value; empty when it holds nothing.
fn shares_by_year(histogram: &Histogram) -> Vec<f64> {
    let (Some(max), total) = (histogram.max(), histogram.total()) else {
        return Vec::new();
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let last_year = (f64::from(max) / DAYS_PER_YEAR).floor() as u32; // max is a u32 of days.
    (0..=last_year)
        .map(|y| count(histogram.count_between(days(y), days(y + 1))) / count(total))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn age_histogram(
    runs: &[PlotRun<'_>],
    stem: &'static str,
    title: String,
    subtitle: String,
    x_desc: &str,
    y_desc: &str,
    pick: fn(&Tally) -> &Histogram,
) -> Chart {
    let mut lines = Vec::new();
    let mut empty = Vec::new();
    for (s, run) in runs.iter().enumerate() {
        let per_replicate: Vec<Vec<f64>> = run
            .tallies
            .iter()
            .map(|t| shares_by_year(pick(t)))
            .filter(|shares| !shares.is_empty())
            .collect();
        let bins = per_replicate.iter().map(Vec::len).max().unwrap_or(0);
        if bins == 0 {
            empty.push(run.name);
            continue;
        }
        // A replicate with no value in a year counts zero there: its shares still sum to one.
        #[allow(clippy::cast_precision_loss)] // Replicates number far fewer than 2^53.
        let means: Vec<f64> = (0..bins)
            .map(|b| {
                per_replicate
                    .iter()
                    .map(|shares| shares.get(b).copied().unwrap_or(0.0))
                    .sum::<f64>()
                    / per_replicate.len() as f64
            })
            .collect();
        // Steps: each whole year is a flat segment from y to y + 1.
        let first = means.iter().position(|m| *m > 0.0).unwrap_or(0);
        let mut points = vec![(f64::from(u32::try_from(first).unwrap_or(0)), 0.0)];
        for (b, m) in means.iter().enumerate().skip(first) {
            let x = f64::from(u32::try_from(b).unwrap_or(u32::MAX));
            points.push((x, *m));
            points.push((x + 1.0, *m));
        }
        if let Some(&(x, _)) = points.last() {
            points.push((x, 0.0));
        }
        lines.push(Line {
            colour: scenario_colour(s),
            stroke: scenario_stroke(s, runs.len()),
            dashed: false,
            points,
            band: Vec::new(),
            fill: true,
        });
    }
    let (mut x_range, y_range) = ranges(&lines);
    x_range = (x_range.0 - 1.0, x_range.1 + 1.0);
    let note = (!empty.is_empty()).then(|| format!("no values in {}", empty.join(", ")));
    Chart {
        stem,
        title,
        subtitle,
        legend: scenario_legend(runs, Mark::Block),
        panels: vec![Panel {
            heading: None,
            x_desc: x_desc.to_string(),
            y_desc: y_desc.to_string(),
            x_axis: Axis::Years,
            y_axis: Axis::Share,
            x_range: (x_range.0.max(0.0), x_range.1),
            y_range,
            lines,
            bars: Vec::new(),
            note,
        }],
        grid: (1, 1),
    }
}

fn donations(runs: &[PlotRun<'_>], title: String, subtitle: String) -> Chart {
    let numbers = runs
        .iter()
        .flat_map(|r| r.tallies.iter().map(|t| t.completions_at_donation.len()))
        .max()
        .unwrap_or(4);
    let (bars, top) = completion_bars(runs, numbers);
    #[allow(clippy::cast_precision_loss)] // A handful of donations.
    let x_max = numbers as f64 + 0.5;
    Chart {
        stem: CHART_STEMS[3],
        title,
        subtitle,
        legend: donations_legend(runs),
        panels: vec![Panel {
            heading: None,
            x_desc: "the donation at which the donor completed".to_string(),
            y_desc: "share of completed donors".to_string(),
            x_axis: Axis::Ordinal,
            y_axis: Axis::Share,
            x_range: (0.5, x_max),
            y_range: (0.0, y_top(top)),
            lines: Vec::new(),
            bars,
            note: None,
        }],
        grid: (1, 1),
    }
}

/// For each scenario and each of the first `numbers` donations, a bar of the share of
/// completed donors who completed at it, with its interval; and the highest any bar reaches.
fn completion_bars(runs: &[PlotRun<'_>], numbers: usize) -> (Vec<Bar>, f64) {
    #[allow(clippy::cast_precision_loss)] // A handful of scenarios.
    let width = 0.8 / runs.len() as f64;
    let mut bars = Vec::new();
    let mut top: f64 = 0.0;
    for (s, run) in runs.iter().enumerate() {
        for number in 0..numbers {
            let shares: Vec<f64> = run
                .tallies
                .iter()
                .map(|t| {
                    let at = t.completions_at_donation.get(number).copied().unwrap_or(0);
                    if t.completed > 0 {
                        count(at) / count(t.completed)
                    } else {
                        f64::NAN
                    }
                })
                .collect();
            let e = estimate(&shares);
            if !e.mean.is_finite() {
                continue;
            }
            #[allow(clippy::cast_precision_loss)] // Small indices.
            let centre = (number + 1) as f64 + (s as f64 - (runs.len() - 1) as f64 / 2.0) * width;
            let (low, high) = if e.low.is_finite() {
                (e.low.max(0.0), e.high.min(1.0))
            } else {
                (e.mean, e.mean)
            };
            top = top.max(high).max(e.mean);
            bars.push(Bar {
                colour: scenario_colour(s),
                left: centre - width / 2.0 * 0.92,
                right: centre + width / 2.0 * 0.92,
                height: e.mean,
                low,
                high,
            });
        }
    }
    (bars, top)
}

/// The scenarios' legend, each entry with its mean donations per completed donor.
fn donations_legend(runs: &[PlotRun<'_>]) -> Vec<LegendEntry> {
    let mut legend = scenario_legend(runs, Mark::Block);
    for (entry, run) in legend.iter_mut().zip(runs) {
        let per_donor: Vec<f64> = run
            .tallies
            .iter()
            .map(|t| {
                let donations: u64 = (1..)
                    .zip(&t.completions_at_donation)
                    .map(|(number, completions)| number * completions)
                    .sum();
                if t.completed > 0 {
                    count(donations) / count(t.completed)
                } else {
                    f64::NAN
                }
            })
            .collect();
        let mean = estimate(&per_donor).mean;
        if mean.is_finite() {
            entry.label = format!("{} ({mean:.2} donations per completed donor)", entry.label);
        }
    }
    legend
}

fn knowing(runs: &[PlotRun<'_>], title: String, subtitle: String) -> Chart {
    let lines: Vec<Line> = runs
        .iter()
        .enumerate()
        .map(|(s, run)| Line {
            colour: scenario_colour(s),
            stroke: scenario_stroke(s, runs.len()),
            ..yearly(run.series, |r| r.outsiders_knowing_share)
        })
        .collect();
    Chart {
        stem: CHART_STEMS[5],
        title,
        subtitle,
        legend: scenario_legend(runs, Mark::Solid),
        panels: vec![Panel::yearly(
            None,
            "share of the population who know",
            Axis::Share,
            lines,
        )],
        grid: (1, 1),
    }
}

/// Registers the compiled-in font with plotters, once per process.
fn register_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok { Ok(()) } else { Err(PlotError::Font) }
}

/// The compiled-in font, parsed once.
fn font() -> Result<&'static FontRef<'static>, PlotError> {
    static PARSED: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    PARSED
        .get_or_init(|| FontRef::try_from_slice(FONT).ok())
        .as_ref()
        .ok_or(PlotError::Font)
}

/// plotters' bitmap backend, with text drawn glyph by glyph where ab_glyph places it.
struct Canvas<'a> {
    bitmap: BitMapBackend<'a>,
    font: &'static FontRef<'static>,
}

type CanvasError<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for Canvas<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.bitmap.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), CanvasError<'a>> {
        self.bitmap.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), CanvasError<'a>> {
        self.bitmap.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), CanvasError<'a>> {
        self.bitmap.draw_pixel(point, color)
    }

    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), CanvasError<'a>> {
        self.bitmap.draw_line(from, to, style)
    }

    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), CanvasError<'a>> {
        self.bitmap.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), CanvasError<'a>> {
        self.bitmap.draw_path(path, style)
    }

    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), CanvasError<'a>> {
        self.bitmap.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), CanvasError<'a>> {
        self.bitmap.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), CanvasError<'a>> {
        self.bitmap.blit_bitmap(pos, size, src)
    }

    /// Lays the text out on one baseline (advances and kerning, as plotters measures it),
    /// anchors its box as plotters does (the box is as high as plotters' layout says, with
    /// the font's ascent-to-descent centred in it), rasterises each glyph at its own place,
    /// then turns the pixels about the anchor for rotated text (the y axis's title).
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), CanvasError<'a>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        #[allow(clippy::cast_possible_truncation)] // Font sizes are a few dozen pixels.
        let size = style.size() as f32;
        let scale = PxScale::from(size);
        let scaled = self.font.as_scaled(scale);
        let mut glyphs = Vec::with_capacity(text.len());
        let mut pen = 0.0_f32;
        let mut previous = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(previous) = previous {
                pen += scaled.kern(previous, id);
            }
            glyphs.push((id, pen));
            pen += scaled.h_advance(id);
            previous = Some(id);
        }
        let box_height = size / 1.24;
        let baseline = (box_height - (scaled.ascent() - scaled.descent())) / 2.0 + scaled.ascent();
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -pen / 2.0,
            HPos::Right => -pen,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -box_height / 2.0,
            VPos::Bottom => -box_height,
        };
        let transform = style.transform();
        let mut pixels = Vec::new();
        for (id, x) in glyphs {
            let glyph = id.with_scale_and_position(scale, point(x + dx, baseline + dy));
            let Some(outline) = self.font.outline_glyph(glyph) else {
                continue; // A space has no outline.
            };
            let bounds = outline.px_bounds();
            pixels.clear();
            outline.draw(|gx, gy, coverage| pixels.push((gx, gy, coverage)));
            for &(gx, gy, coverage) in &pixels {
                if coverage <= 0.0 {
                    continue;
                }
                // px_bounds is whole pixels, and a glyph spans a few dozen of them.
                #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
                let (px, py) = (
                    bounds.min.x as i32 + gx as i32,
                    bounds.min.y as i32 + gy as i32,
                );
                let (tx, ty) = transform.transform(px, py);
                self.bitmap.draw_pixel(
                    (pos.0 + tx, pos.1 + ty),
                    BackendColor {
                        alpha: colour.alpha * f64::from(coverage.min(1.0)),
                        rgb: colour.rgb,
                    },
                )?;
            }
        }
        Ok(())
    }
}

impl Chart {
    /// The chart as an SVG document.
    ///
    /// # Errors
    ///
    /// [`PlotError::Font`] or [`PlotError::Draw`] if plotters fails.
    pub fn svg(&self) -> Result<String, PlotError> {
        register_font()?;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH_PIXELS, HEIGHT_PIXELS))
                .into_drawing_area();
            self.draw(&root).map_err(|message| self.error(message))?;
            root.present().map_err(|e| self.error(e.to_string()))?;
        }
        Ok(svg)
    }

    /// The chart as a PNG file's bytes (8-bit RGB).
    ///
    /// # Errors
    ///
    /// [`PlotError::Font`] or [`PlotError::Draw`] if plotters or the encoder fails.
    pub fn png(&self) -> Result<Vec<u8>, PlotError> {
        register_font()?;
        let mut pixels = vec![0_u8; (WIDTH_PIXELS * HEIGHT_PIXELS * 3) as usize];
        {
            let root = Canvas {
                bitmap: BitMapBackend::with_buffer(&mut pixels, (WIDTH_PIXELS, HEIGHT_PIXELS)),
                font: font()?,
            }
            .into_drawing_area();
            self.draw(&root).map_err(|message| self.error(message))?;
            root.present().map_err(|e| self.error(e.to_string()))?;
        }
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, WIDTH_PIXELS, HEIGHT_PIXELS);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| self.error(e.to_string()))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| self.error(e.to_string()))?;
        writer.finish().map_err(|e| self.error(e.to_string()))?;
        Ok(bytes)
    }

    fn error(&self, message: String) -> PlotError {
        PlotError::Draw {
            chart: self.stem,
            message,
        }
    }

    /// Draws the title, the legend and the panels on `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let text = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(text)?;
        let title_style = TextStyle::from((FAMILY, 26).into_font()).color(&INK);
        let subtitle_style = TextStyle::from((FAMILY, 17).into_font()).color(&FAINT_INK);
        let legend_style = TextStyle::from((FAMILY, 17).into_font()).color(&INK);
        root.draw_text(&self.title, &title_style, (18, 12))
            .map_err(text)?;
        root.draw_text(&self.subtitle, &subtitle_style, (18, 44))
            .map_err(text)?;
        // The legend flows left to right under the titles, wrapping as a line of text would,
        // so it never covers data.
        let (width, _) = root.dim_in_pixel();
        let width = i32::try_from(width).unwrap_or(i32::MAX);
        let (mut x, mut y) = (18, 74);
        let row_height = 24;
        for entry in &self.legend {
            let (label_width, _) = root
                .estimate_text_size(&entry.label, &legend_style)
                .map_err(text)?;
            let entry_width = 36 + i32::try_from(label_width).unwrap_or(0) + 22;
            if x > 18 && x + entry_width > width - 12 {
                x = 18;
                y += row_height;
            }
            let middle = y + 9;
            match entry.mark {
                Mark::Solid => root
                    .draw(&PathElement::new(
                        vec![(x, middle), (x + 28, middle)],
                        entry.colour.stroke_width(3),
                    ))
                    .map_err(text)?,
                Mark::Dashed => {
                    for dash in [0, 11, 22] {
                        root.draw(&PathElement::new(
                            vec![(x + dash, middle), (x + dash + 6, middle)],
                            entry.colour.stroke_width(3),
                        ))
                        .map_err(text)?;
                    }
                }
                Mark::Block => root
                    .draw(&Rectangle::new(
                        [(x + 4, middle - 7), (x + 24, middle + 7)],
                        entry.colour.mix(0.8).filled(),
                    ))
                    .map_err(text)?,
            }
            root.draw_text(&entry.label, &legend_style, (x + 36, y))
                .map_err(text)?;
            x += entry_width;
        }
        let top = u32::try_from(y + row_height + 8).unwrap_or(0);
        let (_, body) = root.split_vertically(top);
        let areas = body.split_evenly(self.grid);
        for (area, panel) in areas.iter().zip(&self.panels) {
            draw_panel(area, panel, 10 / self.grid.1.max(1))?;
        }
        Ok(())
    }
}

/// A panel's plotting area: years, ages or donations across, figures up.
type PanelChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws `panel` on `area`, with at most `x_labels_max` labels on the x axis (fewer on a
/// panel of a grid, which is narrower).
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    x_labels_max: usize,
) -> Result<(), String> {
    let text = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (x0, x1) = panel.x_range;
    let (y0, y1) = panel.y_range;
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_left(8)
        .margin_right(24)
        .margin_top(6)
        .margin_bottom(6)
        .x_label_area_size(52)
        .y_label_area_size(96);
    if let Some(heading) = &panel.heading {
        builder.caption(heading, (FAMILY, 19).into_font().color(&INK));
    }
    let mut chart = builder.build_cartesian_2d(x0..x1, y0..y1).map_err(text)?;
    draw_axes(&mut chart, panel, x_labels_max)?;
    draw_lines(&mut chart, panel)?;
    draw_bars(&mut chart, panel)?;
    if let Some(note) = &panel.note {
        let style = TextStyle::from((FAMILY, 17).into_font()).color(&FAINT_INK);
        // Inside the plot, just right of the y axis's labels.
        area.draw_text(note, &style, (120, 18)).map_err(text)?;
    }
    Ok(())
}

/// The panel's axes, their labels and its horizontal grid lines: an ordinal axis labels each
/// whole number, any other at most `x_labels_max` values.
fn draw_axes<DB: DrawingBackend>(
    chart: &mut PanelChart<'_, DB>,
    panel: &Panel,
    x_labels_max: usize,
) -> Result<(), String> {
    let text = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (x0, x1) = panel.x_range;
    let (y0, y1) = panel.y_range;
    let x_span = x1 - x0;
    let y_span = y1 - y0;
    let x_format = |v: &f64| panel.x_axis.format(*v, x_span);
    let y_format = |v: &f64| panel.y_axis.format(*v, y_span);
    let x_labels = if panel.x_axis == Axis::Ordinal {
        // Ticks every half step, so the whole numbers (the only ones labelled) fall on one.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let halves = (x_span * 2.0).round() as usize + 1; // A handful of donations.
        halves
    } else {
        x_labels_max
    };
    chart
        .configure_mesh()
        .x_desc(panel.x_desc.as_str())
        .y_desc(panel.y_desc.as_str())
        .x_labels(x_labels)
        .y_labels(7)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .label_style((FAMILY, 16).into_font().color(&INK))
        .axis_desc_style((FAMILY, 17).into_font().color(&INK))
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(FAINT_INK)
        .disable_x_mesh()
        .draw()
        .map_err(text)
}

/// The panel's lines: every band and filled area first, so that no line is painted over,
/// then the lines themselves.
fn draw_lines<DB: DrawingBackend>(
    chart: &mut PanelChart<'_, DB>,
    panel: &Panel,
) -> Result<(), String> {
    let text = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    for l in &panel.lines {
        if !l.band.is_empty() {
            let mut outline: Vec<(f64, f64)> =
                l.band.iter().map(|&(x, _, high)| (x, high)).collect();
            outline.extend(l.band.iter().rev().map(|&(x, low, _)| (x, low)));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    outline,
                    l.colour.mix(0.18).filled(),
                )))
                .map_err(text)?;
        }
        if l.fill {
            chart
                .draw_series(std::iter::once(Polygon::new(
                    l.points.clone(),
                    l.colour.mix(0.12).filled(),
                )))
                .map_err(text)?;
        }
    }
    for l in &panel.lines {
        let style = l.colour.stroke_width(l.stroke);
        if l.dashed {
            chart
                .draw_series(DashedLineSeries::new(l.points.iter().copied(), 9, 6, style))
                .map_err(text)?;
        } else {
            chart
                .draw_series(LineSeries::new(l.points.iter().copied(), style))
                .map_err(text)?;
        }
    }
    Ok(())
}

/// The panel's bars, each with the whiskers of its interval where it has one.
fn draw_bars<DB: DrawingBackend>(
    chart: &mut PanelChart<'_, DB>,
    panel: &Panel,
) -> Result<(), String> {
    let text = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    for bar in &panel.bars {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(bar.left, 0.0), (bar.right, bar.height)],
                bar.colour.mix(0.8).filled(),
            )))
            .map_err(text)?;
        if bar.high > bar.low {
            let centre = (bar.left + bar.right) / 2.0;
            let cap = (bar.right - bar.left) / 5.0;
            let style = INK.stroke_width(2);
            for path in [
                vec![(centre, bar.low), (centre, bar.high)],
                vec![(centre - cap, bar.low), (centre + cap, bar.low)],
                vec![(centre - cap, bar.high), (centre + cap, bar.high)],
            ] {
                chart
                    .draw_series(std::iter::once(PathElement::new(path, style)))
                    .map_err(text)?;
            }
        }
    }
    Ok(())
}

/// Writes each chart as `<stem>.svg` and `<stem>.png` into `dir` (created if missing).
///
/// # Errors
///
/// [`PlotError::Io`] if a file cannot be written; [`PlotError::Draw`] or [`PlotError::Font`]
/// if a chart cannot be drawn.
pub fn write_charts(dir: &Path, charts: &[Chart]) -> Result<(), PlotError> {
    fs::create_dir_all(dir).map_err(|source| PlotError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for chart in charts {
        for (extension, bytes) in [("svg", chart.svg()?.into_bytes()), ("png", chart.png()?)] {
            let path = dir.join(format!("{}.{extension}", chart.stem));
            fs::write(&path, bytes).map_err(|source| PlotError::Io { path, source })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hailsham_outputs::samples::sample_tally;

    fn rows(replicate: u64) -> Vec<YearRow> {
        (1952..1960)
            .map(|year| YearRow {
                year,
                students: 1000 + replicate * 10 + u64::try_from(year - 1952).unwrap() * 100,
                veterans: 200,
                carers: 300,
                donors: 50 + replicate,
                organs_supplied: [10, 5, 3, 4, 1],
                new_patients: 40,
                outsiders_knowing_share: 0.001,
                ..YearRow::default()
            })
            .collect()
    }

    fn run_data() -> (Vec<Vec<YearRow>>, Vec<Tally>) {
        (vec![rows(0), rows(1)], vec![sample_tally(), sample_tally()])
    }

    #[test]
    fn ticks_read_as_their_axis() {
        assert_eq!(Axis::Count.format(120_000.0, 180_000.0), "120,000");
        assert_eq!(Axis::Count.format(2.5, 3.0), "2.5");
        assert_eq!(Axis::Share.format(0.45, 1.0), "45%");
        assert_eq!(Axis::Share.format(0.0012, 0.003), "0.12%");
        assert_eq!(Axis::Year.format(1975.0, 48.0), "1975");
        assert_eq!(Axis::Ordinal.format(1.0, 4.0), "1st");
        assert_eq!(Axis::Ordinal.format(2.0, 4.0), "2nd");
        assert_eq!(Axis::Ordinal.format(3.0, 4.0), "3rd");
        assert_eq!(Axis::Ordinal.format(4.0, 4.0), "4th");
        assert_eq!(Axis::Ordinal.format(1.5, 4.0), "");
        assert_eq!(Axis::Ordinal.format(0.5, 4.0), "");
    }

    #[test]
    fn yearly_lines_are_means_with_a_band_of_the_replicates() {
        let (series, _) = run_data();
        let l = yearly(&series, |r| count(r.donors));
        assert_eq!(l.points.len(), 8);
        assert_eq!(l.points[0], (1952.0, 50.5));
        assert_eq!(l.band[0], (1952.0, 50.0, 51.0));
    }

    #[test]
    fn histogram_shares_by_whole_year_sum_to_one() {
        let tally = sample_tally();
        let shares = shares_by_year(&tally.completion_age_days);
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // 8000 days is 21.9 years; 20000 days is 54.8 years.
        assert_eq!(shares.len(), 55);
        assert_eq!(shares[21], 0.1);
        assert_eq!(shares[54], 0.1);
        assert!(shares_by_year(&Histogram::new(10)).is_empty());
    }

    #[test]
    fn six_charts_for_one_run_and_for_two_overlaid() {
        let (series, tallies) = run_data();
        let one = [PlotRun {
            name: "novel",
            series: &series,
            tallies: &tallies,
        }];
        let charts_one = charts(&one, 7);
        let stems: Vec<&str> = charts_one.iter().map(|c| c.stem).collect();
        assert_eq!(stems, CHART_STEMS);
        assert!(charts_one[0].title.contains("novel · seed 7"));
        assert_eq!(charts_one[0].legend.len(), 4, "the four stages");
        assert_eq!(charts_one[3].panels[0].bars.len(), 4);

        let two = [
            one[0],
            PlotRun {
                name: "other",
                ..one[0]
            },
        ];
        let charts_two = charts(&two, 7);
        assert!(charts_two[0].title.contains("novel vs other"));
        let many: Vec<PlotRun<'_>> = [
            "novel",
            "hailsham-everywhere",
            "single-harvest",
            "told-plainly",
        ]
        .iter()
        .map(|name| PlotRun { name, ..one[0] })
        .collect();
        let charts_many = charts(&many, 7);
        assert!(
            charts_many[0]
                .title
                .contains("novel vs 3 other scenarios · seed 7"),
            "{}",
            charts_many[0].title
        );
        assert_eq!(charts_many[0].legend.len(), 4, "the legend names them all");
        assert_eq!(charts_two[0].panels.len(), 4, "a panel per stage");
        assert_eq!(charts_two[0].panels[0].lines[1].colour, PALETTE[1]);
        assert_eq!(
            charts_two[5].panels[0].lines[1].colour, PALETTE[1],
            "colours agree across charts"
        );
        assert_eq!(charts_two[3].panels[0].bars.len(), 8);
    }

    #[test]
    fn charts_draw_as_svg_and_png_the_same_every_time() {
        let (series, tallies) = run_data();
        let run = [PlotRun {
            name: "novel & <friends>",
            series: &series,
            tallies: &tallies,
        }];
        for chart in charts(&run, 1) {
            let svg = chart.svg().expect("svg");
            assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
            assert!(
                svg.contains("novel &amp; &lt;friends&gt;"),
                "text is escaped"
            );
            let png = chart.png().expect("png");
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
            assert_eq!(chart.svg().expect("svg"), svg);
            assert_eq!(chart.png().expect("png"), png, "{}", chart.stem);
        }
    }

    #[test]
    fn a_run_with_no_careers_says_so_on_the_chart() {
        let (series, mut tallies) = run_data();
        for t in &mut tallies {
            t.career_days = Histogram::new(10);
        }
        let run = [PlotRun {
            name: "no-carers",
            series: &series,
            tallies: &tallies,
        }];
        let chart = &charts(&run, 1)[4];
        assert_eq!(
            chart.panels[0].note.as_deref(),
            Some("no values in no-carers")
        );
        assert!(chart.svg().expect("svg").contains("no values in no-carers"));
    }
}
