//! The fast reader: a Parquet file read a row group at a time, column by column, through the
//! Parquet library's low-level typed column readers (`get_column_reader` and
//! `read_records`), rather than row by row through its record API.
//!
//! The record API builds a `Row` of boxed `Field`s for every row, which costs a few hundred
//! nanoseconds a row; the column readers decode a page of values into a `Vec` at once. Text
//! columns come back as codes into a dictionary the reader keeps for the whole file (the same
//! word has the same code in every row group), so a word is interned once, not allocated per
//! row. [`ParquetColumns`] streams: it holds one row group's values at a time, so reading a
//! table of any length takes the memory of one row group.
//!
//! ```
//! use hailsham_table::{Column, ColumnType, ColumnValues, Format, ParquetColumns, Schema, TableWriter, Cell};
//!
//! let schema = Schema::new(vec![
//!     Column::required("id", ColumnType::Int32, "who"),
//!     Column::nullable("home", ColumnType::Text, "where from"),
//! ])?;
//! let mut table = TableWriter::new(Vec::new(), schema, Format::Parquet, &[])?;
//! table.write_row(&[Cell::Int32(1), Cell::Text("Hailsham")])?;
//! table.write_row(&[Cell::Int32(2), Cell::Null])?;
//! let mut reader = ParquetColumns::from_bytes(table.finish()?)?;
//! reader.select(&["home"])?;
//! let group = reader.next_group().expect("one row group")?;
//! let ColumnValues::Text(codes) = &group.values[0] else { panic!("a text column") };
//! assert_eq!(codes, &[Some(0), None]);
//! assert_eq!(reader.dictionary(1), ["Hailsham"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::path::Path;

use bytes::Bytes;
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType};
use parquet::file::reader::{FileReader, SerializedFileReader};

use crate::parquet_out::{metadata_pairs, read_columns_of};
use crate::{ColumnType, OwnedCell, ReadColumn, ReadTable, TableError};

/// The values of one column in one row group, a null as `None`.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    /// An Int32 column.
    Int32(Vec<Option<i32>>),
    /// An Int64 column.
    Int64(Vec<Option<i64>>),
    /// A Float64 column.
    Float64(Vec<Option<f64>>),
    /// A Bool column.
    Bool(Vec<Option<bool>>),
    /// A Date column: days since 1970-01-01.
    Date(Vec<Option<i32>>),
    /// A Text column: codes into the reader's dictionary of the column
    /// ([`ParquetColumns::dictionary`]).
    Text(Vec<Option<u32>>),
}

impl ColumnValues {
    /// Rows held.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            ColumnValues::Int32(v) | ColumnValues::Date(v) => v.len(),
            ColumnValues::Int64(v) => v.len(),
            ColumnValues::Float64(v) => v.len(),
            ColumnValues::Bool(v) => v.len(),
            ColumnValues::Text(v) => v.len(),
        }
    }

    /// Whether no rows are held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One row group's values of the selected columns, in the order of the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnGroup {
    /// Rows in the group.
    pub rows: usize,
    /// One entry per selected column.
    pub values: Vec<ColumnValues>,
}

/// Words of a text column, each given a code the first time it is met.
/// FNV-1a: the words are short and few, and a table of them needs no defence against
/// chosen keys.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

#[derive(Debug, Default)]
struct Interner {
    codes: HashMap<Box<[u8]>, u32, std::hash::BuildHasherDefault<Fnv>>,
    words: Vec<String>,
}

impl Interner {
    fn code(&mut self, bytes: &[u8], column: &str) -> Result<u32, TableError> {
        if let Some(&code) = self.codes.get(bytes) {
            return Ok(code);
        }
        let word = std::str::from_utf8(bytes).map_err(|e| TableError::UnsupportedColumn {
            column: column.to_owned(),
            detail: format!("a text value that is not UTF-8: {e}"),
        })?;
        let code = u32::try_from(self.words.len()).map_err(|_| TableError::UnsupportedColumn {
            column: column.to_owned(),
            detail: "more than 2^32 distinct words".to_owned(),
        })?;
        self.words.push(word.to_owned());
        self.codes.insert(bytes.into(), code);
        Ok(code)
    }
}

