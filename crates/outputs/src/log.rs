//! The event log: every announcement of a replicate, one row each, typed columns, streamed to
//! Parquet (or CSV) as the run goes. [`EventLog`] is an observer: it turns each
//! [`Happening`] into one row of [`hailsham_log::LOG_COLUMNS`] by the log's codec ([`hailsham_log`]) and
//! hands it to a [`TableWriter`], which flushes a row group every so many rows, so memory does
//! not grow with the log.
//!
//! What each kind of row puts in the columns is the codec's ([`hailsham_log::encode`],
//! documented by [`hailsham_log::entry`] and in `docs/log.md`); this module only batches rows
//! to a thread of their own. The census that closes each year is not written: it is the
//! yearly series.

use std::io::Write;

use hailsham_log::{DatedRow, Names, fill_batch, log_schema};
use hailsham_table::{Format, TableError, TableWriter};
use hailsham_world::{Calendar, Day, Happening, Observer, Places};
use hailsham_world::{ObserverError, ReplicateObserver};

use crate::writing::WritingThread;

/// Rows handed to the writing thread at a time. A row as the simulation builds it is small,
/// but up to four batches live at once (one filling, two in flight, one being written): 8,192
/// rows keep that to a few megabytes where 65,536 held tens, for a few hundred sends a run.
const BATCH_ROWS: usize = 1 << 13;

/// Batches in flight to the writing thread, at most: the simulation waits beyond it, so the
/// log's memory stays bounded whatever its length. Sixteen batches are a row group's rows:
/// while the writer encodes one (a burst of some tens of milliseconds) the simulation goes on,
/// where two batches of slack made it wait 0.25 to 0.55 s of an England run.
const BATCHES_IN_FLIGHT: usize = 16;

/// The event log of one replicate, as an observer. The simulation turns each announcement into
/// a row and hands rows in batches to a thread of the log's own ([`WritingThread`]) that
/// encodes and writes them, so that a run with one replicate uses a second core for its log;
/// the order of rows is the order of the announcements either way, and so are the file's
/// bytes, however the rows are batched.
pub struct EventLog<W: Write + Send + 'static> {
    thread: WritingThread<DatedRow, W>,
    rows: u64,
    /// Days since 1970-01-01 of the run's day 0.
    epoch: i32,
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
        let epoch = hailsham_log::epoch(calendar).expect("start years are in range");
        let names = Names::new(places);
        let mut table = TableWriter::new(out, log_schema(), format, metadata)?;
        let replicate_column = i32::try_from(replicate).expect("replicates fit in i32");
        // Rows in, table out, a column at a time (the codec's `fill_batch`): the file a row
        // at a time would give, without a row of cells built and checked per row.
        let thread = WritingThread::start(
            format!("log-{replicate:03}"),
            "the event log",
            BATCH_ROWS,
            BATCHES_IN_FLIGHT,
            move |batches| {
                let mut columns = table.batch();
                batches.each(|rows| {
                    fill_batch(&mut columns, replicate_column, rows, &names)?;
                    table.write_batch(&mut columns)
                })?;
                table.finish()
            },
        )?;
        Ok(EventLog {
            thread,
            rows: 0,
            epoch,
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
}

impl<W: Write + Send + 'static> Observer for EventLog<W> {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        if !self.thread.is_open() {
            return;
        }
        let Some(row) = hailsham_log::encode(happening) else {
            return;
        };
        let date = self.epoch + i32::try_from(day.0).expect("days fit in i32");
        self.thread.push(DatedRow { date, row });
        self.rows += 1;
    }
}

impl<W: Write + Send + 'static> ReplicateObserver for EventLog<W> {
    fn flush(&mut self, last: bool) -> Result<(), ObserverError> {
        if let Some(written) = self.thread.flush(last)? {
            self.done = Some(written);
        }
        Ok(())
    }
}
