//! Error cases, and a property test of the round trip through both formats
//! with small row groups.

use proptest::prelude::*;

use crate::{
    Batch, Cell, Column, ColumnType, Format, OwnedCell, Schema, TableError, TableWriter,
    csv_header, csv_line, read_parquet,
};

fn schema() -> Schema {
    let columns = vec![
        Column::required("i32", ColumnType::Int32, ""),
        Column::nullable("i64", ColumnType::Int64, ""),
        Column::required("f64", ColumnType::Float64, ""),
        Column::nullable("flag", ColumnType::Bool, ""),
        Column::nullable("day", ColumnType::Date, ""),
        Column::required("text", ColumnType::Text, ""),
        Column::nullable("note", ColumnType::Text, ""),
    ];
    match Schema::new(columns) {
        Ok(s) => s,
        Err(e) => panic!("test schema: {e}"),
    }
}

fn good_row() -> [Cell<'static>; 7] {
    [
        Cell::Int32(1),
        Cell::Null,
        Cell::Float64(2.5),
        Cell::Bool(true),
        Cell::Date(0),
        Cell::Text("a"),
        Cell::Null,
    ]
}

fn writers() -> Vec<TableWriter<Vec<u8>>> {
    [Format::Parquet, Format::Csv]
        .into_iter()
        .map(|f| match TableWriter::new(Vec::new(), schema(), f, &[]) {
            Ok(w) => w,
            Err(e) => panic!("writer: {e}"),
        })
        .collect()
}

#[test]
fn wrong_arity_is_refused_and_the_writer_goes_on() {
    for mut w in writers() {
        assert!(w.write_row(&good_row()).is_ok());
        let short = &good_row()[..6];
        match w.write_row(short) {
            Err(TableError::Arity {
                row: 1,
                expected: 7,
                got: 6,
            }) => {}
            other => panic!("expected Arity, got {other:?}"),
        }
        let mut long = good_row().to_vec();
        long.push(Cell::Null);
        assert!(matches!(
            w.write_row(&long),
            Err(TableError::Arity { got: 8, .. })
        ));
        assert!(w.write_row(&good_row()).is_ok());
        assert_eq!(w.rows(), 2);
        assert!(w.finish().is_ok());
    }
}

#[test]
fn wrong_type_names_the_column() {
    for mut w in writers() {
        let mut row = good_row();
        row[4] = Cell::Int32(3); // a plain integer in the Date column
        match w.write_row(&row) {
            Err(TableError::WrongType {
                row: 0,
                column: "day",
                expected: ColumnType::Date,
                got: ColumnType::Int32,
            }) => {}
            other => panic!("expected WrongType, got {other:?}"),
        }
        let mut row = good_row();
        row[1] = Cell::Int32(3); // Int32 in the Int64 column
        let err = w.write_row(&row).err();
        assert!(
            matches!(err, Some(TableError::WrongType { column: "i64", .. })),
            "{err:?}"
        );
        let shown = err.map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            shown,
            "row 0, column `i64`: expected a Int64 value, got a Int32 value"
        );
        assert_eq!(w.rows(), 0);
    }
}

#[test]
fn null_in_required_column_names_the_column() {
    for mut w in writers() {
        let mut row = good_row();
        row[5] = Cell::Null;
        match w.write_row(&row) {
            Err(TableError::NullInRequired {
                row: 0,
                column: "text",
            }) => {}
            other => panic!("expected NullInRequired, got {other:?}"),
        }
    }
}

#[test]
fn schema_rejects_duplicate_and_empty_names() {
    let dup = Schema::new(vec![
        Column::required("a", ColumnType::Int32, ""),
        Column::required("b", ColumnType::Int32, ""),
        Column::nullable("a", ColumnType::Text, ""),
    ]);
    assert!(
        matches!(dup, Err(TableError::DuplicateColumn { name: "a" })),
        "{dup:?}"
    );
    let empty = Schema::new(vec![
        Column::required("a", ColumnType::Int32, ""),
        Column::required("", ColumnType::Int32, ""),
    ]);
    assert!(
        matches!(empty, Err(TableError::EmptyColumnName { index: 1 })),
        "{empty:?}"
    );
    assert!(matches!(Schema::new(vec![]), Err(TableError::NoColumns)));
}

