//! Writers for the files of a run: metadata and summary as JSON, the yearly series and the
//! person records as CSV, and the output directory that holds them until the run succeeds.
//!
//! Every writer streams to a [`Write`] through its own buffer and writes fields straight into
//! it, so a record costs no allocation. Nothing written depends on the wall clock, the machine
//! or the order threads finish in: the same scenario, seed, replicates and version give the
//! same bytes.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use hailsham_runner::{ObserverError, ReplicateObserver};
use hailsham_world::{Calendar, Day, Happening, Observer, Organ, PersonRecord, Records, YearRow};
use serde::{Deserialize, Serialize};

use crate::figures::FIGURES;
use crate::summary::Summary;

/// What a run was: enough to reproduce it. Written as `metadata.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario files read, the chain of `base`s first.
    pub scenario_files: Vec<String>,
    /// A hash of the scenario's bytes, to tell two scenarios of one name apart.
    pub scenario_hash: String,
    /// The master seed.
    pub seed: u64,
    /// Replicates run.
    pub replicates: u32,
    /// The first calendar year of the run.
    pub start_year: i32,
    /// The year the run ends at.
    pub end_year: i32,
    /// The version of hailsham that ran it.
    pub version: String,
    /// Whether person records were written.
    pub records: bool,
}

/// Writes `metadata` as pretty JSON, keys in declaration order, with a final newline.
///
/// # Errors
///
/// Any error of `w`.
pub fn write_metadata<W: Write>(w: W, metadata: &Metadata) -> io::Result<()> {
    let mut w = BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, metadata).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// The summary file's form: the run's identity, then each figure with its estimate and values.
#[derive(Serialize)]
struct SummaryFile<'a> {
    scenario: &'a str,
    scenario_hash: &'a str,
    seed: u64,
    start_year: i32,
    end_year: i32,
    version: &'a str,
    replicates: usize,
    figures: Vec<FigureEntry<'a>>,
}

#[derive(Serialize)]
struct FigureEntry<'a> {
    key: &'a str,
    label: &'a str,
    unit: &'a str,
    mean: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    n: usize,
    values: Vec<Option<f64>>,
}

/// A finite number, or `None` (JSON `null`) for NaN and infinity.
fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

/// Writes the summary as pretty JSON: `scenario`, `scenario_hash`, `seed`, `start_year`,
/// `end_year`, `version`, `replicates`, then `figures`, each with `key`, `label`, `unit`,
/// `mean`, `low`, `high`, `n` and the per-replicate `values`. NaN and infinity become `null`.
///
/// # Errors
///
/// Any error of `w`.
pub fn write_summary_json<W: Write>(
    w: W,
    summary: &Summary,
    metadata: &Metadata,
) -> io::Result<()> {
    let figures = FIGURES
        .iter()
        .zip(&summary.estimates)
        .enumerate()
        .map(|(index, (figure, estimate))| FigureEntry {
            key: figure.key,
            label: figure.label,
            unit: figure.unit,
            mean: finite(estimate.mean),
            low: finite(estimate.low),
            high: finite(estimate.high),
            n: estimate.n,
            values: summary
                .replicates
                .iter()
                .map(|values| values.get(index).copied().and_then(finite))
                .collect(),
        })
        .collect();
    let file = SummaryFile {
        scenario: &metadata.scenario,
        scenario_hash: &metadata.scenario_hash,
        seed: metadata.seed,
        start_year: metadata.start_year,
        end_year: metadata.end_year,
        version: &metadata.version,
        replicates: summary.replicates.len(),
        figures,
    };
    let mut w = BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, &file).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// The columns of the yearly series, in order.
pub const SERIES_COLUMNS: [&str; 38] = [
    "replicate",
    "year",
    "created",
    "students",
    "veterans",
    "carers",
    "donors",
    "completed_total",
    "completions",
    "hailsham_students",
    "donations",
    "organs_supplied_kidney",
    "organs_supplied_liver",
    "organs_supplied_heart",
    "organs_supplied_lung",
    "organs_supplied_pancreas",
    "transplants",
    "organs_unused",
    "new_patients",
    "waiting_deaths",
    "waiting",
    "life_years_gained",
    "beds_held",
    "beds_total",
    "donors_waiting_for_bed",
    "donors_without_carer",
    "carer_km",
    "carer_days",
    "cared_donor_days",
    "deferral_applications",
    "tokens_awarded",
    "gallery_pieces",
    "escapes",
    "away",
    "organs_grown",
    "donations_postponed",
    "outsiders_knowing",
    "outsiders_knowing_share",
];

