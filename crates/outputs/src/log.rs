//! The event log: every announcement of a replicate, one row each, typed columns, streamed to
//! Parquet (or CSV) as the run goes. [`EventLog`] is an observer: it turns each
//! [`Happening`] into one row of [`LOG_COLUMNS`] and hands it to a [`TableWriter`], which
//! flushes a row group every so many rows, so memory does not grow with the log.
//!
//! The census that closes each year is not written here: it is the yearly series. What each
//! kind of row puts in the generic columns (`count`, `count_2`, `flag`, `amount`, `detail`) is
//! documented in `docs/log.md`, and by [`KINDS`].

use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use hailsham_table::{Column, ColumnType, Format, Schema, TableError, TableWriter};
use hailsham_world::{Calendar, Day, Happening, Observer, PersonId, Places};
use hailsham_world::{ObserverError, ReplicateObserver};

/// The columns of the event log, in order.
pub const LOG_COLUMNS: [Column; 17] = [
    Column::required("replicate", ColumnType::Int32, "replicate number"),
    Column::required("date", ColumnType::Date, "the day it happened"),
    Column::required("kind", ColumnType::Text, "what happened (see docs/log.md)"),
    Column::nullable("person", ColumnType::Int32, "the clone it is about: id"),
    Column::nullable(
        "other",
        ColumnType::Int32,
        "the second party: partner, donor of a carer, carer of a donor",
    ),
    Column::nullable(
        "home",
        ColumnType::Text,
        "the home a clone was created into",
    ),
    Column::nullable(
        "house",
        ColumnType::Text,
        "half-way house: the Cottages, the White Mansion, Poplar Farm, or numbered",
    ),
    Column::nullable("centre", ColumnType::Text, "recovery centre (its town)"),
    Column::nullable("town", ColumnType::Text, "a carer's town"),
    Column::nullable("organ", ColumnType::Text, "organ"),
    Column::nullable("number", ColumnType::Int32, "donation number, from 1"),
    Column::nullable("age_days", ColumnType::Int32, "the clone's age in days"),
    Column::nullable("count", ColumnType::Int64, "a count: see the kind"),
    Column::nullable("count_2", ColumnType::Int64, "a second count: see the kind"),
    Column::nullable("flag", ColumnType::Bool, "a yes or no: see the kind"),
    Column::nullable(
        "amount",
        ColumnType::Float64,
        "km or life-years: see the kind",
    ),
    Column::nullable("detail", ColumnType::Text, "a word: see the kind"),
];

/// Every kind of row, with what it means: the `kind` column's values.
pub const KINDS: [(&str, &str); 29] = [
    (
        "created",
        "a clone is created into `home`; `detail` blood group; `count` its place in the cohort \
         of its birth year (with the year, who it is in any world of the seed)",
    ),
    (
        "transferred",
        "the humane homes close: a student moves to a government home",
    ),
    (
        "humane-homes-closed",
        "the humane homes close; `count` students moved",
    ),
    (
        "exchange",
        "an Exchange at Hailsham: `count` tokens earned, `count_2` spent; `amount` pieces",
    ),
    ("sale", "a Sale at Hailsham: `count` tokens spent"),
    (
        "gallery-piece",
        "Madame takes a piece of `person`'s to the Gallery",
    ),
    (
        "left-home",
        "`person` leaves the home for half-way house `house`; `count` tokens held",
    ),
    (
        "possible-searched",
        "`person` looks for a possible; `flag` someone was sighted",
    ),
    (
        "couple-formed",
        "`person` and `other` become a couple at `house`",
    ),
    (
        "rumour-believed",
        "`person` (with partner `other`) believes the deferral rumour",
    ),
    ("couple-parted", "`person` and `other` part at `house`"),
    (
        "training-began",
        "`person` leaves the half-way house for carer training",
    ),
    (
        "carer-qualified",
        "`person` starts work as a carer from a bedsit in `town`",
    ),
    (
        "carer-assigned",
        "carer `person` takes donor `other` at `centre`, from `town`; `detail` how",
    ),
    (
        "carer-released",
        "carer `person` and donor `other` part; `detail` why",
    ),
    (
        "career-ended",
        "`person`'s career ends after `count` days, `amount` km; `detail` notice or carer-ran",
    ),
    ("became-donor", "`person` becomes a donor"),
    ("waiting-for-bed", "`person` waits for a recovery bed"),
    (
        "bed-taken",
        "`person` takes a bed at `centre`; `count` beds held in the country",
    ),
    (
        "donation-postponed",
        "donation `number` of `person` is put off: no match waits",
    ),
    (
        "donation",
        "donation `number` of `person` at `centre`, carer `other`: `organ`, `count` organs; \
         `flag` it completes",
    ),
    (
        "organ-supplied",
        "an `organ` of donor `person`: `flag` transplanted, `amount` life-years gained",
    ),
    (
        "completed",
        "`person` completes at donation `number`, carer `other`; `flag` during the operation",
    ),
    (
        "deferral-asked",
        "`person` and `other` ask for a deferral; `flag` granted",
    ),
    (
        "escaped",
        "`person` runs away; `detail` the stage they ran from",
    ),
    ("found", "`person` is found and brought back"),
    (
        "patients",
        "patients for `organ`: `count` new, `count_2` died waiting; `number` served at once by \
         grown organs and `amount` their life-years",
    ),
    (
        "run-ended",
        "the run ends with `person` alive; `amount` km as a carer, `count` tokens",
    ),
    (
        "year-ended",
        "not written: the census of the year is the yearly series",
    ),
];

