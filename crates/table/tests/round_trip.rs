//! A table of every column type, longer than two row groups, written as
//! Parquet and as CSV, read back and compared; metadata; determinism; and
//! an ignored throughput measure.

use std::time::Instant;

use hailsham_table::{
    Cell, Column, ColumnType, Format, OwnedCell, ROW_GROUP_ROWS, ReadColumn, Schema, TableError,
    TableWriter, csv_header, csv_line, read_parquet,
};

fn schema() -> Result<Schema, TableError> {
    Schema::new(vec![
        Column::required("id", ColumnType::Int64, "row number"),
        Column::required("kind", ColumnType::Int32, "small code"),
        Column::nullable("parent", ColumnType::Int64, "another row, or none"),
        Column::required("score", ColumnType::Float64, "a float"),
        Column::nullable("ratio", ColumnType::Float64, "a float or none"),
        Column::required("alive", ColumnType::Bool, "a flag"),
        Column::nullable("known", ColumnType::Bool, "a flag or none"),
        Column::required("born", ColumnType::Date, "a date"),
        Column::nullable("died", ColumnType::Date, "a date or none"),
        Column::required("place", ColumnType::Text, "a few distinct strings"),
        Column::nullable("note", ColumnType::Text, "awkward strings or none"),
        Column::nullable("age", ColumnType::Int32, "an int or none"),
    ])
}

const PLACES: [&str; 6] = [
    "Hailsham",
    "the Cottages",
    "Kingsfield",
    "Norfolk",
    "Dover, recovery centre",
    "Littlehampton",
];

const NOTES: [&str; 7] = [
    "",
    "plain",
    "with, comma",
    "with \"quotes\"",
    "two\nlines",
    "cr\r\nlf",
    "Kathy H. — ‘carer’ 日本",
];

/// splitmix64: a deterministic stream without a dependency.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Row `i`: every type, nulls in every nullable column some of the time.
fn row(i: u64) -> [Cell<'static>; 12] {
    let r = mix(i);
    let null = |bit: u32| (r >> bit) & 7 == 0;
    let or_null = |bit: u32, v: Cell<'static>| if null(bit) { Cell::Null } else { v };
    let days = (r % 40_000) as i32 - 20_000;
    [
        Cell::Int64(i as i64),
        Cell::Int32((r % 17) as i32 - 3),
        or_null(3, Cell::Int64((r >> 8) as i64 - (1 << 50))),
        Cell::Float64((r >> 11) as f64 / (1u64 << 53) as f64 * 100.0 - 50.0),
        or_null(6, Cell::Float64(f64::from_bits(r.rotate_left(17)) % 1e9)),
        Cell::Bool(r & 1 == 1),
        or_null(9, Cell::Bool(r & 2 == 2)),
        Cell::Date(days),
        or_null(12, Cell::Date(days + (r >> 40) as i32 % 30_000)),
        Cell::Text(PLACES[(r >> 20) as usize % PLACES.len()]),
        or_null(15, Cell::Text(NOTES[(r >> 24) as usize % NOTES.len()])),
        or_null(18, Cell::Int32((r >> 28) as i32 % 120)),
    ]
}

fn write(format: Format, rows: u64) -> Result<Vec<u8>, TableError> {
    let metadata = [
        ("scenario_hash", "abc123"),
        ("seed", "42"),
        ("version", "0.1.0"),
    ];
    let mut w = TableWriter::new(Vec::new(), schema()?, format, &metadata)?;
    for i in 0..rows {
        w.write_row(&row(i))?;
    }
    assert_eq!(w.rows(), rows);
    w.finish()
}

#[test]
fn every_type_round_trips_through_parquet_and_matches_csv() -> Result<(), Box<dyn std::error::Error>>
{
    let n = 300_000u64;
    assert!(n > 2 * ROW_GROUP_ROWS as u64);
    let parquet = write(Format::Parquet, n)?;
    let csv = String::from_utf8(write(Format::Csv, n)?)?;
    let back = read_parquet(parquet)?;

    let schema = schema()?;
    let expected_columns: Vec<ReadColumn> = schema
        .columns()
        .iter()
        .map(|c| ReadColumn {
            name: c.name.to_owned(),
            kind: c.kind,
            nullable: c.nullable,
        })
        .collect();
    assert_eq!(back.columns, expected_columns);
    assert_eq!(back.rows.len() as u64, n);

    let mut expected_csv = csv_header(&schema);
    let mut nulls = [0u64; 12];
    for (i, got) in back.rows.iter().enumerate() {
        let want: Vec<OwnedCell> = row(i as u64).iter().map(Cell::to_owned_value).collect();
        assert_eq!(got, &want, "row {i}");
        for (c, v) in want.iter().enumerate() {
            nulls[c] += u64::from(*v == OwnedCell::Null);
        }
        expected_csv.push_str(&csv_line(&want));
    }
    // Every nullable column had nulls, no required column did.
    for (c, column) in schema.columns().iter().enumerate() {
        assert_eq!(nulls[c] > 0, column.nullable, "{}", column.name);
    }
    assert!(csv == expected_csv, "CSV writer and csv_line differ");
    assert!(
        back.to_csv() == csv,
        "Parquet read back, rendered as CSV, differs from the CSV"
    );
    assert!(csv.contains("\"with \"\"quotes\"\"\""));
    assert!(csv.contains("\"two\nlines\""));
    assert!(csv.contains("\"Dover, recovery centre\""));
    assert!(csv.contains("日本"));
    Ok(())
}