/// Writes `columns` as a CSV header line.
fn write_header<W: Write>(w: &mut W, columns: &[&str]) -> io::Result<()> {
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        w.write_all(column.as_bytes())?;
    }
    w.write_all(b"\n")
}

/// A float to `decimals` places; empty for NaN and infinity.
fn write_float<W: Write>(w: &mut W, value: f64, decimals: usize) -> io::Result<()> {
    if value.is_finite() {
        // Rust prints floats with exact decimal rounding, the same on every platform.
        write!(w, "{value:.decimals$}")
    } else {
        Ok(())
    }
}

/// The yearly series as CSV: one line per replicate and year, columns [`SERIES_COLUMNS`].
///
/// Counts are integers; `life_years_gained` has 3 decimals, `carer_km` and `outsiders_knowing`
/// 1, `outsiders_knowing_share` 9; a value that is not a number is left empty.
#[derive(Debug)]
pub struct SeriesWriter<W: Write> {
    w: BufWriter<W>,
}

impl<W: Write> SeriesWriter<W> {
    /// A writer to `w`; writes the header line.
    ///
    /// # Errors
    ///
    /// Any error of `w`.
    pub fn new(w: W) -> io::Result<SeriesWriter<W>> {
        let mut w = BufWriter::new(w);
        write_header(&mut w, &SERIES_COLUMNS)?;
        Ok(SeriesWriter { w })
    }

    /// Writes the line of `row` of replicate `replicate`.
    ///
    /// # Errors
    ///
    /// Any error of the underlying writer.
    pub fn write_row(&mut self, replicate: u32, row: &YearRow) -> io::Result<()> {
        // Destructured in full so that a field added to YearRow fails to compile here until it
        // has a column.
        let YearRow {
            year,
            created,
            students,
            veterans,
            carers,
            donors,
            completed_total,
            completions,
            hailsham_students,
            donations,
            organs_supplied,
            transplants,
            organs_unused,
            new_patients,
            waiting_deaths,
            waiting,
            life_years_gained,
            beds_held,
            beds_total,
            donors_waiting_for_bed,
            donors_without_carer,
            carer_km,
            carer_days,
            cared_donor_days,
            deferral_applications,
            tokens_awarded,
            gallery_pieces,
            escapes,
            away,
            organs_grown,
            donations_postponed,
            outsiders_knowing,
            outsiders_knowing_share,
        } = row;
        let w = &mut self.w;
        write!(
            w,
            "{replicate},{year},{created},{students},{veterans},{carers},{donors},\
             {completed_total},{completions},{hailsham_students},{donations}"
        )?;
        for organ in Organ::ALL {
            write!(w, ",{}", organs_supplied[organ.index()])?;
        }
        write!(
            w,
            ",{transplants},{organs_unused},{new_patients},{waiting_deaths},{waiting},"
        )?;
        write_float(w, *life_years_gained, 3)?;
        write!(
            w,
            ",{beds_held},{beds_total},{donors_waiting_for_bed},{donors_without_carer},"
        )?;
        write_float(w, *carer_km, 1)?;
        write!(
            w,
            ",{carer_days},{cared_donor_days},{deferral_applications},{tokens_awarded},\
             {gallery_pieces},{escapes},{away},{organs_grown},{donations_postponed},"
        )?;
        write_float(w, *outsiders_knowing, 1)?;
        w.write_all(b",")?;
        write_float(w, *outsiders_knowing_share, 9)?;
        w.write_all(b"\n")
    }

    /// Flushes and returns the underlying writer.
    ///
    /// # Errors
    ///
    /// An error flushing the buffer.
    pub fn finish(self) -> io::Result<W> {
        self.w.into_inner().map_err(io::IntoInnerError::into_error)
    }
}

/// Donations a person record has columns for; the count column counts them all.
pub const DONATION_COLUMNS: usize = 4;

