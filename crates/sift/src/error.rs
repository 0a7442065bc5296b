//! A mistake in a pattern: what is wrong, where (a byte range of the text), what was expected,
//! and perhaps what was meant. Line, column and the source line are computed when it is
//! rendered, in the style of the scenario diagnostics:
//!
//! ```text
//! error: unknown kind `carer-asigned`
//!   --> narrator.sift:3:6
//!    |
//!  3 |   a: carer-asigned carer ?n donor ?f
//!    |      ^^^^^^^^^^^^^
//!    = expected a kind of announcement (docs/log.md lists them)
//!    = help: did you mean `carer-assigned`?
//! ```

use std::fmt;
use std::ops::Range;

/// A mistake in a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    /// What is wrong, in words (`unknown kind `carer-asigned``).
    pub message: String,
    /// Where, as a byte range of the pattern's text.
    pub span: Range<usize>,
    /// What was expected there, if the parser knows (`a kind of announcement`).
    pub expected: Option<String>,
    /// A hint: what was probably meant, or what is allowed.
    pub help: Option<String>,
}

impl PatternError {
    pub(crate) fn new(message: impl Into<String>, span: Range<usize>) -> PatternError {
        PatternError {
            message: message.into(),
            span,
            expected: None,
            help: None,
        }
    }

    pub(crate) fn expected(mut self, expected: impl Into<String>) -> PatternError {
        self.expected = Some(expected.into());
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> PatternError {
        self.help = Some(help.into());
        self
    }

    /// Adds "did you mean" for the closest of `names` to `typed`, if one is close, else the
    /// list of names as help when `list` is true.
    pub(crate) fn suggest<'a>(
        mut self,
        typed: &str,
        names: impl IntoIterator<Item = &'a str> + Clone,
        list: bool,
    ) -> PatternError {
        if let Some(best) = closest(typed, names.clone()) {
            self.help = Some(format!("did you mean `{best}`?"));
        } else if list {
            let all: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
            self.help = Some(format!("one of {}", all.join(", ")));
        }
        self
    }

    /// Line (1-based) and column (1-based, in characters) of the start of the span in `text`.
    #[must_use]
    pub fn line_column(&self, text: &str) -> (usize, usize) {
        let (line, column, _) = locate(text, self.span.start);
        (line, column)
    }

    /// The mistake as the command line shows it, `file` naming where the text came from:
    /// `error: ...`, then ` --> file:line:column`, the source line and carets under the span,
    /// then `= expected` and `= help` lines. Ends with a newline.
    #[must_use]
    pub fn render(&self, file: &str, text: &str) -> String {
        let (line, column, source) = locate(text, self.span.start);
        let width = line.to_string().len();
        let pad = " ".repeat(width + 1);
        let mut out = format!("error: {}\n", self.message);
        out.push_str(&format!("{pad}--> {file}:{line}:{column}\n"));
        // The line as shown (long lines are cut around the column), and the carets under the
        // span, clipped to the line, at least one.
        let (shown, caret) = window(&source, column - 1);
        let span_bytes = self.span.len();
        let mut carets = 0;
        let mut covered = 0;
        for c in shown.chars().skip(caret) {
            if covered >= span_bytes {
                break;
            }
            covered += c.len_utf8();
            carets += 1;
        }
        let indent: String = shown
            .chars()
            .take(caret)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        out.push_str(&format!("{pad} |\n"));
        out.push_str(&format!(" {line} | {shown}\n"));
        out.push_str(&format!("{pad} | {indent}{}\n", "^".repeat(carets.max(1))));
        if let Some(expected) = &self.expected {
            out.push_str(&format!("{pad} = expected {expected}\n"));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("{pad} = help: {help}\n"));
        }
        out
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(expected) = &self.expected {
            write!(f, " (expected {expected})")?;
        }
        Ok(())
    }
}

impl std::error::Error for PatternError {}

// Source lines are located and cut as the scenario's diagnostics do it, one code for both.
use hailsham_scenario::{locate, window};

// "Did you mean" as the scenario files have it, one edit distance for both.
pub(crate) use hailsham_scenario::closest;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_the_scenario_diagnostics() {
        let text = "pattern x\n  a: carer-asigned carer ?n\n";
        let start = text.find("carer-asigned").unwrap_or(0);
        let error = PatternError::new("unknown kind `carer-asigned`", start..start + 13)
            .expected("a kind of announcement")
            .suggest("carer-asigned", ["carer-assigned", "created"], false);
        assert_eq!(
            error.render("x.sift", text),
            "error: unknown kind `carer-asigned`\n  --> x.sift:2:6\n   |\n 2 |   a: carer-asigned carer ?n\n   |      ^^^^^^^^^^^^^\n   = expected a kind of announcement\n   = help: did you mean `carer-assigned`?\n"
        );
        assert_eq!(error.line_column(text), (2, 6));
    }

    #[test]
    fn closest_is_near_or_nothing() {
        assert_eq!(closest("narator", ["narrator", "ruth"]), Some("narrator"));
        assert_eq!(closest("zzzzzz", ["narrator", "ruth"]), None);
        let huge = "x".repeat(100_000);
        assert_eq!(closest(&huge, ["narrator"]), None);
    }
}
