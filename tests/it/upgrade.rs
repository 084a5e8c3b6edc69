//! A database made by the release before the lean store (schema 13, `tests/fixtures/
//! store-v13`) upgrades in place on open and loses nothing: members, merges, the erased,
//! overrides, plan progress, stories, kits, the change log and held records; its
//! activities read back the same through the `activities` view; a laptop on the new
//! version takes its old change records.

use std::io::Read;
use std::path::{Path, PathBuf};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use tend::sync::{folder, status};
use tend::Store;

/// The fixture, unpacked into `dir`.
fn unpack(dir: &Path) -> PathBuf {
    let packed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/store-v13/store-v13.db.gz"
    );
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(packed).expect("fixture"))
        .read_to_end(&mut bytes)
        .expect("gunzip");
    let path = dir.join("tend.db");
    std::fs::write(&path, bytes).expect("write");
    path
}

/// What a database holds, table by table, as text rows in a stable order. Activities are
/// read through `activities` (the table before, the view after) without `external_id`,
/// which the lean store folds into the id it derives.
const DUMPS: &[(&str, &str)] = &[
    (
        "activities",
        "SELECT json_array(id, source_id, member_id, identity_id, space_id, kind, occurred_at,
         thread_root_id, parent_id, title, body) FROM activities ORDER BY id",
    ),
    ("members", "SELECT json_array(id, display_name, email, role, country, organisation, language, joined_at, is_bot, notes, created_at, updated_at, erased_at) FROM members ORDER BY id"),
    ("identities", "SELECT json_array(id, source_id, external_id, handle, email, member_id, email_norm, display_name, erased) FROM identities ORDER BY id"),
    ("spaces", "SELECT json_array(id, source_id, external_id, name, kind) FROM spaces ORDER BY id"),
    ("sources", "SELECT json_array(id, kind, name, created_at, keep_bodies) FROM sources ORDER BY id"),
    ("member_merges", "SELECT json_array(id, kept_id, merged_id, merged_row, identities, merged_at, undone_at) FROM member_merges ORDER BY id"),
    ("not_same_person", "SELECT json_array(member_a, member_b, decided_at) FROM not_same_person ORDER BY 1"),
    ("onboarding_overrides", "SELECT json_array(member_id, stage, note, set_at) FROM onboarding_overrides ORDER BY 1"),
    ("plan_progress", "SELECT json_array(step_id, status, owner, note, reason, updated_at) FROM plan_progress ORDER BY 1"),
    ("stories", "SELECT json_array(id, told_on, tag, member_id, title, text, created_at) FROM stories ORDER BY 1"),
    ("kits", "SELECT json_array(id, made_at, template, lang, audience, recipient, members, format) FROM kits ORDER BY 1"),
    ("sync_log", "SELECT json_array(device, seq, hlc, tbl, row_key, col, value, schema, state) FROM sync_log ORDER BY device, seq"),
    ("sync_refused", "SELECT json_array(device, seq, reason) FROM sync_refused ORDER BY 1"),
    ("imports", "SELECT json_array(id, path, content_hash, status, added) FROM imports ORDER BY id"),
];

async fn dump(conn: &mut sqlx::SqliteConnection) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (table, sql) in DUMPS {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"));
        out.push((table.to_string(), rows));
    }
    out
}

/// What the database file at `path` holds, read with a plain connection (not the store).
async fn dump_file(path: &Path) -> Vec<(String, Vec<String>)> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .connect()
        .await
        .expect("open the file");
    let rows = dump(&mut conn).await;
    conn.close().await.expect("close");
    rows
}