/// The columns of the person records, in order.
pub const PEOPLE_COLUMNS: [&str; 41] = [
    "replicate",
    "id",
    "stage",
    "home",
    "transferred",
    "birth",
    "created",
    "left_home",
    "halfway_house",
    "carer_training",
    "carer_start",
    "carer_end",
    "donors_cared",
    "carer_km",
    "donor_start",
    "centre",
    "carer",
    "donations",
    "donation_1_date",
    "donation_1_organ",
    "donation_2_date",
    "donation_2_organ",
    "donation_3_date",
    "donation_3_organ",
    "donation_4_date",
    "donation_4_organ",
    "completion",
    "age_at_completion_years",
    "tokens",
    "gallery_pieces",
    "partner",
    "deferral_applied",
    "deferral_granted",
    "possible_searched",
    "possible_sighted",
    "blood_group",
    "escaped",
    "returned",
    "carers",
    "partners",
    "believed_rumour",
];

/// The person records as CSV: one line per life, columns [`PEOPLE_COLUMNS`].
///
/// Days are ISO dates (`1978-04-01`) on the run's calendar; flags are `true` or `false`;
/// `carer_km` has 1 decimal and `age_at_completion_years` 2; a missing value is empty. Only the
/// first [`DONATION_COLUMNS`] donations have columns.
#[derive(Debug)]
pub struct PeopleWriter<W: Write> {
    w: BufWriter<W>,
    calendar: Calendar,
    /// Recovery-centre towns by index, to write names rather than numbers.
    centres: Vec<&'static str>,
}

impl<W: Write> PeopleWriter<W> {
    /// A writer to `w` that dates days by `calendar`; writes the header line.
    ///
    /// # Errors
    ///
    /// Any error of `w`.
    pub fn new(w: W, calendar: Calendar) -> io::Result<PeopleWriter<W>> {
        let mut w = BufWriter::new(w);
        write_header(&mut w, &PEOPLE_COLUMNS)?;
        Ok(PeopleWriter {
            w,
            calendar,
            centres: hailsham_world::centre_names(),
        })
    }

    /// Writes the line of `record` of replicate `replicate`.
    ///
    /// # Errors
    ///
    /// Any error of the underlying writer.
    pub fn write(&mut self, replicate: u32, record: &PersonRecord) -> io::Result<()> {
        // Destructured in full so that a field added to PersonRecord fails to compile here
        // until it has a column.
        let PersonRecord {
            id,
            stage,
            birth,
            created,
            home,
            transferred,
            left_home,
            halfway_house,
            carer_training,
            carer_start,
            carer_end,
            donors_cared,
            carer_km,
            donor_start,
            centre,
            carer,
            carers,
            donations,
            completion,
            tokens,
            gallery_pieces,
            partner,
            partners,
            believed_rumour,
            deferral_applied,
            deferral_granted,
            possible_searched,
            possible_sighted,
            blood_group,
            escaped,
            returned,
        } = record;
        let calendar = self.calendar;
        let w = &mut self.w;
        write!(
            w,
            "{replicate},{id},{},{},{transferred},",
            stage.as_str(),
            home.as_str()
        )?;
        write_date(w, calendar, Some(*birth))?;
        w.write_all(b",")?;
        write_date(w, calendar, Some(*created))?;
        w.write_all(b",")?;
        write_date(w, calendar, *left_home)?;
        w.write_all(b",")?;
        write_option(w, *halfway_house)?;
        for day in [carer_training, carer_start, carer_end] {
            w.write_all(b",")?;
            write_date(w, calendar, *day)?;
        }
        write!(w, ",{donors_cared},")?;
        write_float(w, *carer_km, 1)?;
        w.write_all(b",")?;
        write_date(w, calendar, *donor_start)?;
        w.write_all(b",")?;
        if let Some(centre) = centre {
            let name = self
                .centres
                .get(usize::from(*centre))
                .copied()
                .unwrap_or("unknown");
            w.write_all(name.as_bytes())?;
        }
        w.write_all(b",")?;
        write_option(w, *carer)?;
        write!(w, ",{}", donations.len())?;
        for slot in 0..DONATION_COLUMNS {
            w.write_all(b",")?;
            if let Some(donation) = donations.get(slot) {
                write_date(w, calendar, Some(donation.day))?;
                write!(w, ",{}", donation.organ.as_str())?;
            } else {
                w.write_all(b",")?;
            }
        }
        w.write_all(b",")?;
        write_date(w, calendar, *completion)?;
        w.write_all(b",")?;
        if let Some(day) = completion {
            write_float(w, day.years_since(*birth), 2)?;
        }
        write!(w, ",{tokens},{gallery_pieces},")?;
        write_option(w, *partner)?;
        write!(
            w,
            ",{deferral_applied},{deferral_granted},{possible_searched},{possible_sighted},{},",
            blood_group.as_str()
        )?;
        write_date(w, calendar, *escaped)?;
        w.write_all(b",")?;
        write_date(w, calendar, *returned)?;
        for list in [carers, partners] {
            w.write_all(b",")?;
            for (k, id) in list.iter().enumerate() {
                if k > 0 {
                    w.write_all(b";")?;
                }
                write!(w, "{id}")?;
            }
        }
        write!(w, ",{believed_rumour}")?;
        w.write_all(b"\n")
    }

