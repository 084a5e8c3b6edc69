//! Discourse JSON: the fuzzed bytes are a file saved from its API.
#![no_main]

#[path = "harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::import(&[("forum/t.json", data)], "forum/t.json");
});
