//! The run store as a user meets it: runs recorded and served again byte for byte, `runs` and
//! `show`, where the store is found, a broken store that stops nothing, and runs killed or
//! interrupted mid-way.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hailsham_store::{RunId, Status, Store};

use crate::cli::{Output, hailsham, scratch};

/// A short run: small enough to take a fraction of a second.
const SHORT: [&str; 6] = ["run", "--until", "1962", "-r", "2", "-q"];

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// `args` with `--store PATH` added.
fn with_store(args: &[&str], store: &Path) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--store", text(store)]);
    hailsham(&all)
}

/// Runs the binary with `HAILSHAM_STORE`, `XDG_DATA_HOME` and `HOME` as given (`None`: unset).
fn hailsham_with_env(args: &[&str], env: &[(&str, Option<&Path>)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hailsham"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let output = command.output().expect("the binary runs");
    Output {
        code: output.status.code().expect("exits"),
        stdout: String::from_utf8(output.stdout).expect("utf-8"),
        stderr: String::from_utf8(output.stderr).expect("utf-8"),
    }
}

fn heads(store: &Path) -> Vec<serde_json::Value> {
    let listed = with_store(&["runs", "--format", "json"], store);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let document: serde_json::Value = serde_json::from_str(&listed.stdout).expect("JSON");
    document["runs"].as_array().expect("a list of runs").clone()
}

#[test]
fn a_run_asked_again_is_served_from_the_store_byte_for_byte() {
    let dir = scratch("store-served");
    let store = dir.join("data").join("runs.sqlite");
    let first = with_store(&SHORT, &store);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        !first.stderr.contains("from the run store"),
        "{}",
        first.stderr
    );
    assert!(store.is_file(), "the store and its folder are created");

    let second = with_store(&SHORT, &store);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(second.stdout, first.stdout, "the same table, byte for byte");
    assert!(
        second.stderr.contains("from the run store: run 1 of ")
            && second.stderr.contains(" UTC")
            && second.stderr.contains("--fresh runs it again"),
        "{}",
        second.stderr
    );
    // Another seed is another request; --fresh runs the same one again; --no-store records
    // nothing.
    let other = with_store(
        &["run", "--until", "1962", "-r", "2", "-q", "--seed", "2"],
        &store,
    );
    assert_eq!(other.code, 0, "{}", other.stderr);
    assert_ne!(other.stdout, first.stdout);
    let fresh = with_store(&[&SHORT[..], &["--fresh"]].concat(), &store);
    assert_eq!(fresh.code, 0, "{}", fresh.stderr);
    assert!(
        !fresh.stderr.contains("from the run store"),
        "{}",
        fresh.stderr
    );
    assert_eq!(fresh.stdout, first.stdout, "the model is deterministic");
    let unrecorded = hailsham(&[&SHORT[..], &["--no-store"]].concat());
    assert_eq!(unrecorded.code, 0, "{}", unrecorded.stderr);

    let runs = with_store(&["runs"], &store);
    assert_eq!(runs.code, 0, "{}", runs.stderr);
    let lines: Vec<&str> = runs.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three runs:\n{}", runs.stdout);
    assert!(lines[0].starts_with("id  started (UTC)"), "{}", lines[0]);
    // Newest first: the fresh run, the seed-2 run, the first.
    for (line, (id, seed)) in lines[1..].iter().zip([(3, 1), (2, 2), (1, 1)]) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[0], id.to_string(), "{line}");
        assert_eq!(words[5], seed.to_string(), "{line}");
        assert!(line.contains("complete  novel"), "{line}");
        assert!(
            line.contains("1952-1962  hailsham run --until 1962"),
            "{line}"
        );
    }
    let json = heads(&store);
    let seeds: Vec<u64> = json
        .iter()
        .map(|h| h["seed"].as_u64().expect("a seed"))
        .collect();
    assert_eq!(seeds, [1, 2, 1]);
    assert!(
        json.iter()
            .all(|h| h["status"] == "complete" && h["replicates"] == 2)
    );

    let show = with_store(&["show", "1"], &store);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(
        show.stdout.starts_with("run 1 · complete · hailsham run"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.ends_with(&format!("\n{}", first.stdout)),
        "show prints the table as run printed it:\n{}",
        show.stdout
    );
    let shown = with_store(&["show", "1", "--format", "json"], &store);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let document: serde_json::Value = serde_json::from_str(&shown.stdout).expect("JSON");
    assert_eq!(document["id"], 1);
    assert_eq!(document["scenario"], "novel");
    assert_eq!(document["end_year"], 1962);
    assert_eq!(
        document["figures"].as_array().map(Vec::len),
        Some(hailsham_outputs::FIGURES.len())
    );
    let clones = document["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["key"] == "clones_created"))
        .expect("clones created");
    assert_eq!(clones["values"].as_array().map(Vec::len), Some(2));
    assert!(
        document["scenario_text"]
            .as_str()
            .is_some_and(|t| t.contains("time.end_year = 1962")),
        "{}",
        document["scenario_text"]
    );

    for missing in ["99", "0", "one"] {
        let refused = with_store(&["show", missing], &store);
        assert_eq!(refused.code, 2, "show {missing}: {}", refused.stderr);
        assert!(refused.stderr.contains(missing), "{}", refused.stderr);
    }
    std::fs::remove_dir_all(&dir).expect("cleans up");
}

#[test]
fn compare_and_questions_record_each_scenario_and_serve_what_the_store_holds() {
    let dir = scratch("store-compare");
    let store = dir.join("runs.sqlite");
    let args = [
        "compare",
        "novel",
        "single-harvest",
        "--until",
        "1962",
        "-r",
        "2",
        "-q",
    ];
    let first = with_store(&args, &store);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let recorded = heads(&store);
    let names: Vec<&str> = recorded
        .iter()
        .filter_map(|h| h["scenario"].as_str())
        .collect();
    assert_eq!(names, ["single-harvest", "novel"], "one run per scenario");
    let again = with_store(&args, &store);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.stdout, first.stdout);
    assert!(
        again
            .stderr
            .contains("from the run store: novel (run 1), single-harvest (run 2)"),
        "{}",
        again.stderr
    );
    // `run` of the same request is served from what `compare` recorded.
    let run = with_store(&SHORT, &store);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("from the run store: run 1 "),
        "{}",
        run.stderr
    );
    // `questions` records each scenario it runs, and serves those the store holds.
    let questions = ["questions", "--until", "1962", "-r", "2", "-q"];
    let asked = with_store(&questions, &store);
    assert_eq!(asked.code, 0, "{}", asked.stderr);
    assert!(
        asked.stderr.contains("novel (run 1), ") && asked.stderr.contains("single-harvest (run 2)"),
        "{}",
        asked.stderr
    );
    let recorded = heads(&store).len();
    assert!(recorded > 5, "a run for each question: {recorded}");
    let again = with_store(&questions, &store);
    assert_eq!(again.stdout, asked.stdout);
    assert_eq!(heads(&store).len(), recorded, "nothing run again");
    std::fs::remove_dir_all(&dir).expect("cleans up");
}

