//! Writers for the files of a run: metadata and summary as JSON, the yearly series and the
//! person records as tables (Parquet, or CSV on request), and the output directory that holds
//! them until the run succeeds.
//!
//! Every writer streams to a [`Write`]; a table row is a stack array of borrowed values, so a
//! record costs no allocation beyond the table's own column buffers. Nothing written depends on the wall clock, the machine
//! or the order threads finish in: the same scenario, seed, replicates and version give the
//! same bytes.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use hailsham_table::{Batch, Cell, Column, ColumnType, Format, Schema, TableError, TableWriter};
use hailsham_world::{
    BloodGroup, Calendar, Day, Happening, HomeKind, Lives, Note, Observer, Organ, PersonId,
    PersonRecord, Places, Records, YearRow,
};
use hailsham_world::{ObserverError, ReplicateObserver};
use serde::{Deserialize, Serialize};

use crate::figures::FIGURES;
use crate::summary::Summary;
use crate::writing::{Batches, WritingThread};

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
    figures: Vec<FigureView>,
}

/// One figure over a run's replicates, as `summary.json` has it: the estimate of its mean with
/// a 95% interval, and each replicate's value (`null` where a figure is undefined).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureView {
    /// The figure's key.
    pub key: &'static str,
    /// What it is, for a reader.
    pub label: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// The years it covers, in words (`every year of the run`, `the final year of the run`).
    pub covers: &'static str,
    /// The mean over replicates.
    pub mean: Option<f64>,
    /// The interval's low end.
    pub low: Option<f64>,
    /// The interval's high end.
    pub high: Option<f64>,
    /// Replicates with a value.
    pub n: usize,
    /// Each replicate's value.
    pub values: Vec<Option<f64>>,
}

impl FigureView {
    /// Every figure of `summary`, in the figures' declared order.
    #[must_use]
    pub fn all(summary: &Summary) -> Vec<FigureView> {
        FIGURES
            .iter()
            .zip(&summary.estimates)
            .enumerate()
            .map(|(index, (figure, estimate))| FigureView {
                key: figure.key,
                label: figure.label,
                unit: figure.unit,
                covers: figure.window.words(),
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
            .collect()
    }
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
    let figures = FigureView::all(summary);
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

/// A count column of the series.
const fn count_column(name: &'static str, doc: &'static str) -> Column {
    Column::required(name, ColumnType::Int64, doc)
}

/// The columns of the yearly series, in order: one row per replicate and year.
pub const SERIES_COLUMNS: [Column; 39] = [
    Column::required("replicate", ColumnType::Int32, "replicate number"),
    Column::required("year", ColumnType::Int32, "calendar year"),
    count_column("created", "clones created in the year"),
    count_column("students", "alive at the year's end: students at a home"),
    count_column("veterans", "alive at the year's end: at a half-way house"),
    count_column(
        "carers",
        "alive at the year's end: carers (in training or at work)",
    ),
    count_column("donors", "alive at the year's end: donors"),
    count_column("completed_total", "completed since the run began"),
    count_column("completions", "completions in the year"),
    count_column(
        "hailsham_students",
        "students at Hailsham at the year's end",
    ),
    count_column("donations", "donations in the year"),
    count_column("organs_supplied_kidney", "kidneys supplied in the year"),
    count_column("organs_supplied_liver", "livers supplied in the year"),
    count_column("organs_supplied_heart", "hearts supplied in the year"),
    count_column("organs_supplied_lung", "lungs supplied in the year"),
    count_column(
        "organs_supplied_pancreas",
        "pancreases supplied in the year",
    ),
    count_column("transplants", "organs transplanted in the year"),
    count_column(
        "organs_unused",
        "organs supplied with nobody waiting for them",
    ),
    count_column("new_patients", "patients added to the waiting lists"),
    count_column("waiting_deaths", "patients who died waiting"),
    count_column("waiting", "patients waiting at the year's end"),
    Column::nullable(
        "life_years_gained",
        ColumnType::Float64,
        "recipients' life-years gained",
    ),
    count_column(
        "beds_held",
        "recovery beds held at the year's end (the summary's `beds_held_max` is the most held \
         on any day, so it is above every year-end count)",
    ),
    count_column("beds_total", "recovery beds in the country"),
    count_column(
        "donors_waiting_for_bed",
        "donors waiting for a bed at the year's end",
    ),
    count_column(
        "donors_without_carer",
        "donors without a carer at the year's end",
    ),
    Column::nullable(
        "carer_km",
        ColumnType::Float64,
        "km carers drove in the year",
    ),
    Column::nullable(
        "carer_overnights",
        ColumnType::Float64,
        "nights carers spent away in the year (overnights)",
    ),
    count_column("carer_days", "carer-days worked (at work, not in training)"),
    count_column("cared_donor_days", "donor-days with a carer in the year"),
    count_column("deferral_applications", "couples who asked for a deferral"),
    count_column("tokens_awarded", "tokens awarded at Hailsham"),
    count_column("gallery_pieces", "pieces taken to the Gallery"),
    count_column("escapes", "clones who ran away"),
    count_column("away", "clones away at the year's end"),
    count_column("organs_grown", "patients served by grown organs"),
    count_column(
        "donations_postponed",
        "donations put off for want of a match",
    ),
    Column::nullable(
        "outsiders_knowing",
        ColumnType::Float64,
        "outsiders who know what the clones are",
    ),
    Column::nullable(
        "outsiders_knowing_share",
        ColumnType::Float64,
        "outsiders who know, share of the population",
    ),
];

/// The series' schema.
///
/// # Panics
/// Never: the columns are fixed and distinct (a test checks).
#[must_use]
pub fn series_schema() -> Schema {
    Schema::new(SERIES_COLUMNS.to_vec()).expect("the series' columns are distinct")
}

/// A count as an Int64 value; no count of a run comes near the limit.
fn int64(n: u64) -> Cell<'static> {
    Cell::Int64(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A float, or null when it is not a number (a share of nobody).
fn float(x: f64) -> Cell<'static> {
    if x.is_finite() {
        Cell::Float64(x)
    } else {
        Cell::Null
    }
}

/// The values of one row of the series (`row` of replicate `replicate`), in
/// [`SERIES_COLUMNS`] order: what [`SeriesTable`] writes and the run store keeps, mapped once.
#[must_use]
pub fn series_row(replicate: u32, row: &YearRow) -> [Cell<'static>; SERIES_COLUMNS.len()] {
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
        carer_overnights,
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
    } = *row;
    let organ = |organ: Organ| int64(organs_supplied[organ.index()]);
    [
        Cell::Int32(i32::try_from(replicate).unwrap_or(i32::MAX)),
        Cell::Int32(year),
        int64(created),
        int64(students),
        int64(veterans),
        int64(carers),
        int64(donors),
        int64(completed_total),
        int64(completions),
        int64(hailsham_students),
        int64(donations),
        organ(Organ::Kidney),
        organ(Organ::Liver),
        organ(Organ::Heart),
        organ(Organ::Lung),
        organ(Organ::Pancreas),
        int64(transplants),
        int64(organs_unused),
        int64(new_patients),
        int64(waiting_deaths),
        int64(waiting),
        float(life_years_gained),
        int64(beds_held),
        int64(beds_total),
        int64(donors_waiting_for_bed),
        int64(donors_without_carer),
        float(carer_km),
        float(carer_overnights),
        int64(carer_days),
        int64(cared_donor_days),
        int64(deferral_applications),
        int64(tokens_awarded),
        int64(gallery_pieces),
        int64(escapes),
        int64(away),
        int64(organs_grown),
        int64(donations_postponed),
        float(outsiders_knowing),
        float(outsiders_knowing_share),
    ]
}

/// The yearly series as a table ([`SERIES_COLUMNS`]), Parquet or CSV.
pub struct SeriesTable<W: Write + Send> {
    table: TableWriter<W>,
}

impl<W: Write + Send> std::fmt::Debug for SeriesTable<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SeriesTable")
            .field("rows", &self.table.rows())
            .finish_non_exhaustive()
    }
}

