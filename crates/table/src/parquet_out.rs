//! The Parquet side: schema mapping, per-column buffers, row groups, and the
//! reader used by tests and tools.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use parquet::basic::{
    Compression, ConvertedType, IntType, LogicalType, Repetition, Type as PhysicalType,
};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::types::ColumnPath;
use parquet::schema::types::{ColumnDescPtr, ColumnDescriptor, Type};

use crate::dictionary::TextEncoder;
use crate::{Cell, ColumnType, OwnedCell, Schema, TableError};

/// Rows per Parquet row group. The writer buffers this many rows, column by
/// column, then encodes and writes them as one row group; so its memory is
/// bounded by one row group (a few MiB for a dozen columns), whatever the
/// length of the table. 131,072 is close to DuckDB's own 122,880 and gives
/// a 2-million-row table 16 row groups to read in parallel.
pub const ROW_GROUP_ROWS: usize = 131_072;

/// The Parquet schema of a table schema.
fn parquet_schema(schema: &Schema) -> Result<Type, TableError> {
    let build = |e| TableError::parquet("building the Parquet schema", e);
    let mut fields = Vec::with_capacity(schema.len());
    for column in schema.columns() {
        let (physical, logical, converted) = match column.kind {
            ColumnType::Int32 => (
                PhysicalType::INT32,
                Some(LogicalType::integer(32, true)),
                ConvertedType::INT_32,
            ),
            ColumnType::Int64 => (
                PhysicalType::INT64,
                Some(LogicalType::integer(64, true)),
                ConvertedType::INT_64,
            ),
            ColumnType::Float64 => (PhysicalType::DOUBLE, None, ConvertedType::NONE),
            ColumnType::Bool => (PhysicalType::BOOLEAN, None, ConvertedType::NONE),
            ColumnType::Date => (
                PhysicalType::INT32,
                Some(LogicalType::Date),
                ConvertedType::DATE,
            ),
            ColumnType::Text => (
                PhysicalType::BYTE_ARRAY,
                Some(LogicalType::String),
                ConvertedType::UTF8,
            ),
        };
        let repetition = if column.nullable {
            Repetition::OPTIONAL
        } else {
            Repetition::REQUIRED
        };
        let field = Type::primitive_type_builder(column.name, physical)
            .with_repetition(repetition)
            .with_logical_type(logical)
            .with_converted_type(converted)
            .build()
            .map_err(build)?;
        fields.push(Arc::new(field));
    }
    Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
        .map_err(build)
}

/// The values of one column of the current row group (or of a [`crate::Batch`]).
/// Nulls are not stored among the values: the definition levels (nullable
/// columns only) say which rows have one.
pub(crate) enum Values {
    Int32(Vec<i32>),
    Int64(Vec<i64>),
    Float64(Vec<f64>),
    Bool(Vec<bool>),
    /// Days since the epoch, like `Int32`.
    Date(Vec<i32>),
    /// All the strings end to end, and where each one ends.
    Text {
        bytes: Vec<u8>,
        ends: Vec<usize>,
    },
}

pub(crate) struct ColumnBuffer {
    pub(crate) values: Values,
    /// Definition levels, one per row: 1 for a value, 0 for a null. Empty
    /// for a required column.
    pub(crate) levels: Vec<i16>,
    pub(crate) nullable: bool,
}

impl ColumnBuffer {
    pub(crate) fn new(kind: ColumnType, nullable: bool) -> Self {
        let values = match kind {
            ColumnType::Int32 => Values::Int32(Vec::new()),
            ColumnType::Int64 => Values::Int64(Vec::new()),
            ColumnType::Float64 => Values::Float64(Vec::new()),
            ColumnType::Bool => Values::Bool(Vec::new()),
            ColumnType::Date => Values::Date(Vec::new()),
            ColumnType::Text => Values::Text {
                bytes: Vec::new(),
                ends: Vec::new(),
            },
        };
        ColumnBuffer {
            values,
            levels: Vec::new(),
            nullable,
        }
    }

    /// Appends a value already checked against the column.
    fn push(&mut self, value: &Cell<'_>) {
        if self.nullable {
            self.levels.push(i16::from(!matches!(value, Cell::Null)));
        }
        match (&mut self.values, *value) {
            (Values::Int32(v), Cell::Int32(x)) => v.push(x),
            (Values::Int64(v), Cell::Int64(x)) => v.push(x),
            (Values::Float64(v), Cell::Float64(x)) => v.push(x),
            (Values::Bool(v), Cell::Bool(x)) => v.push(x),
            (Values::Date(v), Cell::Date(x)) => v.push(x),
            (Values::Text { bytes, ends }, Cell::Text(s)) => {
                bytes.extend_from_slice(s.as_bytes());
                ends.push(bytes.len());
            }
            // A null (or, were the schema check skipped, a value of the
            // wrong type): no value stored.
            _ => {}
        }
    }