    /// Flushes and returns the underlying writer.
    ///
    /// # Errors
    ///
    /// An error flushing the buffer.
    pub fn finish(self) -> io::Result<W> {
        self.w.into_inner().map_err(io::IntoInnerError::into_error)
    }
}

/// `day` as an ISO date, or nothing.
/// The person records of one replicate as an observer: the [`Records`] fold, drained into a
/// [`PeopleWriter`] after every simulated year, so lives stream out as they end.
#[derive(Debug)]
pub struct PeopleFile<W: Write + Send> {
    records: Records,
    writer: Option<PeopleWriter<W>>,
    replicate: u32,
}

impl<W: Write + Send> PeopleFile<W> {
    /// The records of replicate `replicate`, written to `out`.
    ///
    /// # Errors
    /// If the header cannot be written.
    pub fn new(out: W, calendar: Calendar, replicate: u32) -> io::Result<PeopleFile<W>> {
        Ok(PeopleFile {
            records: Records::default(),
            writer: Some(PeopleWriter::new(out, calendar)?),
            replicate,
        })
    }
}

impl<W: Write + Send> Observer for PeopleFile<W> {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        self.records.observe(day, happening);
    }
}

impl<W: Write + Send> ReplicateObserver for PeopleFile<W> {
    fn flush(&mut self, last: bool) -> Result<(), ObserverError> {
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        for record in self.records.drain() {
            writer.write(self.replicate, &record)?;
        }
        if last && let Some(writer) = self.writer.take() {
            writer.finish()?.flush()?;
        }
        Ok(())
    }
}

fn write_date<W: Write>(w: &mut W, calendar: Calendar, day: Option<Day>) -> io::Result<()> {
    match day {
        Some(day) => {
            let (year, month, day_of_month) = calendar.date_of(day);
            write!(w, "{year:04}-{month:02}-{day_of_month:02}")
        }
        None => Ok(()),
    }
}

/// `value`, or nothing.
fn write_option<W: Write, T: std::fmt::Display>(w: &mut W, value: Option<T>) -> io::Result<()> {
    match value {
        Some(value) => write!(w, "{value}"),
        None => Ok(()),
    }
}

/// Why the output directory could not be prepared or committed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// The directory exists and holds files, and overwriting was not asked for.
    #[error("output directory {} is not empty (use --force to replace it)", path.display())]
    NotEmpty {
        /// The directory.
        path: PathBuf,
    },
    /// Something other than a directory is in the way.
    #[error("output path {} exists and is not a directory", path.display())]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// The path names no directory a sibling could be made beside (such as `/` or `..`).
    #[error("output path {} has no directory name", path.display())]
    NoName {
        /// The path.
        path: PathBuf,
    },
    /// A file system operation failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done: "creating", "removing", "reading", "renaming into place".
        action: &'static str,
        /// The path acted on.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> OutputError + use<> {
    let path = path.to_path_buf();
    move |source| OutputError::Io {
        action,
        path,
        source,
    }
}

/// The directory a run writes into: a temporary sibling of the final directory, renamed into
/// place by [`OutputDir::commit`] once every file is written, and removed if the run fails, so
/// a directory under the final name is always complete.
#[derive(Debug)]
pub struct OutputDir {
    final_dir: PathBuf,
    temp_dir: PathBuf,
    force: bool,
    committed: bool,
}

/// `Ok(true)` if `path` is a directory with entries, `Ok(false)` if an empty directory or
/// absent; an error if it is something else.
fn holds_files(path: &Path) -> Result<bool, OutputError> {
    match fs::symlink_metadata(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(io_error("reading", path)(source)),
        Ok(meta) if !meta.is_dir() => Err(OutputError::NotADirectory {
            path: path.to_path_buf(),
        }),
        Ok(_) => {
            let mut entries = fs::read_dir(path).map_err(io_error("reading", path))?;
            Ok(entries.next().is_some())
        }
    }
}

