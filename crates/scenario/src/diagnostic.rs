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
    #[error("unknown section `[{section}]`")]
    UnknownSection {
        /// The section as written.
        section: String,
        /// The closest known section, if one is close enough.
        suggestion: Option<String>,
    },
    /// A key that names no parameter of its section (or, at the top level, none of `name`,
    /// `description` and `base`).
    #[error("unknown key `{key}` {}", place(.section))]
    UnknownKey {
        /// The section the key was found in; empty for the top level of the file.
        section: String,
        /// The key as written.
        key: String,
        /// What was probably meant: a key of the same section (`carer_share`), or a key of
        /// another section written with its table (`[care] carer_share`).
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
    #[error("value {value} out of range for `{key}`: expected {min} to {max}")]
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
    #[error("base file `{base}` not found (looked for {})", .resolved.display())]
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
    /// A file that could not be read: the scenario file itself (no span), or a base file that
    /// exists but cannot be read (the span points at its `base` line).
    #[error("cannot read scenario file: {message}")]
    Unreadable {
        /// The I/O error, in words.
        message: String,
    },
}

/// Where an unknown key was found, for the message line.
fn place(section: &str) -> String {
    if section.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in [{section}]")
    }
}

/// `a.toml -> b.toml -> a.toml`.
fn chain_text(chain: &[PathBuf]) -> String {
    let shown: Vec<String> = chain.iter().map(|p| p.display().to_string()).collect();
    shown.join(" -> ")
}

impl ScenarioError {
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
            } => Some(format!(
                "the sections are {}",
                hailsham_world::Params::sections()
                    .iter()
                    .map(|s| format!("[{s}]"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            ScenarioError::UnknownKey {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            ScenarioError::UnknownKey {
                section,
                suggestion: None,
                ..
            } => Some(if section.is_empty() {
                "the top level takes `name`, `description`, `question`, `source`, `base` and one \
                 table per section"
                    .to_string()
            } else {
                format!("`hailsham params` lists the keys of [{section}]")
            }),
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
            _ => None,
        }
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
    /// The text of that line, without its line ending.
    pub source_line: Option<String>,
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
        let (line, column, source_line) = match place {
            Some((line, column, source_line)) => (Some(line), Some(column), Some(source_line)),
            None => (None, None, None),
        };
        Diagnostic {
            error,
            file: file.to_path_buf(),
            span,
            line,
            column,
            source_line,
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
        if let (Some(line), Some(column), Some(source)) =
            (self.line, self.column, &self.source_line)
        {
            // Carets under the span, clipped to the line; at least one, so an empty span at
            // the end of a line still shows where.
            let start = column.saturating_sub(1);
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

/// Line (1-based), column (1-based, in characters) and line text of byte `offset` in `text`.
/// Offsets past the end or inside a character are moved back, so no span can panic.
pub(crate) fn locate(text: &str, offset: usize) -> (usize, usize, String) {
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
