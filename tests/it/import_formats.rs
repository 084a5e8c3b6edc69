//! WhatsApp, Telegram and Discord exports and Teams meeting reports: real files others wrote (`tests/fixtures/
//! chat-miner`, MIT) and generated ones (`tests/fixtures/chats`), each checked against counts
//! worked out by hand from the file (see each folder's SOURCE.md), re-imported to add
//! nothing, and cut short to store no phantom.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tend::import::whatsapp::DateOrder;
use tend::import::{self, ImportKind, ImportOptions, Silent};
use tend::Store;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

async fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("t.db")).await.expect("open");
    (dir, store)
}

async fn import(store: &Store, path: &Path, opts: &ImportOptions) -> import::FileReport {
    import::import_path(store, path, opts, &Silent)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Activities per kind.
async fn kinds(store: &Store) -> BTreeMap<String, i64> {
    sqlx::query_as::<_, (String, i64)>("SELECT kind, COUNT(*) FROM activities GROUP BY kind")
        .fetch_all(store.pool())
        .await
        .expect("kinds")
        .into_iter()
        .collect()
}

async fn scalar(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .expect(sql)
}

async fn names(store: &Store) -> Vec<String> {
    sqlx::query_scalar("SELECT display_name FROM members ORDER BY display_name")
        .fetch_all(store.pool())
        .await
        .expect("names")
}

fn counts(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[tokio::test]
async fn chat_miner_whatsapp_files_in_every_date_style_give_the_same_chat() {
    let files = [
        "test_ddmmyy_24hrs.txt",
        "test_mmddyy_24hrs.txt",
        "test_mmddyyyy_12hrs.txt",
        "test_yyyymmdd_24hrs.txt",
        "test_brackets_mmddyy_24hrs.txt",
    ];
    let mut times: Option<Vec<String>> = None;
    for f in files {
        let (_d, store) = fresh().await;
        let path = fixture(&format!("chat-miner/whatsapp/{f}"));
        let r = import(&store, &path, &ImportOptions::default()).await;
        assert_eq!(r.kind, ImportKind::WhatsApp, "{f}");
        // 6 messages and the join of the group's creator.
        assert_eq!(r.added, 7, "{f}: {r:?}");
        let k = kinds(&store).await;
        assert_eq!(k.get("join"), Some(&1), "{f}");
        assert_eq!(
            k.get("post").unwrap_or(&0) + k.get("reply").unwrap_or(&0),
            6,
            "{f}"
        );
        assert_eq!(
            names(&store).await,
            [
                "+12 345 578",
                "Jahn Doe",
                "John Doe",
                "John Doe 🤓",
                "John-John Doe",
                "🤓"
            ],
            "{f}"
        );
        let got: Vec<String> = sqlx::query_scalar(
            "SELECT occurred_at FROM activities WHERE kind <> 'join' ORDER BY occurred_at",
        )
        .fetch_all(store.pool())
        .await
        .expect("times");
        // chat-miner's target.json, read by hand: the same six moments in every style.
        assert_eq!(
            got,
            [
                "2019-01-01T11:25:00Z",
                "2019-01-30T20:49:00Z",
                "2020-06-10T15:55:00Z",
                "2021-12-10T10:10:00Z",
                "2021-12-20T12:10:00Z",
                "2021-12-30T22:01:00Z"
            ],
            "{f}"
        );
        match &times {
            None => times = Some(got),
            Some(t) => assert_eq!(t, &got, "{f}"),
        }
        let again = import(&store, &path, &ImportOptions::default()).await;
        assert_eq!((again.added, again.members_added), (0, 0), "{f}");
    }
}

#[tokio::test]
async fn an_ios_chat_with_system_lines_repeats_and_marks_reads_right() {
    let (_d, store) = fresh().await;
    let path = fixture("chats/WhatsApp Chat - Field team.txt");
    let r = import(&store, &path, &ImportOptions::default()).await;
    assert_eq!(r.kind, ImportKind::WhatsApp);
    // 9 messages (a repeated "ok" twice, a media note, an empty one), 4 joins; the
    // encryption notice and "left" are not activity, and make no member.
    assert_eq!(
        kinds(&store).await,
        counts(&[("join", 4), ("post", 3), ("reply", 6)])
    );
    assert_eq!(
        names(&store).await,
        ["+254 712 345678", "Amina", "Bruno", "Carmen"]
    );
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM spaces WHERE name = 'Field team'"
        )
        .await,
        1
    );
    // Day 13 settles day-first: the chat runs from 1 to 13 March.
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM activities WHERE occurred_at LIKE '2024-03-13%'"
        )
        .await,
        3
    );
    // No text is kept without --keep-bodies.
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM activities WHERE body IS NOT NULL"
        )
        .await,
        0
    );
    let again = import(&store, &path, &ImportOptions::default()).await;
    assert_eq!((again.added, again.already_present), (0, 13));
}

