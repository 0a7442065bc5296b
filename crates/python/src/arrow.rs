//! Tables as Arrow, handed to Python through the Arrow PyCapsule interface
//! (`__arrow_c_stream__`), so that `pyarrow.table(t)`, `polars.from_arrow(t)` and anything
//! else that speaks the interface take the columns without a copy.
//!
//! Two sources: the Parquet files a run writes (the same files the command line writes, read
//! back with hailsham-table's column reader: what Python sees is what the CLI wrote), and
//! columns built here from the runner's values (figures, parameters). Text columns read from
//! Parquet become dictionary arrays over the file's words (pandas gets categoricals, which is
//! what makes the England log reach a DataFrame fast); built columns are plain.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, ListBuilder};
use arrow_array::ffi::FFI_ArrowSchema;
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int32Array,
    Int64Array, RecordBatch, RecordBatchIterator, StringArray,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use hailsham_table::{ColumnType, ColumnValues, ParquetColumns};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};

/// A table of hailsham's: Arrow record batches with their schema, and a name for its repr.
#[pyclass(frozen, module = "hailsham._hailsham")]
pub struct Table {
    name: String,
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl Table {
    /// A table of `batches` (each of `schema`).
    pub fn new(name: &str, schema: SchemaRef, batches: Vec<RecordBatch>) -> Table {
        Table {
            name: name.to_string(),
            schema,
            batches,
        }
    }

    /// The Parquet file at `path`, read whole, with its key-value metadata (scenario, hash,
    /// seed, version) as the schema's.
    ///
    /// The row groups are decoded in parallel, each thread with a reader of its own over a
    /// contiguous share of them (the England log's 2.3 million rows are 18 groups, and
    /// decoding is most of the time a table takes to reach pandas). Each reader numbers the
    /// words of a text column as it meets them; the shares' words are then merged, in file
    /// order, into one dictionary a column, and each share's codes mapped onto it, so every
    /// batch shares one dictionary, as a single reader would have given.
    pub fn read_parquet(name: &str, path: &Path) -> Result<Table, String> {
        use rayon::prelude::*;
        let error = |e: hailsham_table::TableError| {
            format!(
                "reading {}: {}",
                path.display(),
                hailsham_table::error_chain(&e)
            )
        };
        let reader = ParquetColumns::open(path).map_err(error)?;
        let columns = reader.columns().to_vec();
        let metadata: HashMap<String, String> = reader.metadata().iter().cloned().collect();
        let groups = reader.row_groups();
        let shares = rayon::current_num_threads().clamp(1, groups.max(1));
        let bounds: Vec<(usize, usize)> = (0..shares)
            .map(|k| (groups * k / shares, groups * (k + 1) / shares))
            .collect();
        // Each share: its groups, and the words its reader met in each column.
        type Share = (Vec<hailsham_table::ColumnGroup>, Vec<Vec<String>>);
        let read: Vec<Share> = bounds
            .par_iter()
            .map(|&(first, end)| {
                let mut reader = ParquetColumns::open(path).map_err(error)?;
                let groups = (first..end)
                    .map(|g| reader.group(g).map_err(error))
                    .collect::<Result<Vec<_>, _>>()?;
                let words = (0..columns.len())
                    .map(|c| reader.dictionary(c).to_vec())
                    .collect();
                Ok::<Share, String>((groups, words))
            })
            .collect::<Result<_, _>>()?;
        // One dictionary a text column, words in the order the file first gives them; and
        // for each share, where each of its codes lands in it.
        let mut merged: Vec<Vec<String>> = vec![Vec::new(); columns.len()];
        let mut remaps: Vec<Vec<Vec<i32>>> = vec![Vec::new(); read.len()];
        for (column, words) in merged.iter_mut().enumerate() {
            let mut codes: HashMap<String, i32> = HashMap::new();
            for (share, (_, met)) in read.iter().enumerate() {
                let remap = met[column]
                    .iter()
                    .map(|word| {
                        let next = i32::try_from(words.len()).unwrap_or(i32::MAX);
                        *codes.entry(word.clone()).or_insert_with(|| {
                            words.push(word.clone());
                            next
                        })
                    })
                    .collect();
                remaps[share].push(remap);
            }
        }
        let words: Vec<Option<ArrayRef>> = columns
            .iter()
            .zip(&merged)
            .map(|(column, words)| {
                (column.kind == ColumnType::Text)
                    .then(|| Arc::new(StringArray::from_iter_values(words)) as ArrayRef)
            })
            .collect();
        let fields: Vec<Field> = columns
            .iter()
            .map(|column| {
                let kind = match column.kind {
                    ColumnType::Int32 => DataType::Int32,
                    ColumnType::Int64 => DataType::Int64,
                    ColumnType::Float64 => DataType::Float64,
                    ColumnType::Bool => DataType::Boolean,
                    ColumnType::Date => DataType::Date32,
                    ColumnType::Text => {
                        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
                    }
                };
                Field::new(&column.name, kind, column.nullable)
            })
            .collect();
        let schema = Arc::new(Schema::new_with_metadata(fields, metadata));
        let batches: Vec<RecordBatch> = read
            .into_par_iter()
            .zip(remaps)
            .flat_map_iter(|((groups, _), remap)| {
                let schema = Arc::clone(&schema);
                let words = &words;
                groups.into_iter().map(move |group| {
                    let arrays = group
                        .values
                        .into_iter()
                        .enumerate()
                        .map(|(c, values)| array(values, words[c].as_ref(), &remap[c]))
                        .collect::<Result<Vec<_>, _>>()?;
                    RecordBatch::try_new(Arc::clone(&schema), arrays)
                })
            })
            .collect::<Result<_, ArrowError>>()
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        Ok(Table::new(name, schema, batches))
    }

    fn rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// One column of one row group as an Arrow array; a text column's codes, mapped by `remap`,
/// index `words`.
fn array(
    values: ColumnValues,
    words: Option<&ArrayRef>,
    remap: &[i32],
) -> Result<ArrayRef, ArrowError> {
    Ok(match values {
        ColumnValues::Int32(v) => Arc::new(Int32Array::from(v)),
        ColumnValues::Int64(v) => Arc::new(Int64Array::from(v)),
        ColumnValues::Float64(v) => Arc::new(Float64Array::from(v)),
        ColumnValues::Bool(v) => Arc::new(BooleanArray::from(v)),
        ColumnValues::Date(v) => Arc::new(Date32Array::from(v)),
        ColumnValues::Text(codes) => {
            let keys = codes
                .into_iter()
                .map(|code| {
                    code.map(|code| {
                        usize::try_from(code)
                            .ok()
                            .and_then(|code| remap.get(code).copied())
                            .ok_or_else(|| {
                                ArrowError::ComputeError(format!("a word code {code} out of range"))
                            })
                    })
                    .transpose()
                })
                .collect::<Result<Int32Array, _>>()?;
            let words = words
                .cloned()
                .unwrap_or_else(|| Arc::new(StringArray::from(Vec::<&str>::new())));
            Arc::new(DictionaryArray::<Int32Type>::try_new(keys, words)?)
        }
    })
}

/// Columns built one at a time, for the tables made from values rather than read.
#[derive(Default)]
pub struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
    metadata: HashMap<String, String>,
}

impl Columns {
    /// A text column.
    pub fn text<S: AsRef<str>>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = Option<S>>,
    ) -> Columns {
        let array = StringArray::from_iter(values);
        self.fields
            .push(Field::new(name, DataType::Utf8, array.null_count() > 0));
        self.arrays.push(Arc::new(array));
        self
    }

