//! A scenario's `[answer]` table: the figures that answer its question, what counts as yes,
//! the verdicts in words, what is true by construction and what the answer rests on.
//!
//! ```toml
//! [answer]
//! figures = ["waiting_deaths", "life_years_gained"]       # the headline first
//! yes_when = { figure = "waiting_deaths", direction = "down", matters = 1000, matters_because = "..." }
//! yes = "Yes, taking everything at once would save more of the sick"
//! no = "No, taking everything at once would not save more of the sick"
//! yes_finding = "saves more of the sick"                  # the finding, in a few words
//! no_finding = "saves none of the sick"
//! by_construction = ["completed_at_1_share"]               # optional
//! assumptions = ["donation.completion_risk_2"]             # optional
//! ```
//!
//! `matters` is the smallest difference in the judged figure that would matter to the
//! question, in the figure's unit (a share as a fraction), and `matters_because` says why: an
//! answer whose paired interval lies within it is "no difference that matters", not "the model
//! cannot tell". The findings are what a badge beside the answer says for yes and for no, so
//! a why-question is never answered "yes".
//!
//! Figures are named by the report's keys, which this crate does not own (the report crate
//! depends on the world, not on scenarios, and scenarios cannot depend on the report). So the
//! caller passes the keys in ([`crate::Scenario::load_with_figures`]) and the loader checks
//! them with everything else, one listing for `hailsham check`; a load without them
//! ([`crate::Scenario::load`]) takes figure names as written, and whoever tells the answer
//! skips a name it does not know. Assumptions name parameters (`section.key`), which the world
//! owns, and are always checked.

use std::ops::Range;

use hailsham_world::{Params, SPECS};
use toml::de::{DeTable, DeValue};

use crate::diagnostic::ScenarioError;
use crate::suggest::{closest, suggest_name};

/// The keys an `[answer]` table takes, in the order the documentation gives them.
pub(crate) const ANSWER_KEYS: [&str; 8] = [
    "figures",
    "yes_when",
    "yes",
    "no",
    "yes_finding",
    "no_finding",
    "by_construction",
    "assumptions",
];

/// The keys of `yes_when`.
const CONDITION_KEYS: [&str; 4] = ["figure", "direction", "matters", "matters_because"];

/// Which way the judged figure must move, against the scenario compared with, for the answer
/// to be yes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Yes when the figure clearly rises (its paired interval lies above zero).
    Up,
    /// Yes when the figure clearly falls.
    Down,
    /// Yes when the figure clearly rises or is the same in every replicate: no when it clearly
    /// falls. For questions of the form "would it cost nothing?".
    UpOrSame,
    /// Yes when the figure clearly falls or is the same in every replicate.
    DownOrSame,
}

impl Direction {
    /// Every direction with the word a file writes for it.
    pub const ALL: [(&'static str, Direction); 4] = [
        ("up", Direction::Up),
        ("down", Direction::Down),
        ("up_or_same", Direction::UpOrSame),
        ("down_or_same", Direction::DownOrSame),
    ];

    /// The word a file writes (`down_or_same`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        Direction::ALL
            .iter()
            .find(|(_, direction)| *direction == self)
            .map_or("", |(word, _)| word)
    }
}

/// What decides between yes and no: one figure, the way it must move, and the smallest
/// difference in it that matters.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The figure judged, one of [`DeclaredAnswer::figures`]; the answer tells it first.
    pub figure: String,
    /// The way it must move for yes.
    pub direction: Direction,
    /// The smallest difference in the figure that would matter to the question, in its unit
    /// (a share as a fraction): a paired interval within it is no difference that matters.
    pub matters: f64,
    /// Why that difference is the smallest that matters.
    pub matters_because: String,
}

