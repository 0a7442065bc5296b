//! Scenario files: TOML read, chained through `base`, and validated into world parameters.
//!
//! A **scenario** is a set of values for every parameter of the model
//! ([`hailsham_world::Params`]). The built-in one, [`Scenario::novel`], is the world as the
//! novel has it; `scenarios/novel.toml` writes it out with every key documented
//! ([`novel_toml`]). Any other scenario is a small TOML file that names only what differs:
//!
//! ```toml
//! name = "single-harvest"          # optional; default: the file stem
//! description = "One donation..."  # optional
//! question = "Why not take ..."    # optional: what the scenario asks
//! source = "docs/model.md §13; ..." # optional: who raised the question, where
//! base = "novel.toml"              # optional; relative to this file's directory
//! [care]
//! carer_share = 0.5
//! [donation]
//! donations_max = 1
//! ```
//!
//! The top level takes `name`, `description`, `question`, `source`, `base`, one table per
//! section of the parameter table, whose keys are that section's parameters, and an
//! `[answer]` table. Integers are accepted where a parameter takes a real number.
//!
//! # The answer a scenario declares
//!
//! A scenario that asks a question says which figures answer it and what counts as yes
//! ([`DeclaredAnswer`], in its own module's documentation with an example): `figures` (report figure
//! keys, the headline first), `yes_when = { figure, direction }` (the figure judged, one of
//! `figures`, and `up`, `down`, `up_or_same` or `down_or_same`), the verdicts `yes` and `no`
//! in words, and optionally `by_construction` (figures the change makes move by itself) and
//! `assumptions` (parameters, as `section.key`, the answer rests on). The figure keys belong to
//! the report crate, which this crate cannot depend on, so a caller that knows them passes them
//! in ([`Scenario::load_with_figures`]) and an unknown one is a diagnostic like any other
//! ([`ScenarioError::UnknownFigure`], with a did-you-mean), listed with the file's other
//! problems; [`Scenario::load`] takes figure names as written. An answer changes no parameter
//! and no hash, and is **not inherited**: a scenario's answer belongs to its own question, so
//! only the loaded file's `[answer]` counts (a base's is checked, then set aside).
//!
//! # The base chain
//!
//! Every chain starts from [`Params::default`]. A file's `base` is applied first, its own base
//! before it, and so on; then the file's own keys, so the later file wins. A base is found
//! relative to the directory of the file that names it; if no file is there and the base is
//! the file name of a bundled scenario (`base = "novel.toml"`), that one is used. A file that
//! is its own base, directly or through others, is an error ([`ScenarioError::BaseCycle`]), and
//! a chain may have at most [`BASE_DEPTH_MAX`] (64) bases below the file loaded
//! ([`ScenarioError::BaseTooDeep`]). The chain is read one file at a time, not recursively, so
//! its length costs no stack. Only the loaded file's `name`, `description`, `question` and
//! `source` count, and only its `[answer]`: a base's describe the base.
//! [`Scenario::changed`] lists the keys the whole chain moved away from the built-in values.
//!
//! # Files read, and the bundled scenarios
//!
//! A scenario file, and each base, must be a regular file (a named pipe would block the read,
//! a device such as `/dev/zero` would never end: [`ScenarioError::NotAFile`]) of at most
//! [`FILE_BYTES_MAX`] bytes, 1 MiB ([`ScenarioError::TooLarge`]); it is read through a bound
//! of one byte more, so a file that grows while read cannot exhaust memory either.
//!
//! The files of `scenarios/` are compiled in ([`BUNDLED`]): [`Bundled::find`] finds one by
//! name from any directory and [`Bundled::load`] loads it, its base being bundled too. Its
//! path shows as `<bundled>/escape.toml` ([`BUNDLED_DIR`]).
//!
//! # Errors are collected, then rendered
//!
//! Loading does not stop at the first problem: an unknown key, a wrong type or a value out of
//! range is recorded and the next key checked, in the loaded file and in every base, so one
//! `hailsham check` lists everything to fix. The rules that tie parameters together
//! ([`hailsham_world::Params::problems`]) are checked last, over the whole chain, pointing at
//! the rule's first key that any file sets, as the latest file that sets it wrote it (at no
//! line if no file sets any of them). They are skipped when a file could not be read or
//! parsed, or when a key they involve was given wrongly, because the values they would judge
//! are not the ones the author meant. A syntax error stops its own file only. At most
//! [`DIAGNOSTICS_MAX`] (100) problems are listed; one last item counts the rest
//! ([`ScenarioError::TooManyProblems`]). Text from the file shown in a message, a key or a
//! value, is cut after 60 characters (with its length), and a long source line to the part
//! around the problem, so no input makes the report long.
//!
//! Each problem is a [`Diagnostic`]: a [`ScenarioError`] with structured fields (so tests match
//! kinds, not strings), the file, and a byte span. [`Diagnostics::render`] prints them all in
//! file order (root base first) and position order, rustc-style:
//!
//! ```text
//! error: unknown key `carer_sahre` in [care]
//!   --> scenarios/bad.toml:4:1
//!    |
//!  4 | carer_sahre = 0.9
//!    | ^^^^^^^^^^^
//!    = help: did you mean `carer_share`?
//! ```
//!
//! # Design: spans are byte ranges until the edge
//!
//! The TOML parser gives every key and value a byte range (`toml::Spanned`), and its errors
//! one too. The loader keeps only those ranges, plus the text of each file it read; line,
//! column and source line are computed once, when a problem leaves the loader as a
//! [`Diagnostic`]. So the loader never counts lines, a range can be handed to any renderer
//! (the CLI may use miette, which wants byte offsets), and an odd range cannot make the
//! computation panic: it is clamped to the text and to a character boundary.
//!
//! # Example
//!
//! ```
//! use std::path::Path;
//! use hailsham_scenario::{Scenario, ScenarioError};
//!
//! let text = "name = \"fewer-carers\"\n[care]\ncarer_share = 0.5\n";
//! let scenario = Scenario::parse(text, Path::new("scenarios/fewer-carers.toml")).unwrap();
//! assert_eq!(scenario.name, "fewer-carers");
//! assert_eq!(scenario.params.care.carer_share, 0.5);
//! assert_eq!(scenario.changed, vec![("care", "carer_share")]);
//! assert_eq!(scenario.hash().len(), 64);
//!
//! let bad = Scenario::parse("[care]\ncarer_sahre = 0.5\n", Path::new("bad.toml")).unwrap_err();
//! assert!(matches!(
//!     &bad.items[0].error,
//!     ScenarioError::UnknownKey { suggestion: Some(s), .. } if s == "carer_share"
//! ));
//! assert_eq!((bad.items[0].line, bad.items[0].column), (Some(2), Some(1)));
//! assert!(bad.render().contains("did you mean `carer_share`?"));
//! ```
#![deny(missing_docs)]