/// A `Write` that fails after a budget of bytes.
struct Failing(usize);

impl std::io::Write for Failing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.0 {
            return Err(std::io::Error::other("disk full"));
        }
        self.0 -= buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn io_errors_are_io_with_the_os_message_only_in_the_source() {
    use std::error::Error as _;
    for format in [Format::Parquet, Format::Csv] {
        let mut w = match TableWriter::with_row_group_rows(Failing(100), schema(), format, &[], 10)
        {
            Ok(w) => w,
            Err(e) => panic!("{format:?}: {e}"),
        };
        let mut first = None;
        for _ in 0..100_000 {
            if let Err(e) = w.write_row(&good_row()) {
                first = Some(e);
                break;
            }
        }
        let err = match first {
            Some(e) => e,
            None => match w.finish() {
                Ok(_) => panic!("{format:?}: a 100-byte sink took the whole table"),
                Err(e) => {
                    assert!(matches!(e, TableError::Io { .. }), "{format:?}: {e:?}");
                    continue;
                }
            },
        };
        assert!(matches!(err, TableError::Io { .. }), "{format:?}: {err:?}");
        assert!(!err.to_string().contains("disk full"), "{err}");
        assert_eq!(
            err.source().map(|s| s.to_string()),
            Some("disk full".to_owned())
        );
        assert!(matches!(w.write_row(&good_row()), Err(TableError::Failed)));
        assert!(matches!(w.finish(), Err(TableError::Failed)));
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z ,\"\r\n]{0,8}",
        any::<String>(),
        Just("Kathy H., carer — \"eleven years\"\n".to_owned()),
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(-0.0),
        Just(f64::INFINITY),
        -1e6..1e6f64,
    ]
}

fn maybe<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
    f: fn(T) -> OwnedCell,
) -> impl Strategy<Value = OwnedCell> {
    prop_oneof![1 => Just(OwnedCell::Null), 3 => s.prop_map(f)]
}

fn row() -> impl Strategy<Value = Vec<OwnedCell>> {
    (
        any::<i32>().prop_map(OwnedCell::Int32),
        maybe(any::<i64>(), OwnedCell::Int64),
        float().prop_map(OwnedCell::Float64),
        maybe(any::<bool>(), OwnedCell::Bool),
        maybe(any::<i32>(), OwnedCell::Date),
        text().prop_map(OwnedCell::Text),
        maybe(text(), OwnedCell::Text),
    )
        .prop_map(|(a, b, c, d, e, f, g)| vec![a, b, c, d, e, f, g])
}

fn write(format: Format, rows: &[Vec<OwnedCell>], group: usize) -> Result<Vec<u8>, TableError> {
    let mut w =
        TableWriter::with_row_group_rows(Vec::new(), schema(), format, &[("k", "v")], group)?;
    let mut values = Vec::new();
    for row in rows {
        values.clear();
        values.extend(row.iter().map(OwnedCell::as_value));
        w.write_row(&values)?;
    }
    w.finish()
}