    /// A column of numbers (NaN where a figure is undefined).
    pub fn float(mut self, name: &str, values: impl IntoIterator<Item = f64>) -> Columns {
        let array = Float64Array::from_iter_values(values);
        self.fields.push(Field::new(name, DataType::Float64, false));
        self.arrays.push(Arc::new(array));
        self
    }

    /// A column of whole numbers.
    pub fn int(mut self, name: &str, values: impl IntoIterator<Item = Option<i64>>) -> Columns {
        let array = Int64Array::from_iter(values);
        self.fields
            .push(Field::new(name, DataType::Int64, array.null_count() > 0));
        self.arrays.push(Arc::new(array));
        self
    }

    /// A column of flags.
    pub fn flag(mut self, name: &str, values: impl IntoIterator<Item = bool>) -> Columns {
        let array: BooleanArray = values.into_iter().map(Some).collect();
        self.fields.push(Field::new(name, DataType::Boolean, false));
        self.arrays.push(Arc::new(array));
        self
    }

    /// A column whose every row is a list of numbers (each replicate's value of a figure).
    pub fn floats(mut self, name: &str, values: impl IntoIterator<Item = Vec<f64>>) -> Columns {
        let mut builder = ListBuilder::new(Float64Builder::new());
        for row in values {
            builder.values().append_slice(&row);
            builder.append(true);
        }
        let array = builder.finish();
        self.fields
            .push(Field::new(name, array.data_type().clone(), false));
        self.arrays.push(Arc::new(array));
        self
    }

