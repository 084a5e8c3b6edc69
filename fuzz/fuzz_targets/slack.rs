//! Slack exports: the fuzzed bytes replace one of `users.json`, `channels.json` or a day
//! file of an otherwise valid export.
#![no_main]

#[path = "harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

const FILES: [(&str, &[u8]); 3] = [
    ("users.json", br#"[{"id":"U1","name":"ana","profile":{"email":"ana@example.org"}}]"#),
    ("channels.json", br#"[{"id":"C1","name":"general"}]"#),
    ("general/2024-01-01.json", br#"[{"type":"message","user":"U1","text":"hi","ts":"1704100000.000100"}]"#),
];

fuzz_target!(|data: &[u8]| {
    let Some((which, content)) = harness::pick(data, FILES.len()) else { return };
    let mut files = FILES;
    files[which].1 = content;
    harness::import(&files, "");
});