impl<W: Write + Send> SeriesTable<W> {
    /// A table written to `w` in `format`, with `metadata` in a Parquet file's footer.
    ///
    /// # Errors
    /// Any error of `w` (CSV writes its header at once).
    pub fn new(
        w: W,
        format: Format,
        metadata: &[(&str, &str)],
    ) -> Result<SeriesTable<W>, TableError> {
        Ok(SeriesTable {
            table: TableWriter::new(w, series_schema(), format, metadata)?,
        })
    }

    /// Writes the row of `row` of replicate `replicate`.
    ///
    /// # Errors
    /// Any error of the underlying writer.
    pub fn write_row(&mut self, replicate: u32, row: &YearRow) -> Result<(), TableError> {
        self.table.write_row(&series_row(replicate, row))
    }

    /// Rows written so far.
    #[must_use]
    pub fn rows(&self) -> u64 {
        self.table.rows()
    }

    /// Writes what is buffered (a Parquet file's last row group and footer) and returns the
    /// writer.
    ///
    /// # Errors
    /// Any error of the underlying writer.
    pub fn finish(self) -> Result<W, TableError> {
        self.table.finish()
    }
}

/// Donations a person record has columns for; the count column counts them all.
pub const DONATION_COLUMNS: usize = 4;

/// A nullable date column of the person records.
const fn date_column(name: &'static str, doc: &'static str) -> Column {
    Column::nullable(name, ColumnType::Date, doc)
}

/// The columns of the person records, in order: one row per life.
pub const PEOPLE_COLUMNS: [Column; 45] = [
    Column::required("replicate", ColumnType::Int32, "replicate number"),
    Column::required("id", ColumnType::Int32, "the clone's permanent id"),
    Column::required(
        "stage",
        ColumnType::Text,
        "stage at completion or at the run's end; `away` for a clone who ran and was never found",
    ),
    Column::required("home", ColumnType::Text, "the home created into"),
    Column::required(
        "transferred",
        ColumnType::Bool,
        "moved when the humane homes closed",
    ),
    Column::required("birth", ColumnType::Date, "the day the clone was born"),
    Column::required(
        "created",
        ColumnType::Date,
        "the day the clone was created into a home",
    ),
    date_column("left_home", "the day the clone left the home"),
    Column::nullable(
        "halfway_house",
        ColumnType::Text,
        "half-way house: the Cottages, the White Mansion, Poplar Farm, or another by name",
    ),
    date_column("carer_training", "the day carer training began"),
    date_column("carer_start", "the day work as a carer began"),
    date_column("carer_end", "the day work as a carer ended"),
    Column::required("donors_cared", ColumnType::Int32, "donors cared for"),
    Column::required("carer_km", ColumnType::Float64, "km driven as a carer"),
    date_column("donor_start", "the day the clone became a donor"),
    Column::nullable(
        "centre",
        ColumnType::Text,
        "the last recovery centre (its town)",
    ),
    Column::nullable("carer", ColumnType::Int32, "the last carer: id"),
    Column::required("donations", ColumnType::Int32, "donations given"),
    date_column("donation_1_date", "the day of the 1st donation"),
    Column::nullable(
        "donation_1_organ",
        ColumnType::Text,
        "the organ of the 1st donation",
    ),
    Column::nullable(
        "donation_1_centre",
        ColumnType::Text,
        "the centre of the 1st donation",
    ),
    date_column("donation_2_date", "the day of the 2nd donation"),
    Column::nullable(
        "donation_2_organ",
        ColumnType::Text,
        "the organ of the 2nd donation",
    ),
    Column::nullable(
        "donation_2_centre",
        ColumnType::Text,
        "the centre of the 2nd donation",
    ),
    date_column("donation_3_date", "the day of the 3rd donation"),
    Column::nullable(
        "donation_3_organ",
        ColumnType::Text,
        "the organ of the 3rd donation",
    ),
    Column::nullable(
        "donation_3_centre",
        ColumnType::Text,
        "the centre of the 3rd donation",
    ),
    date_column("donation_4_date", "the day of the 4th donation"),
    Column::nullable(
        "donation_4_organ",
        ColumnType::Text,
        "the organ of the 4th donation",
    ),
    Column::nullable(
        "donation_4_centre",
        ColumnType::Text,
        "the centre of the 4th donation",
    ),
    date_column("completion", "the day the clone completed"),
    Column::nullable(
        "age_at_completion_years",
        ColumnType::Float64,
        "age at completion",
    ),
    Column::required(
        "tokens",
        ColumnType::Int32,
        "tokens held on leaving Hailsham",
    ),
    Column::required(
        "gallery_pieces",
        ColumnType::Int32,
        "pieces taken to the Gallery",
    ),
    Column::nullable("partner", ColumnType::Int32, "the last partner: id"),
    Column::required("deferral_applied", ColumnType::Bool, "asked for a deferral"),
    Column::required("deferral_granted", ColumnType::Bool, "was granted one"),
    Column::required(
        "possible_searched",
        ColumnType::Bool,
        "looked for a possible",
    ),
    Column::required("possible_sighted", ColumnType::Bool, "someone was sighted"),
    Column::required("blood_group", ColumnType::Text, "ABO blood group"),
    date_column("escaped", "the day the clone ran away"),
    date_column("returned", "the day the clone was brought back"),
    Column::nullable(
        "carers",
        ColumnType::Text,
        "every carer, in order: ids separated by `;`",
    ),
    Column::nullable(
        "partners",
        ColumnType::Text,
        "every partner, in order: ids separated by `;`",
    ),
    Column::required(
        "believed_rumour",
        ColumnType::Bool,
        "believed the deferral rumour",
    ),
];