/// Messages by people: posts and replies.
async fn messages(store: &Store) -> i64 {
    scalar(
        store,
        "SELECT COUNT(*) FROM activities WHERE kind IN ('post', 'reply')",
    )
    .await
}

#[tokio::test]
async fn invisible_marks_before_attachments_voice_notes_and_text_keep_them_messages() {
    // Android, as phones write it: a byte-order mark, left-to-right marks before media
    // notes, a voice note, a plain text and a line's date, isolates around a name. Read
    // before this rule, 3 messages counted: 2 of its 9, and the deleted one.
    let (_d, store) = fresh().await;
    let path = fixture("chats/WhatsApp Chat with Water circle.txt");
    let r = import(&store, &path, &ImportOptions::default()).await;
    assert_eq!(r.kind, ImportKind::WhatsApp);
    assert_eq!(messages(&store).await, 9, "{r:?}");
    assert_eq!(
        kinds(&store).await.get("join").copied(),
        Some(4),
        "created, two added, one by link"
    );
    // The isolates around Lucía's name make no second Lucía.
    assert_eq!(
        names(&store).await,
        ["+254 711 000111", "Lucía", "Tomás", "Wanjiru"]
    );
    // The iOS chat with marks keeps its 9 messages, and its group lines stay out.
    let (_d, ios) = fresh().await;
    import(
        &ios,
        &fixture("chats/WhatsApp Chat - Field team.txt"),
        &ImportOptions::default(),
    )
    .await;
    assert_eq!(messages(&ios).await, 9);
}

#[tokio::test]
async fn an_ambiguous_chat_follows_the_date_order_it_is_given() {
    let path = fixture("chats/ambiguous.txt");
    for (order, first) in [
        (None, "2023-02-01T10:00:00Z"),
        (Some(DateOrder::Mdy), "2023-01-02T10:00:00Z"),
    ] {
        let (_d, store) = fresh().await;
        let opts = ImportOptions {
            date_order: order,
            ..ImportOptions::default()
        };
        import(&store, &path, &opts).await;
        let got: String = sqlx::query_scalar("SELECT MIN(occurred_at) FROM activities")
            .fetch_one(store.pool())
            .await
            .expect("min");
        assert_eq!(got, first, "{order:?}");
    }
}

#[tokio::test]
async fn a_phone_number_is_erased_with_its_member() {
    let (_d, store) = fresh().await;
    import(
        &store,
        &fixture("chats/WhatsApp Chat - Field team.txt"),
        &ImportOptions::default(),
    )
    .await;
    let id: String = sqlx::query_scalar("SELECT id FROM members WHERE display_name LIKE '+254%'")
        .fetch_one(store.pool())
        .await
        .expect("member");
    tend::erasure::erase(&store, &id).await.expect("erase");
    let left = scalar(
        &store,
        "SELECT (SELECT COUNT(*) FROM identities WHERE external_id LIKE '%254%' OR handle LIKE '%254%')
              + (SELECT COUNT(*) FROM members WHERE display_name LIKE '%254%')",
    )
    .await;
    assert_eq!(left, 0);
}

#[tokio::test]
async fn chat_miner_telegram_exports_single_and_full() {
    for f in ["single_export.json", "batch_export.json"] {
        let (_d, store) = fresh().await;
        let r = import(
            &store,
            &fixture(&format!("chat-miner/telegram/{f}")),
            &ImportOptions::default(),
        )
        .await;
        assert_eq!(r.kind, ImportKind::Telegram, "{f}");
        assert_eq!(r.added, 2, "{f}: {r:?}");
        assert_eq!(names(&store).await, ["Author 1", "Author 2"], "{f}");
    }
}

