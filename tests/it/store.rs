//! The store: migrations on empty and populated databases, and the model's constraints.

use crate::common;

use tend::model::{MemberFilter, MemberPatch, Role};
use tend::{members, Error, Store};

#[tokio::test]
async fn migrations_create_the_schema_on_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/tend.db");
    let store = Store::open(&path).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let expected = [
        "action_marks",
        "activity",
        "activity_kinds",
        "activity_links",
        "community",
        "identities",
        "imports",
        "keys",
        "kit_templates",
        "kits",
        "member_merges",
        "members",
        "not_same_person",
        "onboarding_overrides",
        "plan_progress",
        "playbooks",
        "roles",
        "settings",
        "sources",
        "spaces",
        "stage_checks",
        "stories",
        "sync_cells",
        "sync_device",
        "sync_exports",
        "sync_files",
        "sync_junk",
        "sync_key_conflicts",
        "sync_log",
        "sync_refused",
        "sync_runs",
        "sync_signers",
    ];
    assert_eq!(tables, expected);
    let roles: Vec<String> = sqlx::query_scalar("SELECT name FROM roles ORDER BY rank")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(
        roles,
        ["leader", "facilitator", "champion", "sponsor", "member"]
    );
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
}

#[tokio::test]
async fn reopening_a_populated_database_keeps_its_data_and_applies_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tend.db");
    let store = Store::open(&path).await.unwrap();
    tend::demo::generate(&store, &common::small_demo(3))
        .await
        .unwrap();
    let before = common::dump(&store).await;
    store.close().await;

    let store = Store::open(&path).await.unwrap();
    assert_eq!(common::dump(&store).await, before);
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let shipped = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count();
    assert_eq!(applied as usize, shipped);
}

#[tokio::test]
async fn an_unwritable_path_gives_an_open_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "not a folder").unwrap();
    let err = Store::open(&file.join("tend.db")).await.unwrap_err();
    assert!(matches!(err, Error::Open { .. }), "{err:?}");
    assert!(err.to_string().contains("plain-file"), "{err}");
}

async fn insert_member(store: &Store, id: &str, role: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO members (id, display_name, role, created_at, updated_at) VALUES (?, 'X', ?, 'now', 'now')")
        .bind(id)
        .bind(role)
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .map(|_| ())
}

#[tokio::test]
async fn the_schema_rejects_unknown_roles_kinds_and_duplicate_external_ids() {
    // An activity's id derives from its source and external id (`ids::derived`), and the
    // lean store keeps the id alone: a duplicate external id is a duplicate id.
    let id = |ext: &str| tend::ids::derived(&["activity", "s1", ext]);
    let store = Store::open_in_memory().await.unwrap();
    assert!(
        insert_member(&store, "m1", "boss").await.is_err(),
        "unknown role accepted"
    );
    insert_member(&store, "m1", "champion").await.unwrap();
    sqlx::query(
        "INSERT INTO sources (id, kind, name, created_at) VALUES ('s1', 'csv', 'x', 'now')",
    )
    .execute(&mut *store.local_writer().await.unwrap())
    .await
    .unwrap();
    let activity = |ext: &'static str, kind: &'static str| {
        sqlx::query("INSERT INTO activities (id, source_id, member_id, kind, occurred_at) VALUES (?, 's1', 'm1', ?, '2026-01-01T00:00:00Z')")
            .bind(id(ext))
            .bind(kind)
    };
    activity("e1", "post")
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    assert!(
        activity("e2", "shout")
            .execute(&mut *store.local_writer().await.unwrap())
            .await
            .is_err(),
        "unknown kind accepted"
    );
    assert!(
        activity("e1", "reply")
            .execute(&mut *store.local_writer().await.unwrap())
            .await
            .is_err(),
        "duplicate external id accepted"
    );
    let orphan = sqlx::query("INSERT INTO activities (id, source_id, member_id, kind, occurred_at) VALUES (?, 's1', 'nobody', 'post', 'x')")
        .bind(id("e4"))
        .execute(&mut *store.local_writer().await.unwrap())
        .await;
    assert!(orphan.is_err(), "activity of a missing member accepted");
}

/// Tells whether an error is the expected one.
type ErrorCheck = fn(&Error) -> bool;

