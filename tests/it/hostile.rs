//! Input written by strangers, as an attacker would write it: forged and poisoned change
//! files in the shared folder, traps (links, pipes, huge files) where Tend reads, archive
//! and mailbox bombs, and the database's privacy on disk. Each ends in a skip with its
//! reason or a clear error, memory and time bounded, the data whole, and a later
//! legitimate edit still arriving.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tend::health::Period;
use tend::import::{self, ImportError, ImportOptions, Silent};
use tend::model::{MemberFilter, MemberPatch};
use tend::sync::apply::Change;
use tend::sync::segment::{self, Keys};
use tend::sync::{folder, status, SCHEMA};
use tend::watch::{DropFolder, WatchConfig, WatchEvent};
use tend::{members, Store};

const PASS: &str = "river stone lantern";

/// Two laptops of a sealed team that have synced once, and the shared folder.
async fn sealed_team() -> (tempfile::TempDir, Store, Store, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared).expect("shared");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    let b = Store::open(&dir.path().join("b.db")).await.expect("b");
    let mut cfg = common::small_demo(11);
    cfg.members = 8;
    cfg.months = 1;
    tend::demo::generate(&a, &cfg).await.expect("demo");
    folder::sync(&a, &shared, Some(PASS)).await.expect("a");
    folder::sync(&b, &shared, Some(PASS)).await.expect("b");
    (dir, a, b, shared)
}

async fn device_of(store: &Store) -> String {
    status::status(store).await.expect("status").device
}

async fn some_member(store: &Store) -> String {
    sqlx::query_scalar("SELECT id FROM members WHERE erased_at IS NULL ORDER BY id LIMIT 1")
        .fetch_one(store.pool())
        .await
        .expect("member")
}

fn change(device: &str, seq: i64, tbl: &str, key: &str, col: &str, value: &str) -> Change {
    Change {
        device: device.into(),
        seq,
        hlc: (chrono::Utc::now().timestamp_millis() << 16) + seq,
        base: 0,
        tbl: tbl.into(),
        row_key: key.into(),
        col: col.into(),
        value: value.into(),
        schema: SCHEMA,
    }
}

/// Writes `changes` as a segment file in `device`'s sub-folder, sealed with `pass` or in
/// the clear, named `<first>-<last>-<tag>.tseg`.
fn drop_segment(shared: &Path, changes: &[Change], pass: Option<&str>, tag: &str) -> PathBuf {
    drop_signed(shared, changes, pass, tag, None)
}

/// [`drop_segment`], signed with `signer`.
fn drop_signed(
    shared: &Path,
    changes: &[Change],
    pass: Option<&str>,
    tag: &str,
    signer: Option<&ed25519_dalek::SigningKey>,
) -> PathBuf {
    let salt = b"forger-salt-0001";
    let bytes = segment::encode(changes, SCHEMA, &mut Keys::new(pass), salt, signer).unwrap();
    let (first, last) = (changes[0].seq, changes[changes.len() - 1].seq);
    let dir = shared.join(&changes[0].device);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{first:012}-{last:012}-{tag}.tseg"));
    std::fs::write(&path, bytes).unwrap();
    path
}

async fn note_on(store: &Store, id: &str, text: &str) {
    let patch = MemberPatch {
        notes: Some(text.into()),
        ..Default::default()
    };
    members::update(store, id, &patch).await.expect("edit");
}

#[tokio::test]
async fn a_stranger_cannot_forge_an_unsealed_segment_into_a_sealed_team() {
    let (_dir, a, b, shared) = sealed_team().await;
    let (dev_a, m) = (device_of(&a).await, some_member(&a).await);
    let name_before = members::get(&b, &m).await.unwrap().display_name;
    let next = tend::sync::cursor(&b, &dev_a).await.unwrap() + 1;
    // The stranger writes A's next changes, in the clear, under A's device id.
    let forged = [
        change(
            &dev_a,
            next,
            "members",
            &m,
            "display_name",
            "\"Renamed by a stranger\"",
        ),
        change(&dev_a, next + 1, "members", &m, "-", "null"),
        change(
            &dev_a,
            next + 2,
            "settings",
            "sync.hub",
            "*",
            r#"{"key":"sync.hub","value":"postgres://evil/x"}"#,
        ),
    ];
    drop_segment(&shared, &forged, None, "00000000");
    let r = folder::sync(&b, &shared, Some(PASS)).await.expect("b");
    assert_eq!(r.applied, 0, "{r:?}");
    assert!(
        r.skipped.iter().any(|s| s.reason.contains("never applied")),
        "{r:?}"
    );
    assert_eq!(
        members::get(&b, &m).await.unwrap().display_name,
        name_before
    );
    // A's own laptop does not take the stranger's file for a copy of itself.
    note_on(&a, &m, "a real edit").await;
    let r = folder::sync(&a, &shared, Some(PASS)).await.expect("a");
    assert!(r.notices.iter().all(|n| !n.contains("now device")), "{r:?}");
    assert_eq!(device_of(&a).await, dev_a);
    // The genuine changes with the same numbers arrive beside the forged file.
    folder::sync(&b, &shared, Some(PASS))
        .await
        .expect("b again");
    let got = members::get(&b, &m).await.unwrap();
    assert_eq!(
        (got.notes.as_str(), got.display_name),
        ("a real edit", name_before)
    );
}