    fn levels(&self) -> Option<&[i16]> {
        self.nullable.then_some(self.levels.as_slice())
    }

    /// Encodes the buffered values into `writer` and empties the buffer,
    /// keeping its capacity.
    fn write_to(&mut self, writer: &mut ColumnWriter<'_>) -> Result<(), TableError> {
        let encode = |e| TableError::parquet("encoding a row group", e);
        let levels = self.nullable.then_some(self.levels.as_slice());
        match (&mut self.values, writer) {
            (Values::Int32(v) | Values::Date(v), ColumnWriter::Int32ColumnWriter(w)) => {
                w.write_batch(v, levels, None).map_err(encode)?;
                v.clear();
            }
            (Values::Int64(v), ColumnWriter::Int64ColumnWriter(w)) => {
                w.write_batch(v, levels, None).map_err(encode)?;
                v.clear();
            }
            (Values::Float64(v), ColumnWriter::DoubleColumnWriter(w)) => {
                w.write_batch(v, levels, None).map_err(encode)?;
                v.clear();
            }
            (Values::Bool(v), ColumnWriter::BoolColumnWriter(w)) => {
                w.write_batch(v, levels, None).map_err(encode)?;
                v.clear();
            }
            (Values::Text { bytes, ends }, ColumnWriter::ByteArrayColumnWriter(w)) => {
                let capacity = bytes.capacity();
                // One shared allocation; each value is a cheap slice of it.
                let all = Bytes::from(std::mem::replace(bytes, Vec::with_capacity(capacity)));
                let mut start = 0;
                let values: Vec<ByteArray> = ends
                    .iter()
                    .map(|&end| {
                        let value = ByteArray::from(all.slice(start..end));
                        start = end;
                        value
                    })
                    .collect();
                w.write_batch(&values, levels, None).map_err(encode)?;
                ends.clear();
            }
            _ => {
                return Err(TableError::Parquet {
                    action: "encoding a row group",
                    source: "column writer of an unexpected physical type".into(),
                });
            }
        }
        self.levels.clear();
        Ok(())
    }
}

/// Streams rows into a Parquet file, one row group at a time.
pub(crate) struct ParquetSink<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    /// Each column's descriptor, for the chunks the text encoder writes.
    descriptors: Vec<ColumnDescPtr>,
    buffers: Vec<ColumnBuffer>,
    buffered: usize,
    row_group_rows: usize,
    text: TextEncoder,
}

impl<W: Write + Send> ParquetSink<W> {
    pub(crate) fn new(
        out: W,
        schema: &Schema,
        metadata: &[(&str, &str)],
        row_group_rows: usize,
    ) -> Result<Self, TableError> {
        let key_values = metadata
            .iter()
            .map(|(k, v)| KeyValue::new((*k).to_owned(), (*v).to_owned()))
            .collect();
        // Dictionaries for text only: the text columns hold a few distinct words, which a
        // dictionary shrinks to a byte or two; numeric columns (ids, days) are mostly
        // distinct, where building a dictionary costs a hash per value and is then dropped.
        // Statistics per column chunk, not per page: readers skip row groups by them, and
        // page statistics cost a comparison per value for little.
        let mut builder = WriterProperties::builder()
            .set_writer_version(WriterVersion::PARQUET_1_0)
            .set_compression(Compression::SNAPPY)
            .set_dictionary_enabled(false)
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_max_row_group_row_count(Some(row_group_rows))
            .set_key_value_metadata(Some(key_values));
        for column in schema.columns() {
            if column.kind == ColumnType::Text {
                builder =
                    builder.set_column_dictionary_enabled(ColumnPath::from(column.name), true);
            }
        }
        let properties = builder.build();
        let writer =
            SerializedFileWriter::new(out, Arc::new(parquet_schema(schema)?), Arc::new(properties))
                .map_err(|e| TableError::parquet("starting the Parquet file", e))?;
        let buffers = schema
            .columns()
            .iter()
            .map(|c| ColumnBuffer::new(c.kind, c.nullable))
            .collect();
        let descriptors = writer.schema_descr().columns().to_vec();
        Ok(ParquetSink {
            writer,
            descriptors,
            buffers,
            buffered: 0,
            row_group_rows: row_group_rows.max(1),
            text: TextEncoder::default(),
        })
    }