/// Rows handed to the writing thread at a time. A row as the simulation builds it is some 200
/// bytes and up to four batches live at once (one filling, two in flight, one being written):
/// 8,192 rows keep that near 6 MB where 65,536 held 52 MB, for a few hundred sends a run.
const BATCH_ROWS: usize = 1 << 13;

/// Batches in flight to the writing thread, at most: the simulation waits beyond it, so the
/// log's memory stays bounded whatever its length.
const BATCHES_IN_FLIGHT: usize = 2;

/// One row as the simulation's thread builds it: the day, the parties and the columns.
struct Pending {
    day: u32,
    person: Option<PersonId>,
    other: Option<PersonId>,
    row: Row,
}

/// The event log of one replicate, as an observer. The simulation turns each announcement into
/// a row and hands rows in batches to a thread of the log's own that encodes and writes them,
/// so that a run with one replicate uses a second core for its log; the order of rows is the
/// order of the announcements either way.
pub struct EventLog<W: Write + Send + 'static> {
    batch: Vec<Pending>,
    sender: Option<SyncSender<Vec<Pending>>>,
    /// Empty batches coming back from the writer, to fill again.
    spare: Receiver<Vec<Pending>>,
    writer: Option<JoinHandle<Result<W, TableError>>>,
    rows: u64,
    centres: Vec<&'static str>,
    /// The writer handed back at the last flush.
    done: Option<W>,
}

impl<W: Write + Send + 'static> std::fmt::Debug for EventLog<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLog")
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

/// The log's schema.
///
/// # Panics
/// Never: the columns are fixed and distinct (a test checks).
#[must_use]
pub fn log_schema() -> Schema {
    Schema::new(LOG_COLUMNS.to_vec()).expect("the log's columns are distinct")
}

/// Rows of a batch turned into columns at a time: a batch of [`BATCH_ROWS`] rows is larger
/// than a core's cache, and reading it once per column would read it from memory seventeen
/// times.
const CHUNK_ROWS: usize = 1024;

/// The writing thread: rows in, table out. Each batch goes to the table column by column
/// (a [`hailsham_table::Batch`]): the same file as row by row, in a fraction of the time.
fn write_batches<W: Write + Send>(
    mut table: TableWriter<W>,
    batches: &Receiver<Vec<Pending>>,
    spare: &SyncSender<Vec<Pending>>,
    replicate: i32,
    epoch: i32,
    places: &Places,
) -> Result<W, TableError> {
    let id = |p: Option<PersonId>| p.map(|p| i32::try_from(p.0).expect("ids fit in i32"));
    let mut columns = table.batch();
    for mut batch in batches {
        // A slice of rows that stays in cache while each of its columns is read from it;
        // the columns by their index in LOG_COLUMNS (a wrong type is refused as a row's was).
        for rows in batch.chunks(CHUNK_ROWS) {
            columns.int32(0, rows.iter().map(|_| Some(replicate)))?;
            columns.date(
                1,
                rows.iter()
                    .map(|p| Some(epoch + i32::try_from(p.day).expect("days fit in i32"))),
            )?;
            columns.text(2, rows.iter().map(|p| Some(p.row.kind)))?;
            columns.int32(3, rows.iter().map(|p| id(p.person)))?;
            columns.int32(4, rows.iter().map(|p| id(p.other)))?;
            columns.text(5, rows.iter().map(|p| p.row.home))?;
            columns.text(
                6,
                rows.iter()
                    .map(|p| p.row.house.map(|house| places.house(house))),
            )?;
            columns.text(7, rows.iter().map(|p| p.row.centre))?;
            columns.text(8, rows.iter().map(|p| p.row.town))?;
            columns.text(9, rows.iter().map(|p| p.row.organ))?;
            columns.int32(10, rows.iter().map(|p| p.row.number))?;
            columns.int32(11, rows.iter().map(|p| p.row.age_days))?;
            columns.int64(12, rows.iter().map(|p| p.row.count))?;
            columns.int64(13, rows.iter().map(|p| p.row.count_2))?;
            columns.bool(14, rows.iter().map(|p| p.row.flag))?;
            columns.float64(15, rows.iter().map(|p| p.row.amount))?;
            columns.text(16, rows.iter().map(|p| p.row.detail))?;
        }
        table.write_batch(&mut columns)?;
        batch.clear();
        // The simulation may have stopped taking spares; that is no error.
        let _ = spare.try_send(batch);
    }
    table.finish()
}