#[tokio::test]
async fn a_teammate_with_the_passphrase_cannot_write_as_another_laptop() {
    let (_dir, a, b, shared) = sealed_team().await;
    let (dev_a, m) = (device_of(&a).await, some_member(&a).await);
    let name_before = members::get(&b, &m).await.unwrap().display_name;
    let next = tend::sync::cursor(&b, &dev_a).await.unwrap() + 1;
    // Sealed with the team's passphrase, signed with the teammate's own key, under A's id.
    let teammate = ed25519_dalek::SigningKey::from_bytes(&[42; 32]);
    let forged = [change(
        &dev_a,
        next,
        "members",
        &m,
        "display_name",
        "\"Renamed by a teammate\"",
    )];
    drop_signed(&shared, &forged, Some(PASS), "7ea77a7e", Some(&teammate));
    // A does not take it for a copy of itself (it would re-key), and B does not apply it.
    let r = folder::sync(&a, &shared, Some(PASS)).await.expect("a");
    assert_eq!(device_of(&a).await, dev_a, "{r:?}");
    assert!(
        r.skipped
            .iter()
            .any(|s| s.reason.contains("signed by another key")),
        "{r:?}"
    );
    let r = folder::sync(&b, &shared, Some(PASS)).await.expect("b");
    assert!(
        r.skipped.iter().any(|s| s.reason.contains("another key")),
        "{r:?}"
    );
    assert_eq!(
        members::get(&b, &m).await.unwrap().display_name,
        name_before
    );
    // Unsigned, as a Tend from before signing would write it: refused too, now A is pinned.
    drop_signed(&shared, &forged, Some(PASS), "0751a9ed", None);
    let r = folder::sync(&b, &shared, Some(PASS)).await.expect("b");
    assert!(
        r.skipped.iter().any(|s| s.reason.contains("not signed")),
        "{r:?}"
    );
    // A's own next edit, with the same sequence numbers, still arrives.
    note_on(&a, &m, "A's real note").await;
    folder::sync(&a, &shared, Some(PASS)).await.expect("a");
    folder::sync(&b, &shared, Some(PASS)).await.expect("b");
    assert_eq!(members::get(&b, &m).await.unwrap().notes, "A's real note");
}

#[tokio::test]
async fn poisoned_records_are_held_with_their_reason_and_the_rest_applies() {
    let (_dir, a, b, shared) = sealed_team().await;
    let m = some_member(&a).await;
    // A teammate's laptop (it holds the passphrase) sends records no edit could make.
    let dev = "01930000-0000-7000-8000-00000000bad1";
    let poison = [
        change(dev, 1, "members", &m, "role", "\"god\""),
        change(dev, 2, "members", &m, "display_name", "null"),
        change(
            dev,
            3,
            "settings",
            "sync.folder",
            "value",
            "\"/tmp/elsewhere\"",
        ),
        change(
            dev,
            4,
            "not_same_person",
            "not-a-pair",
            "decided_at",
            "\"2026-01-01\"",
        ),
        change(dev, 5, "members", &m, "joined_at", "\"whenever\""),
        change(dev, 6, "members", &m, "notes", "\"a fair note\""),
    ];
    drop_segment(&shared, &poison, Some(PASS), "0000bad1");
    let r = folder::sync(&b, &shared, Some(PASS)).await.expect("b");
    assert_eq!((r.applied, r.held), (1, 5), "{r:?}");
    let got = members::get(&b, &m).await.expect("the member reads");
    assert_eq!(got.notes, "a fair note");
    assert_ne!(got.role.to_string(), "god");
    let held = status::status(&b).await.unwrap().held;
    let reasons: Vec<&str> = held.iter().map(|h| h.reason.as_str()).collect();
    assert_eq!(held.len(), 5, "{reasons:?}");
    for word in [
        "roles",
        "may not be empty",
        "stays on each laptop",
        "composite",
        "ISO 8601",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(word)),
            "{word}: {reasons:?}"
        );
    }
    // Everything that reads members still works, and later edits still arrive.
    members::list(&b, &MemberFilter::default())
        .await
        .expect("list");
    let period = Period::days_to(tend::time::today(), 30);
    tend::health::compute(&b, &tend::health::Lens::whole(period))
        .await
        .expect("health");
    note_on(&a, &m, "later, from A").await;
    folder::sync(&a, &shared, Some(PASS)).await.expect("a");
    folder::sync(&b, &shared, Some(PASS))
        .await
        .expect("b again");
    assert_eq!(members::get(&b, &m).await.unwrap().notes, "later, from A");
}

