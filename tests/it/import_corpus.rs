//! Importers on the real exports in `../shared/corpus/`, checked against counts derived
//! here independently (serde_json on the raw files, a plain line scan of the mbox files,
//! and the reference counts published with the corpus).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tend::import::{self, ImportError, ImportOptions, Silent};
use tend::Store;

fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel)
}

/// Activities per kind in the store.
async fn kinds(store: &Store) -> BTreeMap<String, i64> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, COUNT(*) FROM activities GROUP BY kind")
            .fetch_all(store.pool())
            .await
            .unwrap();
    rows.into_iter().collect()
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn import(store: &Store, path: &Path) -> Result<import::FileReport, ImportError> {
    import::import_path(store, path, &ImportOptions::default(), &Silent).await
}

/// Slack's files by name, from a folder or a ZIP, read without Tend's code.
fn slack_files(path: &Path) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    if path.is_dir() {
        for entry in walk(path) {
            let rel = entry
                .strip_prefix(path)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel.ends_with(".json") {
                out.insert(
                    rel,
                    serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap(),
                );
            }
        }
    } else {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            if f.name().ends_with(".json") {
                let mut s = String::new();
                f.read_to_string(&mut s).unwrap();
                out.insert(f.name().to_string(), serde_json::from_str(&s).unwrap());
            }
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Expected counts for a Slack export: posts, replies, reactions, joins; and people.
fn slack_expected(path: &Path) -> (BTreeMap<String, i64>, usize) {
    let files = slack_files(path);
    let mut folders = BTreeSet::new();
    for list in ["channels.json", "groups.json", "mpims.json", "dms.json"] {
        for c in files
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = c["name"]
                .as_str()
                .filter(|n| !n.is_empty())
                .or(c["id"].as_str())
                .unwrap();
            folders.insert(name.to_string());
        }
    }
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    // Each channel's message times, to place them by the conversation rule when it has no
    // thread at all.
    let mut chats: BTreeMap<&str, (bool, Vec<f64>)> = BTreeMap::new();
    for (name, day) in &files {
        let Some((folder, _)) = name.split_once('/') else {
            continue;
        };
        if !folders.contains(folder) {
            continue;
        }
        for m in day.as_array().unwrap() {
            let subtype = m["subtype"].as_str();
            let kind = match subtype {
                None
                | Some(
                    "file_share" | "me_message" | "bot_message" | "file_comment"
                    | "thread_broadcast",
                ) => "post",
                Some("channel_join" | "group_join") => "join",
                _ => continue,
            };
            if m["user"].is_null() && m["bot_id"].is_null() {
                continue;
            }
            let reply = m["thread_ts"]
                .as_str()
                .is_some_and(|t| Some(t) != m["ts"].as_str());
            let chat = chats.entry(folder).or_default();
            chat.0 |= reply;
            if kind == "post" && !reply {
                chat.1.push(m["ts"].as_str().unwrap().parse().unwrap());
            }
            let kind = if reply && kind == "post" {
                "reply"
            } else {
                kind
            };
            *expected.entry(kind.to_string()).or_default() += 1;
            for r in m["reactions"].as_array().into_iter().flatten() {
                *expected.entry("reaction".into()).or_default() +=
                    r["users"].as_array().map_or(0, Vec::len) as i64;
            }
        }
    }
    // A channel without threads: a message after three quiet hours starts a conversation,
    // the others reply to it.
    for (threaded, mut times) in chats.into_values() {
        if threaded {
            continue;
        }
        times.sort_by(f64::total_cmp);
        let mut last: Option<f64> = None;
        for t in times {
            if last.is_some_and(|l| t - l < 3.0 * 3600.0) {
                *expected.get_mut("post").unwrap() -= 1;
                *expected.entry("reply".into()).or_default() += 1;
            }
            last = Some(t);
        }
    }
    let people = files["users.json"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["is_bot"] != Value::Bool(true) && u["id"] != "USLACKBOT")
        .count();
    (expected, people)
}