impl<W: Write + Send + 'static> EventLog<W> {
    /// A log of replicate `replicate` into `out`, dating days by `calendar` and naming houses by
    /// `places`, with `metadata` in the file (Parquet).
    ///
    /// # Errors
    /// If the table cannot be started on `out`, or its thread cannot be started.
    pub fn new(
        out: W,
        format: Format,
        replicate: u32,
        calendar: Calendar,
        places: Places,
        metadata: &[(&str, &str)],
    ) -> Result<EventLog<W>, TableError> {
        let epoch = hailsham_table::days_from_civil(i64::from(calendar.start_year()), 1, 1)
            .expect("start years are in range");
        let table = TableWriter::new(out, log_schema(), format, metadata)?;
        let replicate_column = i32::try_from(replicate).expect("replicates fit in i32");
        let (sender, batches) = sync_channel::<Vec<Pending>>(BATCHES_IN_FLIGHT);
        let (spare_sender, spare) = sync_channel::<Vec<Pending>>(BATCHES_IN_FLIGHT + 1);
        let writer = std::thread::Builder::new()
            .name(format!("log-{replicate:03}"))
            .spawn(move || {
                write_batches(
                    table,
                    &batches,
                    &spare_sender,
                    replicate_column,
                    epoch,
                    &places,
                )
            })
            .map_err(|source| TableError::Io {
                action: "starting the event log's thread",
                source,
            })?;
        Ok(EventLog {
            batch: Vec::with_capacity(BATCH_ROWS),
            sender: Some(sender),
            spare,
            writer: Some(writer),
            rows: 0,
            centres: hailsham_world::centre_names(),
            done: None,
        })
    }

    /// Rows written so far.
    #[must_use]
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The writer, once the log is finished (after the last flush).
    pub fn into_inner(self) -> Option<W> {
        self.done
    }

    fn send(&mut self) {
        let next = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH_ROWS));
        let full = std::mem::replace(&mut self.batch, next);
        if let Some(sender) = &self.sender
            && sender.send(full).is_err()
        {
            // The writer stopped on an error; the last flush reports it.
            self.sender = None;
        }
    }

    fn write(&mut self, day: Day, happening: &Happening) {
        if self.sender.is_none() {
            return;
        }
        let Some(mut row) = Row::of(happening, &self.centres) else {
            return;
        };
        row.kind = happening.kind();
        self.batch.push(Pending {
            day: day.0,
            person: happening.person(),
            other: happening.other(),
            row,
        });
        self.rows += 1;
        if self.batch.len() == BATCH_ROWS {
            self.send();
        }
    }
}

/// What a happening puts in the log's columns besides the day and the parties; the kind is
/// the happening's own ([`Happening::kind`]).
#[derive(Default)]
struct Row {
    kind: &'static str,
    home: Option<&'static str>,
    house: Option<u16>,
    centre: Option<&'static str>,
    town: Option<&'static str>,
    organ: Option<&'static str>,
    number: Option<i32>,
    age_days: Option<i32>,
    count: Option<i64>,
    count_2: Option<i64>,
    flag: Option<bool>,
    amount: Option<f64>,
    detail: Option<&'static str>,
}

fn big(n: u64) -> Option<i64> {
    Some(i64::try_from(n).unwrap_or(i64::MAX))
}