#[cfg(unix)]
#[tokio::test]
async fn links_pipes_folders_and_huge_files_in_the_sync_folder_are_set_aside() {
    let (_dir, a, b, shared) = sealed_team().await;
    let (dev_a, m) = (device_of(&a).await, some_member(&a).await);
    let next = tend::sync::cursor(&b, &dev_a).await.unwrap() + 1;
    let own = shared.join(&dev_a);
    let name = |tag: &str| own.join(format!("{next:012}-{next:012}-{tag}.tseg"));
    std::os::unix::fs::symlink("/dev/zero", name("00000001")).unwrap();
    let fifo = name("00000002");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::fs::create_dir_all(name("00000003")).unwrap();
    let huge = std::fs::File::create(name("00000004")).unwrap();
    huge.set_len(200 << 20).unwrap(); // sparse: 200 MiB claimed, nothing on disk
    std::os::unix::fs::symlink(&own, shared.join("a-link-to-a-peer")).unwrap();
    note_on(&a, &m, "after the traps").await;
    folder::sync(&a, &shared, Some(PASS)).await.expect("a");
    let started = Instant::now();
    let r = folder::sync(&b, &shared, Some(PASS)).await.expect("b");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let reasons: Vec<String> = r.skipped.iter().map(|s| s.reason.clone()).collect();
    assert!(
        reasons.iter().filter(|r| r.contains("set aside")).count() >= 3,
        "{reasons:?}"
    );
    assert_eq!(members::get(&b, &m).await.unwrap().notes, "after the traps");
}

/// A Slack export as a ZIP with these day files in `general/`.
fn slack_zip(path: &Path, days: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let users = r#"[{"id":"U1","name":"ana","real_name":"Ana Silva"}]"#;
    let channels = r#"[{"id":"C1","name":"general"}]"#;
    for (name, body) in [
        ("users.json", users.as_bytes()),
        ("channels.json", channels.as_bytes()),
    ]
    .into_iter()
    .chain(days.iter().map(|(n, b)| (*n, *b)))
    {
        zip.start_file(name, opts).unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap();
}

#[tokio::test]
async fn a_zip_bomb_day_file_is_left_out_and_the_rest_imports() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let good = br#"[{"type":"message","user":"U1","text":"hi","ts":"1450000000.000100"}]"#;
    let mut bomb = b"[".to_vec();
    bomb.extend(std::iter::repeat_n(&b"0,"[..], 20 << 20).flatten());
    bomb.extend(b"0]");
    let mut empties = b"[".to_vec();
    empties.extend(std::iter::repeat_n(&b"{},"[..], 999).flatten());
    empties.extend(b"{}]");
    let path = dir.path().join("slack.zip");
    slack_zip(
        &path,
        &[
            ("general/2015-12-13.json", good),
            ("general/2015-12-14.json", &bomb),
            ("general/2015-12-15.json", &empties),
        ],
    );
    assert!(std::fs::metadata(&path).unwrap().len() < 200_000);
    let r = import::import_path(&store, &path, &ImportOptions::default(), &Silent)
        .await
        .expect("the import goes on");
    assert_eq!(r.added, 1);
    let bomb_skip = r.skipped.iter().find(|s| s.location.contains("2015-12-14"));
    assert!(
        bomb_skip.is_some_and(|s| s.reason.contains("ZIP bomb")),
        "{:?}",
        r.skipped.iter().take(3).collect::<Vec<_>>()
    );
    // 1,000 bad records: the first 200 one by one, the rest as one count.
    let limit = tend::limits::MAX_SKIPS_KEPT;
    assert_eq!(r.skipped.len(), limit + 1, "{:?}", r.skipped.last());
    let last = r.skipped.last().unwrap();
    assert!(last.location.starts_with("801 more records"), "{last:?}");
}

