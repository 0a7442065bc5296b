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
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use hailsham_log::{DatedRow, Names, fill_batch, log_schema};
use hailsham_table::{Format, TableError, TableWriter};
use hailsham_world::{Calendar, Day, Happening, Observer, Places};
use hailsham_world::{ObserverError, ReplicateObserver};

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
/// a row and hands rows in batches to a thread of the log's own that encodes and writes them,
/// so that a run with one replicate uses a second core for its log; the order of rows is the
/// order of the announcements either way.
pub struct EventLog<W: Write + Send + 'static> {
    batch: Vec<DatedRow>,
    sender: Option<SyncSender<Vec<DatedRow>>>,
    /// Empty batches coming back from the writer, to fill again.
    spare: Receiver<Vec<DatedRow>>,
    writer: Option<JoinHandle<Result<W, TableError>>>,
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

/// The writing thread: rows in, table out, a column at a time (the codec's [`fill_batch`]):
/// the file a row at a time would give, without a row of cells built and checked per row.
fn write_batches<W: Write + Send>(
    mut table: TableWriter<W>,
    batches: &Receiver<Vec<DatedRow>>,
    spare: &SyncSender<Vec<DatedRow>>,
    replicate: i32,
    names: &Names,
) -> Result<W, TableError> {
    let mut columns = table.batch();
    for mut rows in batches {
        fill_batch(&mut columns, replicate, &rows, names)?;
        table.write_batch(&mut columns)?;
        rows.clear();
        // The simulation may have stopped taking spares; that is no error.
        let _ = spare.try_send(rows);
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
        let epoch = hailsham_log::epoch(calendar).expect("start years are in range");
        let names = Names::new(places);
        let table = TableWriter::new(out, log_schema(), format, metadata)?;
        let replicate_column = i32::try_from(replicate).expect("replicates fit in i32");
        let (sender, batches) = sync_channel::<Vec<DatedRow>>(BATCHES_IN_FLIGHT);
        let (spare_sender, spare) = sync_channel::<Vec<DatedRow>>(BATCHES_IN_FLIGHT + 1);
        let writer = std::thread::Builder::new()
            .name(format!("log-{replicate:03}"))
            .spawn(move || write_batches(table, &batches, &spare_sender, replicate_column, &names))
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
        let Some(row) = hailsham_log::encode(happening) else {
            return;
        };
        let date = self.epoch + i32::try_from(day.0).expect("days fit in i32");
        self.batch.push(DatedRow { date, row });
        self.rows += 1;
        if self.batch.len() == BATCH_ROWS {
            self.send();
        }
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
        // The writer ends before the last flush only on an error (a full disk, say): stop the
        // run now and say why, rather than simulate to the end for nothing.
        let stopped =
            self.sender.is_none() || self.writer.as_ref().is_some_and(JoinHandle::is_finished);
        if !last && !stopped {
            return Ok(());
        }
        if !last {
            self.sender = None;
            if let Some(writer) = self.writer.take() {
                writer
                    .join()
                    .map_err(|_| "the event log's thread failed".to_string())??;
            }
            return Err("the event log's thread stopped".into());
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