#[tokio::test]
async fn slack_exports_import_with_the_counts_read_from_their_json() {
    for rel in [
        "slack/houstondatavis-slack-export",
        "slack/hfaran-slack-export-viewer/testarchive.zip",
        "slack/rusq-slackdump/source_export.zip",
    ] {
        let store = Store::open_in_memory().await.unwrap();
        let path = corpus(rel);
        let report = import(&store, &path)
            .await
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let (expected, people) = slack_expected(&path);
        assert_eq!(kinds(&store).await, expected, "{rel}");
        let humans = count(&store, "SELECT COUNT(*) FROM members WHERE is_bot = 0").await;
        assert_eq!(humans as usize, people, "{rel}: people");
        assert_eq!(report.added as i64, expected.values().sum::<i64>(), "{rel}");

        let again = import(&store, &path).await.unwrap();
        assert_eq!(
            (again.added, again.members_added),
            (0, 0),
            "{rel}: re-import added something"
        );
        assert_eq!(kinds(&store).await, expected, "{rel}: re-import");
    }
}

#[tokio::test]
async fn slack_threads_and_deleted_messages_follow_the_export() {
    let store = Store::open_in_memory().await.unwrap();
    import(&store, &corpus("slack/rusq-slackdump/source_export.zip"))
        .await
        .unwrap();
    // 3 thread parents and 4 replies in the export (one parent is a tombstone).
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM activities WHERE kind = 'reply'"
        )
        .await,
        4
    );
    let rooted = count(
        &store,
        "SELECT COUNT(*) FROM activities WHERE kind = 'reply' AND thread_root_id IS NOT NULL",
    )
    .await;
    assert_eq!(
        rooted, 3,
        "the reply to the deleted parent keeps no dangling root"
    );
    let bots = count(&store, "SELECT COUNT(*) FROM members WHERE is_bot = 1").await;
    assert!(bots >= 1, "bots are flagged");
}

/// Reference counts published with the corpus (SOURCES.md): messages with a Message-ID,
/// unique ids, and unique senders (distinct addresses).
const MBOX_CASES: &[(&str, i64, i64)] = &[
    ("pipermail/bigbang/2001-November.txt", 82, 39),
    ("pipermail/bigbang/2001-November.txt.gz", 82, 39),
    ("pipermail/bigbang/bigbang-dev-test.txt", 6, 1),
    (
        "pipermail/perceval-pipermail/pipermail_2015_november.mbox",
        4,
        2,
    ),
    ("mbox/perceval-hyperkitty/hyperkitty_2016_april.mbox", 3, 2),
    (
        "mbox/ponymail-foal/users_ponymail_apache_org_2022-01.mbox",
        6,
        5,
    ),
    (
        "mbox/bigbang-3gpp-listserv/3GPP_TSG_SA_WG4_EVS.mbox",
        49,
        11,
    ),
    ("mbox/perceval-mbox/mbox_iso8859_encoding.mbox", 1, 1),
    ("mbox/perceval-mbox/mbox_unixfrom_encoding.mbox", 1, 1),
    ("mbox/perceval-mbox/mbox_multipart.mbox", 2, 2),
];

/// Distinct Message-IDs found by scanning header lines, independently of the importer.
fn distinct_message_ids(path: &Path) -> usize {
    let mut bytes = Vec::new();
    let mut f = std::fs::File::open(path).unwrap();
    f.read_to_end(&mut bytes).unwrap();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .unwrap();
        bytes = out;
    }
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    let mut ids = BTreeSet::new();
    for (i, line) in lines.iter().enumerate() {
        if line.to_ascii_lowercase().starts_with("message-id:") {
            let mut v = line[11..].trim().to_string();
            if v.is_empty() {
                v = lines
                    .get(i + 1)
                    .map(|l| l.trim().to_string())
                    .unwrap_or_default();
            }
            ids.insert(v.trim_matches(|c| c == '<' || c == '>').to_string());
        }
    }
    ids.len()
}

