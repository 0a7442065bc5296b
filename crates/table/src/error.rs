//! The one error type of the crate.

use std::error::Error as StdError;
use std::io;

use crate::ColumnType;

/// Everything that can go wrong while describing, writing or reading a table.
///
/// Validation errors (`Arity`, `WrongType`, `NullInRequired`) reject one row
/// and leave the writer usable: nothing of the rejected row was buffered or
/// written. An `Io` or `Parquet` error while writing leaves the output
/// incomplete, and the writer then answers [`TableError::Failed`] to every
/// later call.
///
/// Rows are counted from 0: `row` is the number of rows accepted before the
/// offending one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// The schema has no columns.
    #[error("a table needs at least one column")]
    NoColumns,
    /// A column's name is the empty string.
    #[error("column {index} of the schema has an empty name")]
    EmptyColumnName {
        /// Position of the column in the schema, from 0.
        index: usize,
    },
    /// Two columns share one name.
    #[error("column name `{name}` is used by more than one column")]
    DuplicateColumn {
        /// The repeated name.
        name: &'static str,
    },
    /// A row does not have one value per column.
    #[error("row {row} has {got} values, but the schema has {expected} columns")]
    Arity {
        /// Index of the rejected row.
        row: u64,
        /// Number of columns in the schema.
        expected: usize,
        /// Number of values in the row.
        got: usize,
    },
    /// A value's type is not its column's type.
    #[error("row {row}, column `{column}`: expected a {expected} value, got a {got} value")]
    WrongType {
        /// Index of the rejected row.
        row: u64,
        /// Name of the column.
        column: &'static str,
        /// The column's type.
        expected: ColumnType,
        /// The type of the value given.
        got: ColumnType,
    },
    /// A null in a column that is not nullable.
    #[error("row {row}, column `{column}`: null in a column that is not nullable")]
    NullInRequired {
        /// Index of the rejected row.
        row: u64,
        /// Name of the column.
        column: &'static str,
    },
    /// The output (or, for the reader, the input) failed.
    #[error("I/O error while {action}")]
    Io {
        /// What the crate was doing, e.g. "writing the table".
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The Parquet library refused to encode or decode something.
    #[error("the Parquet library failed while {action}")]
    Parquet {
        /// What the crate was doing.
        action: &'static str,
        /// The Parquet library's error (kept opaque so that its type is not
        /// part of this crate's API).
        #[source]
        source: Box<dyn StdError + Send + Sync + 'static>,
    },
    /// The reader met a Parquet column whose type this crate never writes.
    #[error("Parquet column `{column}` has a type this crate does not read: {detail}")]
    UnsupportedColumn {
        /// Name of the column in the file.
        column: String,
        /// Its physical and logical type, as the Parquet library prints them.
        detail: String,
    },
    /// A row group asked of the reader that the file does not have.
    #[error("the Parquet file has no row group {index}: it has {groups}")]
    NoRowGroup {
        /// The group asked for, from 0.
        index: usize,
        /// Row groups in the file.
        groups: usize,
    },
    /// A column asked of the reader that the file does not have.
    #[error("the Parquet file has no column `{column}`")]
    NoSuchColumn {
        /// The name asked for.
        column: String,
    },
    /// A [`crate::Batch`] was given values for a column its schema does not have.
    #[error("the schema has {columns} columns: there is no column {index}")]
    NoColumnIndex {
        /// The index asked for, from 0.
        index: usize,
        /// Columns in the schema.
        columns: usize,
    },
    /// A [`crate::Batch`]'s columns do not all hold the same number of rows.
    #[error("column `{column}` of the batch has {rows} rows, its first column {expected}")]
    Ragged {
        /// The first column whose length differs from the first column's.
        column: &'static str,
        /// Its rows.
        rows: usize,
        /// The first column's rows.
        expected: usize,
    },
    /// A [`crate::Batch`] of another schema than the writer's.
    #[error("the batch's schema is not the table's")]
    BatchSchema,
    /// An earlier I/O or Parquet error left the writer's output incomplete.
    #[error("the table writer failed earlier and cannot go on")]
    Failed,
}

impl TableError {
    /// Wraps an error of the Parquet library, turning the I/O errors it
    /// carries back into [`TableError::Io`].
    pub(crate) fn parquet(action: &'static str, err: parquet::errors::ParquetError) -> Self {
        match err {
            parquet::errors::ParquetError::External(inner) => match inner.downcast::<io::Error>() {
                Ok(source) => TableError::Io {
                    action,
                    source: *source,
                },
                Err(other) => TableError::Parquet {
                    action,
                    source: other,
                },
            },
            other => TableError::Parquet {
                action,
                source: Box::new(other),
            },
        }
    }

    /// Wraps an I/O error.
    pub(crate) fn io(action: &'static str, source: io::Error) -> Self {
        TableError::Io { action, source }
    }
}

/// An error and its sources, joined by `: ` (the OS error a table error wraps, say), each
/// said once: how every reader of tables words a failure, whichever crate reports it.
#[must_use]
pub fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
