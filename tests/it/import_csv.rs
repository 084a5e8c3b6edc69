//! The generic CSV format, the `tend import` command, and parsers fed random bytes.

use std::path::Path;

use assert_cmd::Command;
use rand::{Rng, SeedableRng};
use tend::import::{self, ImportError, ImportOptions, Silent};
use tend::Store;

const MEMBERS: &str = "id,name,email,role,country,organisation,language,joined_at,extra\n\
m1,Aminata Diallo,aminata@example.org,facilitator,Sénégal,Oxfam,fr,2026-01-05,x\n\
m2,José Núñez,JOSE@example.org,member,méxico,UNICEF,es,2026-01-06T10:00:00Z,y\n\
m3,Bad Role,bad@example.org,boss,Peru,,es,2026-01-07,z\n";

const ACTIVITIES: &str = "id,member_id,kind,occurred_at,space,thread_id,parent_id,title\n\
a1,m1,post,2026-02-01T09:00:00Z,questions,,,How do you dose chlorine?\n\
a2,m2,reply,2026-02-01T15:30:00Z,questions,a1,a1,\n\
a3,m2,reaction,2026-02-01T16:00:00Z,questions,a1,a1,\n\
a4,m1,post,last tuesday,general,,,Broken date\n\
a5,m2,reply,2026-02-02T08:00:00Z,questions,,,Reply without thread\n";

fn write_export(dir: &Path) {
    std::fs::write(dir.join("members.csv"), MEMBERS).unwrap();
    std::fs::write(dir.join("activities.csv"), ACTIVITIES).unwrap();
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn generic_csv_imports_good_rows_and_names_the_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    write_export(dir.path());
    let store = Store::open_in_memory().await.unwrap();
    let r = import::import_path(&store, dir.path(), &ImportOptions::default(), &Silent)
        .await
        .unwrap();
    assert_eq!(r.kind.as_str(), "csv");
    assert_eq!(r.added, 3);
    let locations: Vec<&str> = r.skipped.iter().map(|s| s.location.as_str()).collect();
    assert_eq!(locations.len(), 3, "{:?}", r.skipped);
    assert!(
        locations[0].ends_with("members.csv line 4"),
        "{locations:?}"
    );
    assert!(r.skipped[0].reason.contains("unknown role 'boss'"));
    assert!(locations[1].ends_with("activities.csv line 5"));
    assert!(r.skipped[1].reason.contains("occurred_at"));
    assert!(r.skipped[2].reason.contains("thread_id"));
    let role: String =
        sqlx::query_scalar("SELECT role FROM members WHERE display_name = 'Aminata Diallo'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(role, "facilitator");
    // Countries written in another language or case are kept under their one name.
    let countries: Vec<String> = sqlx::query_scalar("SELECT country FROM members ORDER BY country")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(countries, ["Mexico", "Senegal"]);
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM activities WHERE kind = 'reply' AND thread_root_id IS NOT NULL"
        )
        .await,
        1
    );
    let again = import::import_path(&store, dir.path(), &ImportOptions::default(), &Silent)
        .await
        .unwrap();
    assert_eq!((again.added, again.already_present), (0, 3));
}

#[tokio::test]
async fn a_csv_without_a_required_column_fails_whole_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    write_export(dir.path());
    std::fs::write(
        dir.path().join("activities.csv"),
        "id,member,kind\n1,m1,post\n",
    )
    .unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let err = import::import_path(&store, dir.path(), &ImportOptions::default(), &Silent)
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("activities.csv line 1") && msg.contains("'member_id'"),
        "{msg}"
    );
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM members").await,
        0,
        "members.csv was rolled back too"
    );
}

#[test]
fn tend_import_reports_per_file_and_fails_on_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir(&export).unwrap();
    write_export(&export);
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "hello").unwrap();
    let db = dir.path().join("tend.db");
    let out = Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&export)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json[0]["kind"], "csv");
    assert_eq!(json[0]["added"], 3);
    assert_eq!(json[0]["skipped"].as_array().unwrap().len(), 3);
    let out = Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&export)
        .arg(&junk)
        .assert()
        .failure()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("0 added, 3 already present"), "{stdout}");
    assert!(stderr.contains("junk.txt: not an export"), "{stderr}");
    let history = Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["imports", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let history: serde_json::Value = serde_json::from_slice(&history).unwrap();
    assert_eq!(
        history.as_array().unwrap().len(),
        3,
        "two good imports and one failure"
    );
}

