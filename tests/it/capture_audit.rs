//! The capture contract, audited: triggers on every synced table of a test store note each
//! row an edit changes, and after the edits (and the sync step that captures an import's
//! rows) each must have a change record written after it. Every synced table is edited. An
//! edit that writes a synced table without `sync::capture` fails here instead of silently
//! never reaching the team.

use crate::common;
use tend::guide::{onboarding, plan, playbook, today};
use tend::model::MemberPatch;
use tend::report::stories::{self, NewStory, ValueTag};
use tend::sync::tables::{Stored, TABLES};
use tend::Store;

/// The SQL expression of a row's key as change records write it, from the trigger's `row`
/// (`NEW` or `OLD`).
fn key_of(table: &tend::sync::tables::Table, row: &str) -> String {
    match (table.stored, table.key) {
        (Stored::View { .. }, _) => tend::ids::sql_uuid(&format!("{row}.gid")),
        (Stored::Table, [one]) => format!("{row}.{one}"),
        (Stored::Table, many) => {
            let parts: Vec<String> = many.iter().map(|c| format!("{row}.{c}")).collect();
            format!("json_array({})", parts.join(", "))
        }
    }
}

/// The columns that make a change: the synced ones (for the activity table, the stored
/// columns behind the view's).
fn watched(table: &tend::sync::tables::Table) -> Vec<String> {
    match table.stored {
        Stored::View { .. } => [
            "source", "member", "identity", "space", "kind", "at", "root", "parent", "title",
            "body",
        ]
        .iter()
        .map(|c| c.to_string())
        .collect(),
        Stored::Table => table.cols.iter().map(|c| c.to_string()).collect(),
    }
}

/// `only` with its columns read from the trigger's `row`.
fn only_of(table: &tend::sync::tables::Table, row: &str) -> String {
    let mut only = table.only.to_string();
    for c in table.cols {
        only = only.replace(&format!("{c} "), &format!("{row}.{c} "));
    }
    only
}

/// Installs the audit: an `audit` table and, per synced table, triggers that note the key
/// of every row inserted, changed or deleted, with the newest change record at that moment.
async fn install(store: &Store) {
    let mut sql = String::from(
        "CREATE TABLE audit (tbl TEXT NOT NULL, row_key TEXT NOT NULL, what TEXT NOT NULL, after INTEGER NOT NULL);\n",
    );
    let newest = "(SELECT IFNULL(MAX(rowid), 0) FROM sync_log)";
    for t in TABLES {
        let target = match t.stored {
            Stored::View { rows } => rows,
            Stored::Table => t.name,
        };
        let changed: Vec<String> = watched(t)
            .iter()
            .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
            .collect();
        for (what, row, when) in [
            ("insert", "NEW", only_of(t, "NEW")),
            ("delete", "OLD", only_of(t, "OLD")),
            (
                "update",
                "NEW",
                format!("({}) AND ({})", only_of(t, "NEW"), changed.join(" OR ")),
            ),
        ] {
            let event = what.to_uppercase();
            sql.push_str(&format!(
                "CREATE TRIGGER audit_{target}_{what} AFTER {event} ON {target} WHEN {when}
                 BEGIN INSERT INTO audit VALUES ('{name}', {key}, '{what}', {newest}); END;\n",
                name = t.name,
                key = key_of(t, row),
            ));
        }
    }
    let mut conn = store.local_writer().await.expect("connection");
    sqlx::raw_sql(&sql)
        .execute(&mut *conn)
        .await
        .expect("audit triggers");
    drop(conn);
}

/// Rows changed with no change record written after the change: a record of the row, or
/// for an activity a bulk record that put it (`activity.put_by`).
async fn unrecorded(store: &Store) -> Vec<(String, String, String)> {
    let sql = format!(
        "SELECT a.tbl, a.row_key, a.what FROM audit a WHERE NOT EXISTS
           (SELECT 1 FROM sync_log l WHERE l.tbl = a.tbl AND l.row_key = a.row_key AND l.rowid > a.after)
         AND NOT (a.tbl = 'activities' AND EXISTS
           (SELECT 1 FROM activity t WHERE t.gid = {} AND t.put_by > a.after))
         GROUP BY a.tbl, a.row_key",
        tend::ids::sql_gid("a.row_key")
    );
    sqlx::query_as(&sql)
        .fetch_all(store.pool())
        .await
        .expect("audit")
}