#[test]
fn key_value_metadata_is_in_the_file() -> Result<(), Box<dyn std::error::Error>> {
    let back = read_parquet(write(Format::Parquet, 10)?)?;
    assert_eq!(back.metadata_value("scenario_hash"), Some("abc123"));
    assert_eq!(back.metadata_value("seed"), Some("42"));
    assert_eq!(back.metadata_value("version"), Some("0.1.0"));
    assert_eq!(back.metadata_value("absent"), None);
    Ok(())
}

#[test]
fn same_rows_same_bytes() -> Result<(), Box<dyn std::error::Error>> {
    for format in [Format::Parquet, Format::Csv] {
        let a = write(format, 150_000)?;
        let b = write(format, 150_000)?;
        assert!(
            a == b,
            "{format:?} output differs between two identical runs"
        );
        assert!(a != write(format, 149_999)?);
    }
    Ok(())
}

#[test]
fn an_empty_table_is_a_valid_file() -> Result<(), Box<dyn std::error::Error>> {
    let back = read_parquet(write(Format::Parquet, 0)?)?;
    assert_eq!(back.columns.len(), 12);
    assert!(back.rows.is_empty());
    let csv = String::from_utf8(write(Format::Csv, 0)?)?;
    assert_eq!(csv, csv_header(&schema()?));
    Ok(())
}

/// Throughput: `cargo test -p hailsham-table --release --test round_trip -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn throughput_two_million_rows() -> Result<(), Box<dyn std::error::Error>> {
    let n = 2_000_000u64;
    for format in [Format::Parquet, Format::Csv] {
        let start = Instant::now();
        let bytes = write(format, n)?;
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{format:?}: {n} rows x 12 columns in {secs:.2} s = {:.0} rows/s, {} bytes = {:.1} bytes/row",
            n as f64 / secs,
            bytes.len(),
            bytes.len() as f64 / n as f64
        );
    }
    Ok(())
}

/// The fast column reader gives, row for row and value for value, what the record reader
/// gives: every type, nulls in every nullable column, more than two row groups, the same
/// words under the same codes in every row group, and the metadata.
#[test]
fn the_column_reader_reads_what_the_record_reader_reads() -> Result<(), Box<dyn std::error::Error>>
{
    let n = 300_000u64;
    let parquet = write(Format::Parquet, n)?;
    let by_records = read_parquet(parquet.clone())?;
    let columns = hailsham_table::ParquetColumns::from_bytes(parquet.clone())?;
    assert_eq!(columns.rows(), n);
    assert!(columns.row_groups() > 2);
    assert_eq!(columns.metadata_value("seed"), Some("42"));
    let by_columns = columns.read_all()?;
    assert_eq!(by_columns.columns, by_records.columns);
    assert_eq!(by_columns.metadata, by_records.metadata);
    assert_eq!(by_columns.rows.len(), by_records.rows.len());
    for (i, (a, b)) in by_columns.rows.iter().zip(&by_records.rows).enumerate() {
        assert_eq!(a, b, "row {i}");
    }

    // A selection reads those columns only, in the order asked; the dictionary of a text
    // column holds each word once, whatever the row group.
    let mut selected = hailsham_table::ParquetColumns::from_bytes(parquet)?;
    selected.select(&["place", "id"])?;
    let place = selected.position("place").ok_or("a place column")?;
    let mut rows = 0;
    while let Some(group) = selected.next_group() {
        let group = group?;
        assert_eq!(group.values.len(), 2);
        let (hailsham_table::ColumnValues::Text(codes), hailsham_table::ColumnValues::Int64(ids)) =
            (&group.values[0], &group.values[1])
        else {
            panic!("text then int64");
        };
        for (code, id) in codes.iter().zip(ids) {
            let id = id.ok_or("ids are required")?;
            let word = &selected.dictionary(place)[code.ok_or("places are required")? as usize];
            assert_eq!(
                Some(&OwnedCell::Text(word.clone())),
                by_records.rows[usize::try_from(id)?].get(9)
            );
        }
        rows += group.rows;
    }
    assert_eq!(rows as u64, n);
    assert_eq!(selected.dictionary(place).len(), PLACES.len());
    assert!(matches!(
        selected.select(&["nowhere"]),
        Err(TableError::NoSuchColumn { .. })
    ));
    Ok(())
}
