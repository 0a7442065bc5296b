//! Loading tests: chains, every error kind with its place, several problems at once, and the
//! broken files of `tests/data/bad/`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use hailsham_world::Params;

use crate::{Diagnostics, Scenario, ScenarioError};

/// A directory under the system temp dir, unique to this process and test, removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("hailsham-scenario-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir { path }
    }

    /// Writes `text` to `name` in the directory and returns its path.
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, text).expect("write temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn loaded(path: &Path) -> Scenario {
    match Scenario::load(path) {
        Ok(scenario) => scenario,
        Err(diagnostics) => panic!("unexpected errors:\n{}", diagnostics.render()),
    }
}

fn parsed(text: &str) -> Scenario {
    match Scenario::parse(text, Path::new("test.toml")) {
        Ok(scenario) => scenario,
        Err(diagnostics) => panic!("unexpected errors:\n{}", diagnostics.render()),
    }
}

fn failed(text: &str) -> Diagnostics {
    match Scenario::parse(text, Path::new("test.toml")) {
        Ok(scenario) => panic!("expected errors, got {scenario:?}"),
        Err(diagnostics) => diagnostics,
    }
}

fn failed_load(path: &Path) -> Diagnostics {
    match Scenario::load(path) {
        Ok(scenario) => panic!("expected errors, got {scenario:?}"),
        Err(diagnostics) => diagnostics,
    }
}

/// (line, column) of the only diagnostic, after checking there is only one.
fn only_place(diagnostics: &Diagnostics) -> (Option<usize>, Option<usize>) {
    assert_eq!(diagnostics.items.len(), 1, "{}", diagnostics.render());
    (diagnostics.items[0].line, diagnostics.items[0].column)
}

#[test]
fn empty_file_is_the_novel() {
    let scenario = parsed("");
    assert_eq!(scenario.params, Params::default());
    assert!(scenario.changed.is_empty());
    assert_eq!(scenario.name, "test", "the file stem");
    assert_eq!(scenario.description, "");
    assert_eq!(
        (scenario.question.as_str(), scenario.source.as_str()),
        ("", "")
    );
    assert_eq!(scenario.files, vec![PathBuf::from("test.toml")]);
    assert_eq!(scenario.hash(), Scenario::novel().hash());
}

#[test]
fn novel_is_the_defaults() {
    let novel = Scenario::novel();
    assert_eq!(novel.name, "novel");
    assert!(!novel.description.is_empty() && !novel.description.contains('\n'));
    assert_eq!(novel.path, None);
    assert!(novel.files.is_empty() && novel.changed.is_empty());
    assert_eq!(novel.params, Params::default());
}

