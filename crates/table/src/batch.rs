//! Rows handed over column by column: [`Batch`].
//!
//! [`crate::TableWriter::write_row`] takes a row of [`Cell`]s, checks each against its
//! column and appends it to its column's buffer: an enum built, matched twice and checked
//! for every value. A writer of millions of rows (the event log) spent more time there than
//! in encoding them. A batch is filled a column at a time from a typed iterator, the type and
//! nullability checked once per column and the values appended in a tight loop, then handed
//! to [`crate::TableWriter::write_batch`], which copies whole runs of values into the row
//! group's buffers. The file is the one the same rows written one by one would give: row
//! groups split at the same rows, whatever the batches.

use std::ops::Range;

use crate::parquet_out::{ColumnBuffer, Values};
use crate::{Cell, ColumnType, Schema, TableError};

/// Rows of a [`Schema`], given column by column.
///
/// Fill every column with the same number of values ([`Batch::int32`], [`Batch::text`] and
/// the others, one call or several per column), then hand the batch to
/// [`crate::TableWriter::write_batch`], which writes its rows and empties it (keeping its
/// capacity). A column given values of another type, or a null in a column that is not
/// nullable, is refused with nothing of that call kept; columns of unequal length are
/// refused by the writer.
///
/// ```
/// use hailsham_table::{Batch, Column, ColumnType, Format, Schema, TableWriter};
///
/// let schema = Schema::new(vec![
///     Column::required("id", ColumnType::Int32, "who"),
///     Column::nullable("note", ColumnType::Text, "a word"),
/// ])?;
/// let mut batch = Batch::new(&schema);
/// batch.int32(0, [1, 2, 3].map(Some))?;
/// batch.text(1, [Some("a"), None, Some("c")])?;
/// let mut table = TableWriter::new(Vec::new(), schema, Format::Csv, &[])?;
/// table.write_batch(&mut batch)?;
/// assert_eq!(batch.rows(), 0);
/// assert_eq!(String::from_utf8(table.finish()?)?, "id,note\n1,a\n2,\n3,c\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Batch {
    schema: Schema,
    pub(crate) columns: Vec<ColumnBuffer>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("columns", &self.columns.len())
            .field("rows", &self.rows())
            .finish()
    }
}

/// Appends `values` to a column of fixed-width values, with its definition levels if it is
/// nullable; on a null in a required column, takes back what this call appended.
fn extend<T>(
    out: &mut Vec<T>,
    levels: &mut Vec<i16>,
    nullable: bool,
    column: &'static str,
    values: impl IntoIterator<Item = Option<T>>,
) -> Result<(), TableError> {
    if nullable {
        for value in values {
            levels.push(i16::from(value.is_some()));
            if let Some(value) = value {
                out.push(value);
            }
        }
        return Ok(());
    }
    let start = out.len();
    for value in values {
        let Some(value) = value else {
            let row = (out.len() - start) as u64;
            out.truncate(start);
            return Err(TableError::NullInRequired { row, column });
        };
        out.push(value);
    }
    Ok(())
}

impl Batch {
    /// An empty batch of rows of `schema`.
    pub fn new(schema: &Schema) -> Batch {
        Batch {
            schema: schema.clone(),
            columns: schema
                .columns()
                .iter()
                .map(|c| ColumnBuffer::new(c.kind, c.nullable))
                .collect(),
        }
    }