/// A scenario's declared answer: what `hailsham report` and `hailsham questions` say first.
///
/// Not inherited: only the loaded file's `[answer]` counts, since a scenario's answer belongs
/// to its own question (a base's table is checked, then set aside).
#[derive(Clone, Debug, PartialEq)]
pub struct DeclaredAnswer {
    /// Keys of the figures that answer the question, the headline first, each once.
    pub figures: Vec<String>,
    /// What counts as yes.
    pub yes_when: Condition,
    /// The verdict when the condition holds beyond replicate noise: a clause, which the report
    /// ends with a colon and the judged figure's change.
    pub yes: String,
    /// The verdict when the figure clearly moves the other way (or, for `up` and `down`, not
    /// at all).
    pub no: String,
    /// The finding when yes, in a few words, as a badge beside the answer says it ("saves
    /// more of the sick"): never a bare yes, since many questions ask why.
    pub yes_finding: String,
    /// The finding when no.
    pub no_finding: String,
    /// Keys of figures whose change follows from the change itself, told as such, not as
    /// findings.
    pub by_construction: Vec<String>,
    /// Parameters the answer rests on, as (section, key).
    pub assumptions: Vec<(&'static str, &'static str)>,
}

/// Reads the `[answer]` table `table`, whose header is at `header`; `figures`, if given, are
/// the figure keys a name must be one of. Problems go to `report`; `None` when any was found.
pub(crate) fn read(
    table: &DeTable<'_>,
    header: Range<usize>,
    figures: Option<&[String]>,
    room: bool,
    report: &mut dyn FnMut(ScenarioError, Range<usize>),
) -> Option<DeclaredAnswer> {
    let mut reader = Reader {
        figures,
        room,
        report,
        failed: false,
    };
    let written = reader.keys(table);
    reader.missing(table, &header);
    reader.consistent(&written);
    if reader.failed {
        return None;
    }
    let names =
        |list: Vec<(String, Range<usize>)>| list.into_iter().map(|(name, _)| name).collect();
    Some(DeclaredAnswer {
        figures: names(written.listed?),
        yes_when: written.yes_when?.0,
        yes: written.yes?,
        no: written.no?,
        yes_finding: written.yes_finding?,
        no_finding: written.no_finding?,
        by_construction: names(written.by_construction),
        assumptions: written.assumptions,
    })
}

/// What an `[answer]` table's keys held, each read alone; `None` where a key was missing or
/// wrong.
struct Written {
    listed: Option<Vec<(String, Range<usize>)>>,
    yes_when: Option<(Condition, Range<usize>)>,
    yes: Option<String>,
    no: Option<String>,
    yes_finding: Option<String>,
    no_finding: Option<String>,
    by_construction: Vec<(String, Range<usize>)>,
    assumptions: Vec<(&'static str, &'static str)>,
}

/// One `[answer]` table being read.
struct Reader<'a, 'r> {
    figures: Option<&'a [String]>,
    /// Whether a problem found will be kept, and so is worth a suggestion.
    room: bool,
    report: &'r mut dyn FnMut(ScenarioError, Range<usize>),
    failed: bool,
}

impl Reader<'_, '_> {
    fn fail(&mut self, error: ScenarioError, span: Range<usize>) {
        self.failed = true;
        (self.report)(error, span);
    }

    fn wrong_type(
        &mut self,
        key: &str,
        expected: &'static str,
        found: &'static str,
        span: Range<usize>,
    ) {
        self.fail(
            ScenarioError::WrongType {
                key: key.to_string(),
                expected,
                found,
            },
            span,
        );
    }

    /// Each key of the `[answer]` table read alone, an unknown key reported.
    fn keys(&mut self, table: &DeTable<'_>) -> Written {
        let mut written = Written {
            listed: None,
            yes_when: None,
            yes: None,
            no: None,
            yes_finding: None,
            no_finding: None,
            by_construction: Vec::new(),
            assumptions: Vec::new(),
        };
        for (key, value) in table.iter() {
            let span = value.span();
            let name: &str = key.get_ref();
            match name {
                "figures" => {
                    written.listed =
                        self.figure_list("answer.figures", value.get_ref(), span, true);
                }
                "by_construction" => {
                    if let Some(list) =
                        self.figure_list("answer.by_construction", value.get_ref(), span, false)
                    {
                        written.by_construction = list;
                    }
                }
                "yes_when" => {
                    written.yes_when = self
                        .condition(value.get_ref(), span.clone())
                        .map(|condition| (condition, span));
                }
                "yes" => written.yes = self.words("answer.yes", value.get_ref(), span),
                "no" => written.no = self.words("answer.no", value.get_ref(), span),
                "yes_finding" => {
                    written.yes_finding = self.finding("answer.yes_finding", value.get_ref(), span);
                }
                "no_finding" => {
                    written.no_finding = self.finding("answer.no_finding", value.get_ref(), span);
                }
                "assumptions" => written.assumptions = self.assumptions(value.get_ref(), span),
                other => self.unknown_key("answer", &ANSWER_KEYS, other, key.span()),
            }
        }
        written
    }

