//! A small columnar table writer: a schema of typed columns, rows streamed
//! in one at a time, written as Parquet or as CSV.
//!
//! The crate knows nothing of what the tables hold. A caller describes its
//! columns once ([`Schema`] of [`Column`]s, each a name, a [`ColumnType`], a
//! nullability and a line of documentation), opens a [`TableWriter`] over any
//! `Write + Send` in a [`Format`], hands it rows as slices of borrowed
//! [`Cell`]s, and calls [`TableWriter::finish`]. Each row is checked against
//! the schema (arity, types, nulls) before any of it is kept; a mismatch is a
//! [`TableError`] naming the row and the column, never a panic, and it leaves
//! the writer usable.
//!
//! For tests and small tools, [`read_parquet`] and [`read_parquet_file`]
//! read a file back with the Parquet library's own reader into a
//! [`ReadTable`] of [`OwnedCell`]s, and [`csv_header`], [`csv_line`] and
//! [`ReadTable::to_csv`] render rows exactly as the CSV writer does, so
//! that the two formats can be compared byte for byte.
//!
//! ```
//! use hailsham_table::{Column, ColumnType, Format, Schema, TableWriter, Cell};
//!
//! let schema = Schema::new(vec![
//!     Column::required("id", ColumnType::Int64, "who"),
//!     Column::nullable("born", ColumnType::Date, "day of birth"),
//!     Column::required("name", ColumnType::Text, "given name"),
//!     Column::required("height", ColumnType::Float64, "metres"),
//! ])?;
//! let mut table = TableWriter::new(Vec::new(), schema, Format::Csv, &[])?;
//! table.write_row(&[Cell::Int64(1), Cell::Date(-6393), Cell::Text("Kathy"), Cell::Float64(1.62)])?;
//! table.write_row(&[Cell::Int64(2), Cell::Null, Cell::Text("Tommy, D."), Cell::Float64(1.8)])?;
//! assert_eq!(table.rows(), 2);
//! // A wrong type is refused, and names its column.
//! let err = table.write_row(&[Cell::Int32(3), Cell::Null, Cell::Text(""), Cell::Float64(0.0)]);
//! assert!(err.is_err_and(|e| e.to_string().contains("`id`")));
//! let bytes = table.finish()?;
//! assert_eq!(
//!     String::from_utf8(bytes)?,
//!     "id,born,name,height\n1,1952-07-01,Kathy,1.62\n2,,\"Tommy, D.\",1.8\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Formats
//!
//! **Parquet.** Rows are buffered column by column and written as a row
//! group every [`ROW_GROUP_ROWS`] rows, so the writer's memory is one row
//! group's worth whatever the length of the table; the footer goes out in
//! `finish`. Int32 and Int64 are INT32/INT64 with the signed INTEGER
//! logical type, Float64 is DOUBLE, Bool is BOOLEAN, Date is INT32 with the
//! DATE logical type, and Text is BYTE_ARRAY with the STRING logical type
//! (the legacy converted types are set too, for old readers). Nullable
//! columns are OPTIONAL with definition levels, others REQUIRED. Every
//! column is dictionary-encoded while its dictionary stays under the
//! library's 1 MiB page limit (it falls back to plain encoding past that),
//! pages are Snappy-compressed, page statistics are on, and the caller's
//! metadata pairs go into the file's key-value metadata. pyarrow and
//! DuckDB read every column with its type (DuckDB: INTEGER, BIGINT, DOUBLE,
//! BOOLEAN, DATE, VARCHAR); pandas gives int32/int64/float64/bool for
//! required columns, float64 for nullable integers and object for nullable
//! booleans (pyarrow's defaults), `datetime.date` objects for dates, and
//! typed columns throughout with `dtype_backend="pyarrow"`.
//!
//! **CSV.** A header line, then one line per row; see [`csv_line`] for the
//! rendering of each type. The bytes depend only on the rows; so do the
//! Parquet bytes, given one version of the Parquet library (whose name and
//! version are in the footer).
//!
//! # Design
//!
//! The main decision is to go through the Parquet library's low-level
//! column writer (`SerializedFileWriter`, one `ColumnWriter` per column per
//! row group) rather than build Arrow arrays and hand them to its
//! `ArrowWriter`. The table is already columnar in the writer's own
//! buffers (a `Vec` of values and a `Vec` of definition levels per column,
//! the strings of a Text column end to end in one allocation), which is
//! exactly what the column writer takes; Arrow would add a copy and a very
//! large dependency for nothing the tables need (they are flat, with six
//! primitive types). The cost is a schema mapping of a few dozen lines
//! written here rather than derived from an Arrow schema.
//!
//! Dependencies: `parquet` with `default-features = false` and only the
//! `snap` feature (no `arrow`, no other codecs), plus `bytes` (already
//! under `parquet`) and `thiserror`. A clean release build of this crate
//! and its dependencies (`cargo build -p hailsham-table --release` into an
//! empty target directory) took 57 s on the project's 2-core machine, most
//! of it the `parquet` crate alone; with `arrow` it is about 4 minutes.
//! Reading back (`SerializedFileReader`, the record API
//! `parquet::record::Row`) needs no feature at all.
//!
//! Compression is Snappy, which is pure Rust. Zstandard was measured as the
//! alternative: it needs a C build of libzstd (`zstd-sys`), took the clean
//! build from 57 s to 73 s, and on the 2-million-row, 12-column test table
//! gave 37.2 bytes a row against Snappy's 42.7 (13 % smaller) while writing
//! about 10 % slower. Not worth a C compiler in the build; the column
//! encodings (dictionary, run-length levels) do most of the shrinking.
//!
//! Measured in release on that machine: 2,000,000 rows of 12 columns write
//! to Parquet at about 2.5 million rows a second (42.7 bytes a row, for a
//! table with some incompressible random floats) and to CSV at about 1.9
//! million rows a second (185 bytes a row).
//!
//! # Memory
//!
//! The CSV writer holds one line and a 64 KiB buffer. The Parquet writer
//! holds one row group of values (at 12 columns, roughly 10 MiB plus the
//! text), and the Parquet library holds each column chunk's pages until
//! the chunk closes. What does grow with the table is the footer, which
//! the library keeps in memory until `finish`: the metadata, statistics and
//! page indexes of every column chunk, a few hundred bytes per column per
//! row group, so by estimate some 15 MiB for 200 million rows of 12
//! columns (1,526 row groups). That is part of the output, not a leak.
//!
//! The record reader, by contrast, builds the whole table in memory row by
//! row through the record API: for tests and small tools, not for analysis.
//! For analysis, [`ParquetColumns`] is the fast reader: the low-level typed
//! column readers, one row group at a time, text as codes into a dictionary
//! kept for the file; it reads the 2.2-million-row event log of an England
//! run in a fraction of a second, in the memory of one row group.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod ahead;
mod batch;
mod columns;
mod csv;
mod dictionary;
mod error;
mod parquet_out;
mod schema;
mod writer;

pub use ahead::{ReadAhead, RowGroups};
pub use batch::Batch;
pub use columns::{ColumnGroup, ColumnValues, ParquetColumns};
pub use csv::{civil_from_days, csv_header, csv_line, days_from_civil};
pub use error::{TableError, error_chain};
pub use parquet_out::{ROW_GROUP_ROWS, ReadColumn, ReadTable, read_parquet, read_parquet_file};
pub use schema::{Cell, Column, ColumnType, OwnedCell, Schema};
pub use writer::{Format, TableWriter};

#[cfg(test)]
mod tests;
