//! Column types, schemas and the values of one row.

use std::collections::HashSet;
use std::fmt;

use crate::TableError;

/// The type of a column.
///
/// | type      | Rust value        | Parquet                                   | CSV                     |
/// |-----------|-------------------|-------------------------------------------|-------------------------|
/// | `Int32`   | `i32`             | INT32, logical INTEGER(32, signed)        | decimal                 |
/// | `Int64`   | `i64`             | INT64, logical INTEGER(64, signed)        | decimal                 |
/// | `Float64` | `f64`             | DOUBLE                                    | shortest round trip     |
/// | `Bool`    | `bool`            | BOOLEAN                                   | `true` / `false`        |
/// | `Date`    | `i32` days since 1970-01-01 | INT32, logical DATE             | `YYYY-MM-DD`            |
/// | `Text`    | `&str` (UTF-8)    | BYTE_ARRAY, logical STRING, dictionary    | quoted when needed      |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// A signed 32-bit integer.
    Int32,
    /// A signed 64-bit integer.
    Int64,
    /// A 64-bit IEEE float.
    Float64,
    /// A boolean.
    Bool,
    /// A calendar date, as days since 1970-01-01 (proleptic Gregorian).
    Date,
    /// A UTF-8 string.
    Text,
}

impl ColumnType {
    /// The type's name as the crate prints it (`Int32`, `Text`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Int32 => "Int32",
            ColumnType::Int64 => "Int64",
            ColumnType::Float64 => "Float64",
            ColumnType::Bool => "Bool",
            ColumnType::Date => "Date",
            ColumnType::Text => "Text",
        }
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One column of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The column's name: the CSV header and the Parquet field name.
    pub name: &'static str,
    /// The type of its values.
    pub kind: ColumnType,
    /// Whether [`Cell::Null`] is allowed (Parquet OPTIONAL rather than REQUIRED).
    pub nullable: bool,
    /// What the column holds, for data dictionaries; not written to the file.
    pub doc: &'static str,
}

impl Column {
    /// A column that may not hold nulls.
    pub const fn required(name: &'static str, kind: ColumnType, doc: &'static str) -> Column {
        Column {
            name,
            kind,
            nullable: false,
            doc,
        }
    }

    /// A column that may hold nulls.
    pub const fn nullable(name: &'static str, kind: ColumnType, doc: &'static str) -> Column {
        Column {
            name,
            kind,
            nullable: true,
            doc,
        }
    }
}

/// An ordered list of uniquely named columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    columns: Vec<Column>,
}