/// Random bytes and mutated corpus files never make an importer panic: each gives a
/// report or an error.
#[tokio::test]
async fn parsers_survive_random_and_mutated_input() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let seeds: Vec<(&str, Vec<u8>)> = [
        (
            "a.mbox",
            "mbox/ponymail-foal/users_ponymail_apache_org_2022-01.mbox",
        ),
        ("b.zip", "slack/rusq-slackdump/source_export.zip"),
        ("c.json", "discourse/discourse_api-fixtures/topic.json"),
        (
            "d.csv",
            "attendance/zoom-zoomclass/participants_heroes_full.csv",
        ),
        ("e.mbox.gz", "pipermail/bigbang/2001-November.txt.gz"),
    ]
    .into_iter()
    .map(|(name, rel)| (name, std::fs::read(corpus.join(rel)).unwrap()))
    .collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_memory().await.unwrap();
    for round in 0..60 {
        let (name, seed) = &seeds[round % seeds.len()];
        let mut bytes = seed.clone();
        match round % 3 {
            0 => bytes.truncate(rng.random_range(0..bytes.len().max(1))),
            1 => {
                for _ in 0..rng.random_range(1..20) {
                    let i = rng.random_range(0..bytes.len().max(1));
                    if let Some(b) = bytes.get_mut(i) {
                        *b = rng.random();
                    }
                }
            }
            _ => {
                bytes = (0..rng.random_range(0..4096))
                    .map(|_| rng.random())
                    .collect()
            }
        }
        let path = dir.path().join(format!("{round}-{name}"));
        std::fs::write(&path, &bytes).unwrap();
        match import::import_path(&store, &path, &ImportOptions::default(), &Silent).await {
            Ok(_)
            | Err(
                ImportError::NotAnExport { .. }
                | ImportError::Zip { .. }
                | ImportError::Malformed { .. }
                | ImportError::Io { .. },
            ) => {}
            Err(e) => panic!("round {round} ({name}): unexpected error {e}"),
        }
    }
}

/// A Viva Engage export as Microsoft documents it (no real one is public): Users, Groups,
/// Messages with a thread, a reply to a reply, a deleted message and a private one.
fn viva_export(dir: &Path) {
    std::fs::write(dir.join("Users.csv"), "id,name,email,job_title,location,department,state,joined_at\n11,Priya Sharma,priya@example.org,Engineer,Delhi,WASH,active,2024-01-03T09:00:00Z\n12,Camille Martin,camille@example.org,,Paris,,active,2024-01-04 10:00:00 UTC\n").unwrap();
    std::fs::write(
        dir.join("Groups.csv"),
        "id,name,description\n7,Field practice,Questions from the field\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("Messages.csv"),
        "id,replied_to_id,thread_id,conversation_id,group_id,group_name,participants,in_private_group,in_private_conversation,sender_id,sender_type,sender_name,sender_email,body,api_url,attachments,deleted_by_id,deleted_by_type,created_at,deleted_at\n\
         100,,100,,7,Field practice,,false,false,11,user,Priya Sharma,priya@example.org,How do you test water?,,,,,2024-02-01T09:00:00Z,\n\
         101,100,100,,7,Field practice,,false,false,12,user,Camille Martin,camille@example.org,With kits,,,,,2024-02-01T11:00:00Z,\n\
         102,101,100,,7,Field practice,,false,false,11,user,Priya Sharma,priya@example.org,Thanks,,,,,2024-02-01T12:00:00Z,\n\
         103,,103,,7,Field practice,,false,false,12,user,Camille Martin,camille@example.org,Oops,,,,,2024-02-02T09:00:00Z,2024-02-02T10:00:00Z\n\
         104,,104,,,,user:11,false,true,11,user,Priya Sharma,priya@example.org,Private,,,,,2024-02-03T09:00:00Z,\n",
    )
    .unwrap();
}

#[tokio::test]
async fn viva_engage_exports_import_threads_and_leave_out_deleted_and_private() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("viva");
    std::fs::create_dir(&export).unwrap();
    viva_export(&export);
    // The same files as a ZIP, as the admin downloads them.
    let zip_path = dir.path().join("viva.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for name in ["Users.csv", "Groups.csv", "Messages.csv"] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, &std::fs::read(export.join(name)).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    for path in [&export, &zip_path] {
        let store = Store::open_in_memory().await.unwrap();
        let r = import::import_path(&store, path, &ImportOptions::default(), &Silent)
            .await
            .unwrap();
        assert_eq!(r.kind.as_str(), "viva");
        assert_eq!(
            (r.added, r.members_added, r.skipped.len()),
            (3, 2, 2),
            "{r:?}"
        );
        assert_eq!(count(&store, "SELECT COUNT(*) FROM activities WHERE kind = 'reply' AND thread_root_id IS NOT NULL").await, 2);
        // An activity's id derives from its source and external id (`ids::derived`).
        let source: String = sqlx::query_scalar("SELECT id FROM sources WHERE kind = 'viva'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        let id = |ext: &str| tend::ids::derived(&["activity", &source, ext]);
        let parent_is_reply: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM activities a JOIN activities p ON p.id = a.parent_id WHERE a.id = ? AND p.id = ?",
        )
        .bind(id("102"))
        .bind(id("101"))
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(parent_is_reply, 1);
        let joined: String = sqlx::query_scalar(
            "SELECT joined_at FROM members WHERE display_name = 'Camille Martin'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(joined, "2024-01-04T10:00:00Z");
    }
}