#[tokio::test]
async fn updates_are_validated_before_anything_is_written() {
    let store = common::demo_store(&common::small_demo(5)).await;
    let list = members::list(&store, &MemberFilter::default())
        .await
        .unwrap();
    let id = list[10].id.clone();
    let before = members::get(&store, &id).await.unwrap();
    let cases: Vec<(MemberPatch, ErrorCheck)> = vec![
        (
            MemberPatch {
                role: Some("boss".into()),
                country: Some("Chile".into()),
                ..Default::default()
            },
            |e| matches!(e, Error::UnknownRole(_)),
        ),
        (
            MemberPatch {
                email: Some("not an address".into()),
                ..Default::default()
            },
            |e| matches!(e, Error::InvalidValue { field: "email", .. }),
        ),
        (
            MemberPatch {
                language: Some("english".into()),
                ..Default::default()
            },
            |e| {
                matches!(
                    e,
                    Error::InvalidValue {
                        field: "language",
                        ..
                    }
                )
            },
        ),
        (
            MemberPatch {
                display_name: Some("   ".into()),
                ..Default::default()
            },
            |e| matches!(e, Error::InvalidValue { field: "name", .. }),
        ),
        (
            MemberPatch {
                joined_at: Some("last tuesday".into()),
                ..Default::default()
            },
            |e| {
                matches!(
                    e,
                    Error::InvalidValue {
                        field: "joined_at",
                        ..
                    }
                )
            },
        ),
    ];
    for (patch, expected) in cases {
        let err = members::update(&store, &id, &patch).await.unwrap_err();
        assert!(expected(&err), "{patch:?} gave {err:?}");
        assert_eq!(
            members::get(&store, &id).await.unwrap(),
            before,
            "{patch:?} changed the member"
        );
    }
}

#[tokio::test]
async fn an_update_is_saved_and_empty_values_clear_optional_fields() {
    let store = common::demo_store(&common::small_demo(5)).await;
    let id = members::list(&store, &MemberFilter::default())
        .await
        .unwrap()[3]
        .id
        .clone();
    let patch = MemberPatch {
        role: Some("Champion".into()),
        country: Some("".into()),
        language: Some("FR".into()),
        joined_at: Some("2026-02-03".into()),
        notes: Some("Runs the Dakar meetups".into()),
        ..Default::default()
    };
    let saved = members::update(&store, &id[..8], &patch).await.unwrap();
    assert_eq!(saved.role, Role::Champion);
    assert_eq!(saved.country, None);
    assert_eq!(saved.language.as_deref(), Some("fr"));
    assert_eq!(saved.joined_at.as_deref(), Some("2026-02-03T00:00:00Z"));
    assert_eq!(members::get(&store, &id).await.unwrap(), saved);
}

#[tokio::test]
async fn ids_resolve_whole_or_by_unique_prefix() {
    let store = common::demo_store(&common::small_demo(5)).await;
    let id = members::list(&store, &MemberFilter::default())
        .await
        .unwrap()[0]
        .id
        .clone();
    assert_eq!(members::resolve_id(&store, &id).await.unwrap(), id);
    assert_eq!(members::resolve_id(&store, &id[..13]).await.unwrap(), id);
    assert!(matches!(
        members::resolve_id(&store, "ffffffff-0000").await,
        Err(Error::MemberNotFound(_))
    ));
    assert!(matches!(
        members::resolve_id(&store, "x'; DROP TABLE members; --").await,
        Err(Error::MemberNotFound(_))
    ));
    // A one-character prefix is refused rather than guessed.
    assert!(members::resolve_id(&store, &id[..1]).await.is_err());
}

