//! Sweep files: one scenario run at many settings of some of its parameters.
//!
//! A sweep file is TOML, read with the scenario files' rules and diagnostics: the parameters
//! it varies are named by the same sections and keys, checked against the same table (type,
//! allowed range, a did-you-mean for a misspelt key), and every problem is listed at once with
//! its file, line and column.
//!
//! ```toml
//! name = "carers"                      # optional; default: the file stem
//! description = "Fewer or more carers" # optional
//! base = "novel"                       # a bundled scenario's name, or a scenario file
//!                                      #   (relative to this file)
//! seed = 1                             # optional, default 1: the master seed of every point
//! replicates = 2                       # optional, default 1: replicates at each point
//!
//! [design]
//! kind = "latin-hypercube"             # grid, random, latin-hypercube, sobol or morris
//! points = 16                          # random and latin-hypercube: the points
//!
//! [parameters.care]
//! carer_share = { low = 0.2, high = 1.0, reason = "..." }   # a range
//! [parameters.donation]
//! donations_max = [2, 3, 4]                                 # or a list of values
//! ```
//!
//! A range may say `scale = "log"` (its values spread evenly over their logarithms, for a rate
//! known to within a factor); `reason` says where its bounds come from. A whole-number
//! parameter swept over a range takes every whole number in it alike.
//!
//! The designs, and what `[design]` takes for each:
//!
//! - `grid`: every combination of the lists' values and of `levels` evenly spaced values of
//!   each range (ends included; default 3);
//! - `random` and `latin-hypercube`: `points` points;
//! - `sobol`: Saltelli's scheme for Sobol indices over an Owen-scrambled Sobol sequence, from
//!   a base sample of `points` points (`points × (parameters + 2)` points in all);
//! - `morris`: `trajectories` one-at-a-time trajectories over `levels` levels (default 4), for
//!   Morris's screening (`trajectories × (parameters + 1)` points).
//!
//! The base scenario's problems are its own file's, listed with the sweep file's.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use hailsham_world::{Kind, ParamSpec, Params, Value};
use toml::de::{DeTable, DeValue};

use crate::bundled::Bundled;
use crate::diagnostic::{Diagnostic, Diagnostics, ScenarioError};
use crate::load::{Conversion, FILE_BYTES_MAX, ReadError, read_file, to_value, type_name};
use crate::suggest::{closest, suggest_key, suggest_section};
use crate::{DIAGNOSTICS_MAX, Scenario};

/// The keys of a sweep file's top level.
const TOP_KEYS: [&str; 8] = [
    "name",
    "description",
    "base",
    "seed",
    "replicates",
    "end_year",
    "design",
    "parameters",
];
const TOP_TAKES: &str = "`name`, `description`, `base`, `seed`, `replicates`, `end_year`, [design] and [parameters.SECTION]";
/// The keys of `[design]`.
const DESIGN_KEYS: [&str; 4] = ["kind", "points", "trajectories", "levels"];
const DESIGN_TAKES: &str = "`kind`, and `points`, `trajectories` or `levels` as the kind needs";
/// The keys of a swept range.
const RANGE_KEYS: [&str; 4] = ["low", "high", "scale", "reason"];
const KINDS: &str = "`grid`, `random`, `latin-hypercube`, `sobol` or `morris`";

/// The most replicates a point may have, and the most points a design may ask for before
/// sizing: a bound on the numbers a file can ask for, far above any sweep worth running
/// (the runner's limits size what is asked against the machine).
pub const REPLICATES_MAX: i64 = 10_000;
/// See [`REPLICATES_MAX`].
pub const POINTS_MAX: i64 = 1_000_000;

/// The largest base sample of a `sobol` design: the sequence's length.
pub const SOBOL_POINTS_MAX: i64 = 1 << 16;

/// How a sweep chooses its points.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Design {
    /// Every combination of each list's values and of `levels` values of each range.
    Grid {
        /// Evenly spaced values of each range, its ends included.
        levels: u32,
    },
    /// Points drawn uniformly at random.
    Random {
        /// Points.
        points: u32,
    },
    /// A Latin hypercube: each parameter's range cut into `points` strata, each hit once.
    LatinHypercube {
        /// Points.
        points: u32,
    },
    /// Saltelli's scheme over a scrambled Sobol sequence, for first and total Sobol indices.
    Sobol {
        /// The base sample: `points × (parameters + 2)` points in all.
        points: u32,
    },
    /// Morris's one-at-a-time trajectories, for screening.
    Morris {
        /// Trajectories: `trajectories × (parameters + 1)` points in all.
        trajectories: u32,
        /// Levels each parameter takes.
        levels: u32,
    },
}