#[tokio::test]
async fn a_viva_export_with_a_byte_that_is_not_utf8_keeps_every_row_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    viva_export(dir.path());
    let path = dir.path().join("Messages.csv");
    let text = std::fs::read(&path).unwrap();
    let at = text.windows(6).position(|w| w == b"Thanks").unwrap();
    let mut bad = text.clone();
    bad.splice(at..at + 6, b"Th\xe9nks".iter().copied());
    std::fs::write(&path, bad).unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let r = import::import_path(&store, dir.path(), &ImportOptions::default(), &Silent)
        .await
        .unwrap();
    assert_eq!(r.added, 3, "{r:?}");
    assert!(
        r.skipped
            .iter()
            .any(|s| s.reason.contains("not UTF-8") && s.location.contains("line 4")),
        "{:?}",
        r.skipped
    );
}

/// Progress that asks to stop once `after` day files are done.
struct StopAfter {
    after: u64,
    done: std::sync::atomic::AtomicU64,
}

impl import::Progress for StopAfter {
    fn start(&self, _total: u64) {}
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        self.done.load(std::sync::atomic::Ordering::Relaxed) >= self.after
    }
}

#[tokio::test]
async fn a_cancelled_import_keeps_nothing_even_with_batches_being_written() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("slack");
    // 5,000 messages in five day files of 1,000: a file's rows span several batches.
    tend::bench::generate_slack(&export, 5_000).unwrap();
    let store = Store::open(&dir.path().join("tend.db")).await.unwrap();
    let stop = StopAfter {
        after: 3,
        done: Default::default(),
    };
    let err = import::import_path(&store, &export, &ImportOptions::default(), &stop)
        .await
        .expect_err("cancelled");
    assert!(matches!(err, ImportError::Cancelled(_)), "{err}");
    for table in ["activities", "members", "identities", "spaces", "sources"] {
        let n = count(&store, &format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(n, 0, "{table} kept rows of a cancelled import");
    }
    foreign_keys_are_checked(&store).await;
    // The store is free again, and the whole export lands the next time.
    let r = import::import_path(&store, &export, &ImportOptions::default(), &Silent)
        .await
        .unwrap();
    assert_eq!(
        r.added,
        5_000 + 500,
        "messages and a reaction on every tenth"
    );
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM activities").await,
        5_500
    );
    foreign_keys_are_checked(&store).await;
}

/// Imports write with SQLite's foreign-key checks off and a larger page cache: every
/// connection of the pool has the checks and the usual cache again afterwards, and refuses
/// a row pointing at nothing.
async fn foreign_keys_are_checked(store: &Store) {
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut conn = store.local_writer().await.unwrap();
        let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(on, 1, "a connection came back without foreign-key checks");
        let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(cache, -65536, "a connection kept the import's page cache");
        held.push(conn);
    }
    drop(held);
    let refused = sqlx::query(
        "INSERT INTO activities (id, source_id, member_id, kind, occurred_at)
         VALUES (?, 'no-source', 'no-member', 'post', '2026-01-01T00:00:00Z')",
    )
    .bind(tend::ids::derived(&["activity", "no-source", "x"]))
    .execute(&mut *store.local_writer().await.unwrap())
    .await;
    assert!(refused.is_err(), "a row pointing at nothing was accepted");
}

#[tokio::test]
async fn a_reply_whose_thread_is_not_in_the_export_is_kept_unlinked() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_memory().await.unwrap();
    // Rows of an earlier import lie below the second import's rows.
    let first = dir.path().join("first");
    std::fs::create_dir_all(&first).unwrap();
    write_export(&first);
    import::import_path(&store, &first, &ImportOptions::default(), &Silent)
        .await
        .unwrap();
    let second = dir.path().join("second");
    std::fs::create_dir_all(&second).unwrap();
    std::fs::write(second.join("members.csv"), MEMBERS).unwrap();
    std::fs::write(
        second.join("activities.csv"),
        "id,member_id,kind,occurred_at,space,thread_id,parent_id,title\n\
         r1,m1,reply,2026-03-01T09:00:00Z,questions,gone,gone,\n\
         p1,m2,post,2026-03-01T10:00:00Z,questions,,,Still here?\n\
         r2,m1,reply,2026-03-01T11:00:00Z,questions,p1,p1,\n",
    )
    .unwrap();
    let r = import::import_path(&store, &second, &ImportOptions::default(), &Silent)
        .await
        .unwrap();
    assert_eq!(r.added, 3);
    // Ids derive from the source and the external id (`ids::derived`).
    let sources: Vec<String> = sqlx::query_scalar("SELECT id FROM sources ORDER BY rowid")
        .fetch_all(store.pool())
        .await
        .unwrap();
    let id = |ext: &str| tend::ids::derived(&["activity", &sources[1], ext]);
    let mut linked: Vec<(String, Option<String>)> = Vec::new();
    for ext in ["r1", "r2"] {
        let root: Option<String> = sqlx::query_scalar(
            "SELECT thread_root_id FROM activities WHERE kind = 'reply' AND id = ?",
        )
        .bind(id(ext))
        .fetch_one(store.pool())
        .await
        .unwrap();
        let root_ext = root.map(|r| if r == id("p1") { "p1".to_string() } else { r });
        linked.push((ext.into(), root_ext));
    }
    assert_eq!(
        linked,
        vec![("r1".into(), None), ("r2".into(), Some("p1".into()))]
    );
}
