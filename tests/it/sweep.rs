//! `hailsham sweep` as a user meets it: the same table whatever the threads, a sweep killed
//! with SIGKILL and started again ending with the same bytes, and a sweep file's mistakes
//! located with exit code 3.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hailsham_store::Store;

use crate::cli::{hailsham, scratch};

/// A small world, for points that run in milliseconds.
const BASE: &str = "name = \"small\"\n[homes]\npopulation_millions = 0.3\n";

/// A Latin hypercube of `points` points over two parameters, two replicates a point.
fn sweep_file(points: u32) -> String {
    format!(
        "name = \"carers\"
base = \"small.toml\"
seed = 5
replicates = 2
end_year = 1990
[design]
kind = \"latin-hypercube\"
points = {points}
[parameters.care]
carer_share = {{ low = 0.3, high = 0.9, reason = \"a test's range\" }}
[parameters.donation]
completion_risk_2 = [0.05, 0.2, 0.4]
"
    )
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn sweep_dir(name: &str, points: u32) -> std::path::PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("small.toml"), BASE).expect("written");
    std::fs::write(dir.join("sweep.toml"), sweep_file(points)).expect("written");
    dir
}

/// Goal: a sweep's table does not depend on the threads, and the store serves it again with
/// the same bytes. Method: one thread without a store, three with one, then the store alone.
#[test]
fn a_sweep_gives_the_same_table_whatever_the_threads_and_from_the_store() {
    let dir = sweep_dir("sweep-threads", 6);
    let file = dir.join("sweep.toml");
    let store = dir.join("runs.sqlite");
    let one = hailsham(&[
        "sweep",
        text(&file),
        "-o",
        text(&dir.join("one.parquet")),
        "--threads",
        "1",
        "-q",
        "--no-store",
    ]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert!(
        one.stdout.contains("6 points × 2 replicates"),
        "{}",
        one.stdout
    );
    assert!(one.stdout.contains("care.carer_share"), "{}", one.stdout);
    let three = hailsham(&[
        "sweep",
        text(&file),
        "-o",
        text(&dir.join("three.parquet")),
        "--threads",
        "3",
        "-q",
        "--store",
        text(&store),
    ]);
    assert_eq!(three.code, 0, "{}", three.stderr);
    assert!(three.stderr.contains("12 run now"), "{}", three.stderr);
    let again = hailsham(&[
        "sweep",
        text(&file),
        "-o",
        text(&dir.join("again.parquet")),
        "-q",
        "--store",
        text(&store),
    ]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("0 run now"), "{}", again.stderr);
    assert!(
        again.stderr.contains("12 from the run store"),
        "{}",
        again.stderr
    );
    let bytes = |name: &str| std::fs::read(dir.join(name)).expect("written");
    assert_eq!(bytes("one.parquet"), bytes("three.parquet"));
    assert_eq!(bytes("one.parquet"), bytes("again.parquet"));
    let table = hailsham_table::read_parquet_file(dir.join("one.parquet")).expect("reads");
    assert_eq!(table.rows.len(), 12);
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        &names[..4],
        [
            "point",
            "replicate",
            "care.carer_share",
            "donation.completion_risk_2"
        ]
    );
    assert!(names.contains(&"waiting_deaths"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Goal: a sweep killed with SIGKILL mid-way, started again, runs only what the store lacks
/// and ends with the table an uninterrupted sweep writes, byte for byte. Method: a sweep of
/// 120 runs on one thread, killed once the store holds some of them; then the same sweep
/// again, and once more in a store of its own without interruption.
#[test]
fn a_sweep_killed_and_started_again_ends_with_the_same_bytes() {
    let dir = sweep_dir("sweep-kill", 60);
    let file = dir.join("sweep.toml");
    let store = dir.join("runs.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hailsham"))
        .args([
            "sweep",
            text(&file),
            "-o",
            text(&dir.join("killed.parquet")),
            "--threads",
            "1",
            "-q",
            "--store",
            text(&store),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let started = Instant::now();
    let held = loop {
        let held = Store::open(&store)
            .ok()
            .and_then(|s| s.sweeps().ok())
            .and_then(|heads| heads.first().map(|h| h.runs_done))
            .unwrap_or(0);
        if held >= 5 {
            break held;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no run recorded"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    child.kill().expect("killed");
    child.wait().expect("ended");
    assert!(held < 120, "killed before the end ({held} runs held)");
    assert!(
        !dir.join("killed.parquet").exists(),
        "no table left looking complete"
    );
    let resumed = hailsham(&[
        "sweep",
        text(&file),
        "-o",
        text(&dir.join("resumed.parquet")),
        "-q",
        "--store",
        text(&store),
    ]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    // "120 runs: 80 run now in 0.52 s on 2 threads, 40 from the run store (...)"
    let from_store: u64 = resumed
        .stderr
        .split(" from the run store")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("says what it found");
    assert!(from_store >= held && from_store < 120, "{}", resumed.stderr);
    let whole = hailsham(&[
        "sweep",
        text(&file),
        "-o",
        text(&dir.join("whole.parquet")),
        "-q",
        "--store",
        text(&dir.join("other.sqlite")),
    ]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    assert_eq!(
        std::fs::read(dir.join("resumed.parquet")).expect("written"),
        std::fs::read(dir.join("whole.parquet")).expect("written")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Goal: a sweep file's mistake is said with its file, line and key, exit code 3, no table.
#[test]
fn a_sweep_files_mistake_is_located_and_nothing_is_written() {
    let dir = sweep_dir("sweep-bad", 4);
    let file = dir.join("sweep.toml");
    std::fs::write(&file, sweep_file(4).replace("carer_share", "carer_sahre")).expect("written");
    let out = dir.join("table.parquet");
    let result = hailsham(&["sweep", text(&file), "-o", text(&out)]);
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("unknown key `carer_sahre` in [care]")
            && result.stderr.contains("sweep.toml:10:1")
            && result.stderr.contains("did you mean `carer_share`?"),
        "{}",
        result.stderr
    );
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Goal: every assumption of the model has a plausible range with its reason, or is left out
/// for a reason the file gives; and every point of the plausible sweep can run. Method: read
/// `sweeps/plausible.toml` as `hailsham sweep` does, and its `# excluded:` lines.
#[test]
fn every_assumption_has_a_plausible_range_or_a_reason_to_stand_still() {
    use hailsham_world::{SPECS, Tag};
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sweeps/plausible.toml");
    let plan = hailsham_runner::SweepPlan::load(&path).expect("every point can run");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut excluded = Vec::new();
    let mut section = String::new();
    for line in text.lines() {
        if let Some(name) = line
            .strip_prefix("[parameters.")
            .and_then(|l| l.strip_suffix(']'))
        {
            section = name.to_string();
        }
        if let Some(rest) = line.strip_prefix("# excluded: ") {
            let (key, reason) = rest.split_once(": ").expect("`# excluded: key: why`");
            assert!(reason.len() > 20, "{key}: {reason}");
            excluded.push(format!("{section}.{key}"));
        }
    }
    for axis in &plan.sweep.axes {
        assert_eq!(axis.spec.tag, Tag::Assumption, "{}", axis.spec.path());
        assert!(axis.reason.len() > 20, "{} has no reason", axis.spec.path());
        let default = hailsham_world::Params::default()
            .get(axis.spec.section, axis.spec.key)
            .expect("a parameter");
        let (low, high) = match axis.values {
            hailsham_scenario::Values::Range { low, high, .. } => (low, high),
            hailsham_scenario::Values::List(_) => panic!("{}: a range", axis.spec.path()),
        };
        let default = match default {
            hailsham_world::Value::Float(x) => x,
            #[allow(clippy::cast_precision_loss)]
            hailsham_world::Value::Int(i) => i as f64,
            hailsham_world::Value::Bool(_) => panic!("a flag has no range"),
        };
        assert!(
            (low..=high).contains(&default),
            "{}: {default} outside {low} to {high}",
            axis.spec.path()
        );
    }
    for spec in SPECS.iter().filter(|s| s.tag == Tag::Assumption) {
        let path = spec.path();
        let swept = plan.sweep.axes.iter().any(|a| a.spec.path() == path);
        assert!(
            swept != excluded.contains(&path),
            "{path}: swept {swept}, excluded {}",
            excluded.contains(&path)
        );
    }
    let assumptions = SPECS.iter().filter(|s| s.tag == Tag::Assumption).count();
    assert_eq!(plan.sweep.axes.len() + excluded.len(), assumptions);
}

/// Goal: a world a fifth of England's size stands in for England where robustness runs it:
/// its shares, ages and rates per head are England's, and its counts a fifth of England's.
/// Method: `novel` at both sizes, four replicates each; every figure compared by its mean,
/// a per-head figure within 2% (or 0.005 for a share near zero), a count scaled back within 3%,
/// all but one (postponed donations), which no answer judges.
#[test]
fn a_fifth_of_england_gives_englands_shares_and_a_fifth_of_its_counts() {
    use hailsham_outputs::{FIGURES, figures};
    let mut england = hailsham_world::Params::default();
    england.time.end_year = 2000;
    let mut fifth = england.clone();
    fifth.homes.population_millions *= hailsham_runner::ROBUST_SCALE;
    let means = |params: &hailsham_world::Params| {
        let runs: Vec<Vec<f64>> = (0..4)
            .map(|replicate| figures(&crate::run(params, 1, replicate).tally))
            .collect();
        (0..FIGURES.len())
            .map(|f| runs.iter().map(|r| r[f]).sum::<f64>() / 4.0)
            .collect::<Vec<f64>>()
    };
    let (big, small) = (means(&england), means(&fifth));
    let mut compared = 0;
    let mut apart = Vec::new();
    for (figure, (big, small)) in FIGURES.iter().zip(big.iter().zip(&small)) {
        if !big.is_finite() || !small.is_finite() || *big == 0.0 || figure.key == "events" {
            continue;
        }
        // Small counts (runaways, grown organs: none in `novel`) say nothing of scale.
        if figure.scales && *big < 1000.0 {
            continue;
        }
        compared += 1;
        if figure.scales {
            let ratio = small / hailsham_runner::ROBUST_SCALE / big;
            if (ratio - 1.0).abs() >= 0.03 {
                apart.push(format!(
                    "{}: England {big}, a fifth {small} (scaled back, {ratio:.4} of England's)",
                    figure.key
                ));
            }
        } else {
            let close = (small - big).abs() < 0.02 * big.abs()
                || (figure.unit == "share" && (small - big).abs() < 0.005);
            if !close {
                apart.push(format!("{}: England {big}, a fifth {small}", figure.key));
            }
        }
    }
    // One figure does not scale: postponements wait on a recovery centre's beds, and a
    // smaller world's centres are fewer and their shortages rarer. No answer judges it.
    assert!(
        apart.len() == 1 && apart[0].starts_with("donations_postponed:"),
        "{apart:#?}"
    );
    for (name, scenario) in hailsham_runner::scenarios::asking().expect("the bundled scenarios") {
        let judged = &scenario.answer.expect("an answer").yes_when.figure;
        assert_ne!(
            judged, "donations_postponed",
            "{name} judges a figure that does not scale"
        );
    }
    assert!(compared >= 30, "only {compared} figures compared");
}
