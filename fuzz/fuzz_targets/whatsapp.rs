//! WhatsApp chat exports: the fuzzed bytes are the chat's `.txt`.
#![no_main]

#[path = "harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::import(&[("WhatsApp Chat with Field team.txt", data)], "WhatsApp Chat with Field team.txt");
});
