//! A file written on a thread of its own: the simulation's thread appends small items to a
//! batch and hands full batches over a bounded channel; the writing thread does the costly
//! part (folding lives, encoding Parquet) and hands each emptied batch back to be filled
//! again, so a one-replicate run uses a second core and allocates no batch after the first
//! few. The person records ([`crate::PeopleFile`]) and the event log ([`crate::EventLog`])
//! are this, with their own items and their own work on the far side.
//!
//! The channel's bound is what keeps memory bounded whatever the run's length: the
//! simulation waits when the writer is that many batches behind. A writer ends before the
//! last flush only on an error (a full disk, say); the next flush then stops the run with
//! that error, rather than simulate to the end for nothing.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use hailsham_table::TableError;
use hailsham_world::ObserverError;

/// The writing thread's side: the batches as they come.
pub(crate) struct Batches<T> {
    batches: Receiver<Vec<T>>,
    spare: SyncSender<Vec<T>>,
}

impl<T> Batches<T> {
    /// Hands each batch to `write`, in order, until the simulation's side closes the channel
    /// (its last flush), or `write` fails.
    ///
    /// # Errors
    /// The first error of `write`.
    pub(crate) fn each(
        self,
        mut write: impl FnMut(&[T]) -> Result<(), TableError>,
    ) -> Result<(), TableError> {
        for mut batch in self.batches {
            write(&batch)?;
            batch.clear();
            // The simulation may have stopped taking spares; that is no error.
            let _ = self.spare.try_send(batch);
        }
        Ok(())
    }
}

/// The simulation's side: the batch being filled, the channel, and the thread that writes.
pub(crate) struct WritingThread<T, W> {
    batch: Vec<T>,
    /// Items a batch holds before it is handed over.
    batch_items: usize,
    sender: Option<SyncSender<Vec<T>>>,
    /// Emptied batches coming back from the writer, to fill again.
    spare: Receiver<Vec<T>>,
    writer: Option<JoinHandle<Result<W, TableError>>>,
    /// What the thread writes, for its errors: `the event log`.
    what: &'static str,
}

impl<T: Send + 'static, W: Send + 'static> WritingThread<T, W> {
    /// Starts the thread `name`, which writes `what` by `write` from batches of `batch_items`
    /// items, at most `in_flight` of them waiting for it.
    ///
    /// # Errors
    /// If the thread cannot be started.
    pub(crate) fn start(
        name: String,
        what: &'static str,
        batch_items: usize,
        in_flight: usize,
        write: impl FnOnce(Batches<T>) -> Result<W, TableError> + Send + 'static,
    ) -> Result<WritingThread<T, W>, TableError> {
        let (sender, batches) = sync_channel::<Vec<T>>(in_flight);
        let (spare_sender, spare) = sync_channel::<Vec<T>>(in_flight + 1);
        let writer = std::thread::Builder::new()
            .name(name)
            .spawn(move || {
                write(Batches {
                    batches,
                    spare: spare_sender,
                })
            })
            .map_err(|source| TableError::Io {
                action: "starting an output's writing thread",
                source,
            })?;
        Ok(WritingThread {
            batch: Vec::with_capacity(batch_items),
            batch_items,
            sender: Some(sender),
            spare,
            writer: Some(writer),
            what,
        })
    }

    /// Whether items are still taken: not once the writer has failed (or the file ended).
    #[inline]
    pub(crate) fn is_open(&self) -> bool {
        self.sender.is_some()
    }

    /// Appends `item`, handing the batch over when it is full.
    #[inline]
    pub(crate) fn push(&mut self, item: T) {
        self.batch.push(item);
        if self.batch.len() == self.batch_items {
            self.send();
        }
    }

    /// Items waiting in the batch being filled.
    pub(crate) fn waiting(&self) -> usize {
        self.batch.len()
    }

    /// Hands the batch over. If the writer has stopped (on an error), nothing more is sent,
    /// and the next flush says why.
    fn send(&mut self) {
        let next = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(self.batch_items));
        let full = std::mem::replace(&mut self.batch, next);
        if let Some(sender) = &self.sender
            && sender.send(full).is_err()
        {
            self.sender = None;
        }
    }

    /// Whether the writing thread has ended (before the last flush, on an error).
    #[cfg(test)]
    pub(crate) fn stopped(&self) -> bool {
        self.writer.as_ref().is_some_and(JoinHandle::is_finished)
    }

    /// Hands over what waits; at the `last` flush, ends the file and gives the writer back.
    /// Nothing once the file has ended.
    ///
    /// # Errors
    /// The writer's error, as soon as its thread has stopped on one: at this flush or the
    /// next, whatever slack the channel leaves.
    pub(crate) fn flush(&mut self, last: bool) -> Result<Option<W>, ObserverError> {
        if self.writer.is_none() {
            return Ok(None);
        }
        if !self.batch.is_empty() {
            self.send();
        }
        // The writer ends before the last flush only on an error. With batches of slack the
        // simulation may not have met a closed channel yet: ask the thread too.
        let stopped =
            self.sender.is_none() || self.writer.as_ref().is_some_and(JoinHandle::is_finished);
        if stopped {
            self.sender = None;
            self.join()?;
            return Err(format!("{}'s thread stopped", self.what).into());
        }
        if !last {
            return Ok(None);
        }
        // Closing the channel ends the writer's loop; it finishes the file.
        self.sender = None;
        self.join()
    }

    /// Waits for the writing thread to end and gives its result.
    fn join(&mut self) -> Result<Option<W>, ObserverError> {
        match self.writer.take() {
            Some(writer) => Ok(Some(
                writer
                    .join()
                    .map_err(|_| format!("{}'s thread failed", self.what))??,
            )),
            None => Ok(None),
        }
    }
}