impl Design {
    /// The kind, as a sweep file writes it.
    #[must_use]
    pub fn kind(self) -> &'static str {
        match self {
            Design::Grid { .. } => "grid",
            Design::Random { .. } => "random",
            Design::LatinHypercube { .. } => "latin-hypercube",
            Design::Sobol { .. } => "sobol",
            Design::Morris { .. } => "morris",
        }
    }
}

/// The values a swept parameter takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// Every value from `low` to `high`.
    Range {
        /// The smallest.
        low: f64,
        /// The largest.
        high: f64,
        /// Spread evenly over the logarithms rather than the values.
        log: bool,
    },
    /// These values, in this order.
    List(Vec<Value>),
}

/// One parameter a sweep varies.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The parameter.
    pub spec: &'static ParamSpec,
    /// What it takes.
    pub values: Values,
    /// Where its range comes from, as the file says (empty if it does not).
    pub reason: String,
}

impl Axis {
    /// Distinct values the axis can take, if it has few (a list, or a whole-number range).
    #[must_use]
    pub fn count(&self) -> Option<usize> {
        match &self.values {
            Values::List(values) => Some(values.len()),
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Values::Range { low, high, .. } if self.spec.kind == Kind::Int => {
                Some((high - low) as usize + 1)
            }
            Values::Range { .. } => None,
        }
    }

    /// The value at `unit`, a place in [0, 1] of the axis: a range's values spread evenly
    /// (over their logarithms for a log scale); a list's, or a whole-number range's, each
    /// given an equal share of [0, 1], the last also taking 1 itself.
    #[must_use]
    pub fn at(&self, unit: f64) -> Value {
        let unit = if unit.is_finite() {
            unit.clamp(0.0, 1.0)
        } else {
            0.0
        };
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let index = |count: usize| ((unit * count as f64) as usize).min(count - 1);
        match &self.values {
            Values::List(values) => values[index(values.len())],
            #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
            Values::Range { low, .. } if self.spec.kind == Kind::Int => {
                let count = self.count().unwrap_or(1);
                Value::Int(*low as i64 + index(count) as i64)
            }
            Values::Range { low, high, log } => {
                let value = if *log {
                    low * (high / low).powf(unit)
                } else {
                    // Weighted this way, both ends come out exactly.
                    low * (1.0 - unit) + high * unit
                };
                // The ends exactly, whatever the rounding of the arithmetic.
                Value::Float(value.clamp(*low, *high))
            }
        }
    }
}

/// A sweep file, read and checked: the base scenario, the parameters varied and how.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The file's `name`, else its file stem.
    pub name: String,
    /// The file's `description`, else empty.
    pub description: String,
    /// The file read.
    pub path: PathBuf,
    /// The file's text, as written.
    pub text: String,
    /// The scenario every point starts from.
    pub base: Scenario,
    /// The master seed: every point runs replicate `r` from the streams keyed by (seed, `r`),
    /// so that points differ by their parameters alone (common random numbers).
    pub seed: u64,
    /// Replicates at each point.
    pub replicates: u32,
    /// How points are chosen.
    pub design: Design,
    /// The parameters varied, in the file's order.
    pub axes: Vec<Axis>,
    /// Axes whose parameter keeps the base scenario's value at every point, as
    /// `section.key`: what a question's scenario changes stays changed when its world is
    /// varied around it. Empty for a file (which varies what it names).
    pub kept: Vec<String>,
}

impl Sweep {
    /// Reads the sweep file at `path` and its base scenario; `figures`, if given, are the keys
    /// the base's `[answer]` may name.
    ///
    /// # Errors
    /// [`Diagnostics`] with every problem of the file and of its base scenario.
    pub fn load(path: &Path, figures: Option<&[&str]>) -> Result<Sweep, Diagnostics> {
        let text = match read_file(path) {
            Ok(text) => text,
            Err(error) => {
                let error = match error {
                    ReadError::NotFound(error) | ReadError::Io(error) => {
                        ScenarioError::Unreadable {
                            message: error.to_string(),
                        }
                    }
                    ReadError::NotAFile(kind) => ScenarioError::NotAFile {
                        path: path.to_path_buf(),
                        kind,
                    },
                    ReadError::TooLarge => ScenarioError::TooLarge {
                        path: path.to_path_buf(),
                        max: FILE_BYTES_MAX,
                    },
                };
                return Err(Diagnostic::new(error, path, None, None).into());
            }
        };
        Sweep::parse(&text, path, figures)
    }