#[tokio::test]
async fn an_mbox_message_past_the_limit_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let path = dir.path().join("list.mbox.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::fast(),
    );
    let message = |id: &str, body: &str| {
        format!("From ana@example.org Mon Jan  4 10:00:00 2016\nFrom: Ana <ana@example.org>\nMessage-ID: <{id}@x>\nDate: Mon, 4 Jan 2016 10:00:00 +0000\nSubject: {id}\n\n{body}\n\n")
    };
    gz.write_all(message("one", "short").as_bytes()).unwrap();
    gz.write_all(message("two", "").as_bytes()).unwrap();
    let line = "x".repeat(4095) + "\n";
    for _ in 0..((tend::limits::MAX_MAIL_MESSAGE_BYTES / 4096) + 64) {
        gz.write_all(line.as_bytes()).unwrap();
    }
    // One line of 3 MiB without a newline inside: cut, never held whole.
    gz.write_all("y".repeat(3 << 20).as_bytes()).unwrap();
    gz.write_all(b"\n\n").unwrap();
    gz.write_all(message("three", "short").as_bytes()).unwrap();
    gz.finish().unwrap();
    let r = import::import_path(&store, &path, &ImportOptions::default(), &Silent)
        .await
        .expect("import");
    assert_eq!(r.added, 2, "{:?}", r.skipped);
    assert!(
        r.skipped
            .iter()
            .any(|s| s.location.ends_with("message 2") && s.reason.contains("larger than")),
        "{:?}",
        r.skipped
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_drop_folder_refuses_links_loops_and_pipes_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let drop = dir.path().join("drop");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&drop).unwrap();
    std::fs::create_dir_all(outside.join("inner")).unwrap();
    let mbox = "From a@example.org Mon Jan  4 10:00:00 2016\nFrom: a@example.org\nMessage-ID: <o@x>\nDate: Mon, 4 Jan 2016 10:00:00 +0000\nSubject: private\n\nsecret\n";
    std::fs::write(outside.join("private.mbox"), mbox).unwrap();
    std::os::unix::fs::symlink(outside.join("private.mbox"), drop.join("linked.mbox")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", drop.join("zero.mbox")).unwrap();
    std::os::unix::fs::symlink(&drop, drop.join("loop")).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(drop.join("pipe.mbox"))
        .status()
        .unwrap()
        .success());
    // A folder whose inside links out and loops back.
    std::fs::create_dir_all(drop.join("export")).unwrap();
    std::os::unix::fs::symlink(&outside, drop.join("export").join("out")).unwrap();
    std::os::unix::fs::symlink(drop.join("export"), drop.join("export").join("again")).unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let mut cfg = WatchConfig::new(drop.clone());
    cfg.settle = Duration::ZERO;
    let started = Instant::now();
    let events = DropFolder::default()
        .scan(&store, &cfg)
        .await
        .expect("scan");
    assert!(started.elapsed() < Duration::from_secs(20));
    let refused = |name: &str| {
        events.iter().any(|e| matches!(e, WatchEvent::Failed(p, ImportError::Refused { .. }) if p.ends_with(name)))
    };
    for name in ["linked.mbox", "zero.mbox", "loop", "pipe.mbox"] {
        assert!(refused(name), "{name}: {events:?}");
    }
    let imported: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activities")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(imported, 0, "nothing from outside the folder");
}

