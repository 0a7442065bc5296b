//! The answer to a scenario's question, in plain words, from a comparison's numbers and the
//! scenario's declaration of what answers it.
//!
//! A scenario declares (in its file's `[answer]` table, read by the scenario crate and handed
//! here as a [`Declaration`]) the figures that answer its question, one of them judged with
//! the way it must move for yes, the two verdicts in words, the figures that change by
//! construction of the scenario, and the parameters the answer rests on. [`answer`] turns a
//! pairing of a [`Comparison`] into sentences:
//!
//! 1. the verdict and the judged figure's change, with its size and its 95% interval over the
//!    paired replicates: "no difference that matters" when the interval lies within the
//!    smallest difference that matters, which the scenario declares with its reason (two
//!    one-sided tests, each at 2.5%); else yes or no when the interval excludes zero (or the
//!    figure is the same in every replicate); "the model cannot tell" when it includes zero
//!    and reaches past that smallest difference;
//! 2. each other answering figure's change, or that it did not move beyond replicate noise;
//! 3. what changed by construction, said as such and not as a finding;
//! 4. what else the change moved clearly and by much, the largest first, with the parameters
//!    the scenario changes named as what moves it;
//! 5. the assumptions, each parameter in words with its value.
//!
//! Every word comes from the declaration, the figures' labels and units and the parameters'
//! meanings: nothing here knows a scenario. Shares move in percentage points, never as
//! ratios.

use hailsham_world::{Params, Value};

use crate::changes::Change;
use crate::compare::{Comparison, difference_style};
use crate::figures::{FIGURES, Window, figure_index};
use crate::interval::Estimate;
use crate::summary::{Style, fixed, group_thousands};

/// Which way the judged figure must move, against the scenario compared with, for yes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Yes when it clearly rises.
    Up,
    /// Yes when it clearly falls.
    Down,
    /// Yes when it clearly rises or is the same in every replicate.
    UpOrSame,
    /// Yes when it clearly falls or is the same in every replicate.
    DownOrSame,
}

/// What a scenario declares about its question, in the report's terms.
#[derive(Clone, Debug, PartialEq)]
pub struct Declaration {
    /// Keys of the figures that answer the question (keys not in [`FIGURES`] are skipped).
    pub figures: Vec<String>,
    /// The key of the figure judged; it is told first.
    pub judged: String,
    /// The way it must move for yes.
    pub direction: Direction,
    /// The verdict when yes: a clause, ended here with a colon and the judged figure's change.
    pub yes: String,
    /// The verdict when no.
    pub no: String,
    /// The finding when yes, in a few words (a badge's).
    pub yes_finding: String,
    /// The finding when no.
    pub no_finding: String,
    /// The smallest difference in the judged figure that matters, in its unit (a share as a
    /// fraction).
    pub matters: f64,
    /// Why it is the smallest that matters: a clause.
    pub matters_because: String,
    /// Keys of figures that change by construction of the scenario.
    pub by_construction: Vec<String>,
    /// The parameters the answer rests on, with their values ([`assumptions`] makes them).
    pub assumptions: Vec<Change>,
    /// Every parameter the scenario changes against the one compared with
    /// ([`crate::changes::changes`]): what any side effect moves through.
    pub changes: Vec<Change>,
}

/// The verdict of an answer.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The judged figure moved the way that means yes, beyond replicate noise.
    Yes,
    /// It moved the other way beyond noise, or (where only a move means yes) not at all.
    No,
    /// Its interval lies within the smallest difference that matters.
    NoDifference,
    /// Its interval includes zero and reaches past the smallest difference that matters,
    /// there is no interval (one replicate), or no value: the model cannot tell.
    Unclear,
}

impl Verdict {
    /// `yes`, `no`, `no-difference` or `unclear`, for programs.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Yes => "yes",
            Verdict::No => "no",
            Verdict::NoDifference => "no-difference",
            Verdict::Unclear => "unclear",
        }
    }
}

/// The finding of a [`Verdict::NoDifference`], as its badge says it.
pub const NO_DIFFERENCE: &str = "no difference that matters";

/// The finding of a [`Verdict::Unclear`].
pub const CANNOT_TELL: &str = "the model cannot tell";

/// An answer told: its verdict and its sentences, the first of which gives the verdict and
/// names the judged figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// Yes, no, no difference that matters, or unclear.
    pub verdict: Verdict,
    /// The verdict in the question's own words, as a badge beside the answer says it: the
    /// declared finding for yes or no, [`NO_DIFFERENCE`] or [`CANNOT_TELL`]. Never a bare
    /// yes or no.
    pub finding: String,
    /// The sentences, each ending with a full stop.
    pub sentences: Vec<String>,
}

impl Answer {
    /// The sentence with the verdict and the judged figure's change.
    #[must_use]
    pub fn first_sentence(&self) -> &str {
        self.sentences.first().map_or("", String::as_str)
    }

    /// Every sentence, as one paragraph.
    #[must_use]
    pub fn paragraph(&self) -> String {
        self.sentences.join(" ")
    }
}

/// The parameters named by `keys` (section, key), each with its value in `base` and in
/// `other`, its unit and its meaning; a name that is no parameter is skipped.
#[must_use]
pub fn assumptions(base: &Params, other: &Params, keys: &[(&str, &str)]) -> Vec<Change> {
    keys.iter()
        .filter_map(|(section, key)| {
            let spec = Params::spec(section, key)?;
            Some(Change {
                key: spec.path(),
                base: value_text(base.get(section, key)?),
                value: value_text(other.get(section, key)?),
                unit: spec.unit,
                meaning: spec.meaning,
            })
        })
        .collect()
}

/// A parameter's value as prose has it: `300`, not `300.0`.
fn value_text(value: Value) -> String {
    let text = value.to_string();
    match text.strip_suffix(".0") {
        Some(whole) if matches!(value, Value::Float(_)) => whole.to_string(),
        _ => text,
    }
}

/// How a figure's paired difference stands.
#[derive(Copy, Clone, Debug, PartialEq)]
enum Standing {
    /// Its interval lies above zero.
    Up,
    /// Its interval lies below zero.
    Down,
    /// The difference is zero in every pair.
    Same,
    /// Its interval lies within the smallest difference that matters (the judged figure
    /// only).
    Within,
    /// Its interval includes zero.
    Noise,
    /// One pair only: no interval.
    Alone,
    /// No pair has a value in both.
    Missing,
}

