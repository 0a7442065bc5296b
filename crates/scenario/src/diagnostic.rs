//! What went wrong in a scenario file, where, and how to show it.
//!
//! A [`ScenarioError`] says what is wrong in structured fields, so tests match kinds, not
//! strings. A [`Diagnostic`] adds where: the file, the byte range, and the line, column and
//! source line computed from that range when the diagnostic leaves the loader. [`Diagnostics`]
//! holds every problem of one load and renders them the way rustc does, in plain text.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One kind of problem in a scenario file.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file is not valid TOML.
    #[error("TOML syntax error: {message}")]
    Syntax {
        /// The TOML parser's description of the error.
        message: String,
    },
    /// A table that names no section of the parameter table, e.g. `[cares]`.
    #[error("unknown section {}", quoted_section(.section))]
    UnknownSection {
        /// The section as written.
        section: String,
        /// The closest known section, if one is close enough.
        suggestion: Option<String>,
    },
    /// A key that names no parameter of its section (or, at the top level, none of `name`,
    /// `description` and `base`).
    #[error("unknown key {} {}", quoted(.key), place(.section))]
    UnknownKey {
        /// The section the key was found in; empty for the top level of the file.
        section: String,
        /// The key as written.
        key: String,
        /// What was probably meant: a key of the same section (`carer_share`), or a key of
        /// another section written with its table (`[care] carer_share`).
        suggestion: Option<String>,
    },
    /// A key a table must have and does not, e.g. `yes` in `[answer]`.
    #[error("missing key `{key}` {}", place(.section))]
    MissingKey {
        /// The table, e.g. `answer` or `answer.yes_when`.
        section: String,
        /// The key that is missing.
        key: String,
    },
    /// A name in `[answer]` that is no figure of the report, e.g. `waiting_death`.
    #[error("unknown figure {} in `{key}`", quoted(.figure))]
    UnknownFigure {
        /// Where it was named: `answer.figures`, `answer.by_construction` or
        /// `answer.yes_when.figure`.
        key: String,
        /// The name as written.
        figure: String,
        /// The closest figure key, if one is close enough.
        suggestion: Option<String>,
    },
    /// A name in `answer.assumptions` that is no parameter (`section.key`).
    #[error("unknown parameter {} in `{key}`", quoted(.parameter))]
    UnknownParameter {
        /// Where it was named: `answer.assumptions`.
        key: String,
        /// The name as written.
        parameter: String,
        /// The closest parameter, as `section.key`, if one is close enough.
        suggestion: Option<String>,
    },
    /// A word that is none of the few a key takes, e.g. `direction = "downward"`.
    #[error("unknown value {} for `{key}`: expected {choices}", quoted(.value))]
    UnknownChoice {
        /// The key, e.g. `answer.yes_when.direction`.
        key: String,
        /// The value as written.
        value: String,
        /// The words the key takes, in prose.
        choices: &'static str,
        /// The closest of them, if one is close enough.
        suggestion: Option<String>,
    },
    /// A section name used for something other than a table, e.g. `care = 1`.
    #[error(
        "`{section}` is a section of parameters, not a single value: write `[{section}]` above its keys"
    )]
    NotATable {
        /// The section.
        section: String,
    },
    /// A value of the wrong type.
    #[error("wrong type for `{key}`: expected {expected}, found {found}")]
    WrongType {
        /// `section.key`, or the top-level key (`name`, `description`, `question`, `source`,
        /// `base`).
        key: String,
        /// The type the key takes, as [`hailsham_world::Kind::as_str`] names it.
        expected: &'static str,
        /// The type the file gave, e.g. `"a string"`.
        found: &'static str,
    },
    /// A value outside the parameter's range.
    #[error("value {} out of range for `{key}`: expected {min} to {max}", cut(.value))]
    OutOfRange {
        /// `section.key`.
        key: String,
        /// The value as written in the file.
        value: String,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// The values break a rule that ties several parameters together
    /// ([`hailsham_world::Params::problems`]).
    #[error("inconsistent parameters: {message}")]
    Inconsistent {
        /// The parameters involved, as `section.key`; the first is the one pointed at.
        keys: Vec<String>,
        /// What is wrong, in words.
        message: String,
    },
    /// A `base` that names no file.
    #[error(
        "base file {} not found (looked for {})",
        quoted(.base),
        cut(&.resolved.display().to_string())
    )]
    BaseNotFound {
        /// The `base` value as written.
        base: String,
        /// The absolute path that was tried.
        resolved: PathBuf,
    },
    /// A base that includes itself, directly or through others.
    #[error("base chain loops: {}", chain_text(.chain))]
    BaseCycle {
        /// The files of the loop, from the first file of the loop back to it again.
        chain: Vec<PathBuf>,
    },
    /// A base chain longer than [`crate::BASE_DEPTH_MAX`] files below the file loaded.
    #[error(
        "base chain too deep: base {} would be number {}, and a chain may have at most {max}",
        quoted(.base),
        .max + 1
    )]
    BaseTooDeep {
        /// The `base` value as written, in the file that would exceed the bound.
        base: String,
        /// The most bases a chain may have.
        max: usize,
    },
    /// A scenario file, or a base, that is not a regular file: a directory, a named pipe, a
    /// device. None is opened: a pipe would wait for a writer, a device could never end.
    #[error("`{}` is {kind}, not a regular file", .path.display())]
    NotAFile {
        /// The path, as given or as resolved from a `base`.
        path: PathBuf,
        /// What it is, e.g. `"a named pipe (FIFO)"`.
        kind: &'static str,
    },
    /// A scenario file, or a base, larger than [`crate::FILE_BYTES_MAX`] bytes.
    #[error(
        "`{}` is larger than {}, the most a scenario file may hold",
        .path.display(),
        size_text(*.max)
    )]
    TooLarge {
        /// The path, as given or as resolved from a `base`.
        path: PathBuf,
        /// The most bytes a scenario file may hold.
        max: u64,
    },
    /// More problems than [`crate::DIAGNOSTICS_MAX`]: the first are listed, the rest counted.
    #[error("{more} more problems not shown")]
    TooManyProblems {
        /// The problems listed before this one.
        shown: usize,
        /// The problems found beyond them.
        more: usize,
    },
    /// A key a sweep file does not take, at its top level (`table` empty) or in `[design]`.
    #[error("unknown key {} {} of a sweep file", quoted(.key), sweep_place(.table))]
    UnknownSweepKey {
        /// `""` for the top level, or `design`.
        table: String,
        /// The key as written.
        key: String,
        /// The closest key the table takes, if one is close enough.
        suggestion: Option<String>,
        /// The keys the table takes, in prose.
        takes: &'static str,
    },
    /// A swept parameter's range that holds no value: `low` not below `high`, or a
    /// logarithmic range that does not lie above zero, or an empty list.
    #[error("no values to sweep for `{key}`: {problem}")]
    BadRange {
        /// `section.key`.
        key: String,
        /// What is wrong, in words.
        problem: String,
    },
    /// A `[design]` key that the design's kind does not take, e.g. `points` for `morris`.
    #[error("`{key}` does not apply to a `{design}` design")]
    NotForDesign {
        /// The key as written.
        key: String,
        /// The design's kind.
        design: &'static str,
        /// The keys that kind takes, in prose.
        takes: &'static str,
    },
    /// A file that could not be read: the scenario file itself (no span), or a base file that
    /// exists but cannot be read (the span points at its `base` line).
    #[error("cannot read scenario file: {message}")]
    Unreadable {
        /// The I/O error, in words.
        message: String,
    },
}

