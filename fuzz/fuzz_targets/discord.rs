//! DiscordChatExporter folders: the fuzzed bytes are one channel's JSON, beside a valid
//! thread of it (so links between files are exercised too).
#![no_main]

#[path = "harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

const THREAD: &[u8] = br#"{"guild":{"id":"900","name":"G"},"channel":{"id":"300","type":"GuildPublicThread","categoryId":"200","category":"general","name":"t"},"messages":[{"id":"1007","type":"Default","timestamp":"2024-02-01T10:01:00+00:00","content":"x","author":{"id":"13","name":"chen","isBot":false},"reference":{"messageId":"1002","channelId":"200"}}]}"#;

fuzz_target!(|data: &[u8]| {
    harness::import(&[("general [200].json", data), ("thread [300].json", THREAD)], "");
});