#[tokio::test]
async fn a_telegram_export_gives_replies_joins_and_reactions() {
    let (_d, store) = fresh().await;
    let path = fixture("chats/telegram/result.json");
    let r = import(&store, &path, &ImportOptions::default()).await;
    assert_eq!(r.kind, ImportKind::Telegram);
    assert_eq!(
        kinds(&store).await,
        counts(&[("join", 4), ("post", 3), ("reply", 3), ("reaction", 2)])
    );
    // Bruno is "user102" in one chat and 102 in the other, and invited by name: one member.
    assert_eq!(
        names(&store).await,
        ["Amina K", "Bruno L", "Chen W", "Dana M"]
    );
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM spaces").await, 2);
    assert_eq!(r.skipped.len(), 1, "{:?}", r.skipped);
    let again = import(&store, &path, &ImportOptions::default()).await;
    assert_eq!(again.added, 0);
}

#[tokio::test]
async fn a_discord_folder_keeps_each_message_once_and_threads_join_their_channel() {
    let (_d, store) = fresh().await;
    let path = fixture("chats/discord");
    let r = import(&store, &path, &ImportOptions::default()).await;
    assert_eq!(r.kind, ImportKind::Discord);
    // 6 distinct messages (1006 twice in a file, 1003 and 1006 again in the later export).
    assert_eq!(
        kinds(&store).await,
        counts(&[("join", 1), ("post", 4), ("reply", 2), ("reaction", 2)])
    );
    // The copies are read once before anything is stored: none counts as already there.
    assert_eq!((r.added, r.already_present), (9, 0), "{r:?}");
    assert_eq!(names(&store).await, ["Amina", "bruno", "chen", "helperbot"]);
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM sources WHERE name = 'Water Practitioners'"
        )
        .await,
        1
    );
    // The thread's messages sit in #general; the second answers the first.
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM spaces").await, 1);
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM activities r JOIN activities p ON p.id = r.parent_id
             WHERE r.kind = 'reply' AND p.kind = 'post'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn cut_chat_files_give_a_clear_error_and_store_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    for rel in [
        "chats/telegram/result.json",
        "chats/discord/Water Practitioners - Community - general [200].json",
    ] {
        let bytes = std::fs::read(fixture(rel)).expect("read");
        let cut = dir.path().join("cut.json");
        std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).expect("write");
        let (_d, store) = fresh().await;
        let err = import::import_path(&store, &cut, &ImportOptions::default(), &Silent)
            .await
            .expect_err("a cut file");
        let text = err.to_string();
        assert!(
            text.contains("line") && text.contains("column"),
            "{rel}: {text}"
        );
        assert_eq!(scalar(&store, "SELECT COUNT(*) FROM activities").await, 0);
    }
}

#[tokio::test]
async fn teams_meeting_reports_in_both_encodings_and_date_orders_are_one_meeting() {
    let (_d, store) = fresh().await;
    let be = fixture("teams/meetingAttendanceReport(Field practice call).csv");
    let r = import(&store, &be, &ImportOptions::default()).await;
    assert_eq!(r.kind, ImportKind::Attendance);
    // Three people, Bo Chen once although he rejoined.
    assert_eq!(r.added, 3, "{r:?}");
    assert_eq!(
        names(&store).await,
        ["Ana Silva", "Bo Chen", "Chidi Okafor (Guest)"]
    );
    let spaces: Vec<String> = sqlx::query_scalar("SELECT name FROM spaces")
        .fetch_all(store.pool())
        .await
        .expect("spaces");
    assert_eq!(spaces, ["Field practice call"]);
    let first: String = sqlx::query_scalar("SELECT MIN(occurred_at) FROM activities")
        .fetch_one(store.pool())
        .await
        .expect("min");
    assert_eq!(first, "2022-11-15T09:30:47Z");
    // The same meeting, comma-separated, UTF-16 LE, month-first with AM/PM: nothing new.
    let le = fixture("teams/attendance-mdy-utf16le.csv");
    let again = import(&store, &le, &ImportOptions::default()).await;
    assert_eq!((again.added, again.already_present), (0, 3), "{again:?}");
}

