//! Mailing-list archives: the fuzzed bytes are an mbox file.
#![no_main]

#[path = "harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::import(&[("list.mbox", data)], "list.mbox");
});