#[tokio::test]
async fn mailing_lists_import_one_activity_per_message_and_one_member_per_sender() {
    for &(rel, messages, senders) in MBOX_CASES {
        let store = Store::open_in_memory().await.unwrap();
        let path = corpus(rel);
        assert_eq!(
            distinct_message_ids(&path) as i64,
            messages,
            "{rel}: the scan disagrees with SOURCES.md"
        );
        let report = import(&store, &path)
            .await
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let activities = count(&store, "SELECT COUNT(*) FROM activities").await;
        assert_eq!(activities, messages, "{rel}: {report:?}");
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM members").await,
            senders,
            "{rel}"
        );
        let again = import(&store, &path).await.unwrap();
        assert_eq!(again.added, 0, "{rel}: re-import added something");
    }
}

#[tokio::test]
async fn mail_threads_come_from_reply_headers() {
    // 2001-November: 164 messages (each twice), 33 threads and 114 replies by the
    // corpus's count of messages with In-Reply-To or References; halve for duplicates.
    let store = Store::open_in_memory().await.unwrap();
    import(&store, &corpus("pipermail/bigbang/2001-November.txt"))
        .await
        .unwrap();
    let replies = count(
        &store,
        "SELECT COUNT(*) FROM activities WHERE kind = 'reply'",
    )
    .await;
    assert_eq!(replies, 114 / 2);
    let posts = count(
        &store,
        "SELECT COUNT(*) FROM activities WHERE kind = 'post'",
    )
    .await;
    assert_eq!(posts, 82 - 57);
}

#[tokio::test]
async fn a_broken_message_is_skipped_not_the_whole_file() {
    // mbox_no_fields: six messages, two without any date.
    let store = Store::open_in_memory().await.unwrap();
    let report = import(&store, &corpus("mbox/perceval-mbox/mbox_no_fields.mbox"))
        .await
        .unwrap();
    assert_eq!(report.skipped.len(), 2, "{report:?}");
    assert!(report
        .skipped
        .iter()
        .all(|s| s.location.contains("mbox_no_fields.mbox message")));
    assert!(report.added >= 3);
}

async fn dump(store: &Store) -> (i64, i64, i64) {
    (
        count(store, "SELECT COUNT(*) FROM activities").await,
        count(store, "SELECT COUNT(*) FROM members").await,
        count(store, "SELECT COUNT(*) FROM identities").await,
    )
}

#[tokio::test]
async fn a_truncated_zip_is_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_memory().await.unwrap();
    import(&store, &corpus("slack/houstondatavis-slack-export"))
        .await
        .unwrap();
    let before = dump(&store).await;
    let bytes = std::fs::read(corpus("slack/hfaran-slack-export-viewer/testarchive.zip")).unwrap();
    let cut = dir.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let err = import(&store, &cut).await.unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("cut.zip") && (msg.contains("damaged") || msg.contains("not an export")),
        "{msg}"
    );
    assert_eq!(dump(&store).await, before);
}

#[tokio::test]
async fn malformed_users_json_fails_the_file_with_its_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("export");
    copy_dir(&corpus("slack/houstondatavis-slack-export"), &copy);
    let users = std::fs::read_to_string(copy.join("users.json")).unwrap();
    std::fs::write(
        copy.join("users.json"),
        users.replacen("\"name\":", "\"name\" ", 1),
    )
    .unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let err = import(&store, &copy).await.unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("users.json line"), "{msg}");
    assert_eq!(dump(&store).await, (0, 0, 0));
}

#[tokio::test]
async fn a_damaged_day_file_is_skipped_with_its_name_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("export");
    copy_dir(&corpus("slack/houstondatavis-slack-export"), &copy);
    let day = copy.join("general/2016-01-15.json");
    let text = std::fs::read(&day).unwrap();
    std::fs::write(&day, &text[..text.len() / 2]).unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let report = import(&store, &copy).await.unwrap();
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.location.contains("general/2016-01-15.json line")),
        "{:?}",
        report.skipped
    );
    assert!(report.added > 1000);
}