/// Text from a file longer than this, in characters, is shown cut, with its length: a key of a
/// megabyte would otherwise fill the terminal.
const SHOWN_CHARS_MAX: usize = 60;

/// `text`, or its first [`SHOWN_CHARS_MAX`] characters, `…` and its length in characters.
pub(crate) fn cut(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS_MAX) {
        None => text.to_string(),
        Some((end, _)) => format!("{}… ({} characters)", &text[..end], text.chars().count()),
    }
}

/// `text` in backticks, or its start in backticks followed by its length, as [`cut`].
pub(crate) fn quoted(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS_MAX) {
        None => format!("`{text}`"),
        Some((end, _)) => format!("`{}…` ({} characters)", &text[..end], text.chars().count()),
    }
}

/// `[section]` in backticks, cut as [`quoted`] cuts.
fn quoted_section(section: &str) -> String {
    quoted(&format!("[{section}]"))
}

/// A size in bytes, with the largest binary unit that divides it: `1 MiB (1048576 bytes)`.
fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB ({bytes} bytes)", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB ({bytes} bytes)", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Where an unknown key was found, for the message line.
fn place(section: &str) -> String {
    if section.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in [{section}]")
    }
}

/// Where in a sweep file an unknown key was found.
fn sweep_place(table: &str) -> String {
    if table.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in [{table}]")
    }
}