impl Schema {
    /// Checks that there is at least one column, that no name is empty and
    /// that no name is used twice.
    pub fn new(columns: Vec<Column>) -> Result<Schema, TableError> {
        if columns.is_empty() {
            return Err(TableError::NoColumns);
        }
        let mut seen = HashSet::with_capacity(columns.len());
        for (index, column) in columns.iter().enumerate() {
            if column.name.is_empty() {
                return Err(TableError::EmptyColumnName { index });
            }
            if !seen.insert(column.name) {
                return Err(TableError::DuplicateColumn { name: column.name });
            }
        }
        Ok(Schema { columns })
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// A data dictionary of the columns as a Markdown table: name, type, whether it may be
    /// null, and what it holds. Documentation pages quote it so that a test can check them.
    pub fn markdown(&self) -> String {
        let mut out = String::from("| column | type | null | meaning |\n|---|---|---|---|\n");
        for column in &self.columns {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                column.name,
                column.kind.name().to_lowercase(),
                if column.nullable { "yes" } else { "no" },
                column.doc
            ));
        }
        out
    }

    /// Always false: a schema has at least one column.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Checks one row against the schema: arity, types and nullability.
    /// `row` is the index reported in errors.
    pub fn check_row(&self, row: u64, values: &[Cell<'_>]) -> Result<(), TableError> {
        if values.len() != self.columns.len() {
            return Err(TableError::Arity {
                row,
                expected: self.columns.len(),
                got: values.len(),
            });
        }
        for (column, value) in self.columns.iter().zip(values) {
            match value.kind() {
                None if !column.nullable => {
                    return Err(TableError::NullInRequired {
                        row,
                        column: column.name,
                    });
                }
                Some(got) if got != column.kind => {
                    return Err(TableError::WrongType {
                        row,
                        column: column.name,
                        expected: column.kind,
                        got,
                    });
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// One cell of a row: a value of its column, borrowed from the caller.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// No value (only in nullable columns).
    Null,
    /// For an [`ColumnType::Int32`] column.
    Int32(i32),
    /// For an [`ColumnType::Int64`] column.
    Int64(i64),
    /// For a [`ColumnType::Float64`] column.
    Float64(f64),
    /// For a [`ColumnType::Bool`] column.
    Bool(bool),
    /// For a [`ColumnType::Date`] column: days since 1970-01-01.
    Date(i32),
    /// For a [`ColumnType::Text`] column.
    Text(&'a str),
}

impl Cell<'_> {
    /// The column type this value belongs in, or `None` for [`Cell::Null`].
    pub fn kind(&self) -> Option<ColumnType> {
        match self {
            Cell::Null => None,
            Cell::Int32(_) => Some(ColumnType::Int32),
            Cell::Int64(_) => Some(ColumnType::Int64),
            Cell::Float64(_) => Some(ColumnType::Float64),
            Cell::Bool(_) => Some(ColumnType::Bool),
            Cell::Date(_) => Some(ColumnType::Date),
            Cell::Text(_) => Some(ColumnType::Text),
        }
    }

    /// An owned copy.
    pub fn to_owned_value(&self) -> OwnedCell {
        match *self {
            Cell::Null => OwnedCell::Null,
            Cell::Int32(v) => OwnedCell::Int32(v),
            Cell::Int64(v) => OwnedCell::Int64(v),
            Cell::Float64(v) => OwnedCell::Float64(v),
            Cell::Bool(v) => OwnedCell::Bool(v),
            Cell::Date(v) => OwnedCell::Date(v),
            Cell::Text(v) => OwnedCell::Text(v.to_owned()),
        }
    }
}

/// One value owning its text: what the reader gives back.
///
/// Equality is exact identity: floats compare by their bits, so `NaN` equals
/// a `NaN` of the same bits and `0.0` differs from `-0.0`. That is the
/// equality a round-trip test wants.
#[derive(Debug, Clone)]
pub enum OwnedCell {
    /// No value.
    Null,
    /// A signed 32-bit integer.
    Int32(i32),
    /// A signed 64-bit integer.
    Int64(i64),
    /// A 64-bit float.
    Float64(f64),
    /// A boolean.
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i32),
    /// A UTF-8 string.
    Text(String),
}

impl OwnedCell {
    /// A borrowed view, as [`crate::TableWriter::write_row`] takes it.
    pub fn as_value(&self) -> Cell<'_> {
        match self {
            OwnedCell::Null => Cell::Null,
            OwnedCell::Int32(v) => Cell::Int32(*v),
            OwnedCell::Int64(v) => Cell::Int64(*v),
            OwnedCell::Float64(v) => Cell::Float64(*v),
            OwnedCell::Bool(v) => Cell::Bool(*v),
            OwnedCell::Date(v) => Cell::Date(*v),
            OwnedCell::Text(v) => Cell::Text(v),
        }
    }
}

impl PartialEq for OwnedCell {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (OwnedCell::Null, OwnedCell::Null) => true,
            (OwnedCell::Int32(a), OwnedCell::Int32(b)) => a == b,
            (OwnedCell::Int64(a), OwnedCell::Int64(b)) => a == b,
            (OwnedCell::Float64(a), OwnedCell::Float64(b)) => a.to_bits() == b.to_bits(),
            (OwnedCell::Bool(a), OwnedCell::Bool(b)) => a == b,
            (OwnedCell::Date(a), OwnedCell::Date(b)) => a == b,
            (OwnedCell::Text(a), OwnedCell::Text(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for OwnedCell {}