fn copy_dir(from: &Path, to: &Path) {
    for f in walk(from) {
        let dest = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&f, dest).unwrap();
    }
}

#[tokio::test]
async fn the_same_person_in_slack_and_on_a_list_is_one_member() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_memory().await.unwrap();
    import(&store, &corpus("slack/houstondatavis-slack-export"))
        .await
        .unwrap();
    let email: String = sqlx::query_scalar(
        "SELECT email FROM identities WHERE email IS NOT NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    let shouted = email.to_uppercase();
    let mbox = format!(
        "From x@y Mon Jan  4 10:00:00 2016\nFrom: Someone <{shouted}>\nDate: Mon, 4 Jan 2016 10:00:00 +0000\nSubject: hi\nMessage-ID: <one@x>\n\nhello\n"
    );
    let path = dir.path().join("list.mbox");
    std::fs::write(&path, mbox).unwrap();
    let members_before = count(&store, "SELECT COUNT(*) FROM members").await;
    let report = import(&store, &path).await.unwrap();
    assert_eq!(report.members_added, 0);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM members").await,
        members_before
    );
    let identities: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM identities WHERE lower(email) = lower(?)")
            .bind(&email)
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(identities, 2, "both identities, one member");
}

#[tokio::test]
async fn discourse_topics_import_every_post_once() {
    let dir = corpus("discourse/urho3d-discourse-archive");
    let mut posts = 0i64;
    let mut replies = 0i64;
    let mut users = BTreeSet::new();
    for f in walk(&dir) {
        let topic: Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
        for p in topic["post_stream"]["posts"].as_array().unwrap() {
            if matches!(p["post_type"].as_i64(), Some(3 | 4)) || !p["deleted_at"].is_null() {
                continue;
            }
            users.insert(p["user_id"].as_i64().unwrap());
            if p["post_number"] == 1 {
                posts += 1;
            } else {
                replies += 1;
            }
        }
    }
    let store = Store::open_in_memory().await.unwrap();
    import(&store, &dir).await.unwrap();
    let k = kinds(&store).await;
    assert_eq!(
        (k.get("post").copied(), k.get("reply").copied()),
        (Some(posts), Some(replies))
    );
    assert_eq!(posts, 18, "18 topics, as SOURCES.md says");
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM members").await,
        users.len() as i64
    );
    assert_eq!(import(&store, &dir).await.unwrap().added, 0);
    // Every reply hangs on its topic's first post.
    let orphans = count(
        &store,
        "SELECT COUNT(*) FROM activities WHERE kind = 'reply' AND thread_root_id IS NULL",
    )
    .await;
    assert_eq!(orphans, 0);
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let text =
        String::from_utf8_lossy(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes)).into_owned();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    r.records()
        .map(|r| r.unwrap().iter().map(|c| c.trim().to_string()).collect())
        .collect()
}

#[tokio::test]
async fn attendance_reports_give_one_activity_per_person_per_event() {
    // Zoom participants (no summary block): one row per join, rejoins included.
    let zoom = corpus("attendance/zoom-zoomclass/participants_heroes.csv");
    let rows = csv_rows(&zoom);
    let people: BTreeSet<String> = rows[1..].iter().map(|r| r[1].to_lowercase()).collect();
    assert_eq!(
        (rows.len() - 1, people.len()),
        (31, 27),
        "SOURCES.md: 31 joins, 27 people"
    );
    // Teams live event: keyed by participant id, else name; anonymous rows left out.
    let live = corpus("attendance/teams-WebinarStats/AttendeeReportTest.csv");
    let rows = csv_rows(&live);
    let keyed: BTreeSet<String> = rows[1..]
        .iter()
        .filter_map(|r| match (r[1].is_empty(), r[2].is_empty()) {
            (false, _) => Some(format!("id:{}", r[1].to_lowercase())),
            (true, false) => Some(format!("name:{}", r[2].to_lowercase())),
            _ => None,
        })
        .collect();
    for (path, expected) in [
        (zoom, 27),
        (
            corpus("attendance/teams-WebinarStats/TeamsWebinarTest.csv"),
            5,
        ),
        (live, keyed.len() as i64),
    ] {
        let store = Store::open_in_memory().await.unwrap();
        let report = import(&store, &path)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM activities WHERE kind = 'attendance'"
            )
            .await,
            expected,
            "{}",
            path.display()
        );
        assert_eq!(report.kind.as_str(), "attendance");
        assert_eq!(import(&store, &path).await.unwrap().added, 0);
    }
}