#[tokio::test]
async fn a_schema_13_database_upgrades_in_place_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = unpack(dir.path());
    let mut old = SqliteConnectOptions::new()
        .filename(&path)
        .connect()
        .await
        .unwrap();
    let before = dump(&mut old).await;
    old.close().await.unwrap();
    let count = |t: &str| before.iter().find(|(n, _)| n == t).map_or(0, |d| d.1.len());
    // The fixture holds what it says it does.
    assert_eq!(count("activities"), 1661);
    assert!(count("member_merges") == 1 && count("stories") == 1 && count("kits") == 1);
    assert_eq!(count("sync_refused"), 1);

    let store = Store::open(&path).await.expect("upgrade");
    let mut conn = store.local_writer().await.unwrap();
    let after = dump(&mut conn).await;
    for ((table, was), (_, is)) in before.iter().zip(&after) {
        assert_eq!(was.len(), is.len(), "{table}: rows");
        assert!(was == is, "{table}: the rows changed");
    }
    // Threads and parents became row links: as many as there were ids.
    let linked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity WHERE root IS NOT NULL")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(linked, 1218);
    drop(conn);
    let held = status::held(&store, 10).await.unwrap();
    assert_eq!(held.len(), 1, "{held:?}");
    assert!(held[0].reason.contains("overlord"), "{held:?}");
    tend::health::compute(
        &store,
        &tend::health::Lens::whole(tend::health::Period::days_to(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            30,
        )),
    )
    .await
    .expect("health after the upgrade");

    // A laptop on the new version takes the old records (sync schema 8) and ends with
    // the same rows.
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    folder::sync(&store, &shared, None)
        .await
        .expect("upgraded laptop");
    let fresh = Store::open(&dir.path().join("fresh.db")).await.unwrap();
    folder::sync(&fresh, &shared, None)
        .await
        .expect("new laptop");
    let (mut a, mut b) = (
        store.local_writer().await.unwrap(),
        fresh.local_writer().await.unwrap(),
    );
    let (a, b) = (dump(&mut a).await, dump(&mut b).await);
    for table in ["activities", "members", "identities", "spaces", "stories"] {
        let of = |d: &Vec<(String, Vec<String>)>| {
            d.iter().find(|(n, _)| n == table).map(|x| x.1.clone())
        };
        assert_eq!(of(&a), of(&b), "{table} on the new laptop");
    }
}

#[tokio::test]
async fn the_store_and_the_model_agree_on_activity_kinds() {
    let store = Store::open_in_memory().await.unwrap();
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT code, name FROM activity_kinds ORDER BY code")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let model: Vec<(i64, String)> = tend::model::ActivityKind::ALL
        .iter()
        .map(|k| (k.code(), k.as_str().to_string()))
        .collect();
    assert_eq!(rows, model);
    for (code, _) in &rows {
        let kind = tend::model::ActivityKind::from_code(*code).unwrap();
        assert_eq!(kind.code(), *code);
    }
    assert_eq!(tend::model::ActivityKind::from_code(5), None);
}

/// `activity` has no CHECK constraint (they made every import batch go through a statement
/// journal); the view sync writes through refuses what they refused.
#[tokio::test]
async fn the_activities_view_refuses_a_bad_id_or_kind() {
    let store = Store::open_in_memory().await.unwrap();
    let source = "00000000-0000-4000-8000-000000000001";
    let member = "00000000-0000-4000-8000-000000000002";
    sqlx::query("INSERT INTO sources (id, kind, name, created_at) VALUES (?, 'csv', 's', '2026-01-01T00:00:00Z')")
        .bind(source)
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    sqlx::query("INSERT INTO members (id, display_name, role, created_at, updated_at) VALUES (?, 'M', 'member', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
        .bind(member)
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    let insert = |id: &'static str, kind: &'static str| {
        sqlx::query(
            "INSERT INTO activities (id, source_id, member_id, kind, occurred_at)
             VALUES (?, ?, ?, ?, '2026-01-02T00:00:00Z')",
        )
        .bind(id)
        .bind(source)
        .bind(member)
        .bind(kind)
    };
    let bad_id = insert("abcd-ef", "post")
        .execute(&mut *store.local_writer().await.unwrap())
        .await;
    assert!(bad_id.is_err(), "a bad id is refused");
    let bad_kind = insert("00000000-0000-4000-8000-000000000003", "shout")
        .execute(&mut *store.local_writer().await.unwrap())
        .await;
    assert!(bad_kind.is_err(), "an unknown kind is refused");
    insert("00000000-0000-4000-8000-000000000004", "post")
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(n, 1, "only the good row is stored");
}

/// How often `needle` appears in the bytes of the database at `path` and its log.
fn in_file(path: &Path, needle: &str) -> usize {
    ["", "-wal"]
        .iter()
        .filter_map(|suffix| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            std::fs::read(name).ok()
        })
        .map(|bytes| {
            bytes
                .windows(needle.len())
                .filter(|w| *w == needle.as_bytes())
                .count()
        })
        .sum()
}