/// One figure of one pairing, with what a sentence needs.
struct Told<'a> {
    label: &'a str,
    unit: &'a str,
    base: f64,
    other: f64,
    difference: Estimate,
    standing: Standing,
}

impl Told<'_> {
    fn of(comparison: &Comparison, other: usize, figure: usize) -> Told<'static> {
        let d = comparison.differences[other - 1][figure].estimate;
        let standing = if d.n == 0 {
            Standing::Missing
        } else if d.n < 2 || !d.low.is_finite() || !d.high.is_finite() {
            Standing::Alone
        } else if d.mean == 0.0 && d.low == 0.0 && d.high == 0.0 {
            Standing::Same
        } else if d.low > 0.0 {
            Standing::Up
        } else if d.high < 0.0 {
            Standing::Down
        } else {
            Standing::Noise
        };
        Told {
            label: FIGURES[figure].label,
            unit: FIGURES[figure].unit,
            base: comparison.summaries[0].estimates[figure].mean,
            other: comparison.summaries[other].estimates[figure].mean,
            difference: d,
            standing,
        }
    }

    fn share(&self) -> bool {
        self.unit == "share"
    }

    /// A value of the figure: `3.6%`, `366,120`.
    fn value(&self, value: f64) -> String {
        let scale = if self.base.is_finite() && self.other.is_finite() {
            self.base.abs().max(self.other.abs())
        } else if self.base.is_finite() {
            self.base.abs()
        } else {
            self.other.abs()
        };
        Style::of(self.unit, scale).format(value)
    }

    /// ` patients` after a value; nothing after a share, which carries its `%`.
    fn unit_after(&self) -> String {
        if self.share() {
            String::new()
        } else {
            format!(" {}", self.unit)
        }
    }

    /// A size of difference, unsigned: `96.4 percentage points`, `166,000`.
    fn size(&self, value: f64) -> String {
        let style = difference_style(self.unit, &self.difference);
        let scaled = if style.percent { value * 100.0 } else { value };
        let text = group_thousands(&fixed(scaled.abs(), style.decimals));
        if self.share() {
            format!("{text} percentage points")
        } else {
            text
        }
    }

    /// A difference with its sign: `+1.2 percentage points`, `−800`.
    fn signed(&self, value: f64) -> String {
        let style = difference_style(self.unit, &self.difference);
        let scaled = if style.percent { value * 100.0 } else { value };
        let text = group_thousands(&fixed(scaled.abs(), style.decimals));
        let zero = text.chars().all(|c| matches!(c, '0' | '.' | ','));
        let sign = if zero {
            ""
        } else if value < 0.0 {
            "−"
        } else {
            "+"
        };
        let unit = if self.share() {
            " percentage points"
        } else {
            ""
        };
        format!("{sign}{text}{unit}")
    }

    /// Whether it went up: by the paired difference where there is one, else by the means.
    fn rose(&self) -> bool {
        if self.difference.mean.is_finite() && self.difference.mean != 0.0 {
            self.difference.mean > 0.0
        } else {
            self.other > self.base
        }
    }

    /// `fell from 366,120 to 200,410 patients, down 165,710`: no interval.
    fn change(&self) -> String {
        let (verb, way) = if self.rose() {
            ("rose", "up")
        } else {
            ("fell", "down")
        };
        let (from, to) = (self.value(self.base), self.value(self.other));
        if from == to {
            // A change smaller than the values' last digit: "from 27.0 to 27.0" would read as
            // no change at all.
            return format!(
                "{verb} a little, {way} {} from {from}{}",
                self.size(self.difference.mean),
                self.unit_after()
            );
        }
        format!(
            "{verb} from {from} to {to}{}, {way} {}",
            self.unit_after(),
            self.size(self.difference.mean)
        )
    }

    /// `(95% interval 160,000 to 172,000` and what follows it, up to the closing bracket: the
    /// interval of the size of a clear change (so both ends are positive), or that the change
    /// was the same in every pair.
    fn size_interval(&self) -> String {
        if self.difference.half_width() == 0.0 {
            return "(the same in every replicate".to_string();
        }
        let (low, high) = if self.rose() {
            (self.difference.low, self.difference.high)
        } else {
            (-self.difference.high, -self.difference.low)
        };
        let bare = |value: f64| {
            let text = self.size(value);
            text.trim_end_matches(" percentage points").to_string()
        };
        format!("(95% interval {} to {}", bare(low), bare(high))
    }

    /// `from 1,210 to 1,230 people, a difference of +20 (95% interval −5 to +45`.
    fn noise(&self) -> String {
        format!(
            "from {} to {}{}, a difference of {} (95% interval {} to {}",
            self.value(self.base),
            self.value(self.other),
            self.unit_after(),
            self.signed(self.difference.mean),
            self.signed(self.difference.low)
                .trim_end_matches(" percentage points"),
            self.signed(self.difference.high)
                .trim_end_matches(" percentage points"),
        )
    }

    /// Where it has no value.
    fn missing_in(&self, names: (&str, &str)) -> String {
        match (self.base.is_finite(), self.other.is_finite()) {
            (true, false) => names.1.to_string(),
            (false, true) => names.0.to_string(),
            (false, false) => format!("{} or {}", names.0, names.1),
            // Both have means, yet no replicate has a value in both.
            (true, true) => format!("any replicate of both {} and {}", names.0, names.1),
        }
    }
}

