//! Helpers shared by the integration tests.
#![allow(dead_code)]

use chrono::NaiveDate;
use tend::demo::{self, DemoConfig};
use tend::Store;

/// A small demo configuration pinned to a fixed day, so results do not depend on today.
pub fn small_demo(seed: u64) -> DemoConfig {
    DemoConfig {
        members: 120,
        months: 4,
        seed,
        until: NaiveDate::from_ymd_opt(2026, 6, 30).expect("valid date"),
    }
}

/// An in-memory store holding the demo community for `cfg`.
pub async fn demo_store(cfg: &DemoConfig) -> Store {
    let store = Store::open_in_memory().await.expect("open");
    demo::generate(&store, cfg).await.expect("demo");
    store
}

/// Every member and activity row as text, in a stable order: equal dumps, equal data.
pub async fn dump(store: &Store) -> Vec<String> {
    let members: Vec<(String, String, String, Option<String>, Option<String>, Option<String>, bool)> =
        sqlx::query_as(
            "SELECT id, display_name, role, country, organisation, joined_at, is_bot FROM members ORDER BY id",
        )
        .fetch_all(store.pool())
        .await
        .expect("members");
    let activities: Vec<(String, String, String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, member_id, kind, occurred_at, thread_root_id, title FROM activities ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .expect("activities");
    members
        .iter()
        .map(|m| format!("{m:?}"))
        .chain(activities.iter().map(|a| format!("{a:?}")))
        .collect()
}
