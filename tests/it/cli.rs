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
    hailsham_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Runs the hailsham binary from the directory `dir`.
pub fn hailsham_in(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_hailsham"))
        .args(args)
        .current_dir(dir)
        // Tests never write into the user's run store; the store's own tests name theirs.
        .env("HAILSHAM_STORE", "off")
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

/// Goal: the bundled scenarios run by name from any directory, and a user's file there builds
/// on one. Method: from an empty temporary folder, run `escape` and `escape.toml`, check a file
/// whose base is the bundled `novel.toml`, and list the scenarios.
#[test]
fn bundled_scenarios_work_from_any_directory() {
    let dir = scratch("anywhere");
    for name in ["escape", "escape.toml"] {
        let result = hailsham_in(&dir, &["run", name, "-r", "1", "--until", "1960", "-q"]);
        assert_eq!(result.code, 0, "{name}: {}", result.stderr);
        assert!(
            result.stdout.contains("escape · seed 1"),
            "{}",
            result.stdout
        );
    }
    std::fs::write(
        dir.join("mine.toml"),
        "base = \"novel.toml\"\n[care]\ncarer_share = 0.25\n",
    )
    .unwrap();
    let check = hailsham_in(&dir, &["check", "mine.toml", "world", "novel"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stdout
            .contains("ok: mine.toml (scenario `mine`, hash"),
        "{}",
        check.stdout
    );
    let list = hailsham_in(&dir, &["scenarios"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    for bundled in hailsham_scenario::BUNDLED {
        assert!(
            list.stdout.contains(&format!("  {} ", bundled.name)),
            "{} missing:\n{}",
            bundled.name,
            list.stdout
        );
    }
    assert!(
        list.stdout
            .contains("Nobody outside recognises them: why does no clone run away?"),
        "escape's question:\n{}",
        list.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Goal: a misspelt name gets the closest bundled one and the list; a file that exists wins
/// over a bundled name. Method: `escpae` from a temporary folder, then a file named `escape`.
#[test]
fn a_misspelt_scenario_name_gets_a_suggestion_and_a_file_wins_over_a_name() {
    let dir = scratch("names");
    let result = hailsham_in(&dir, &["check", "escpae"]);
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(
        result.stderr.contains("no scenario `escpae`")
            && result.stderr.contains("did you mean `escape`?")
            && result
                .stderr
                .contains("child-donors, deferrals-real, escape"),
        "{}",
        result.stderr
    );
    std::fs::write(dir.join("escape"), "name = \"mine\"\n").unwrap();
    let result = hailsham_in(&dir, &["check", "escape"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.contains("scenario `mine`"),
        "{}",
        result.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Goal: a device or a pipe given as the scenario is refused at once, not read forever.
#[cfg(unix)]
#[test]
fn a_device_as_the_scenario_is_refused() {
    let result = hailsham(&["check", "/dev/zero"]);
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("`/dev/zero` is a character device, not a regular file"),
        "{}",
        result.stderr
    );
}

/// Goal: a second Ctrl-C ends a run at once with the documented exit code of an interruption
/// and leaves no temporary folder behind. Method: a run of twenty replicates with records and
/// a log, once its temporary folder exists, is sent SIGINT twice; it exits 6, and neither
/// the output folder nor a `.tmp-` sibling remains.
#[test]
fn a_second_interrupt_exits_six_and_leaves_nothing() {
    let dir = scratch("second-interrupt");
    let out = dir.join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hailsham"))
        .args(["run", "-r", "20", "-q", "--log", "--out"])
        .arg(&out)
        .env("HAILSHAM_STORE", "off")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary runs");
    let temporary = dir.join(format!("out.tmp-{}", child.id()));
    for _ in 0..200 {
        if temporary.is_dir() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(
        temporary.is_dir(),
        "the run writes into {}",
        temporary.display()
    );
    // Both at once: the second arrives while the first still waits for the year's end.
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().expect("the run ends");
    assert_eq!(status.code(), Some(6), "{status:?}");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("the folder")
        .flatten()
        .map(|entry| entry.file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    std::fs::remove_dir_all(&dir).ok();
}
