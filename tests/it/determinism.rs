//! Same scenario, seed and version: byte-identical files, whatever the number of threads.
//!
//! Method: run the binary twice on a small country, once on one thread and once on three,
//! and compare every file of the two output directories byte for byte.

use std::fs;
use std::path::Path;

use crate::cli::{hailsham, scratch};

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn one_thread_and_several_write_the_same_bytes() {
    let dir = scratch("determinism");
    let scenario = dir.join("small.toml");
    fs::write(
        &scenario,
        "base = \"novel.toml\"\n[homes]\npopulation_millions = 2.0\n",
    )
    .unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/novel.toml"),
        dir.join("novel.toml"),
    )
    .unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "3"] {
        let out = dir.join(format!("out-{threads}"));
        let result = hailsham(&[
            "run",
            scenario.to_str().unwrap(),
            "--replicates",
            "4",
            "--seed",
            "7",
            "--threads",
            threads,
            "--quiet",
            "--log",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(result.code, 0, "{}", result.stderr);
        outputs.push((result.stdout, files(&out)));
    }
    let (stdout_1, files_1) = &outputs[0];
    let (stdout_3, files_3) = &outputs[1];
    assert_eq!(
        stdout_1, stdout_3,
        "the printed table differs with the thread count"
    );
    let names: Vec<&str> = files_1.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "log-000.parquet",
            "log-001.parquet",
            "log-002.parquet",
            "log-003.parquet",
            "metadata.json",
            "people-000.parquet",
            "people-001.parquet",
            "people-002.parquet",
            "people-003.parquet",
            "series.parquet",
            "summary.json"
        ]
    );
    for ((name, a), (_, b)) in files_1.iter().zip(files_3) {
        assert!(a == b, "{name} differs between one thread and three");
    }
    // Different seeds give different worlds.
    let out = dir.join("out-seed-8");
    let result = hailsham(&[
        "run",
        scenario.to_str().unwrap(),
        "-r",
        "4",
        "--seed",
        "8",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.code, 0);
    assert_ne!(
        fs::read(out.join("series.parquet")).unwrap(),
        files_1
            .iter()
            .find(|(n, _)| n == "series.parquet")
            .unwrap()
            .1
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_summary_is_the_same_with_or_without_person_records() {
    let dir = scratch("records");
    let (with, without) = (dir.join("with"), dir.join("without"));
    for (out, extra) in [(&with, None), (&without, Some("--no-records"))] {
        let mut args = vec![
            "run",
            "novel",
            "--until",
            "1985",
            "-r",
            "2",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let result = hailsham(&args);
        assert_eq!(result.code, 0, "{}", result.stderr);
    }
    assert_eq!(
        fs::read(with.join("summary.json")).unwrap(),
        fs::read(without.join("summary.json")).unwrap()
    );
    assert_eq!(
        fs::read(with.join("series.parquet")).unwrap(),
        fs::read(without.join("series.parquet")).unwrap()
    );
    assert!(
        with.join("people-000.parquet").exists() && !without.join("people-000.parquet").exists()
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Goal: `--format csv` writes what the Parquet files hold. Method: one run written both ways;
/// every Parquet table (series, records, log), read back with the parquet crate's own reader
/// and rendered as CSV, equals its CSV file byte for byte; the footer names the run.
#[test]
fn parquet_tables_read_back_as_their_csv_twins() {
    let dir = scratch("formats");
    let (parquet, csv) = (dir.join("parquet"), dir.join("csv"));
    for (out, format) in [(&parquet, "parquet"), (&csv, "csv")] {
        let result = hailsham(&[
            "run",
            "novel",
            "--until",
            "1990",
            "-r",
            "2",
            "--seed",
            "3",
            "-q",
            "--log",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(result.code, 0, "{}", result.stderr);
    }
    assert_eq!(
        fs::read(parquet.join("summary.json")).unwrap(),
        fs::read(csv.join("summary.json")).unwrap()
    );
    for stem in ["series", "people-000", "people-001", "log-000", "log-001"] {
        let table = hailsham_table::read_parquet_file(parquet.join(format!("{stem}.parquet")))
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert!(table.rows.len() > 40, "{stem} has rows");
        assert_eq!(table.metadata_value("seed"), Some("3"), "{stem}");
        assert_eq!(table.metadata_value("scenario"), Some("novel"), "{stem}");
        let text = fs::read_to_string(csv.join(format!("{stem}.csv"))).unwrap();
        assert!(table.to_csv() == text, "{stem}: Parquet and CSV differ");
    }
    fs::remove_dir_all(&dir).unwrap();
}
