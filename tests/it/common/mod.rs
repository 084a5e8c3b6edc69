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
        ..DemoConfig::default()
    }
}

/// An in-memory store holding the demo community for `cfg`.
pub async fn demo_store(cfg: &DemoConfig) -> Store {
    let store = Store::open_in_memory().await.expect("open");
    demo::generate(&store, cfg).await.expect("demo");
    store
}

/// Every member and activity row as text, in a stable order: equal dumps, equal data (an
/// activity's id derives from its source and external id, so equal ids, equal both).
pub async fn dump(store: &Store) -> Vec<String> {
    let mut rows: Vec<String> = sqlx::query_scalar(
        "SELECT json_array(id, display_name, email, role, country, organisation, language, joined_at, is_bot, notes)
         FROM members ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .expect("members");
    let activities: Vec<String> = sqlx::query_scalar(
        "SELECT json_array(id, source_id, member_id, space_id, kind, occurred_at, thread_root_id, parent_id, title)
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

/// A community written as generic CSV (`members.csv`, `activities.csv` in `dir`), set up
/// with `name`, `purpose` and `launch`, then imported into `dir/tend.db`.
pub async fn csv_community(
    dir: &std::path::Path,
    csv: (&str, &str),
    name: &str,
    purpose: &str,
    launch: &str,
) -> Store {
    std::fs::write(dir.join("members.csv"), csv.0).expect("members.csv");
    std::fs::write(dir.join("activities.csv"), csv.1).expect("activities.csv");
    let store = Store::open(&dir.join("tend.db")).await.expect("open");
    let new = tend::community::NewCommunity {
        name: name.into(),
        purpose: purpose.into(),
        launch_date: Some(launch.into()),
    };
    tend::community::init(&store, &new).await.expect("init");
    tend::import::import_path(
        &store,
        dir,
        &tend::import::ImportOptions::default(),
        &tend::import::Silent,
    )
    .await
    .expect("import");
    store
}

/// The id of the member called `name`.
pub async fn id_of(store: &Store, name: &str) -> String {
    sqlx::query_scalar("SELECT id FROM members WHERE display_name = ?")
        .bind(name)
        .fetch_one(store.pool())
        .await
        .expect("a member of that name")
}

/// Every synced row of every synced table, in key order: equal dumps, equal databases.
pub async fn canonical(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for t in tend::sync::tables::TABLES {
        let sql = format!(
            "SELECT {} || ' ' || {} FROM {} WHERE {} ORDER BY 1",
            t.key_expr(),
            t.row_json(),
            t.name,
            t.only
        );
        let rows: Vec<String> = sqlx::query_scalar(&sql)
            .fetch_all(store.pool())
            .await
            .expect("dump");
        out.extend(rows.into_iter().map(|r| format!("{}: {r}", t.name)));
    }
    out
}

/// The first value the store lists for `key`, and `lens` narrowed to it.
pub async fn narrowed(
    store: &Store,
    key: tend::health::SegmentKey,
    lens: tend::health::Lens,
) -> (String, tend::health::Lens) {
    let value = tend::health::segments::values_of(store, key)
        .await
        .expect("the segment's values")[0]
        .value
        .clone();
    let segment = vec![tend::health::Segment {
        key,
        value: value.clone(),
    }];
    (value, tend::health::Lens { segment, ..lens })
}

/// Whether a PDF declares itself PDF/UA-1: its XMP metadata names part 1 of the standard
/// (`<pdfuaid:part>1</pdfuaid:part>`, or as an attribute).
pub fn declares_pdf_ua_1(pdf: &[u8]) -> bool {
    let text = String::from_utf8_lossy(pdf);
    text.contains("<pdfuaid:part>1</pdfuaid:part>") || text.contains("pdfuaid:part=\"1\"")
}