/// Fills `batch` with `rows`, column by column, each through the method of its type.
fn fill(batch: &mut Batch, rows: &[Vec<OwnedCell>]) -> Result<(), TableError> {
    fn pick<T>(
        rows: &[Vec<OwnedCell>],
        c: usize,
        f: fn(&OwnedCell) -> Option<T>,
    ) -> Vec<Option<T>> {
        rows.iter().map(|row| f(&row[c])).collect()
    }
    batch.int32(
        0,
        pick(rows, 0, |v| match v {
            OwnedCell::Int32(x) => Some(*x),
            _ => None,
        }),
    )?;
    batch.int64(
        1,
        pick(rows, 1, |v| match v {
            OwnedCell::Int64(x) => Some(*x),
            _ => None,
        }),
    )?;
    batch.float64(
        2,
        pick(rows, 2, |v| match v {
            OwnedCell::Float64(x) => Some(*x),
            _ => None,
        }),
    )?;
    batch.bool(
        3,
        pick(rows, 3, |v| match v {
            OwnedCell::Bool(x) => Some(*x),
            _ => None,
        }),
    )?;
    batch.date(
        4,
        pick(rows, 4, |v| match v {
            OwnedCell::Date(x) => Some(*x),
            _ => None,
        }),
    )?;
    for c in [5, 6] {
        batch.text(
            c,
            rows.iter().map(|row| match &row[c] {
                OwnedCell::Text(x) => Some(x.as_str()),
                _ => None,
            }),
        )?;
    }
    Ok(())
}

/// `rows` written in batches, the first `cuts[0]` rows in one, the next `cuts[1]` in the next,
/// and so on, the rest in a last batch.
fn write_in_batches(
    format: Format,
    rows: &[Vec<OwnedCell>],
    group: usize,
    cuts: &[usize],
) -> Result<Vec<u8>, TableError> {
    let mut w =
        TableWriter::with_row_group_rows(Vec::new(), schema(), format, &[("k", "v")], group)?;
    let mut batch = w.batch();
    let mut start = 0_usize;
    for &cut in cuts.iter().chain(std::iter::once(&usize::MAX)) {
        let end = start.saturating_add(cut).min(rows.len());
        fill(&mut batch, &rows[start..end])?;
        w.write_batch(&mut batch)?;
        assert_eq!(batch.rows(), 0, "a written batch is emptied");
        start = end;
    }
    assert_eq!(w.rows(), rows.len() as u64);
    w.finish()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Goal: a table written in batches is the table written row by row, byte for byte,
    /// whatever the batches and the row groups. Method: random rows (nulls, odd text, NaN),
    /// random row group sizes and random cuts into batches (empty ones too), in both formats.
    #[test]
    fn batches_write_the_bytes_rows_write(
        rows in proptest::collection::vec(row(), 0..120),
        group in 1usize..50,
        cuts in proptest::collection::vec(0usize..60, 0..6),
    ) {
        for format in [Format::Parquet, Format::Csv] {
            let by_rows = write(format, &rows, group);
            let by_batches = write_in_batches(format, &rows, group, &cuts);
            let (Ok(by_rows), Ok(by_batches)) = (by_rows, by_batches) else {
                return Err(TestCaseError::fail("a writer failed"));
            };
            prop_assert!(by_rows == by_batches, "{:?}: the bytes differ", format);
        }
    }

    #[test]
    fn parquet_and_csv_agree_on_random_rows(
        rows in proptest::collection::vec(row(), 0..120),
        group in 1usize..50,
    ) {
        let parquet = write(Format::Parquet, &rows, group);
        let csv = write(Format::Csv, &rows, group);
        let (Ok(parquet), Ok(csv)) = (parquet, csv) else {
            return Err(TestCaseError::fail("a writer failed"));
        };
        let back = read_parquet(parquet);
        let back = match back {
            Ok(b) => b,
            Err(e) => return Err(TestCaseError::fail(format!("reader: {e}"))),
        };
        prop_assert_eq!(&back.rows, &rows);
        prop_assert_eq!(back.metadata_value("k"), Some("v"));
        let mut expected = csv_header(&schema());
        for row in &rows {
            expected.push_str(&csv_line(row));
        }
        prop_assert_eq!(back.to_csv(), expected.clone());
        prop_assert_eq!(String::from_utf8(csv).ok(), Some(expected));
    }
}