    /// The schema the batch's rows follow.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Rows in the batch: the values of its first column (a writer checks that every column
    /// has as many).
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, ColumnBuffer::rows)
    }

    /// Empties the batch, keeping its capacity.
    pub fn clear(&mut self) {
        for column in &mut self.columns {
            column.truncate(0);
        }
    }

    /// The buffer of column `index`, if it is of type `kind`.
    fn column(
        &mut self,
        index: usize,
        kind: ColumnType,
    ) -> Result<(&'static str, &mut ColumnBuffer), TableError> {
        let Some(column) = self.schema.columns().get(index) else {
            return Err(TableError::NoColumnIndex {
                index,
                columns: self.schema.len(),
            });
        };
        if column.kind != kind {
            return Err(TableError::WrongType {
                row: self.columns[index].rows() as u64,
                column: column.name,
                expected: column.kind,
                got: kind,
            });
        }
        Ok((column.name, &mut self.columns[index]))
    }

    /// Appends `values` to fixed-width column `index`, which must be of type `kind`; `vector`
    /// finds the column's buffer of values of that type.
    fn fixed<T>(
        &mut self,
        index: usize,
        kind: ColumnType,
        values: impl IntoIterator<Item = Option<T>>,
        vector: fn(&mut Values) -> Option<&mut Vec<T>>,
    ) -> Result<(), TableError> {
        let (name, column) = self.column(index, kind)?;
        let ColumnBuffer {
            values: buffer,
            levels,
            nullable,
        } = column;
        let out = vector(buffer).expect("a column's buffer holds values of its type");
        extend(out, levels, *nullable, name, values)
    }

    /// Appends values to Int32 column `index` (`None` for a null).
    ///
    /// # Errors
    /// No such column, a column of another type, or a null in a required column
    /// ([`TableError::NullInRequired`], its `row` counted in the batch); nothing of the
    /// call is kept.
    pub fn int32(
        &mut self,
        index: usize,
        values: impl IntoIterator<Item = Option<i32>>,
    ) -> Result<(), TableError> {
        self.fixed(index, ColumnType::Int32, values, |buffer| match buffer {
            Values::Int32(out) => Some(out),
            _ => None,
        })
    }

    /// Appends values to Int64 column `index`; as [`Batch::int32`].
    ///
    /// # Errors
    /// As [`Batch::int32`].
    pub fn int64(
        &mut self,
        index: usize,
        values: impl IntoIterator<Item = Option<i64>>,
    ) -> Result<(), TableError> {
        self.fixed(index, ColumnType::Int64, values, |buffer| match buffer {
            Values::Int64(out) => Some(out),
            _ => None,
        })
    }

    /// Appends values to Float64 column `index`; as [`Batch::int32`].
    ///
    /// # Errors
    /// As [`Batch::int32`].
    pub fn float64(
        &mut self,
        index: usize,
        values: impl IntoIterator<Item = Option<f64>>,
    ) -> Result<(), TableError> {
        self.fixed(index, ColumnType::Float64, values, |buffer| match buffer {
            Values::Float64(out) => Some(out),
            _ => None,
        })
    }

    /// Appends values to Bool column `index`; as [`Batch::int32`].
    ///
    /// # Errors
    /// As [`Batch::int32`].
    pub fn bool(
        &mut self,
        index: usize,
        values: impl IntoIterator<Item = Option<bool>>,
    ) -> Result<(), TableError> {
        self.fixed(index, ColumnType::Bool, values, |buffer| match buffer {
            Values::Bool(out) => Some(out),
            _ => None,
        })
    }

    /// Appends values to Date column `index`, as days since 1970-01-01; as [`Batch::int32`].
    ///
    /// # Errors
    /// As [`Batch::int32`].
    pub fn date(
        &mut self,
        index: usize,
        values: impl IntoIterator<Item = Option<i32>>,
    ) -> Result<(), TableError> {
        self.fixed(index, ColumnType::Date, values, |buffer| match buffer {
            Values::Date(out) => Some(out),
            _ => None,
        })
    }

    /// Appends values to Text column `index`; as [`Batch::int32`].
    ///
    /// # Errors
    /// As [`Batch::int32`].
    pub fn text<'a>(
        &mut self,
        index: usize,
        values: impl IntoIterator<Item = Option<&'a str>>,
    ) -> Result<(), TableError> {
        let (name, column) = self.column(index, ColumnType::Text)?;
        let ColumnBuffer {
            values: Values::Text { bytes, ends },
            levels,
            nullable,
        } = column
        else {
            unreachable!("a Text column buffers text")
        };
        if *nullable {
            for value in values {
                levels.push(i16::from(value.is_some()));
                if let Some(value) = value {
                    bytes.extend_from_slice(value.as_bytes());
                    ends.push(bytes.len());
                }
            }
            return Ok(());
        }
        let (start, bytes_start) = (ends.len(), bytes.len());
        for value in values {
            let Some(value) = value else {
                let row = (ends.len() - start) as u64;
                ends.truncate(start);
                bytes.truncate(bytes_start);
                return Err(TableError::NullInRequired { row, column: name });
            };
            bytes.extend_from_slice(value.as_bytes());
            ends.push(bytes.len());
        }
        Ok(())
    }

    /// The rows of the batch, after checking that every column has as many.
    pub(crate) fn check_rows(&self) -> Result<usize, TableError> {
        let rows = self.rows();
        for (column, buffer) in self.schema.columns().iter().zip(&self.columns) {
            if buffer.rows() != rows {
                return Err(TableError::Ragged {
                    column: column.name,
                    rows: buffer.rows(),
                    expected: rows,
                });
            }
        }
        Ok(rows)
    }
}

