//! Writes a small table of every column type as `sample.parquet` and
//! `sample.csv` into the directory given (default: the current one), for
//! checking with other readers:
//!
//! ```text
//! cargo run -p hailsham-table --example sample -- /tmp
//! python3 -c "import pandas as pd; print(pd.read_parquet('/tmp/sample.parquet').dtypes)"
//! duckdb -c "DESCRIBE SELECT * FROM '/tmp/sample.parquet'"
//! ```

use std::fs::File;
use std::path::PathBuf;

use hailsham_table::{Cell, Column, ColumnType, Format, Schema, TableWriter, days_from_civil};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_owned()));
    let schema = Schema::new(vec![
        Column::required("id", ColumnType::Int64, "row number"),
        Column::required("kind", ColumnType::Int32, "a code"),
        Column::nullable("age", ColumnType::Int32, "an int or none"),
        Column::nullable("parent", ColumnType::Int64, "a row or none"),
        Column::required("score", ColumnType::Float64, "a float"),
        Column::required("alive", ColumnType::Bool, "a flag"),
        Column::nullable("known", ColumnType::Bool, "a flag or none"),
        Column::required("born", ColumnType::Date, "a date"),
        Column::nullable("died", ColumnType::Date, "a date or none"),
        Column::required("place", ColumnType::Text, "a string"),
        Column::nullable("note", ColumnType::Text, "a string or none"),
    ])?;
    let base = days_from_civil(1952, 7, 1).ok_or("date out of range")?;
    let places = ["Hailsham", "the Cottages", "Kingsfield, Dover"];
    let notes = ["plain", "with \"quotes\"", "two\nlines", "‘carer’ — 日本"];
    let metadata = [
        ("scenario_hash", "0123abcd"),
        ("seed", "7"),
        ("version", "0.1.0"),
    ];
    for (format, name) in [
        (Format::Parquet, "sample.parquet"),
        (Format::Csv, "sample.csv"),
    ] {
        let file = File::create(dir.join(name))?;
        let mut table = TableWriter::new(file, schema.clone(), format, &metadata)?;
        for i in 0..1000i64 {
            let n = i as i32;
            let some = i % 5 != 0;
            table.write_row(&[
                Cell::Int64(i),
                Cell::Int32(n % 7),
                if some {
                    Cell::Int32(n % 90)
                } else {
                    Cell::Null
                },
                if some { Cell::Int64(i / 2) } else { Cell::Null },
                Cell::Float64(f64::from(n) / 8.0),
                Cell::Bool(i % 2 == 0),
                if some {
                    Cell::Bool(i % 3 == 0)
                } else {
                    Cell::Null
                },
                Cell::Date(base + n * 13),
                if some {
                    Cell::Date(base + n * 29 + 10_000)
                } else {
                    Cell::Null
                },
                Cell::Text(places[i as usize % places.len()]),
                if some {
                    Cell::Text(notes[i as usize % notes.len()])
                } else {
                    Cell::Null
                },
            ])?;
        }
        table.finish()?;
    }
    Ok(())
}
