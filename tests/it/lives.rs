//! `hailsham life` as a reader types it.

use crate::cli::hailsham;

/// Goal: a life is told, as text, with its sources, and as data; the same twice.
#[test]
fn a_life_is_told_as_text_with_sources_and_as_json() {
    let args = ["life", "1848", "--until", "1995"];
    let text = hailsham(&args);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("(clone 1848)"), "{}", text.stdout);
    let words = text.stdout.split_whitespace().count();
    assert!(
        (60..=450).contains(&words),
        "{words} words:\n{}",
        text.stdout
    );
    assert_eq!(hailsham(&args).stdout, text.stdout, "the same story twice");

    let explained = hailsham(&["life", "1848", "--until", "1995", "--explain"]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    assert!(explained.stdout.contains("    | "), "{}", explained.stdout);
    assert!(explained.stdout.contains("created"), "{}", explained.stdout);

    let json = hailsham(&["life", "1848", "--until", "1995", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(value["id"], 1848);
    let events = value["events"].as_array().expect("events");
    assert_eq!(events[0]["kind"], "created");
    // Every sentence's sources index the events.
    for paragraph in value["paragraphs"].as_array().expect("paragraphs") {
        for sentence in paragraph.as_array().expect("sentences") {
            for source in sentence["sources"].as_array().expect("sources") {
                assert!((source.as_u64().expect("index") as usize) < events.len());
            }
        }
    }
}

/// Goal: the same clone under another rule, side by side, with where they part.
#[test]
fn a_life_against_another_scenario_says_where_they_part() {
    let result = hailsham(&[
        "life",
        "1848",
        "--against",
        "single-harvest",
        "--until",
        "1995",
    ]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stdout.contains("in novel:"), "{}", result.stdout);
    assert!(
        result.stdout.contains("in single-harvest:"),
        "{}",
        result.stdout
    );
    assert!(result.stdout.contains("part on"), "{}", result.stdout);
    assert!(
        result.stdout.contains("donation.donations_max"),
        "{}",
        result.stdout
    );
}

/// Goal: an id no clone has is refused clearly.
#[test]
fn an_unknown_clone_is_refused() {
    let result = hailsham(&["life", "99999999", "--until", "1960"]);
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(
        result.stderr.contains("no clone 99999999"),
        "{}",
        result.stderr
    );
}
