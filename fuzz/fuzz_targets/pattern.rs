//! Any bytes as a sift pattern: compiled or refused with its place, never a panic or a stack
//! overflow (`checks::pattern`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::pattern(data));