#[test]
fn reader_refuses_a_column_type_it_never_writes() -> Result<(), Box<dyn std::error::Error>> {
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;
    let schema = parquet::schema::parser::parse_message_type(
        "message s { REQUIRED INT32 fine; OPTIONAL FLOAT single; }",
    )?;
    let writer = SerializedFileWriter::new(Vec::new(), Arc::new(schema), Default::default())?;
    let bytes = writer.into_inner()?;
    match read_parquet(bytes) {
        Err(TableError::UnsupportedColumn { column, .. }) => assert_eq!(column, "single"),
        other => panic!("expected UnsupportedColumn, got {other:?}"),
    }
    assert!(matches!(
        read_parquet(b"not a parquet file".to_vec()),
        Err(TableError::Parquet { .. })
    ));
    Ok(())
}

/// Goal: reading chosen rows (pages between them skipped) gives what reading everything
/// gives at those rows, in every column type, nulls included; and the scan and the bounds
/// agree with the values. Method: 60,000 rows in row groups of 25,000 (two pages a chunk, the
/// library's pages holding 20,000 rows), read whole and at scattered rows, runs and the last
/// row.
#[test]
fn chosen_rows_read_as_the_whole_group_reads_them() -> Result<(), TableError> {
    use crate::{ColumnValues, ParquetColumns};
    let rows = 60_000_usize;
    let group_rows = 25_000_usize;
    let mut w =
        TableWriter::with_row_group_rows(Vec::new(), schema(), Format::Parquet, &[], group_rows)?;
    let words = ["alpha", "beta", "gamma"];
    for i in 0..rows {
        let n = i32::try_from(i).unwrap_or(i32::MAX);
        let note = if i % 3 == 0 {
            Cell::Null
        } else {
            Cell::Text(words[i % 3])
        };
        w.write_row(&[
            Cell::Int32(n),
            if i % 5 == 0 {
                Cell::Null
            } else {
                Cell::Int64(i64::from(n) * 7)
            },
            Cell::Float64(f64::from(n) / 4.0),
            if i % 7 == 0 {
                Cell::Null
            } else {
                Cell::Bool(i % 2 == 0)
            },
            if i % 11 == 0 {
                Cell::Null
            } else {
                Cell::Date(n % 5000)
            },
            Cell::Text(words[i % 2]),
            note,
        ])?;
    }
    let bytes = w.finish()?;
    let mut whole = ParquetColumns::from_bytes(bytes.clone())?;
    let mut groups = Vec::new();
    while let Some(group) = whole.next_group() {
        groups.push(group?);
    }
    // A group read out of order, by a reader that read nothing before, holds the same values
    // (its text codes are its own reader's, so words are compared, not codes).
    let mut backwards = ParquetColumns::from_bytes(bytes.clone())?;
    let last = backwards.group(2)?;
    let words = |reader: &ParquetColumns, group: &crate::ColumnGroup| -> Vec<String> {
        let ColumnValues::Text(codes) = &group.values[5] else {
            panic!("a text column")
        };
        codes
            .iter()
            .map(|code| {
                code.map_or("null".to_string(), |c| {
                    reader.dictionary(5)[c as usize].clone()
                })
            })
            .collect()
    };
    assert_eq!(words(&backwards, &last), words(&whole, &groups[2]));
    assert_eq!(last.values[0], groups[2].values[0]);
    assert!(matches!(
        backwards.group(3),
        Err(TableError::NoRowGroup {
            index: 3,
            groups: 3
        })
    ));
    let mut chosen = ParquetColumns::from_bytes(bytes)?;
    assert_eq!(chosen.row_groups(), 3);
    for (g, group) in groups.iter().enumerate() {
        let last = chosen.group_rows(g) - 1;
        let at = [0, 1, 2, last / 3, last / 3 + 1, last * 5 / 6, last];
        let read = chosen.read_rows(g, &at)?;
        assert_eq!(read.rows, at.len());
        for (column, values) in read.values.iter().enumerate() {
            let full = &group.values[column];
            for (k, &row) in at.iter().enumerate() {
                let pick = |v: &ColumnValues, i: usize| {
                    format!(
                        "{:?}",
                        match v {
                            ColumnValues::Int32(x) | ColumnValues::Date(x) => format!("{:?}", x[i]),
                            ColumnValues::Int64(x) => format!("{:?}", x[i]),
                            ColumnValues::Float64(x) => format!("{:?}", x[i]),
                            ColumnValues::Bool(x) => format!("{:?}", x[i]),
                            ColumnValues::Text(x) => format!("{:?}", x[i]),
                        }
                    )
                };
                assert_eq!(
                    pick(values, k),
                    pick(full, row),
                    "group {g} column {column} row {row}"
                );
            }
        }
        let mut seen = Vec::new();
        chosen.scan_int32(g, 4, |row, day| seen.push((row, day)))?;
        let ColumnValues::Date(days) = &group.values[4] else {
            panic!("a date column")
        };
        let expected: Vec<(usize, i32)> = days
            .iter()
            .enumerate()
            .filter_map(|(r, d)| d.map(|d| (r, d)))
            .collect();
        assert_eq!(seen, expected);
        let low = i64::try_from(g * group_rows).unwrap_or(0);
        let high = i64::try_from(g * group_rows + last).unwrap_or(0);
        assert_eq!(chosen.int_bounds(g, 0), Some((low, high)));
    }
    // Rows out of order, or beyond the group, are refused, not read.
    assert!(chosen.read_rows(0, &[5, 4]).is_err());
    assert!(chosen.read_rows(2, &[group_rows]).is_err());
    assert!(chosen.scan_int32(0, 5, |_, _| {}).is_err());
    Ok(())
}

