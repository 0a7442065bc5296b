//! Reading a scenario file and its `base` chain into [`Params`], collecting every problem.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hailsham_world::{Params, SPECS, SetError, Value};
use toml::de::{DeTable, DeValue};

use crate::Scenario;
use crate::answer::DeclaredAnswer;
use crate::bundled::{BUNDLED_DIR, Bundled};
use crate::diagnostic::{Diagnostic, Diagnostics, ScenarioError, quoted};
use crate::suggest::{suggest_key, suggest_section, suggest_top_level};

/// The most bases a chain may have below the file loaded. Chains are short in practice (the
/// bundled scenarios have one base); the bound keeps a runaway or generated chain from reading
/// thousands of files.
pub const BASE_DEPTH_MAX: usize = 64;

/// The largest scenario file read, in bytes (1 MiB): a scenario names only the keys it changes,
/// and even `scenarios/novel.toml`, which documents every key, is a few tens of kilobytes.
pub const FILE_BYTES_MAX: u64 = 1 << 20;

/// The most problems one load reports; the rest are counted in one last item. A file of a
/// megabyte can hold a hundred thousand mistakes, and nobody reads past the first screens.
pub const DIAGNOSTICS_MAX: usize = 100;

/// A file read during one load.
struct Source {
    /// The path as given, or as resolved from a `base` (parent directory joined with it), or
    /// `<bundled>/name.toml` for a bundled scenario.
    path: PathBuf,
    text: Rc<str>,
    /// The bundled scenario this file is, if it is one: its base is another bundled one.
    bundled: Option<&'static Bundled>,
    /// The text is not valid TOML: reported once, when the chain is read, and applied as empty.
    broken: bool,
}

/// The text of the base file at `path`, which a file names as `base`, or why it cannot be read.
fn read_base(path: &Path, base: &str) -> Result<String, ScenarioError> {
    match read_file(path) {
        Ok(text) => Ok(text),
        Err(ReadError::NotFound(_)) => Err(ScenarioError::BaseNotFound {
            base: base.to_string(),
            resolved: looked_for(path),
        }),
        Err(ReadError::NotAFile(kind)) => Err(ScenarioError::NotAFile {
            path: path.to_path_buf(),
            kind,
        }),
        Err(ReadError::TooLarge) => Err(ScenarioError::TooLarge {
            path: path.to_path_buf(),
            max: FILE_BYTES_MAX,
        }),
        Err(ReadError::Io(error)) => Err(ScenarioError::Unreadable {
            message: format!("base file {}: {error}", quoted(&path.display().to_string())),
        }),
    }
}

/// A file's identity for loop detection.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Identity {
    /// A file on disk, by its canonical path where it exists.
    File(PathBuf),
    /// A bundled scenario, by name.
    Bundled(&'static str),
}

/// A problem found, still with a byte span: line and column come when it leaves the loader.
struct Found {
    error: ScenarioError,
    /// Index into `Loader::sources`.
    source: usize,
    span: Option<Range<usize>>,
}

/// The top-level strings of a file, and its `[answer]`.
#[derive(Default)]
struct Header {
    name: Option<String>,
    description: Option<String>,
    question: Option<String>,
    source: Option<String>,
    answer: Option<DeclaredAnswer>,
}

/// One load: the files read, the problems found, the parameters as they stand.
struct Loader {
    /// Every file read, in the order read: the loaded file first, then its base, and so on.
    sources: Vec<Source>,
    /// Indices into `sources` in chain order: root base first, the loaded file last.
    chain: Vec<usize>,
    found: Vec<Found>,
    /// Problems found beyond [`DIAGNOSTICS_MAX`]: counted, not kept.
    unshown: usize,
    params: Params,
    /// Where each parameter was last set: a later file of the chain overwrites its base's.
    set_at: BTreeMap<(&'static str, &'static str), (usize, Range<usize>)>,
    /// Parameters whose value some file gave wrongly: rules over them are not checked.
    failed: BTreeSet<(&'static str, &'static str)>,
    /// A file of the chain could not be read or parsed, so the parameters are incomplete and
    /// the rules between them are not checked.
    incomplete: bool,
    /// The figure keys an `[answer]` may name; `None`: names are not checked.
    figures: Option<Vec<String>>,
    /// Text from outside (a web page): its bases are bundled scenarios only, never files, so
    /// that reading it touches no file.
    isolated: bool,
}