/// The answer of scenario `other` (an index into `comparison.names`, at least 1) to its
/// question, against the first scenario; `None` if `other` is not a scenario compared with
/// the first or the judged figure is not one of [`FIGURES`].
#[must_use]
pub fn answer(comparison: &Comparison, other: usize, declaration: &Declaration) -> Option<Answer> {
    if other == 0 || other >= comparison.names.len() {
        return None;
    }
    let judged = figure_index(&declaration.judged)?;
    let names = (
        comparison.names[0].as_str(),
        comparison.names[other].as_str(),
    );
    let mut told = Told::of(comparison, other, judged);
    let within = |d: &Estimate| {
        declaration.matters > 0.0 && -declaration.matters < d.low && d.high < declaration.matters
    };
    if matches!(
        told.standing,
        Standing::Up | Standing::Down | Standing::Same | Standing::Noise
    ) && within(&told.difference)
    {
        told.standing = Standing::Within;
    }
    let clause = |words: &str| {
        words
            .trim()
            .trim_end_matches(['.', ':', ';', ','])
            .trim_end()
            .to_string()
    };
    let (yes, no) = (clause(&declaration.yes), clause(&declaration.no));
    let verdict = verdict(told.standing, declaration.direction);
    let words = match (verdict, declaration.direction) {
        (Verdict::Yes, _)
        | (Verdict::NoDifference, Direction::UpOrSame | Direction::DownOrSame) => yes,
        _ => no,
    };
    let finding = match verdict {
        Verdict::Yes => declaration.yes_finding.trim().to_string(),
        Verdict::No => declaration.no_finding.trim().to_string(),
        Verdict::NoDifference => NO_DIFFERENCE.to_string(),
        Verdict::Unclear => CANNOT_TELL.to_string(),
    };
    let smallest = Smallest {
        size: margin_text(declaration.matters, told.unit),
        because: clause(&declaration.matters_because),
    };
    // The judged figure's years, said where its label does not say them: a count over the
    // whole run includes the years before any donation (the same in both worlds under common
    // random numbers, so they add nothing to the difference, but much to the levels).
    let label = match FIGURES[judged].window {
        Window::Run => format!("{}, over every year of the run,", told.label),
        _ => told.label.to_string(),
    };
    let first = first_sentence(
        &told,
        &label,
        &words,
        names,
        comparison.replicates(),
        &smallest,
    );
    let mut sentences = vec![format!("{first}.")];

    for key in &declaration.figures {
        let Some(figure) = figure_index(key) else {
            continue;
        };
        if figure == judged {
            continue;
        }
        sentences.push(format!(
            "{}.",
            other_figure(comparison, other, figure, names)
        ));
    }
    sentences.extend(by_construction_sentence(
        comparison,
        other,
        declaration,
        names,
    ));
    sentences.extend(side_effects_sentence(comparison, other, declaration, names));
    sentences.extend(assumptions_sentence(declaration, names));
    Some(Answer {
        verdict,
        finding,
        sentences,
    })
}

/// The smallest difference that matters, as a sentence says it.
struct Smallest {
    /// `±1,000 patients`, `±0.01 percentage points`.
    size: String,
    /// Why, a clause.
    because: String,
}

