//! Viva Engage network exports: the fuzzed bytes replace `Messages.csv`, `Users.csv` or
//! `Groups.csv`.
#![no_main]

#[path = "harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

const FILES: [(&str, &[u8]); 3] = [
    ("Messages.csv", b"id,replied_to_id,thread_id,group_id,group_name,participants,in_private_group,in_private_conversation,sender_id,sender_type,sender_name,sender_email,body,api_url,attachments,deleted_by_id,deleted_by_type,created_at,deleted_at\n1,,1,7,Water,,false,false,11,User,Ana,ana@example.org,Hello,,,,,2024-01-01 10:00:00 UTC,\n"),
    ("Users.csv", b"id,name,email,job_title,location,department,api_url,joined_at,deleted_at,suspended_at,state\n11,Ana,ana@example.org,,Lima,,,2023-12-01 10:00:00 UTC,,,active\n"),
    ("Groups.csv", b"id,name,description,private,deleted,api_url,created_at,updated_at\n7,Water,,false,false,,2023-12-01 10:00:00 UTC,\n"),
];

fuzz_target!(|data: &[u8]| {
    let Some((which, content)) = harness::pick(data, FILES.len()) else { return };
    let mut files = FILES;
    files[which].1 = content;
    harness::import(&files, "");
});
