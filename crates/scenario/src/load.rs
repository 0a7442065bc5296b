//! Reading a scenario file and its `base` chain into [`Params`], collecting every problem.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hailsham_world::{Params, SPECS, SetError, Value};
use toml::de::{DeTable, DeValue};

use crate::Scenario;
use crate::diagnostic::{Diagnostic, Diagnostics, ScenarioError};
use crate::suggest::{suggest_key, suggest_section, suggest_top_level};

/// A file read during one load.
struct Source {
    /// The path as given, or as resolved from a `base` (parent directory joined with it).
    path: PathBuf,
    text: Rc<str>,
}

/// A problem found, still with a byte span: line and column come when it leaves the loader.
struct Found {
    error: ScenarioError,
    /// Index into `Loader::sources`.
    source: usize,
    span: Option<Range<usize>>,
}

/// The top-level strings of a file.
#[derive(Default)]
struct Header {
    name: Option<String>,
    description: Option<String>,
    question: Option<String>,
    source: Option<String>,
}

/// One load: the files read, the problems found, the parameters as they stand.
struct Loader {
    /// Every file read, in the order read (a file before its base).
    sources: Vec<Source>,
    /// Indices into `sources` in chain order: root base first, the loaded file last.
    chain: Vec<usize>,
    found: Vec<Found>,
    params: Params,
    /// Where each parameter was last set: a later file of the chain overwrites its base's.
    set_at: BTreeMap<(&'static str, &'static str), (usize, Range<usize>)>,
    /// Parameters whose value some file gave wrongly: rules over them are not checked.
    failed: BTreeSet<(&'static str, &'static str)>,
    /// A file of the chain could not be read or parsed, so the parameters are incomplete and
    /// the rules between them are not checked.
    incomplete: bool,
}

/// A file's identity for loop detection: its canonical path where it exists.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The absolute path a missing base was looked for at: its directory canonicalized where it
/// exists, so the message shows no `..`.
fn looked_for(path: &Path) -> PathBuf {
    let canonical_dir = path
        .parent()
        .map(|dir| {
            if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            }
        })
        .and_then(|dir| std::fs::canonicalize(dir).ok());
    match (canonical_dir, path.file_name()) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// How a scenario file's reader should name the type of a TOML value.
fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Why a TOML value could not become a [`Value`].
enum Conversion {
    /// The value is of a type no parameter takes.
    Type(&'static str),
    /// A number too large to hold (the literal as written).
    Overflow,
}

/// The TOML value as a parameter [`Value`].
fn to_value(value: &DeValue<'_>) -> Result<Value, Conversion> {
    match value {
        DeValue::Integer(integer) => {
            let digits: String = integer.as_str().chars().filter(|c| *c != '_').collect();
            i64::from_str_radix(&digits, integer.radix())
                .map(Value::Int)
                .map_err(|_| Conversion::Overflow)
        }
        DeValue::Float(float) => {
            let digits: String = float.as_str().chars().filter(|c| *c != '_').collect();
            digits
                .parse::<f64>()
                .map(Value::Float)
                .map_err(|_| Conversion::Overflow)
        }
        DeValue::Boolean(flag) => Ok(Value::Bool(*flag)),
        other => Err(Conversion::Type(type_name(other))),
    }
}

impl Loader {
    fn new() -> Loader {
        Loader {
            sources: Vec::new(),
            chain: Vec::new(),
            found: Vec::new(),
            params: Params::default(),
            set_at: BTreeMap::new(),
            failed: BTreeSet::new(),
            incomplete: false,
        }
    }

    fn report(&mut self, error: ScenarioError, source: usize, span: Option<Range<usize>>) {
        self.found.push(Found {
            error,
            source,
            span,
        });
    }

    /// Applies the file at `path` with contents `text`: its base first, then its own keys.
    /// `stack` holds the files being applied, outermost first, as (identity, shown path).
    fn apply(&mut self, path: &Path, text: Rc<str>, stack: &mut Vec<(PathBuf, PathBuf)>) -> Header {
        let source = self.sources.len();
        self.sources.push(Source {
            path: path.to_path_buf(),
            text: Rc::clone(&text),
        });
        stack.push((identity(path), path.to_path_buf()));
        let header = self.apply_text(path, &text, source, stack);
        stack.pop();
        header
    }