    /// Buffers a row already checked against the schema, and writes a row
    /// group when the buffers are full.
    pub(crate) fn push(&mut self, row: &[Cell<'_>]) -> Result<(), TableError> {
        for (buffer, value) in self.buffers.iter_mut().zip(row) {
            buffer.push(value);
        }
        self.buffered += 1;
        if self.buffered >= self.row_group_rows {
            self.flush_row_group()?;
        }
        Ok(())
    }

    /// Buffers the rows of a batch already checked (schema, equal columns), writing a row
    /// group whenever the buffers are full: the groups split at the rows they would for the
    /// same rows pushed one by one.
    pub(crate) fn push_batch(&mut self, batch: &crate::Batch) -> Result<(), TableError> {
        let rows = batch.rows();
        // Where each column's next value is in the batch (nulls hold no value).
        let mut next = vec![0; self.buffers.len()];
        let mut start = 0;
        while start < rows {
            let take = (self.row_group_rows - self.buffered).min(rows - start);
            for ((buffer, column), next) in
                self.buffers.iter_mut().zip(&batch.columns).zip(&mut next)
            {
                *next += buffer.append(column, start..start + take, *next);
            }
            self.buffered += take;
            start += take;
            if self.buffered >= self.row_group_rows {
                self.flush_row_group()?;
            }
        }
        Ok(())
    }

    fn flush_row_group(&mut self) -> Result<(), TableError> {
        if self.buffered == 0 {
            return Ok(());
        }
        let encode = |e| TableError::parquet("writing a row group", e);
        let mut group = self.writer.next_row_group().map_err(encode)?;
        for (buffer, descriptor) in self.buffers.iter_mut().zip(&self.descriptors) {
            // Text is encoded here when it can be (see `dictionary`), else by the library.
            if let Values::Text { bytes, ends } = &mut buffer.values
                && let Some(chunk) = self
                    .text
                    .encode(
                        descriptor,
                        bytes,
                        ends,
                        buffer.nullable.then_some(&buffer.levels[..]),
                    )
                    .map_err(encode)?
            {
                group
                    .append_column(&chunk.bytes, chunk.close)
                    .map_err(encode)?;
                bytes.clear();
                ends.clear();
                buffer.levels.clear();
                continue;
            }
            let Some(mut column) = group.next_column().map_err(encode)? else {
                return Err(TableError::Parquet {
                    action: "writing a row group",
                    source: "the file has fewer columns than the schema".into(),
                });
            };
            debug_assert!(buffer.levels().is_none_or(|l| l.len() == self.buffered));
            buffer.write_to(column.untyped())?;
            column.close().map_err(encode)?;
        }
        group.close().map_err(encode)?;
        self.buffered = 0;
        Ok(())
    }

    /// Writes the last row group and the footer, and gives the output back.
    pub(crate) fn finish(mut self) -> Result<W, TableError> {
        self.flush_row_group()?;
        self.writer
            .into_inner()
            .map_err(|e| TableError::parquet("writing the Parquet footer", e))
    }
}

/// A column as the reader found it in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadColumn {
    /// The field name.
    pub name: String,
    /// Its type, from the physical and logical Parquet types.
    pub kind: ColumnType,
    /// Whether the field is OPTIONAL.
    pub nullable: bool,
}

/// A whole Parquet table read back into memory (for tests and small tools:
/// it holds every row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadTable {
    /// The columns, in file order.
    pub columns: Vec<ReadColumn>,
    /// The rows, each with one value per column.
    pub rows: Vec<Vec<OwnedCell>>,
    /// The file's key-value metadata, in file order (a key without a value
    /// reads as the empty string).
    pub metadata: Vec<(String, String)>,
}

impl ReadTable {
    /// The value of a key of the key-value metadata.
    pub fn metadata_value(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The table as the CSV writer would have written it: header and rows.
    pub fn to_csv(&self) -> String {
        let mut out = Vec::new();
        for (i, column) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            crate::csv::push_text(&mut out, &column.name);
        }
        out.push(b'\n');
        let mut values = Vec::with_capacity(self.columns.len());
        for row in &self.rows {
            values.clear();
            values.extend(row.iter().map(OwnedCell::as_value));
            crate::csv::push_line(&mut out, &values);
        }
        crate::csv::into_string(out)
    }
}

/// Reads a Parquet file written by this crate (or any flat file of the same
/// column types) with the Parquet library's own reader.
pub fn read_parquet_file(path: impl AsRef<Path>) -> Result<ReadTable, TableError> {
    let file =
        std::fs::File::open(path).map_err(|e| TableError::io("opening the Parquet file", e))?;
    read_from(file)
}

/// Reads Parquet bytes held in memory; see [`read_parquet_file`].
pub fn read_parquet(bytes: impl Into<Vec<u8>>) -> Result<ReadTable, TableError> {
    read_from(Bytes::from(bytes.into()))
}