#[tokio::test]
async fn filters_and_search_narrow_the_list() {
    let store = common::demo_store(&common::small_demo(5)).await;
    let all = members::list(&store, &MemberFilter::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 120, "bots are left out");
    let facilitators = members::list(
        &store,
        &MemberFilter {
            role: Some(Role::Facilitator),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(facilitators.len(), 3);
    let country = all[0].country.clone().unwrap();
    let same = members::list(
        &store,
        &MemberFilter {
            country: Some(country.clone()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        same.len(),
        all.iter()
            .filter(|m| m.country.as_ref() == Some(&country))
            .count()
    );
    let needle = all[7].display_name.to_uppercase();
    let found = members::list(
        &store,
        &MemberFilter {
            search: Some(needle),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(found.iter().any(|m| m.id == all[7].id));
    assert!(found.len() < all.len());
    let with_bots = members::list(
        &store,
        &MemberFilter {
            include_bots: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(with_bots.len(), 121);
}

#[test]
fn migrations_are_named_so_that_they_apply_in_the_order_they_were_written() {
    // sqlx applies migrations by the number before the `_`: a short number would run before
    // every dated one on a fresh database.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.len() >= 9);
    for n in &names {
        let (version, _) = n.split_once('_').unwrap();
        assert!(
            version.len() == 14 && version.bytes().all(|b| b.is_ascii_digit()),
            "{n}: name it YYYYMMDDNNNNNN_what.sql"
        );
    }
}

#[tokio::test]
async fn a_country_typed_with_other_accents_or_case_joins_the_rosters_spelling() {
    let store = common::demo_store(&common::small_demo(5)).await;
    let list = members::list(&store, &MemberFilter::default())
        .await
        .unwrap();
    let known = list
        .iter()
        .find_map(|m| m.country.clone())
        .expect("a country");
    let id = list[0].id.clone();
    let typed = known.to_uppercase();
    let patch = MemberPatch {
        country: Some(format!("  {typed} ")),
        organisation: Some("A brand new organisation".into()),
        ..Default::default()
    };
    let saved = members::update(&store, &id, &patch).await.unwrap();
    assert_eq!(saved.country.as_deref(), Some(known.as_str()));
    assert_eq!(
        saved.organisation.as_deref(),
        Some("A brand new organisation")
    );
    // "Sénégal" beside "Senegal": one entry.
    let other = list[1].id.clone();
    for (who, typed) in [(&id, "Senegal"), (&other, "Sénégal")] {
        let patch = MemberPatch {
            country: Some(typed.into()),
            ..Default::default()
        };
        members::update(&store, who, &patch).await.unwrap();
    }
    let countries: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT country FROM members WHERE country LIKE 'S%negal'")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(countries.len(), 1, "{countries:?}");
    // A country typed in French or Spanish is kept under its one name, and found by any.
    for (who, typed) in [(&id, "Allemagne"), (&other, "alemania")] {
        let patch = MemberPatch {
            country: Some(typed.into()),
            ..Default::default()
        };
        let saved = members::update(&store, who, &patch).await.unwrap();
        assert_eq!(saved.country.as_deref(), Some("Germany"), "{typed}");
    }
    let found = members::list(
        &store,
        &MemberFilter {
            search: Some("Deutschland".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(found.is_empty(), "German is not one of the app's languages");
    for typed in ["allemagne", "Alemania", "germany"] {
        let filter = MemberFilter {
            search: Some(typed.into()),
            ..Default::default()
        };
        let found = members::list(&store, &filter).await.unwrap();
        let ids: Vec<&str> = found.iter().map(|m| m.id.as_str()).collect();
        assert!(
            ids.contains(&id.as_str()) && ids.contains(&other.as_str()),
            "{typed}: {ids:?}"
        );
    }
    // What names no country stays as written.
    let patch = MemberPatch {
        country: Some("East Africa region".into()),
        ..Default::default()
    };
    let saved = members::update(&store, &id, &patch).await.unwrap();
    assert_eq!(saved.country.as_deref(), Some("East Africa region"));
}

/// Wiping free pages rewrites the file (`VACUUM`), which SQLite documents may renumber the
/// rows of a table without an integer primary key: `sync_log`'s rowids are what
/// `activity.put_by` names, so they must come through unchanged.
#[tokio::test]
async fn wiping_free_pages_keeps_the_change_logs_rowids() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::demo_store_at(&common::small_demo(5), &dir.path().join("t.db")).await;
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    tend::sync::folder::sync(&store, &dir.path().join("shared"), None)
        .await
        .unwrap();
    let read = |store: Store| async move {
        let log: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT rowid, device, seq FROM sync_log ORDER BY device, seq")
                .fetch_all(store.pool())
                .await
                .unwrap();
        let put: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM activity a JOIN sync_log l ON l.rowid = a.put_by AND l.col = '+'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        (log, put)
    };
    // Gaps in the rowids, as deletions leave them, are what a renumbering would close.
    sqlx::query("DELETE FROM sync_log WHERE rowid % 7 = 3 AND col <> '+'")
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    let before = read(store.clone()).await;
    assert!(before.1 > 0, "activities put by bulk records");
    store.wipe_free_pages().await.unwrap();
    assert_eq!(read(store).await, before);
}