#[test]
fn hash_is_hex_sha256_of_the_canonical_text() {
    let novel = Scenario::novel();
    let hash = novel.hash();
    assert_eq!(hash.len(), 64);
    assert!(
        hash.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    let changed = parsed("[care]\ncarer_share = 0.5\n");
    assert_ne!(changed.hash(), hash);
    // The same parameters hash alike however they are written.
    let again = parsed("# another way\ncare.carer_share = 0.50\nname = \"x\"\n");
    assert_eq!(again.hash(), changed.hash());
    // Known answer: SHA-256 of the empty string, to pin the algorithm.
    let digest = <sha2::Sha256 as sha2::Digest>::digest(b"");
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn header_and_keys_are_read() {
    let scenario = parsed(
        "name = \"single-harvest\"\ndescription = \"One donation\"\n[care]\ncarer_share = 0.5\n\
         [donation]\ndonations_max = 1\n[deferral]\ngranted = true\napply_at_donation = 0\n",
    );
    assert_eq!(scenario.name, "single-harvest");
    assert_eq!(scenario.description, "One donation");
    assert_eq!(scenario.params.care.carer_share, 0.5);
    assert_eq!(scenario.params.donation.donations_max, 1);
    assert!(scenario.params.deferral.granted);
    assert_eq!(
        scenario.changed,
        vec![
            ("care", "carer_share"),
            ("donation", "donations_max"),
            ("deferral", "apply_at_donation"),
            ("deferral", "granted"),
        ],
        "in table order"
    );
}

#[test]
fn question_and_source_are_read_and_change_no_parameter() {
    let scenario = parsed(
        "name = \"single-harvest\"\nquestion = \"Why not take everything at once?\"\n\
         source = \"docs/model.md §13, a reviewer\"\n",
    );
    assert_eq!(scenario.question, "Why not take everything at once?");
    assert_eq!(scenario.source, "docs/model.md §13, a reviewer");
    assert!(scenario.changed.is_empty());
    assert_eq!(
        scenario.hash(),
        Scenario::novel().hash(),
        "words are not parameters"
    );
    let novel = Scenario::novel();
    assert_eq!((novel.question.as_str(), novel.source.as_str()), ("", ""));
}

#[test]
fn question_and_source_must_be_strings() {
    let diagnostics = failed(
        "question = 3
source = true
",
    );
    assert_eq!(diagnostics.items.len(), 2, "{}", diagnostics.render());
    for (item, key, found) in [
        (&diagnostics.items[0], "question", "a whole number"),
        (&diagnostics.items[1], "source", "true or false"),
    ] {
        assert_eq!(
            item.error,
            ScenarioError::WrongType {
                key: key.to_string(),
                expected: "a string",
                found,
            }
        );
    }
    let misspelt = failed("questoin = \"why?\"\n");
    assert!(matches!(
        &misspelt.items[0].error,
        ScenarioError::UnknownKey { suggestion: Some(s), .. } if s == "question"
    ));
    let unknown = failed("zzzzzzzzzzzzzzzz = 1\n").render();
    assert!(unknown.contains("`question`, `source`"), "{unknown}");
}

#[test]
fn integer_is_accepted_for_a_float() {
    let scenario = parsed("[care]\ncarer_share = 1\ncareer_years_max = 1_4\n");
    assert_eq!(scenario.params.care.carer_share, 1.0);
    assert_eq!(scenario.params.care.career_years_max, 14.0);
    assert_eq!(scenario.changed, vec![("care", "carer_share")]);
}

#[test]
fn toml_forms_of_numbers_and_tables_are_accepted() {
    let scenario = parsed(
        "care = { carer_share = 0.25 }\ndonation.donations_max = 0x3\ndeferral.apply_at_donation = 0b10\n\
         [homes]\npopulation_millions = 5e1\n",
    );
    assert_eq!(scenario.params.care.carer_share, 0.25);
    assert_eq!(scenario.params.donation.donations_max, 3);
    assert_eq!(scenario.params.deferral.apply_at_donation, 2);
    assert_eq!(scenario.params.homes.population_millions, 50.0);
}

#[test]
fn setting_a_default_value_changes_nothing() {
    let scenario = parsed("[care]\ncarer_share = 0.55\n");
    assert!(scenario.changed.is_empty());
}

#[test]
fn base_changes_only_its_keys() {
    let dir = TempDir::new();
    let base = dir.write(
        "base.toml",
        "name = \"base\"\nquestion = \"What if?\"\nsource = \"the base\"\n[care]\n\
         carer_share = 0.5\n[donation]\ndonations_max = 2\n[deferral]\napply_at_donation = 1\n",
    );
    let top = dir.write(
        "top.toml",
        "base = \"base.toml\"\n[care]\ncarer_share = 0.6\n",
    );
    let scenario = loaded(&top);
    assert_eq!(scenario.name, "top", "a base's name is not inherited");
    assert_eq!(scenario.question, "", "nor its question");
    assert_eq!(scenario.source, "", "nor its source");
    assert_eq!(scenario.params.care.carer_share, 0.6, "the later file wins");
    assert_eq!(scenario.params.donation.donations_max, 2, "from the base");
    let mut expected = Params::default();
    expected.care.carer_share = 0.6;
    expected.donation.donations_max = 2;
    expected.deferral.apply_at_donation = 1;
    assert_eq!(scenario.params, expected, "nothing else moved");
    assert_eq!(
        scenario.changed,
        vec![
            ("care", "carer_share"),
            ("donation", "donations_max"),
            ("deferral", "apply_at_donation"),
        ]
    );
    assert_eq!(scenario.files, vec![base, top.clone()]);
    assert_eq!(scenario.path, Some(top));
}

#[test]
fn base_is_applied_first_even_when_written_last() {
    let dir = TempDir::new();
    dir.write("base.toml", "[care]\ncarer_share = 0.5\n");
    let top = dir.write(
        "top.toml",
        "care.carer_share = 0.6\nname = \"t\"\nbase = \"base.toml\"\n",
    );
    assert_eq!(loaded(&top).params.care.carer_share, 0.6);
}

#[test]
fn chain_of_three_files() {
    let dir = TempDir::new();
    std::fs::create_dir_all(dir.path.join("sub")).expect("mkdir");
    let root = dir.write(
        "root.toml",
        "[care]\ncarer_share = 0.1\ntraining_years = 1.0\n[time]\nend_year = 2010\n",
    );
    let middle = dir.write(
        "sub/middle.toml",
        "base = \"../root.toml\"\n[care]\ncarer_share = 0.2\n",
    );
    let top = dir.write(
        "sub/top.toml",
        "base = \"middle.toml\"\n[time]\nend_year = 2020\n",
    );
    let scenario = loaded(&top);
    assert_eq!(scenario.params.care.carer_share, 0.2);
    assert_eq!(scenario.params.care.training_years, 1.0);
    assert_eq!(scenario.params.time.end_year, 2020);
    assert_eq!(scenario.files.len(), 3);
    assert_eq!(scenario.files[0], dir.path.join("sub/../root.toml"));
    assert_eq!(
        std::fs::canonicalize(&scenario.files[0]).ok(),
        std::fs::canonicalize(&root).ok()
    );
    assert_eq!(scenario.files[1], middle);
    assert_eq!(scenario.files[2], top);
    assert_eq!(
        scenario.changed,
        vec![
            ("time", "end_year"),
            ("care", "carer_share"),
            ("care", "training_years"),
        ]
    );
}

#[test]
fn a_base_used_twice_is_not_a_loop() {
    // Diamond-free but repeated: top -> mid -> common, and common is fine on its own.
    let dir = TempDir::new();
    dir.write("common.toml", "[care]\ncarer_share = 0.3\n");
    dir.write("mid.toml", "base = \"common.toml\"\n");
    let top = dir.write("top.toml", "base = \"mid.toml\"\n");
    assert_eq!(loaded(&top).params.care.carer_share, 0.3);
}

#[test]
fn unknown_key_has_place_and_suggestion() {
    let diagnostics = failed("name = \"bad\"\n\n[care]\ncarer_sahre = 0.9\n");
    assert_eq!(only_place(&diagnostics), (Some(4), Some(1)));
    let item = &diagnostics.items[0];
    assert_eq!(
        item.error,
        ScenarioError::UnknownKey {
            section: "care".to_string(),
            key: "carer_sahre".to_string(),
            suggestion: Some("carer_share".to_string()),
        }
    );
    assert_eq!(item.file, PathBuf::from("test.toml"));
    assert_eq!(item.span, Some(21..32));
    assert_eq!(item.source_line.as_deref(), Some("carer_sahre = 0.9"));
    assert_eq!(
        diagnostics.render(),
        "error: unknown key `carer_sahre` in [care]\n  --> test.toml:4:1\n   |\n 4 | carer_sahre = 0.9\n   | ^^^^^^^^^^^\n   = help: did you mean `carer_share`?\n"
    );
}

#[test]
fn key_of_another_section_is_suggested_with_its_table() {
    let diagnostics = failed("[care]\ndonations_max = 2\n");
    assert_eq!(only_place(&diagnostics), (Some(2), Some(1)));
    assert!(matches!(
        &diagnostics.items[0].error,
        ScenarioError::UnknownKey { section, key, suggestion: Some(s) }
            if section == "care" && key == "donations_max" && s == "[donation] donations_max"
    ));
    assert!(
        diagnostics
            .render()
            .contains("did you mean `[donation] donations_max`?")
    );
}

#[test]
fn unknown_top_level_key() {
    let diagnostics = failed("carer_share = 0.5\n");
    assert_eq!(only_place(&diagnostics), (Some(1), Some(1)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::UnknownKey {
            section: String::new(),
            key: "carer_share".to_string(),
            suggestion: Some("[care] carer_share".to_string()),
        }
    );
    assert!(diagnostics.render().contains("at the top level"));
}

#[test]
fn unknown_section() {
    let diagnostics = failed("# x\n[cares]\ncarer_share = 0.5\n");
    assert_eq!(only_place(&diagnostics), (Some(2), Some(2)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::UnknownSection {
            section: "cares".to_string(),
            suggestion: Some("care".to_string()),
        }
    );
    assert!(diagnostics.render().contains("did you mean `[care]`?"));
}

#[test]
fn section_that_is_not_a_table() {
    let diagnostics = failed("name = \"x\"\ncare = 0.5\n");
    assert_eq!(only_place(&diagnostics), (Some(2), Some(1)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::NotATable {
            section: "care".to_string()
        }
    );
}

#[test]
fn wrong_types() {
    let diagnostics = failed("[care]\ncarer_share = \"most\"\n");
    assert_eq!(only_place(&diagnostics), (Some(2), Some(15)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::WrongType {
            key: "care.carer_share".to_string(),
            expected: "a number",
            found: "a string",
        }
    );
    assert!(
        diagnostics
            .render()
            .contains("wrong type for `care.carer_share`: expected a number, found a string")
    );

    let diagnostics = failed("[donation]\ndonations_max = 3.0\n");
    assert_eq!(only_place(&diagnostics), (Some(2), Some(17)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::WrongType {
            key: "donation.donations_max".to_string(),
            expected: "a whole number",
            found: "a decimal number",
        }
    );

    let diagnostics = failed("[deferral]\ngranted = 1\n");
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::WrongType {
            expected: "true or false",
            found: "a whole number",
            ..
        }
    ));

    let diagnostics = failed("name = 3\n");
    assert_eq!(only_place(&diagnostics), (Some(1), Some(8)));
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::WrongType {
            expected: "a string",
            found: "a whole number",
            ..
        }
    ));

    let diagnostics = failed("[care]\ncarer_share = [0.5]\ntraining_years = 1979-05-27\n");
    assert_eq!(diagnostics.items.len(), 2, "{}", diagnostics.render());
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::WrongType {
            found: "an array",
            ..
        }
    ));
    assert!(matches!(
        diagnostics.items[1].error,
        ScenarioError::WrongType {
            found: "a date",
            ..
        }
    ));
}

#[test]
fn out_of_range() {
    let diagnostics = failed("[care]\ncarer_share = 1.5\n");
    assert_eq!(only_place(&diagnostics), (Some(2), Some(15)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::OutOfRange {
            key: "care.carer_share".to_string(),
            value: "1.5".to_string(),
            min: 0.0,
            max: 1.0,
        }
    );
    assert!(
        diagnostics
            .render()
            .contains("value 1.5 out of range for `care.carer_share`: expected 0 to 1")
    );

    // Not finite, and too large for any integer.
    let diagnostics =
        failed("[care]\ncarer_share = nan\n[time]\nend_year = 99999999999999999999\n");
    assert_eq!(diagnostics.items.len(), 2, "{}", diagnostics.render());
    assert!(matches!(
        &diagnostics.items[0].error,
        ScenarioError::OutOfRange { value, .. } if value == "nan"
    ));
    assert!(matches!(
        &diagnostics.items[1].error,
        ScenarioError::OutOfRange { value, min, max, .. }
            if value == "99999999999999999999" && *min == 1901.0 && *max == 2300.0
    ));
}

#[test]
fn syntax_error_has_line_and_column() {
    let diagnostics = failed("name = \"x\"\n[care]\ncarer_share = \n");
    assert_eq!(only_place(&diagnostics), (Some(3), Some(15)));
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::Syntax { .. }
    ));
    let diagnostics = failed("[care]\ncarer_share = 0.5\ncarer_share = 0.6\n");
    assert_eq!(only_place(&diagnostics), (Some(3), Some(1)));
    assert!(diagnostics.render().contains("duplicate key"));
}