#[tokio::test]
async fn content_whose_import_was_interrupted_is_set_aside_not_retried() {
    let dir = tempfile::tempdir().unwrap();
    let drop = dir.path().join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    let file = drop.join("list.mbox");
    std::fs::write(&file, "From a@example.org Mon Jan  4 10:00:00 2016\nFrom: a@example.org\nMessage-ID: <i@x>\nDate: Mon, 4 Jan 2016 10:00:00 +0000\nSubject: hi\n\nhello\n").unwrap();
    let store = Store::open_in_memory().await.unwrap();
    // What a crash during the import leaves behind: the attempt, and no outcome.
    let hash = import::history::content_hash(&file).unwrap();
    import::history::attempt(&store, &file, &hash)
        .await
        .unwrap();
    let mut cfg = WatchConfig::new(drop);
    cfg.settle = Duration::ZERO;
    let events = DropFolder::default()
        .scan(&store, &cfg)
        .await
        .expect("scan");
    assert!(
        matches!(
            events.as_slice(),
            [WatchEvent::Failed(_, ImportError::Interrupted { .. })]
        ),
        "{events:?}"
    );
    // By hand it imports, and the drop folder then leaves it alone.
    import::import_path(&store, &file, &ImportOptions::default(), &Silent)
        .await
        .unwrap();
    let mut cfg2 = WatchConfig::new(file.parent().unwrap().to_path_buf());
    cfg2.settle = Duration::ZERO;
    let events = DropFolder::default()
        .scan(&store, &cfg2)
        .await
        .expect("scan");
    assert!(
        matches!(events.as_slice(), [WatchEvent::AlreadyImported(_)]),
        "{events:?}"
    );
}

#[tokio::test]
async fn names_lose_direction_overrides_and_long_ones_are_cut_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let long = "N".repeat(5000);
    let members_csv = format!(
        "id,name,email\nm1,\"Ana\u{202E}gpj.exe\",ana@example.org\nm2,{long},long@example.org\n"
    );
    let acts = "id,member_id,kind,occurred_at,space\np1,m1,post,2026-10-01T10:00:00Z,general\n";
    let store =
        common::csv_community(dir.path(), (&members_csv, acts), "C", "P", "2026-09-01").await;
    let names: Vec<String> = sqlx::query_scalar("SELECT display_name FROM members ORDER BY email")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(names[0], "Anagpj.exe");
    assert_eq!(names[1].chars().count(), tend::limits::MAX_NAME_CHARS);
    let history = import::history::list(&store, 1).await.unwrap();
    assert!(
        history[0].detail.contains("cut to 200"),
        "{}",
        history[0].detail
    );
}

/// The reasons an import's report gives, each with its place.
fn skip_lines(report: &import::FileReport) -> Vec<String> {
    report
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.location, s.reason))
        .collect()
}

#[tokio::test]
async fn invisible_names_are_skipped_stacked_marks_capped_and_a_bad_byte_costs_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let zalgo: String = std::iter::once('Z')
        .chain(std::iter::repeat_n('\u{0301}', 20_000))
        .collect();
    let mut members_csv = format!(
        "id,name,email\nm1,\u{200B}\u{200E}\u{3164},hidden@example.org\nm2,{zalgo},zalgo@example.org\nm3,Ame\u{0301}lie,amelie@example.org\n"
    )
    .into_bytes();
    members_csv.extend_from_slice(b"m4,Bad\xffByte,bad@example.org\nm5,Cy,cy@example.org\n");
    std::fs::write(dir.path().join("members.csv"), members_csv).unwrap();
    std::fs::write(
        dir.path().join("activities.csv"),
        "id,member_id,kind,occurred_at,space\np1,m5,post,2026-10-01T10:00:00Z,general\n",
    )
    .unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let report = import::import_path(&store, dir.path(), &ImportOptions::default(), &Silent)
        .await
        .expect("the file imports, bad byte and all");
    let names: Vec<String> = sqlx::query_scalar("SELECT display_name FROM members ORDER BY email")
        .fetch_all(store.pool())
        .await
        .unwrap();
    // amelie, bad, cy, hidden (named after its address), zalgo
    assert_eq!(names[0], "Amélie");
    assert_eq!(names[0].chars().count(), 6, "composed (NFC)");
    assert_eq!(names[1], "Bad\u{FFFD}Byte");
    assert_eq!(names[3], "hidden");
    assert_eq!(
        names[4].chars().count(),
        1 + tend::limits::MAX_MARKS_PER_BASE
    );
    let lines = skip_lines(&report);
    let said =
        |what: &str, place: &str| lines.iter().any(|l| l.contains(what) && l.contains(place));
    assert!(said("invisible", "person m1"), "{lines:?}");
    assert!(said("combining marks", "person m2"), "{lines:?}");
    assert!(said("not UTF-8", "members.csv line 5"), "{lines:?}");
    assert_eq!(lines.iter().filter(|l| l.contains("UTF-8")).count(), 1);
}