mod answer;
mod bundled;
mod changes;
mod diagnostic;
mod load;
mod novel;
mod suggest;
mod sweep;
mod text;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use hailsham_world::Params;
use sha2::{Digest, Sha256};

pub use answer::{Condition, DeclaredAnswer, Direction};
pub use bundled::{BUNDLED, BUNDLED_DIR, Bundled};
pub use changes::CHANGES;
pub use diagnostic::{Diagnostic, Diagnostics, ScenarioError, locate, window};
pub use load::{BASE_DEPTH_MAX, DIAGNOSTICS_MAX, FILE_BYTES_MAX};
pub use novel::novel_toml;
pub use suggest::closest;
pub use sweep::{
    Axis, Design, POINTS_MAX, REPLICATES_MAX, SOBOL_POINTS_MAX, Sweep, Values, grid_levels,
};

/// A validated scenario: its parameters and where they came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The file's `name`, else its file stem; `"novel"` for the built-in scenario.
    pub name: String,
    /// The file's `description`, else empty.
    pub description: String,
    /// The file's `question`: what the scenario asks of the world, in a sentence (shown at the
    /// head of `hailsham report`); else empty.
    pub question: String,
    /// The file's `source`: where the question comes from (who raised it, in which review);
    /// else empty.
    pub source: String,
    /// The file's `[answer]`: the figures that answer its question and what counts as yes
    /// (see [`DeclaredAnswer`]); `None` if it declares none. Never taken from a base.
    pub answer: Option<DeclaredAnswer>,
    /// The file loaded, as given; `None` for the built-in novel.
    pub path: Option<PathBuf>,
    /// The chain of files applied: root base first, this file last (empty for the built-in).
    pub files: Vec<PathBuf>,
    /// The resulting parameters.
    pub params: Params,
    /// Keys this scenario (or its bases) set away from the built-in novel defaults, as
    /// (section, key), in the order of the parameter table.
    pub changed: Vec<(&'static str, &'static str)>,
}