#[test]
fn inconsistent_values() {
    let diagnostics = failed("[care]\n\ncareer_years_mode = 20\n");
    assert_eq!(only_place(&diagnostics), (Some(3), Some(1)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::Inconsistent {
            keys: vec![
                "care.career_years_mode".to_string(),
                "care.career_years_min".to_string(),
                "care.career_years_max".to_string(),
            ],
            message: "career years must satisfy min <= mode <= max; got 2 <= 20 <= 14".to_string(),
        }
    );
    assert!(diagnostics.render().contains("`care.career_years_max`"));
}

#[test]
fn inconsistent_with_the_first_key_unset_points_at_a_key_that_is_set() {
    let diagnostics = failed("[care]\ncareer_years_max = 3\n");
    assert_eq!(only_place(&diagnostics), (Some(2), Some(1)));
    assert_eq!(diagnostics.items[0].file, PathBuf::from("test.toml"));
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::Inconsistent { .. }
    ));
    assert_eq!(
        diagnostics.render(),
        "error: inconsistent parameters: career years must satisfy min <= mode <= max; got 2 <= 4.5 <= 3\n  --> test.toml:2:1\n   |\n 2 | career_years_max = 3\n   | ^^^^^^^^^^^^^^^^\n   = help: the keys involved are `care.career_years_mode`, `care.career_years_min`, `care.career_years_max`\n"
    );
}

#[test]
fn inconsistent_points_at_the_latest_file_that_sets_the_key() {
    let dir = TempDir::new();
    let base = dir.write("base.toml", "[care]\ncareer_years_mode = 12\n");
    let top = dir.write(
        "top.toml",
        "base = \"base.toml\"\n[care]\ncareer_years_max = 10\n",
    );
    let diagnostics = failed_load(&top);
    assert_eq!(only_place(&diagnostics), (Some(2), Some(1)));
    assert_eq!(diagnostics.items[0].file, base);

    let top = dir.write(
        "top2.toml",
        "base = \"base.toml\"\n[care]\ncareer_years_max = 10\ncareer_years_mode = 11\n",
    );
    let diagnostics = failed_load(&top);
    assert_eq!(only_place(&diagnostics), (Some(4), Some(1)));
    assert_eq!(diagnostics.items[0].file, top);
}

#[test]
fn rules_over_a_wrongly_given_key_are_not_checked() {
    // career_years_max out of range keeps its default, so the rule would judge values the
    // author did not write; only the range error is reported.
    let diagnostics = failed("[care]\ncareer_years_mode = 20\ncareer_years_max = 50\n");
    assert_eq!(diagnostics.items.len(), 1, "{}", diagnostics.render());
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::OutOfRange { .. }
    ));
}

#[test]
fn several_problems_are_all_reported_in_order() {
    let text = "\
name = \"many\"
colour = \"blue\"
[care]
carer_sahre = 0.9
carer_share = \"most\"
quality_effect = 2.0
[cares]
x = 1
[donation]
donations_max = 2
";
    let diagnostics = failed(text);
    let kinds: Vec<(Option<usize>, &ScenarioError)> = diagnostics
        .items
        .iter()
        .map(|item| (item.line, &item.error))
        .collect();
    assert_eq!(kinds.len(), 6, "{}", diagnostics.render());
    assert_eq!(kinds[0].0, Some(2));
    assert!(matches!(kinds[0].1, ScenarioError::UnknownKey { key, .. } if key == "colour"));
    assert_eq!(kinds[1].0, Some(4));
    assert!(matches!(kinds[1].1, ScenarioError::UnknownKey { key, .. } if key == "carer_sahre"));
    assert_eq!(kinds[2].0, Some(5));
    assert!(matches!(kinds[2].1, ScenarioError::WrongType { .. }));
    assert_eq!(kinds[3].0, Some(6));
    assert!(matches!(kinds[3].1, ScenarioError::OutOfRange { .. }));
    assert_eq!(kinds[4].0, Some(7));
    assert!(matches!(kinds[4].1, ScenarioError::UnknownSection { .. }));
    // apply_at_donation (3, the default) is no longer below donations_max: the rule points at
    // the one of its keys the file sets.
    assert_eq!(kinds[5].0, Some(10));
    assert!(matches!(kinds[5].1, ScenarioError::Inconsistent { .. }));
    let rendered = diagnostics.render();
    assert_eq!(rendered.matches("error: ").count(), 6);
    assert!(rendered.contains("\n\nerror: "), "blank line between items");
}

