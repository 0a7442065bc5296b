//! `hailsham sift` as a user types it: the same bytes on one thread and three, the same matches
//! live and from the stored log of the same run, and clear errors with their exit codes.

use std::path::Path;

use crate::cli::{hailsham, scratch};

/// A small country, so that a few replicates run in seconds.
fn small_scenario(dir: &Path) -> String {
    let path = dir.join("small.toml");
    std::fs::write(
        &path,
        "name = \"small\"\nbase = \"novel.toml\"\n\n[homes]\npopulation_millions = 6.0\n",
    )
    .expect("scenario written");
    path.display().to_string()
}

#[test]
fn sift_prints_the_same_bytes_on_one_thread_and_three() {
    let dir = scratch("sift-threads");
    let scenario = small_scenario(&dir);
    for format in ["text", "json"] {
        let run = |threads: &str| {
            let out = hailsham(&[
                "sift",
                "tommy",
                &scenario,
                "-r",
                "3",
                "--seed",
                "4",
                "-q",
                "--threads",
                threads,
                "--format",
                format,
                "--limit",
                "0",
            ]);
            assert_eq!(out.code, 0, "{}", out.stderr);
            out.stdout
        };
        let one = run("1");
        assert!(one == run("3"), "{format}: output differs with threads");
        if format == "text" {
            assert!(one.contains("distinct ?t per replicate"), "{one}");
            assert!(one.contains("95% interval"), "{one}");
            assert!(one.contains("--seed 4 --replicate "), "{one}");
        } else {
            let json: serde_json::Value = serde_json::from_str(&one).expect("JSON");
            assert_eq!(json["replicates"].as_array().map(Vec::len), Some(3));
            assert_eq!(json["pattern"]["counted"], "t");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The JSON of a sift without what names where the announcements came from.
fn matches_only(stdout: &str) -> serde_json::Value {
    let mut json: serde_json::Value = serde_json::from_str(stdout).expect("JSON");
    json.as_object_mut().map(|o| o.remove("source"));
    if let Some(ranked) = json["ranked"].as_array_mut() {
        for m in ranked {
            m.as_object_mut().map(|o| o.remove("life"));
        }
    }
    json
}

#[test]
fn sift_finds_the_same_lives_live_and_in_the_stored_log() {
    let dir = scratch("sift-log");
    let scenario = small_scenario(&dir);
    let out = dir.join("out");
    let out_text = out.display().to_string();
    let run = hailsham(&[
        "run", &scenario, "-r", "2", "--seed", "3", "-q", "--out", &out_text, "--log",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for pattern in ["narrator", "ruth", "tommy", "refused", "cared-for-partner"] {
        let live = hailsham(&[
            "sift", pattern, &scenario, "-r", "2", "--seed", "3", "-q", "--format", "json",
            "--limit", "0",
        ]);
        assert_eq!(live.code, 0, "{}", live.stderr);
        let stored = hailsham(&[
            "sift", pattern, "--log", &out_text, "--format", "json", "--limit", "0",
        ]);
        assert_eq!(stored.code, 0, "{}", stored.stderr);
        assert_eq!(
            matches_only(&live.stdout),
            matches_only(&stored.stdout),
            "{pattern}"
        );
        let json: serde_json::Value = serde_json::from_str(&stored.stdout).expect("JSON");
        assert_eq!(json["source"]["seed"], 3);
        assert_eq!(json["source"]["scenario"], "small");
        // A life found in a stored log is told from it.
        for m in json["ranked"].as_array().expect("ranked") {
            let life = m["life"].as_str().expect("a command");
            assert!(
                life.contains(&format!("--log {out_text} --replicate ")),
                "{life}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sift_refuses_bad_patterns_and_folders_clearly() {
    let dir = scratch("sift-bad");
    // A misspelt name.
    let out = hailsham(&["sift", "narator", "--until", "1960", "-r", "1"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("no pattern `narator`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `narrator`?"),
        "{}",
        out.stderr
    );
    // A broken pattern, given as text.
    let out = hailsham(&["sift", "c: completd ?x", "--until", "1960", "-r", "1"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: unknown kind `completd`\n  --> <pattern>:1:4\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `completed`?"),
        "{}",
        out.stderr
    );
    // A broken pattern file names the file.
    let file = dir.join("bad.sift");
    std::fs::write(&file, "pattern bad\n  c: completed ?x where nubmer = 2\n").expect("written");
    let file_text = file.display().to_string();
    let out = hailsham(&["sift", &file_text, "--until", "1960", "-r", "1"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("--> {file_text}:2:25")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `number`?"),
        "{}",
        out.stderr
    );
    // A folder that is not there, and one without logs.
    let missing = dir.join("nowhere").display().to_string();
    let out = hailsham(&["sift", "ruth", "--log", &missing]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.starts_with("error: cannot read the folder"),
        "{}",
        out.stderr
    );
    let empty = dir.display().to_string();
    let out = hailsham(&["sift", "ruth", "--log", &empty]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("holds no event log"), "{}", out.stderr);
    // A file that is not Parquet.
    std::fs::write(dir.join("log-000.parquet"), "not a log").expect("written");
    let out = hailsham(&["sift", "ruth", "--log", &empty]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("log-000.parquet"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}