#[tokio::test]
async fn every_edit_of_a_synced_table_leaves_its_change_record() {
    let store = common::demo_store(&common::small_demo(31)).await;
    tend::sync::prepare(&store).await.expect("first capture");
    install(&store).await;

    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM members WHERE is_bot = 0 ORDER BY display_name LIMIT 4")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let patch = MemberPatch {
        role: Some("champion".into()),
        country: Some("Kenya".into()),
        notes: Some("met at the summit".into()),
        ..Default::default()
    };
    tend::members::update(&store, &ids[0], &patch)
        .await
        .unwrap();
    tend::identity::not_same_person(&store, &ids[1], &ids[2])
        .await
        .unwrap();
    let merge = tend::identity::merge(&store, &ids[0], &ids[3])
        .await
        .unwrap();
    tend::identity::unmerge(&store, &merge).await.unwrap();
    tend::erasure::erase(&store, &ids[2]).await.unwrap();
    onboarding::set_override(&store, &ids[1], onboarding::Stage::Welcomed, "said hello")
        .await
        .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let step = plan::view(&store, day, None).await.unwrap().steps[0]
        .step
        .id
        .clone();
    plan::change(
        &store,
        &step,
        &plan::StepChange::Done {
            note: "done".into(),
        },
    )
    .await
    .unwrap();
    plan::record_stage(&store, day, plan::DevelopmentStage::Coalescing, "")
        .await
        .unwrap();
    today::mark(
        &store,
        &format!("welcome:{}", ids[1]),
        &today::ActionMark::Done,
    )
    .await
    .unwrap();
    let story = stories::add(
        &store,
        &NewStory {
            told_on: Some("2026-06-15".into()),
            tag: ValueTag::Applied,
            member: Some(ids[0].clone()),
            title: "Used the checklist".into(),
            text: String::new(),
        },
    )
    .await
    .unwrap();
    stories::remove(&store, &story).await.unwrap();
    tend::spaces::tag(&store, "questions", &[tend::spaces::Purpose::Learn])
        .await
        .unwrap();
    tend::sync::names::set_own(&store, "Kisumu office")
        .await
        .unwrap();
    let text = playbook::DEFAULT_TOML.replace("name = \"default\"", "name = \"ours\"");
    playbook::save(&store, "test", &text).await.unwrap();

    let kit_dir = tempfile::tempdir().unwrap();
    let request = tend::kit::KitRequest {
        template: None,
        audience: tend::kit::Audience::Member(ids[1].clone()),
        lang: Some("fr".into()),
        drop_resources: Vec::new(),
    };
    tend::kit::export::make(&store, &request, day, &kit_dir.path().join("kit.md"))
        .await
        .unwrap();
    let template = tend::kit::template::text(&store, "welcome", "es")
        .await
        .unwrap();
    tend::kit::template::save(
        &store,
        "test",
        &template.replace("Bienvenid", "Hola, bienvenid"),
    )
    .await
    .unwrap();

    // The community renamed, and an export that brings a new source, spaces, members,
    // identities and activities (captured by the next sync's catch-up).
    tend::community::init(
        &store,
        &tend::community::NewCommunity {
            name: "Renamed for the audit".into(),
            purpose: String::new(),
            launch_date: None,
        },
    )
    .await
    .unwrap();
    let chat = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/chats/WhatsApp Chat - Field team.txt");
    tend::import::import_path(
        &store,
        &chat,
        &tend::import::ImportOptions::default(),
        &tend::import::Silent,
    )
    .await
    .unwrap();

    tend::sync::prepare(&store).await.expect("capture");
    let noted: Vec<String> = sqlx::query_scalar("SELECT DISTINCT tbl FROM audit ORDER BY tbl")
        .fetch_all(store.pool())
        .await
        .unwrap();
    // Every synced table: a table added to `sync::tables` needs an edit here.
    for table in TABLES.iter().map(|t| t.name) {
        assert!(
            noted.iter().any(|t| t == table),
            "no edit of {table} was audited: {noted:?}"
        );
    }
    let missing = unrecorded(&store).await;
    assert!(
        missing.is_empty(),
        "changed without a change record: {missing:?}"
    );

    // And the audit does catch a write that skips capture.
    sqlx::query("UPDATE members SET notes = 'behind sync''s back' WHERE id = ?")
        .bind(&ids[1])
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    assert_eq!(
        unrecorded(&store).await,
        vec![("members".to_string(), ids[1].clone(), "update".to_string())]
    );
}

#[tokio::test]
async fn an_edit_records_what_it_watched_and_an_uncommitted_one_changes_nothing() {
    use tend::sync::capture::Edit;
    use tend::sync::tables::MEMBERS;
    let store = common::demo_store(&common::small_demo(32)).await;
    tend::sync::prepare(&store).await.expect("first capture");
    install(&store).await;
    let id: String = sqlx::query_scalar("SELECT id FROM members ORDER BY id LIMIT 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    // An edit of member `id`'s notes and country, not yet committed.
    let edit_notes = |note: &'static str| {
        let (store, id) = (store.clone(), id.clone());
        async move {
            let mut edit = Edit::begin(&store).await.unwrap();
            edit.watch(MEMBERS, "id = ?", &[&id]).await.unwrap();
            sqlx::query("UPDATE members SET notes = ?, country = 'Chile' WHERE id = ?")
                .bind(note)
                .bind(&id)
                .execute(edit.conn())
                .await
                .unwrap();
            edit
        }
    };

    // Dropped before commit: the change rolls back with the records it would have had.
    let log_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_log")
        .fetch_one(store.pool())
        .await
        .unwrap();
    drop(edit_notes("never lands").await);
    let notes: Option<String> = sqlx::query_scalar("SELECT notes FROM members WHERE id = ?")
        .bind(&id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_ne!(notes.as_deref(), Some("never lands"));
    let log_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_log")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(log_before, log_after);

    // Committed: one `set` record per changed column, and the audit is satisfied.
    let edit = edit_notes("lands").await;
    assert_eq!(edit.commit().await.unwrap(), 2);
    assert!(unrecorded(&store).await.is_empty());
}

#[tokio::test]
async fn a_write_through_the_reading_pool_fails_loudly() {
    let store = common::demo_store(&common::small_demo(33)).await;
    let refused = sqlx::query("UPDATE members SET notes = 'behind sync''s back'")
        .execute(store.pool())
        .await
        .expect_err("the pool reads only");
    assert!(refused.to_string().contains("readonly"), "{refused}");
    let changed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE notes = 'behind sync''s back'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(changed, 0);
    // A connection given back after writing reads only again.
    drop(store.local_writer().await.unwrap());
    assert!(sqlx::query("DELETE FROM members")
        .execute(store.pool())
        .await
        .is_err());
}
