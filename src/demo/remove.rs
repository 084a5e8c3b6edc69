//! Removing the demo in one step: the laptop that explored it starts again from an empty
//! database, keeping its own settings, templates and sync identity.
//!
//! Removal is allowed only while nothing has gone to or come from a team: deleting rows
//! other laptops hold would need a tombstone for every activity, and a demo that reached a
//! team is removed by starting a new database instead (the message says so).

use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::Store;

/// Tables that hold the community, emptied when the demo is removed (children first).
const COMMUNITY_TABLES: &[&str] = &[
    "activity_links",
    "activity",
    "identities",
    "spaces",
    "imports",
    "sources",
    "member_merges",
    "not_same_person",
    "onboarding_overrides",
    "action_marks",
    "plan_progress",
    "stage_checks",
    "stories",
    "kits",
    "members",
    "community",
    "keys",
    "sync_log",
    "sync_cells",
    "sync_refused",
    "sync_runs",
    "sync_junk",
    "sync_key_conflicts",
];

/// Tables the laptop keeps: its settings, its edited templates, fixed lists and the sync
/// device (empty of anything shared, or removal is refused).
#[cfg(test)]
const KEPT_TABLES: &[&str] = &[
    "_sqlx_migrations",
    "settings",
    "roles",
    "activity_kinds",
    "playbooks",
    "kit_templates",
    "sync_device",
    "sync_exports",
    "sync_files",
    "sync_signers",
];

/// What removing the demo took away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Removed {
    /// People removed (bots not counted).
    #[ts(type = "number")]
    pub members: i64,
    /// Activities removed.
    #[ts(type = "number")]
    pub activities: i64,
    /// Imports that had been made into the demo, removed with it.
    #[ts(type = "number")]
    pub imports: i64,
}

/// Whether this database has sent changes to a team or taken any from one.
async fn shared(conn: &mut SqliteConnection) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sync_exports) OR EXISTS (SELECT 1 FROM sync_files)
             OR EXISTS (SELECT 1 FROM sync_log
                        WHERE device <> (SELECT device_id FROM sync_device WHERE one = 1))",
    )
    .fetch_one(conn)
    .await?)
}

async fn count(conn: &mut SqliteConnection, sql: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(sql).fetch_one(conn).await?)
}

/// What removal would take away, without removing it (the app's confirmation says it).
pub async fn preview(store: &Store) -> Result<Removed> {
    let mut conn = store.pool().acquire().await?;
    measure(&mut conn).await
}

async fn measure(conn: &mut SqliteConnection) -> Result<Removed> {
    Ok(Removed {
        members: count(conn, "SELECT COUNT(*) FROM members WHERE is_bot = 0").await?,
        activities: count(conn, "SELECT COUNT(*) FROM activity").await?,
        imports: count(conn, "SELECT COUNT(*) FROM imports").await?,
    })
}

/// Removes the demo community and everything made in it, in one transaction; refuses when
/// there is no demo here, or when the database has synced with a team.
pub async fn remove(store: &Store) -> Result<Removed> {
    if !super::is_demo(store).await? {
        return Err(Error::InvalidValue {
            field: "database",
            value: "this community".into(),
            expected: "the demo community: only the demo can be removed in one step",
        });
    }
    let mut tx = store.write_unchecked().await?;
    if shared(&mut tx).await? {
        return Err(crate::error::SyncError::DemoShared.into());
    }
    let removed = measure(&mut tx).await?;
    for table in COMMUNITY_TABLES {
        // Names come from the constant above, never from outside.
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *tx)
            .await?;
    }
    // Nothing was published: the next change is this laptop's first.
    sqlx::query("UPDATE sync_device SET seq = 0")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    crate::health::load::forget(store).await;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_table_is_either_emptied_or_kept() {
        let store = Store::open_in_memory().await.unwrap();
        let tables: Vec<String> =
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(store.pool())
                .await
                .unwrap();
        for t in &tables {
            let emptied = COMMUNITY_TABLES.contains(&t.as_str());
            let kept = KEPT_TABLES.contains(&t.as_str());
            assert!(emptied ^ kept, "table {t} must be in exactly one list");
        }
        assert_eq!(
            tables.len(),
            COMMUNITY_TABLES.len() + KEPT_TABLES.len(),
            "a listed table no longer exists"
        );
    }
}
