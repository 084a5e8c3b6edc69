//! Webinar attendance reports: the fuzzed bytes are a Zoom or Teams CSV.
#![no_main]

#[path = "harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::import(&[("report.csv", data)], "report.csv");
});