/// A Parquet file read column by column, one row group at a time: the fast reader. It reads
/// any flat file of the crate's six column types, as [`crate::read_parquet_file`] does.
pub struct ParquetColumns {
    reader: Box<dyn FileReader>,
    columns: Vec<ReadColumn>,
    selected: Vec<usize>,
    next: usize,
    dictionaries: Vec<Interner>,
    metadata: Vec<(String, String)>,
    /// Buffers reused from one row group to the next: the definition levels, the values of
    /// each physical type as the column readers give them, and the groups handed back by
    /// [`ParquetColumns::recycle`]. Reading a row group into fresh memory cost more in page
    /// faults than in decoding.
    levels: Vec<i16>,
    scratch: Scratch,
    spare: Vec<ColumnValues>,
}

#[derive(Default)]
struct Scratch {
    int32: Vec<i32>,
    int64: Vec<i64>,
    double: Vec<f64>,
    bool: Vec<bool>,
    bytes: Vec<ByteArray>,
}

impl std::fmt::Debug for ParquetColumns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetColumns")
            .field("columns", &self.columns)
            .field("selected", &self.selected)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

fn decode(e: parquet::errors::ParquetError) -> TableError {
    TableError::parquet("reading the Parquet file", e)
}

impl ParquetColumns {
    /// Opens the file at `path`; every column is selected.
    ///
    /// # Errors
    /// If the file cannot be opened, is not Parquet, or has a column of a type the crate does
    /// not read.
    pub fn open(path: impl AsRef<Path>) -> Result<ParquetColumns, TableError> {
        let file =
            std::fs::File::open(path).map_err(|e| TableError::io("opening the Parquet file", e))?;
        // The page index, where the file has one, places every page: a page no wanted row is
        // in is skipped without reading even its header (`read_rows`).
        let options = parquet::file::serialized_reader::ReadOptionsBuilder::new()
            .with_page_index()
            .build();
        let reader = SerializedFileReader::new_with_options(file, options).map_err(decode)?;
        Self::new(Box::new(reader))
    }

    /// Reads Parquet bytes held in memory; see [`ParquetColumns::open`].
    ///
    /// # Errors
    /// As [`ParquetColumns::open`].
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Result<ParquetColumns, TableError> {
        let reader = SerializedFileReader::new(Bytes::from(bytes.into())).map_err(decode)?;
        Self::new(Box::new(reader))
    }

    fn new(reader: Box<dyn FileReader>) -> Result<ParquetColumns, TableError> {
        let file_metadata = reader.metadata().file_metadata();
        let metadata = metadata_pairs(file_metadata);
        let columns = read_columns_of(file_metadata)?;
        let selected = (0..columns.len()).collect();
        let dictionaries = columns.iter().map(|_| Interner::default()).collect();
        Ok(ParquetColumns {
            reader,
            columns,
            selected,
            next: 0,
            dictionaries,
            metadata,
            levels: Vec::new(),
            scratch: Scratch::default(),
            spare: Vec::new(),
        })
    }

    /// Every column of the file, in file order.
    #[must_use]
    pub fn columns(&self) -> &[ReadColumn] {
        &self.columns
    }

    /// The position of column `name` in the file, if it has one.
    #[must_use]
    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Reads only the columns named, in that order, from the next row group on.
    ///
    /// # Errors
    /// [`TableError::NoSuchColumn`] for a name the file does not have.
    pub fn select(&mut self, names: &[&str]) -> Result<(), TableError> {
        let mut selected = Vec::with_capacity(names.len());
        for name in names {
            let Some(index) = self.position(name) else {
                return Err(TableError::NoSuchColumn {
                    column: (*name).to_owned(),
                });
            };
            selected.push(index);
        }
        self.selected = selected;
        Ok(())
    }