/// The column type of a leaf of a Parquet schema, if it is one of ours.
pub(crate) fn column_kind(descr: &ColumnDescriptor) -> Option<ColumnType> {
    let Type::PrimitiveType { physical_type, .. } = descr.self_type() else {
        return None;
    };
    let converted = descr.converted_type();
    let integer = |t: &IntType, bits| t.bit_width == bits && t.is_signed;
    match (*physical_type, descr.logical_type_ref()) {
        (PhysicalType::INT32, Some(LogicalType::Date)) => Some(ColumnType::Date),
        (PhysicalType::INT32, Some(LogicalType::Integer(t))) if integer(t, 32) => {
            Some(ColumnType::Int32)
        }
        (PhysicalType::INT32, None) => match converted {
            ConvertedType::NONE | ConvertedType::INT_32 => Some(ColumnType::Int32),
            ConvertedType::DATE => Some(ColumnType::Date),
            _ => None,
        },
        (PhysicalType::INT64, Some(LogicalType::Integer(t))) if integer(t, 64) => {
            Some(ColumnType::Int64)
        }
        (PhysicalType::INT64, None)
            if matches!(converted, ConvertedType::NONE | ConvertedType::INT_64) =>
        {
            Some(ColumnType::Int64)
        }
        (PhysicalType::DOUBLE, None) => Some(ColumnType::Float64),
        (PhysicalType::BOOLEAN, None) => Some(ColumnType::Bool),
        (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)) => Some(ColumnType::Text),
        (PhysicalType::BYTE_ARRAY, None) if converted == ConvertedType::UTF8 => {
            Some(ColumnType::Text)
        }
        _ => None,
    }
}

/// The key-value metadata of a file, in file order (a key without a value reads as the empty
/// string).
pub(crate) fn metadata_pairs(
    file_metadata: &parquet::file::metadata::FileMetaData,
) -> Vec<(String, String)> {
    file_metadata
        .key_value_metadata()
        .map(|kvs| {
            kvs.iter()
                .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default()
}

fn read_from<R: parquet::file::reader::ChunkReader + 'static>(
    input: R,
) -> Result<ReadTable, TableError> {
    let decode = |e| TableError::parquet("reading the Parquet file", e);
    let reader = SerializedFileReader::new(input).map_err(decode)?;
    let file_metadata = reader.metadata().file_metadata();
    let metadata = metadata_pairs(file_metadata);
    let columns = read_columns_of(file_metadata)?;

    let mut rows = Vec::new();
    for row in reader.get_row_iter(None).map_err(decode)? {
        let row = row.map_err(decode)?;
        let mut values = Vec::with_capacity(columns.len());
        for ((_, field), column) in row.get_column_iter().zip(&columns) {
            let value = match (field, column.kind) {
                (Field::Null, _) => OwnedCell::Null,
                (Field::Int(v), ColumnType::Int32) => OwnedCell::Int32(*v),
                (Field::Long(v), ColumnType::Int64) => OwnedCell::Int64(*v),
                (Field::Double(v), ColumnType::Float64) => OwnedCell::Float64(*v),
                (Field::Bool(v), ColumnType::Bool) => OwnedCell::Bool(*v),
                (Field::Date(v), ColumnType::Date) => OwnedCell::Date(*v),
                (Field::Str(v), ColumnType::Text) => OwnedCell::Text(v.clone()),
                (other, kind) => {
                    return Err(TableError::UnsupportedColumn {
                        column: column.name.clone(),
                        detail: format!("a {kind} column read as {other:?}"),
                    });
                }
            };
            values.push(value);
        }
        rows.push(values);
    }
    Ok(ReadTable {
        columns,
        rows,
        metadata,
    })
}

/// The columns of a file the crate can read: flat, of one of its six types; anything else is
/// [`TableError::UnsupportedColumn`]. Both readers (the record reader and the column reader)
/// take a file's columns from here.
pub(crate) fn read_columns_of(
    file_metadata: &parquet::file::metadata::FileMetaData,
) -> Result<Vec<ReadColumn>, TableError> {
    let mut columns = Vec::new();
    for descr in file_metadata.schema_descr().columns() {
        let kind = column_kind(descr);
        let flat = descr.max_rep_level() == 0 && descr.path().parts().len() == 1;
        let (Some(kind), true) = (kind, flat) else {
            return Err(TableError::UnsupportedColumn {
                column: descr.path().string(),
                detail: format!("{:?} {:?}", descr.self_type(), descr.logical_type_ref()),
            });
        };
        columns.push(ReadColumn {
            name: descr.name().to_owned(),
            kind,
            nullable: descr.self_type().is_optional(),
        });
    }
    Ok(columns)
}