/// #28: secrets an older Tend kept in its settings (one still there, one it had moved out,
/// leaving its bytes in a free page) are nowhere in the file once the current Tend opened
/// it: the one left is in the vault.
#[tokio::test]
async fn secrets_an_older_tend_kept_leave_the_file_on_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = unpack(dir.path());
    let (kept, moved) = ("kept-passphrase-7781-zebra", "hunter2-moved-hub-password");
    let mut old = SqliteConnectOptions::new()
        .filename(&path)
        .connect()
        .await
        .unwrap();
    for sql in [
        format!("INSERT INTO settings (key, value) VALUES ('sync.passphrase', '{kept}')"),
        format!(
            "INSERT INTO settings (key, value) VALUES ('sync.hub', 'postgres://u:{moved}@h/db')"
        ),
        "DELETE FROM settings WHERE key = 'sync.hub'".to_string(),
    ] {
        sqlx::query(&sql).execute(&mut old).await.unwrap();
    }
    old.close().await.unwrap();
    assert!(
        in_file(&path, kept) > 0 && in_file(&path, moved) > 0,
        "the old file holds both"
    );
    let store = Store::open(&path).await.unwrap();
    assert_eq!(
        store.secrets().get("sync.passphrase").unwrap().as_deref(),
        Some(kept)
    );
    store.close().await;
    assert_eq!((in_file(&path, kept), in_file(&path, moved)), (0, 0));
    // Nor does the copy kept before the upgrade.
    let copy = tend::store::copy_before_upgrade(&path);
    assert!(copy.exists());
    assert_eq!((in_file(&copy, kept), in_file(&copy, moved)), (0, 0));
}

#[tokio::test]
async fn an_upgrade_keeps_a_copy_first_and_a_newer_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = unpack(dir.path());
    let before = dump_file(&path).await;
    let store = Store::open(&path).await.expect("upgrade");
    store.close().await;
    // The copy is the database as the older Tend left it, readable only by this account.
    let copy = tend::store::copy_before_upgrade(&path);
    assert!(
        dump_file(&copy).await == before,
        "the copy holds what the database held"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Opening again (nothing to migrate) makes no new copy and keeps the first.
    let stamp = std::fs::metadata(&copy).unwrap().modified().unwrap();
    Store::open(&path).await.expect("again").close().await;
    assert_eq!(std::fs::metadata(&copy).unwrap().modified().unwrap(), stamp);
    // A database a newer Tend migrated is refused with words, and left as it was.
    let mut newer = SqliteConnectOptions::new()
        .filename(&path)
        .connect()
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         VALUES (29991231000099, 'from the future', '2999-12-31', 1, x'00', 0)",
    )
    .execute(&mut newer)
    .await
    .unwrap();
    let was = dump(&mut newer).await;
    newer.close().await.unwrap();
    let err = match Store::open(&path).await {
        Ok(_) => panic!("a newer database was opened"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("newer Tend") && err.contains("29991231000099"),
        "{err}"
    );
    assert!(
        dump_file(&path).await == was,
        "the newer database was changed"
    );
}
