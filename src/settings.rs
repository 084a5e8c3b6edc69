//! Settings kept in the store, such as the drop folder. Most stay on their laptop; the few
//! the team shares ([`is_shared`]) are written only through `sync::capture::set_shared`,
//! which records the change for the other laptops: [`set`] refuses them, so no shared
//! setting can change without its record.

use crate::error::{Error, Result};
use crate::store::Store;

/// The settings the team shares by exact key: the active playbook.
pub const SHARED_KEYS: &[&str] = &["plan.playbook"];

/// The start of the setting that names a device (`device.name.<device id>`): shared, and
/// only its own device may write it.
pub const DEVICE_NAME_PREFIX: &str = "device.name.";

/// The start of the setting that holds a space's purposes (`space.purposes.<name>`).
pub const SPACE_PURPOSES_PREFIX: &str = "space.purposes.";

/// Whether the setting `key` is shared with the team (and so synced).
pub fn is_shared(key: &str) -> bool {
    SHARED_KEYS.contains(&key)
        || key.starts_with(DEVICE_NAME_PREFIX)
        || key.starts_with(SPACE_PURPOSES_PREFIX)
}

/// The key of the drop folder's path.
pub const DROP_FOLDER: &str = "drop_folder";

/// A setting's value, if set.
pub async fn get(store: &Store, key: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(store.pool())
            .await?,
    )
}

/// Every setting whose key starts with `prefix`: (the rest of the key, its value).
pub async fn under(store: &Store, prefix: &str) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT substr(key, ?), value FROM settings WHERE key LIKE ? || '%'")
            .bind(prefix.len() as i64 + 1)
            .bind(prefix)
            .fetch_all(store.pool())
            .await?,
    )
}

/// The statement that sets `key` to `value`, or clears it with `None`.
pub fn write_query(
    key: &str,
    value: Option<&str>,
) -> sqlx::query::Query<'static, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'static>> {
    match value {
        Some(v) => sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(key.to_string())
            .bind(v.to_string()),
        None => sqlx::query("DELETE FROM settings WHERE key = ?").bind(key.to_string()),
    }
}

/// Sets a setting of this laptop, or clears it with `None`; a shared one is refused (it
/// goes through `sync::capture::set_shared`, which records it for the team).
pub async fn set(store: &Store, key: &str, value: Option<&str>) -> Result<()> {
    if is_shared(key) {
        return Err(Error::Inconsistent(format!(
            "the shared setting {key} was written without its change record"
        )));
    }
    write_query(key, value)
        .execute(&mut *store.local_writer().await?)
        .await?;
    Ok(())
}