/// Rows per row group of the person records, an eighth of the table crate's default. A person
/// row has 45 columns against the log's 17, and the writer buffers a whole row group before
/// encoding it: at 131,072 rows that was some 45 MB, most of what a run with records held
/// beyond the model. 16,384 rows buffer about 6 MB, and England's file is 0.6% larger (12 row
/// groups of about 750 kB rather than 2; readers still skip or split by row group).
pub const PEOPLE_ROW_GROUP_ROWS: usize = 1 << 14;

/// The person records' schema.
///
/// # Panics
/// Never: the columns are fixed and distinct (a test checks).
#[must_use]
pub fn people_schema() -> Schema {
    Schema::new(PEOPLE_COLUMNS.to_vec()).expect("the records' columns are distinct")
}

/// Names every field of a record, so that a field added to `PersonRecord` fails to compile
/// here until [`PeopleTable::write_all`] gives it a column.
const _: fn(&PersonRecord) = every_field_has_a_column;

fn every_field_has_a_column(record: &PersonRecord) {
    let PersonRecord {
        id: _,
        stage: _,
        birth: _,
        created: _,
        home: _,
        transferred: _,
        left_home: _,
        halfway_house: _,
        carer_training: _,
        carer_start: _,
        carer_end: _,
        donors_cared: _,
        carer_km: _,
        donor_start: _,
        centre: _,
        carer: _,
        carers: _,
        donations: _,
        completion: _,
        tokens: _,
        gallery_pieces: _,
        partner: _,
        partners: _,
        believed_rumour: _,
        deferral_applied: _,
        deferral_granted: _,
        possible_searched: _,
        possible_sighted: _,
        blood_group: _,
        escaped: _,
        returned: _,
    } = record;
}

/// The person records as a table ([`PEOPLE_COLUMNS`]), Parquet or CSV: one row per life.
///
/// Only the first [`DONATION_COLUMNS`] donations have columns (no donor gives more in any
/// scenario the ranges allow); lists of people are ids joined by `;`, null when empty.
pub struct PeopleTable<W: Write + Send> {
    table: TableWriter<W>,
    /// Days since 1970-01-01 of the run's first day.
    epoch: i32,
    /// Names of houses and centres, to write names rather than numbers.
    places: Places,
    /// The rows on their way to the table, column by column.
    batch: Batch,
    /// The lists of carers or partners of the records being written, end to end.
    lists: String,
}

impl<W: Write + Send> std::fmt::Debug for PeopleTable<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeopleTable")
            .field("rows", &self.table.rows())
            .finish_non_exhaustive()
    }
}

/// Days since 1970-01-01 of the first day of `calendar`.
fn epoch_of(calendar: Calendar) -> i32 {
    hailsham_table::days_from_civil(i64::from(calendar.start_year()), 1, 1)
        .expect("start years are in range")
}

/// Ids joined by `;`, appended to `out`.
fn join_ids(out: &mut String, ids: &[PersonId]) {
    for (k, id) in ids.iter().enumerate() {
        if k > 0 {
            out.push(';');
        }
        push_decimal(out, id.0);
    }
}