#[tokio::test]
async fn a_very_wide_attendance_report_imports_its_first_columns_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zoom.csv");
    let wide = ",x".repeat(200_000);
    let mut report = format!(
        "Name (Original Name),User Email,Join Time,Leave Time{wide}\n\
         Ana,ana@example.org,11/19/2021 9:54:15 AM,11/19/2021 10:54:15 AM{wide}\n"
    )
    .into_bytes();
    report
        .extend_from_slice(b"B\xffo,bo@example.org,11/19/2021 9:58:00 AM,11/19/2021 10:00:00 AM\n");
    std::fs::write(&path, report).unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let done = import::import_path(&store, &path, &ImportOptions::default(), &Silent)
        .await
        .expect("imported");
    let attended: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(attended, 2);
    let lines = skip_lines(&done);
    let said = |what: &str, line: &str| {
        lines
            .iter()
            .any(|l| l.contains(what) && l.contains(&format!("{line}:")))
    };
    assert!(said("first 1000 columns", "line 1"), "{lines:?}");
    assert!(said("first 1000 columns", "line 2"), "{lines:?}");
    assert!(said("not UTF-8", "line 3"), "{lines:?}");
}

async fn store_again(path: &Path) -> Store {
    Store::open(path).await.unwrap()
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_and_its_secrets_are_private_to_this_account() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new-folder").join("tend.db");
    let store = Store::open(&path).await.unwrap();
    let input = tend::sync::config::SyncConfigInput {
        folder: String::new(),
        hub: "postgres://team:s3cret@hub.example.org/tend".into(),
        passphrase: Some(PASS.into()),
    };
    tend::sync::config::set(&store, &input).await.unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    // Where no keyring runs (here, CI) the secrets go to a file only this account reads.
    let secrets = PathBuf::from(format!("{}.secrets", path.display()));
    if secrets.exists() {
        assert_eq!(mode(&secrets), 0o600);
    }
    let in_db: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM settings WHERE value LIKE '%s3cret%' OR value LIKE '%lantern%'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(in_db, 0);
    assert!(tend::sync::config::get(&store).await.unwrap().sealed);
    store.close().await;
    // An older Tend kept them in the database, readable by all: tightened and moved out.
    tend::sync::config::set(
        &store_again(&path).await,
        &tend::sync::config::SyncConfigInput {
            passphrase: Some(String::new()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let old = Store::open(&path).await.unwrap();
    sqlx::query("INSERT INTO settings (key, value) VALUES ('sync.passphrase', 'old words')")
        .execute(&mut *old.local_writer().await.unwrap())
        .await
        .unwrap();
    old.close().await;
    let reopened = Store::open(&path).await.unwrap();
    assert_eq!(mode(&path), 0o600);
    assert!(tend::sync::config::get(&reopened).await.unwrap().sealed);
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM settings WHERE key = 'sync.passphrase'")
            .fetch_one(reopened.pool())
            .await
            .unwrap();
    assert_eq!(left, 0);
}

/// Rewrites the uncompressed size that a ZIP's central directory claims for `name`.
fn claim_size(zip: &mut [u8], name: &str, size: u32) {
    let mut i = 0;
    while i + 46 < zip.len() {
        if zip[i..].starts_with(b"PK\x01\x02") {
            let len = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
            if zip.get(i + 46..i + 46 + len) == Some(name.as_bytes()) {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                return;
            }
        }
        i += 1;
    }
    panic!("{name} is not in the archive");
}

#[tokio::test]
async fn a_zip_entry_claiming_gigabytes_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let good = br#"[{"type":"message","user":"U1","text":"hi","ts":"1450000000.000100"}]"#;
    let path = dir.path().join("slack.zip");
    slack_zip(
        &path,
        &[
            ("general/2015-12-13.json", good),
            ("general/2015-12-14.json", good),
        ],
    );
    let mut bytes = std::fs::read(&path).unwrap();
    claim_size(&mut bytes, "general/2015-12-14.json", 0xF000_0000);
    std::fs::write(&path, bytes).unwrap();
    let r = import::import_path(&store, &path, &ImportOptions::default(), &Silent)
        .await
        .expect("the rest imports");
    let skip = r.skipped.iter().find(|s| s.location.contains("2015-12-14"));
    assert!(
        skip.is_some_and(|s| s.reason.contains("4026531840 bytes, more than")),
        "{:?}",
        r.skipped
    );
    assert_eq!(r.added, 1);
}
