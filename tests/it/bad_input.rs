//! Broken scenarios and flags: a clear message, the documented exit code, and no output left.
//!
//! Method: every file of tests/data/bad is run with `--out`; expected.txt gives the text its
//! error must contain. The exit code must be 3 and the output directory must not exist.

use std::fs;
use std::path::Path;

use crate::cli::{hailsham, scratch};

#[test]
fn every_broken_scenario_gives_its_message_and_leaves_no_output() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad");
    let expected = fs::read_to_string(data.join("expected.txt")).unwrap();
    let dir = scratch("bad");
    let mut cases = 0;
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        let (file, message) = line
            .split_once('\t')
            .expect("expected.txt lines are file<TAB>message");
        let out = dir.join(file);
        let path = data.join(file);
        let result = hailsham(&[
            "run",
            path.to_str().unwrap(),
            "-r",
            "1",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            result.code, 3,
            "{file}: exit code; stderr:\n{}",
            result.stderr
        );
        assert!(
            result.stderr.contains(message),
            "{file}: expected `{message}` in:\n{}",
            result.stderr
        );
        assert!(
            result.stderr.contains(file),
            "{file}: the message names the file:\n{}",
            result.stderr
        );
        assert!(!out.exists(), "{file}: output left behind");
        // `check` says the same, with the same code.
        let check = hailsham(&["check", path.to_str().unwrap()]);
        assert_eq!(check.code, 3, "{file}");
        assert!(check.stderr.contains(message));
        cases += 1;
    }
    assert!(
        cases >= 9,
        "the table covers every kind of mistake: {cases}"
    );
    assert!(
        fs::read_dir(&dir).unwrap().next().is_none(),
        "nothing at all is left in the scratch folder"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_key_names_file_line_column_and_a_suggestion() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad/unknown-key.toml");
    let result = hailsham(&["check", data.to_str().unwrap()]);
    assert_eq!(result.code, 3);
    assert!(
        result.stderr.contains("unknown key `carer_sahre`"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("did you mean `carer_share`?"),
        "{}",
        result.stderr
    );
    let text = fs::read_to_string(&data).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("carer_sahre"))
        .unwrap()
        + 1;
    assert!(
        result
            .stderr
            .contains(&format!("unknown-key.toml:{line}:1")),
        "{}",
        result.stderr
    );
}

#[test]
fn wrong_flags_exit_two_and_a_missing_scenario_three() {
    for args in [
        &["run", "--replicates", "0"][..],
        &["run", "--seed", "minus-one"],
        &["run", "--until", "1800"],
        &["frobnicate"],
        &["run", "--force"],
    ] {
        let result = hailsham(args);
        assert_eq!(result.code, 2, "{args:?}: {}", result.stderr);
        assert!(!result.stderr.is_empty());
    }
    let result = hailsham(&["run", "no-such-scenario", "-q"]);
    assert_eq!(result.code, 3);
    assert!(
        result.stderr.contains("no scenario `no-such-scenario`"),
        "{}",
        result.stderr
    );
}

/// Goal: an output directory is replaced only on purpose, only if hailsham wrote it, and never
/// left half old and half new. Method: a folder of the user's own is refused with and without
/// `--force`; a run's own output is replaced with `--force`, leaving no temporary folder.
#[test]
fn an_existing_output_directory_is_not_overwritten() {
    let dir = scratch("exists");
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("keep.txt"), "mine").unwrap();
    let run = |force: bool| {
        let mut args = vec!["run", "novel", "--until", "1960", "-r", "1", "-q"];
        if force {
            args.push("--force");
        }
        args.extend(["--out", out.to_str().unwrap()]);
        hailsham(&args)
    };
    let result = run(false);
    assert_eq!(result.code, 4, "{}", result.stderr);
    assert!(result.stderr.contains("--force"), "{}", result.stderr);
    let result = run(true);
    assert_eq!(result.code, 4, "{}", result.stderr);
    assert!(
        result.stderr.contains("hailsham did not write"),
        "{}",
        result.stderr
    );
    assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "mine");

    fs::remove_dir_all(&out).unwrap();
    assert_eq!(run(false).code, 0);
    let first = fs::read(out.join("summary.json")).unwrap();
    fs::write(out.join("summary.json"), "stale").unwrap();
    let result = run(true);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(fs::read(out.join("summary.json")).unwrap(), first);
    let left: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, ["out"], "no temporary or old folder is left");
    fs::remove_dir_all(&dir).unwrap();
}

