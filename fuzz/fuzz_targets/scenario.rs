//! Any bytes as a scenario file: parsing, validating and rendering the diagnostics must never
//! panic, and an accepted scenario must hash (`checks::scenario`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::scenario(data));
