//! Settings kept in the store, such as the drop folder.

use crate::error::Result;
use crate::store::Store;

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

/// Sets a setting, or clears it with `None`.
pub async fn set(store: &Store, key: &str, value: Option<&str>) -> Result<()> {
    let query = match value {
        Some(v) => sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(v),
        None => sqlx::query("DELETE FROM settings WHERE key = ?").bind(key),
    };
    // Only the settings the team shares (the active playbook) become change records.
    crate::sync::capture::tracked(store, "settings", "key = ?", &[key], query).await?;
    Ok(())
}