#[tokio::test]
async fn files_that_are_no_export_are_refused_by_name() {
    let store = Store::open_in_memory().await.unwrap();
    for rel in [
        "activity-csv/bigbang/perpass-activity.csv",
        "attendance/zoom-zoomclass/zoom-chat-1.txt",
        "pipermail/perceval-pipermail/pipermail_index.html",
    ] {
        let err = import(&store, &corpus(rel)).await.unwrap_err();
        assert!(
            matches!(err, ImportError::NotAnExport { .. }),
            "{rel}: {err}"
        );
        assert!(
            err.to_string().contains(rel.rsplit('/').next().unwrap()),
            "{err}"
        );
    }
    assert_eq!(dump(&store).await, (0, 0, 0));
}

/// The houstondatavis workspace (2015–16, before Slack had threads) as a facilitator reads
/// it: conversations by the chat rule, questions that ask, a real response time, peer
/// replies above nothing, and names in words. Before issue 27 it read as 1,025 questions,
/// 0 answered and 0 % peer replies, in a community named "T061A2UFL".
#[tokio::test]
async fn a_slack_export_without_threads_reads_as_conversations_and_questions() {
    let store = Store::open_in_memory().await.unwrap();
    let report = import(&store, &corpus("slack/houstondatavis-slack-export"))
        .await
        .unwrap();
    assert_eq!(report.source, "houstondatavis");
    assert_eq!(report.community_started.as_deref(), Some("houstondatavis"));
    let team_ids = count(
        &store,
        "SELECT COUNT(*) FROM sources WHERE COALESCE(label, name) LIKE 'T0%'",
    )
    .await;
    assert_eq!(team_ids, 0, "no source is shown by its team id");
    let (posts, replies) = (
        count(
            &store,
            "SELECT COUNT(*) FROM activities WHERE kind = 'post'",
        )
        .await,
        count(
            &store,
            "SELECT COUNT(*) FROM activities WHERE kind = 'reply'",
        )
        .await,
    );
    assert!(replies > posts, "{posts} posts, {replies} replies");
    let titled = count(
        &store,
        "SELECT COUNT(*) FROM activities WHERE kind = 'post' AND title IS NOT NULL",
    )
    .await;
    assert!(
        titled * 10 > posts * 9,
        "{titled} of {posts} posts have an opening line"
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM activities WHERE body IS NOT NULL"
        )
        .await,
        0,
        "bodies are not kept by default"
    );
    let whole = tend::health::Lens {
        period: tend::health::Period::days_to(
            chrono::NaiveDate::from_ymd_opt(2016, 7, 31).unwrap(),
            427,
        ),
        segment: vec![],
    };
    let h = tend::health::compute(&store, &whole).await.unwrap();
    let r = &h.current.response;
    assert!(
        r.threads > 0 && r.threads * 3 < posts,
        "{} questions of {posts} posts",
        r.threads
    );
    assert!(r.answered_48h > 0, "{r:?}");
    assert!(
        r.median_first_response_hours.is_some_and(|m| m < 48.0),
        "{r:?}"
    );
    assert!(h.current.peer_reply_share.is_some_and(|s| s > 0.0));
    // Years later, Today lists the questions the archive left open, not nothing and not a
    // thousand.
    let today = tend::guide::today::today(
        &store,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
    )
    .await
    .unwrap();
    let answers = today
        .actions
        .iter()
        .filter(|a| a.kind == tend::guide::today::ActionKind::Answer)
        .count();
    assert!((1..=20).contains(&answers), "{answers} questions on Today");
    eprintln!(
        "houstondatavis: {answers} questions on Today, {posts} posts, {replies} replies, {} questions, {} answered within 48 h, \
         {} unanswered, median first response {:?} h, peer replies {:.0} %",
        r.threads,
        r.answered_48h,
        r.unanswered,
        r.median_first_response_hours,
        100.0 * h.current.peer_reply_share.unwrap_or_default()
    );
}