#[test]
fn errors_in_a_base_name_the_base_and_come_first() {
    let dir = TempDir::new();
    let base = dir.write("base.toml", "# base\n\n[care]\ncarer_sahre = 0.9\n");
    let top = dir.write(
        "top.toml",
        "base = \"base.toml\"\n[care]\ncarer_share = 2\n",
    );
    let diagnostics = failed_load(&top);
    assert_eq!(diagnostics.items.len(), 2, "{}", diagnostics.render());
    assert_eq!(diagnostics.items[0].file, base);
    assert_eq!(diagnostics.items[0].line, Some(4));
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::UnknownKey { .. }
    ));
    assert_eq!(diagnostics.items[1].file, top);
    assert_eq!(diagnostics.items[1].line, Some(3));
    assert!(
        diagnostics
            .render()
            .contains(&format!("--> {}:4:1", base.display()))
    );
}

#[test]
fn syntax_error_in_a_base_does_not_stop_the_top_file() {
    let dir = TempDir::new();
    dir.write("base.toml", "[care\n");
    let top = dir.write(
        "top.toml",
        "base = \"base.toml\"\n[care]\ncarer_sahre = 1\n",
    );
    let diagnostics = failed_load(&top);
    assert_eq!(diagnostics.items.len(), 2, "{}", diagnostics.render());
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::Syntax { .. }
    ));
    assert!(matches!(
        diagnostics.items[1].error,
        ScenarioError::UnknownKey { .. }
    ));
}

#[test]
fn missing_base() {
    let dir = TempDir::new();
    let top = dir.write("top.toml", "name = \"x\"\nbase = \"nope.toml\"\n");
    let diagnostics = failed_load(&top);
    assert_eq!(only_place(&diagnostics), (Some(2), Some(8)));
    let resolved = std::fs::canonicalize(&dir.path)
        .expect("canonical")
        .join("nope.toml");
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::BaseNotFound {
            base: "nope.toml".to_string(),
            resolved: resolved.clone(),
        }
    );
    assert!(diagnostics.render().contains(&format!(
        "base file `nope.toml` not found (looked for {})",
        resolved.display()
    )));
}

#[test]
fn base_of_the_wrong_type() {
    let diagnostics = failed("base = 1\n");
    assert_eq!(only_place(&diagnostics), (Some(1), Some(8)));
    assert!(matches!(
        &diagnostics.items[0].error,
        ScenarioError::WrongType { key, expected: "a string", .. } if key == "base"
    ));
}

#[test]
fn base_that_is_a_directory_is_not_a_file() {
    let dir = TempDir::new();
    std::fs::create_dir_all(dir.path.join("folder.toml")).expect("mkdir");
    let top = dir.write("top.toml", "base = \"folder.toml\"\n");
    let diagnostics = failed_load(&top);
    assert_eq!(only_place(&diagnostics), (Some(1), Some(8)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::NotAFile {
            path: dir.path.join("folder.toml"),
            kind: "a directory",
        }
    );
    assert!(
        diagnostics
            .render()
            .contains("is a directory, not a regular file")
    );
}

#[test]
fn base_cycle_through_another_file() {
    let dir = TempDir::new();
    let a = dir.write("a.toml", "base = \"b.toml\"\n[care]\ncarer_share = 0.5\n");
    let b = dir.write("b.toml", "# b\nbase = \"a.toml\"\n");
    let diagnostics = failed_load(&a);
    assert_eq!(only_place(&diagnostics), (Some(2), Some(8)));
    assert_eq!(diagnostics.items[0].file, b);
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::BaseCycle {
            chain: vec![a.clone(), b.clone(), a.clone()]
        }
    );
    assert!(diagnostics.render().contains(&format!(
        "base chain loops: {} -> {} -> {}",
        a.display(),
        b.display(),
        a.display()
    )));
}

#[test]
fn base_cycle_through_itself() {
    let dir = TempDir::new();
    let a = dir.write("self.toml", "base = \"self.toml\"\n");
    let diagnostics = failed_load(&a);
    assert_eq!(only_place(&diagnostics), (Some(1), Some(8)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::BaseCycle {
            chain: vec![a.clone(), a.clone()]
        }
    );
    // Also when the text is given and the file does not exist.
    let diagnostics = failed("base = \"test.toml\"\n");
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::BaseCycle { .. }
    ));
}

#[test]
fn unreadable_file() {
    let dir = TempDir::new();
    let path = dir.path.join("absent.toml");
    let diagnostics = failed_load(&path);
    assert_eq!(only_place(&diagnostics), (None, None));
    assert_eq!(diagnostics.items[0].file, path);
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::Unreadable { .. }
    ));
    assert!(
        diagnostics
            .to_string()
            .starts_with("error: cannot read scenario file")
    );
}

#[test]
fn odd_input_does_not_panic() {
    let inputs = [
        "\u{feff}name = \"bom\"\n",
        "[care]\ncarer_share = 0.5\r\n",
        "é = 1\n",
        "[[care]]\ncarer_share = 1\n",
        "[care.sub]\nx = 1\n",
        "\"\" = 1\n",
        "[care]\n\"carer share\" = 1\n",
        "x = \"\u{0}\"",
        "= = =",
        "[",
        "\"",
        "base = \"\"\n",
        "base = \"/\"\n",
        "[time]\nstart_year = -9223372036854775808\nend_year = 0b11111111111\n",
        "[care]\ncarer_share = -0.0\ncareer_years_max = +inf\n",
    ];
    for input in inputs {
        if let Err(diagnostics) = Scenario::parse(input, Path::new("odd.toml")) {
            assert!(!diagnostics.items.is_empty());
            let _ = diagnostics.render();
        }
    }
}

/// Random text over a TOML-ish alphabet, with a fixed seed: loading returns, never panics.
#[test]
fn random_text_does_not_panic() {
    const ALPHABET: &[char] = &[
        '[', ']', '=', '"', '\'', '.', '#', '\n', ' ', '\r', '{', '}', ',', '_', '-', '+', '0',
        '1', '9', 'e', 'x', 'c', 'a', 'r', 'é', '\t', 'n', 'i', 'f',
    ];
    let words = [
        "care",
        "carer_share",
        "base",
        "name",
        "true",
        "0.5",
        "[care]",
        "\n",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        // xorshift64*: a fixed, dependency-free stream.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    for _ in 0..2000 {
        let mut text = String::new();
        let length = next() % 40;
        for _ in 0..length {
            let r = next();
            if r % 4 == 0 {
                text.push_str(words[(r / 4) as usize % words.len()]);
            } else {
                text.push(ALPHABET[(r / 4) as usize % ALPHABET.len()]);
            }
        }
        if let Err(diagnostics) = Scenario::parse(&text, Path::new("random.toml")) {
            assert!(!diagnostics.items.is_empty());
            let _ = diagnostics.render();
        }
    }
}

