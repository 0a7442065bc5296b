//! `hailsham compare`, `--plot` and `hailsham report`, as a user types them.
//!
//! Method: small countries (two million people) and short runs (to 1990) keep each command
//! under a second or two; the figures are read back from comparison.json, not from the
//! terminal table, so the tests check numbers, not layout.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cli::{Output, hailsham, scratch};

/// A small country, as the determinism test uses: fast, and the mechanisms all still run.
const SMALL: &str = "[homes]\npopulation_millions = 2.0\n";

/// Writes the small `novel` and a variant with one donation per donor into `dir`.
fn small_scenarios(dir: &Path) -> (PathBuf, PathBuf) {
    let small = dir.join("small.toml");
    fs::write(&small, format!("name = \"small\"\n{SMALL}")).unwrap();
    let single = dir.join("single.toml");
    fs::write(
        &single,
        "name = \"single\"\nquestion = \"What if every donor gave only once?\"\n\
         source = \"a test of hailsham compare\"\nbase = \"small.toml\"\n\
         [donation]\ndonations_max = 1\n[deferral]\napply_at_donation = 0\n",
    )
    .unwrap();
    (small, single)
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn comparison(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("comparison.json")).unwrap()).unwrap()
}

/// The figure named `key` of a comparison.json.
fn figure<'a>(json: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    json["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no figure {key}"))
}