/// The question rule on the titles of real forums and lists: how the corpus splits (a help
/// forum, a discussion list, and a list of announcements that asks nothing).
#[tokio::test]
async fn questions_are_the_posts_that_ask_on_real_titles() {
    for (rel, least, most) in [
        ("discourse/urho3d-discourse-archive", 0.1, 0.5),
        ("pipermail/bigbang/2001-November.txt", 0.1, 0.6),
        (
            "mbox/bigbang-3gpp-listserv/3GPP_TSG_SA_WG4_EVS.mbox",
            0.0,
            0.05,
        ),
    ] {
        let store = Store::open_in_memory().await.unwrap();
        import(&store, &corpus(rel)).await.unwrap();
        let titles: Vec<Option<String>> =
            sqlx::query_scalar("SELECT title FROM activities WHERE kind = 'post'")
                .fetch_all(store.pool())
                .await
                .unwrap();
        let asking = titles
            .iter()
            .filter(|t| tend::health::asks::post_asks(t.as_deref(), None))
            .count();
        let share = asking as f64 / titles.len().max(1) as f64;
        eprintln!("{rel}: {asking} of {} posts ask", titles.len());
        assert!(
            (least..=most).contains(&share),
            "{rel}: {asking} of {}",
            titles.len()
        );
    }
}

/// Discourse categories take their names wherever the export carries them (here
/// `categories.json` and the suggested topics of `topic.json`), never "Category 5"; a name
/// made up for lack of one does not replace a name learned before.
#[tokio::test]
async fn discourse_categories_are_named_as_the_forum_names_them() {
    let store = Store::open_in_memory().await.unwrap();
    import(&store, &corpus("discourse/discourse_api-fixtures"))
        .await
        .unwrap();
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM spaces ORDER BY name")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert!(!names.is_empty());
    assert!(
        names.iter().all(|n| !n.starts_with("Category ")),
        "{names:?}"
    );
    assert!(names.contains(&"test1".to_string()), "{names:?}");
    // One topic file alone names no category: the learned names stay.
    let one = corpus("discourse/discourse_api-fixtures/category_topics.json");
    import::import_path(
        &store,
        &one,
        &ImportOptions {
            source_name: Some("discourse_api-fixtures".into()),
            ..ImportOptions::default()
        },
        &Silent,
    )
    .await
    .unwrap();
    let again: Vec<String> = sqlx::query_scalar("SELECT name FROM spaces ORDER BY name")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(again, names);
}

/// Attendance activities and event spaces in the store.
async fn meetings(store: &Store) -> (i64, i64) {
    (
        count(
            store,
            "SELECT COUNT(*) FROM activities WHERE kind = 'attendance'",
        )
        .await,
        count(store, "SELECT COUNT(*) FROM spaces WHERE kind = 'event'").await,
    )
}

/// What importing each file alone gives, added up.
async fn each_alone(files: &[PathBuf]) -> (i64, i64) {
    let mut sum = (0, 0);
    for f in files {
        let store = Store::open_in_memory().await.unwrap();
        import(&store, f)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let (acts, events) = meetings(&store).await;
        sum = (sum.0 + acts, sum.1 + events);
    }
    sum
}

