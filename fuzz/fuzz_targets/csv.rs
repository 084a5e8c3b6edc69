//! The generic CSV format: the fuzzed bytes replace `members.csv` or `activities.csv`.
#![no_main]

#[path = "harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

const FILES: [(&str, &[u8]); 2] = [
    ("members.csv", b"id,name,email,role,country,organisation,language,joined_at\nm1,Ana,ana@example.org,member,Peru,OrgP,es,2026-01-05\n"),
    ("activities.csv", b"id,member_id,kind,occurred_at,space,thread_id,parent_id,title\na1,m1,post,2026-02-01T09:00:00Z,questions,,,Hello\n"),
];

fuzz_target!(|data: &[u8]| {
    let Some((which, content)) = harness::pick(data, FILES.len()) else { return };
    let mut files = FILES;
    files[which].1 = content;
    harness::import(&files, "");
});