impl OutputDir {
    /// Prepares to write into `final_dir`: refuses a non-empty `final_dir` unless `force`, and
    /// creates the temporary directory `<final_dir>.tmp-<pid>` beside it (removing a stale
    /// one left by an earlier process of the same id).
    ///
    /// # Errors
    ///
    /// [`OutputError::NotEmpty`] if `final_dir` holds files and `force` is false;
    /// [`OutputError::NotADirectory`] if it is a file; [`OutputError::NoName`] if it has no
    /// final component; [`OutputError::Io`] if a directory cannot be read, made or removed.
    pub fn create(final_dir: &Path, force: bool) -> Result<OutputDir, OutputError> {
        let Some(name) = final_dir.file_name() else {
            return Err(OutputError::NoName {
                path: final_dir.to_path_buf(),
            });
        };
        if holds_files(final_dir)? && !force {
            return Err(OutputError::NotEmpty {
                path: final_dir.to_path_buf(),
            });
        }
        let mut temp_name = name.to_os_string();
        temp_name.push(format!(".tmp-{}", std::process::id()));
        let temp_dir = final_dir.with_file_name(temp_name);
        if fs::symlink_metadata(&temp_dir).is_ok() {
            fs::remove_dir_all(&temp_dir).map_err(io_error("removing", &temp_dir))?;
        }
        fs::create_dir_all(&temp_dir).map_err(io_error("creating", &temp_dir))?;
        Ok(OutputDir {
            final_dir: final_dir.to_path_buf(),
            temp_dir,
            force,
            committed: false,
        })
    }

    /// Where to write the file `name`: inside the temporary directory.
    #[must_use]
    pub fn path(&self, name: &str) -> PathBuf {
        self.temp_dir.join(name)
    }

    /// The temporary directory the files are written into.
    #[must_use]
    pub fn temp_dir(&self) -> &Path {
        &self.temp_dir
    }

    /// The directory the files end up in.
    #[must_use]
    pub fn final_dir(&self) -> &Path {
        &self.final_dir
    }