    /// Rows in the file.
    #[must_use]
    pub fn rows(&self) -> u64 {
        u64::try_from(self.reader.metadata().file_metadata().num_rows()).unwrap_or(0)
    }

    /// Row groups in the file.
    #[must_use]
    pub fn row_groups(&self) -> usize {
        self.reader.num_row_groups()
    }

    /// The file's key-value metadata, in file order (a key without a value reads as the
    /// empty string).
    #[must_use]
    pub fn metadata(&self) -> &[(String, String)] {
        &self.metadata
    }

    /// The value of a key of the key-value metadata.
    #[must_use]
    pub fn metadata_value(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The words of text column `column` (a position in the file) met so far, by code.
    #[must_use]
    pub fn dictionary(&self, column: usize) -> &[String] {
        self.dictionaries
            .get(column)
            .map_or(&[], |d| d.words.as_slice())
    }

    /// Hands a group's buffers back, so that the next row group is read into them rather than
    /// into fresh memory.
    pub fn recycle(&mut self, group: ColumnGroup) {
        self.spare = group.values;
    }

    /// Reads the next row group's selected columns; `None` after the last.
    pub fn next_group(&mut self) -> Option<Result<ColumnGroup, TableError>> {
        if self.next >= self.row_groups() {
            return None;
        }
        let index = self.next;
        self.next += 1;
        Some(self.read_group(index))
    }

    /// Row groups' rows, in file order: with [`ParquetColumns::row_groups`], where a row of
    /// the file lies.
    #[must_use]
    pub fn group_rows(&self, group: usize) -> usize {
        self.reader
            .metadata()
            .row_groups()
            .get(group)
            .map_or(0, |g| usize::try_from(g.num_rows()).unwrap_or(0))
    }

    /// The least and greatest value of integer column `column` (a position in the file) in
    /// row group `group`, from the statistics the writer kept; `None` where it kept none or
    /// the column has no value there. A reader looking for one value skips the groups whose
    /// bounds leave it out without reading them.
    #[must_use]
    pub fn int_bounds(&self, group: usize, column: usize) -> Option<(i64, i64)> {
        use parquet::file::statistics::Statistics;
        let chunk = self.reader.metadata().row_groups().get(group)?.columns();
        match chunk.get(column)?.statistics()? {
            Statistics::Int32(s) => Some((i64::from(*s.min_opt()?), i64::from(*s.max_opt()?))),
            Statistics::Int64(s) => Some((*s.min_opt()?, *s.max_opt()?)),
            _ => None,
        }
    }

    /// Reads the Int32 (or Date) column `column` (a position in the file) of row group
    /// `group` and hands each value present to `visit` with its row in the group, nulls
    /// skipped: a scan for rows that hold some values, without the `Option` per row of
    /// [`ParquetColumns::next_group`].
    ///
    /// # Errors
    /// If the group cannot be read, or the column is not an Int32 or Date column.
    pub fn scan_int32(
        &mut self,
        group: usize,
        column: usize,
        mut visit: impl FnMut(usize, i32),
    ) -> Result<(), TableError> {
        let info = self
            .columns
            .get(column)
            .ok_or_else(|| TableError::NoSuchColumn {
                column: format!("number {column}"),
            })?;
        let nullable = info.nullable;
        let name = info.name.clone();
        let reader = self.reader.get_row_group(group).map_err(decode)?;
        let rows = self.group_rows(group);
        let ColumnReader::Int32ColumnReader(r) =
            reader.get_column_reader(column).map_err(decode)?
        else {
            return Err(TableError::UnsupportedColumn {
                column: name,
                detail: "not an Int32 or Date column".to_owned(),
            });
        };
        let values = &mut self.scratch.int32;
        read_chunk(r, Rows::All(rows), nullable, &mut self.levels, values)?;
        if nullable {
            let mut dense = values.iter();
            for (row, &level) in self.levels.iter().enumerate() {
                if level > 0
                    && let Some(&value) = dense.next()
                {
                    visit(row, value);
                }
            }
        } else {
            for (row, &value) in values.iter().enumerate() {
                visit(row, value);
            }
        }
        Ok(())
    }

    /// Reads the selected columns of row group `group` at the rows `at` only (rows of the
    /// group, strictly increasing): the pages that hold none of them are skipped unread, the
    /// values between them are skipped undecoded. The group's values come in the order of
    /// `at`, its `rows` is `at.len()`.
    ///
    /// # Errors
    /// If the group cannot be read, or `at` is not strictly increasing within the group.
    pub fn read_rows(&mut self, group: usize, at: &[usize]) -> Result<ColumnGroup, TableError> {
        let rows = self.group_rows(group);
        if at.windows(2).any(|w| w[0] >= w[1]) || at.last().is_some_and(|&last| last >= rows) {
            return Err(TableError::Parquet {
                action: "reading rows of a Parquet file",
                source: format!(
                    "rows asked for are not increasing within the row group's {rows} rows"
                )
                .into(),
            });
        }
        self.read_group_rows(group, Rows::At(at))
    }

    /// Reads row group `index`'s selected columns, whatever was read before: several readers
    /// of one file, each reading its share of the groups, decode it in parallel. Text codes
    /// are this reader's ([`ParquetColumns::dictionary`]).
    ///
    /// # Errors
    /// A group that is not in the file, or that cannot be decoded.
    pub fn group(&mut self, index: usize) -> Result<ColumnGroup, TableError> {
        if index >= self.row_groups() {
            return Err(TableError::NoRowGroup {
                index,
                groups: self.row_groups(),
            });
        }
        self.read_group(index)
    }

    fn read_group(&mut self, index: usize) -> Result<ColumnGroup, TableError> {
        let rows = self.group_rows(index);
        self.read_group_rows(index, Rows::All(rows))
    }

    fn read_group_rows(&mut self, index: usize, want: Rows<'_>) -> Result<ColumnGroup, TableError> {
        let group = self.reader.get_row_group(index).map_err(decode)?;
        let rows = want.len();
        let mut spare = std::mem::take(&mut self.spare);
        spare.reverse();
        let mut values = Vec::with_capacity(self.selected.len());
        for &column in &self.selected {
            let reader = group.get_column_reader(column).map_err(decode)?;
            let info = &self.columns[column];
            let nullable = info.nullable;
            let levels = &mut self.levels;
            let scratch = &mut self.scratch;
            let reuse = spare.pop();
            let read = match (reader, info.kind) {
                (
                    ColumnReader::Int32ColumnReader(r),
                    kind @ (ColumnType::Int32 | ColumnType::Date),
                ) => {
                    read_chunk(r, want, nullable, levels, &mut scratch.int32)?;
                    let mut out = match reuse {
                        Some(ColumnValues::Int32(v) | ColumnValues::Date(v)) => v,
                        _ => Vec::new(),
                    };
                    spread(&scratch.int32, levels, nullable, &mut out);
                    if kind == ColumnType::Date {
                        ColumnValues::Date(out)
                    } else {
                        ColumnValues::Int32(out)
                    }
                }
                (ColumnReader::Int64ColumnReader(r), ColumnType::Int64) => {
                    read_chunk(r, want, nullable, levels, &mut scratch.int64)?;
                    let mut out = match reuse {
                        Some(ColumnValues::Int64(v)) => v,
                        _ => Vec::new(),
                    };
                    spread(&scratch.int64, levels, nullable, &mut out);
                    ColumnValues::Int64(out)
                }
                (ColumnReader::DoubleColumnReader(r), ColumnType::Float64) => {
                    read_chunk(r, want, nullable, levels, &mut scratch.double)?;
                    let mut out = match reuse {
                        Some(ColumnValues::Float64(v)) => v,
                        _ => Vec::new(),
                    };
                    spread(&scratch.double, levels, nullable, &mut out);
                    ColumnValues::Float64(out)
                }
                (ColumnReader::BoolColumnReader(r), ColumnType::Bool) => {
                    read_chunk(r, want, nullable, levels, &mut scratch.bool)?;
                    let mut out = match reuse {
                        Some(ColumnValues::Bool(v)) => v,
                        _ => Vec::new(),
                    };
                    spread(&scratch.bool, levels, nullable, &mut out);
                    ColumnValues::Bool(out)
                }
                (ColumnReader::ByteArrayColumnReader(r), ColumnType::Text) => {
                    read_chunk(r, want, nullable, levels, &mut scratch.bytes)?;
                    let mut codes = match reuse {
                        Some(ColumnValues::Text(v)) => v,
                        _ => Vec::new(),
                    };
                    codes.clear();
                    let dictionary = &mut self.dictionaries[column];
                    // Runs of one word are common (and, from a dictionary page, share their
                    // bytes): the last word's code is tried before the table.
                    let mut last: Option<(&[u8], u32)> = None;
                    let mut dense = scratch.bytes.iter();
                    if nullable {
                        for &level in levels.iter() {
                            codes.push(if level > 0 {
                                match dense.next() {
                                    Some(bytes) => {
                                        Some(code_of(bytes, &mut last, dictionary, &info.name)?)
                                    }
                                    None => None,
                                }
                            } else {
                                None
                            });
                        }
                    } else {
                        for bytes in dense {
                            codes.push(Some(code_of(bytes, &mut last, dictionary, &info.name)?));
                        }
                    }
                    ColumnValues::Text(codes)
                }
                (_, kind) => {
                    return Err(TableError::UnsupportedColumn {
                        column: info.name.clone(),
                        detail: format!("a {kind} column of another physical type"),
                    });
                }
            };
            if read.len() != rows {
                return Err(TableError::Parquet {
                    action: "reading the Parquet file",
                    source: format!(
                        "column `{}` has {} values in a row group of {rows} rows",
                        info.name,
                        read.len()
                    )
                    .into(),
                });
            }
            values.push(read);
        }
        Ok(ColumnGroup { rows, values })
    }

    /// Reads every remaining row group into one table of rows, as [`crate::read_parquet`]
    /// gives it (for tests and small tools; the selected columns only).
    ///
    /// # Errors
    /// As [`ParquetColumns::next_group`].
    pub fn read_all(mut self) -> Result<ReadTable, TableError> {
        let mut rows: Vec<Vec<OwnedCell>> = Vec::new();
        while let Some(group) = self.next_group() {
            let group = group?;
            let start = rows.len();
            rows.extend((0..group.rows).map(|_| Vec::with_capacity(self.selected.len())));
            for (values, &column) in group.values.iter().zip(&self.selected) {
                let words = self.dictionary(column);
                for (i, row) in rows[start..].iter_mut().enumerate() {
                    row.push(owned(values, i, words));
                }
            }
        }
        let columns = self
            .selected
            .iter()
            .map(|&c| self.columns[c].clone())
            .collect();
        Ok(ReadTable {
            columns,
            rows,
            metadata: self.metadata,
        })
    }
}

/// The code of a word, trying the last word's first.
fn code_of<'a>(
    bytes: &'a ByteArray,
    last: &mut Option<(&'a [u8], u32)>,
    dictionary: &mut Interner,
    column: &str,
) -> Result<u32, TableError> {
    let data = bytes.data();
    // Words decoded from a dictionary page share its bytes: the same address is the same
    // word, without comparing them.
    if let Some((previous, code)) = *last
        && (std::ptr::eq(previous, data) || previous == data)
    {
        return Ok(code);
    }
    let code = dictionary.code(data, column)?;
    *last = Some((data, code));
    Ok(code)
}

/// Row `i` of `values` as an owned value, its words from `words`.
fn owned(values: &ColumnValues, i: usize, words: &[String]) -> OwnedCell {
    let or_null = |v: Option<OwnedCell>| v.unwrap_or(OwnedCell::Null);
    match values {
        ColumnValues::Int32(v) => or_null(v[i].map(OwnedCell::Int32)),
        ColumnValues::Int64(v) => or_null(v[i].map(OwnedCell::Int64)),
        ColumnValues::Float64(v) => or_null(v[i].map(OwnedCell::Float64)),
        ColumnValues::Bool(v) => or_null(v[i].map(OwnedCell::Bool)),
        ColumnValues::Date(v) => or_null(v[i].map(OwnedCell::Date)),
        ColumnValues::Text(v) => or_null(
            v[i].and_then(|code| words.get(code as usize))
                .map(|w| OwnedCell::Text(w.clone())),
        ),
    }
}

/// Which rows of a column chunk to read.
#[derive(Copy, Clone)]
enum Rows<'a> {
    /// The first so many: the whole chunk.
    All(usize),
    /// These rows, strictly increasing.
    At(&'a [usize]),
}

impl Rows<'_> {
    fn len(self) -> usize {
        match self {
            Rows::All(rows) => rows,
            Rows::At(at) => at.len(),
        }
    }
}