    /// A key no table of the answer has, in `section`, whose keys are `keys`.
    fn unknown_key(&mut self, section: &str, keys: &[&str], key: &str, span: Range<usize>) {
        let suggestion = self
            .room
            .then(|| suggest_name(key, keys.iter().copied()))
            .flatten();
        self.fail(
            ScenarioError::UnknownKey {
                section: section.to_string(),
                key: key.to_string(),
                suggestion,
            },
            span,
        );
    }

    /// Each required key of the `[answer]` table not written, reported at its header.
    fn missing(&mut self, table: &DeTable<'_>, header: &Range<usize>) {
        let present = [
            (
                "figures",
                table.iter().any(|(k, _)| k.get_ref() == "figures"),
            ),
            (
                "yes_when",
                table.iter().any(|(k, _)| k.get_ref() == "yes_when"),
            ),
            ("yes", table.iter().any(|(k, _)| k.get_ref() == "yes")),
            ("no", table.iter().any(|(k, _)| k.get_ref() == "no")),
            (
                "yes_finding",
                table.iter().any(|(k, _)| k.get_ref() == "yes_finding"),
            ),
            (
                "no_finding",
                table.iter().any(|(k, _)| k.get_ref() == "no_finding"),
            ),
        ];
        for (key, given) in present {
            if !given {
                self.fail(
                    ScenarioError::MissingKey {
                        section: "answer".to_string(),
                        key: key.to_string(),
                    },
                    header.clone(),
                );
            }
        }
    }

    /// The keys that must agree: the figure judged is one of `figures`, and no figure is both
    /// an answer and true by construction.
    fn consistent(&mut self, written: &Written) {
        if let (Some(listed), Some((condition, span))) = (&written.listed, &written.yes_when)
            && !listed.iter().any(|(name, _)| *name == condition.figure)
        {
            self.fail(
                ScenarioError::Inconsistent {
                    keys: vec![
                        "answer.yes_when.figure".to_string(),
                        "answer.figures".to_string(),
                    ],
                    message: format!(
                        "the figure judged, `{}`, must be one of `figures`",
                        crate::diagnostic::cut(&condition.figure)
                    ),
                },
                span.clone(),
            );
        }
        if let Some(listed) = &written.listed {
            // A figure is either part of the answer or true by construction, never both.
            for (name, span) in &written.by_construction {
                if listed.iter().any(|(answer, _)| answer == name) {
                    self.fail(
                        ScenarioError::Inconsistent {
                            keys: vec![
                                "answer.by_construction".to_string(),
                                "answer.figures".to_string(),
                            ],
                            message: format!(
                                "`{}` is listed both as an answer and as true by construction",
                                crate::diagnostic::cut(name)
                            ),
                        },
                        span.clone(),
                    );
                }
            }
        }
    }

    /// A finding: a few words, not a bare yes or no.
    fn finding(&mut self, key: &str, value: &DeValue<'_>, span: Range<usize>) -> Option<String> {
        let words = self.words(key, value, span.clone())?;
        let bare = words.trim_end_matches(['.', '!']).to_lowercase();
        if matches!(bare.as_str(), "yes" | "no") {
            self.wrong_type(
                key,
                "the finding in a few words (\"saves more of the sick\"), not a bare yes or no",
                "a bare yes or no",
                span,
            );
            return None;
        }
        Some(words)
    }

