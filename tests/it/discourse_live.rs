//! Live Discourse sync against a local HTTP server that replays the real recorded API
//! responses in `../shared/corpus/discourse/perceval-discourse-api/`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tend::import::discourse_live::{sync, Site};
use tend::import::Silent;
use tend::Store;

fn recorded(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/discourse/perceval-discourse-api");
    std::fs::read(dir.join(name)).unwrap()
}

/// Serves the recordings on 127.0.0.1 and logs each request line and its Api-Key header.
fn replay_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(200) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            let mut key = String::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap() == 0 || h.trim().is_empty() {
                    break;
                }
                if h.to_ascii_lowercase().starts_with("api-key:") {
                    key = h[8..].trim().to_string();
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            seen.lock().unwrap().push(format!("{path} key={key}"));
            let body = match path.split('?').next().unwrap() {
                "/latest.json" if path.ends_with("page=0") => {
                    Some(recorded("discourse_topics.json"))
                }
                "/latest.json" => Some(recorded("discourse_topics_empty.json")),
                "/t/1148.json" => Some(recorded("discourse_topic_1148.json")),
                "/t/1149.json" => Some(recorded("discourse_topic_1149.json")),
                p if p.starts_with("/posts/") => Some(recorded("discourse_post.json")),
                _ => None,
            };
            let (status, body) = match body {
                Some(b) => ("200 OK", b),
                None => ("404 Not Found", b"{}".to_vec()),
            };
            let head = format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    (base, log)
}

#[tokio::test]
async fn a_live_sync_imports_topics_then_only_what_changed() {
    let (base, log) = replay_server();
    let site = Site {
        url: base.clone(),
        api_key: Some("secret".into()),
        api_user: Some("system".into()),
    };
    let store = Store::open_in_memory().await.unwrap();
    let first = sync(&store, &site, &Silent).await.unwrap();
    // Topic 1148: 20 posts inline, 2 more listed in its stream; 1149: 2 posts. The recorded
    // /posts/{id}.json answer belongs to another topic (topic 840), so it is refused.
    assert_eq!(first.added, 22, "{first:?}");
    assert_eq!(first.skipped.len(), 2, "{:?}", first.skipped);
    assert!(first.skipped[0].reason.contains("another topic"));
    let requests = log.lock().unwrap().clone();
    assert!(
        requests.iter().all(|r| r.ends_with("key=secret")),
        "{requests:?}"
    );
    assert!(requests.iter().any(|r| r.starts_with("/t/1148.json")));

    let before = log.lock().unwrap().len();
    let second = sync(&store, &site, &Silent).await.unwrap();
    assert_eq!(second.added, 0);
    let topic_fetches = log.lock().unwrap()[before..]
        .iter()
        .filter(|r| r.starts_with("/t/"))
        .count();
    assert_eq!(
        topic_fetches, 0,
        "the cursor should stop the second sync before any topic"
    );
}

#[tokio::test]
async fn an_unreachable_forum_is_a_clear_error_and_changes_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let store = Store::open_in_memory().await.unwrap();
    let err = sync(
        &store,
        &Site {
            url: url.clone(),
            api_key: None,
            api_user: None,
        },
        &Silent,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains(&url), "{err}");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activities")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn the_cli_imports_a_live_forum_under_import_and_keeps_the_old_spelling() {
    let (base, _log) = replay_server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tend.db");
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("tend")
            .unwrap()
            .arg("--db")
            .arg(&db)
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let first: serde_json::Value =
        serde_json::from_slice(&run(&["import", "discourse", "--url", &base, "--json"])).unwrap();
    assert_eq!(first["added"], 22, "{first}");
    let again: serde_json::Value =
        serde_json::from_slice(&run(&["sync", "discourse", "--url", &base, "--json"])).unwrap();
    assert_eq!(
        again["added"], 0,
        "the old spelling reaches the same import: {again}"
    );
}

/// #28: the command line takes the API key from a file (or the environment), never as an
/// argument other accounts can read in `ps`; the old `--api-key` is gone.
#[test]
fn the_cli_reads_the_api_key_from_a_file_and_refuses_it_as_an_argument() {
    let (base, log) = replay_server();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.txt");
    std::fs::write(&key, "key-from-file\n").unwrap();
    let tend = || {
        let mut cmd = assert_cmd::Command::cargo_bin("tend").unwrap();
        cmd.arg("--db")
            .arg(dir.path().join("t.db"))
            .env_remove("TEND_DISCOURSE_API_KEY")
            .args([
                "import",
                "discourse",
                "--url",
                &base,
                "--api-user",
                "system",
            ]);
        cmd
    };
    tend().arg("--api-key-file").arg(&key).assert().success();
    assert!(log
        .lock()
        .unwrap()
        .iter()
        .all(|l| l.ends_with("key=key-from-file")));
    tend()
        .args(["--api-key", "visible"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("--api-key"));
}