/// The broken files the CLI's integration test runs: each must fail with its expected text.
#[test]
fn bad_files_fail_as_expected() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/bad");
    let expected = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let mut count = 0;
    for line in expected.lines().filter(|line| !line.trim().is_empty()) {
        let Some((file, substring)) = line.split_once('\t') else {
            panic!("expected.txt line without a tab: {line:?}");
        };
        // With figure keys of its own, as the binary passes the report's: one file names a
        // figure that is not one.
        let diagnostics = match Scenario::load_with_figures(&dir.join(file), &FIGURE_KEYS) {
            Ok(scenario) => panic!("{file}: expected errors, got {scenario:?}"),
            Err(diagnostics) => diagnostics,
        };
        let rendered = diagnostics.render();
        // Shown with `--nocapture`, to read the messages as a user sees them.
        println!("{rendered}");
        assert!(
            rendered.contains(substring),
            "{file}: expected {substring:?} in\n{rendered}"
        );
        count += 1;
    }
    let tomls = std::fs::read_dir(&dir)
        .expect("read tests/data/bad")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "toml"))
        .count();
    assert_eq!(count, tomls, "every bad file is listed in expected.txt");
}

/// Writes a chain `link-0.toml` -> `link-1.toml` -> ... -> `link-{bases}.toml` and returns the
/// path of `link-0.toml`, the file to load: it has `bases` bases.
fn write_chain(dir: &TempDir, bases: usize) -> PathBuf {
    for i in 0..bases {
        dir.write(
            &format!("link-{i}.toml"),
            &format!("# link {i}\nbase = \"link-{}.toml\"\n", i + 1),
        );
    }
    dir.write(&format!("link-{bases}.toml"), "[care]\ncarer_share = 0.5\n");
    dir.path.join("link-0.toml")
}

#[test]
fn a_chain_of_the_most_bases_allowed_loads() {
    let dir = TempDir::new();
    let top = write_chain(&dir, crate::BASE_DEPTH_MAX);
    let scenario = loaded(&top);
    assert_eq!(scenario.files.len(), crate::BASE_DEPTH_MAX + 1);
    assert_eq!(scenario.params.care.carer_share, 0.5);
    assert_eq!(scenario.files.last(), Some(&top));
}

/// A chain one base too long names the file and the `base` line that would exceed the bound;
/// a chain of thousands stops there too, at once, instead of overflowing the stack.
#[test]
fn a_chain_deeper_than_the_bound_is_refused_at_the_base_that_exceeds_it() {
    let dir = TempDir::new();
    let top = write_chain(&dir, crate::BASE_DEPTH_MAX + 1);
    let diagnostics = failed_load(&top);
    assert_eq!(only_place(&diagnostics), (Some(2), Some(8)));
    let last = format!("link-{}.toml", crate::BASE_DEPTH_MAX);
    assert_eq!(diagnostics.items[0].file, dir.path.join(&last));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::BaseTooDeep {
            base: format!("link-{}.toml", crate::BASE_DEPTH_MAX + 1),
            max: crate::BASE_DEPTH_MAX,
        }
    );
    let rendered = diagnostics.render();
    assert!(rendered.contains("base chain too deep"), "{rendered}");
    assert!(rendered.contains(&format!("{last}:2:8")), "{rendered}");
    assert!(rendered.contains("at most 64"), "{rendered}");

    let long = TempDir::new();
    let top = write_chain(&long, 8000);
    let started = std::time::Instant::now();
    let diagnostics = failed_load(&top);
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::BaseTooDeep { .. }
    ));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_long_loop_is_a_loop_not_a_deep_chain() {
    let dir = TempDir::new();
    for i in 0..10 {
        dir.write(
            &format!("ring-{i}.toml"),
            &format!("base = \"ring-{}.toml\"\n", (i + 1) % 10),
        );
    }
    let diagnostics = failed_load(&dir.path.join("ring-0.toml"));
    let ScenarioError::BaseCycle { chain } = &diagnostics.items[0].error else {
        panic!("{}", diagnostics.render());
    };
    assert_eq!(chain.len(), 11, "ring-0 to ring-9 and back to ring-0");
    assert_eq!(chain.first(), chain.last());
}

/// Runs `mkfifo`, where there is one: a named pipe cannot be committed as test data.
#[cfg(unix)]
fn fifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|status| status.success())
}

/// A named pipe as a base or as the file itself is refused without being opened: opening it
/// would wait for a writer forever.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_waiting() {
    let dir = TempDir::new();
    let pipe = dir.path.join("pipe.toml");
    if !fifo(&pipe) {
        eprintln!("no mkfifo here: skipped");
        return;
    }
    let top = dir.write("top.toml", "base = \"pipe.toml\"\n");
    let diagnostics = failed_load(&top);
    assert_eq!(only_place(&diagnostics), (Some(1), Some(8)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::NotAFile {
            path: pipe.clone(),
            kind: "a named pipe (FIFO)",
        }
    );
    let diagnostics = failed_load(&pipe);
    assert_eq!(only_place(&diagnostics), (None, None));
    assert!(
        diagnostics
            .render()
            .contains("is a named pipe (FIFO), not a regular file")
    );
}

/// `/dev/zero` never ends: as a base or as the file, it is refused, not read.
#[cfg(unix)]
#[test]
fn a_device_is_refused_without_reading() {
    let zero = Path::new("/dev/zero");
    if !zero.exists() {
        return;
    }
    let diagnostics = failed("base = \"/dev/zero\"\n");
    assert_eq!(only_place(&diagnostics), (Some(1), Some(8)));
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::NotAFile {
            path: zero.to_path_buf(),
            kind: "a character device",
        }
    );
    let diagnostics = failed_load(zero);
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::NotAFile { .. }
    ));
}

#[test]
fn a_file_over_the_size_bound_is_refused() {
    let dir = TempDir::new();
    let max = usize::try_from(crate::FILE_BYTES_MAX).expect("small");
    // A comment line filling the file to exactly the bound loads.
    let fits = format!("#{}\n", "x".repeat(max - 2));
    assert_eq!(fits.len(), max);
    let path = dir.write("fits.toml", &fits);
    assert_eq!(loaded(&path).params, Params::default());
    let over = format!("#{}\n", "x".repeat(max - 1));
    let big = dir.write("big.toml", &over);
    let diagnostics = failed_load(&big);
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::TooLarge {
            path: big.clone(),
            max: crate::FILE_BYTES_MAX,
        }
    );
    assert!(
        diagnostics
            .render()
            .contains("is larger than 1 MiB (1048576 bytes), the most a scenario file may hold"),
        "{}",
        diagnostics.render()
    );
    let top = dir.write("top.toml", "name = \"t\"\nbase = \"big.toml\"\n");
    let diagnostics = failed_load(&top);
    assert_eq!(only_place(&diagnostics), (Some(2), Some(8)));
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::TooLarge { .. }
    ));
}