    /// Reads a sweep from `text`, the contents of the file at `path` (a base scenario file is
    /// found relative to its folder).
    ///
    /// # Errors
    /// As [`Sweep::load`].
    pub fn parse(text: &str, path: &Path, figures: Option<&[&str]>) -> Result<Sweep, Diagnostics> {
        let mut reader = Reader {
            text,
            found: Vec::new(),
            base_problems: Vec::new(),
        };
        let sweep = reader.read(path, figures);
        let mut items: Vec<Diagnostic> = reader
            .found
            .into_iter()
            .take(DIAGNOSTICS_MAX)
            .map(|(error, span)| Diagnostic::new(error, path, span, Some(text)))
            .collect();
        items.extend(reader.base_problems);
        match sweep {
            Some(sweep) if items.is_empty() => Ok(sweep),
            _ => Err(Diagnostics { items }),
        }
    }

    /// Hex SHA-256 of everything that decides the sweep's results: the base scenario's
    /// parameters, the axes, the design, the seed and the replicates (not the name, the
    /// description or the reasons).
    #[must_use]
    pub fn hash(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(text, "base {}", self.base.hash());
        let _ = writeln!(text, "seed {} replicates {}", self.seed, self.replicates);
        let _ = writeln!(text, "design {:?}", self.design);
        for axis in &self.axes {
            let _ = writeln!(text, "axis {} {:?}", axis.spec.path(), axis.values);
        }
        for kept in &self.kept {
            let _ = writeln!(text, "kept {kept}");
        }
        crate::sha256_hex(&text)
    }
}

/// Values of `axis` in a grid of `levels` levels a range: a list's own, a whole-number
/// range's at most as many as it holds.
#[must_use]
pub fn grid_levels(axis: &Axis, levels: u32) -> usize {
    match (&axis.values, axis.count()) {
        (Values::List(values), _) => values.len(),
        (_, Some(count)) => count.min(levels as usize),
        (_, None) => levels as usize,
    }
}

/// One reading of a sweep file.
struct Reader<'t> {
    text: &'t str,
    found: Vec<(ScenarioError, Option<Range<usize>>)>,
    /// The base scenario's own problems, in its own files.
    base_problems: Vec<Diagnostic>,
}

/// What `[design]` said, before it is checked against its kind.
#[derive(Default)]
struct DesignKeys {
    kind: Option<(String, Range<usize>)>,
    points: Option<(i64, Range<usize>)>,
    trajectories: Option<(i64, Range<usize>)>,
    levels: Option<(i64, Range<usize>)>,
}