impl ColumnBuffer {
    /// Rows buffered: a level each in a nullable column, a value each in a required one.
    pub(crate) fn rows(&self) -> usize {
        if self.nullable {
            self.levels.len()
        } else {
            self.values_len()
        }
    }

    /// Values buffered (nulls are not values).
    fn values_len(&self) -> usize {
        match &self.values {
            Values::Int32(v) | Values::Date(v) => v.len(),
            Values::Int64(v) => v.len(),
            Values::Float64(v) => v.len(),
            Values::Bool(v) => v.len(),
            Values::Text { ends, .. } => ends.len(),
        }
    }

    /// Keeps the first `rows` rows.
    pub(crate) fn truncate(&mut self, rows: usize) {
        let values = if self.nullable {
            self.levels.truncate(rows);
            self.levels.iter().filter(|&&level| level == 1).count()
        } else {
            rows
        };
        match &mut self.values {
            Values::Int32(v) | Values::Date(v) => v.truncate(values),
            Values::Int64(v) => v.truncate(values),
            Values::Float64(v) => v.truncate(values),
            Values::Bool(v) => v.truncate(values),
            Values::Text { bytes, ends } => {
                ends.truncate(values);
                bytes.truncate(ends.last().copied().unwrap_or(0));
            }
        }
    }

    /// Appends rows `rows` of `other` (a buffer of the same column), whose first value is
    /// value `first` of `other`; returns the values appended.
    pub(crate) fn append(
        &mut self,
        other: &ColumnBuffer,
        rows: Range<usize>,
        first: usize,
    ) -> usize {
        let count = if self.nullable {
            let levels = &other.levels[rows];
            self.levels.extend_from_slice(levels);
            levels.iter().filter(|&&level| level == 1).count()
        } else {
            rows.len()
        };
        let values = first..first + count;
        match (&mut self.values, &other.values) {
            (Values::Int32(to), Values::Int32(from)) | (Values::Date(to), Values::Date(from)) => {
                to.extend_from_slice(&from[values]);
            }
            (Values::Int64(to), Values::Int64(from)) => to.extend_from_slice(&from[values]),
            (Values::Float64(to), Values::Float64(from)) => to.extend_from_slice(&from[values]),
            (Values::Bool(to), Values::Bool(from)) => to.extend_from_slice(&from[values]),
            (
                Values::Text { bytes, ends },
                Values::Text {
                    bytes: from_bytes,
                    ends: from_ends,
                },
            ) => {
                let start = if first == 0 { 0 } else { from_ends[first - 1] };
                let end = if count == 0 {
                    start
                } else {
                    from_ends[first + count - 1]
                };
                let base = bytes.len();
                bytes.extend_from_slice(&from_bytes[start..end]);
                ends.extend(from_ends[values].iter().map(|&e| e - start + base));
            }
            _ => unreachable!("a batch's columns are the writer's columns"),
        }
        count
    }

    /// The value of row `row`, whose value (if not null) is value `*next`; moves `*next` on
    /// past it.
    pub(crate) fn value(&self, row: usize, next: &mut usize) -> Cell<'_> {
        if self.nullable && self.levels[row] == 0 {
            return Cell::Null;
        }
        let at = *next;
        *next += 1;
        match &self.values {
            Values::Int32(v) => Cell::Int32(v[at]),
            Values::Date(v) => Cell::Date(v[at]),
            Values::Int64(v) => Cell::Int64(v[at]),
            Values::Float64(v) => Cell::Float64(v[at]),
            Values::Bool(v) => Cell::Bool(v[at]),
            Values::Text { bytes, ends } => {
                let start = if at == 0 { 0 } else { ends[at - 1] };
                // The bytes of a str, whole: they were appended from one.
                Cell::Text(std::str::from_utf8(&bytes[start..ends[at]]).unwrap_or_default())
            }
        }
    }
}