#[test]
fn text_that_is_not_utf8_is_unreadable() {
    let dir = TempDir::new();
    let path = dir.path.join("latin1.toml");
    std::fs::write(&path, b"name = \"caf\xe9\"\n").expect("write");
    let diagnostics = failed_load(&path);
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::Unreadable {
            message: "the file is not UTF-8 text".to_string()
        }
    );
}

/// A key of a megabyte: no suggestion is searched for, and the message shows the key cut, with
/// its length, and the source line cut around it, so the report stays a few lines long.
#[test]
fn a_huge_unknown_key_is_shown_cut() {
    let key = "k".repeat(1_000_000);
    let text = format!("[care]\n{key} = 1\n");
    let started = std::time::Instant::now();
    let diagnostics = failed(&text);
    let rendered = diagnostics.render();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(
        &diagnostics.items[0].error,
        ScenarioError::UnknownKey {
            suggestion: None,
            ..
        }
    ));
    assert!(
        rendered.len() < 1000,
        "{} bytes:\n{rendered}",
        rendered.len()
    );
    assert!(
        rendered.contains(&format!(
            "unknown key `{}…` (1000000 characters) in [care]",
            "k".repeat(60)
        )),
        "{rendered}"
    );
    assert!(rendered.contains("--> test.toml:2:1"), "{rendered}");
    // A problem far along a long line is shown with the text around it, carets under it.
    let line = format!("care = {{ {} = 1, carer_sahre = 0.5 }}\n", "a".repeat(5000));
    let diagnostics = failed(&line);
    let item = diagnostics
        .items
        .iter()
        .find(|item| matches!(&item.error, ScenarioError::UnknownKey { key, .. } if key == "carer_sahre"))
        .expect("the misspelt key is reported");
    let rendered = item.render();
    assert!(rendered.len() < 600, "{rendered}");
    let lines: Vec<&str> = rendered.lines().collect();
    let source = lines
        .iter()
        .find(|l| l.starts_with(" 1 | "))
        .expect("source line");
    let carets = lines.iter().find(|l| l.contains('^')).expect("carets");
    let at = source.find("carer_sahre").expect("the key is shown");
    assert_eq!(
        source[..at].chars().count(),
        carets.find('^').expect("a caret"),
        "the carets stand under the key:\n{rendered}"
    );
    assert!(carets.contains(&"^".repeat(11)), "{rendered}");
    assert!(rendered.contains("did you mean `carer_share`?"));
}

#[test]
fn the_problems_listed_are_bounded_and_the_rest_counted() {
    let mut text = String::from("[care]\n");
    for i in 0..5000 {
        text.push_str(&format!("unknown_{i} = 1\n"));
    }
    let diagnostics = failed(&text);
    assert_eq!(diagnostics.items.len(), crate::DIAGNOSTICS_MAX + 1);
    assert_eq!(
        diagnostics.items.last().map(|item| &item.error),
        Some(&ScenarioError::TooManyProblems {
            shown: crate::DIAGNOSTICS_MAX,
            more: 5000 - crate::DIAGNOSTICS_MAX,
        })
    );
    assert!(
        diagnostics
            .render()
            .contains("error: 4900 more problems not shown")
    );
}

#[test]
fn houses_are_bounded_by_what_a_run_can_hold() {
    let diagnostics = failed("[halfway]\nhouses_other = 65001\n");
    assert_eq!(
        diagnostics.items[0].error,
        ScenarioError::OutOfRange {
            key: "halfway.houses_other".to_string(),
            value: "65001".to_string(),
            min: 1.0,
            max: 65000.0,
        }
    );
    let most = parsed("[halfway]\nhouses_hailsham = 100\nhouses_other = 65000\n");
    assert_eq!(most.params.problems(), Vec::new());
}

/// The bundled list is the folder: a file added to `scenarios/` without its entry in
/// `bundled.rs` (or an entry whose file is gone) fails here.
#[test]
fn the_bundled_scenarios_are_the_files_of_the_scenarios_folder() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("read scenarios/")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    files.sort();
    let bundled: Vec<String> = crate::BUNDLED.iter().map(|b| b.file.to_string()).collect();
    assert_eq!(bundled, files);
    for bundled in crate::BUNDLED {
        let on_disk = std::fs::read_to_string(dir.join(bundled.file)).expect("read");
        assert_eq!(bundled.text, on_disk, "{}", bundled.file);
        assert_eq!(format!("{}.toml", bundled.name), bundled.file);
        let scenario = bundled
            .load()
            .unwrap_or_else(|d| panic!("{}: {}", bundled.name, d.render()));
        assert_eq!(scenario.name, bundled.name, "the name is the file's stem");
        assert_eq!(scenario.path, Some(bundled.path()));
        if bundled.name != "novel" {
            assert_eq!(
                scenario.files,
                vec![PathBuf::from("<bundled>/novel.toml"), bundled.path()],
                "{}: built on the bundled novel",
                bundled.name
            );
        }
        let from_disk = loaded(&dir.join(bundled.file));
        assert_eq!(scenario.hash(), from_disk.hash(), "{}", bundled.name);
    }
}

#[test]
fn bundled_scenarios_are_found_by_name_and_misspellings_get_the_closest() {
    let escape = crate::Bundled::find("escape").expect("escape");
    assert_eq!(crate::Bundled::find("escape.toml"), Some(escape));
    assert_eq!(crate::Bundled::find("escape.tom"), None);
    assert_eq!(crate::Bundled::by_file("escape.toml"), Some(escape));
    assert_eq!(crate::Bundled::by_file("escape"), None);
    assert_eq!(crate::Bundled::closest("escpae"), Some(escape));
    assert_eq!(crate::Bundled::closest("escpae.toml"), Some(escape));
    assert_eq!(crate::Bundled::closest("zzzzzzzzzzzz"), None);
    assert_eq!(escape.path(), PathBuf::from("<bundled>/escape.toml"));
}

/// A user's file anywhere builds on the bundled `novel.toml` when none stands beside it; a
/// file beside it wins.
#[test]
fn a_base_naming_a_bundled_scenario_falls_back_to_it() {
    let dir = TempDir::new();
    let mine = dir.write(
        "mine.toml",
        "base = \"escape.toml\"\n[care]\ncarer_share = 0.5\n",
    );
    let scenario = loaded(&mine);
    assert_eq!(
        scenario.files,
        vec![
            PathBuf::from("<bundled>/novel.toml"),
            PathBuf::from("<bundled>/escape.toml"),
            mine.clone()
        ]
    );
    assert_eq!(scenario.params.escape.rate_per_year, 0.1);
    assert_eq!(scenario.params.care.carer_share, 0.5);
    let beside = dir.write("escape.toml", "[escape]\nrate_per_year = 0.2\n");
    let scenario = loaded(&mine);
    assert_eq!(scenario.files, vec![beside, mine]);
    assert_eq!(scenario.params.escape.rate_per_year, 0.2);
    // Only a bare file name falls back; a path with a folder must exist.
    let diagnostics = failed_load(&dir.write("other.toml", "base = \"sub/novel.toml\"\n"));
    assert!(matches!(
        diagnostics.items[0].error,
        ScenarioError::BaseNotFound { .. }
    ));
}