#[tokio::test]
async fn a_report_whose_rows_all_fail_is_an_error_and_leaves_no_space() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("report.csv");
    std::fs::write(&path, "Name,Join Time,Duration\n,,5 min\n,,7 min\n").expect("write");
    let (_d, store) = fresh().await;
    let err = import::import_path(&store, &path, &ImportOptions::default(), &Silent)
        .await
        .expect_err("nothing readable");
    assert!(err.to_string().contains("no attendee row"), "{err}");
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM spaces").await, 0);
}

fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel)
}

#[tokio::test]
async fn a_list_is_known_by_its_content_not_its_file_name() {
    let (dir, store) = fresh().await;
    // Three pipermail months of one list (no List-Id; every subject tagged).
    for month in ["2015_november", "2016_march", "2016_april"] {
        let path = corpus(&format!(
            "pipermail/perceval-pipermail/pipermail_{month}.mbox"
        ));
        import(&store, &path, &ImportOptions::default()).await;
    }
    let sources: Vec<String> = sqlx::query_scalar("SELECT name FROM sources")
        .fetch_all(store.pool())
        .await
        .expect("sources");
    assert_eq!(sources, ["Metrics-grimoire"]);
    // A renamed copy of a month adds nothing, to the same list.
    let copy = dir.path().join("renamed.txt");
    std::fs::copy(corpus("pipermail/bigbang/2001-November.txt"), &copy).expect("copy");
    let first = import(
        &store,
        &corpus("pipermail/bigbang/2001-November.txt"),
        &ImportOptions::default(),
    )
    .await;
    let again = import(&store, &copy, &ImportOptions::default()).await;
    assert_eq!(
        (first.added > 0, again.added, again.members_added),
        (true, 0, 0)
    );
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM sources").await, 2);
}

#[tokio::test]
async fn a_cut_mbox_leaves_its_last_message_out_and_the_whole_file_adds_it() {
    let source = corpus("mbox/ponymail-foal/users_ponymail_apache_org_2022-01.mbox");
    let whole = std::fs::read(&source).expect("read");
    let last = whole
        .windows(6)
        .rposition(|w| w == b"\nFrom ")
        .expect("a last message")
        + 1;
    let text = String::from_utf8_lossy(&whole[last..]);
    let body_at = last + text.find("\n\n").expect("a body") + 2;
    let dir = tempfile::tempdir().expect("tempdir");
    // Cut in the body (mid-line), then in the headers.
    for (cut, why) in [(body_at + 7, "cut off"), (last + 30, "headers are cut off")] {
        let (_d, store) = fresh().await;
        let path = dir.path().join("cut.mbox");
        std::fs::write(&path, &whole[..cut]).expect("write");
        let r = import(&store, &path, &ImportOptions::default()).await;
        let warned = r
            .skipped
            .iter()
            .any(|s| s.reason.contains(why) && s.reason.contains("truncated"));
        assert!(warned, "{why}: {:?}", r.skipped);
        let full = import(&store, &source, &ImportOptions::default()).await;
        // Only the message that was cut is new: no phantom of it was kept.
        assert_eq!(full.added, 1, "{why}: {full:?}");
    }
}

#[tokio::test]
async fn the_same_bytes_saved_elsewhere_go_to_the_same_source_and_add_nothing() {
    let (dir, store) = fresh().await;
    let topic = std::fs::read(corpus("discourse/discourse_api-fixtures/topic.json")).expect("read");
    let (a, b) = (dir.path().join("forum"), dir.path().join("Downloads"));
    for d in [&a, &b] {
        std::fs::create_dir_all(d).expect("dir");
        std::fs::write(d.join("topic.json"), &topic).expect("write");
    }
    let first = import(&store, &a.join("topic.json"), &ImportOptions::default()).await;
    assert!(first.added > 0 && first.same_as.is_none(), "{first:?}");
    let members = scalar(&store, "SELECT COUNT(*) FROM members").await;
    let again = import(&store, &b.join("topic.json"), &ImportOptions::default()).await;
    let earlier = again.same_as.clone().expect("the earlier import is named");
    assert_eq!((again.added, again.members_added), (0, 0));
    assert_eq!(
        (earlier.source.as_str(), again.source.as_str()),
        ("forum", "forum")
    );
    assert!(earlier.path.ends_with("forum/topic.json"), "{earlier:?}");
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM members").await,
        members
    );
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM sources").await, 1);
}