/// Reading ahead on a thread of its own hands out the same groups, the same codes and the
/// same dictionaries as reading in line, words first met in later groups included, and
/// recycled buffers change nothing. Method: 5,000 random rows in groups of 300, read both
/// ways, every group and every dictionary compared after each group.
#[test]
fn reading_ahead_gives_what_reading_in_line_gives() -> Result<(), Box<dyn std::error::Error>> {
    use crate::{ParquetColumns, RowGroups};
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let rows: Vec<Vec<OwnedCell>> = (0..5_000)
        .map(|_| row().new_tree(&mut runner).map(|tree| tree.current()))
        .collect::<Result<_, _>>()
        .map_err(|reason| reason.to_string())?;
    let bytes = write(Format::Parquet, &rows, 300)?;
    let mut in_line = ParquetColumns::from_bytes(bytes.clone())?;
    let mut ahead = ParquetColumns::from_bytes(bytes)?.read_ahead()?;
    let columns = in_line.columns().len();
    let mut groups = 0;
    loop {
        let (a, b) = (RowGroups::next_group(&mut in_line), ahead.next_group());
        let (Some(a), Some(b)) = (a, b) else {
            assert!(ahead.next_group().is_none(), "both end together");
            break;
        };
        let (a, b) = (a?, b?);
        // Compared as text: the random floats include NaN, which equals nothing.
        assert!(
            format!("{a:?}") == format!("{b:?}"),
            "group {groups} differs"
        );
        for column in 0..columns {
            assert_eq!(in_line.dictionary(column), ahead.dictionary(column));
        }
        in_line.recycle(a);
        ahead.recycle(b);
        groups += 1;
    }
    assert_eq!(groups, 17, "5,000 rows in groups of 300");
    assert!(ahead.dictionary(5).len() > 100, "words met in many groups");
    Ok(())
}