/// The figure keys the `[answer]` tests check against: the scenario crate does not own the
/// report's list, so the tests bring a few of their own.
const FIGURE_KEYS: [&str; 4] = [
    "waiting_deaths",
    "life_years_gained",
    "completed_at_1_share",
    "organs_supplied",
];

const ANSWER: &str = "[answer]
figures = [\"waiting_deaths\", \"life_years_gained\"]
yes_when = { figure = \"waiting_deaths\", direction = \"down\", matters = 1000, matters_because = \"a thousand is under a tenth of a percent\" }
yes = \"Yes, more of the sick would live\"
no = \"No, no more of the sick would live\"
yes_finding = \"more of the sick live\"
no_finding = \"no more of the sick live\"
by_construction = [\"completed_at_1_share\"]
assumptions = [\"donation.completion_risk_2\", \"demand.waiting_death_rate_heart\"]
";

fn answer_failed(text: &str) -> Diagnostics {
    match Scenario::parse_with_figures(text, Path::new("test.toml"), &FIGURE_KEYS) {
        Ok(scenario) => panic!("expected errors, got {scenario:?}"),
        Err(diagnostics) => diagnostics,
    }
}

#[test]
fn an_answer_table_is_read_whole() {
    let scenario = Scenario::parse_with_figures(ANSWER, Path::new("test.toml"), &FIGURE_KEYS)
        .unwrap_or_else(|d| panic!("{}", d.render()));
    let answer = scenario.answer.clone().expect("an answer");
    assert_eq!(answer.figures, ["waiting_deaths", "life_years_gained"]);
    assert_eq!(answer.yes_when.figure, "waiting_deaths");
    assert_eq!(answer.yes_when.direction, crate::Direction::Down);
    assert_eq!(answer.yes, "Yes, more of the sick would live");
    assert_eq!(answer.yes_finding, "more of the sick live");
    assert_eq!(answer.no_finding, "no more of the sick live");
    assert_eq!(answer.yes_when.matters, 1000.0);
    assert_eq!(
        answer.yes_when.matters_because,
        "a thousand is under a tenth of a percent"
    );
    assert_eq!(answer.by_construction, ["completed_at_1_share"]);
    assert_eq!(
        answer.assumptions,
        [
            ("donation", "completion_risk_2"),
            ("demand", "waiting_death_rate_heart")
        ]
    );
    assert!(scenario.changed.is_empty(), "an answer sets no parameter");
    assert_eq!(scenario.hash(), Scenario::novel().hash(), "nor the hash");
}

#[test]
fn an_answer_key_misspelt_gets_a_suggestion_and_its_place() {
    let text = ANSWER.replace("by_construction", "by_constrution");
    let d = answer_failed(&text);
    assert_eq!(d.items.len(), 1, "{}", d.render());
    assert!(
        matches!(
            &d.items[0].error,
            ScenarioError::UnknownKey { section, key, suggestion: Some(s) }
                if section == "answer" && key == "by_constrution" && s == "by_construction"
        ),
        "{:?}",
        d.items[0].error
    );
    assert_eq!((d.items[0].line, d.items[0].column), (Some(8), Some(1)));
    assert!(
        d.render().contains("did you mean `by_construction`?"),
        "{}",
        d.render()
    );
    let misspelt_table = answer_failed(&ANSWER.replace("[answer]", "[anwser]"));
    assert!(matches!(
        &misspelt_table.items[0].error,
        ScenarioError::UnknownSection { suggestion: Some(s), .. } if s == "answer"
    ));
}

#[test]
fn an_unknown_figure_is_named_with_the_closest_key() {
    let text = ANSWER.replace("\"life_years_gained\"]", "\"life_year_gained\"]");
    let d = answer_failed(&text);
    assert_eq!(d.items.len(), 1, "{}", d.render());
    assert!(
        matches!(
            &d.items[0].error,
            ScenarioError::UnknownFigure { key, figure, suggestion: Some(s) }
                if key == "answer.figures" && figure == "life_year_gained" && s == "life_years_gained"
        ),
        "{:?}",
        d.items[0].error
    );
    assert_eq!(d.items[0].line, Some(2));
    let rendered = d.render();
    assert!(
        rendered.contains("error: unknown figure `life_year_gained` in `answer.figures`"),
        "{rendered}"
    );
    assert!(
        rendered.contains("did you mean `life_years_gained`?"),
        "{rendered}"
    );
    // Without the list, any name is taken as written.
    assert!(Scenario::parse(&text, Path::new("test.toml")).is_ok());
    // The judged figure and the ones by construction are checked too.
    let judged =
        answer_failed(&ANSWER.replace("figure = \"waiting_deaths\"", "figure = \"zzzzzzzzzzzz\""));
    assert!(judged.items.iter().any(|i| matches!(
        &i.error,
        ScenarioError::UnknownFigure { key, suggestion: None, .. } if key == "answer.yes_when.figure"
    )));
    let construction =
        answer_failed(&ANSWER.replace("\"completed_at_1_share\"", "\"completed_at_1\""));
    assert!(matches!(
        &construction.items[0].error,
        ScenarioError::UnknownFigure { key, .. } if key == "answer.by_construction"
    ));
}

#[test]
fn answer_values_of_the_wrong_type_say_what_was_expected() {
    let d = answer_failed(&ANSWER.replace(
        "figures = [\"waiting_deaths\", \"life_years_gained\"]",
        "figures = \"waiting_deaths\"",
    ));
    assert!(
        matches!(
            &d.items[0].error,
            ScenarioError::WrongType { key, expected, found }
                if key == "answer.figures"
                    && *expected == "an array of one or more figure keys"
                    && *found == "a string"
        ),
        "{:?}",
        d.items[0].error
    );
    let d = answer_failed(&ANSWER.replace("yes = \"Yes, more of the sick would live\"", "yes = 1"));
    assert!(matches!(
        &d.items[0].error,
        ScenarioError::WrongType { key, found, .. } if key == "answer.yes" && *found == "a whole number"
    ));
    let d = answer_failed(&ANSWER.replace("direction = \"down\"", "direction = \"donw\""));
    assert!(
        matches!(
            &d.items[0].error,
            ScenarioError::UnknownChoice { key, suggestion: Some(s), .. }
                if key == "answer.yes_when.direction" && s == "down"
        ),
        "{:?}",
        d.items[0].error
    );
    let d = answer_failed("[answer]\nfigures = []\nyes_when = 3\n");
    let kinds: Vec<String> = d.items.iter().map(|i| i.error.to_string()).collect();
    assert!(
        kinds.contains(&"wrong type for `answer.figures`: expected an array of one or more figure keys, found an empty array".to_string()),
        "{kinds:?}"
    );
    assert!(
        kinds
            .iter()
            .any(|k| k.starts_with("wrong type for `answer.yes_when`")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"missing key `yes` in [answer]".to_string()),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"missing key `no` in [answer]".to_string()),
        "{kinds:?}"
    );
    let d = answer_failed("answer = 1\n");
    assert!(matches!(&d.items[0].error, ScenarioError::WrongType { key, .. } if key == "answer"));
}

#[test]
fn answer_assumptions_must_be_parameters_and_figures_must_agree() {
    let d =
        answer_failed(&ANSWER.replace("donation.completion_risk_2", "donation.completion_risk2"));
    assert!(
        matches!(
            &d.items[0].error,
            ScenarioError::UnknownParameter { parameter, suggestion: Some(s), .. }
                if parameter == "donation.completion_risk2" && s == "donation.completion_risk_2"
        ),
        "{:?}",
        d.items[0].error
    );
    let d = answer_failed(&ANSWER.replace(
        "figure = \"waiting_deaths\"",
        "figure = \"organs_supplied\"",
    ));
    assert!(
        matches!(&d.items[0].error, ScenarioError::Inconsistent { keys, .. } if keys[0] == "answer.yes_when.figure"),
        "{:?}",
        d.items[0].error
    );
    let d = answer_failed(&ANSWER.replace(
        "by_construction = [\"completed_at_1_share\"]",
        "by_construction = [\"life_years_gained\"]",
    ));
    assert!(
        matches!(&d.items[0].error, ScenarioError::Inconsistent { keys, .. } if keys[0] == "answer.by_construction")
    );
}

/// Goal: the smallest difference that matters and the findings are required and checked,
/// each mistake located. Method: the answer table with each removed or wrong: a missing
/// `matters`, a `matters` of zero and of text, a bare "Yes" for a finding.
#[test]
fn what_matters_and_the_findings_are_required_and_checked() {
    let kinds = |d: &Diagnostics| {
        d.items
            .iter()
            .map(|i| i.error.to_string())
            .collect::<Vec<_>>()
    };
    let d = answer_failed(&ANSWER.replace(", matters = 1000", ""));
    assert!(
        kinds(&d).contains(&"missing key `matters` in [answer.yes_when]".to_string()),
        "{:?}",
        kinds(&d)
    );
    for (written, found) in [
        ("0", "a number that is not above zero"),
        ("-3.5", "a number that is not above zero"),
        ("\"a lot\"", "a string"),
    ] {
        let d = answer_failed(&ANSWER.replace("matters = 1000", &format!("matters = {written}")));
        assert!(
            d.items.iter().any(
                |i| matches!(&i.error, ScenarioError::WrongType { key, found: f, .. }
                if key == "answer.yes_when.matters" && *f == found)
            ),
            "{written}: {:?}",
            kinds(&d)
        );
        assert_eq!(d.items[0].line, Some(3), "{written}: located on its line");
    }
    let d = answer_failed(&ANSWER.replace(
        "yes_finding = \"more of the sick live\"",
        "yes_finding = \"Yes\"",
    ));
    assert!(
        d.items.iter().any(|i| matches!(&i.error, ScenarioError::WrongType { key, .. } if key == "answer.yes_finding")),
        "{:?}",
        kinds(&d)
    );
    let d = answer_failed(&ANSWER.replace("no_finding = \"no more of the sick live\"\n", ""));
    assert!(kinds(&d).contains(&"missing key `no_finding` in [answer]".to_string()));
}

/// A scenario's answer belongs to its own question: a file built on one that answers has no
/// answer unless it declares its own, yet the base's table is still checked.
#[test]
fn an_answer_is_not_inherited_from_a_base() {
    let dir = TempDir::new();
    dir.write("asks.toml", &format!("[care]\ncarer_share = 0.5\n{ANSWER}"));
    let mine = dir.write("mine.toml", "base = \"asks.toml\"\n");
    let scenario = loaded(&mine);
    assert_eq!(scenario.params.care.carer_share, 0.5);
    assert_eq!(scenario.answer, None);
    assert!(loaded(&dir.path.join("asks.toml")).answer.is_some());
    dir.write("asks.toml", "[answer]\nfigures = [\"x\"]\n");
    let d = failed_load(&mine);
    assert!(d.items.iter().any(|i| i.file.ends_with("asks.toml")
        && matches!(&i.error, ScenarioError::MissingKey { key, .. } if key == "yes")));
}

#[test]
fn every_bundled_reviewers_scenario_declares_an_answer() {
    for bundled in crate::BUNDLED {
        let scenario = bundled.load().unwrap_or_else(|d| panic!("{}", d.render()));
        let asks = !scenario.question.is_empty();
        assert_eq!(
            scenario.answer.is_some(),
            asks,
            "{}: a scenario that asks a question declares its answer, and only such a one",
            bundled.name
        );
    }
}

/// Text from a web page never reads a file: a `base` that names a file beside it, even one
/// that exists, is refused; a bundled scenario's file name is taken from the bundle.
#[test]
fn isolated_text_takes_only_bundled_bases() {
    let dir = std::env::temp_dir().join(format!("hailsham-isolated-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let beside = dir.join("mine.toml");
    std::fs::write(&beside, "[care]\ncarer_share = 0.1\n").expect("a file");
    let path = dir.join("scenario.toml");
    let text = "base = \"mine.toml\"\n";
    // Loaded from a file, the base beside it is read ...
    assert!(Scenario::parse(text, &path).is_ok());
    // ... given as text from outside, it is not.
    let refused = Scenario::parse_isolated(text, &path, &[]).expect_err("no file is read");
    assert!(
        refused
            .items
            .iter()
            .any(|d| matches!(d.error, ScenarioError::BaseNotFound { .. })),
        "{}",
        refused.render()
    );
    let absolute = format!("base = \"{}\"\n", beside.display());
    assert!(Scenario::parse_isolated(&absolute, &path, &[]).is_err());
    let bundled =
        Scenario::parse_isolated("base = \"no-carers.toml\"\nname = \"mine\"\n", &path, &[]);
    let expected = crate::Bundled::find("no-carers")
        .expect("bundled")
        .load()
        .expect("loads");
    match bundled {
        Ok(scenario) => assert_eq!(scenario.params, expected.params),
        // The base's `[answer]` names figures that `&[]` does not know: still read from
        // the bundle, not from a file.
        Err(diagnostics) => assert!(
            diagnostics
                .items
                .iter()
                .all(|d| d.file.starts_with(crate::bundled::BUNDLED_DIR)),
            "{}",
            diagnostics.render()
        ),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A diagnostic names the parameter it is about, for a page to point at its control.
#[test]
fn a_diagnostic_names_its_key() {
    let diagnostics = failed("[care]\ncarer_share = 7\n");
    assert_eq!(
        diagnostics.items[0].error.key().as_deref(),
        Some("care.carer_share")
    );
    let unknown = failed("[care]\ncarer_shar = 0.5\n");
    assert_eq!(
        unknown.items[0].error.key().as_deref(),
        Some("care.carer_shar")
    );
}