    /// A key-value pair of the table's metadata (the schema's).
    pub fn meta(mut self, key: &str, value: impl ToString) -> Columns {
        self.metadata.insert(key.to_string(), value.to_string());
        self
    }

    /// The table, named `name`.
    pub fn table(self, name: &str) -> PyResult<Table> {
        let schema = Arc::new(Schema::new_with_metadata(self.fields, self.metadata));
        let batch = RecordBatch::try_new(Arc::clone(&schema), self.arrays)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        Ok(Table::new(name, schema, vec![batch]))
    }
}

/// Rows shown by a table's repr.
const PREVIEW_ROWS: usize = 8;

/// One value of an array as text, for the repr.
fn cell(array: &dyn Array, row: usize) -> String {
    use arrow_array::cast::AsArray;
    if array.is_null(row) {
        return "null".to_string();
    }
    match array.data_type() {
        DataType::Int32 => array.as_primitive::<Int32Type>().value(row).to_string(),
        DataType::Int64 => array
            .as_primitive::<arrow_array::types::Int64Type>()
            .value(row)
            .to_string(),
        DataType::Float64 => {
            let x = array
                .as_primitive::<arrow_array::types::Float64Type>()
                .value(row);
            format!("{x}")
        }
        DataType::Boolean => array.as_boolean().value(row).to_string(),
        DataType::Date32 => {
            let days = array
                .as_primitive::<arrow_array::types::Date32Type>()
                .value(row);
            let (y, m, d) = hailsham_table::civil_from_days(days);
            format!("{y:04}-{m:02}-{d:02}")
        }
        DataType::Utf8 => array.as_string::<i32>().value(row).to_string(),
        DataType::Dictionary(_, _) => {
            let dictionary = array.as_dictionary::<Int32Type>();
            let key = usize::try_from(dictionary.keys().value(row)).unwrap_or(0);
            cell(dictionary.values().as_ref(), key)
        }
        DataType::List(_) => {
            let list = array.as_list::<i32>();
            let values = list.value(row);
            let shown: Vec<String> = (0..values.len().min(6))
                .map(|i| cell(values.as_ref(), i))
                .collect();
            let more = if values.len() > 6 { ", …" } else { "" };
            format!("[{}{more}]", shown.join(", "))
        }
        other => format!("<{other}>"),
    }
}

/// One value of an array as a Python object.
fn python_value<'py>(
    py: Python<'py>,
    array: &dyn Array,
    row: usize,
) -> PyResult<Bound<'py, PyAny>> {
    use arrow_array::cast::AsArray;
    use pyo3::IntoPyObjectExt;
    if array.is_null(row) {
        return Ok(py.None().into_bound(py));
    }
    match array.data_type() {
        DataType::Int32 => array
            .as_primitive::<Int32Type>()
            .value(row)
            .into_bound_py_any(py),
        DataType::Int64 => array
            .as_primitive::<arrow_array::types::Int64Type>()
            .value(row)
            .into_bound_py_any(py),
        DataType::Float64 => array
            .as_primitive::<arrow_array::types::Float64Type>()
            .value(row)
            .into_bound_py_any(py),
        DataType::Boolean => array.as_boolean().value(row).into_bound_py_any(py),
        DataType::Date32 => {
            let days = array
                .as_primitive::<arrow_array::types::Date32Type>()
                .value(row);
            let (y, m, d) = hailsham_table::civil_from_days(days);
            let year = i32::try_from(y).unwrap_or(1970);
            #[allow(clippy::cast_possible_truncation)]
            let date = pyo3::types::PyDate::new(py, year, m as u8, d as u8)?;
            Ok(date.into_any())
        }
        DataType::Utf8 => array.as_string::<i32>().value(row).into_bound_py_any(py),
        DataType::Dictionary(_, _) => {
            let dictionary = array.as_dictionary::<Int32Type>();
            let key = usize::try_from(dictionary.keys().value(row)).unwrap_or(0);
            python_value(py, dictionary.values().as_ref(), key)
        }
        DataType::List(_) => {
            let list = array.as_list::<i32>();
            let values = list.value(row);
            let items = (0..values.len())
                .map(|i| python_value(py, values.as_ref(), i))
                .collect::<PyResult<Vec<_>>>()?;
            items.into_bound_py_any(py)
        }
        other => format!("<{other}>").into_bound_py_any(py),
    }
}