/// A file that fails to decode fails the same way read ahead: an error, not a table cut
/// short. Method: a valid file whose second half is overwritten with zeros.
#[test]
fn reading_ahead_reports_a_broken_group() -> Result<(), Box<dyn std::error::Error>> {
    use crate::ParquetColumns;
    let rows: Vec<Vec<OwnedCell>> = (0..2_000)
        .map(|i| {
            vec![
                OwnedCell::Int32(i),
                OwnedCell::Int64(i64::from(i)),
                OwnedCell::Float64(f64::from(i)),
                OwnedCell::Bool(i % 2 == 0),
                OwnedCell::Date(i),
                OwnedCell::Text(format!("word {i}")),
                OwnedCell::Null,
            ]
        })
        .collect();
    let mut bytes = write(Format::Parquet, &rows, 100)?;
    // Keep the footer (its length is the four bytes before the closing `PAR1`), break the
    // pages of the later groups.
    let n = bytes.len();
    let footer = u32::from_le_bytes([bytes[n - 8], bytes[n - 7], bytes[n - 6], bytes[n - 5]]);
    let end = n - 8 - usize::try_from(footer)?;
    for b in &mut bytes[end / 2..end] {
        *b = 0;
    }
    let mut ahead = ParquetColumns::from_bytes(bytes)?.read_ahead()?;
    let mut failed = false;
    while let Some(group) = ahead.next_group() {
        if group.is_err() {
            failed = true;
            break;
        }
    }
    assert!(failed, "a broken page is an error");
    assert!(ahead.next_group().is_none(), "and the reading stops there");
    Ok(())
}

/// Goal: a batch refuses what a row would be refused for, keeps nothing of a refused call,
/// and the writer refuses a batch that is not whole. Method: each mistake, then the batch
/// completed and written, and the table read back.
#[test]
fn a_batch_refuses_bad_columns_and_keeps_nothing_of_them() -> Result<(), Box<dyn std::error::Error>>
{
    let mut w = TableWriter::new(Vec::new(), schema(), Format::Parquet, &[])?;
    let mut batch = w.batch();
    assert!(matches!(
        batch.int64(0, [Some(1)]),
        Err(TableError::WrongType {
            column: "i32",
            expected: ColumnType::Int32,
            got: ColumnType::Int64,
            ..
        })
    ));
    assert!(matches!(
        batch.int32(7, [Some(1)]),
        Err(TableError::NoColumnIndex {
            index: 7,
            columns: 7
        })
    ));
    assert!(matches!(
        batch.int32(0, [Some(1), Some(2), None]),
        Err(TableError::NullInRequired {
            row: 2,
            column: "i32"
        })
    ));
    assert!(matches!(
        batch.text(5, [Some("kept?"), None]),
        Err(TableError::NullInRequired {
            row: 1,
            column: "text"
        })
    ));
    assert_eq!(batch.rows(), 0, "nothing of a refused call is kept");
    batch.int32(0, [Some(1), Some(2)])?;
    batch.int64(1, [None, Some(-3)])?;
    batch.float64(2, [Some(0.5), Some(1.5)])?;
    batch.bool(3, [Some(true), None])?;
    batch.date(4, [None, None])?;
    batch.text(5, [Some("a"), Some("")])?;
    assert!(matches!(
        w.write_batch(&mut batch),
        Err(TableError::Ragged {
            column: "note",
            rows: 0,
            expected: 2
        })
    ));
    let other = Schema::new(vec![Column::required("i32", ColumnType::Int32, "")])?;
    assert!(matches!(
        w.write_batch(&mut Batch::new(&other)),
        Err(TableError::BatchSchema)
    ));
    batch.text(6, [None, Some("n")])?;
    w.write_batch(&mut batch)?;
    let back = read_parquet(w.finish()?)?;
    assert_eq!(
        back.to_csv(),
        "i32,i64,f64,flag,day,text,note\n1,,0.5,true,,a,\n2,-3,1.5,,,\"\",n\n"
    );
    Ok(())
}