#[tokio::test]
async fn a_folder_of_attendance_reports_is_one_import_each_file_a_meeting() {
    // As saved by zoomGroupStats' author: three participant reports and a meeting's chat.
    let folder = corpus("attendance/zoom-zoomGroupStats");
    let reports: Vec<PathBuf> = (1..=3)
        .map(|i| folder.join(format!("meeting00{i}_participants.csv")))
        .collect();
    let expected = each_alone(&reports).await;
    assert_eq!(expected.1, 3, "three meetings");
    assert_eq!(
        import::detect(&folder).unwrap(),
        import::ImportKind::Attendance
    );
    assert_eq!(import::parts(&folder), vec![folder.clone()]);
    let store = Store::open_in_memory().await.unwrap();
    let report = import(&store, &folder).await.unwrap();
    assert_eq!(report.kind, import::ImportKind::Attendance);
    assert_eq!(meetings(&store).await, expected);
    // The chat is said left out, by its name inside the folder, never by a full path.
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert_eq!(report.skipped[0].location, "meeting001_chat.txt");
    assert!(report
        .skip_groups
        .iter()
        .all(|g| !g.example.contains(&*folder.to_string_lossy())));
    assert_eq!(import(&store, &folder).await.unwrap().added, 0);

    // Zoom and Teams (webinar, live event, meeting) reports saved together: one import.
    let dir = tempfile::tempdir().unwrap();
    let mixed: Vec<PathBuf> = [
        corpus("attendance/zoom-zoomclass/participants_heroes.csv"),
        corpus("attendance/teams-WebinarStats/TeamsWebinarTest.csv"),
        corpus("attendance/teams-WebinarStats/AttendeeReportTest.csv"),
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/teams/meetingAttendanceReport(Field practice call).csv"),
    ]
    .into_iter()
    .map(|src| {
        let to = dir.path().join(src.file_name().unwrap());
        std::fs::copy(&src, &to).unwrap();
        to
    })
    .collect();
    let expected = each_alone(&mixed).await;
    let store = Store::open_in_memory().await.unwrap();
    let report = import(&store, dir.path()).await.unwrap();
    assert_eq!(report.kind, import::ImportKind::Attendance);
    // Only the live event's anonymous attendees are left out, named inside the folder.
    assert!(
        report
            .skipped
            .iter()
            .all(|s| s.kind == import::SkipKind::NoAuthor
                && s.location.starts_with("AttendeeReportTest.csv line ")),
        "{:?}",
        report.skipped
    );
    assert_eq!(meetings(&store).await, expected);
    assert_eq!(expected.1, 4);
}

#[tokio::test]
async fn a_folder_holding_several_formats_imports_each() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("participants_heroes.csv");
    std::fs::copy(
        corpus("attendance/zoom-zoomclass/participants_heroes.csv"),
        &report,
    )
    .unwrap();
    let chat = dir.path().join("WhatsApp Chat - Field team.txt");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/chats/WhatsApp Chat - Field team.txt"),
        &chat,
    )
    .unwrap();
    let forum = dir.path().join("forum");
    std::fs::create_dir(&forum).unwrap();
    for f in ["discourse_topic_1148.json", "discourse_topic_1149.json"] {
        std::fs::copy(
            corpus("discourse/perceval-discourse-api").join(f),
            forum.join(f),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), "agenda for Thursday\n").unwrap();
    assert!(import::detect(dir.path()).is_err());
    let parts = import::parts(dir.path());
    assert_eq!(parts, vec![chat.clone(), forum.clone(), report.clone()]);
    let store = Store::open_in_memory().await.unwrap();
    let mut kinds_seen = Vec::new();
    for p in &parts {
        kinds_seen.push(import(&store, p).await.unwrap().kind.as_str());
    }
    assert_eq!(kinds_seen, ["whatsapp", "discourse", "attendance"]);
    // A folder with nothing Tend reads stays one path, whose import says so.
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("notes.txt"), "agenda\n").unwrap();
    assert_eq!(
        import::parts(empty.path()),
        vec![empty.path().to_path_buf()]
    );
    let err = import(&store, empty.path()).await.unwrap_err();
    assert!(err.to_string().contains("this folder (1 file)"), "{err}");
}
