//! The table writer: one type over both formats.

use std::io::{BufWriter, Write};

use crate::parquet_out::{ParquetSink, ROW_GROUP_ROWS};
use crate::{Batch, Cell, Schema, TableError, csv};

/// The file format a [`TableWriter`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Apache Parquet: typed, columnar, Snappy-compressed, with key-value
    /// metadata.
    Parquet,
    /// Comma-separated text with a header line; see [`crate::csv_line`] for
    /// the rendering of each type. Metadata is not written.
    Csv,
}

enum Sink<W: Write + Send> {
    Parquet(Box<ParquetSink<W>>),
    Csv {
        out: BufWriter<W>,
        line: Vec<u8>,
    },
    /// An I/O or encoding error happened; the output is incomplete.
    Failed,
}

/// Writes rows of a [`Schema`] to `W` as Parquet or CSV.
///
/// Every row is checked against the schema before anything of it is kept,
/// so a rejected row leaves the writer as it was. [`TableWriter::finish`]
/// must be called: dropping the writer loses the last row group (Parquet)
/// or the buffered tail (CSV).
pub struct TableWriter<W: Write + Send> {
    schema: Schema,
    sink: Sink<W>,
    rows: u64,
}

impl<W: Write + Send> TableWriter<W> {
    /// Starts a table. For Parquet, `metadata` goes into the file's
    /// key-value metadata, in the order given; CSV has nowhere to put it
    /// and ignores it. For CSV the header line is written at once.
    pub fn new(
        out: W,
        schema: Schema,
        format: Format,
        metadata: &[(&str, &str)],
    ) -> Result<Self, TableError> {
        Self::with_row_group_rows(out, schema, format, metadata, ROW_GROUP_ROWS)
    }

    /// As [`TableWriter::new`], with `row_group_rows` rows per Parquet row
    /// group instead of [`ROW_GROUP_ROWS`] (at least 1; the CSV writer
    /// ignores it). Smaller groups use less memory and read in finer
    /// parallel pieces; larger ones compress a little better.
    pub fn with_row_group_rows(
        out: W,
        schema: Schema,
        format: Format,
        metadata: &[(&str, &str)],
        row_group_rows: usize,
    ) -> Result<Self, TableError> {
        let sink = match format {
            Format::Parquet => Sink::Parquet(Box::new(ParquetSink::new(
                out,
                &schema,
                metadata,
                row_group_rows,
            )?)),
            Format::Csv => {
                let mut out = BufWriter::with_capacity(1 << 16, out);
                out.write_all(csv::csv_header(&schema).as_bytes())
                    .map_err(|e| TableError::io("writing the CSV header", e))?;
                Sink::Csv {
                    out,
                    line: Vec::with_capacity(256),
                }
            }
        };
        Ok(TableWriter {
            schema,
            sink,
            rows: 0,
        })
    }

    /// The schema being written.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The number of rows accepted so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Checks a row against the schema (one value per column, each of its
    /// column's type or a null in a nullable column) and writes it.
    pub fn write_row(&mut self, row: &[Cell<'_>]) -> Result<(), TableError> {
        if matches!(self.sink, Sink::Failed) {
            return Err(TableError::Failed);
        }
        self.schema.check_row(self.rows, row)?;
        let result = match &mut self.sink {
            Sink::Parquet(sink) => sink.push(row),
            Sink::Csv { out, line } => {
                line.clear();
                csv::push_line(line, row);
                out.write_all(line)
                    .map_err(|e| TableError::io("writing the CSV table", e))
            }
            Sink::Failed => Err(TableError::Failed),
        };
        match result {
            Ok(()) => {
                self.rows += 1;
                Ok(())
            }
            Err(e) => {
                self.sink = Sink::Failed;
                Err(e)
            }
        }
    }

    /// An empty [`Batch`] of this table's rows.
    pub fn batch(&self) -> Batch {
        Batch::new(&self.schema)
    }

    /// Writes the rows of `batch` and empties it (keeping its capacity). The
    /// output is the one the same rows given to [`TableWriter::write_row`]
    /// one by one would give; the batch's types and nulls were checked as it
    /// was filled, so only its shape is checked here.
    ///
    /// # Errors
    /// A batch of another schema, or whose columns hold unequal numbers of
    /// rows (the writer goes on, the batch is left as it was); or an I/O or
    /// encoding error, after which the writer is failed.
    pub fn write_batch(&mut self, batch: &mut Batch) -> Result<(), TableError> {
        if matches!(self.sink, Sink::Failed) {
            return Err(TableError::Failed);
        }
        if batch.schema() != &self.schema {
            return Err(TableError::BatchSchema);
        }
        let rows = batch.check_rows()?;
        let result = match &mut self.sink {
            Sink::Parquet(sink) => sink.push_batch(batch),
            Sink::Csv { out, line } => {
                let mut next = vec![0; batch.columns.len()];
                let mut values = Vec::with_capacity(batch.columns.len());
                let mut result = Ok(());
                for row in 0..rows {
                    values.clear();
                    values.extend(
                        batch
                            .columns
                            .iter()
                            .zip(&mut next)
                            .map(|(column, next)| column.value(row, next)),
                    );
                    line.clear();
                    csv::push_line(line, &values);
                    if let Err(e) = out.write_all(line) {
                        result = Err(TableError::io("writing the CSV table", e));
                        break;
                    }
                }
                result
            }
            Sink::Failed => Err(TableError::Failed),
        };
        match result {
            Ok(()) => {
                self.rows += rows as u64;
                batch.clear();
                Ok(())
            }
            Err(e) => {
                self.sink = Sink::Failed;
                Err(e)
            }
        }
    }

    /// Writes what is buffered (for Parquet, the last row group and the
    /// footer), flushes, and gives the output back.
    pub fn finish(self) -> Result<W, TableError> {
        match self.sink {
            Sink::Parquet(sink) => sink.finish(),
            Sink::Csv { out, .. } => out
                .into_inner()
                .map_err(|e| TableError::io("flushing the CSV table", e.into_error())),
            Sink::Failed => Err(TableError::Failed),
        }
    }
}

impl<W: Write + Send> std::fmt::Debug for TableWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let format = match self.sink {
            Sink::Parquet(_) => "Parquet",
            Sink::Csv { .. } => "Csv",
            Sink::Failed => "Failed",
        };
        f.debug_struct("TableWriter")
            .field("format", &format)
            .field("columns", &self.schema.len())
            .field("rows", &self.rows)
            .finish()
    }
}
