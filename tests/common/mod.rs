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
    let mut rows: Vec<String> = sqlx::query_scalar(
        "SELECT json_array(id, display_name, email, role, country, organisation, language, joined_at, is_bot, notes)
         FROM members ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .expect("members");
    let activities: Vec<String> = sqlx::query_scalar(
        "SELECT json_array(id, source_id, external_id, member_id, space_id, kind, occurred_at, thread_root_id, parent_id, title)
         FROM activities ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .expect("activities");
    rows.extend(activities);
    rows
}

/// A store at `path` holding the demo community for `cfg`.
pub async fn demo_store_at(cfg: &DemoConfig, path: &std::path::Path) -> Store {
    let store = Store::open(path).await.expect("open");
    demo::generate(&store, cfg).await.expect("demo");
    store
}