impl Reader<'_> {
    fn report(&mut self, error: ScenarioError, span: Range<usize>) {
        self.found.push((error, Some(span)));
    }

    fn read(&mut self, path: &Path, figures: Option<&[&str]>) -> Option<Sweep> {
        let document = match DeTable::parse(self.text) {
            Ok(document) => document.into_inner(),
            Err(error) => {
                self.found.push((
                    ScenarioError::Syntax {
                        message: error.message().to_string(),
                    },
                    error.span(),
                ));
                return None;
            }
        };
        let mut name = None;
        let mut description = String::new();
        let mut base = None;
        let mut seed = 1_u64;
        let mut replicates = 1_u32;
        let mut end_year = None;
        let mut design = None;
        let mut axes = Some(Vec::new());
        let mut parameters_seen = false;
        for (key, value) in document.iter() {
            let span = value.span();
            let written: &str = key.get_ref();
            match written {
                "name" => name = self.string("name", value.get_ref(), span),
                "description" => {
                    description = self
                        .string("description", value.get_ref(), span)
                        .unwrap_or_default();
                }
                "base" => {
                    base = self
                        .string("base", value.get_ref(), span.clone())
                        .map(|b| (b, span));
                }
                "seed" => {
                    if let Some(s) = self.integer("seed", value.get_ref(), span, 0, i64::MAX) {
                        seed = u64::try_from(s).unwrap_or_default();
                    }
                }
                "replicates" => {
                    if let Some(r) =
                        self.integer("replicates", value.get_ref(), span, 1, REPLICATES_MAX)
                    {
                        replicates = u32::try_from(r).unwrap_or(1);
                    }
                }
                "end_year" => {
                    end_year = self.integer("end_year", value.get_ref(), span, 1901, 2300)
                }
                "design" => design = self.design(value.get_ref(), key.span()),
                "parameters" => {
                    parameters_seen = true;
                    let read = self.parameters(value.get_ref(), key.span());
                    axes = axes.zip(read).map(|(_, read)| read);
                }
                other => {
                    let suggestion = closest(other, TOP_KEYS).map(str::to_string);
                    self.report(
                        ScenarioError::UnknownSweepKey {
                            table: String::new(),
                            key: other.to_string(),
                            suggestion,
                            takes: TOP_TAKES,
                        },
                        key.span(),
                    );
                }
            }
        }
        let whole = 0..0;
        for (missing, absent) in [
            ("base", base.is_none()),
            ("design", design.is_none()),
            ("parameters", !parameters_seen),
        ] {
            if absent
                && !self
                    .found
                    .iter()
                    .any(|(e, _)| e.key().as_deref() == Some(missing))
            {
                self.found.push((
                    ScenarioError::MissingKey {
                        section: String::new(),
                        key: missing.to_string(),
                    },
                    Some(whole.clone()),
                ));
            }
        }
        if let Some(axes) = &axes
            && parameters_seen
            && axes.is_empty()
        {
            self.found.push((
                ScenarioError::MissingKey {
                    section: String::new(),
                    key: "parameters".to_string(),
                },
                Some(whole),
            ));
        }
        let base = base.and_then(|(base, span)| self.base(path, &base, span, figures, end_year));
        Some(Sweep {
            name: name.unwrap_or_else(|| {
                path.file_stem()
                    .map_or_else(|| "sweep".to_string(), |s| s.to_string_lossy().into_owned())
            }),
            description,
            path: path.to_path_buf(),
            text: self.text.to_string(),
            base: base?,
            seed,
            replicates,
            design: design?,
            axes: axes?,
            kept: Vec::new(),
        })
    }

    fn string(&mut self, key: &str, value: &DeValue<'_>, span: Range<usize>) -> Option<String> {
        if let DeValue::String(text) = value {
            return Some(text.to_string());
        }
        self.report(
            ScenarioError::WrongType {
                key: key.to_string(),
                expected: "a string",
                found: type_name(value),
            },
            span,
        );
        None
    }

    fn integer(
        &mut self,
        key: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        if !matches!(value, DeValue::Integer(_)) {
            self.report(
                ScenarioError::WrongType {
                    key: key.to_string(),
                    expected: "a whole number",
                    found: type_name(value),
                },
                span,
            );
            return None;
        }
        match to_value(value) {
            Ok(Value::Int(n)) if (min..=max).contains(&n) => Some(n),
            _ => {
                #[allow(clippy::cast_precision_loss)]
                let (min, max) = (min as f64, max as f64);
                self.report(
                    ScenarioError::OutOfRange {
                        key: key.to_string(),
                        value: self.text.get(span.clone()).unwrap_or_default().to_string(),
                        min,
                        max,
                    },
                    span,
                );
                None
            }
        }
    }

    /// The base scenario: a file beside the sweep file, else a bundled scenario by name or
    /// file name, run until `end_year` if given.
    fn base(
        &mut self,
        path: &Path,
        base: &str,
        span: Range<usize>,
        figures: Option<&[&str]>,
        end_year: Option<i64>,
    ) -> Option<Scenario> {
        let beside = path.parent().unwrap_or(Path::new("")).join(base);
        let loaded = if beside.is_file() {
            match figures {
                Some(figures) => Scenario::load_with_figures(&beside, figures),
                None => Scenario::load(&beside),
            }
        } else if let Some(bundled) = Bundled::find(base).or_else(|| Bundled::by_file(base)) {
            match figures {
                Some(figures) => bundled.load_with_figures(figures),
                None => bundled.load(),
            }
        } else {
            self.report(
                ScenarioError::BaseNotFound {
                    base: base.to_string(),
                    resolved: std::path::absolute(&beside).unwrap_or(beside),
                },
                span,
            );
            return None;
        };
        let mut scenario = match loaded {
            Ok(scenario) => scenario,
            Err(diagnostics) => {
                self.base_problems.extend(diagnostics.items);
                return None;
            }
        };
        if let Some(end_year) = end_year {
            scenario.params.time.end_year = end_year;
            for problem in scenario.params.problems() {
                self.report(ScenarioError::inconsistent(problem), span.clone());
            }
        }
        Some(scenario)
    }

    fn design(&mut self, value: &DeValue<'_>, header: Range<usize>) -> Option<Design> {
        let DeValue::Table(table) = value else {
            self.report(
                ScenarioError::WrongType {
                    key: "design".to_string(),
                    expected: "a table (`[design]`)",
                    found: type_name(value),
                },
                header,
            );
            return None;
        };
        let mut keys = DesignKeys::default();
        let mut spans = Vec::new();
        for (key, value) in table.iter() {
            let span = value.span();
            let name: &str = key.get_ref();
            spans.push((name.to_string(), key.span()));
            match name {
                "kind" => {
                    keys.kind = self
                        .string("design.kind", value.get_ref(), span.clone())
                        .map(|k| (k, span));
                }
                "points" | "trajectories" | "levels" => {
                    let min = if name == "levels" { 2 } else { 1 };
                    let max = if name == "levels" { 1000 } else { POINTS_MAX };
                    let read = self
                        .integer(
                            &format!("design.{name}"),
                            value.get_ref(),
                            span.clone(),
                            min,
                            max,
                        )
                        .map(|n| (n, span));
                    match name {
                        "points" => keys.points = read,
                        "trajectories" => keys.trajectories = read,
                        _ => keys.levels = read,
                    }
                }
                other => {
                    let suggestion = closest(other, DESIGN_KEYS).map(str::to_string);
                    self.report(
                        ScenarioError::UnknownSweepKey {
                            table: "design".to_string(),
                            key: other.to_string(),
                            suggestion,
                            takes: DESIGN_TAKES,
                        },
                        key.span(),
                    );
                }
            }
        }
        let Some((kind, kind_span)) = keys.kind else {
            if !self
                .found
                .iter()
                .any(|(e, _)| e.key().as_deref() == Some("design.kind"))
            {
                self.report(
                    ScenarioError::MissingKey {
                        section: "design".to_string(),
                        key: "kind".to_string(),
                    },
                    header,
                );
            }
            return None;
        };
        let (design, takes, needs): (&'static str, &'static str, &[&str]) = match kind.as_str() {
            "grid" => ("grid", "`levels` (default 3)", &["levels"]),
            "random" => ("random", "`points`", &["points"]),
            "latin-hypercube" => ("latin-hypercube", "`points`", &["points"]),
            "sobol" => ("sobol", "`points` (the base sample)", &["points"]),
            "morris" => (
                "morris",
                "`trajectories` and `levels` (default 4)",
                &["trajectories", "levels"],
            ),
            other => {
                let suggestion = closest(
                    other,
                    ["grid", "random", "latin-hypercube", "sobol", "morris"],
                )
                .map(str::to_string);
                self.report(
                    ScenarioError::UnknownChoice {
                        key: "design.kind".to_string(),
                        value: other.to_string(),
                        choices: KINDS,
                        suggestion,
                    },
                    kind_span,
                );
                return None;
            }
        };
        let mut fits = true;
        for (name, span) in &spans {
            if name != "kind"
                && DESIGN_KEYS.contains(&name.as_str())
                && !needs.contains(&name.as_str())
            {
                fits = false;
                self.report(
                    ScenarioError::NotForDesign {
                        key: name.clone(),
                        design,
                        takes,
                    },
                    span.clone(),
                );
            }
        }
        let required = |read: Option<(i64, Range<usize>)>, key: &str, this: &mut Self| {
            if read.is_none()
                && !this
                    .found
                    .iter()
                    .any(|(e, _)| e.key().as_deref() == Some(&format!("design.{key}")))
            {
                this.report(
                    ScenarioError::MissingKey {
                        section: "design".to_string(),
                        key: key.to_string(),
                    },
                    header.clone(),
                );
            }
            read.map(|(n, _)| u32::try_from(n).unwrap_or(u32::MAX))
        };
        let levels = |read: &Option<(i64, Range<usize>)>, default: u32| {
            read.as_ref()
                .map_or(default, |(n, _)| u32::try_from(*n).unwrap_or(u32::MAX))
        };
        let design = match design {
            "grid" => Some(Design::Grid {
                levels: levels(&keys.levels, 3),
            }),
            "random" => {
                required(keys.points, "points", self).map(|points| Design::Random { points })
            }
            "latin-hypercube" => required(keys.points, "points", self)
                .map(|points| Design::LatinHypercube { points }),
            "sobol" => match keys.points {
                // The scrambled Sobol sequence has 2^16 points.
                Some((points, span)) if points > SOBOL_POINTS_MAX => {
                    self.report(
                        ScenarioError::OutOfRange {
                            key: "design.points".to_string(),
                            value: points.to_string(),
                            min: 1.0,
                            #[allow(clippy::cast_precision_loss)]
                            max: SOBOL_POINTS_MAX as f64,
                        },
                        span,
                    );
                    None
                }
                read => required(read, "points", self).map(|points| Design::Sobol { points }),
            },
            _ => required(keys.trajectories, "trajectories", self).map(|trajectories| {
                Design::Morris {
                    trajectories,
                    levels: levels(&keys.levels, 4),
                }
            }),
        };
        design.filter(|_| fits)
    }

    /// The `[parameters.SECTION]` tables: each key a range or a list.
    fn parameters(&mut self, value: &DeValue<'_>, header: Range<usize>) -> Option<Vec<Axis>> {
        let DeValue::Table(sections) = value else {
            self.report(
                ScenarioError::WrongType {
                    key: "parameters".to_string(),
                    expected: "tables (`[parameters.SECTION]`)",
                    found: type_name(value),
                },
                header,
            );
            return None;
        };
        let known = Params::sections();
        let mut axes = Vec::new();
        let mut whole = true;
        for (section, keys) in sections.iter() {
            let name: &str = section.get_ref();
            let Some(section_name) = known.iter().find(|s| **s == name) else {
                self.report(
                    ScenarioError::UnknownSection {
                        section: format!("parameters.{name}"),
                        suggestion: suggest_section(name).map(|s| format!("parameters.{s}")),
                    },
                    section.span(),
                );
                whole = false;
                continue;
            };
            let DeValue::Table(keys) = keys.get_ref() else {
                self.report(
                    ScenarioError::NotATable {
                        section: format!("parameters.{name}"),
                    },
                    section.span(),
                );
                whole = false;
                continue;
            };
            for (key, value) in keys.iter() {
                let Some(spec) = Params::spec(section_name, key.get_ref()) else {
                    self.report(
                        ScenarioError::UnknownKey {
                            section: (*section_name).to_string(),
                            key: key.get_ref().to_string(),
                            suggestion: suggest_key(section_name, key.get_ref()),
                        },
                        key.span(),
                    );
                    whole = false;
                    continue;
                };
                match self.axis(spec, value.get_ref(), value.span()) {
                    Some(axis) => axes.push(axis),
                    None => whole = false,
                }
            }
        }
        whole.then_some(axes)
    }

    /// One swept parameter: `{ low, high, scale, reason }` or a list of values.
    fn axis(
        &mut self,
        spec: &'static ParamSpec,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Option<Axis> {
        let key = spec.path();
        match value {
            DeValue::Array(items) => {
                let mut values = Vec::new();
                let mut whole = true;
                for item in items.iter() {
                    match self.value(spec, item.get_ref(), item.span()) {
                        Some(value) => values.push(value),
                        None => whole = false,
                    }
                }
                if values.is_empty() && whole {
                    self.report(
                        ScenarioError::BadRange {
                            key,
                            problem: "the list is empty".to_string(),
                        },
                        span,
                    );
                    return None;
                }
                whole.then(|| Axis {
                    spec,
                    values: Values::List(values),
                    reason: String::new(),
                })
            }
            DeValue::Table(table) => self.range(spec, table, span),
            other => {
                self.report(
                    ScenarioError::WrongType {
                        key,
                        expected: "a range (`{ low = A, high = B }`) or a list of values",
                        found: type_name(other),
                    },
                    span,
                );
                None
            }
        }
    }

    fn range(
        &mut self,
        spec: &'static ParamSpec,
        table: &DeTable<'_>,
        span: Range<usize>,
    ) -> Option<Axis> {
        let key = spec.path();
        if spec.kind == Kind::Bool {
            self.report(
                ScenarioError::WrongType {
                    key,
                    expected: "a list of values (`[true, false]`): a flag has no range",
                    found: "a table",
                },
                span,
            );
            return None;
        }
        let (mut low, mut high, mut log, mut reason) = (None, None, false, String::new());
        let mut whole = true;
        for (name, value) in table.iter() {
            let value_span = value.span();
            let written: &str = name.get_ref();
            match written {
                "low" => low = self.value(spec, value.get_ref(), value_span),
                "high" => high = self.value(spec, value.get_ref(), value_span),
                "reason" => {
                    reason = self
                        .string(&format!("{key}.reason"), value.get_ref(), value_span)
                        .unwrap_or_default();
                }
                "scale" => match value.get_ref() {
                    DeValue::String(s) if s == "log" => log = true,
                    DeValue::String(s) if s == "linear" => log = false,
                    other => {
                        let written = match other {
                            DeValue::String(s) => s.to_string(),
                            _ => type_name(other).to_string(),
                        };
                        let suggestion = closest(&written, ["linear", "log"]).map(str::to_string);
                        self.report(
                            ScenarioError::UnknownChoice {
                                key: format!("{key}.scale"),
                                value: written,
                                choices: "`linear` or `log`",
                                suggestion,
                            },
                            value_span,
                        );
                        whole = false;
                    }
                },
                other => {
                    let suggestion = closest(other, RANGE_KEYS).map(str::to_string);
                    self.report(
                        ScenarioError::UnknownKey {
                            section: key.clone(),
                            key: other.to_string(),
                            suggestion,
                        },
                        name.span(),
                    );
                    whole = false;
                }
            }
        }
        for (missing, read) in [("low", low), ("high", high)] {
            if read.is_none() && !table.iter().any(|(k, _)| k.get_ref() == missing) {
                self.report(
                    ScenarioError::MissingKey {
                        section: key.clone(),
                        key: missing.to_string(),
                    },
                    span.clone(),
                );
            }
        }
        let (low, high) = (as_f64(low?), as_f64(high?));
        let problem = if low >= high {
            Some(format!("`low` ({low}) must be below `high` ({high})"))
        } else if log && low <= 0.0 {
            Some(format!(
                "a logarithmic range must lie above zero, and `low` is {low}"
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            self.report(ScenarioError::BadRange { key, problem }, span);
            return None;
        }
        whole.then_some(Axis {
            spec,
            values: Values::Range { low, high, log },
            reason,
        })
    }

    /// A value of the parameter `spec`, checked as a scenario's would be.
    fn value(
        &mut self,
        spec: &'static ParamSpec,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Option<Value> {
        let literal = self.text.get(span.clone()).unwrap_or_default().to_string();
        let parsed = match to_value(value) {
            Ok(parsed) => Some(parsed),
            Err(Conversion::Overflow) => None,
            Err(Conversion::Type(found)) => {
                self.report(
                    ScenarioError::WrongType {
                        key: spec.path(),
                        expected: spec.kind.as_str(),
                        found,
                    },
                    span,
                );
                return None;
            }
        };
        // Set on a scratch copy: the one check of type and range a scenario's value gets.
        let mut scratch = Params::default();
        let error = match parsed {
            None => ScenarioError::OutOfRange {
                key: spec.path(),
                value: literal,
                min: spec.min,
                max: spec.max,
            },
            Some(parsed) => match scratch.set(spec.section, spec.key, parsed) {
                Ok(()) => return Some(scratch.get(spec.section, spec.key).unwrap_or(parsed)),
                Err(hailsham_world::SetError::WrongType { expected }) => ScenarioError::WrongType {
                    key: spec.path(),
                    expected: expected.as_str(),
                    found: type_name(value),
                },
                Err(_) => ScenarioError::OutOfRange {
                    key: spec.path(),
                    value: literal,
                    min: spec.min,
                    max: spec.max,
                },
            },
        };
        self.report(error, span);
        None
    }
}

/// A value as a number.
fn as_f64(value: Value) -> f64 {
    match value {
        Value::Float(x) => x,
        #[allow(clippy::cast_precision_loss)]
        Value::Int(i) => i as f64,
        Value::Bool(b) => f64::from(u8::from(b)),
    }
}

#[cfg(test)]
#[path = "sweep_tests.rs"]
mod tests;
