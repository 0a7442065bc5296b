//! Goal: ARCHITECTURE.md cannot drift from the code. Method: its "Dependencies" table names,
//! for every crate, the hailsham crates it uses and the crates it must never build; the test
//! reads each crate's manifest for what it uses (exactly those, no more, no fewer) and follows
//! Cargo.lock from its normal dependencies for what it builds (none of those never to be
//! built, however deep).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One row of the document's table.
#[derive(Debug)]
struct Row {
    uses: BTreeSet<String>,
    never: BTreeSet<String>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The names in backticks in a cell.
fn names(cell: &str) -> BTreeSet<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The "Dependencies" table of ARCHITECTURE.md, by crate.
fn documented() -> BTreeMap<String, Row> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let section = text
        .split("\n## Dependencies")
        .nth(1)
        .expect("ARCHITECTURE.md has a section `## Dependencies`");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut rows = BTreeMap::new();
    for line in section.lines().filter(|line| line.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        assert!(cells.len() >= 5, "a row of three cells: {line}");
        let krate = names(cells[1]).into_iter().next().expect("a crate's name");
        let row = Row {
            uses: names(cells[2]),
            never: names(cells[3]),
        };
        assert!(rows.insert(krate.clone(), row).is_none(), "{krate} twice");
    }
    rows
}

/// Every workspace crate: its name and manifest.
fn manifests() -> BTreeMap<String, toml::Table> {
    let mut found = BTreeMap::new();
    let read = |path: &Path| -> toml::Table {
        toml::from_str(&std::fs::read_to_string(path).expect("a manifest")).expect("TOML")
    };
    let root_manifest = read(&root().join("Cargo.toml"));
    found.insert("hailsham".to_string(), root_manifest);
    for entry in std::fs::read_dir(root().join("crates")).expect("crates/") {
        let path = entry.expect("an entry").path().join("Cargo.toml");
        if path.is_file() {
            let manifest = read(&path);
            let name = manifest["package"]["name"]
                .as_str()
                .expect("a name")
                .to_string();
            found.insert(name, manifest);
        }
    }
    found
}

/// The names a manifest's `[dependencies]` lists.
fn normal_dependencies(manifest: &toml::Table) -> BTreeSet<String> {
    manifest
        .get("dependencies")
        .and_then(toml::Value::as_table)
        .map(|table| table.keys().cloned().collect())
        .unwrap_or_default()
}

/// Cargo.lock's graph: each package's dependencies, by name.
fn lock() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    let lock: toml::Table = toml::from_str(&text).expect("TOML");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for package in lock["package"].as_array().expect("packages") {
        let name = package["name"].as_str().expect("a name").to_string();
        let dependencies: BTreeSet<String> = package
            .get("dependencies")
            .and_then(toml::Value::as_array)
            .map(|list| {
                list.iter()
                    // "name" or "name version" when two versions are locked.
                    .filter_map(|d| d.as_str()?.split(' ').next().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        graph.entry(name).or_default().extend(dependencies);
    }
    graph
}

/// Every package `name` builds: workspace crates step through their normal dependencies only
/// (Cargo.lock also lists their dev-dependencies), the rest through Cargo.lock.
fn builds(
    name: &str,
    manifests: &BTreeMap<String, toml::Table>,
    graph: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![name.to_string()];
    while let Some(next) = stack.pop() {
        let dependencies = match manifests.get(&next) {
            Some(manifest) => normal_dependencies(manifest),
            None => graph.get(&next).cloned().unwrap_or_default(),
        };
        for dependency in dependencies {
            if seen.insert(dependency.clone()) {
                stack.push(dependency);
            }
        }
    }
    seen
}

#[test]
fn architecture_md_states_every_crates_dependencies_and_they_hold() {
    let rows = documented();
    let manifests = manifests();
    let graph = lock();
    let documented: BTreeSet<&String> = rows.keys().collect();
    let crates: BTreeSet<&String> = manifests.keys().collect();
    assert_eq!(
        documented, crates,
        "ARCHITECTURE.md's Dependencies table and the workspace's crates differ"
    );
    let mut problems = Vec::new();
    for (name, row) in &rows {
        let used: BTreeSet<String> = normal_dependencies(&manifests[name])
            .into_iter()
            .filter(|dependency| dependency.starts_with("hailsham"))
            .collect();
        if used != row.uses {
            problems.push(format!(
                "{name} uses {used:?}, ARCHITECTURE.md says {:?}",
                row.uses
            ));
        }
        let built = builds(name, &manifests, &graph);
        for forbidden in &row.never {
            if built.contains(forbidden) {
                problems.push(format!(
                    "{name} builds {forbidden}, which it must never build"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Goal: the check can fail. Method: a crate that builds plotters is caught through two
/// levels of dependencies.
#[test]
fn a_forbidden_crate_is_found_however_deep() {
    let manifests = manifests();
    let graph = lock();
    assert!(builds("hailsham", &manifests, &graph).contains("plotters"));
    assert!(builds("hailsham-report", &manifests, &graph).contains("ab_glyph"));
    assert!(!builds("hailsham-engine", &manifests, &graph).contains("hailsham-world"));
}
