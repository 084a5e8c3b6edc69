//! Global ids. Rows made on this laptop get a UUIDv7; rows that come from an export get a
//! UUIDv5 of their natural key, so two laptops importing the same export make the same ids.

use uuid::Uuid;

/// Tend's namespace for UUIDv5 natural keys.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x7e6d_5a1c_3f2b_4c8d_9e0f_1a2b_3c4d_5e6f);

/// A fresh time-ordered id for a row made here.
pub fn new_id() -> String {
    Uuid::now_v7().to_string()
}

/// The id derived from a natural key, e.g. `["activity", source_id, external_id]`.
pub fn derived(parts: &[&str]) -> String {
    let key = parts.join("\u{1f}");
    Uuid::new_v5(&NAMESPACE, key.as_bytes()).to_string()
}
