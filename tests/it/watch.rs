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

/// #28: a drop folder holding links to `/` and `/usr` and a folder this account may not
/// read: the watcher follows no link, names the unreadable folder, and goes on importing
/// what lands afterwards. Run as an account without privileges (as root every folder is
/// readable: the test then runs the watcher as `nobody`, through `setpriv`).
#[cfg(unix)]
#[test]
fn a_watched_drop_folder_with_links_and_a_locked_folder_goes_on_importing() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::fs::{chown, symlink, PermissionsExt};
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let drop = dir.path().join("drop");
    std::fs::create_dir_all(drop.join("locked/inner")).unwrap();
    symlink("/", drop.join("everything")).unwrap();
    symlink("/usr", drop.join("usr")).unwrap();
    let tend = dir.path().join("tend");
    std::fs::copy(assert_cmd::cargo::cargo_bin("tend"), &tend).unwrap();
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        for p in [
            dir.path(),
            &drop,
            &drop.join("locked"),
            &drop.join("locked/inner"),
        ] {
            chown(p, Some(65534), Some(65534)).unwrap();
        }
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&tend);
        c
    } else {
        std::process::Command::new(&tend)
    };
    std::fs::set_permissions(drop.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut child = cmd
        .arg("--db")
        .arg(dir.path().join("t.db"))
        .arg("watch")
        .arg(&drop)
        .args(["--settle", "1"])
        .env("TEND_NO_KEYRING", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = |stream: Box<dyn std::io::Read + Send>| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        rx
    };
    let out = lines(Box::new(child.stdout.take().unwrap()));
    let err = lines(Box::new(child.stderr.take().unwrap()));
    let wait_for = |rx: &std::sync::mpsc::Receiver<String>, what: &str| {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while std::time::Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
                if line.contains(what) {
                    return Ok(line);
                }
                seen.push(line);
            }
        }
        Err(seen)
    };
    let started = wait_for(&out, "watching");
    let reported = wait_for(&err, "locked");
    std::fs::write(drop.join("new.mbox"), mbox("after")).unwrap();
    let imported = wait_for(&out, "new.mbox");
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::set_permissions(drop.join("locked"), std::fs::Permissions::from_mode(0o755));
    assert!(started.is_ok(), "{started:?}");
    assert!(reported.is_ok(), "the locked folder is named: {reported:?}");
    assert!(
        imported.is_ok(),
        "a file dropped afterwards is imported: {imported:?}"
    );
}

/// #28: the shared sync folder holding a link to `/usr`: `tend sync --watch` (and the app's
/// watcher) starts, syncs and never looks through the link.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watched_sync_folder_with_a_link_to_usr_syncs_on() {
    use tend::sync::folder;
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    std::os::unix::fs::symlink("/usr", shared.join("usr")).unwrap();
    let store = Store::open(&dir.path().join("a.db")).await.unwrap();
    let mut reports = Vec::new();
    let done = AtomicBool::new(false);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    folder::watch(
        &store,
        &shared,
        None,
        Duration::from_secs(60),
        folder::FirstSync::AtOnce,
        |r| {
            reports.push(r);
            done.store(true, Ordering::Relaxed);
        },
        || done.load(Ordering::Relaxed) || std::time::Instant::now() > deadline,
    )
    .await
    .unwrap();
    let report = reports.remove(0).unwrap();
    assert!(
        report.skipped.iter().all(|s| !s.name.contains("usr")) && report.notices.is_empty(),
        "{report:?}"
    );
}
