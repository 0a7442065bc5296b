//! The fuzzer's corpus as a regression test on stable: every input `cargo +nightly fuzz run
//! scenario` kept (fuzz/corpus/scenario) and every crash it ever found (fuzz/regressions)
//! goes through the same checks as the fuzz target, without libFuzzer.

use std::fs;
use std::path::Path;

use hailsham_scenario::Scenario;

/// The fuzz target's body: parse, validate, render; never panic.
fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Scenario::parse(text, Path::new("/nonexistent/fuzz.toml")) {
        Ok(scenario) => {
            assert!(scenario.params.problems().is_empty());
            assert_eq!(scenario.hash().len(), 64);
        }
        Err(diagnostics) => assert!(diagnostics.render().contains("error")),
    }
}

#[test]
fn every_kept_fuzz_input_parses_or_is_refused_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut inputs = 0;
    for folder in ["corpus/scenario", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(folder)) else {
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
    assert!(
        inputs >= 20,
        "the corpus is in the repository ({inputs} inputs)"
    );
}
