//! The summary of a run: every figure of every replicate, their estimates, and the table a
//! terminal shows.

use std::fmt::Write as _;

use hailsham_world::Tally;

use crate::figures::{FIGURES, figure_index, figures, groups};
use crate::interval::{Estimate, bounds, estimate};

/// The summary figures of every replicate of a run, and an estimate of each over replicates.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The figures of each replicate (in [`FIGURES`] order), in replicate order.
    pub replicates: Vec<Vec<f64>>,
    /// The estimate of each figure over replicates, in [`FIGURES`] order.
    pub estimates: Vec<Estimate>,
}

impl Summary {
    /// The summary of the replicates whose tallies are given, in replicate order.
    #[must_use]
    pub fn from_tallies(tallies: &[Tally]) -> Summary {
        Summary::from_replicates(tallies.iter().map(figures).collect())
    }

    /// The summary of replicates whose figures (from [`figures`]) are already computed: lets a
    /// caller drop each tally as soon as its replicate ends.
    ///
    /// # Panics
    ///
    /// If a replicate's figures are not one per entry of [`FIGURES`].
    #[must_use]
    pub fn from_replicates(replicates: Vec<Vec<f64>>) -> Summary {
        for (replicate, values) in replicates.iter().enumerate() {
            assert_eq!(
                values.len(),
                FIGURES.len(),
                "replicate {replicate} has {} figures, not {}",
                values.len(),
                FIGURES.len()
            );
        }
        let mut column = Vec::with_capacity(replicates.len());
        let estimates = (0..FIGURES.len())
            .map(|figure| {
                column.clear();
                column.extend(replicates.iter().map(|values| values[figure]));
                estimate(&column).clamped(bounds(FIGURES[figure].unit))
            })
            .collect();
        Summary {
            replicates,
            estimates,
        }
    }

    /// The estimate of the figure named `key`, if there is such a figure.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Estimate> {
        self.estimates.get(figure_index(key)?)
    }

    /// The values of the figure named `key` in each replicate, in replicate order.
    #[must_use]
    pub fn values(&self, key: &str) -> Option<Vec<f64>> {
        let index = figure_index(key)?;
        Some(
            self.replicates
                .iter()
                .map(|values| values.get(index).copied().unwrap_or(f64::NAN))
                .collect(),
        )
    }
}

/// The summary as a plain-text table for a terminal: `title`, then one line per figure under
/// group headings, with columns figure, mean, 95% interval and unit.
///
/// Counts get thousands separators, shares are percentages, years have one decimal; the
/// interval's ends are printed to the precision of the mean. The same summary always gives the
/// same text.
#[must_use]
pub fn render_table(summary: &Summary, title: &str) -> String {
    let replicates = summary.replicates.len();
    let rows: Vec<Row> = FIGURES
        .iter()
        .zip(&summary.estimates)
        .map(|(figure, estimate)| Row::new(figure.label, figure.unit, estimate, replicates))
        .collect();

    let label_width = column_width("figure", rows.iter().map(|r| width(r.label) + INDENT));
    let mean_width = column_width("mean", rows.iter().map(|r| width(&r.mean)));
    let low_width = rows.iter().map(|r| width(&r.low)).max().unwrap_or(0);
    let high_width = rows.iter().map(|r| width(&r.high)).max().unwrap_or(0);
    let interval_width = column_width(
        "95% interval",
        rows.iter().map(|r| match &r.interval_note {
            Some(note) if r.low.is_empty() => width(note),
            Some(note) => low_width + width(DASH) + high_width + 1 + width(note),
            None => low_width + width(DASH) + high_width,
        }),
    );

    let mut out = String::new();
    out.push_str(title.trim_end());
    out.push_str("\n\n");
    let header = format!(
        "{:<label_width$}{GAP}{:>mean_width$}{GAP}{:<interval_width$}{GAP}unit",
        "figure", "mean", "95% interval"
    );
    let unit_width = column_width("unit", rows.iter().map(|r| width(r.unit)));
    let rule_width = width(&header) - width("unit") + unit_width;
    out.push_str(&header);
    out.push('\n');
    out.push_str(&"-".repeat(rule_width));
    out.push('\n');

    push_grouped(&mut out, |index| {
        let row = rows.get(index)?;
        let mut interval = String::new();
        if !row.low.is_empty() {
            // The low end right-aligned and the high end left-aligned, so the dashes line
            // up and each interval reads as one phrase.
            let _ = write!(
                interval,
                "{}{}{DASH}{}",
                pad(low_width, &row.low),
                row.low,
                row.high
            );
        }
        if let Some(note) = &row.interval_note {
            if !interval.is_empty() {
                interval.push(' ');
            }
            interval.push_str(note);
        }
        Some(format!(
            "{:INDENT$}{:<label_inner$}{GAP}{}{}{GAP}{}{}{GAP}{}",
            "",
            row.label,
            pad(mean_width, &row.mean),
            row.mean,
            interval,
            pad(interval_width, &interval),
            row.unit,
            label_inner = label_width - INDENT,
        ))
    });
    out
}