#[test]
fn the_store_is_found_in_the_environment_and_is_off_when_asked() {
    let dir = scratch("store-env");
    let home = dir.join("home");
    let default = home.join(".local/share/hailsham/runs.sqlite");
    let off = hailsham_with_env(
        &SHORT,
        &[
            ("HAILSHAM_STORE", Some(Path::new("off"))),
            ("XDG_DATA_HOME", None),
            ("HOME", Some(&home)),
        ],
    );
    assert_eq!(off.code, 0, "{}", off.stderr);
    assert!(!home.exists(), "HAILSHAM_STORE=off writes nothing");
    let by_home = hailsham_with_env(
        &SHORT,
        &[
            ("HAILSHAM_STORE", None),
            ("XDG_DATA_HOME", None),
            ("HOME", Some(&home)),
        ],
    );
    assert_eq!(by_home.code, 0, "{}", by_home.stderr);
    assert!(
        default.is_file(),
        "the default store is under ~/.local/share"
    );
    let xdg = dir.join("xdg");
    let by_xdg = hailsham_with_env(
        &SHORT,
        &[
            ("HAILSHAM_STORE", None),
            ("XDG_DATA_HOME", Some(&xdg)),
            ("HOME", Some(&home)),
        ],
    );
    assert_eq!(by_xdg.code, 0, "{}", by_xdg.stderr);
    assert!(xdg.join("hailsham/runs.sqlite").is_file());
    let named = dir.join("named.sqlite");
    let by_name = hailsham_with_env(&SHORT, &[("HAILSHAM_STORE", Some(&named))]);
    assert_eq!(by_name.code, 0, "{}", by_name.stderr);
    assert_eq!(heads(&named).len(), 1);
    // `runs` on a store never written creates nothing.
    let never = dir.join("never.sqlite");
    let empty = with_store(&["runs"], &never);
    assert_eq!(empty.code, 0, "{}", empty.stderr);
    assert!(empty.stdout.is_empty() && empty.stderr.contains("no runs stored"));
    assert!(!never.exists());
    std::fs::remove_dir_all(&dir).expect("cleans up");
}

