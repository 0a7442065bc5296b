//! Any bytes as the body of a POST to the page's API: taken on or refused with a 4xx, never a
//! panic or a 5xx (`checks::api`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::api(data));