const INDENT: usize = 2;
const GAP: &str = "  ";
const DASH: &str = " – ";

/// Width in characters (the table holds a few non-ASCII ones, such as the en dash).
/// The figures' lines under their groups' headings, a blank line between groups: the body of
/// every table of figures. `line` gives figure `index`'s line (its end trimmed here); `None`
/// ends that group.
pub(crate) fn push_grouped(out: &mut String, mut line: impl FnMut(usize) -> Option<String>) {
    for (group_number, group) in groups().into_iter().enumerate() {
        if group_number > 0 {
            out.push('\n');
        }
        out.push_str(group.heading);
        out.push('\n');
        for index in group.figures {
            let Some(text) = line(index) else { break };
            out.push_str(text.trim_end());
            out.push('\n');
        }
    }
}

pub(crate) fn width(text: &str) -> usize {
    text.chars().count()
}

pub(crate) fn pad(column: usize, text: &str) -> String {
    " ".repeat(column.saturating_sub(width(text)))
}

fn column_width(heading: &str, cells: impl Iterator<Item = usize>) -> usize {
    cells.fold(width(heading), usize::max)
}

/// One figure's cells, formatted.
struct Row {
    label: &'static str,
    unit: &'static str,
    mean: String,
    /// Empty when there is no interval to print.
    low: String,
    high: String,
    /// Why the interval is missing, or how many replicates it rests on when some had no value.
    interval_note: Option<String>,
}

impl Row {
    fn new(label: &'static str, unit: &'static str, e: &Estimate, replicates: usize) -> Row {
        let style = Style::of(unit, e.mean);
        let mean = style.format(e.mean);
        let (low, high, interval_note) = if replicates == 1 {
            (
                String::new(),
                String::new(),
                Some("n/a (1 replicate)".into()),
            )
        } else if e.n == 0 {
            (String::new(), String::new(), Some("n/a".into()))
        } else if e.n == 1 {
            (String::new(), String::new(), Some("n/a (1 value)".into()))
        } else if !e.low.is_finite() || !e.high.is_finite() {
            (String::new(), String::new(), Some("n/a".into()))
        } else {
            let note = (e.n < replicates).then(|| format!("(n={})", e.n));
            (style.format(e.low), style.format(e.high), note)
        };
        Row {
            label,
            unit,
            mean,
            low,
            high,
            interval_note,
        }
    }
}

/// How one figure's numbers are printed: as a percentage or a plain number, to so many decimals.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Style {
    pub(crate) percent: bool,
    pub(crate) decimals: usize,
}

impl Style {
    /// The style for values of `unit` whose mean is `mean`: the interval's ends follow the
    /// mean, so a column never mixes precisions within one row.
    pub(crate) fn of(unit: &str, mean: f64) -> Style {
        match unit {
            "share" => Style {
                percent: true,
                decimals: decimals_for(mean * 100.0, 1),
            },
            // Ages and careers to a tenth of a year; totals of years (thousands) whole.
            "years" => Style {
                percent: false,
                decimals: if mean.abs() >= 1000.0 { 0 } else { 1 },
            },
            _ => Style {
                percent: false,
                decimals: decimals_for(mean, 0),
            },
        }
    }

    pub(crate) fn format(self, value: f64) -> String {
        if !value.is_finite() {
            return "n/a".into();
        }
        // Past a thousand million million a figure is nonsense anyway; keep the column narrow.
        if value.abs() >= 1e15 {
            return format!("{value:.3e}");
        }
        if self.percent {
            format!("{}%", group_thousands(&fixed(value * 100.0, self.decimals)))
        } else {
            group_thousands(&fixed(value, self.decimals))
        }
    }
}