    fn apply_text(
        &mut self,
        path: &Path,
        text: &str,
        source: usize,
        stack: &mut Vec<(PathBuf, PathBuf)>,
    ) -> Header {
        let document = match DeTable::parse(text) {
            Ok(document) => document.into_inner(),
            Err(error) => {
                self.report(
                    ScenarioError::Syntax {
                        message: error.message().to_string(),
                    },
                    source,
                    error.span(),
                );
                self.incomplete = true;
                self.chain.push(source);
                return Header::default();
            }
        };
        // The base comes first wherever `base` is written, so this file's keys win.
        for (key, value) in document.iter() {
            if key.get_ref() == "base" {
                match value.get_ref() {
                    DeValue::String(base) => {
                        self.apply_base(path, base, source, value.span(), stack)
                    }
                    other => self.report(
                        ScenarioError::WrongType {
                            key: "base".to_string(),
                            expected: "a string",
                            found: type_name(other),
                        },
                        source,
                        Some(value.span()),
                    ),
                }
            }
        }
        self.chain.push(source);
        let sections = Params::sections();
        let mut header = Header::default();
        for (key, value) in document.iter() {
            let name: &str = key.get_ref();
            match name {
                "base" => {}
                "name" | "description" | "question" | "source" => match value.get_ref() {
                    DeValue::String(text) => {
                        let field = match name {
                            "name" => &mut header.name,
                            "description" => &mut header.description,
                            "question" => &mut header.question,
                            _ => &mut header.source,
                        };
                        *field = Some(text.to_string());
                    }
                    other => self.report(
                        ScenarioError::WrongType {
                            key: name.to_string(),
                            expected: "a string",
                            found: type_name(other),
                        },
                        source,
                        Some(value.span()),
                    ),
                },
                _ => {
                    if let Some(section) = sections.iter().find(|s| **s == name) {
                        match value.get_ref() {
                            DeValue::Table(table) => self.apply_section(section, table, source),
                            _ => self.report(
                                ScenarioError::NotATable {
                                    section: name.to_string(),
                                },
                                source,
                                Some(key.span()),
                            ),
                        }
                    } else if let DeValue::Table(_) = value.get_ref() {
                        self.report(
                            ScenarioError::UnknownSection {
                                section: name.to_string(),
                                suggestion: suggest_section(name),
                            },
                            source,
                            Some(key.span()),
                        );
                    } else {
                        self.report(
                            ScenarioError::UnknownKey {
                                section: String::new(),
                                key: name.to_string(),
                                suggestion: suggest_top_level(name),
                            },
                            source,
                            Some(key.span()),
                        );
                    }
                }
            }
        }
        header
    }

    /// Reads and applies the base `base` named in the file at `path`.
    fn apply_base(
        &mut self,
        path: &Path,
        base: &str,
        source: usize,
        span: Range<usize>,
        stack: &mut Vec<(PathBuf, PathBuf)>,
    ) {
        let shown = path.parent().unwrap_or(Path::new("")).join(base);
        let id = identity(&shown);
        if let Some(first) = stack.iter().position(|(other, _)| *other == id) {
            let mut chain: Vec<PathBuf> = stack[first..].iter().map(|(_, p)| p.clone()).collect();
            chain.push(shown);
            self.report(ScenarioError::BaseCycle { chain }, source, Some(span));
            self.incomplete = true;
            return;
        }
        match std::fs::read_to_string(&shown) {
            Ok(text) => {
                // A base's name, description, question and source describe the base, not this
                // scenario.
                let _ = self.apply(&shown, text.into(), stack);
            }
            Err(error) => {
                let error = if error.kind() == std::io::ErrorKind::NotFound {
                    ScenarioError::BaseNotFound {
                        base: base.to_string(),
                        resolved: looked_for(&shown),
                    }
                } else {
                    ScenarioError::Unreadable {
                        message: format!("base file `{}`: {error}", shown.display()),
                    }
                };
                self.report(error, source, Some(span));
                self.incomplete = true;
            }
        }
    }