#[tokio::test]
async fn a_forum_saved_again_elsewhere_is_known_by_its_posts() {
    let (dir, store) = fresh().await;
    let raw = std::fs::read(corpus("discourse/discourse_api-fixtures/topic.json")).expect("read");
    let a = dir.path().join("forum");
    let b = dir.path().join("saved later");
    std::fs::create_dir_all(&a).expect("a");
    std::fs::create_dir_all(&b).expect("b");
    std::fs::write(a.join("topic.json"), &raw).expect("write");
    // Saved again: other bytes (re-serialised), the same posts.
    let v: serde_json::Value = serde_json::from_slice(&raw).expect("json");
    std::fs::write(b.join("t.json"), serde_json::to_vec(&v).expect("bytes")).expect("write");
    let first = import(&store, &a.join("topic.json"), &ImportOptions::default()).await;
    let again = import(&store, &b.join("t.json"), &ImportOptions::default()).await;
    assert!(again.same_as.is_none());
    assert_eq!(
        (again.source.as_str(), again.added),
        ("forum", 0),
        "{first:?} {again:?}"
    );
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM sources").await, 1);
}

#[tokio::test]
async fn whatsapp_chat_parser_samples_read_forward_and_a_non_chat_is_refused() {
    let (_d, store) = fresh().await;
    let r = import(
        &store,
        &fixture("whatsapp-chat-parser/short-chat.txt"),
        &ImportOptions::default(),
    )
    .await;
    assert_eq!((r.kind, r.added), (ImportKind::WhatsApp, 3), "{r:?}");
    assert_eq!(
        names(&store).await,
        ["+410123456789", "Sample User", "TestBot"]
    );
    // No day above 12: the dates run forward only month-first (3 June, 5 Aug, 4 Sep).
    let times: Vec<String> =
        sqlx::query_scalar("SELECT occurred_at FROM activities ORDER BY occurred_at")
            .fetch_all(store.pool())
            .await
            .expect("times");
    assert_eq!(
        times,
        [
            "2017-06-03T00:45:00Z",
            "2017-08-05T01:48:00Z",
            "2017-09-04T01:50:00Z"
        ]
    );
    let err = import::import_path(
        &store,
        &fixture("whatsapp-chat-parser/not-a-whatsapp-chat.txt"),
        &ImportOptions::default(),
        &Silent,
    )
    .await
    .expect_err("not a chat");
    assert!(
        matches!(err, import::ImportError::NotAnExport { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn a_whatsapp_zip_with_media_is_read_like_its_chat() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let zip_path = dir.path().join("WhatsApp Chat - Field team.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("create"));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("_chat.txt", opts).expect("entry");
    zip.write_all(&std::fs::read(fixture("chats/WhatsApp Chat - Field team.txt")).expect("read"))
        .expect("write");
    zip.start_file("00000012-PHOTO-2024-03-01-09-20-00.jpg", opts)
        .expect("entry");
    zip.write_all(b"\xff\xd8\xff\xe0 not really a photo")
        .expect("write");
    zip.finish().expect("finish");
    let (_d, store) = fresh().await;
    let r = import(&store, &zip_path, &ImportOptions::default()).await;
    assert_eq!((r.kind, r.added), (ImportKind::WhatsApp, 13), "{r:?}");
    // The chat is named from the ZIP's name, as from the .txt's: the same chat, nothing new.
    let again = import(
        &store,
        &fixture("chats/WhatsApp Chat - Field team.txt"),
        &ImportOptions::default(),
    )
    .await;
    assert_eq!(again.added, 0);
}

#[tokio::test]
async fn overlapping_discord_exports_keep_the_latest_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = fixture("chats/discord/Water Practitioners - Community - general [200].json");
    std::fs::copy(&src, dir.path().join("a.json")).expect("copy");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&src).expect("read")).expect("json");
    let messages = v["messages"].as_array_mut().expect("messages");
    messages.retain(|m| m["id"] == "1006");
    messages.truncate(1);
    messages[0]["content"] = "Meeting notes are up (with the slides)".into();
    messages[0]["timestampEdited"] = "2024-02-03T11:00:00+00:00".into();
    // Named to sort last: the edited version is read after the original.
    std::fs::write(
        dir.path().join("z-later.json"),
        serde_json::to_vec(&v).expect("bytes"),
    )
    .expect("write");
    let (_d, store) = fresh().await;
    let opts = ImportOptions {
        keep_bodies: true,
        ..ImportOptions::default()
    };
    import(&store, dir.path(), &opts).await;
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM activities WHERE body LIKE 'Meeting notes%'")
            .fetch_all(store.pool())
            .await
            .expect("bodies");
    assert_eq!(bodies, ["Meeting notes are up (with the slides)"]);
}

#[tokio::test]
async fn a_file_tend_cannot_read_says_what_it_looked_like_in_every_language() {
    use std::io::Write;
    use tend::words::Lang;
    let dir = tempfile::tempdir().expect("tempdir");
    let at = |name: &str| dir.path().join(name);
    std::fs::write(at("members.csv"), b"").expect("write");
    std::fs::write(at("list.mbox"), b"\n\n").expect("write");
    // Bytes no exporter writes: a fixed scramble, the same on every run.
    let noise: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(at("export.zip"), &noise).expect("write");
    std::fs::write(at("export.bin"), &noise).expect("write");
    std::fs::write(at("budget.csv"), "Item,Cost,Owner\nPumps,120,Ana\n").expect("write");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(at("notes.zip")).expect("create"));
    zip.start_file("notes/readme.md", zip::write::SimpleFileOptions::default())
        .expect("entry");
    zip.write_all(b"# Notes\n").expect("write");
    zip.finish().expect("finish");
    let cases = [
        ("members.csv", "this file is empty", "ce fichier est vide"),
        ("list.mbox", "this file is empty", "ce fichier est vide"),
        (
            "export.zip",
            "random bytes, not a ZIP",
            "pas une archive ZIP",
        ),
        ("export.bin", "not text, nor a ZIP", "ni du texte"),
        (
            "notes.zip",
            "no Slack export (no users.json or channels.json)",
            "pas de users.json ni de channels.json",
        ),
        (
            "budget.csv",
            "columns (Item, Cost, Owner)",
            "colonnes (Item, Cost, Owner)",
        ),
        (
            "nowhere.csv",
            "There is no file or folder at",
            "Il n’y a pas de fichier",
        ),
    ];
    let (_d, store) = fresh().await;
    for (name, english, french) in cases {
        let err = import::import_path(&store, &at(name), &ImportOptions::default(), &Silent)
            .await
            .expect_err(name);
        let said = err.to_string();
        assert!(
            said.contains(name) && said.contains(english),
            "{name}: {said}"
        );
        assert!(!said.contains("os error"), "{said}");
        let words = err.words().expect("words");
        let fr = words.say(Lang::Fr);
        assert!(fr.contains(french), "{name}: {fr}");
        // The whole message is French, not only its start.
        assert!(!fr.contains(english), "{name}: {fr}");
        assert!(!words.say(Lang::Es).contains(english), "{name}");
    }
    // Each failure of a file that is there is one line of the history, with its words
    // for the app (a path that names nothing has no content to remember).
    let history = import::history::list(&store, 20).await.expect("history");
    assert_eq!(history.len(), cases.len() - 1);
    let empty = history
        .iter()
        .find(|r| r.path.ends_with("members.csv"))
        .expect("members.csv in the history");
    assert_eq!(empty.status, "failed");
    assert!(
        empty.detail.contains("this file is empty"),
        "{}",
        empty.detail
    );
    assert_eq!(
        empty.words.as_ref().map(|w| w.key.as_str()),
        Some("import.error.empty")
    );
}
