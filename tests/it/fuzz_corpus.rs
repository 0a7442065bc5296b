//! The fuzzers' corpora as regression tests on stable: every input `cargo +nightly fuzz run
//! TARGET` kept (fuzz/corpus/TARGET) and every crash it ever found (fuzz/regressions/TARGET)
//! goes through the same checks as the fuzz target (fuzz/checks.rs), without libFuzzer.

use std::fs;
use std::path::Path;

#[path = "../../fuzz/checks.rs"]
mod checks;

/// Replays target `target`'s kept inputs through `check`; the count replayed.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut inputs = 0;
    for folder in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(folder).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            // A file the fuzzer is rewriting as the test runs may be gone: skip it.
            let Ok(data) = fs::read(entry.path()) else {
                continue;
            };
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{} panics", entry.path().display());
            inputs += 1;
        }
    }
    inputs
}

#[test]
fn every_kept_scenario_input_parses_or_is_refused_without_a_panic() {
    let inputs = replay("scenario", checks::scenario);
    assert!(
        inputs >= 20,
        "the corpus is in the repository ({inputs} inputs)"
    );
}

#[test]
fn every_kept_pattern_compiles_or_is_refused_with_its_place() {
    let inputs = replay("pattern", checks::pattern);
    assert!(
        inputs >= 20,
        "the corpus is in the repository ({inputs} inputs)"
    );
}

#[test]
fn every_kept_request_body_is_taken_or_refused_with_a_4xx() {
    let inputs = replay("api", checks::api);
    assert!(
        inputs >= 20,
        "the corpus is in the repository ({inputs} inputs)"
    );
}

/// Goal: the checks can fail: the api check refuses a 5xx and an empty message, the pattern
/// check a panic. Method: the checks on inputs made to break them would need a broken
/// server; here, the inputs known to be refused are refused with a 4xx and a message, and
/// a pattern nested far past the bound is refused, not overflowed.
#[test]
fn the_checks_hold_on_hostile_inputs() {
    let deep = format!("{}x{}", "(".repeat(5_000), ")".repeat(5_000));
    checks::pattern(deep.as_bytes());
    let nots = format!(
        "pattern p\n?a: donation-made where {}true",
        "not ".repeat(10_000)
    );
    checks::pattern(nots.as_bytes());
    for (route, body) in [
        (0u8, &b"{"[..]),
        (1, br#"{"scenario":"novel","replicates":0}"#),
        (1, br#"{"scenario":"nvel"}"#),
        (1, br#"{"text":"[homes]\npopulation_millions = 1e12"}"#),
        (2, br#"{"pattern":"((((("}"#),
        (2, br#"{"pattern":"narrator","replicates":11}"#),
    ] {
        let mut data = vec![route];
        data.extend_from_slice(body);
        checks::api(&data);
        let path = checks::POST_ROUTES[usize::from(route)];
        let refused = hailsham_serve::requests::read_post(path, body);
        assert!(refused.is_err(), "{path} {}", String::from_utf8_lossy(body));
    }
}
