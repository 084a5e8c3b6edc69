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
    text_of(derived_bytes(parts))
}

/// [`derived`] as the 16 bytes the store keeps (`activity.gid`).
pub fn derived_bytes(parts: &[&str]) -> [u8; 16] {
    let key = parts.join("\u{1f}");
    *Uuid::new_v5(&NAMESPACE, key.as_bytes()).as_bytes()
}

/// The UUID text of 16 stored bytes.
pub fn text_of(bytes: [u8; 16]) -> String {
    Uuid::from_bytes(bytes).to_string()
}

/// The SQL expression of the UUID text of a stored `gid` column `col` (the same the
/// `activities` view shows as `id`).
pub fn sql_uuid(col: &str) -> String {
    format!(
        "CASE WHEN {col} IS NOT NULL THEN lower(substr(hex({col}), 1, 8) || '-' || substr(hex({col}), 9, 4) \
         || '-' || substr(hex({col}), 13, 4) || '-' || substr(hex({col}), 17, 4) || '-' || substr(hex({col}), 21)) END"
    )
}

/// The SQL expression of the 16 bytes behind a UUID text `expr` (the inverse of
/// [`sql_uuid`]; `gid` has an index, the text the view shows has none).
pub fn sql_gid(expr: &str) -> String {
    format!("unhex(replace({expr}, '-', ''))")
}
