//! Telegram Desktop exports: the fuzzed bytes are `result.json`.
#![no_main]

#[path = "harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::import(&[("result.json", data)], "result.json");
});
