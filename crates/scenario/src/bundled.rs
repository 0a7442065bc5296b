//! The scenarios of the repository's `scenarios/` folder, compiled into the program, so that
//! each can be run by name from any directory and a user's file can build on one
//! (`base = "novel.toml"`) with no copy beside it.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostics;
use crate::suggest::suggest_name;
use crate::{Scenario, load};

/// The directory a bundled scenario's path shows, as in `<bundled>/escape.toml`: it names no
/// directory on disk, so nobody mistakes the copy in the program for a file.
pub const BUNDLED_DIR: &str = "<bundled>";

/// A scenario file of `scenarios/`, compiled in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Bundled {
    /// The name it is run by: the file's stem, e.g. `escape`.
    pub name: &'static str,
    /// The file's name, e.g. `escape.toml`: what a `base` names.
    pub file: &'static str,
    /// The file's text.
    pub text: &'static str,
}

/// Each name becomes an entry whose text is `scenarios/<name>.toml`, read at compile time.
macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        /// Every bundled scenario, in alphabetical order of name: one per file of
        /// `scenarios/` (a test checks that the two lists agree).
        pub static BUNDLED: &[Bundled] = &[$(
            Bundled {
                name: $name,
                file: concat!($name, ".toml"),
                text: include_str!(concat!("../../../scenarios/", $name, ".toml")),
            },
        )*];
    };
}

bundled![
    "child-donors",
    "deferrals-real",
    "escape",
    "grown-organs",
    "hailsham-everywhere",
    "matching",
    "no-carers",
    "novel",
    "public-knows",
    "single-harvest",
    "told-plainly",
    "world",
];

impl Bundled {
    /// The bundled scenario called `name`, written with or without `.toml` (`escape`,
    /// `escape.toml`).
    #[must_use]
    pub fn find(name: &str) -> Option<&'static Bundled> {
        let stem = name.strip_suffix(".toml").unwrap_or(name);
        BUNDLED.iter().find(|bundled| bundled.name == stem)
    }

    /// The bundled scenario whose file is `file` exactly (`novel.toml`): what a `base` may
    /// name when no such file stands beside the file naming it.
    #[must_use]
    pub fn by_file(file: &str) -> Option<&'static Bundled> {
        BUNDLED.iter().find(|bundled| bundled.file == file)
    }

    /// The bundled scenario whose name is closest to `name`, if one is close enough to be what
    /// was meant.
    #[must_use]
    pub fn closest(name: &str) -> Option<&'static Bundled> {
        let stem = name.strip_suffix(".toml").unwrap_or(name);
        let best = suggest_name(stem, BUNDLED.iter().map(|bundled| bundled.name))?;
        BUNDLED.iter().find(|bundled| bundled.name == best)
    }

    /// The path its diagnostics and [`Scenario::files`] show: `<bundled>/escape.toml`.
    #[must_use]
    pub fn path(&self) -> PathBuf {
        Path::new(BUNDLED_DIR).join(self.file)
    }

    /// Loads it over its base chain, which is bundled too.
    ///
    /// # Errors
    /// As [`Scenario::load`]; a test checks that every bundled scenario loads.
    pub fn load(&'static self) -> Result<Scenario, Diagnostics> {
        load::load_bundled(self, None)
    }

    /// Loads it, with its `[answer]`'s figures checked against `figures`.
    ///
    /// # Errors
    /// As [`Scenario::load_with_figures`].
    pub fn load_with_figures(&'static self, figures: &[&str]) -> Result<Scenario, Diagnostics> {
        load::load_bundled(self, Some(figures))
    }
}
