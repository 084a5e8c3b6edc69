//! Files and hub rows that are not a device's genuine changes (junk, forgeries, files sealed
//! with another passphrase, copies of this laptop's own files), remembered by where they are
//! and their stamp, so each is read once: a stranger's files never hold a place in a
//! device's sequence, and 10,000 of them cost one reading, not one at every sync.

use std::collections::HashSet;

use crate::error::Result;
use crate::store::Store;

/// The places and stamps known to hold no change of one device.
#[derive(Debug, Default)]
pub struct Known {
    seen: HashSet<(String, String)>,
}

impl Known {
    /// Whether `place`, as `stamp` says it is now, was read and found to be junk.
    pub fn contains(&self, place: &str, stamp: &str) -> bool {
        // Few lookups per sync; a tuple of borrowed strings would need another map type.
        self.seen.contains(&(place.to_string(), stamp.to_string()))
    }
}

/// The junk known for `device`, after forgetting what its changes up to `at` have passed
/// (a file whose range ends there is never read again anyway).
pub async fn known(store: &Store, device: &str, at: i64) -> Result<Known> {
    let passed: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sync_junk WHERE device = ? AND last <= ?)",
    )
    .bind(device)
    .bind(at)
    .fetch_one(store.pool())
    .await?;
    if passed {
        sqlx::query("DELETE FROM sync_junk WHERE device = ? AND last <= ?")
            .bind(device)
            .bind(at)
            .execute(&mut *store.local_writer().await?)
            .await?;
    }
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT place, stamp FROM sync_junk WHERE device = ?")
            .bind(device)
            .fetch_all(store.pool())
            .await?;
    Ok(Known {
        seen: rows.into_iter().collect(),
    })
}

/// What one sync found to be junk, remembered together at the end (one transaction, not
/// one per file: 10,000 junk files cost one write).
#[derive(Debug, Default)]
pub struct Found {
    rows: Vec<(String, String, String, i64)>,
}

impl Found {
    /// Notes that `place` (as `stamp` says it is) holds no change of `device`; `last` is
    /// the last change its name claimed.
    pub fn note(&mut self, device: &str, place: &str, stamp: &str, last: i64) {
        self.rows
            .push((place.into(), stamp.into(), device.into(), last));
    }

    /// Remembers everything noted.
    pub async fn remember(self, store: &Store) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let json = serde_json::to_string(&self.rows)
            .map_err(|e| crate::error::Error::encoding("junk files", e))?;
        sqlx::query(
            "INSERT INTO sync_junk (place, stamp, device, last)
             SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?) WHERE true
             ON CONFLICT(place) DO UPDATE SET stamp = excluded.stamp, device = excluded.device,
                                              last = excluded.last",
        )
        .bind(json)
        .execute(&mut *store.local_writer().await?)
        .await?;
        Ok(())
    }
}