/// `margin` in `unit` as a sentence gives it: `±1,000 patients`, `±0.25 years`, `±0.01
/// percentage points` (a share as points), with the digits the number has and no more.
fn margin_text(margin: f64, unit: &str) -> String {
    let (value, unit) = if unit == "share" {
        (margin * 100.0, "percentage points")
    } else {
        (margin, unit)
    };
    let mut digits = fixed(value, 6);
    if digits.contains('.') {
        digits = digits
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    format!("±{} {unit}", group_thousands(&digits))
}

/// The verdict one paired difference of the judged figure gives, in one world and one
/// replicate: within `matters` of zero, no difference that matters; else yes or no as
/// `direction` asks, as [`answer`] judges a whole interval. A difference that is not a number
/// cannot be told.
#[must_use]
pub fn point_verdict(difference: f64, matters: f64, direction: Direction) -> Verdict {
    let standing = if !difference.is_finite() {
        Standing::Missing
    } else if matters > 0.0 && difference.abs() < matters {
        Standing::Within
    } else if difference > 0.0 {
        Standing::Up
    } else if difference < 0.0 {
        Standing::Down
    } else {
        Standing::Same
    };
    verdict(standing, direction)
}

/// Yes where the judged figure stood as the question asks, no where it clearly stood
/// otherwise, unclear where it cannot be told.
fn verdict(standing: Standing, direction: Direction) -> Verdict {
    match (standing, direction) {
        (Standing::Within, _) => Verdict::NoDifference,
        (Standing::Up, Direction::Up | Direction::UpOrSame)
        | (Standing::Down, Direction::Down | Direction::DownOrSame)
        | (Standing::Same, Direction::UpOrSame | Direction::DownOrSame) => Verdict::Yes,
        (Standing::Up | Standing::Down | Standing::Same, _) => Verdict::No,
        (Standing::Noise | Standing::Alone | Standing::Missing, _) => Verdict::Unclear,
    }
}

/// The answer's first sentence (without its full stop): the verdict's `words` and how the
/// judged figure stood against the first scenario, `names.0`.
fn first_sentence(
    told: &Told<'_>,
    label: &str,
    words: &str,
    names: (&str, &str),
    replicates: usize,
    smallest: &Smallest,
) -> String {
    let pairs = if told.difference.n < replicates {
        format!("over {} of {replicates} replicates", told.difference.n)
    } else {
        format!("over {replicates} replicates")
    };
    match told.standing {
        Standing::Up | Standing::Down => format!(
            "{words}: {} {} {} {pairs} paired with {})",
            label,
            told.change(),
            told.size_interval(),
            names.0
        ),
        Standing::Same => format!(
            "{words}: {} was the same as in {} in each of {replicates} paired replicates, {}{}",
            label,
            names.0,
            told.value(told.base),
            told.unit_after()
        ),
        Standing::Within if told.difference.half_width() == 0.0 => format!(
            "{words}: no difference that matters, as {} was the same as in {} in each of \
             {replicates} paired replicates, {}{}",
            label,
            names.0,
            told.value(told.base),
            told.unit_after()
        ),
        Standing::Within => format!(
            "{words}: no difference that matters in {}, {} {pairs} paired with {}, within {}, \
             the smallest difference that would matter, since {})",
            // The label's own closing comma would stand beside this one.
            label.trim_end_matches(','),
            told.noise(),
            names.0,
            smallest.size,
            smallest.because
        ),
        Standing::Noise => format!(
            "The model cannot tell: {} moved within replicate noise, {} {pairs} paired with {}, \
             which includes zero and reaches past {}, the smallest difference that would matter)",
            label,
            told.noise(),
            names.0,
            smallest.size
        ),
        Standing::Alone => format!(
            "The model cannot tell: with a single replicate there is no interval, so the change in {}, \
             from {} to {}{}, cannot be told from replicate noise",
            label,
            told.value(told.base),
            told.value(told.other),
            told.unit_after()
        ),
        Standing::Missing => format!(
            "No answer: {} has no value in {}",
            label,
            told.missing_in(names)
        ),
    }
}

/// The sentence on the figures that changed by construction of the change, told as such; none
/// if the question names none.
fn by_construction_sentence(
    comparison: &Comparison,
    other: usize,
    declaration: &Declaration,
    names: (&str, &str),
) -> Option<String> {
    let constructed: Vec<String> = declaration
        .by_construction
        .iter()
        .filter_map(|key| figure_index(key))
        .map(|figure| by_construction(&Told::of(comparison, other, figure), names))
        .collect();
    if constructed.is_empty() {
        return None;
    }
    let findings = if constructed.len() == 1 {
        "not as a finding"
    } else {
        "not as findings"
    };
    Some(format!(
        "By construction of the change, {findings}: {}.",
        constructed.join("; ")
    ))
}

/// Side effects told, at most: the largest.
const SIDE_EFFECTS_MAX: usize = 5;

/// How much a figure outside the answer must move, beyond noise, to be told as a side
/// effect: a twentieth of its value in the first scenario (a percentage point for a share).
/// Paired replicates make many small moves clear; these thresholds keep the ones a reader
/// would notice.
const SIDE_EFFECT_SHARE: f64 = 0.05;
const SIDE_EFFECT_POINTS: f64 = 0.01;

/// The sentences on what else moved clearly and by much, beyond the figures that answer the
/// question and those that move by construction, and the scenario's changes they follow
/// from; none if nothing else moved so.
fn side_effects_sentence(
    comparison: &Comparison,
    other: usize,
    declaration: &Declaration,
    names: (&str, &str),
) -> Option<String> {
    let declared = |key: &str| {
        declaration.judged == key
            || declaration.figures.iter().any(|f| f == key)
            || declaration.by_construction.iter().any(|f| f == key)
    };
    let mut moved: Vec<(f64, String)> = FIGURES
        .iter()
        .enumerate()
        // The run's own counts (events handled) are no finding.
        .filter(|(_, figure)| figure.group != crate::figures::RUN && !declared(figure.key))
        .filter_map(|(index, figure)| {
            let told = Told::of(comparison, other, index);
            if !matches!(told.standing, Standing::Up | Standing::Down) {
                return None;
            }
            let by = told.difference.mean.abs();
            let size = if told.share() {
                (by >= SIDE_EFFECT_POINTS).then_some(by / SIDE_EFFECT_POINTS)
            } else if told.base != 0.0 && told.base.is_finite() {
                let relative = by / told.base.abs();
                (relative >= SIDE_EFFECT_SHARE).then_some(relative / SIDE_EFFECT_SHARE)
            } else {
                // From nothing to something: as large as it gets.
                Some(f64::INFINITY)
            }?;
            Some((
                size,
                format!(
                    "{} {} {})",
                    figure.label,
                    told.change(),
                    told.size_interval()
                ),
            ))
        })
        .collect();
    if moved.is_empty() {
        return None;
    }
    moved.sort_by(|a, b| b.0.total_cmp(&a.0));
    let shown: Vec<String> = moved
        .into_iter()
        .take(SIDE_EFFECTS_MAX)
        .map(|(_, text)| text)
        .collect();
    let mut text = format!(
        "Beyond the figures that answer the question, the change also moved: {}.",
        shown.join("; ")
    );
    if !declaration.changes.is_empty() {
        let rules: Vec<String> = declaration
            .changes
            .iter()
            .map(|change| {
                format!(
                    "{} ({} in {}, {} here)",
                    change.key, change.base, names.0, change.value
                )
            })
            .collect();
        let those = if rules.len() == 1 {
            "the one parameter"
        } else {
            "the parameters"
        };
        text.push_str(&format!(
            " Each follows from {those} {} changes: {}.",
            names.1,
            rules.join("; ")
        ));
    }
    Some(text)
}

/// The sentence on the parameters the answer rests on; none if the question names none.
fn assumptions_sentence(declaration: &Declaration, names: (&str, &str)) -> Option<String> {
    if declaration.assumptions.is_empty() {
        return None;
    }
    let told: Vec<String> = declaration
        .assumptions
        .iter()
        .map(|change| assumption(change, names))
        .collect();
    let count = if told.len() == 1 {
        "this assumption".to_string()
    } else {
        format!("these {} assumptions", told.len())
    };
    Some(format!(
        "The answer rests on {count} of the model: {}.",
        told.join("; ")
    ))
}

/// A sentence (without its full stop) on an answering figure other than the judged one.
fn other_figure(
    comparison: &Comparison,
    other: usize,
    figure: usize,
    names: (&str, &str),
) -> String {
    let told = Told::of(comparison, other, figure);
    let label = capitalise(told.label);
    let replicates = comparison.replicates();
    let skipped = if told.difference.n < replicates {
        format!(" over {} of {replicates} replicates", told.difference.n)
    } else {
        String::new()
    };
    match told.standing {
        Standing::Up | Standing::Down => {
            format!(
                "{label} {} {}{skipped})",
                told.change(),
                told.size_interval()
            )
        }
        Standing::Same => format!(
            "{label} was the same in every replicate, {}{}",
            told.value(told.base),
            told.unit_after()
        ),
        // Only the judged figure is held to the smallest difference that matters.
        Standing::Noise | Standing::Within => format!(
            "{label} did not move beyond replicate noise: {}{skipped})",
            told.noise()
        ),
        Standing::Alone => format!(
            "{label} went from {} to {}{}, with no interval to judge it by",
            told.value(told.base),
            told.value(told.other),
            told.unit_after()
        ),
        Standing::Missing => format!("{label} has no value in {}", told.missing_in(names)),
    }
}

/// A change by construction: no interval, since it is not measured but made.
fn by_construction(told: &Told<'_>, names: (&str, &str)) -> String {
    if !told.base.is_finite() || !told.other.is_finite() {
        return format!("{} has no value in {}", told.label, told.missing_in(names));
    }
    if told.base == told.other && told.difference.mean == 0.0 {
        return format!(
            "{} stays at {}{}",
            told.label,
            told.value(told.base),
            told.unit_after()
        );
    }
    format!("{} {}", told.label, told.change())
}

/// `the risk that an average donor completes at the second donation
/// (donation.completion_risk_2 = 0.15)`, with both values where the two scenarios differ.
fn assumption(change: &Change, names: (&str, &str)) -> String {
    let values = if change.base == change.value {
        match change.unit {
            // Words that name no quantity read badly after a number.
            "flag" | "probability" | "ratio" | "share" => change.value.clone(),
            unit => format!("{} {unit}", change.value),
        }
    } else {
        format!(
            "{} in {}, {} in {}",
            change.base, names.0, change.value, names.1
        )
    };
    // The meaning's first clause names the parameter; what follows a semicolon explains it,
    // and would blur the list, whose items a semicolon parts.
    let meaning = change.meaning.split(';').next().unwrap_or_default();
    let meaning = meaning.trim().trim_end_matches('.');
    format!("{} ({} = {values})", lower_first(meaning), change.key)
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The keys of the report's figures: what a scenario's `[answer]` may name.
#[must_use]
pub fn figure_keys() -> Vec<&'static str> {
    crate::FIGURES.iter().map(|figure| figure.key).collect()
}

/// `scenario`'s declared answer in the report's terms, its assumptions valued in `base` and
/// in `scenario`; `None` if it declares none.
#[must_use]
pub fn declaration(
    base: &hailsham_scenario::Scenario,
    scenario: &hailsham_scenario::Scenario,
) -> Option<Declaration> {
    use hailsham_scenario::Direction as Declared;
    let declared = scenario.answer.as_ref()?;
    Some(Declaration {
        figures: declared.figures.clone(),
        judged: declared.yes_when.figure.clone(),
        direction: match declared.yes_when.direction {
            Declared::Up => Direction::Up,
            Declared::Down => Direction::Down,
            Declared::UpOrSame => Direction::UpOrSame,
            Declared::DownOrSame => Direction::DownOrSame,
        },
        yes: declared.yes.clone(),
        no: declared.no.clone(),
        yes_finding: declared.yes_finding.clone(),
        no_finding: declared.no_finding.clone(),
        matters: declared.yes_when.matters,
        matters_because: declared.yes_when.matters_because.clone(),
        by_construction: declared.by_construction.clone(),
        assumptions: assumptions(&base.params, &scenario.params, &declared.assumptions),
        changes: crate::changes::changes(&base.params, &scenario.params),
    })
}

/// The answer of scenario `other` of `comparison` (`scenarios[other]`) against the first, if
/// it declares one.
#[must_use]
pub fn answer_of(
    comparison: &crate::Comparison,
    scenarios: &[hailsham_scenario::Scenario],
    other: usize,
) -> Option<Answer> {
    let declared = declaration(scenarios.first()?, scenarios.get(other)?)?;
    answer(comparison, other, &declared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::summary_with;

    fn declaration(
        figures: &[&str],
        direction: Direction,
        by_construction: &[&str],
        assumptions: Vec<Change>,
    ) -> Declaration {
        Declaration {
            figures: figures.iter().map(|f| (*f).to_string()).collect(),
            judged: figures[0].to_string(),
            direction,
            yes: "Yes, the sick would be better served.".to_string(),
            no: "No, the sick would not be better served".to_string(),
            yes_finding: "the sick better served".to_string(),
            no_finding: "the sick no better served".to_string(),
            matters: 0.5,
            matters_because: "half a patient is less than one".to_string(),
            by_construction: by_construction.iter().map(|f| (*f).to_string()).collect(),
            assumptions,
            changes: Vec::new(),
        }
    }

    fn label(key: &str) -> &'static str {
        FIGURES[figure_index(key).expect("a figure")].label
    }

    /// The judged figure as the first sentence names it: with its years, for a figure over
    /// the whole run.
    fn judged(key: &str) -> String {
        format!("{}, over every year of the run,", label(key))
    }

    fn pair(name: &str, base: &[(&str, &[f64])], other: &[(&str, &[f64])]) -> Comparison {
        let replicates = base.first().map_or(1, |(_, values)| values.len());
        Comparison::new(
            vec!["novel".into(), name.into()],
            vec![
                summary_with(1.0, replicates, base),
                summary_with(1.0, replicates, other),
            ],
        )
    }

    /// single-harvest's answer from hand-made replicates: the sentences are exact, whatever
    /// the model gives.
    #[test]
    fn single_harvest_answers_in_lives_and_years_with_construction_apart() {
        let comparison = pair(
            "single-harvest",
            &[
                (
                    "waiting_deaths",
                    &[366_000.0, 365_000.0, 367_000.0, 366_500.0, 365_500.0],
                ),
                ("life_years_gained", &[1.0e6, 1.01e6, 0.99e6, 1.0e6, 1.0e6]),
                ("completed_at_1_share", &[0.036, 0.035, 0.037, 0.036, 0.036]),
                ("donations_per_donor_mean", &[3.21, 3.2, 3.22, 3.21, 3.21]),
                ("carer_years_median", &[5.1, 5.0, 5.2, 5.1, 5.1]),
            ],
            &[
                (
                    "waiting_deaths",
                    &[199_000.0, 200_000.0, 201_000.0, 200_000.0, 200_000.0],
                ),
                (
                    "life_years_gained",
                    &[1.64e6, 1.67e6, 1.64e6, 1.65e6, 1.65e6],
                ),
                ("completed_at_1_share", &[1.0; 5]),
                ("donations_per_donor_mean", &[1.0; 5]),
                ("carer_years_median", &[f64::NAN; 5]),
            ],
        );
        let mut base = Params::default();
        base.donation.completion_risk_2 = 0.15;
        let mut other = base.clone();
        other.donation.donations_max = 1;
        let declared = declaration(
            &["waiting_deaths", "life_years_gained"],
            Direction::Down,
            &[
                "completed_at_1_share",
                "donations_per_donor_mean",
                "carer_years_median",
            ],
            assumptions(
                &base,
                &other,
                &[
                    ("donation", "completion_risk_2"),
                    ("donation", "donations_max"),
                ],
            ),
        );
        let told = answer(&comparison, 1, &declared).expect("an answer");
        assert_eq!(told.verdict, Verdict::Yes);
        let expected = [
            format!(
                "Yes, the sick would be better served: {} fell from 366,000 to 200,000 patients, \
                 down 166,000 (95% interval 165,019 to 166,981 over 5 replicates paired with \
                 novel).",
                judged("waiting_deaths")
            ),
            format!(
                "{} rose from 1,000,000 to 1,650,000 life-years, up 650,000 (95% interval \
                 641,222 to 658,778).",
                capitalise(label("life_years_gained"))
            ),
            format!(
                "By construction of the change, not as findings: {} rose from 3.6% to 100.0%, up \
                 96.4 percentage points; {} fell from 3.21 to 1.00 donations, down 2.21; {} has \
                 no value in single-harvest.",
                label("completed_at_1_share"),
                label("donations_per_donor_mean"),
                label("carer_years_median")
            ),
            "The answer rests on these 2 assumptions of the model: risk that an average donor \
             completes at the second donation (donation.completion_risk_2 = 0.15); most \
             donations a donor makes (donation.donations_max = 4 in novel, 1 in single-harvest)."
                .to_string(),
        ];
        assert_eq!(told.sentences, expected);
        assert!(
            !told.paragraph().contains('×'),
            "no ratios: {}",
            told.paragraph()
        );
    }

    /// told-plainly's answer: the rumour loses its believers, while the patients' figures are
    /// the same in every replicate or move within noise.
    #[test]
    fn told_plainly_answers_with_same_and_noisy_figures_told_as_such() {
        let comparison = pair(
            "told-plainly",
            &[
                (
                    "deferral_applications",
                    &[1_200.0, 1_180.0, 1_220.0, 1_210.0],
                ),
                (
                    "waiting_deaths",
                    &[366_000.0, 365_000.0, 367_000.0, 366_500.0],
                ),
                ("couples_formed", &[50_000.0, 50_100.0, 49_900.0, 50_000.0]),
            ],
            &[
                ("deferral_applications", &[0.0; 4]),
                (
                    "waiting_deaths",
                    &[366_000.0, 365_000.0, 367_000.0, 366_500.0],
                ),
                ("couples_formed", &[50_010.0, 50_080.0, 49_930.0, 49_990.0]),
            ],
        );
        let mut declared = declaration(
            &["deferral_applications", "waiting_deaths", "couples_formed"],
            Direction::Down,
            &[],
            assumptions(
                &Params::default(),
                &Params::default(),
                &[("deferral", "rumour_belief_share")],
            ),
        );
        declared.yes = "Yes: told plainly, no couple would hope for a deferral".to_string();
        let told = answer(&comparison, 1, &declared).expect("an answer");
        assert_eq!(told.verdict, Verdict::Yes);
        let share = Params::default().deferral.rumour_belief_share;
        let meaning = Params::spec("deferral", "rumour_belief_share")
            .expect("a parameter")
            .meaning;
        let meaning = lower_first(meaning.split(';').next().unwrap_or_default().trim());
        let expected = [
            format!(
                "Yes: told plainly, no couple would hope for a deferral: {} fell from 1,202 to 0 \
                 couples, down 1,202 (95% interval 1,175 to 1,230 over 4 replicates paired with \
                 novel).",
                judged("deferral_applications")
            ),
            format!(
                "{} was the same in every replicate, 366,125 patients.",
                capitalise(label("waiting_deaths"))
            ),
            format!(
                "{} did not move beyond replicate noise: from 50,000 to 50,002 couples, a \
                 difference of +2.5 (95% interval −32.8 to +37.8).",
                capitalise(label("couples_formed"))
            ),
            format!(
                "The answer rests on this assumption of the model: {} \
                 (deferral.rumour_belief_share = {share} share of couples).",
                meaning.trim_end_matches('.')
            ),
        ];
        assert_eq!(told.sentences, expected);
    }

    /// Goal: an interval inside the smallest difference that matters is "no difference that
    /// matters", never "cannot tell"; one that reaches past it, around zero, is "cannot tell".
    /// Method: matching's case from the issue (a median age interval of −0.016 to +0.017
    /// years against a quarter of a year) and hailsham-everywhere's (+94 deaths, −709 to
    /// +896, against a thousand), then the same intervals against a smaller margin.
    #[test]
    fn an_interval_within_what_matters_is_no_difference() {
        let ages = pair(
            "matching",
            &[("completion_age_median_years", &[27.0, 27.02, 26.99, 27.01])],
            &[("completion_age_median_years", &[27.01, 27.01, 27.0, 27.0])],
        );
        let mut declared = declaration(
            &["completion_age_median_years"],
            Direction::Up,
            &[],
            Vec::new(),
        );
        declared.matters = 0.25;
        declared.matters_because = "three months is a tenth of the time between donations".into();
        let told = answer(&ages, 1, &declared).expect("an answer");
        assert_eq!(told.verdict, Verdict::NoDifference);
        assert_eq!(told.finding, NO_DIFFERENCE);
        let first = told.first_sentence();
        assert!(
            first.starts_with(&format!(
                "No, the sick would not be better served: no difference that matters in {}",
                judged("completion_age_median_years")
            )),
            "{first}"
        );
        assert!(
            first.contains(
                "within ±0.25 years, the smallest difference that would matter, since three \
                 months is a tenth of the time between donations)."
            ),
            "{first}"
        );
        assert!(!first.contains(",,"), "one comma, not two: {first}");
        declared.matters = 0.001;
        let told = answer(&ages, 1, &declared).expect("an answer");
        assert_eq!(told.verdict, Verdict::Unclear);
        assert_eq!(told.finding, CANNOT_TELL);

        let deaths = pair(
            "hailsham-everywhere",
            &[(
                "waiting_deaths",
                &[1_000_000.0, 1_000_500.0, 999_800.0, 1_000_100.0],
            )],
            &[(
                "waiting_deaths",
                &[1_000_300.0, 1_000_400.0, 999_900.0, 1_000_176.0],
            )],
        );
        let mut declared = declaration(&["waiting_deaths"], Direction::DownOrSame, &[], Vec::new());
        declared.matters = 1_000.0;
        let told = answer(&deaths, 1, &declared).expect("an answer");
        assert_eq!(told.verdict, Verdict::NoDifference);
        // Where yes means "no worse", no difference that matters is told with the yes clause.
        assert!(
            told.first_sentence()
                .starts_with("Yes, the sick would be better served: no difference that matters"),
            "{}",
            told.first_sentence()
        );
        assert!(told.first_sentence().contains("±1,000 patients"));
        declared.matters = 10.0;
        assert_eq!(
            answer(&deaths, 1, &declared).expect("an answer").verdict,
            Verdict::Unclear
        );
    }

    /// Goal: what else moves is told, and only what moves clearly and by much, with the
    /// scenario's changes as what it follows from. Method: hand-made replicates where clones
    /// created rise a fifth (told), organs taken for nobody rise 1% (too little), and
    /// couples wander around zero (noise); the answer's own figure is not told again.
    #[test]
    fn side_effects_are_the_clear_and_large_moves_and_name_the_changes() {
        let comparison = pair(
            "s",
            &[
                ("waiting_deaths", &[100.0, 110.0, 90.0]),
                ("clones_created", &[1_000.0, 1_010.0, 990.0]),
                ("organs_unused", &[1_000.0, 1_010.0, 990.0]),
                ("couples_formed", &[500.0, 510.0, 490.0]),
            ],
            &[
                ("waiting_deaths", &[80.0, 88.0, 70.0]),
                ("clones_created", &[1_200.0, 1_212.0, 1_190.0]),
                ("organs_unused", &[1_010.0, 1_020.0, 1_000.0]),
                ("couples_formed", &[520.0, 480.0, 505.0]),
            ],
        );
        let mut declared = declaration(&["waiting_deaths"], Direction::Down, &[], Vec::new());
        declared.changes = vec![Change {
            key: "donation.donations_max".into(),
            base: "4".into(),
            value: "1".into(),
            unit: "donations",
            meaning: "donations at most",
        }];
        let told = answer(&comparison, 1, &declared).expect("an answer");
        let side = told
            .sentences
            .iter()
            .find(|s| s.starts_with("Beyond"))
            .expect("a side effect");
        assert!(
            side.contains(&format!(
                "{} rose from 1,000 to 1,201",
                label("clones_created")
            )),
            "{side}"
        );
        for quiet in ["organs_unused", "couples_formed", "waiting_deaths"] {
            assert!(!side.contains(label(quiet)), "{quiet}: {side}");
        }
        assert!(
            side.ends_with(
                "Each follows from the one parameter s changes: donation.donations_max (4 in \
                 novel, 1 here)."
            ),
            "{side}"
        );
    }

    /// Goal: every bundled question's badge fits its question and agrees with its sentence.
    /// Method: each bundled scenario with an `[answer]`, against hand-made replicates that make
    /// its judged figure rise clearly, fall clearly, stay within what matters, and wander
    /// past it: the finding is the declared one for yes or no (never a bare yes or no), or
    /// "no difference that matters", or "the model cannot tell", and the first sentence opens
    /// with the clause of the same verdict.
    #[test]
    fn every_bundled_questions_finding_agrees_with_its_sentence() {
        let novel = hailsham_scenario::Scenario::novel();
        let mut questions = 0;
        for bundled in hailsham_scenario::BUNDLED {
            let scenario = bundled
                .load_with_figures(&figure_keys())
                .expect("a bundled scenario loads");
            let Some(declared) = super::declaration(&novel, &scenario) else {
                continue;
            };
            questions += 1;
            for finding in [&declared.yes_finding, &declared.no_finding] {
                let bare = finding.trim().to_lowercase();
                assert!(!matches!(bare.as_str(), "yes" | "no"), "{}", bundled.name);
            }
            let m = declared.matters;
            let base = [10_000.0 * m, 10_001.0 * m, 9_999.0 * m, 10_000.0 * m];
            let moved = |by: f64, spread: f64| -> [f64; 4] {
                [
                    base[0] + by + spread,
                    base[1] + by - spread,
                    base[2] + by + spread,
                    base[3] + by - spread,
                ]
            };
            let cases = [
                (moved(50.0 * m, 0.1 * m), "up"),
                (moved(-50.0 * m, 0.1 * m), "down"),
                (moved(0.0, 0.01 * m), "within"),
                (moved(0.0, 30.0 * m), "wide"),
            ];
            for (values, case) in cases {
                let comparison = pair(
                    bundled.name,
                    &[(declared.judged.as_str(), &base)],
                    &[(declared.judged.as_str(), &values)],
                );
                let told = answer(&comparison, 1, &declared).expect("an answer");
                let clause = |words: &str| {
                    words
                        .trim()
                        .trim_end_matches(['.', ':', ';', ','])
                        .to_string()
                };
                let or_same = matches!(
                    declared.direction,
                    Direction::UpOrSame | Direction::DownOrSame
                );
                let (finding, opening) = match told.verdict {
                    Verdict::Yes => (declared.yes_finding.clone(), clause(&declared.yes)),
                    Verdict::No => (declared.no_finding.clone(), clause(&declared.no)),
                    Verdict::NoDifference if or_same => {
                        (NO_DIFFERENCE.to_string(), clause(&declared.yes))
                    }
                    Verdict::NoDifference => (NO_DIFFERENCE.to_string(), clause(&declared.no)),
                    Verdict::Unclear => (CANNOT_TELL.to_string(), "The model cannot tell".into()),
                };
                let expected = match (case, declared.direction) {
                    ("up", Direction::Up | Direction::UpOrSame)
                    | ("down", Direction::Down | Direction::DownOrSame) => Verdict::Yes,
                    ("up" | "down", _) => Verdict::No,
                    ("within", _) => Verdict::NoDifference,
                    _ => Verdict::Unclear,
                };
                assert_eq!(told.verdict, expected, "{} {case}", bundled.name);
                assert_eq!(told.finding, finding, "{} {case}", bundled.name);
                assert!(
                    told.first_sentence().starts_with(&format!("{opening}:")),
                    "{} {case}: {}",
                    bundled.name,
                    told.first_sentence()
                );
            }
        }
        assert_eq!(questions, 10, "the ten reviewers' questions");
    }

    /// Goal: one world's paired difference is judged as an answer's interval is: within the
    /// margin, no difference; past it, yes or no by the direction; not a number, unclear.
    #[test]
    fn one_difference_is_judged_as_an_interval_is() {
        use Direction::{Down, DownOrSame, Up, UpOrSame};
        assert_eq!(point_verdict(-5_000.0, 1_000.0, Down), Verdict::Yes);
        assert_eq!(point_verdict(5_000.0, 1_000.0, Down), Verdict::No);
        assert_eq!(point_verdict(-999.0, 1_000.0, Down), Verdict::NoDifference);
        assert_eq!(
            point_verdict(999.0, 1_000.0, DownOrSame),
            Verdict::NoDifference
        );
        assert_eq!(point_verdict(1_001.0, 1_000.0, DownOrSame), Verdict::No);
        assert_eq!(point_verdict(0.3, 0.25, Up), Verdict::Yes);
        assert_eq!(point_verdict(0.0, 0.0, UpOrSame), Verdict::Yes);
        assert_eq!(point_verdict(0.0, 0.0, Up), Verdict::No);
        assert_eq!(point_verdict(f64::NAN, 1.0, Up), Verdict::Unclear);
    }

    #[test]
    fn verdicts_follow_the_direction_and_noise_is_said_plainly() {
        let base: &[(&str, &[f64])] = &[("waiting_deaths", &[100.0, 110.0, 90.0])];
        let up = pair("s", base, &[("waiting_deaths", &[120.0, 131.0, 112.0])]);
        let same = pair("s", base, base);
        let noise = pair("s", base, &[("waiting_deaths", &[104.0, 106.0, 92.0])]);
        let verdict = |comparison: &Comparison, direction| {
            let declared = declaration(&["waiting_deaths"], direction, &[], Vec::new());
            answer(comparison, 1, &declared).expect("an answer").verdict
        };
        use Direction::{Down, DownOrSame, Up, UpOrSame};
        assert_eq!(verdict(&up, Up), Verdict::Yes);
        assert_eq!(verdict(&up, UpOrSame), Verdict::Yes);
        assert_eq!(verdict(&up, Down), Verdict::No);
        assert_eq!(verdict(&up, DownOrSame), Verdict::No);
        // The same in every replicate lies within any smallest difference that matters.
        assert_eq!(verdict(&same, Up), Verdict::NoDifference);
        assert_eq!(verdict(&same, DownOrSame), Verdict::NoDifference);
        for direction in [Up, Down, UpOrSame, DownOrSame] {
            assert_eq!(verdict(&noise, direction), Verdict::Unclear);
        }
        let declared = declaration(&["waiting_deaths"], Down, &[], Vec::new());
        let told = answer(&noise, 1, &declared).expect("an answer");
        assert_eq!(
            told.first_sentence(),
            format!(
                "The model cannot tell: {} moved within replicate noise, from 100 to 101 \
                 patients, a difference of +0.7 (95% interval −9.7 to +11.0 over 3 replicates \
                 paired with novel, which includes zero and reaches past ±0.5 patients, the \
                 smallest difference that would matter).",
                judged("waiting_deaths")
            )
        );
        let no = answer(&up, 1, &declared).expect("an answer");
        assert!(
            no.first_sentence().starts_with(&format!(
                "No, the sick would not be better served: {} rose from 100 to 121 patients, up 21",
                judged("waiting_deaths")
            )),
            "{}",
            no.first_sentence()
        );
    }

    #[test]
    fn a_change_below_the_last_digit_is_not_told_as_from_a_value_to_itself() {
        let base: &[(&str, &[f64])] = &[("completion_age_median_years", &[27.01, 27.02, 27.03])];
        let other: &[(&str, &[f64])] = &[("completion_age_median_years", &[27.0, 27.005, 27.02])];
        let comparison = pair("s", base, other);
        let mut declared = declaration(
            &["completion_age_median_years"],
            Direction::Up,
            &[],
            Vec::new(),
        );
        // Any change matters here, so the small one is told as a change.
        declared.matters = 0.001;
        let told = answer(&comparison, 1, &declared).expect("an answer");
        let first = told.first_sentence();
        assert!(!first.contains("from 27.0 to 27.0"), "{first}");
        assert!(
            first.contains("fell a little, down 0.012 from 27.0 years"),
            "{first}"
        );
    }

    #[test]
    fn one_replicate_no_value_and_unknown_keys_give_no_verdict_and_no_panic() {
        let one = pair(
            "s",
            &[("waiting_deaths", &[100.0])],
            &[("waiting_deaths", &[50.0])],
        );
        let declared = declaration(
            &["waiting_deaths", "no_such_figure"],
            Direction::Down,
            &["no_such_figure_either"],
            Vec::new(),
        );
        let told = answer(&one, 1, &declared).expect("an answer");
        assert_eq!(told.verdict, Verdict::Unclear);
        assert!(
            told.first_sentence().contains("single replicate"),
            "{told:?}"
        );
        assert_eq!(
            told.sentences.len(),
            1,
            "unknown keys are skipped: {told:?}"
        );
        let missing = pair(
            "s",
            &[("carer_years_median", &[5.0, 5.1])],
            &[("carer_years_median", &[f64::NAN, f64::NAN])],
        );
        let declared = declaration(&["carer_years_median"], Direction::Up, &[], Vec::new());
        let told = answer(&missing, 1, &declared).expect("an answer");
        assert_eq!(told.verdict, Verdict::Unclear);
        assert_eq!(
            told.first_sentence(),
            format!(
                "No answer: {} has no value in s.",
                judged("carer_years_median")
            )
        );
        let mut unknown = declared.clone();
        unknown.judged = "no_such_figure".to_string();
        assert!(answer(&missing, 1, &unknown).is_none());
        assert!(answer(&missing, 0, &declared).is_none());
        assert!(answer(&missing, 2, &declared).is_none());
    }
}