impl Scenario {
    /// The built-in `novel` scenario: [`Params::default`], read from no file.
    #[must_use]
    pub fn novel() -> Scenario {
        Scenario {
            name: "novel".to_string(),
            description: novel::NOVEL_DESCRIPTION.to_string(),
            question: String::new(),
            source: String::new(),
            answer: None,
            path: None,
            files: Vec::new(),
            params: Params::default(),
            changed: Vec::new(),
        }
    }

    /// Reads the scenario file at `path` and its base chain.
    ///
    /// # Errors
    /// [`Diagnostics`] with every problem found (the first [`DIAGNOSTICS_MAX`]): the file
    /// unreadable, not a regular file or larger than [`FILE_BYTES_MAX`], syntax errors, unknown
    /// sections or keys, wrong types, values out of range, missing, looping or too deep bases,
    /// broken rules between parameters.
    pub fn load(path: &Path) -> Result<Scenario, Diagnostics> {
        load::load(path, None)
    }

    /// As [`Scenario::load`], and the figures an `[answer]` names are checked against
    /// `figures` (the report's keys, which this crate does not own), each problem a
    /// [`ScenarioError::UnknownFigure`] among the others. [`Scenario::load`] takes any name.
    ///
    /// # Errors
    /// As [`Scenario::load`], and a figure not in `figures`.
    pub fn load_with_figures(path: &Path, figures: &[&str]) -> Result<Scenario, Diagnostics> {
        load::load(path, Some(figures))
    }

    /// Reads a scenario from `text`, the contents of the file at `path`; `base` is resolved
    /// relative to the directory of `path`, and diagnostics name `path`.
    ///
    /// # Errors
    /// As [`Scenario::load`], except that `text` itself is never unreadable.
    pub fn parse(text: &str, path: &Path) -> Result<Scenario, Diagnostics> {
        load::parse(text, path, None)
    }

    /// As [`Scenario::parse`], with an `[answer]`'s figures checked against `figures`.
    ///
    /// # Errors
    /// As [`Scenario::load_with_figures`].
    pub fn parse_with_figures(
        text: &str,
        path: &Path,
        figures: &[&str],
    ) -> Result<Scenario, Diagnostics> {
        load::parse(text, path, Some(figures))
    }

    /// As [`Scenario::parse_with_figures`] for text from outside (a web page): its `base` may
    /// name only a bundled scenario, never a file, so that reading it touches no file.
    /// `path` only names the text in diagnostics.
    ///
    /// # Errors
    /// As [`Scenario::parse_with_figures`]; a base that is no bundled scenario is
    /// [`ScenarioError::BaseNotFound`].
    pub fn parse_isolated(
        text: &str,
        path: &Path,
        figures: &[&str],
    ) -> Result<Scenario, Diagnostics> {
        load::parse_isolated(text, path, Some(figures))
    }

    /// Hex SHA-256 (64 characters) of [`Params::canonical_text`]: two scenarios that resolve to
    /// the same parameters hash alike, whatever their files look like.
    #[must_use]
    pub fn hash(&self) -> String {
        params_hash(&self.params)
    }
}

/// The hash a scenario of `params` has ([`Scenario::hash`]), for parameters that no file
/// names (a point of a sweep).
#[must_use]
pub fn params_hash(params: &Params) -> String {
    sha256_hex(&params.canonical_text())
}

/// Hex SHA-256 (64 characters) of `text`.
pub(crate) fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests;