/// Entries of `dir`, sorted, so a test can say nothing was left behind.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_scenario_against_itself_differs_by_nothing() {
    // Goal: common random numbers make a scenario's replicates identical to themselves, so
    // every paired difference is exactly zero and nothing is marked.
    let dir = scratch("compare-self");
    let (small, _) = small_scenarios(&dir);
    let out = dir.join("out");
    let result = hailsham(&[
        "compare",
        text(&small),
        text(&small),
        "--until",
        "1990",
        "-r",
        "3",
        "-q",
        "--out",
        text(&out),
    ]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result
            .stdout
            .starts_with("small against small\nseed 1 · 3 replicates each, paired · 1952-1990\n"),
        "{}",
        result.stdout
    );
    let json = comparison(&out);
    let figures = json["figures"].as_array().unwrap();
    assert_eq!(figures.len(), hailsham_outputs::FIGURES.len());
    for f in figures {
        let d = &f["scenarios"][1]["difference"];
        assert_eq!(d["marked"], false, "{}", f["key"]);
        if !d["mean"].is_null() {
            assert_eq!(d["mean"], 0.0, "{}", f["key"]);
            assert_eq!(d["low"], 0.0, "{}", f["key"]);
            assert_eq!(d["high"], 0.0, "{}", f["key"]);
        }
    }
    // The table marks nothing either: the only `*` is the one the note explains.
    let marked_lines = result
        .stdout
        .lines()
        .filter(|l| l.trim_end().ends_with(" *") || l.contains(" * "))
        .count();
    assert_eq!(marked_lines, 0, "{}", result.stdout);
    // Two scenarios of one name get two folders.
    assert_eq!(
        entries(&out),
        ["comparison.json", "metadata.json", "small", "small-2"]
    );
    for folder in ["small", "small-2"] {
        assert_eq!(
            entries(&out.join(folder)),
            ["metadata.json", "series.parquet", "summary.json"]
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn one_donation_per_donor_is_marked_clearly_lower() {
    let dir = scratch("compare-single");
    let (small, single) = small_scenarios(&dir);
    let out = dir.join("out");
    let result = hailsham(&[
        "compare",
        text(&small),
        text(&single),
        "--until",
        "1990",
        "-r",
        "3",
        "-q",
        "--out",
        text(&out),
    ]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let json = comparison(&out);
    assert_eq!(json["seed"], 1);
    assert_eq!(json["replicates"], 3);
    assert_eq!(json["scenarios"][1]["name"], "single");
    let donations = figure(&json, "donations_per_donor_mean");
    assert_eq!(donations["scenarios"][1]["mean"], 1.0);
    let base = donations["scenarios"][0]["mean"].as_f64().unwrap();
    assert!(base > 2.0, "novel's donors give more than twice: {base}");
    let d = &donations["scenarios"][1]["difference"];
    assert_eq!(d["marked"], true);
    assert!(d["high"].as_f64().unwrap() < 0.0, "{d}");
    assert_eq!(d["values"].as_array().unwrap().len(), 3);
    let line = result
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("donations per completed donor"))
        .unwrap();
    assert!(line.contains(" *"), "{line}");
    for l in result.stdout.lines() {
        assert!(l.chars().count() <= 120, "too wide: {l}");
    }
    fs::remove_dir_all(&dir).unwrap();
}

fn assert_charts(plots: &Path) {
    let mut expected = Vec::new();
    for stem in hailsham_report::CHART_STEMS {
        expected.push(format!("{stem}.png"));
        expected.push(format!("{stem}.svg"));
    }
    expected.sort();
    assert_eq!(entries(plots), expected);
    for stem in hailsham_report::CHART_STEMS {
        let svg = fs::read_to_string(plots.join(format!("{stem}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("seed 7"), "{stem}");
        let png = fs::read(plots.join(format!("{stem}.png"))).unwrap();
        assert!(png.len() > 1000, "{stem}: {} bytes", png.len());
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{stem}");
    }
}

#[test]
fn plot_writes_six_charts_the_same_on_one_thread_and_two() {
    let dir = scratch("compare-plot");
    let (small, single) = small_scenarios(&dir);
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.join(format!("out-{threads}"));
        let result = hailsham(&[
            "compare",
            text(&small),
            text(&single),
            "--until",
            "1985",
            "-r",
            "2",
            "--seed",
            "7",
            "--threads",
            threads,
            "-q",
            "--plot",
            "--out",
            text(&out),
        ]);
        assert_eq!(result.code, 0, "{}", result.stderr);
        assert_charts(&out.join("plots"));
        outputs.push(out);
    }
    for name in entries(&outputs[0].join("plots")) {
        let one = fs::read(outputs[0].join("plots").join(&name)).unwrap();
        let two = fs::read(outputs[1].join("plots").join(&name)).unwrap();
        assert!(one == two, "{name} differs between one thread and two");
    }
    assert_eq!(
        fs::read(outputs[0].join("comparison.json")).unwrap(),
        fs::read(outputs[1].join("comparison.json")).unwrap()
    );

    let run_out = dir.join("run");
    let result = hailsham(&[
        "run",
        text(&small),
        "--until",
        "1985",
        "-r",
        "2",
        "--seed",
        "7",
        "-q",
        "--no-records",
        "--plot",
        "--out",
        text(&run_out),
    ]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_charts(&run_out.join("plots"));

    let no_out = hailsham(&["run", "--plot", "--until", "1960"]);
    assert_eq!(no_out.code, 2, "--plot needs --out: {}", no_out.stderr);
    fs::remove_dir_all(&dir).unwrap();
}

/// Runs the binary in `cwd` (the report's default file lands there).
fn hailsham_in(cwd: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_hailsham"))
        .args(args)
        .current_dir(cwd)
        .env("HAILSHAM_STORE", "off")
        .output()
        .unwrap();
    Output {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn report_writes_one_page_with_question_change_table_charts_and_paragraph() {
    let dir = scratch("report");
    let (small, single) = small_scenarios(&dir);
    let args = [
        text(&single),
        "--against",
        text(&small),
        "--until",
        "1990",
        "-r",
        "3",
        "-q",
    ];
    let result = hailsham_in(&dir, &[&["report"][..], &args[..]].concat());
    assert_eq!(result.code, 0, "{}", result.stderr);
    let page = dir.join("report-single.html");
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    assert!(html.contains("What if every donor gave only once?"));
    assert!(html.contains("a test of hailsham compare"));
    assert!(html.contains("<code>donation.donations_max</code>"));
    assert!(html.contains("<table class=\"figures\">"));
    assert!(html.contains("<tr class=\"moved\"><td>donations per completed donor</td>"));
    assert_eq!(html.matches("<svg").count(), 6, "the six charts inline");
    let paragraph = html
        .split("<p class=\"narrative\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .unwrap();
    assert!(
        paragraph.contains("ompleted at 1st donation"),
        "{paragraph}"
    );
    assert!(paragraph.contains("3 paired replicates"), "{paragraph}");
    assert!(!html.contains("src=\"http"), "self-contained");

    // The page is not replaced without --force; with it, the same inputs give the same bytes.
    let again = hailsham_in(&dir, &[&["report"][..], &args[..]].concat());
    assert_eq!(again.code, 4, "{}", again.stderr);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    let forced = hailsham_in(&dir, &[&["report", "--force"][..], &args[..]].concat());
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(fs::read_to_string(&page).unwrap(), html);
    let mut left: Vec<String> = entries(&dir);
    left.retain(|name| name.contains("tmp"));
    assert!(left.is_empty(), "temporary files left: {left:?}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_scenario_stops_compare_and_report_before_anything_is_written() {
    let dir = scratch("compare-broken");
    let (small, _) = small_scenarios(&dir);
    let broken = dir.join("broken.toml");
    fs::write(&broken, "[donation]\ndonations_maxx = 1\n").unwrap();
    let before = entries(&dir);

    let out = dir.join("out");
    let result = hailsham(&[
        "compare",
        text(&small),
        text(&broken),
        "-q",
        "--plot",
        "--out",
        text(&out),
    ]);
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(
        result.stderr.contains("donations_maxx"),
        "{}",
        result.stderr
    );
    assert!(result.stderr.contains("did you mean `donations_max`?"));

    let page = dir.join("page.html");
    let result = hailsham(&[
        "report",
        text(&broken),
        "--against",
        text(&small),
        "-q",
        "--out",
        text(&page),
    ]);
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(
        result.stderr.contains("donations_maxx"),
        "{}",
        result.stderr
    );

    let missing = hailsham(&["compare", "novel", "no-such-scenario", "-q"]);
    assert_eq!(missing.code, 3, "{}", missing.stderr);
    let too_early = hailsham(&["compare", "novel", "novel", "--until", "1950", "-q"]);
    assert_eq!(too_early.code, 3, "{}", too_early.stderr);
    let one = hailsham(&["compare", "novel"]);
    assert_eq!(one.code, 2, "compare needs two scenarios: {}", one.stderr);

    assert_eq!(entries(&dir), before, "nothing written");
    fs::remove_dir_all(&dir).unwrap();
}

/// Goal: a name in any script keeps its letters in file names. Method: compare a scenario
/// named `Élodie's world` with `--out`: its folder is `Élodie-s-world`.
#[test]
fn folder_names_keep_letters_of_any_script() {
    let dir = scratch("unicode");
    fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/novel.toml"),
        dir.join("novel.toml"),
    )
    .unwrap();
    let scenario = dir.join("elodie.toml");
    fs::write(
        &scenario,
        "name = \"Élodie's world\"\nbase = \"novel.toml\"\n[homes]\npopulation_millions = 1.0\n",
    )
    .unwrap();
    let out = dir.join("out");
    let result = hailsham(&[
        "compare",
        "novel",
        scenario.to_str().unwrap(),
        "--until",
        "1960",
        "-r",
        "2",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(
        entries(&out),
        [
            "comparison.json",
            "metadata.json",
            "novel",
            "Élodie-s-world"
        ]
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Goal: `report` finds out it cannot write before it runs anything. Method: a page in a
/// folder that does not exist: exit 4 at once, the message names the page, and no table was
/// printed (nothing ran).
#[test]
fn report_checks_its_file_can_be_written_before_running() {
    let dir = scratch("report-unwritable");
    let page = dir.join("no-such-folder").join("page.html");
    let result = hailsham(&[
        "report",
        "escape",
        "-r",
        "3",
        "-q",
        "-o",
        page.to_str().unwrap(),
    ]);
    assert_eq!(result.code, 4, "{}", result.stderr);
    assert!(
        result.stderr.contains(page.to_str().unwrap()),
        "{}",
        result.stderr
    );
    assert!(result.stdout.is_empty(), "nothing ran: {}", result.stdout);
    fs::remove_dir_all(&dir).unwrap();
}