#[test]
fn a_store_that_cannot_be_opened_is_said_once_and_stops_nothing() {
    let dir = scratch("store-broken");
    let broken = dir.join("notes.sqlite");
    std::fs::write(
        &broken,
        "Ruth, Tommy and Kathy at the Cottages.\n".repeat(200),
    )
    .expect("writes");
    let run = with_store(&SHORT, &broken);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plain = hailsham(&SHORT);
    assert_eq!(run.stdout, plain.stdout, "the run is as without a store");
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("notes.sqlite")
            && run.stderr.contains("going on without the run store"),
        "{}",
        run.stderr
    );
    let listed = with_store(&["runs"], &broken);
    assert_eq!(
        listed.code, 4,
        "reading a broken store is an error: {}",
        listed.stderr
    );
    std::fs::remove_dir_all(&dir).expect("cleans up");
}

/// Starts a long run recorded in `store` (hundreds of replicates of the whole novel on one
/// thread: minutes, if it were left to finish).
fn start_long_run(store: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hailsham"))
        .args([
            "run",
            "-r",
            "500",
            "--threads",
            "1",
            "-q",
            "--store",
            text(store),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

/// Waits until the store shows a run of process `pid` running.
fn wait_until_running(store: &Path, pid: u32) -> RunId {
    let start = Instant::now();
    loop {
        if let Ok(store) = Store::open(store)
            && let Ok(heads) = store.list()
            && let Some(head) = heads
                .iter()
                .find(|h| h.pid == pid && h.status == Status::Running)
        {
            return head.id;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the run never showed as running in {}",
            store.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn status_of(store: &Path, id: RunId) -> (String, String) {
    let head = heads(store)
        .into_iter()
        .find(|h| h["id"] == id.0)
        .expect("the run is listed");
    (
        head["status"].as_str().unwrap_or_default().to_string(),
        head["message"].as_str().unwrap_or_default().to_string(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn a_killed_run_is_interrupted_and_the_runs_before_it_are_intact() {
    let dir = scratch("store-killed");
    let store: PathBuf = dir.join("runs.sqlite");
    let before = with_store(&SHORT, &store);
    assert_eq!(before.code, 0, "{}", before.stderr);
    let shown_before = with_store(&["show", "1"], &store);

    let mut child = start_long_run(&store);
    let id = wait_until_running(&store, child.id());
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("reaped");
    assert_eq!(status.code(), None, "killed by a signal, not finished");

    let (status, message) = status_of(&store, id);
    assert_eq!(status, "interrupted", "{message}");
    assert!(
        message.contains("ended before the run finished"),
        "{message}"
    );
    let listed = with_store(&["runs"], &store);
    assert!(
        listed
            .stdout
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{id} ")) && l.contains("interrupted")),
        "{}",
        listed.stdout
    );
    let interrupted = with_store(&["show", &id.to_string()], &store);
    assert_eq!(interrupted.code, 0, "{}", interrupted.stderr);
    assert!(
        interrupted
            .stdout
            .contains("(no figures: the run is interrupted)")
    );
    // The run finished before it is whole: the same figures, and still served.
    let shown_after = with_store(&["show", "1"], &store);
    assert_eq!(shown_after.stdout, shown_before.stdout);
    let again = with_store(&SHORT, &store);
    assert_eq!(again.stdout, before.stdout);
    assert!(
        again.stderr.contains("from the run store: run 1 "),
        "{}",
        again.stderr
    );
    std::fs::remove_dir_all(&dir).expect("cleans up");
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_marks_a_run_cancelled() {
    let dir = scratch("store-cancelled");
    let store = dir.join("runs.sqlite");
    let child = start_long_run(&store);
    let id = wait_until_running(&store, child.id());
    let signalled = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(signalled.success());
    let output = child.wait_with_output().expect("ends");
    assert_eq!(output.status.code(), Some(6), "interrupted: exit code 6");
    assert_eq!(
        status_of(&store, id),
        ("cancelled".to_string(), "cancelled".to_string())
    );
    std::fs::remove_dir_all(&dir).expect("cleans up");
}
