//! Sweep files: read as scenario files are, their mistakes located alike.

use std::path::Path;

use hailsham_world::Value;

use super::*;

fn read(text: &str) -> Result<Sweep, Diagnostics> {
    Sweep::parse(text, Path::new("sweeps/test.toml"), None)
}

const GOOD: &str = "name = \"carers\"
base = \"novel\"
seed = 7
replicates = 2
[design]
kind = \"sobol\"
points = 8
[parameters.care]
carer_share = { low = 0.2, high = 0.9, reason = \"a reader's bound\" }
[parameters.donation]
completion_risk_2 = [0.1, 0.2]
[parameters.homes]
reform_start_year = { low = 1955, high = 1958 }
";

/// Goal: a good file gives its base, design and axes, and its points' count and values.
#[test]
fn a_sweep_file_reads_into_its_design_and_axes() {
    let text = GOOD.to_string();
    let sweep = read(&text).expect("reads");
    assert_eq!(
        (sweep.name.as_str(), sweep.seed, sweep.replicates),
        ("carers", 7, 2)
    );
    assert_eq!(sweep.base.name, "novel");
    assert_eq!(sweep.design, Design::Sobol { points: 8 });
    assert_eq!(sweep.axes.len(), 3);
    assert_eq!(sweep.axes[0].reason, "a reader's bound");
    // A range's ends, a list's values each given an equal share, whole numbers alike.
    assert_eq!(sweep.axes[0].at(0.0), Value::Float(0.2));
    assert_eq!(sweep.axes[0].at(1.0), Value::Float(0.9));
    assert_eq!(sweep.axes[1].at(0.49), Value::Float(0.1));
    assert_eq!(sweep.axes[1].at(0.5), Value::Float(0.2));
    assert_eq!(sweep.axes[1].at(1.0), Value::Float(0.2));
    let years: Vec<Value> = [0.0, 0.26, 0.51, 0.99, 1.0]
        .iter()
        .map(|u| sweep.axes[2].at(*u))
        .collect();
    assert_eq!(
        years,
        [1955, 1956, 1957, 1958, 1958].map(Value::Int).to_vec()
    );
    // The hash follows what decides results, not the name or the reasons.
    let renamed = read(
        &text
            .replace("carers", "others")
            .replace("a reader's bound", "why"),
    )
    .expect("reads");
    assert_eq!(renamed.hash(), sweep.hash());
    let reseeded = read(&text.replace("seed = 7", "seed = 8")).expect("reads");
    assert_ne!(reseeded.hash(), sweep.hash());
}

/// Goal: a sweep file's mistakes are located like a scenario's: every one listed, each with
/// its line, the key and what was expected, a did-you-mean where one is close.
#[test]
fn a_sweep_files_mistakes_are_located_like_a_scenarios() {
    let text = "base = \"novel\"
replicate = 2
[design]
kind = \"latin-hypercub\"
trajectories = 4
[parameters.care]
carer_sahre = { low = 0.2, high = 0.9 }
[parameters.donation]
completion_risk_2 = { low = 0.5, high = 0.2 }
completion_risk_3 = { low = 0.1, hihg = 0.3 }
interval_days_mean = \"long\"
[parameters.cares]
x = 1
";
    let errors = read(text).expect_err("refused");
    let found: Vec<(Option<usize>, String, Option<String>)> = errors
        .items
        .iter()
        .map(|d| (d.line, d.error.to_string(), d.error.help()))
        .collect();
    let has = |line: usize, message: &str, help: Option<&str>| {
        assert!(
            found.iter().any(|(l, m, h)| *l == Some(line)
                && m.contains(message)
                && help.is_none_or(|help| h.as_deref().is_some_and(|h| h.contains(help)))),
            "line {line}: {message} ({help:?}) in {found:#?}"
        );
    };
    has(
        2,
        "unknown key `replicate` at the top level of a sweep file",
        Some("did you mean `replicates`?"),
    );
    has(
        4,
        "unknown value `latin-hypercub` for `design.kind`",
        Some("did you mean `latin-hypercube`?"),
    );
    has(
        7,
        "unknown key `carer_sahre` in [care]",
        Some("did you mean `carer_share`?"),
    );
    has(
        9,
        "no values to sweep for `donation.completion_risk_2`: `low` (0.5) must be below `high` (0.2)",
        None,
    );
    has(
        10,
        "unknown key `hihg` in [donation.completion_risk_3]",
        Some("did you mean `high`?"),
    );
    has(11, "wrong type for `donation.interval_days_mean`", None);
    has(
        12,
        "unknown section `[parameters.cares]`",
        Some("did you mean `[parameters.care]`?"),
    );
    assert!(
        errors.render().contains("--> sweeps/test.toml:7:1"),
        "{}",
        errors.render()
    );
}

/// Goal: a design takes only its own keys, and a value a parameter cannot take is refused
/// with its range.
#[test]
fn a_design_takes_its_own_keys_and_values_their_ranges() {
    let errors = read(
        "base = \"novel\"
[design]
kind = \"morris\"
points = 4
[parameters.care]
carer_share = [0.5, 1.5]
",
    )
    .expect_err("refused");
    let messages: Vec<String> = errors.items.iter().map(|d| d.error.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m == "`points` does not apply to a `morris` design"),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("value 1.5 out of range for `care.carer_share`: expected 0 to 1")),
        "{messages:?}"
    );
    assert!(
        errors
            .items
            .iter()
            .any(|d| d.error.help().is_some_and(|h| h.contains("`trajectories`"))),
        "{messages:?}"
    );
    let missing = read("[design]\nkind = \"grid\"\n").expect_err("refused");
    let messages: Vec<String> = missing.items.iter().map(|d| d.error.to_string()).collect();
    assert!(
        messages.contains(&"missing key `base` at the top level".to_string()),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"missing key `parameters` at the top level".to_string()),
        "{messages:?}"
    );
    let nowhere = read(&GOOD.replace("base = \"novel\"", "base = \"novle\"")).expect_err("refused");
    assert!(
        nowhere.items[0]
            .error
            .to_string()
            .contains("base file `novle` not found"),
        "{}",
        nowhere.render()
    );
}

/// Goal: the base scenario's own problems are listed with its own file and line.
#[test]
fn a_broken_base_is_reported_in_its_own_file() {
    let dir = std::env::temp_dir().join(format!("hailsham-sweep-base-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::write(dir.join("base.toml"), "[care]\ncarer_sahre = 0.5\n").expect("written");
    let result = Sweep::parse(
        &GOOD.replace("base = \"novel\"", "base = \"base.toml\""),
        &dir.join("sweep.toml"),
        None,
    );
    let _ = std::fs::remove_dir_all(&dir);
    let errors = result.expect_err("refused");
    assert_eq!(errors.items.len(), 1, "{}", errors.render());
    assert!(errors.items[0].file.ends_with("base.toml"));
    assert_eq!(errors.items[0].line, Some(2));
}