/// `a.toml -> b.toml -> a.toml`.
fn chain_text(chain: &[PathBuf]) -> String {
    let shown: Vec<String> = chain.iter().map(|p| p.display().to_string()).collect();
    shown.join(" -> ")
}

impl ScenarioError {
    /// A rule that joins parameters, broken ([`hailsham_world::Params::problems`]).
    #[must_use]
    pub fn inconsistent(problem: hailsham_world::Problem) -> ScenarioError {
        ScenarioError::Inconsistent {
            keys: problem
                .keys
                .iter()
                .map(|(section, key)| format!("{section}.{key}"))
                .collect(),
            message: problem.message,
        }
    }

    /// The parameter or key the problem is about, as `section.key` (or a top-level key), if
    /// it is about one: what a page highlights.
    #[must_use]
    pub fn key(&self) -> Option<String> {
        match self {
            ScenarioError::UnknownKey { section, key, .. }
            | ScenarioError::MissingKey { section, key, .. }
                if !section.is_empty() =>
            {
                Some(format!("{section}.{key}"))
            }
            ScenarioError::UnknownKey { key, .. }
            | ScenarioError::MissingKey { key, .. }
            | ScenarioError::UnknownFigure { key, .. }
            | ScenarioError::UnknownParameter { key, .. }
            | ScenarioError::UnknownChoice { key, .. }
            | ScenarioError::WrongType { key, .. }
            | ScenarioError::OutOfRange { key, .. }
            | ScenarioError::BadRange { key, .. }
            | ScenarioError::NotForDesign { key, .. } => Some(key.clone()),
            ScenarioError::UnknownSweepKey { table, key, .. } if !table.is_empty() => {
                Some(format!("{table}.{key}"))
            }
            ScenarioError::UnknownSweepKey { key, .. } => Some(key.clone()),
            ScenarioError::Inconsistent { keys, .. } => keys.first().cloned(),
            _ => None,
        }
    }