    /// Moves the files into place: removes the old final directory (if forced, or if it is
    /// empty), renames the temporary directory to it, and returns its path.
    ///
    /// # Errors
    ///
    /// [`OutputError::NotEmpty`] if files appeared in the final directory since
    /// [`OutputDir::create`] and `force` is false; [`OutputError::Io`] if removing or renaming
    /// fails. On error the temporary directory is removed.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if holds_files(&self.final_dir)? {
            if !self.force {
                return Err(OutputError::NotEmpty {
                    path: self.final_dir.clone(),
                });
            }
            fs::remove_dir_all(&self.final_dir).map_err(io_error("removing", &self.final_dir))?;
        } else if fs::symlink_metadata(&self.final_dir).is_ok() {
            fs::remove_dir(&self.final_dir).map_err(io_error("removing", &self.final_dir))?;
        }
        fs::rename(&self.temp_dir, &self.final_dir)
            .map_err(io_error("renaming into place", &self.final_dir))?;
        self.committed = true;
        Ok(self.final_dir.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: a failed run must not leave a half-written directory, but a drop
            // cannot report an error.
            let _ = fs::remove_dir_all(&self.temp_dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::tests::sample_tally;
    use hailsham_world::{BloodGroup, DonationRecord, HomeKind, PersonId, Stage};

    fn metadata() -> Metadata {
        Metadata {
            scenario: "novel".into(),
            scenario_files: vec!["scenarios/novel.toml".into()],
            scenario_hash: "0123abcd".into(),
            seed: 1,
            replicates: 2,
            start_year: 1952,
            end_year: 2000,
            version: "0.1.0".into(),
            records: true,
        }
    }

    #[test]
    fn column_lists_match_what_is_written() {
        let series = SERIES_COLUMNS.len();
        let mut writer = SeriesWriter::new(Vec::new()).expect("vec");
        writer.write_row(0, &YearRow::default()).expect("vec");
        let text = String::from_utf8(writer.finish().expect("vec")).expect("utf8");
        for line in text.lines() {
            assert_eq!(line.split(',').count(), series, "{line}");
        }

        let people = PEOPLE_COLUMNS.len();
        let mut writer = PeopleWriter::new(Vec::new(), Calendar::new(1952)).expect("vec");
        writer.write(0, &person()).expect("vec");
        let text = String::from_utf8(writer.finish().expect("vec")).expect("utf8");
        for line in text.lines() {
            assert_eq!(line.split(',').count(), people, "{line}");
        }
    }

    #[test]
    fn metadata_is_pretty_json_in_field_order() {
        let mut out = Vec::new();
        write_metadata(&mut out, &metadata()).expect("vec");
        let text = String::from_utf8(out).expect("utf8");
        assert_eq!(
            text,
            r#"{
  "scenario": "novel",
  "scenario_files": [
    "scenarios/novel.toml"
  ],
  "scenario_hash": "0123abcd",
  "seed": 1,
  "replicates": 2,
  "start_year": 1952,
  "end_year": 2000,
  "version": "0.1.0",
  "records": true
}
"#
        );
        let back: Metadata = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, metadata());
    }

    #[test]
    fn summary_json_parses_back_with_nan_as_null() {
        let mut empty = sample_tally();
        empty.new_patients = 0;
        let summary = Summary::from_tallies(&[sample_tally(), empty]);
        let mut out = Vec::new();
        write_summary_json(&mut out, &summary, &metadata()).expect("vec");
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.ends_with("}\n"));
        assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");

        let json: serde_json::Value = serde_json::from_str(&text).expect("parses");
        // The text keeps declaration order (serde_json's own map would sort the keys).
        let order = [
            "\"scenario\"",
            "\"scenario_hash\"",
            "\"seed\"",
            "\"start_year\"",
            "\"end_year\"",
            "\"version\"",
            "\"replicates\"",
            "\"figures\"",
        ]
        .map(|key| text.find(key).expect("key present"));
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert_eq!(json["seed"], 1);
        assert_eq!(json["replicates"], 2);
        let figures = json["figures"].as_array().expect("array");
        assert_eq!(figures.len(), FIGURES.len());
        let clones = &figures[0];
        assert_eq!(clones["key"], "clones_created");
        assert_eq!(clones["unit"], "people");
        assert_eq!(clones["mean"], 271_430.0);
        assert_eq!(clones["n"], 2);
        assert_eq!(clones["values"], serde_json::json!([271_430.0, 271_430.0]));
        let demand = figures
            .iter()
            .find(|f| f["key"] == "demand_met_share")
            .expect("a figure");
        assert_eq!(demand["values"], serde_json::json!([0.8, null]));
        assert_eq!(demand["mean"], 0.8);
        assert!(demand["low"].is_null() && demand["high"].is_null());
        assert_eq!(demand["n"], 1);

        let mut again = Vec::new();
        write_summary_json(&mut again, &summary, &metadata()).expect("vec");
        assert_eq!(again, text.as_bytes(), "deterministic");
    }

    #[test]
    fn series_header_and_one_row() {
        let row = YearRow {
            year: 1978,
            created: 1,
            students: 2,
            veterans: 3,
            carers: 4,
            donors: 5,
            completed_total: 6,
            completions: 7,
            hailsham_students: 8,
            donations: 9,
            organs_supplied: [10, 11, 12, 13, 14],
            transplants: 15,
            organs_unused: 16,
            new_patients: 17,
            waiting_deaths: 18,
            waiting: 19,
            life_years_gained: 20.5,
            beds_held: 21,
            beds_total: 22,
            donors_waiting_for_bed: 23,
            donors_without_carer: 24,
            carer_km: 1234.56,
            carer_days: 26,
            cared_donor_days: 27,
            deferral_applications: 28,
            tokens_awarded: 29,
            gallery_pieces: 30,
            escapes: 1,
            away: 2,
            organs_grown: 3,
            donations_postponed: 4,
            outsiders_knowing: 31.25,
            outsiders_knowing_share: f64::NAN,
        };
        let mut writer = SeriesWriter::new(Vec::new()).expect("vec");
        writer.write_row(3, &row).expect("vec");
        let text = String::from_utf8(writer.finish().expect("vec")).expect("utf8");
        assert_eq!(
            text,
            "replicate,year,created,students,veterans,carers,donors,completed_total,completions,\
             hailsham_students,donations,organs_supplied_kidney,organs_supplied_liver,\
             organs_supplied_heart,organs_supplied_lung,organs_supplied_pancreas,transplants,\
             organs_unused,new_patients,waiting_deaths,waiting,life_years_gained,beds_held,\
             beds_total,donors_waiting_for_bed,donors_without_carer,carer_km,carer_days,\
             cared_donor_days,deferral_applications,tokens_awarded,gallery_pieces,\
             escapes,away,organs_grown,donations_postponed,\
             outsiders_knowing,outsiders_knowing_share\n\
             3,1978,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20.500,21,22,23,24,1234.6,\
             26,27,28,29,30,1,2,3,4,31.2,\n"
        );
    }

    fn person() -> PersonRecord {
        PersonRecord {
            id: PersonId(42),
            stage: Stage::Completed,
            birth: Day(0),
            created: Day(31),
            home: HomeKind::Hailsham,
            transferred: false,
            left_home: Some(Day(5844)),
            halfway_house: Some(1),
            carer_training: Some(Day(6600)),
            carer_start: Some(Day(6800)),
            carer_end: None,
            donors_cared: 17,
            carer_km: 12_345.67,
            donor_start: Some(Day(10_000)),
            centre: Some(3),
            carer: Some(PersonId(12)),
            carers: vec![PersonId(11), PersonId(12)],
            donations: vec![
                DonationRecord {
                    day: Day(10_100),
                    organ: Organ::Kidney,
                    organs: 1,
                    centre: 3,
                    carer: Some(PersonId(11)),
                },
                DonationRecord {
                    day: Day(10_400),
                    organ: Organ::Heart,
                    organs: 4,
                    centre: 3,
                    carer: Some(PersonId(12)),
                },
            ],
            completion: Some(Day(10_400)),
            tokens: 250,
            gallery_pieces: 2,
            partner: None,
            partners: vec![PersonId(8)],
            believed_rumour: true,
            deferral_applied: true,
            deferral_granted: false,
            possible_searched: true,
            possible_sighted: false,
            blood_group: BloodGroup::A,
            escaped: None,
            returned: None,
        }
    }

    #[test]
    fn people_line_of_a_record_with_two_donations() {
        let mut writer = PeopleWriter::new(Vec::new(), Calendar::new(1952)).expect("vec");
        writer.write(0, &person()).expect("vec");
        let text = String::from_utf8(writer.finish().expect("vec")).expect("utf8");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "replicate,id,stage,home,transferred,birth,created,left_home,halfway_house,\
                 carer_training,carer_start,carer_end,donors_cared,carer_km,donor_start,centre,\
                 carer,donations,donation_1_date,donation_1_organ,donation_2_date,donation_2_organ,\
                 donation_3_date,donation_3_organ,donation_4_date,donation_4_organ,completion,\
                 age_at_completion_years,tokens,gallery_pieces,partner,deferral_applied,\
                 deferral_granted,possible_searched,possible_sighted,blood_group,escaped,returned,\
                 carers,partners,believed_rumour"
            )
        );
        // 1952 is a leap year: day 31 is 1 February, day 5844 is 1 January 1968 (16 years
        // with 4 leap days), 10400 days is 28.47 years.
        assert_eq!(
            lines.next(),
            Some(
                "0,42,completed,hailsham,false,1952-01-01,1952-02-01,1968-01-01,1,1970-01-26,\
                 1970-08-14,,17,12345.7,1979-05-19,Southampton,12,2,1979-08-27,kidney,1980-06-22,heart,,,,,\
                 1980-06-22,28.47,250,2,,true,false,true,false,A,,,11;12,8,true"
            )
        );
        assert_eq!(lines.next(), None);
    }

    #[test]
    fn people_line_of_a_young_student() {
        let record = PersonRecord {
            id: PersonId(7),
            stage: Stage::Student,
            birth: Day(400),
            created: Day(400),
            home: HomeKind::HumaneOther,
            transferred: true,
            left_home: None,
            halfway_house: None,
            carer_training: None,
            carer_start: None,
            carer_end: None,
            donors_cared: 0,
            carer_km: 0.0,
            donor_start: None,
            centre: None,
            carer: None,
            carers: Vec::new(),
            donations: Vec::new(),
            completion: None,
            tokens: 0,
            gallery_pieces: 0,
            partner: Some(PersonId(9)),
            partners: vec![PersonId(9)],
            believed_rumour: false,
            deferral_applied: false,
            deferral_granted: false,
            possible_searched: false,
            possible_sighted: false,
            blood_group: BloodGroup::O,
            escaped: Some(Day(6000)),
            returned: None,
        };
        let mut writer = PeopleWriter::new(Vec::new(), Calendar::new(1952)).expect("vec");
        writer.write(5, &record).expect("vec");
        let text = String::from_utf8(writer.finish().expect("vec")).expect("utf8");
        assert_eq!(
            text.lines().nth(1),
            Some(
                "5,7,student,humane-other,true,1953-02-04,1953-02-04,,,,,,0,0.0,,,,0,,,,,,,,,,,0,\
                 0,9,false,false,false,false,O,1968-06-05,,,9,false"
            )
        );
    }

    /// A fresh directory under the system's temporary directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "hailsham-report-test-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    #[test]
    fn output_dir_commit_renames_into_place() {
        let root = scratch("commit");
        let target = root.join("out");
        let dir = OutputDir::create(&target, false).expect("created");
        assert!(dir.temp_dir().is_dir());
        assert!(
            !target.exists(),
            "nothing under the final name before commit"
        );
        fs::write(dir.path("summary.json"), "{}\n").expect("write");
        let temp = dir.temp_dir().to_path_buf();
        let committed = dir.commit().expect("commit");
        assert_eq!(committed, target);
        assert_eq!(
            fs::read_to_string(target.join("summary.json")).expect("read"),
            "{}\n"
        );
        assert!(!temp.exists());
        fs::remove_dir_all(&root).expect("cleanup");
    }

    #[test]
    fn output_dir_dropped_without_commit_leaves_nothing() {
        let root = scratch("drop");
        let target = root.join("out");
        let dir = OutputDir::create(&target, false).expect("created");
        fs::write(dir.path("series.csv"), "year\n").expect("write");
        let temp = dir.temp_dir().to_path_buf();
        assert!(temp.is_dir());
        drop(dir);
        assert!(!temp.exists());
        assert!(!target.exists());
        assert_eq!(fs::read_dir(&root).expect("read").count(), 0);
        fs::remove_dir_all(&root).expect("cleanup");
    }

    #[test]
    fn output_dir_refuses_a_non_empty_directory_unless_forced() {
        let root = scratch("refuse");
        let target = root.join("out");
        fs::create_dir_all(&target).expect("mkdir");
        fs::write(target.join("old.csv"), "old\n").expect("write");
        match OutputDir::create(&target, false) {
            Err(OutputError::NotEmpty { path }) => assert_eq!(path, target),
            other => panic!("expected NotEmpty, got {other:?}"),
        }
        assert!(target.join("old.csv").exists(), "refusal touches nothing");

        let dir = OutputDir::create(&target, true).expect("forced");
        fs::write(dir.path("new.csv"), "new\n").expect("write");
        dir.commit().expect("commit");
        assert!(!target.join("old.csv").exists());
        assert!(target.join("new.csv").exists());
        fs::remove_dir_all(&root).expect("cleanup");
    }

    #[test]
    fn output_dir_accepts_an_empty_directory_and_replaces_a_stale_temp() {
        let root = scratch("empty");
        let target = root.join("out");
        fs::create_dir_all(&target).expect("mkdir");
        let stale = root.join(format!("out.tmp-{}", std::process::id()));
        fs::create_dir_all(&stale).expect("mkdir");
        fs::write(stale.join("junk"), "junk").expect("write");
        let dir = OutputDir::create(&target, false).expect("created");
        assert!(!dir.path("junk").exists(), "the stale temp dir was cleared");
        fs::write(dir.path("a"), "a").expect("write");
        dir.commit().expect("commit");
        assert!(target.join("a").exists());
        fs::remove_dir_all(&root).expect("cleanup");
    }

    #[test]
    fn output_dir_refuses_a_file_in_the_way() {
        let root = scratch("file");
        let target = root.join("out");
        fs::write(&target, "a file").expect("write");
        assert!(matches!(
            OutputDir::create(&target, true),
            Err(OutputError::NotADirectory { .. })
        ));
        assert!(matches!(
            OutputDir::create(Path::new("/"), false),
            Err(OutputError::NoName { .. })
        ));
        fs::remove_dir_all(&root).expect("cleanup");
    }
}