/// Decimals for a number of size `magnitude`: `large` from 100 up; fewer the larger it is
/// below that (1 decimal from 10, 2 from 1); two significant digits below 1.
pub(crate) fn decimals_for(magnitude: f64, large: usize) -> usize {
    let m = magnitude.abs();
    if !m.is_finite() || m == 0.0 || m >= 100.0 {
        large
    } else if m >= 10.0 {
        large.max(1)
    } else if m >= 1.0 {
        large.max(2)
    } else {
        // Two significant digits: 0.34 takes 2 decimals, 0.034 takes 3. m is in (0, 1), so the
        // logarithm is negative and the cast cannot wrap; cap the decimals for subnormal noise.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let leading_zeros = (-m.log10().floor()) as usize;
        (leading_zeros + 1).clamp(large.max(2), 12)
    }
}

/// `value` to `decimals` places, with no minus sign on a value that rounds to zero.
pub(crate) fn fixed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// Thousands separators in the whole part of a formatted number: `271430.5` becomes `271,430.5`.
pub fn group_thousands(text: &str) -> String {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match unsigned.find('.') {
        Some(dot) => unsigned.split_at(dot),
        None => (unsigned, ""),
    };
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out.push_str(fraction);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::sample_tally;

    fn summary_of(rows: &[(&str, &[f64])], replicates: usize) -> Summary {
        let mut values = vec![vec![1.0; FIGURES.len()]; replicates];
        for (key, column) in rows {
            let index = figure_index(key).expect("known key");
            for (replicate, value) in column.iter().enumerate() {
                values[replicate][index] = *value;
            }
        }
        Summary::from_replicates(values)
    }

    #[test]
    fn from_tallies_estimates_each_figure_over_replicates() {
        let mut second = sample_tally();
        second.clones_created = 271_432;
        let summary = Summary::from_tallies(&[sample_tally(), second]);
        assert_eq!(summary.replicates.len(), 2);
        assert_eq!(summary.estimates.len(), FIGURES.len());
        let clones = summary.get("clones_created").expect("a figure");
        assert_eq!((clones.mean, clones.n), (271_431.0, 2));
        // sd = √2, so the half-width is 12.706 · √2 / √2.
        assert!(
            (clones.high - clones.mean - 12.706).abs() < 1e-9,
            "{clones:?}"
        );
        assert_eq!(
            summary.get("demand_met_share").map(|e| e.mean),
            Some(97.0 / 125.0)
        );
        assert_eq!(summary.get("no_such_figure"), None);
        assert_eq!(
            summary.values("clones_created"),
            Some(vec![271_430.0, 271_432.0])
        );
    }

    #[test]
    fn from_tallies_of_nothing_is_all_nan() {
        let summary = Summary::from_tallies(&[]);
        assert!(summary.replicates.is_empty());
        assert_eq!(summary.estimates.len(), FIGURES.len());
        assert!(
            summary
                .estimates
                .iter()
                .all(|e| e.n == 0 && e.mean.is_nan())
        );
        let table = render_table(&summary, "empty");
        assert!(table.contains("n/a"));
    }

    #[test]
    fn numbers_are_formatted_by_unit_and_size() {
        assert_eq!(Style::of("people", 271_430.4).format(271_430.4), "271,430");
        assert_eq!(Style::of("people", 12_345.0).format(12_345.0), "12,345");
        assert_eq!(
            Style::of("people", 1e9).format(1_234_567_890.0),
            "1,234,567,890"
        );
        assert_eq!(Style::of("organs", 999.6).format(999.6), "1,000");
        assert_eq!(Style::of("organs", 45.26).format(45.26), "45.3");
        assert_eq!(Style::of("donors", 4.526).format(4.526), "4.53");
        assert_eq!(Style::of("donors", 0.3456).format(0.3456), "0.35");
        assert_eq!(Style::of("donors", 0.03456).format(0.03456), "0.035");
        assert_eq!(Style::of("events", 0.0).format(0.0), "0");
        assert_eq!(Style::of("share", 0.824).format(0.824), "82.4%");
        assert_eq!(Style::of("share", 0.0034).format(0.0034), "0.34%");
        assert_eq!(
            Style::of("share", 0.000_012_3).format(0.000_012_3),
            "0.0012%"
        );
        assert_eq!(Style::of("share", 0.5).format(-0.000_01), "0.0%");
        assert_eq!(Style::of("years", 31.96).format(31.96), "32.0");
        assert_eq!(Style::of("years", 8.04).format(8.04), "8.0");
        assert_eq!(Style::of("people", f64::NAN).format(f64::NAN), "n/a");
        assert_eq!(Style::of("people", -12_345.0).format(-12_345.0), "-12,345");
        assert_eq!(group_thousands("123"), "123");
        assert_eq!(group_thousands("1234.56"), "1,234.56");
        assert_eq!(group_thousands("-123456"), "-123,456");
    }

    #[test]
    fn table_shows_formatted_figures_and_is_deterministic() {
        let summary = summary_of(
            &[
                ("clones_created", &[12_340.0, 12_345.0, 12_350.0]),
                ("demand_met_share", &[0.82, 0.824, 0.828]),
                ("completion_age_median_years", &[30.0, 31.0, 32.0]),
                ("donations_per_donor_mean", &[f64::NAN, 3.0, 3.2]),
                ("carer_years_max", &[f64::NAN, f64::NAN, 11.5]),
                ("carer_years_min", &[f64::NAN, f64::NAN, f64::NAN]),
                ("events", &[1e9, 1e9 + 7.0, 1e9 + 11.0]),
            ],
            3,
        );
        let title = "novel · seed 1 · 3 replicates · 1952-2000";
        let table = render_table(&summary, title);
        assert_eq!(table, render_table(&summary, title), "deterministic");
        assert!(table.starts_with(&format!("{title}\n\n")), "{table}");
        for heading in [
            "People",
            "Organs and demand",
            "Completion",
            "Donations",
            "Carers",
            "Rumour and society",
        ] {
            assert!(table.lines().any(|l| l == heading), "{heading}\n{table}");
        }
        let line = |label: &str| {
            table
                .lines()
                .find(|l| l.trim_start().starts_with(label))
                .unwrap_or_else(|| panic!("no line {label}\n{table}"))
                .to_string()
        };
        let clones = line("clones created");
        assert!(clones.contains("12,345"), "{clones}");
        // sd 5, t(2) 4.303: half-width 12.42.
        assert!(clones.contains("12,333 – 12,357"), "{clones}");
        assert!(clones.ends_with("people"), "{clones}");
        let demand = line("demand met (");
        assert!(demand.contains("82.4%"), "{demand}");
        assert!(demand.contains("81.4% – 83.4%"), "{demand}");
        let age = line("age at completion, median");
        assert!(age.contains("31.0"), "{age}");
        assert!(age.contains("28.5 – 33.5"), "{age}");
        assert!(line("donations per").contains("(n=2)"));
        assert!(line("carer career, longest").contains("n/a (1 value)"));
        let shortest = line("carer career, shortest");
        assert!(shortest.contains("n/a"), "{shortest}");
        assert!(line("events handled").contains("1,000,000,006"));
        for l in table.lines() {
            assert!(width(l) < 100, "line too long ({}): {l}", width(l));
            assert_eq!(l, l.trim_end(), "trailing space: {l:?}");
        }
        // The interval column lines up: every dash sits at the same place.
        let dashes: Vec<usize> = table
            .lines()
            .filter_map(|l| l.chars().position(|c| c == '–'))
            .collect::<Vec<_>>();
        assert!(dashes.len() > 10);
        assert!(dashes.windows(2).all(|w| w[0] == w[1]), "{table}");
    }

    #[test]
    fn table_of_one_replicate_says_so() {
        let summary = Summary::from_tallies(&[sample_tally()]);
        let table = render_table(&summary, "one");
        let clones = table
            .lines()
            .find(|l| l.contains("clones created"))
            .expect("a line");
        assert!(clones.contains("271,430"), "{clones}");
        assert!(clones.contains("n/a (1 replicate)"), "{clones}");
        // Demand met: 97 served of 125 patients.
        assert!(table.contains("77.6%"), "{table}");
        for l in table.lines() {
            assert!(width(l) < 100, "{l}");
        }
    }

    #[test]
    fn table_survives_extreme_values() {
        let summary = summary_of(
            &[
                ("clones_created", &[f64::MAX, f64::MAX]),
                ("organs_supplied", &[1e300, 2e300]),
                ("events", &[f64::INFINITY, 1.0]),
                ("demand_met_share", &[1e-300, 2e-300]),
                ("life_years_gained", &[-5.0, 5.0]),
            ],
            2,
        );
        let table = render_table(&summary, "extreme");
        assert!(table.contains("n/a"));
        for l in table.lines() {
            assert!(width(l) < 100, "{l}");
        }
    }
}