/// Where a base is to be read from.
enum Candidate {
    File(PathBuf),
    Bundled(&'static Bundled),
}

/// Why a scenario file could not be read.
pub(crate) enum ReadError {
    /// Nothing at that path.
    NotFound(std::io::Error),
    /// Something that is not a regular file, in words (`"a directory"`).
    NotAFile(&'static str),
    /// More than [`FILE_BYTES_MAX`] bytes.
    TooLarge,
    /// Any other I/O error, or text that is not UTF-8.
    Io(std::io::Error),
}

impl From<std::io::Error> for ReadError {
    fn from(error: std::io::Error) -> ReadError {
        if error.kind() == std::io::ErrorKind::NotFound {
            ReadError::NotFound(error)
        } else {
            ReadError::Io(error)
        }
    }
}

/// What a file that is not a regular file is, in words.
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Refuses anything but a regular file.
fn regular(metadata: &std::fs::Metadata) -> Result<(), ReadError> {
    if metadata.is_file() {
        Ok(())
    } else {
        Err(ReadError::NotAFile(kind_of(metadata.file_type())))
    }
}

/// Reads the scenario file at `path`: a regular file of at most [`FILE_BYTES_MAX`] bytes, as
/// UTF-8 text.
pub(crate) fn read_file(path: &Path) -> Result<String, ReadError> {
    use std::io::Read as _;
    // The kind is checked before opening: opening a named pipe blocks until someone writes to
    // it, and a device such as /dev/zero never ends.
    let metadata = std::fs::metadata(path)?;
    regular(&metadata)?;
    if metadata.len() > FILE_BYTES_MAX {
        return Err(ReadError::TooLarge);
    }
    let file = std::fs::File::open(path)?;
    // Checked again on what was opened, in case the path was replaced in between.
    regular(&file.metadata()?)?;
    // One byte past the bound tells a file that grew, or misstated its size, from one that
    // fits, without reading more.
    let mut bytes = Vec::new();
    file.take(FILE_BYTES_MAX + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > FILE_BYTES_MAX {
        return Err(ReadError::TooLarge);
    }
    String::from_utf8(bytes).map_err(|_| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the file is not UTF-8 text",
        ))
    })
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
pub(crate) fn type_name(value: &DeValue<'_>) -> &'static str {
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
pub(crate) enum Conversion {
    /// The value is of a type no parameter takes.
    Type(&'static str),
    /// A number too large to hold (the literal as written).
    Overflow,
}

/// The TOML value as a parameter [`Value`].
pub(crate) fn to_value(value: &DeValue<'_>) -> Result<Value, Conversion> {
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
            unshown: 0,
            params: Params::default(),
            set_at: BTreeMap::new(),
            failed: BTreeSet::new(),
            incomplete: false,
            figures: None,
            isolated: false,
        }
    }

    /// Whether another problem will be kept (and so is worth a suggestion).
    fn room(&self) -> bool {
        self.found.len() < DIAGNOSTICS_MAX
    }

    fn report(&mut self, error: ScenarioError, source: usize, span: Option<Range<usize>>) {
        if !self.room() {
            self.unshown += 1;
            return;
        }
        self.found.push(Found {
            error,
            source,
            span,
        });
    }

    /// Loads the file at `path` with contents `text` (the bundled scenario `bundled`, if it is
    /// one) over its base chain, and returns its header.
    ///
    /// The chain is read first, from the file down to its root base, one file at a time, so its
    /// length costs neither stack nor repeated work; then it is applied from the root up, so a
    /// later file's keys win.
    fn load_chain(
        &mut self,
        path: PathBuf,
        text: Rc<str>,
        bundled: Option<&'static Bundled>,
    ) -> Header {
        // Every file read so far, by identity, with its index into `sources`.
        let mut seen: HashMap<Identity, usize> = HashMap::new();
        let mut next = Some((path, text, bundled));
        while let Some((path, text, bundled)) = next.take() {
            let source = self.sources.len();
            let id = match bundled {
                Some(b) => Identity::Bundled(b.name),
                None => Identity::File(identity(&path)),
            };
            seen.insert(id, source);
            self.sources.push(Source {
                path,
                text,
                bundled,
                broken: false,
            });
            if let Some((base, span)) = self.base_of(source) {
                next = self.open_base(source, &base, span, &seen);
            }
        }
        let mut header = Header::default();
        for source in (0..self.sources.len()).rev() {
            header = self.apply_file(source);
        }
        // The last applied is the loaded file: only its header counts.
        header
    }

    /// The `base` the file `source` names, with the span of its value. A syntax error is
    /// reported here, once, and marks the file broken.
    fn base_of(&mut self, source: usize) -> Option<(String, Range<usize>)> {
        let text = Rc::clone(&self.sources[source].text);
        let document = match DeTable::parse(&text) {
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
                self.sources[source].broken = true;
                return None;
            }
        };
        let value = document
            .iter()
            .find(|(key, _)| key.get_ref() == "base")
            .map(|(_, value)| value)?;
        match value.get_ref() {
            DeValue::String(base) => Some((base.to_string(), value.span())),
            other => {
                self.report(
                    ScenarioError::WrongType {
                        key: "base".to_string(),
                        expected: "a string",
                        found: type_name(other),
                    },
                    source,
                    Some(value.span()),
                );
                None
            }
        }
    }

    /// Finds and reads the base `base` that the file `source` names at `span`: a file beside
    /// it, else a bundled scenario of that file name; for a bundled file, only another bundled
    /// one. Reports a missing, looping, too deep or unreadable base and returns `None`.
    fn open_base(
        &mut self,
        source: usize,
        base: &str,
        span: Range<usize>,
        seen: &HashMap<Identity, usize>,
    ) -> Option<(PathBuf, Rc<str>, Option<&'static Bundled>)> {
        match self.find_base(source, base, seen) {
            Ok(opened) => Some(opened),
            Err(error) => {
                self.report(error, source, Some(span));
                self.incomplete = true;
                None
            }
        }
    }

    /// The base `base` of the file `source` found, checked and read, or why it cannot be.
    fn find_base(
        &self,
        source: usize,
        base: &str,
        seen: &HashMap<Identity, usize>,
    ) -> Result<(PathBuf, Rc<str>, Option<&'static Bundled>), ScenarioError> {
        let candidate = self.base_candidate(source, base, seen)?;
        if let Some(error) = self.base_refused(source, base, &candidate, seen) {
            return Err(error);
        }
        let path = match candidate {
            Candidate::Bundled(bundled) => {
                return Ok((bundled.path(), bundled.text.into(), Some(bundled)));
            }
            Candidate::File(path) => path,
        };
        let text = read_base(&path, base)?;
        Ok((path, text.into(), None))
    }

    /// Where the base `base` of the file `source` is to be read from: beside the file, or
    /// bundled where no such file is (and always, for a bundled file or isolated text).
    fn base_candidate(
        &self,
        source: usize,
        base: &str,
        seen: &HashMap<Identity, usize>,
    ) -> Result<Candidate, ScenarioError> {
        let from = &self.sources[source];
        if from.bundled.is_some() || self.isolated {
            return match Bundled::by_file(base) {
                Some(bundled) => Ok(Candidate::Bundled(bundled)),
                None => Err(ScenarioError::BaseNotFound {
                    base: base.to_string(),
                    resolved: Path::new(BUNDLED_DIR).join(base),
                }),
            };
        }
        let shown = from.path.parent().unwrap_or(Path::new("")).join(base);
        // A file that names itself is a loop even where it exists only as text given to
        // `Scenario::parse`.
        let missing = matches!(
            std::fs::metadata(&shown),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound
        ) && !seen.contains_key(&Identity::File(identity(&shown)));
        match (missing, Bundled::by_file(base)) {
            (false, _) => Ok(Candidate::File(shown)),
            (true, Some(bundled)) => Ok(Candidate::Bundled(bundled)),
            (true, None) => Err(ScenarioError::BaseNotFound {
                base: base.to_string(),
                resolved: looked_for(&shown),
            }),
        }
    }

    /// Why the base `candidate` of the file `source` may not stand below it: it closes a loop
    /// of bases, or the chain is already as deep as allowed.
    fn base_refused(
        &self,
        source: usize,
        base: &str,
        candidate: &Candidate,
        seen: &HashMap<Identity, usize>,
    ) -> Option<ScenarioError> {
        let (id, shown) = match candidate {
            Candidate::File(path) => (Identity::File(identity(path)), path.clone()),
            Candidate::Bundled(bundled) => (Identity::Bundled(bundled.name), bundled.path()),
        };
        if let Some(&first) = seen.get(&id) {
            let mut chain: Vec<PathBuf> = self.sources[first..=source]
                .iter()
                .map(|s| s.path.clone())
                .collect();
            chain.push(shown);
            Some(ScenarioError::BaseCycle { chain })
        } else if self.sources.len() > BASE_DEPTH_MAX {
            Some(ScenarioError::BaseTooDeep {
                base: base.to_string(),
                max: BASE_DEPTH_MAX,
            })
        } else {
            None
        }
    }

    /// Applies the keys of the file `source` (its base is applied already) and returns its
    /// header.
    fn apply_file(&mut self, source: usize) -> Header {
        self.chain.push(source);
        if self.sources[source].broken {
            return Header::default();
        }
        let text = Rc::clone(&self.sources[source].text);
        // It parsed when the chain was read.
        let Ok(document) = DeTable::parse(&text) else {
            return Header::default();
        };
        let document = document.into_inner();
        let sections = Params::sections();
        let mut header = Header::default();
        for (key, value) in document.iter() {
            let name: &str = key.get_ref();
            match name {
                "base" => {}
                "answer" => match value.get_ref() {
                    DeValue::Table(table) => {
                        header.answer = self.read_answer(table, key.span(), source);
                    }
                    other => self.report(
                        ScenarioError::WrongType {
                            key: "answer".to_string(),
                            expected: "a table (`[answer]`)",
                            found: type_name(other),
                        },
                        source,
                        Some(value.span()),
                    ),
                },
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
                _ => self.apply_table(&sections, name, value.get_ref(), key.span(), source),
            }
        }
        header
    }

    /// Applies a top-level key of the file `source` that is none of its header's: a section
    /// of parameters if `name` is one of `sections`, else an unknown section or key.
    fn apply_table(
        &mut self,
        sections: &[&'static str],
        name: &str,
        value: &DeValue<'_>,
        key_span: Range<usize>,
        source: usize,
    ) {
        if let Some(section) = sections.iter().find(|s| **s == name) {
            match value {
                DeValue::Table(table) => self.apply_section(section, table, source),
                _ => self.report(
                    ScenarioError::NotATable {
                        section: name.to_string(),
                    },
                    source,
                    Some(key_span),
                ),
            }
        } else if let DeValue::Table(_) = value {
            let suggestion = self.room().then(|| suggest_section(name)).flatten();
            self.report(
                ScenarioError::UnknownSection {
                    section: name.to_string(),
                    suggestion,
                },
                source,
                Some(key_span),
            );
        } else {
            let suggestion = self.room().then(|| suggest_top_level(name)).flatten();
            self.report(
                ScenarioError::UnknownKey {
                    section: String::new(),
                    key: name.to_string(),
                    suggestion,
                },
                source,
                Some(key_span),
            );
        }
    }

    /// Reads the `[answer]` table of the file `source`, whose header is at `header`.
    fn read_answer(
        &mut self,
        table: &DeTable<'_>,
        header: Range<usize>,
        source: usize,
    ) -> Option<DeclaredAnswer> {
        let figures = self.figures.take();
        let mut problems = Vec::new();
        let answer = crate::answer::read(
            table,
            header,
            figures.as_deref(),
            self.room(),
            &mut |error, span| problems.push((error, span)),
        );
        self.figures = figures;
        for (error, span) in problems {
            self.report(error, source, Some(span));
        }
        answer
    }

    /// Sets every key of the table `[section]`.
    fn apply_section(&mut self, section: &'static str, table: &DeTable<'_>, source: usize) {
        for (key, value) in table.iter() {
            let Some(spec) = Params::spec(section, key.get_ref()) else {
                let suggestion = self
                    .room()
                    .then(|| suggest_key(section, key.get_ref()))
                    .flatten();
                self.report(
                    ScenarioError::UnknownKey {
                        section: section.to_string(),
                        key: key.get_ref().to_string(),
                        suggestion,
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
            self.report(ScenarioError::inconsistent(problem), source, span);
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
        let mut items: Vec<Diagnostic> = found
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
        if self.unshown > 0 {
            items.push(Diagnostic::new(
                ScenarioError::TooManyProblems {
                    shown: items.len(),
                    more: self.unshown,
                },
                &self.sources[0].path,
                None,
                None,
            ));
        }
        Diagnostics { items }
    }
}

/// Reads the file at `path` and its base chain; `figures`, if given, are the keys an
/// `[answer]` may name.
pub(crate) fn load(path: &Path, figures: Option<&[&str]>) -> Result<Scenario, Diagnostics> {
    let error = match read_file(path) {
        Ok(text) => return parse_with(&text, path, None, figures),
        Err(ReadError::NotFound(error) | ReadError::Io(error)) => ScenarioError::Unreadable {
            message: error.to_string(),
        },
        Err(ReadError::NotAFile(kind)) => ScenarioError::NotAFile {
            path: path.to_path_buf(),
            kind,
        },
        Err(ReadError::TooLarge) => ScenarioError::TooLarge {
            path: path.to_path_buf(),
            max: FILE_BYTES_MAX,
        },
    };
    Err(Diagnostic::new(error, path, None, None).into())
}

/// Applies `text`, the contents of the file at `path`, over its base chain.
pub(crate) fn parse(
    text: &str,
    path: &Path,
    figures: Option<&[&str]>,
) -> Result<Scenario, Diagnostics> {
    parse_with(text, path, None, figures)
}

/// As [`parse`], with bases only among the bundled scenarios: no file is read.
pub(crate) fn parse_isolated(
    text: &str,
    path: &Path,
    figures: Option<&[&str]>,
) -> Result<Scenario, Diagnostics> {
    let mut loader = Loader::new();
    loader.isolated = true;
    parse_in(loader, text, path, None, figures)
}

/// Loads the bundled scenario `bundled` over its (bundled) base chain.
pub(crate) fn load_bundled(
    bundled: &'static Bundled,
    figures: Option<&[&str]>,
) -> Result<Scenario, Diagnostics> {
    parse_with(bundled.text, &bundled.path(), Some(bundled), figures)
}

/// Applies `text`, the contents of the file at `path` (the bundled scenario `bundled`, if it
/// is one), over its base chain.
fn parse_with(
    text: &str,
    path: &Path,
    bundled: Option<&'static Bundled>,
    figures: Option<&[&str]>,
) -> Result<Scenario, Diagnostics> {
    parse_in(Loader::new(), text, path, bundled, figures)
}

fn parse_in(
    mut loader: Loader,
    text: &str,
    path: &Path,
    bundled: Option<&'static Bundled>,
    figures: Option<&[&str]>,
) -> Result<Scenario, Diagnostics> {
    loader.figures = figures.map(|keys| keys.iter().map(|key| (*key).to_string()).collect());
    let header = loader.load_chain(path.to_path_buf(), text.into(), bundled);
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
        // The loaded file's own: an answer belongs to its question, not to a base's.
        answer: header.answer,
        path: Some(path.to_path_buf()),
        files,
        params: loader.params,
        changed,
    })
}