/// Appends `n` in decimal: what `write!(out, "{n}")` writes, without the formatting machinery
/// (a person row can list a dozen ids).
fn push_decimal(out: &mut String, mut n: u32) {
    let mut digits = [0_u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        #[allow(clippy::cast_possible_truncation)]
        let digit = (n % 10) as u8;
        digits[at] = b'0' + digit;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

impl<W: Write + Send> PeopleTable<W> {
    /// A table written to `w` in `format`, dating days by `calendar`, with `metadata` in a
    /// Parquet file's footer.
    ///
    /// # Errors
    /// Any error of `w` (CSV writes its header at once).
    pub fn new(
        w: W,
        format: Format,
        calendar: Calendar,
        places: Places,
        metadata: &[(&str, &str)],
    ) -> Result<PeopleTable<W>, TableError> {
        let table = TableWriter::with_row_group_rows(
            w,
            people_schema(),
            format,
            metadata,
            PEOPLE_ROW_GROUP_ROWS,
        )?;
        Ok(PeopleTable {
            batch: table.batch(),
            table,
            epoch: epoch_of(calendar),
            places,
            lists: String::new(),
        })
    }

    /// Writes the row of `record` of replicate `replicate`.
    ///
    /// # Errors
    /// Any error of the underlying writer.
    pub fn write(&mut self, replicate: u32, record: &PersonRecord) -> Result<(), TableError> {
        self.write_all(replicate, std::slice::from_ref(record))
    }

    /// Writes the rows of `records` of replicate `replicate`, in order, column by column (a
    /// table `Batch`): the file is the one a row at a time gives, in a fraction of the time.
    ///
    /// # Errors
    /// Any error of the underlying writer.
    #[allow(clippy::too_many_lines)]
    pub fn write_all(
        &mut self,
        replicate: u32,
        records: &[PersonRecord],
    ) -> Result<(), TableError> {
        let epoch = self.epoch;
        let date = |day: Day| Some(epoch + i32::try_from(day.0).unwrap_or(i32::MAX));
        let person = |id: PersonId| Some(i32::try_from(id.0).unwrap_or(i32::MAX));
        let small = |n: u32| Some(i32::try_from(n).unwrap_or(i32::MAX));
        let places = &self.places;
        let batch = &mut self.batch;
        let r = || records.iter();
        // In PEOPLE_COLUMNS order.
        let replicate = small(replicate);
        batch.int32(0, r().map(|_| replicate))?;
        batch.int32(1, r().map(|p| person(p.id)))?;
        batch.text(
            2,
            r().map(|p| {
                // A clone who ran and was never brought back is in a stage of their own.
                Some(if p.escaped.is_some() && p.returned.is_none() {
                    "away"
                } else {
                    p.stage.as_str()
                })
            }),
        )?;
        batch.text(3, r().map(|p| Some(p.home.as_str())))?;
        batch.bool(4, r().map(|p| Some(p.transferred)))?;
        batch.date(5, r().map(|p| date(p.birth)))?;
        batch.date(6, r().map(|p| date(p.created)))?;
        batch.date(7, r().map(|p| p.left_home.and_then(date)))?;
        batch.text(8, r().map(|p| p.halfway_house.map(|h| places.house(h))))?;
        batch.date(9, r().map(|p| p.carer_training.and_then(date)))?;
        batch.date(10, r().map(|p| p.carer_start.and_then(date)))?;
        batch.date(11, r().map(|p| p.carer_end.and_then(date)))?;
        batch.int32(12, r().map(|p| small(p.donors_cared)))?;
        batch.float64(13, r().map(|p| Some(p.carer_km)))?;
        batch.date(14, r().map(|p| p.donor_start.and_then(date)))?;
        batch.text(15, r().map(|p| p.centre.map(|c| places.centre(c))))?;
        batch.int32(16, r().map(|p| p.carer.and_then(person)))?;
        batch.int32(
            17,
            r().map(|p| small(u32::try_from(p.donations.len()).unwrap_or(u32::MAX))),
        )?;
        for slot in 0..DONATION_COLUMNS {
            let at = 18 + 3 * slot;
            let donation = |p: &PersonRecord| p.donations.get(slot).copied();
            batch.date(at, r().map(|p| donation(p).and_then(|d| date(d.day))))?;
            batch.text(at + 1, r().map(|p| donation(p).map(|d| d.organ.as_str())))?;
            batch.text(
                at + 2,
                r().map(|p| donation(p).map(|d| places.centre(d.centre))),
            )?;
        }
        batch.date(30, r().map(|p| p.completion.and_then(date)))?;
        batch.float64(
            31,
            r().map(|p| p.completion.map(|day| day.years_since(p.birth))),
        )?;
        batch.int32(32, r().map(|p| small(p.tokens)))?;
        batch.int32(33, r().map(|p| small(p.gallery_pieces)))?;
        batch.int32(34, r().map(|p| p.partner.and_then(person)))?;
        batch.bool(35, r().map(|p| Some(p.deferral_applied)))?;
        batch.bool(36, r().map(|p| Some(p.deferral_granted)))?;
        batch.bool(37, r().map(|p| Some(p.possible_searched)))?;
        batch.bool(38, r().map(|p| Some(p.possible_sighted)))?;
        batch.text(39, r().map(|p| Some(p.blood_group.as_str())))?;
        batch.date(40, r().map(|p| p.escaped.and_then(date)))?;
        batch.date(41, r().map(|p| p.returned.and_then(date)))?;
        let lists = &mut self.lists;
        for (at, of) in [
            (
                42,
                (|p: &PersonRecord| &p.carers[..]) as fn(&PersonRecord) -> &[PersonId],
            ),
            (43, |p: &PersonRecord| &p.partners[..]),
        ] {
            // The ids of each record's list joined by `;`, end to end; null when empty.
            lists.clear();
            let mut ends = Vec::with_capacity(records.len());
            for record in records {
                join_ids(lists, of(record));
                ends.push(lists.len());
            }
            let mut start = 0;
            batch.text(
                at,
                ends.iter().map(|&end| {
                    let text = &lists[start..end];
                    start = end;
                    (!text.is_empty()).then_some(text)
                }),
            )?;
        }
        batch.bool(44, r().map(|p| Some(p.believed_rumour)))?;
        self.table.write_batch(batch)
    }

    /// Rows written so far.
    #[must_use]
    pub fn rows(&self) -> u64 {
        self.table.rows()
    }

    /// Writes what is buffered and returns the writer.
    ///
    /// # Errors
    /// Any error of the underlying writer.
    pub fn finish(self) -> Result<W, TableError> {
        self.table.finish()
    }
}

/// Notes handed to the writing thread at a time (24 bytes each): the simulation hands over
/// what it has noted whenever this many wait, and at the end of every year.
const NOTES_BATCH: usize = 1 << 12;

/// Batches in flight to the writing thread, at most: the simulation waits beyond it, so the
/// records' memory in flight stays bounded (3 MB). Thirty-two rather than two: the writer's
/// work comes in bursts (a row group encoded, the lives a year ends), and with two batches of
/// slack (a few milliseconds of simulation) the simulation waited 0.12 to 0.3 s of an England
/// run for it; with thirty-two, not at all.
const NOTES_IN_FLIGHT: usize = 32;

/// Lives turned into rows at a time: their records (some 250 bytes and their lists each) stay
/// in cache while the table reads each of the 45 columns from them.
const LIVES_AT_A_TIME: usize = 256;

/// The person records of one replicate as an observer. The simulation's thread only notes
/// what the records fold reads of each announcement ([`Note`], 24 bytes, appended one after
/// another) and hands the notes in batches to a thread of the file's own, which folds them
/// into lives ([`Records`]) and writes a row for each life as it ends. Folding on the
/// simulation's thread cost a quarter of a one-replicate run: most announcements touch a
/// life's draft picked at random among a hundred thousand, a miss of the cache each, which
/// the second core now takes. The rows are in the order lives ended either way, so the file's
/// bytes do not depend on the batches.
pub struct PeopleFile<W: Write + Send + 'static> {
    thread: WritingThread<Note, W>,
}

impl<W: Write + Send + 'static> std::fmt::Debug for PeopleFile<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeopleFile")
            .field("notes", &self.thread.waiting())
            .finish_non_exhaustive()
    }
}