/// Goal: a wrong flag says what is wrong, not a usage line that makes every flag look
/// required, nor a hint that misleads. Method: a negative seed, and flags that need `--out`.
#[test]
fn flag_mistakes_say_what_is_wrong() {
    let result = hailsham(&["run", "--seed", "-1"]);
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("a seed is a whole number from 0"),
        "{}",
        result.stderr
    );
    assert!(!result.stderr.contains("-- -1"), "{}", result.stderr);
    for (args, flag) in [
        (&["run", "--plot"][..], "--plot"),
        (&["run", "--no-records", "-q"], "--no-records"),
        (&["run", "--format", "csv"], "--format"),
        (&["compare", "novel", "escape", "--plot"], "--plot"),
    ] {
        let result = hailsham(args);
        assert_eq!(result.code, 2, "{args:?}");
        assert!(
            result
                .stderr
                .contains(&format!("{flag} works on the output folder: add --out DIR")),
            "{args:?}: {}",
            result.stderr
        );
        assert!(!result.stderr.contains("Usage:"), "{}", result.stderr);
    }
}

/// Goal: an OS error is said once, with the path the user gave. Method: `--out` under a file.
#[test]
fn an_os_error_is_reported_once() {
    let dir = scratch("os-error");
    let file = dir.join("a-file");
    fs::write(&file, "x").unwrap();
    let out = file.join("out");
    let result = hailsham(&[
        "run",
        "--until",
        "1960",
        "-r",
        "1",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.code, 4, "{}", result.stderr);
    assert!(
        result.stderr.contains(out.to_str().unwrap()),
        "{}",
        result.stderr
    );
    assert_eq!(
        result.stderr.matches("os error").count(),
        1,
        "{}",
        result.stderr
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Goal: `--until` cannot slip a scenario past its own rules. Method: end years that break
/// the longest run, in run, compare and report: exit 3, a message naming `--until` and the
/// rule, never a panic (exit 101).
#[test]
fn until_is_checked_against_the_scenario_rules() {
    let dir = scratch("until");
    let report = dir.join("r.html");
    for args in [
        &["run", "--until", "2200", "-r", "1", "-q"][..],
        &[
            "compare", "novel", "escape", "--until", "2300", "-r", "1", "-q",
        ],
        &[
            "report",
            "escape",
            "--until",
            "2250",
            "-r",
            "1",
            "-q",
            "-o",
            report.to_str().unwrap(),
        ],
    ] {
        let result = hailsham(args);
        assert_eq!(result.code, 3, "{args:?}: {}", result.stderr);
        assert!(
            result.stderr.contains("--until") && result.stderr.contains("time.end_year"),
            "{args:?}: {}",
            result.stderr
        );
    }
    assert!(!report.exists());
    fs::remove_dir_all(&dir).unwrap();
}

/// Goal: a run past its event budget stops cleanly. Method: `--events-max` far below what a
/// run needs, with `--out` and `--log`: exit code 5, a message naming the budget, no output.
#[test]
fn a_run_over_its_event_budget_stops_and_leaves_nothing() {
    let dir = scratch("budget");
    let out = dir.join("out");
    let result = hailsham(&[
        "run",
        "-r",
        "2",
        "-q",
        "--events-max",
        "5000",
        "--log",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.code, 5, "stderr:\n{}", result.stderr);
    assert!(
        result.stderr.contains("budget of 5000 events"),
        "{}",
        result.stderr
    );
    assert!(!out.exists(), "no output under the final name");
    assert!(
        fs::read_dir(&dir).unwrap().next().is_none(),
        "no temporary folder left either"
    );
}

/// Goal: a run too large to be meant is refused before it writes anything. Method: ten
/// thousand replicates of person records as CSV (about 420 GB): exit 2, the size named, the
/// way out named, no folder left.
#[test]
fn a_run_too_large_is_refused_before_it_starts() {
    let dir = scratch("large");
    let out = dir.join("out");
    let result = hailsham(&[
        "run",
        "-r",
        "10000",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result.stderr.contains("would write about"),
        "{}",
        result.stderr
    );
    assert!(result.stderr.contains("--large"), "{}", result.stderr);
    let left: Vec<_> = fs::read_dir(&dir).unwrap().flatten().collect();
    assert!(left.is_empty(), "nothing written");
    fs::remove_dir_all(&dir).unwrap();
}