impl Row {
    /// The row of `happening`, or `None` for what the log does not hold (the census).
    #[allow(clippy::too_many_lines)]
    fn of(happening: &Happening, centres: &[&'static str]) -> Option<Row> {
        use Happening as H;
        let place = |index: u8| centres.get(usize::from(index)).copied();
        let age = |days: u32| i32::try_from(days).ok();
        Some(match *happening {
            H::Created {
                home,
                blood_group,
                place,
                ..
            } => Row {
                home: Some(home.as_str()),
                detail: Some(blood_group.as_str()),
                count: Some(i64::from(place)),
                ..Row::default()
            },
            H::Transferred { .. } => Row { ..Row::default() },
            H::HumaneHomesClosed { transferred } => Row {
                count: Some(i64::from(transferred)),
                ..Row::default()
            },
            H::Exchange {
                pieces,
                tokens_awarded,
                tokens_spent,
                ..
            } => Row {
                count: big(tokens_awarded),
                count_2: big(tokens_spent),
                amount: Some(f64::from(pieces)),
                ..Row::default()
            },
            H::Sale { tokens_spent } => Row {
                count: big(tokens_spent),
                ..Row::default()
            },
            H::GalleryPiece { .. } => Row { ..Row::default() },
            H::LeftHome { house, tokens, .. } => Row {
                house: Some(house),
                count: Some(i64::from(tokens)),
                ..Row::default()
            },
            H::PossibleSearched { sighted, .. } => Row {
                flag: Some(sighted),
                ..Row::default()
            },
            H::CoupleFormed { house, .. } => Row {
                house: Some(house),
                ..Row::default()
            },
            H::RumourBelieved { .. } => Row { ..Row::default() },
            H::CoupleParted { house, .. } => Row {
                house: Some(house),
                ..Row::default()
            },
            H::TrainingBegan { .. } => Row { ..Row::default() },
            H::CarerQualified { town, .. } => Row {
                town: place(town),
                ..Row::default()
            },
            H::CarerAssigned {
                centre, town, how, ..
            } => Row {
                centre: place(centre),
                town: place(town),
                detail: Some(how.as_str()),
                ..Row::default()
            },
            H::CarerReleased { why, .. } => Row {
                detail: Some(why.as_str()),
                ..Row::default()
            },
            H::CareerEnded {
                career_days,
                km,
                why,
                ..
            } => Row {
                count: Some(i64::from(career_days)),
                amount: Some(km),
                detail: Some(why.as_str()),
                ..Row::default()
            },
            H::BecameDonor { .. } => Row { ..Row::default() },
            H::WaitingForBed { .. } => Row { ..Row::default() },
            H::BedTaken {
                centre, beds_held, ..
            } => Row {
                centre: place(centre),
                count: big(beds_held),
                ..Row::default()
            },
            H::DonationPostponed { number, .. } => Row {
                number: Some(i32::from(number)),
                ..Row::default()
            },
            H::Donation {
                number,
                organ,
                organs,
                centre,
                completing,
                age_days,
                ..
            } => Row {
                number: Some(i32::from(number)),
                organ: Some(organ.as_str()),
                count: Some(i64::from(organs)),
                centre: place(centre),
                flag: Some(completing),
                age_days: age(age_days),
                ..Row::default()
            },
            H::OrganSupplied {
                organ,
                transplanted,
                life_years,
                ..
            } => Row {
                organ: Some(organ.as_str()),
                flag: Some(transplanted),
                amount: Some(life_years),
                ..Row::default()
            },
            H::Completed {
                number,
                during_operation,
                centre,
                age_days,
                ..
            } => Row {
                number: Some(i32::from(number)),
                flag: Some(during_operation),
                centre: place(centre),
                age_days: age(age_days),
                ..Row::default()
            },
            H::DeferralAsked { granted, .. } => Row {
                flag: Some(granted),
                ..Row::default()
            },
            H::Escaped { stage, .. } => Row {
                detail: Some(stage.as_str()),
                ..Row::default()
            },
            H::Found { .. } => Row { ..Row::default() },
            H::Patients {
                organ,
                arrivals,
                deaths,
                life_years_grown,
                grown,
            } => Row {
                organ: Some(organ.as_str()),
                count: big(arrivals),
                count_2: big(deaths),
                amount: (grown > 0).then_some(life_years_grown),
                // The patients grown organs served: a count, kept exact in an integer column.
                number: (grown > 0).then(|| i32::try_from(grown).unwrap_or(i32::MAX)),
                ..Row::default()
            },
            H::RunEnded {
                carer_km, tokens, ..
            } => Row {
                amount: Some(carer_km),
                count: Some(i64::from(tokens)),
                ..Row::default()
            },
            H::YearEnded(_) => return None,
        })
    }
}

impl<W: Write + Send + 'static> Observer for EventLog<W> {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        self.write(day, happening);
    }
}

impl<W: Write + Send + 'static> ReplicateObserver for EventLog<W> {
    fn flush(&mut self, last: bool) -> Result<(), ObserverError> {
        if !last {
            return Ok(());
        }
        if !self.batch.is_empty() {
            self.send();
        }
        // Closing the channel ends the writer's loop; it finishes the file.
        self.sender = None;
        if let Some(writer) = self.writer.take() {
            let written = writer
                .join()
                .map_err(|_| "the event log's thread failed".to_string())??;
            self.done = Some(written);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Goal: the documentation of the log cannot drift from the log. Method: every column and
    /// every kind appears in docs/log.md, and the schema builds.
    #[test]
    fn docs_list_every_column_and_kind() {
        let docs = include_str!("../../../docs/log.md");
        let table = log_schema().markdown();
        assert!(docs.contains(&table), "docs/log.md should hold:\n{table}");
        for (kind, _) in KINDS {
            assert!(docs.contains(&format!("| `{kind}` |")), "{kind}");
        }
    }
}