    /// A hint on how to fix the problem, shown as `= help: ...` under the source line.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        match self {
            ScenarioError::UnknownSection {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `[{s}]`?")),
            ScenarioError::UnknownSection {
                suggestion: None, ..
            } => Some(sections_help()),
            ScenarioError::UnknownKey {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            ScenarioError::UnknownKey {
                section,
                suggestion: None,
                ..
            } => Some(keys_help(section)),
            ScenarioError::UnknownFigure {
                suggestion: Some(s),
                ..
            }
            | ScenarioError::UnknownParameter {
                suggestion: Some(s),
                ..
            }
            | ScenarioError::UnknownChoice {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            ScenarioError::UnknownSweepKey {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            ScenarioError::UnknownSweepKey {
                table, takes, ..
            } => Some(format!(
                "{} takes {takes}",
                if table.is_empty() {
                    "a sweep file's top level".to_string()
                } else {
                    format!("[{table}]")
                }
            )),
            ScenarioError::NotForDesign { design, takes, .. } => {
                Some(format!("a `{design}` design takes {takes}"))
            }
            ScenarioError::BadRange { .. } => Some(
                "a swept parameter takes `{ low = A, high = B }` with A below B (and `scale = \"log\"` \
                 only above zero), or a list of values `[A, B, ...]`"
                    .to_string(),
            ),
            ScenarioError::UnknownFigure {
                suggestion: None, ..
            } => Some(
                "the figure keys are those of a run's summary.json (`hailsham run --out DIR`)"
                    .to_string(),
            ),
            ScenarioError::UnknownParameter {
                suggestion: None, ..
            } => Some("`hailsham params` lists every parameter as `section.key`".to_string()),
            ScenarioError::MissingKey { section, .. } if section == "answer" => Some(
                "an [answer] needs `figures`, `yes_when`, `yes` and `no`; see docs/model.md §13"
                    .to_string(),
            ),
            ScenarioError::Inconsistent { keys, .. } => Some(format!(
                "the keys involved are {}",
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            ScenarioError::BaseCycle { .. } => {
                Some("a file cannot build on itself: remove one `base` of the loop".to_string())
            }
            ScenarioError::BaseTooDeep { max, .. } => Some(format!(
                "at most {max} files may stand below the one loaded: build on a file nearer the \
                 root of the chain, or merge some of them"
            )),
            ScenarioError::NotAFile { .. } => Some(
                "a scenario file and each of its bases must be a regular TOML file".to_string(),
            ),
            ScenarioError::TooLarge { .. } => Some(
                "a scenario names only the keys it changes; even scenarios/novel.toml, which \
                 documents every key, is a few tens of kilobytes"
                    .to_string(),
            ),
            ScenarioError::TooManyProblems { shown, .. } => Some(format!(
                "the first {shown} are listed above: fix them and check again"
            )),
            _ => None,
        }
    }
}

/// The help for an unknown section no name is close to: every section there is.
fn sections_help() -> String {
    format!(
        "the sections are {}, and [answer]",
        hailsham_world::Params::sections()
            .iter()
            .map(|s| format!("[{s}]"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The help for an unknown key of `section` no name is close to: what the section takes.
fn keys_help(section: &str) -> String {
    if section.is_empty() {
        "the top level takes `name`, `description`, `question`, `source`, `base`, one \
         table per section and an [answer] table"
            .to_string()
    } else if section == "answer" {
        format!(
            "[answer] takes {}",
            crate::answer::ANSWER_KEYS
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else if section == "answer.yes_when" {
        "`yes_when` takes `figure` and `direction`".to_string()
    } else {
        format!("`hailsham params` lists the keys of [{section}]")
    }
}

/// One problem, with its place in a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// What is wrong.
    pub error: ScenarioError,
    /// The file it is in, as given or as resolved from a `base` (not canonicalized).
    pub file: PathBuf,
    /// Byte range in the file, if the problem has a place.
    pub span: Option<Range<usize>>,
    /// 1-based line of the span's start.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the span's start.
    pub column: Option<usize>,
    /// The text of that line, without its line ending. A line longer than 100 characters is
    /// cut to the part around the column, with `…` where it was cut.
    pub source_line: Option<String>,
    /// Where the span starts in `source_line`, in characters from 0: the column, unless the
    /// line was cut.
    caret: usize,
}

impl Diagnostic {
    /// A diagnostic for `error` in `file`; with a span and the file's text, line, column and
    /// source line are computed here.
    #[must_use]
    pub fn new(
        error: ScenarioError,
        file: &Path,
        span: Option<Range<usize>>,
        text: Option<&str>,
    ) -> Diagnostic {
        let place = match (&span, text) {
            (Some(span), Some(text)) => Some(locate(text, span.start)),
            _ => None,
        };
        let (line, column, source_line, caret) = match place {
            Some((line, column, source_line)) => {
                let (shown, caret) = window(&source_line, column - 1);
                (Some(line), Some(column), Some(shown), caret)
            }
            None => (None, None, None, 0),
        };
        Diagnostic {
            error,
            file: file.to_path_buf(),
            span,
            line,
            column,
            source_line,
            caret,
        }
    }

    /// The diagnostic in rustc's plain-text form, ending with a newline:
    ///
    /// ```text
    /// error: unknown key `carer_sahre` in [care]
    ///   --> scenarios/bad.toml:4:1
    ///    |
    ///  4 | carer_sahre = 0.9
    ///    | ^^^^^^^^^^^
    ///    = help: did you mean `carer_share`?
    /// ```
    #[must_use]
    pub fn render(&self) -> String {
        let width = self.line.map_or(1, |line| line.to_string().len());
        let pad = " ".repeat(width + 1);
        let mut out = format!("error: {}\n", self.error);
        match (self.line, self.column) {
            (Some(line), Some(column)) => out.push_str(&format!(
                "{pad}--> {}:{line}:{column}\n",
                self.file.display()
            )),
            _ => out.push_str(&format!("{pad}--> {}\n", self.file.display())),
        }
        if let (Some(line), Some(source)) = (self.line, &self.source_line) {
            // Carets under the span, clipped to the line; at least one, so an empty span at
            // the end of a line still shows where.
            let start = self.caret;
            let span_bytes = self.span.as_ref().map_or(0, Range::len);
            let mut carets = 0;
            let mut covered = 0;
            for c in source.chars().skip(start) {
                if covered >= span_bytes {
                    break;
                }
                covered += c.len_utf8();
                carets += 1;
            }
            let carets = carets.max(1);
            // Tabs stay tabs in the indent, so the carets line up in a terminal.
            let indent: String = source
                .chars()
                .take(start)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{pad} |\n"));
            out.push_str(&format!(" {line} | {source}\n"));
            out.push_str(&format!("{pad} | {indent}{}\n", "^".repeat(carets)));
        }
        if let Some(help) = self.error.help() {
            out.push_str(&format!("{pad} = help: {help}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render().trim_end())
    }
}

impl std::error::Error for Diagnostic {}

/// Characters of a source line shown at most; a longer line is cut around the problem.
const LINE_SHOWN_MAX: usize = 100;

/// Characters shown before the problem when a long line is cut.
const LINE_CONTEXT: usize = 20;

/// `line` as shown, and where `start` (a character index into it) falls in what is shown: a
/// line longer than [`LINE_SHOWN_MAX`] is cut to the part from a little before `start`, with
/// `…` where it was cut, so a line of a megabyte prints as one short line. Other languages of
/// the project (sift's patterns) render their diagnostics through it, in the same style.
pub fn window(line: &str, start: usize) -> (String, usize) {
    let total = line.chars().count();
    if total <= LINE_SHOWN_MAX {
        return (line.to_string(), start);
    }
    let first = start
        .saturating_sub(LINE_CONTEXT)
        .min(total - LINE_SHOWN_MAX);
    let mut shown = String::new();
    let mut caret = start - first;
    if first > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.extend(line.chars().skip(first).take(LINE_SHOWN_MAX));
    if first + LINE_SHOWN_MAX < total {
        shown.push('…');
    }
    (shown, caret)
}

/// Line (1-based), column (1-based, in characters) and line text of byte `offset` in `text`.
/// Offsets past the end or inside a character are moved back, so no span can panic.
pub fn locate(text: &str, offset: usize) -> (usize, usize, String) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let source = text[line_start..line_end]
        .trim_end_matches('\r')
        .to_string();
    (line, column, source)
}

/// Every problem found in one load, in file order (root base first) and position order.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostics {
    /// The problems; never empty when returned as an error.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// All problems rendered as [`Diagnostic::render`] does, separated by blank lines.
    #[must_use]
    pub fn render(&self) -> String {
        let rendered: Vec<String> = self.items.iter().map(Diagnostic::render).collect();
        rendered.join("\n")
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(item: Diagnostic) -> Diagnostics {
        Diagnostics { items: vec![item] }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render().trim_end())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_matches_rustc_layout() {
        let text = "name = \"bad\"\n\n[care]\ncarer_sahre = 0.9\n";
        let start = text.find("carer_sahre").unwrap_or(0);
        let diagnostic = Diagnostic::new(
            ScenarioError::UnknownKey {
                section: "care".to_string(),
                key: "carer_sahre".to_string(),
                suggestion: Some("carer_share".to_string()),
            },
            Path::new("scenarios/bad.toml"),
            Some(start..start + "carer_sahre".len()),
            Some(text),
        );
        assert_eq!(
            diagnostic.render(),
            "error: unknown key `carer_sahre` in [care]\n  --> scenarios/bad.toml:4:1\n   |\n 4 | carer_sahre = 0.9\n   | ^^^^^^^^^^^\n   = help: did you mean `carer_share`?\n"
        );
    }

    #[test]
    fn render_without_span_names_the_file_only() {
        let diagnostic = Diagnostic::new(
            ScenarioError::Unreadable {
                message: "No such file or directory".to_string(),
            },
            Path::new("x.toml"),
            None,
            None,
        );
        assert_eq!(
            diagnostic.render(),
            "error: cannot read scenario file: No such file or directory\n  --> x.toml\n"
        );
    }

    #[test]
    fn wide_line_numbers_widen_the_gutter() {
        let text = format!("{}x = 1\n", "\n".repeat(11));
        let diagnostic = Diagnostic::new(
            ScenarioError::Syntax {
                message: "m".to_string(),
            },
            Path::new("a.toml"),
            Some(11..12),
            Some(&text),
        );
        assert_eq!(
            diagnostic.render(),
            "error: TOML syntax error: m\n   --> a.toml:12:1\n    |\n 12 | x = 1\n    | ^\n"
        );
    }

    #[test]
    fn locate_survives_any_offset() {
        let text = "é = 1\r\nb = \"ü\"";
        assert_eq!(locate(text, 0), (1, 1, "é = 1".to_string()));
        assert_eq!(
            locate(text, 1),
            (1, 1, "é = 1".to_string()),
            "inside a character"
        );
        assert_eq!(locate(text, 2), (1, 2, "é = 1".to_string()));
        assert_eq!(locate(text, 3), (1, 3, "é = 1".to_string()));
        assert_eq!(locate(text, 8), (2, 1, "b = \"ü\"".to_string()));
        assert_eq!(locate(text, 1000), (2, 8, "b = \"ü\"".to_string()));
        assert_eq!(locate("", 5), (1, 1, String::new()));
    }

    #[test]
    fn messages_name_key_and_expectation() {
        let wrong = ScenarioError::WrongType {
            key: "care.carer_share".to_string(),
            expected: "a number",
            found: "a string",
        };
        assert_eq!(
            wrong.to_string(),
            "wrong type for `care.carer_share`: expected a number, found a string"
        );
        let range = ScenarioError::OutOfRange {
            key: "care.carer_share".to_string(),
            value: "1.5".to_string(),
            min: 0.0,
            max: 1.0,
        };
        assert_eq!(
            range.to_string(),
            "value 1.5 out of range for `care.carer_share`: expected 0 to 1"
        );
        let cycle = ScenarioError::BaseCycle {
            chain: vec!["a.toml".into(), "b.toml".into(), "a.toml".into()],
        };
        assert_eq!(
            cycle.to_string(),
            "base chain loops: a.toml -> b.toml -> a.toml"
        );
        let missing = ScenarioError::BaseNotFound {
            base: "nope.toml".to_string(),
            resolved: "/abs/path/nope.toml".into(),
        };
        assert_eq!(
            missing.to_string(),
            "base file `nope.toml` not found (looked for /abs/path/nope.toml)"
        );
    }
}
