//! Reading ahead: a [`ParquetColumns`] moved to a thread of its own that decodes the next
//! row groups while the caller works on the last one. Decoding a row group and using it
//! cost about the same for sift's index, so on two cores the two overlap and a large log
//! reads in little more than the time of the slower of them.
//!
//! The groups arrive in file order, the same values and codes as [`ParquetColumns`] gives,
//! so what the caller builds does not depend on the thread.

use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

use crate::{ColumnGroup, ParquetColumns, TableError};

/// A file's row groups handed out one at a time, with the dictionaries of their text
/// columns: what [`ParquetColumns`] and [`ReadAhead`] both do, so that a caller can be
/// written once for either.
pub trait RowGroups {
    /// The next row group's selected columns; `None` after the last.
    fn next_group(&mut self) -> Option<Result<ColumnGroup, TableError>>;
    /// The words of text column `column` (a position in the file) met so far, by code.
    fn dictionary(&self, column: usize) -> &[String];
    /// Hands a group's buffers back, to read a later group into.
    fn recycle(&mut self, group: ColumnGroup);
}

impl RowGroups for ParquetColumns {
    fn next_group(&mut self) -> Option<Result<ColumnGroup, TableError>> {
        ParquetColumns::next_group(self)
    }
    fn dictionary(&self, column: usize) -> &[String] {
        ParquetColumns::dictionary(self, column)
    }
    fn recycle(&mut self, group: ColumnGroup) {
        ParquetColumns::recycle(self, group);
    }
}

impl RowGroups for ReadAhead {
    fn next_group(&mut self) -> Option<Result<ColumnGroup, TableError>> {
        ReadAhead::next_group(self)
    }
    fn dictionary(&self, column: usize) -> &[String] {
        ReadAhead::dictionary(self, column)
    }
    fn recycle(&mut self, group: ColumnGroup) {
        ReadAhead::recycle(self, group);
    }
}

/// Row groups decoded ahead of the caller, at most: two keep both cores busy without holding
/// more than three groups' memory at once.
const AHEAD: usize = 2;

enum Message {
    /// A row group, with the words its text columns added to their dictionaries: for each
    /// selected column (in file positions), the new words in code order.
    Group(ColumnGroup, Vec<(usize, Vec<String>)>),
    Failed(TableError),
    Done,
}

/// Row groups decoded by a thread of their own; see the module's documentation.
pub struct ReadAhead {
    groups: Option<Receiver<Message>>,
    spent: Option<Sender<ColumnGroup>>,
    dictionaries: Vec<Vec<String>>,
    worker: Option<JoinHandle<()>>,
    finished: bool,
}

impl std::fmt::Debug for ReadAhead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadAhead")
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl ParquetColumns {
    /// Moves the reader to a thread that decodes the selected columns of the remaining row
    /// groups ahead of the caller.
    ///
    /// # Errors
    /// If the system cannot start a thread.
    pub fn read_ahead(self) -> Result<ReadAhead, TableError> {
        let (send, groups) = sync_channel(AHEAD);
        let (spent, take_back) = channel();
        let columns = self.columns().len();
        let worker = std::thread::Builder::new()
            .name("parquet-read-ahead".to_owned())
            .spawn(move || decode_all(self, &send, &take_back))
            .map_err(|e| TableError::io("starting the thread that reads ahead", e))?;
        Ok(ReadAhead {
            groups: Some(groups),
            spent: Some(spent),
            dictionaries: vec![Vec::new(); columns],
            worker: Some(worker),
            finished: false,
        })
    }
}

fn decode_all(
    mut reader: ParquetColumns,
    send: &SyncSender<Message>,
    take_back: &Receiver<ColumnGroup>,
) {
    let mut sent: Vec<usize> = vec![0; reader.columns().len()];
    while let Some(group) = reader.next_group() {
        let message = match group {
            Ok(group) => {
                let mut words = Vec::new();
                for (column, sent) in sent.iter_mut().enumerate() {
                    let dictionary = reader.dictionary(column);
                    if dictionary.len() > *sent {
                        words.push((column, dictionary[*sent..].to_vec()));
                        *sent = dictionary.len();
                    }
                }
                Message::Group(group, words)
            }
            Err(error) => Message::Failed(error),
        };
        let failed = matches!(message, Message::Failed(_));
        // The caller hung up: nobody wants the rest.
        if send.send(message).is_err() || failed {
            return;
        }
        if let Ok(group) = take_back.try_recv() {
            reader.recycle(group);
        }
    }
    let _ = send.send(Message::Done);
}

impl ReadAhead {
    /// The next row group's selected columns; `None` after the last.
    pub fn next_group(&mut self) -> Option<Result<ColumnGroup, TableError>> {
        if self.finished {
            return None;
        }
        let message = self.groups.as_ref()?.recv();
        match message {
            Ok(Message::Group(group, words)) => {
                for (column, mut new) in words {
                    if let Some(dictionary) = self.dictionaries.get_mut(column) {
                        dictionary.append(&mut new);
                    }
                }
                Some(Ok(group))
            }
            Ok(Message::Failed(error)) => {
                self.finished = true;
                Some(Err(error))
            }
            Ok(Message::Done) => {
                self.finished = true;
                None
            }
            // The thread ended without saying it was done: it panicked. Say so rather than
            // hand back a table cut short.
            Err(_) => {
                self.finished = true;
                Some(Err(TableError::Parquet {
                    action: "reading the Parquet file",
                    source: "the thread reading ahead stopped before the last row group".into(),
                }))
            }
        }
    }

    /// The words of text column `column` (a position in the file) in the groups handed out
    /// so far, by code, as [`ParquetColumns::dictionary`].
    #[must_use]
    pub fn dictionary(&self, column: usize) -> &[String] {
        self.dictionaries.get(column).map_or(&[], Vec::as_slice)
    }

    /// Hands a group's buffers back to the thread, to decode a later group into.
    pub fn recycle(&mut self, group: ColumnGroup) {
        if let Some(spent) = &self.spent {
            // A thread that has finished needs no buffers.
            let _ = spent.send(group);
        }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        // Hanging up first lets a thread blocked on a full channel see it and stop.
        self.groups = None;
        self.spent = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
