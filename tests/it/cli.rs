//! The binary's commands as a user types them, and the helpers the other families share.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the hailsham binary from the repository root.
pub fn hailsham(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_hailsham"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    Output {
        code: output
            .status
            .code()
            .expect("the binary exits, not killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

/// A fresh, empty folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "hailsham-it-{name}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn run_prints_every_figure_the_issue_names_with_intervals() {
    let result = hailsham(&["run", "--until", "1990", "-r", "3", "-q"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let table = &result.stdout;
    for label in [
        "clones created",
        "organs supplied",
        "demand met",
        "died waiting",
        "life-years",
        "completion",
        "donations per",
        "carer",
        "km",
        "deferral",
        "know",
    ] {
        assert!(
            table.to_lowercase().contains(label),
            "no `{label}` in:\n{table}"
        );
    }
    assert!(
        table.contains("novel · seed 1 · 3 replicates · 1952-1990"),
        "{table}"
    );
    assert!(table.contains(" – "), "intervals are shown:\n{table}");
}

#[test]
fn params_lists_every_parameter_with_unit_tag_and_source() {
    let result = hailsham(&["params"]);
    assert_eq!(result.code, 0);
    for spec in hailsham_world::SPECS {
        assert!(
            result.stdout.contains(&format!(" {} = ", spec.key)),
            "{} missing",
            spec.path()
        );
        assert!(
            result.stdout.contains(spec.source),
            "{} source missing",
            spec.path()
        );
    }
    let toml = hailsham(&["params", "--toml"]);
    let file =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/novel.toml"))
            .unwrap();
    assert_eq!(
        toml.stdout, file,
        "scenarios/novel.toml is what `hailsham params --toml` prints"
    );
}

#[test]
fn params_marks_what_a_scenario_changes() {
    let dir = scratch("params");
    let path = dir.join("few-carers.toml");
    std::fs::write(&path, "[care]\ncarer_share = 0.25\n").unwrap();
    let result = hailsham(&["params", path.to_str().unwrap()]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.contains("* carer_share = 0.25"),
        "{}",
        result.stdout
    );
    assert!(result.stdout.contains("  caseload_donors_max = 5"));
    let check = hailsham(&["check", path.to_str().unwrap()]);
    assert_eq!(check.code, 0);
    assert!(
        check
            .stdout
            .contains("1 changed from novel: care.carer_share"),
        "{}",
        check.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
