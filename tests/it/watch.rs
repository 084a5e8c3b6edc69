//! The drop folder: imports what lands there once it has settled, each content once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use assert_cmd::Command;
use tend::watch::{self, DropFolder, WatchConfig, WatchEvent};
use tend::Store;

fn mbox(id: &str) -> String {
    format!("From x Mon Jan  5 10:00:00 2026\nFrom: Ana <ana@example.org>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\nSubject: hi\nMessage-ID: <{id}@x>\n\nhello\n")
}

#[tokio::test]
async fn a_file_is_imported_once_it_stops_changing_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let mut cfg = WatchConfig::new(dir.path().to_path_buf());
    cfg.settle = Duration::from_millis(300);
    let mut folder = DropFolder::default();
    std::fs::write(dir.path().join("a.mbox"), mbox("one")).unwrap();
    std::fs::write(dir.path().join("b.mbox.part"), mbox("partial")).unwrap();
    assert!(
        folder.scan(&store, &cfg).await.unwrap().is_empty(),
        "not settled yet"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let events = folder.scan(&store, &cfg).await.unwrap();
    assert!(
        matches!(events.as_slice(), [WatchEvent::Imported(r)] if r.added == 1),
        "{events:?}"
    );
    assert!(
        folder.scan(&store, &cfg).await.unwrap().is_empty(),
        "imported twice"
    );
    // The same content under another name is recognised.
    std::fs::write(dir.path().join("copy.mbox"), mbox("one")).unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    folder.scan(&store, &cfg).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let events = folder.scan(&store, &cfg).await.unwrap();
    assert!(
        matches!(events.as_slice(), [WatchEvent::AlreadyImported(_)]),
        "{events:?}"
    );
}

#[tokio::test]
async fn the_watcher_picks_up_a_new_export_until_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let mut cfg = WatchConfig::new(dir.path().to_path_buf());
    cfg.settle = Duration::from_millis(200);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let path = dir.path().join("new.mbox");
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            std::fs::write(path, mbox("two")).unwrap();
        })
    };
    let mut imported = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let flag = stop.clone();
    watch::run(
        &store,
        &cfg,
        |e| {
            if let WatchEvent::Imported(r) = e {
                imported.push(r);
                flag.store(true, Ordering::Relaxed);
            }
        },
        || stop.load(Ordering::Relaxed) || tokio::time::Instant::now() > deadline,
    )
    .await
    .unwrap();
    writer.await.unwrap();
    assert_eq!(
        imported.len(),
        1,
        "the new file was not imported within 20 s"
    );
    assert!(imported[0].path.ends_with("new.mbox"));
}

#[test]
fn tend_watch_once_imports_and_then_leaves_alone() {
    let dir = tempfile::tempdir().unwrap();
    let drop = dir.path().join("drop");
    std::fs::create_dir(&drop).unwrap();
    std::fs::write(drop.join("list.mbox"), mbox("three")).unwrap();
    let db = dir.path().join("tend.db");
    let run = || {
        let out = Command::cargo_bin("tend")
            .unwrap()
            .arg("--db")
            .arg(&db)
            .arg("watch")
            .arg(&drop)
            .arg("--once")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    assert!(run().contains("1 added"));
    assert!(
        run().contains("imported before, left alone"),
        "a second scan in another process must not import again"
    );
}