    /// A non-empty string.
    fn words(&mut self, key: &str, value: &DeValue<'_>, span: Range<usize>) -> Option<String> {
        match value {
            DeValue::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
            DeValue::String(_) => {
                self.wrong_type(key, "a sentence", "an empty string", span);
                None
            }
            other => {
                self.wrong_type(key, "a sentence", crate::load::type_name(other), span);
                None
            }
        }
    }

    /// An array of strings, each with its span; an empty array where `required`.
    fn strings(
        &mut self,
        key: &str,
        expected: &'static str,
        value: &DeValue<'_>,
        span: Range<usize>,
        required: bool,
    ) -> Option<Vec<(String, Range<usize>)>> {
        let DeValue::Array(items) = value else {
            self.wrong_type(key, expected, crate::load::type_name(value), span);
            return None;
        };
        if required && items.is_empty() {
            self.wrong_type(key, expected, "an empty array", span);
            return None;
        }
        let mut out: Vec<(String, Range<usize>)> = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match item.get_ref() {
                DeValue::String(text) => {
                    let text: &str = text;
                    // Each once: a repeated name would be told twice.
                    if !out.iter().any(|(name, _)| name == text) {
                        out.push((text.to_string(), item.span()));
                    }
                }
                other => {
                    self.wrong_type(key, expected, crate::load::type_name(other), item.span());
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// An array of figure keys, each checked against the figures given.
    fn figure_list(
        &mut self,
        key: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
        required: bool,
    ) -> Option<Vec<(String, Range<usize>)>> {
        let expected = if required {
            "an array of one or more figure keys"
        } else {
            "an array of figure keys"
        };
        let list = self.strings(key, expected, value, span, required)?;
        let mut ok = true;
        for (name, span) in &list {
            ok &= self.figure(key, name, span.clone());
        }
        ok.then_some(list)
    }

    /// Whether `name` is a figure (always, when no figures were given to check against).
    fn figure(&mut self, key: &str, name: &str, span: Range<usize>) -> bool {
        let Some(figures) = self.figures else {
            return true;
        };
        if figures.iter().any(|figure| figure == name) {
            return true;
        }
        let suggestion = self
            .room
            .then(|| closest(name, figures.iter().map(String::as_str)))
            .flatten()
            .map(str::to_string);
        self.fail(
            ScenarioError::UnknownFigure {
                key: key.to_string(),
                figure: name.to_string(),
                suggestion,
            },
            span,
        );
        false
    }

    /// `yes_when = { figure = "...", direction = "..." }`.
    fn condition(&mut self, value: &DeValue<'_>, span: Range<usize>) -> Option<Condition> {
        let DeValue::Table(table) = value else {
            self.wrong_type(
                "answer.yes_when",
                "a table with `figure`, `direction`, `matters` and `matters_because`",
                crate::load::type_name(value),
                span,
            );
            return None;
        };
        let mut figure = None;
        let mut direction = None;
        let mut matters = None;
        let mut matters_because = None;
        let mut ok = true;
        for (key, value) in table.iter() {
            let value_span = value.span();
            let name: &str = key.get_ref();
            match name {
                "figure" => {
                    let (judged, known) = self.judged_figure(value.get_ref(), value_span);
                    if let Some(judged) = judged {
                        figure = Some(judged);
                    }
                    ok &= known;
                }
                "direction" => match self.direction(value.get_ref(), value_span) {
                    Some(read) => direction = Some(read),
                    None => ok = false,
                },
                "matters" => match self.difference(value.get_ref(), value_span) {
                    Some(read) => matters = Some(read),
                    None => ok = false,
                },
                "matters_because" => {
                    match self.words(
                        "answer.yes_when.matters_because",
                        value.get_ref(),
                        value_span,
                    ) {
                        Some(read) => matters_because = Some(read),
                        None => ok = false,
                    }
                }
                other => {
                    self.unknown_key("answer.yes_when", &CONDITION_KEYS, other, key.span());
                    ok = false;
                }
            }
        }
        for (key, given) in [
            ("figure", figure.is_some()),
            ("direction", direction.is_some()),
            ("matters", matters.is_some()),
            ("matters_because", matters_because.is_some()),
        ] {
            let written = table.iter().any(|(k, _)| k.get_ref() == key);
            if !given && !written {
                self.fail(
                    ScenarioError::MissingKey {
                        section: "answer.yes_when".to_string(),
                        key: key.to_string(),
                    },
                    span.clone(),
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        Some(Condition {
            figure: figure?,
            direction: direction?,
            matters: matters?,
            matters_because: matters_because?,
        })
    }

    /// The smallest difference that matters: a number above zero.
    fn difference(&mut self, value: &DeValue<'_>, span: Range<usize>) -> Option<f64> {
        const KEY: &str = "answer.yes_when.matters";
        let number = match value {
            DeValue::Integer(integer) => integer.to_string().parse::<f64>().ok(),
            DeValue::Float(float) => float.to_string().parse::<f64>().ok(),
            other => {
                let found = crate::load::type_name(other);
                self.wrong_type(
                    KEY,
                    "a number above zero, in the figure's unit",
                    found,
                    span,
                );
                return None;
            }
        };
        match number {
            Some(number) if number.is_finite() && number > 0.0 => Some(number),
            _ => {
                self.wrong_type(
                    KEY,
                    "a number above zero, in the figure's unit",
                    "a number that is not above zero",
                    span,
                );
                None
            }
        }
    }

    /// The figure a condition judges, if it is a string, and whether it is a known figure.
    fn judged_figure(&mut self, value: &DeValue<'_>, span: Range<usize>) -> (Option<String>, bool) {
        match value {
            DeValue::String(name) => {
                let known = self.figure("answer.yes_when.figure", name, span);
                (Some(name.to_string()), known)
            }
            other => {
                let found = crate::load::type_name(other);
                self.wrong_type("answer.yes_when.figure", "a figure key", found, span);
                (None, false)
            }
        }
    }

    /// The direction a condition asks for, one of [`Direction::ALL`]'s words.
    fn direction(&mut self, value: &DeValue<'_>, span: Range<usize>) -> Option<Direction> {
        let DeValue::String(word) = value else {
            let found = crate::load::type_name(value);
            self.wrong_type(
                "answer.yes_when.direction",
                "one of `up`, `down`, `up_or_same`, `down_or_same`",
                found,
                span,
            );
            return None;
        };
        let word: &str = word;
        if let Some((_, direction)) = Direction::ALL.iter().find(|(w, _)| *w == word) {
            return Some(*direction);
        }
        let suggestion = self
            .room
            .then(|| closest(word, Direction::ALL.iter().map(|(w, _)| *w)))
            .flatten()
            .map(str::to_string);
        self.fail(
            ScenarioError::UnknownChoice {
                key: "answer.yes_when.direction".to_string(),
                value: word.to_string(),
                choices: "`up`, `down`, `up_or_same` or `down_or_same`",
                suggestion,
            },
            span,
        );
        None
    }

    /// `assumptions = ["section.key", ...]`, each a parameter.
    fn assumptions(
        &mut self,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Vec<(&'static str, &'static str)> {
        let Some(list) = self.strings(
            "answer.assumptions",
            "an array of parameters (`section.key`)",
            value,
            span,
            false,
        ) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(list.len());
        for (name, span) in list {
            let found = name
                .split_once('.')
                .and_then(|(section, key)| Params::spec(section, key));
            match found {
                Some(spec) => out.push((spec.section, spec.key)),
                None => {
                    let suggestion = if self.room {
                        let paths: Vec<String> = SPECS.iter().map(|spec| spec.path()).collect();
                        closest(&name, paths.iter().map(String::as_str)).map(str::to_string)
                    } else {
                        None
                    };
                    self.fail(
                        ScenarioError::UnknownParameter {
                            key: "answer.assumptions".to_string(),
                            parameter: name,
                            suggestion,
                        },
                        span,
                    );
                }
            }
        }
        out
    }
}