/// Reads the rows `want` of a column chunk into `values` (the values present, end to end)
/// and, for a nullable column, `levels` (one definition level a row read). Rows not wanted
/// are skipped: a page that holds none of the wanted rows is passed over by its header,
/// without decompressing it.
fn read_chunk<T: DataType>(
    mut reader: ColumnReaderImpl<T>,
    want: Rows<'_>,
    nullable: bool,
    levels: &mut Vec<i16>,
    values: &mut Vec<T::T>,
) -> Result<(), TableError> {
    values.clear();
    levels.clear();
    let levels = if nullable { Some(levels) } else { None };
    match want {
        Rows::All(rows) => read_run(&mut reader, rows, levels, values),
        Rows::At(at) => {
            let mut levels = levels;
            let mut position = 0;
            let mut i = 0;
            while i < at.len() {
                // A run of consecutive rows is read at once.
                let start = at[i];
                let mut end = start + 1;
                i += 1;
                while i < at.len() && at[i] == end {
                    end += 1;
                    i += 1;
                }
                if start > position {
                    let skipped = reader.skip_records(start - position).map_err(decode)?;
                    if skipped < start - position {
                        break;
                    }
                }
                read_run(&mut reader, end - start, levels.as_deref_mut(), values)?;
                position = end;
            }
            Ok(())
        }
    }
}

/// Reads the next `count` rows of a chunk, appending to `levels` and `values`.
fn read_run<T: DataType>(
    reader: &mut ColumnReaderImpl<T>,
    count: usize,
    mut levels: Option<&mut Vec<i16>>,
    values: &mut Vec<T::T>,
) -> Result<(), TableError> {
    let mut read = 0;
    while read < count {
        let (records, _, _) = reader
            .read_records(count - read, levels.as_deref_mut(), None, values)
            .map_err(decode)?;
        if records == 0 {
            break;
        }
        read += records;
    }
    Ok(())
}

/// The values of a chunk spread out to one a row, `None` where the level says null.
fn spread<T: Copy>(values: &[T], levels: &[i16], nullable: bool, out: &mut Vec<Option<T>>) {
    out.clear();
    if !nullable {
        out.extend(values.iter().copied().map(Some));
        return;
    }
    let mut dense = values.iter().copied();
    out.extend(
        levels
            .iter()
            .map(|&level| if level > 0 { dense.next() } else { None }),
    );
}