/// `<hailsham.Table figures: 54 rows × 10 columns>` and its first rows, aligned.
fn preview(table: &Table) -> String {
    let rows = table.rows();
    let names: Vec<&str> = table
        .schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    let mut out = format!(
        "<hailsham.Table {}: {rows} row{} × {} column{}>\n",
        table.name,
        if rows == 1 { "" } else { "s" },
        names.len(),
        if names.len() == 1 { "" } else { "s" }
    );
    let mut grid: Vec<Vec<String>> = vec![names.iter().map(|n| (*n).to_string()).collect()];
    'batches: for batch in &table.batches {
        for row in 0..batch.num_rows() {
            if grid.len() > PREVIEW_ROWS {
                break 'batches;
            }
            grid.push(
                batch
                    .columns()
                    .iter()
                    .map(|column| {
                        let text = cell(column.as_ref(), row);
                        if text.chars().count() > 40 {
                            format!("{}…", text.chars().take(39).collect::<String>())
                        } else {
                            text
                        }
                    })
                    .collect(),
            );
        }
    }
    let widths: Vec<usize> = (0..names.len())
        .map(|c| grid.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &grid {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(text, width)| format!("{text:<width$}"))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    if rows > PREVIEW_ROWS {
        let _ = writeln!(out, "… {} more rows", rows - PREVIEW_ROWS);
    }
    out.trim_end().to_string()
}

#[pymethods]
impl Table {
    /// The table as an Arrow C stream in a PyCapsule (the Arrow PyCapsule interface).
    /// `requested_schema` is accepted and not followed: the interface lets a producer keep
    /// its own schema, and the consumer casts.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let batches: Vec<Result<RecordBatch, ArrowError>> =
            self.batches.iter().cloned().map(Ok).collect();
        let reader = RecordBatchIterator::new(batches, Arc::clone(&self.schema));
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        // The consumer moves the stream out of the capsule and marks it released; one never
        // consumed is released when the capsule is dropped (FFI_ArrowArrayStream's Drop).
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The table's schema as an Arrow C schema in a PyCapsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.schema.as_ref())
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        PyCapsule::new_with_value(py, schema, c"arrow_schema")
    }

    /// What the table holds: `figures`, `series`, `people 0`, `log 0`, `params`...
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// Rows in the table.
    #[getter]
    fn num_rows(&self) -> usize {
        self.rows()
    }

    /// The columns' names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// The table's metadata: what ran (scenario, scenario_hash, seed, version).
    #[getter]
    fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        let mut pairs: Vec<(&String, &String)> = self.schema.metadata().iter().collect();
        pairs.sort();
        for (key, value) in pairs {
            dict.set_item(key, value)?;
        }
        Ok(dict)
    }

    /// One column as a list of Python values (ints, floats, bools, strings, dates as
    /// `datetime.date`, lists of floats; None for a null): for small tables, without pyarrow.
    fn column<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let at = self.schema.index_of(name).map_err(|_| {
            pyo3::exceptions::PyKeyError::new_err(format!(
                "no column `{name}` in table {}: its columns are {}",
                self.name,
                self.column_names().join(", ")
            ))
        })?;
        let mut values = Vec::with_capacity(self.rows());
        for batch in &self.batches {
            let column = batch.column(at);
            for row in 0..batch.num_rows() {
                values.push(python_value(py, column.as_ref(), row)?);
            }
        }
        Ok(values)
    }

    /// The table as a `pyarrow.Table` (needs pyarrow).
    fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("pyarrow")?.call_method1("table", (slf,))
    }

    /// The table as a pandas DataFrame, through pyarrow (needs pandas and pyarrow): text
    /// columns read from Parquet become categoricals.
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::to_arrow(slf)?.call_method0("to_pandas")
    }

    /// The table as a polars DataFrame (needs polars). `polars.DataFrame(table)` reads the
    /// stream as a table; `polars.from_arrow` would read it as one column of structs.
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("polars")?.call_method1("DataFrame", (slf,))
    }

    fn __len__(&self) -> usize {
        self.rows()
    }

    fn __repr__(&self) -> String {
        preview(self)
    }
}