    /// Sets every key of the table `[section]`.
    fn apply_section(&mut self, section: &'static str, table: &DeTable<'_>, source: usize) {
        for (key, value) in table.iter() {
            let Some(spec) = Params::spec(section, key.get_ref()) else {
                self.report(
                    ScenarioError::UnknownKey {
                        section: section.to_string(),
                        key: key.get_ref().to_string(),
                        suggestion: suggest_key(section, key.get_ref()),
                    },
                    source,
                    Some(key.span()),
                );
                continue;
            };
            let id = (spec.section, spec.key);
            let literal = || {
                self.sources[source]
                    .text
                    .get(value.span())
                    .unwrap_or_default()
                    .to_string()
            };
            let error = match to_value(value.get_ref()) {
                Err(Conversion::Type(found)) => ScenarioError::WrongType {
                    key: spec.path(),
                    expected: spec.kind.as_str(),
                    found,
                },
                Err(Conversion::Overflow) => ScenarioError::OutOfRange {
                    key: spec.path(),
                    value: literal(),
                    min: spec.min,
                    max: spec.max,
                },
                Ok(parsed) => match self.params.set(spec.section, spec.key, parsed) {
                    Ok(()) => {
                        self.set_at.insert(id, (source, key.span()));
                        continue;
                    }
                    Err(SetError::WrongType { expected }) => ScenarioError::WrongType {
                        key: spec.path(),
                        expected: expected.as_str(),
                        found: type_name(value.get_ref()),
                    },
                    Err(SetError::OutOfRange { min, max }) => ScenarioError::OutOfRange {
                        key: spec.path(),
                        value: literal(),
                        min,
                        max,
                    },
                    Err(_) => ScenarioError::UnknownKey {
                        section: section.to_string(),
                        key: key.get_ref().to_string(),
                        suggestion: None,
                    },
                },
            };
            self.failed.insert(id);
            self.report(error, source, Some(value.span()));
        }
    }

    /// Checks the rules between parameters, unless the chain is incomplete or a rule's keys
    /// were given wrongly (their errors already say what to fix).
    fn check_rules(&mut self, top: usize) {
        if self.incomplete {
            return;
        }
        for problem in self.params.problems() {
            if problem.keys.iter().any(|key| self.failed.contains(key)) {
                continue;
            }
            // The first key of the rule that a file sets, as the latest such file writes it.
            let (source, span) = match problem.keys.iter().find_map(|k| self.set_at.get(k)) {
                Some((source, span)) => (*source, Some(span.clone())),
                None => (top, None),
            };
            let keys = problem
                .keys
                .iter()
                .map(|(section, key)| format!("{section}.{key}"))
                .collect();
            self.report(
                ScenarioError::Inconsistent {
                    keys,
                    message: problem.message,
                },
                source,
                span,
            );
        }
    }

    /// The problems as [`Diagnostics`], in chain order and then position order.
    fn diagnostics(self) -> Diagnostics {
        let rank = |source: usize| {
            self.chain
                .iter()
                .position(|s| *s == source)
                .unwrap_or(usize::MAX)
        };
        let mut found: Vec<(usize, usize, usize, &Found)> = self
            .found
            .iter()
            .enumerate()
            .map(|(sequence, f)| {
                let start = f.span.as_ref().map_or(usize::MAX, |s| s.start);
                (rank(f.source), start, sequence, f)
            })
            .collect();
        found.sort_by_key(|(rank, start, sequence, _)| (*rank, *start, *sequence));
        let items = found
            .into_iter()
            .map(|(_, _, _, f)| {
                let file = &self.sources[f.source];
                Diagnostic::new(
                    f.error.clone(),
                    &file.path,
                    f.span.clone(),
                    Some(&file.text),
                )
            })
            .collect();
        Diagnostics { items }
    }
}

/// Reads the file at `path` and its base chain.
pub(crate) fn load(path: &Path) -> Result<Scenario, Diagnostics> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, path),
        Err(error) => Err(Diagnostic::new(
            ScenarioError::Unreadable {
                message: error.to_string(),
            },
            path,
            None,
            None,
        )
        .into()),
    }
}

/// Applies `text`, the contents of the file at `path`, over its base chain.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Scenario, Diagnostics> {
    let mut loader = Loader::new();
    let mut stack = Vec::new();
    let header = loader.apply(path, text.into(), &mut stack);
    let top = 0;
    loader.check_rules(top);
    if !loader.found.is_empty() {
        return Err(loader.diagnostics());
    }
    let defaults = Params::default();
    let changed = SPECS
        .iter()
        .filter(|spec| {
            loader.params.get(spec.section, spec.key) != defaults.get(spec.section, spec.key)
        })
        .map(|spec| (spec.section, spec.key))
        .collect();
    let files = loader
        .chain
        .iter()
        .map(|source| loader.sources[*source].path.clone())
        .collect();
    let name = header.name.unwrap_or_else(|| {
        path.file_stem().map_or_else(
            || "scenario".to_string(),
            |stem| stem.to_string_lossy().into_owned(),
        )
    });
    Ok(Scenario {
        name,
        description: header.description.unwrap_or_default(),
        question: header.question.unwrap_or_default(),
        source: header.source.unwrap_or_default(),
        path: Some(path.to_path_buf()),
        files,
        params: loader.params,
        changed,
    })
}
