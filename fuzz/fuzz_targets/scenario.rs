//! Any bytes as a scenario file: parsing, validating and rendering the diagnostics must never
//! panic, and an accepted scenario must hash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = std::path::Path::new("/nonexistent/fuzz.toml");
    match hailsham_scenario::Scenario::parse(text, path) {
        Ok(scenario) => {
            assert!(scenario.params.problems().is_empty());
            assert_eq!(scenario.hash().len(), 64);
        }
        Err(diagnostics) => {
            let rendered = diagnostics.render();
            assert!(rendered.contains("error"));
        }
    }
});