/// Goal: text chunks the crate encodes itself (see `dictionary`) are what the library reads:
/// whole, and at chosen rows through the page index (across page and row group boundaries),
/// with the pages, encodings and statistics of a dictionary chunk. Method: 50,000 rows in
/// groups of 40,000 (three pages of text each), written to a file and read back both ways;
/// the chunk's metadata as the library reads it.
#[test]
fn text_chunks_encoded_here_read_back_whole_and_by_page() -> Result<(), Box<dyn std::error::Error>>
{
    use crate::{ColumnValues, ParquetColumns};
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let rows = 50_000_usize;
    let words = ["alpha", "beta", "gamma", "delta", ""];
    let mut w =
        TableWriter::with_row_group_rows(Vec::new(), schema(), Format::Parquet, &[], 40_000)?;
    let mut batch = w.batch();
    let text = |i: usize| words[(i * 7 + i / 1000) % words.len()];
    let note = |i: usize| (!i.is_multiple_of(3)).then(|| words[i % 4]);
    batch.int32(0, (0..rows).map(|i| Some(i32::try_from(i).unwrap_or(0))))?;
    batch.int64(1, (0..rows).map(|_| None))?;
    batch.float64(2, (0..rows).map(|_| Some(0.5)))?;
    batch.bool(3, (0..rows).map(|_| None))?;
    batch.date(4, (0..rows).map(|_| None))?;
    batch.text(5, (0..rows).map(|i| Some(text(i))))?;
    batch.text(6, (0..rows).map(note))?;
    w.write_batch(&mut batch)?;
    let bytes = w.finish()?;

    let options = parquet::file::serialized_reader::ReadOptionsBuilder::new()
        .with_page_index()
        .build();
    let reader =
        SerializedFileReader::new_with_options(bytes::Bytes::from(bytes.clone()), options)?;
    let pages = reader
        .metadata()
        .page_index_for_row_group(0)
        .page_locations(5)
        .ok_or("an offset index")?
        .len();
    assert_eq!(pages, 3, "three pages of 16,384 rows at most");
    let chunk = reader.metadata().row_group(0).column(5);
    assert!(chunk.dictionary_page_offset().is_some());
    let statistics = chunk.statistics().ok_or("statistics")?;
    assert_eq!(statistics.min_bytes_opt(), Some(&b""[..]));
    assert_eq!(statistics.max_bytes_opt(), Some(&b"gamma"[..]));
    let note_chunk = reader.metadata().row_group(0).column(6);
    assert_eq!(
        note_chunk.statistics().and_then(|s| s.null_count_opt()),
        Some(13_334)
    );

    let path = std::env::temp_dir().join(format!(
        "hailsham-table-text-{}.parquet",
        std::process::id()
    ));
    std::fs::write(&path, &bytes)?;
    let mut whole = ParquetColumns::open(&path)?;
    let mut groups = Vec::new();
    while let Some(group) = whole.next_group() {
        groups.push(group?);
    }
    let mut chosen = ParquetColumns::open(&path)?;
    let _ = std::fs::remove_file(&path);
    let word = |columns: &ParquetColumns, c: usize, v: &ColumnValues, k: usize| match v {
        ColumnValues::Text(codes) => {
            codes[k].map(|code| columns.dictionary(c)[code as usize].clone())
        }
        other => panic!("a text column read as {other:?}"),
    };
    for (g, group) in groups.iter().enumerate() {
        let first = g * 40_000;
        for k in 0..group.rows {
            assert_eq!(
                word(&whole, 5, &group.values[5], k).as_deref(),
                Some(text(first + k))
            );
            assert_eq!(
                word(&whole, 6, &group.values[6], k).as_deref(),
                note(first + k)
            );
        }
        let last = group.rows - 1;
        let at: Vec<usize> = [0, 16_383, 16_384, 16_385, 32_768, last]
            .into_iter()
            .filter(|&r| r <= last)
            .collect();
        let read = chosen.read_rows(g, &at)?;
        for (k, &row) in at.iter().enumerate() {
            assert_eq!(
                word(&chosen, 5, &read.values[5], k).as_deref(),
                Some(text(first + row))
            );
            assert_eq!(
                word(&chosen, 6, &read.values[6], k).as_deref(),
                note(first + row)
            );
        }
    }
    Ok(())
}