/// The writing thread: notes in, folded into lives, a row for each life ended; the table's
/// writer handed back at the end.
fn write_lives<W: Write + Send>(
    mut table: PeopleTable<W>,
    batches: Batches<Note>,
    replicate: u32,
) -> Result<W, TableError> {
    let mut records = Records::default();
    let mut lives = Lives::default();
    // Records filled again for every slice of lives: their lists keep their capacity.
    let blank = PersonRecord::new(
        PersonId(0),
        HomeKind::Hailsham,
        Day(0),
        Day(0),
        BloodGroup::O,
    );
    let mut slice = vec![blank; LIVES_AT_A_TIME];
    let mut write = |records: &mut Records, lives: &mut Lives| -> Result<(), TableError> {
        *lives = records.take_lives(std::mem::take(lives));
        for start in (0..lives.len()).step_by(LIVES_AT_A_TIME) {
            let count = LIVES_AT_A_TIME.min(lives.len() - start);
            for (k, record) in slice[..count].iter_mut().enumerate() {
                lives.fill(start + k, record);
            }
            table.write_all(replicate, &slice[..count])?;
        }
        Ok(())
    };
    batches.each(|notes| {
        for note in notes {
            records.note(note);
        }
        write(&mut records, &mut lives)
    })?;
    write(&mut records, &mut lives)?;
    table.finish()
}

impl<W: Write + Send + 'static> PeopleFile<W> {
    /// The records of replicate `replicate`, written to `out` in `format`.
    ///
    /// # Errors
    /// If the header cannot be written, or the writing thread cannot be started.
    pub fn new(
        out: W,
        format: Format,
        calendar: Calendar,
        places: Places,
        replicate: u32,
        metadata: &[(&str, &str)],
    ) -> Result<PeopleFile<W>, TableError> {
        let table = PeopleTable::new(out, format, calendar, places, metadata)?;
        PeopleFile::start(table, replicate, NOTES_IN_FLIGHT)
    }

    /// The file of `table`, its writing thread taking up to `in_flight` batches behind the
    /// simulation.
    fn start(
        table: PeopleTable<W>,
        replicate: u32,
        in_flight: usize,
    ) -> Result<PeopleFile<W>, TableError> {
        let thread = WritingThread::start(
            format!("people-{replicate:03}"),
            "the person records",
            NOTES_BATCH,
            in_flight,
            move |batches| write_lives(table, batches, replicate),
        )?;
        Ok(PeopleFile { thread })
    }

    /// Whether the writing thread has ended (before the last flush, on an error).
    #[cfg(test)]
    fn writer_stopped(&self) -> bool {
        self.thread.stopped()
    }
}

impl<W: Write + Send + 'static> Observer for PeopleFile<W> {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        if self.thread.is_open()
            && let Some(note) = Note::of(day, happening)
        {
            self.thread.push(note);
        }
    }
}

impl<W: Write + Send + 'static> ReplicateObserver for PeopleFile<W> {
    fn flush(&mut self, last: bool) -> Result<(), ObserverError> {
        // Every flush hands over the year's notes, so the lives that ended are written as
        // the run goes; the last ends the file.
        if let Some(mut written) = self.thread.flush(last)? {
            written.flush()?;
        }
        Ok(())
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
    /// `--force` was asked for, but the directory holds files hailsham did not write.
    #[error(
        "output directory {} holds files hailsham did not write (no metadata.json of a run): \
         not replacing it, even with --force; choose another directory or empty it yourself",
        path.display()
    )]
    NotOurs {
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
    /// A file system operation failed. The message names the path; the OS error is the
    /// source, printed after it by whoever prints the chain (so it is not said twice).
    #[error("{action} {}", path.display())]
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

/// Whether `dir` holds the output of a hailsham run or comparison: a `metadata.json` that is
/// a JSON object naming a seed and a version, as [`write_metadata`] and the comparison's
/// metadata write. Only such a directory may be replaced by `--force`.
fn written_by_hailsham(dir: &Path) -> bool {
    let path = dir.join("metadata.json");
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return false;
    };
    // A metadata file is a few hundred bytes; anything large is not one.
    if !meta.is_file() || meta.len() > 1 << 20 {
        return false;
    }
    let Ok(text) = fs::read_to_string(&path) else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|json| {
        json.get("seed").is_some_and(serde_json::Value::is_u64)
            && json
                .get("version")
                .is_some_and(serde_json::Value::is_string)
    })
}

