//! What each fuzz target requires of any input, written once: the targets (`fuzz_targets/`)
//! call these under libFuzzer, and the stable suite (tests/it/fuzz_corpus.rs) replays every
//! input the fuzzer kept through the same functions. Each panics on a broken requirement.

// Each target uses one of these functions: the others are dead code to it.
#![allow(dead_code)]

use std::path::Path;

/// Any bytes as a scenario file: parsing, validating and rendering the diagnostics never
/// panic, and an accepted scenario validates and hashes.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match hailsham_scenario::Scenario::parse(text, Path::new("/nonexistent/fuzz.toml")) {
        Ok(scenario) => {
            assert!(scenario.params.problems().is_empty());
            assert_eq!(scenario.hash().len(), 64);
        }
        Err(diagnostics) => assert!(diagnostics.render().contains("error")),
    }
}

/// Any bytes as a sift pattern: compiled, or refused with a place inside the text and a
/// message; never a panic, and never a stack overflow, however deep the nesting. A compiled
/// pattern has a clause to start matching from and a variable to count.
pub fn pattern(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match hailsham_sift::Pattern::parse(text) {
        Ok(pattern) => {
            assert!(pattern.first_clause() < pattern.kinds().len());
            assert!(!pattern.primary().is_empty());
            assert_eq!(pattern.text, text);
        }
        Err(error) => {
            assert!(error.span.start <= text.len(), "{error:?}");
            assert!(!error.message.is_empty());
            let (line, column) = error.line_column(text);
            assert!(line >= 1 && column >= 1);
            assert!(error.render("fuzz.sift", text).starts_with("error: "));
        }
    }
}

/// The POST routes whose bodies the `api` target reads, chosen by an input's first byte.
pub const POST_ROUTES: [&str; 3] = ["/api/check", "/api/runs", "/api/sift"];

/// Any bytes as the body of a POST to the page's API (the route chosen by the first byte):
/// taken on, or refused with a 4xx and a JSON message; never a panic or a 5xx.
pub fn api(data: &[u8]) {
    let Some((&route, body)) = data.split_first() else {
        return;
    };
    let path = POST_ROUTES[usize::from(route) % POST_ROUTES.len()];
    if let Err((status, answer)) = hailsham_serve::requests::read_post(path, body) {
        assert!((400..500).contains(&status), "{path}: {status} {answer}");
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{path}: {answer}");
    }
}