/// Removes the siblings `<name>.tmp-<pid>` and `<name>.old-<pid>` that earlier runs into the
/// same directory left behind when they were killed (a second Ctrl-C, `kill -9`, a power cut):
/// only directories of that exact form, only when no live process has that id. Best effort: a
/// folder that cannot be removed is left, and the run goes on.
fn remove_stale_siblings(final_dir: &Path, name: &std::ffi::OsStr) {
    let parent = match final_dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let Some(name) = name.to_str() else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(sibling) = file_name.to_str() else {
            continue;
        };
        let Some(rest) = sibling.strip_prefix(name) else {
            continue;
        };
        let Some(pid) = rest
            .strip_prefix(".tmp-")
            .or_else(|| rest.strip_prefix(".old-"))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir
            && pid != std::process::id()
            && crate::process::liveness(pid, None) == crate::process::Liveness::Dead
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// `final_dir` with `.<tag>-<pid>` appended to its name.
fn sibling(final_dir: &Path, name: &std::ffi::OsStr, tag: &str) -> PathBuf {
    let mut sibling = name.to_os_string();
    sibling.push(format!(".{tag}-{}", std::process::id()));
    final_dir.with_file_name(sibling)
}

impl OutputDir {
    /// The temporary folder this process writes `final_dir` in before renaming it into place:
    /// what a forced exit must remove. `None` for a path with no final component.
    #[must_use]
    pub fn temporary_for(final_dir: &Path) -> Option<PathBuf> {
        final_dir
            .file_name()
            .map(|name| sibling(final_dir, name, "tmp"))
    }

    /// Prepares to write into `final_dir`: refuses a non-empty `final_dir` unless `force`, and
    /// with `force` unless hailsham wrote it; removes temporary siblings that killed runs left
    /// behind; and creates the temporary directory `<final_dir>.tmp-<pid>` beside it.
    ///
    /// # Errors
    ///
    /// [`OutputError::NotEmpty`] if `final_dir` holds files and `force` is false;
    /// [`OutputError::NotOurs`] if it holds files hailsham did not write;
    /// [`OutputError::NotADirectory`] if it is a file; [`OutputError::NoName`] if it has no
    /// final component; [`OutputError::Io`] if a directory cannot be read, made or removed.
    pub fn create(final_dir: &Path, force: bool) -> Result<OutputDir, OutputError> {
        let Some(name) = final_dir.file_name() else {
            return Err(OutputError::NoName {
                path: final_dir.to_path_buf(),
            });
        };
        Self::check_replaceable(final_dir, force)?;
        remove_stale_siblings(final_dir, name);
        let temp_dir = sibling(final_dir, name, "tmp");
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

    /// Refuses a `final_dir` that holds files, unless `force` and hailsham wrote them.
    fn check_replaceable(final_dir: &Path, force: bool) -> Result<(), OutputError> {
        if !holds_files(final_dir)? {
            return Ok(());
        }
        if !force {
            return Err(OutputError::NotEmpty {
                path: final_dir.to_path_buf(),
            });
        }
        if !written_by_hailsham(final_dir) {
            return Err(OutputError::NotOurs {
                path: final_dir.to_path_buf(),
            });
        }
        Ok(())
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

    /// Moves the files into place and returns the final path. An old output (with `force`) is
    /// first renamed aside to `<final_dir>.old-<pid>`, the new one renamed into place, and only
    /// then the old one removed; if the second rename fails the old output is renamed back, so
    /// at every moment the final name holds either the whole old output or the whole new one.
    ///
    /// # Errors
    ///
    /// [`OutputError::NotEmpty`] or [`OutputError::NotOurs`] if files appeared in the final
    /// directory since [`OutputDir::create`]; [`OutputError::Io`] if a rename fails. On error
    /// the temporary directory is removed and the old output is where it was.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        Self::check_replaceable(&self.final_dir, self.force)?;
        let name = self
            .final_dir
            .file_name()
            .expect("create checked the name")
            .to_os_string();
        let mut aside = None;
        if holds_files(&self.final_dir)? {
            let old = sibling(&self.final_dir, &name, "old");
            if fs::symlink_metadata(&old).is_ok() {
                fs::remove_dir_all(&old).map_err(io_error("removing", &old))?;
            }
            fs::rename(&self.final_dir, &old).map_err(io_error("moving aside", &self.final_dir))?;
            aside = Some(old);
        } else if fs::symlink_metadata(&self.final_dir).is_ok() {
            fs::remove_dir(&self.final_dir).map_err(io_error("removing", &self.final_dir))?;
        }
        if let Err(source) = fs::rename(&self.temp_dir, &self.final_dir) {
            if let Some(old) = &aside {
                let _ = fs::rename(old, &self.final_dir);
            }
            return Err(io_error("renaming into place", &self.final_dir)(source));
        }
        self.committed = true;
        if let Some(old) = aside {
            // The new output is in place; an old one that will not go is litter, not failure,
            // and the next run into this directory removes it.
            let _ = fs::remove_dir_all(&old);
        }
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
    use crate::samples::sample_tally;
    use hailsham_world::{BloodGroup, DonationRecord, HomeKind, PersonId, Stage};

    #[test]
    fn figure_views_hold_every_figure_and_undefined_values_as_none() {
        let mut values = vec![vec![1.0; FIGURES.len()], vec![3.0; FIGURES.len()]];
        values[1][0] = f64::NAN;
        let views = FigureView::all(&Summary::from_replicates(values));
        assert_eq!(views.len(), FIGURES.len());
        assert_eq!(views[0].values, vec![Some(1.0), None]);
        assert_eq!(views[1].mean, Some(2.0));
    }

    fn places() -> Places {
        Places::new(&hailsham_world::Params::default())
    }

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
        let mut series = SeriesTable::new(Vec::new(), Format::Csv, &[]).expect("vec");
        series.write_row(0, &YearRow::default()).expect("vec");
        let text = String::from_utf8(series.finish().expect("vec")).expect("utf8");
        for line in text.lines() {
            assert_eq!(line.split(',').count(), SERIES_COLUMNS.len(), "{line}");
        }
        let mut people =
            PeopleTable::new(Vec::new(), Format::Csv, Calendar::new(1952), places(), &[])
                .expect("vec");
        people.write(0, &person()).expect("vec");
        let text = String::from_utf8(people.finish().expect("vec")).expect("utf8");
        for line in text.lines() {
            assert_eq!(line.split(',').count(), PEOPLE_COLUMNS.len(), "{line}");
        }
        // Every column is documented, and names are distinct.
        assert_eq!(series_schema().len(), SERIES_COLUMNS.len());
        assert_eq!(people_schema().len(), PEOPLE_COLUMNS.len());
        for column in SERIES_COLUMNS.iter().chain(&PEOPLE_COLUMNS) {
            assert!(!column.doc.is_empty(), "{}", column.name);
        }
    }

    /// Goal: the data dictionary cannot drift from the tables. Method: docs/tables.md quotes
    /// each schema's Markdown table exactly.
    #[test]
    fn docs_describe_every_column() {
        let docs = include_str!("../../../docs/tables.md");
        let tables = [series_schema().markdown(), people_schema().markdown()];
        assert!(
            tables.iter().all(|table| docs.contains(table)),
            "docs/tables.md should hold:\n{}",
            tables.join("\n")
        );
    }

    /// The Parquet file of `rows` read back, rendered as the CSV writer renders rows.
    fn parquet_as_csv(bytes: Vec<u8>) -> String {
        hailsham_table::read_parquet(bytes).expect("reads").to_csv()
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
        assert_eq!(demand["values"], serde_json::json!([0.776, null]));
        assert_eq!(demand["mean"], 0.776);
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
            carer_overnights: 52.5,
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
        let mut writer = SeriesTable::new(Vec::new(), Format::Csv, &[]).expect("vec");
        writer.write_row(3, &row).expect("vec");
        let text = String::from_utf8(writer.finish().expect("vec")).expect("utf8");
        let mut parquet = SeriesTable::new(Vec::new(), Format::Parquet, &[]).expect("vec");
        parquet.write_row(3, &row).expect("vec");
        assert_eq!(parquet_as_csv(parquet.finish().expect("vec")), text);
        assert_eq!(
            text,
            "replicate,year,created,students,veterans,carers,donors,completed_total,completions,\
             hailsham_students,donations,organs_supplied_kidney,organs_supplied_liver,\
             organs_supplied_heart,organs_supplied_lung,organs_supplied_pancreas,transplants,\
             organs_unused,new_patients,waiting_deaths,waiting,life_years_gained,beds_held,\
             beds_total,donors_waiting_for_bed,donors_without_carer,carer_km,carer_overnights,\
             carer_days,cared_donor_days,deferral_applications,tokens_awarded,gallery_pieces,\
             escapes,away,organs_grown,donations_postponed,\
             outsiders_knowing,outsiders_knowing_share\n\
             3,1978,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20.5,21,22,23,24,1234.56,\
             52.5,26,27,28,29,30,1,2,3,4,31.25,\n"
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
        let mut writer =
            PeopleTable::new(Vec::new(), Format::Csv, Calendar::new(1952), places(), &[])
                .expect("vec");
        writer.write(0, &person()).expect("vec");
        let text = String::from_utf8(writer.finish().expect("vec")).expect("utf8");
        let mut parquet = PeopleTable::new(
            Vec::new(),
            Format::Parquet,
            Calendar::new(1952),
            places(),
            &[],
        )
        .expect("vec");
        parquet.write(0, &person()).expect("vec");
        assert_eq!(parquet_as_csv(parquet.finish().expect("vec")), text);
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "replicate,id,stage,home,transferred,birth,created,left_home,halfway_house,\
                 carer_training,carer_start,carer_end,donors_cared,carer_km,donor_start,centre,\
                 carer,donations,donation_1_date,donation_1_organ,donation_1_centre,\
                 donation_2_date,donation_2_organ,donation_2_centre,donation_3_date,\
                 donation_3_organ,donation_3_centre,donation_4_date,donation_4_organ,\
                 donation_4_centre,completion,\
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
                "0,42,completed,hailsham,false,1952-01-01,1952-02-01,1968-01-01,the White Mansion,1970-01-26,\
                 1970-08-14,,17,12345.67,1979-05-19,Southampton,12,2,1979-08-27,kidney,Southampton,\
                 1980-06-22,heart,Southampton,,,,,,,1980-06-22,28.474232872680478,250,2,,true,\
                 false,true,false,A,,,11;12,8,true"
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
        let mut writer =
            PeopleTable::new(Vec::new(), Format::Csv, Calendar::new(1952), places(), &[])
                .expect("vec");
        writer.write(5, &record).expect("vec");
        let text = String::from_utf8(writer.finish().expect("vec")).expect("utf8");
        assert_eq!(
            text.lines().nth(1),
            Some(
                // Ran at fifteen and was never found: away, not a student.
                "5,7,away,humane-other,true,1953-02-04,1953-02-04,,,,,,0,0,,,,0,,,,,,,,,,,,,,,\
                 0,0,9,false,false,false,false,O,1968-06-05,,,9,false"
            )
        );
    }

    /// Goal: the person records' smaller row groups change the file's layout, not its rows or
    /// types. Method: a small world's records written with the table crate's default row
    /// groups and with the people's (twenty times over, as twenty replicates, for rows enough
    /// to fill several row groups), read back by the Parquet library's own reader: the same
    /// columns (names, types, nulls), metadata and rows, in more row groups.
    #[test]
    fn smaller_row_groups_keep_rows_and_types() {
        let mut params = hailsham_world::Params::default();
        params.homes.population_millions = 0.5;
        let mut replicate = hailsham_world::Replicate::new(&params, 9, 0, Records::default());
        let mut records = Vec::new();
        while replicate.step_year().is_some() {
            records.extend(replicate.observer().drain());
        }
        records.extend(replicate.finish().1.drain());
        let rows = 20 * records.len();
        assert!(rows > 2 * PEOPLE_ROW_GROUP_ROWS, "{rows}");
        let write = |group: Option<usize>| {
            let mut table = PeopleTable::new(
                Vec::new(),
                Format::Parquet,
                Calendar::new(1952),
                places(),
                &[("seed", "9")],
            )
            .expect("vec");
            if let Some(group) = group {
                // The writer as it was: one table of the crate's default row groups.
                table.table = TableWriter::with_row_group_rows(
                    Vec::new(),
                    people_schema(),
                    Format::Parquet,
                    &[("seed", "9")],
                    group,
                )
                .expect("vec");
            }
            for replicate in 0..20 {
                for record in &records {
                    table.write(replicate, record).expect("vec");
                }
            }
            table.finish().expect("vec")
        };
        let (before, after) = (write(Some(hailsham_table::ROW_GROUP_ROWS)), write(None));
        let groups = |bytes: &[u8]| {
            hailsham_table::ParquetColumns::from_bytes(bytes.to_vec())
                .expect("reads")
                .row_groups()
        };
        assert_eq!(
            groups(&before),
            rows.div_ceil(hailsham_table::ROW_GROUP_ROWS)
        );
        assert_eq!(groups(&after), rows.div_ceil(PEOPLE_ROW_GROUP_ROWS));
        let (before, after) = (
            hailsham_table::read_parquet(before).expect("reads"),
            hailsham_table::read_parquet(after).expect("reads"),
        );
        assert_eq!(before.columns, after.columns);
        assert_eq!(before.metadata, after.metadata);
        assert_eq!(before.rows.len(), rows);
        assert!(before.rows == after.rows, "the rows differ");
    }

    /// A writer whose bytes the test keeps after handing it to a thread; it fails once it
    /// holds more than `limit` bytes, as a full disk does.
    #[derive(Clone)]
    struct Shared {
        bytes: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
        limit: usize,
        refused: std::sync::Arc<std::sync::atomic::AtomicBool>,
    }

    impl Shared {
        /// Whether a write has been refused.
        fn refused(&self) -> bool {
            self.refused.load(std::sync::atomic::Ordering::Relaxed)
        }
    }

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut bytes = self.bytes.lock().expect("not poisoned");
            if bytes.len() + buf.len() > self.limit {
                self.refused
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                return Err(io::Error::from_raw_os_error(28));
            }
            bytes.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// A small world of seed 5, run to its end with `observer`, flushed after every year as
    /// the runner does: the first flush's error, if any, with the years flushed before it
    /// (`None` if the last flush failed).
    fn run_small<O: ReplicateObserver>(observer: O) -> Result<O, (Option<usize>, ObserverError)> {
        let mut params = hailsham_world::Params::default();
        params.homes.population_millions = 0.3;
        let mut replicate = hailsham_world::Replicate::new(&params, 5, 2, observer);
        let mut years = 0_usize;
        while replicate.step_year().is_some() {
            replicate
                .observer()
                .flush(false)
                .map_err(|e| (Some(years), e))?;
            years += 1;
        }
        let (_, mut observer) = replicate.finish();
        observer.flush(true).map_err(|e| (None, e))?;
        Ok(observer)
    }

    /// Goal: the person records written on a thread of their own, in batches, are the bytes
    /// the records' table writes when handed every life as it ends. Method: one small run
    /// through a `PeopleFile`, in each format, against the same run's `Records` drained into
    /// a `PeopleTable` after every year.
    #[test]
    fn people_file_writes_what_the_table_writes() {
        for format in [Format::Parquet, Format::Csv] {
            let shared = Shared {
                bytes: std::sync::Arc::default(),
                limit: usize::MAX,
                refused: std::sync::Arc::default(),
            };
            let file = PeopleFile::new(
                shared.clone(),
                format,
                Calendar::new(1952),
                places(),
                2,
                &[("seed", "5")],
            )
            .expect("starts");
            assert!(run_small(file).is_ok(), "writes");

            struct Direct(Records, Option<PeopleTable<Vec<u8>>>, Vec<u8>);
            impl Observer for Direct {
                fn observe(&mut self, day: Day, happening: &Happening) {
                    self.0.observe(day, happening);
                }
            }
            impl ReplicateObserver for Direct {
                fn flush(&mut self, last: bool) -> Result<(), ObserverError> {
                    let table = self.1.as_mut().expect("open until the last flush");
                    for record in self.0.drain() {
                        table.write(2, &record)?;
                    }
                    if last {
                        self.2 = self.1.take().expect("open").finish()?;
                    }
                    Ok(())
                }
            }
            let table = PeopleTable::new(
                Vec::new(),
                format,
                Calendar::new(1952),
                places(),
                &[("seed", "5")],
            )
            .expect("vec");
            let direct =
                run_small(Direct(Records::default(), Some(table), Vec::new())).expect("vec");
            let written = shared.bytes.lock().expect("not poisoned").clone();
            assert!(direct.2.len() > 10_000, "a small world has lives");
            assert!(written == direct.2, "{format:?}: the bytes differ");
        }
    }

    /// Goal: a person file that cannot be written stops the run at the next flush once its
    /// writer has stopped, with the operating system's error, rather than at the end.
    /// Method: a writer that fails past 16 KiB (of a file of hundreds), run a year at a time,
    /// with one batch of slack so that the writer cannot fall far behind (with the usual
    /// slack a loaded machine let the simulation finish before the writer wrote anything).
    /// Once the test has seen the write refused and the writer's thread end, the next flush
    /// must fail, and say why.
    #[test]
    fn people_file_reports_a_failed_write_at_the_next_flush() {
        let shared = Shared {
            bytes: std::sync::Arc::default(),
            limit: 1 << 14,
            refused: std::sync::Arc::default(),
        };
        let table = PeopleTable::new(
            shared.clone(),
            Format::Csv,
            Calendar::new(1952),
            places(),
            &[],
        )
        .expect("starts");
        let file = PeopleFile::start(table, 0, 1).expect("starts");
        let mut params = hailsham_world::Params::default();
        params.homes.population_millions = 0.3;
        let mut replicate = hailsham_world::Replicate::new(&params, 5, 2, file);
        let error = loop {
            assert!(
                replicate.step_year().is_some(),
                "the run ended before its writer failed"
            );
            let file = replicate.observer();
            if let Err(error) = file.flush(false) {
                break error;
            }
            if shared.refused() {
                let waited = std::time::Instant::now();
                while !file.writer_stopped() {
                    assert!(waited.elapsed().as_secs() < 30, "the writer never ended");
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                break file.flush(false).expect_err("the writer has stopped");
            }
        };
        let text = hailsham_table::error_chain(&*error);
        assert!(text.contains("No space left on device"), "{text}");
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

        // Not hailsham's: even --force leaves it alone.
        match OutputDir::create(&target, true) {
            Err(OutputError::NotOurs { path }) => assert_eq!(path, target),
            other => panic!("expected NotOurs, got {other:?}"),
        }
        fs::write(target.join("metadata.json"), "{\"seed\": \"one\"}").expect("write");
        assert!(
            matches!(
                OutputDir::create(&target, true),
                Err(OutputError::NotOurs { .. })
            ),
            "a metadata.json that is not a run's is not enough"
        );
        assert!(target.join("old.csv").exists(), "refusal touches nothing");

        // A run's output: --force replaces it, and nothing is left beside it.
        let mut metadata_file = Vec::new();
        write_metadata(&mut metadata_file, &metadata()).expect("vec");
        fs::write(target.join("metadata.json"), metadata_file).expect("write");
        let dir = OutputDir::create(&target, true).expect("forced");
        fs::write(dir.path("new.csv"), "new\n").expect("write");
        dir.commit().expect("commit");
        assert!(!target.join("old.csv").exists());
        assert!(target.join("new.csv").exists());
        let left: Vec<_> = fs::read_dir(&root)
            .expect("read")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["out"], "no temporary or old folder is left");
        fs::remove_dir_all(&root).expect("cleanup");
    }

    /// Goal: a run killed before it could clean up leaves litter that the next run removes.
    /// Method: folders named as a dead process's temporary and old outputs, and one of a live
    /// process (this one's parent), beside the target; creating the output removes only the
    /// dead ones, and only of this target's name.
    #[test]
    fn output_dir_removes_what_killed_runs_left() {
        let root = scratch("stale");
        let target = root.join("out");
        // Linux process ids stay below 2^22; this one is never alive.
        let dead = 4_000_000_000_u32;
        let live = std::os::unix::process::parent_id();
        for name in [
            format!("out.tmp-{dead}"),
            format!("out.old-{dead}"),
            format!("out.tmp-{live}"),
            format!("other.tmp-{dead}"),
            format!("out.tmp-{dead}x"),
        ] {
            fs::create_dir_all(root.join(&name).join("inner")).expect("mkdir");
        }
        let dir = OutputDir::create(&target, false).expect("created");
        dir.commit().expect("commit");
        let mut left: Vec<String> = fs::read_dir(&root)
            .expect("read")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected = [
            format!("other.tmp-{dead}"),
            "out".to_string(),
            format!("out.tmp-{dead}x"),
            format!("out.tmp-{live}"),
        ];
        expected.sort();
        assert_eq!(left, expected);
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
