//! The shared-folder transport (Syncthing, OneDrive, a USB stick). Each laptop writes only
//! in its own sub-folder, named by its device id: immutable segment files named
//! `<first>-<last>-<hash>.tseg`, written as a hidden temporary file, flushed to disk and
//! renamed. It reads the other sub-folders with a cursor per device. The database itself
//! never lives in the folder.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::segment::{self, Keys};
use super::{signing, Body, Budget, Offered, Skipped, SyncReport, SCHEMA};
use crate::error::SyncError;
use crate::error::{Error, Result};
use crate::limits;
use crate::store::Store;

/// The file extension of segment files.
pub const EXT: &str = "tseg";

fn io(path: &Path, source: std::io::Error) -> Error {
    SyncError::file(path, source).into()
}

/// The transport key of a folder: its absolute path.
pub fn transport(dir: &Path) -> String {
    let abs = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    format!("folder:{}", abs.display())
}

/// Whether `name` is a segment file this Tend wrote (not a temporary file or a sync tool's
/// conflict copy such as `x.sync-conflict-….tseg` or `x (conflicted copy).tseg`).
pub fn is_segment_name(name: &str) -> bool {
    segment_range(name).is_some()
}

/// The first and last sequence numbers a segment file's name gives
/// (`<first>-<last>-<hash>.tseg`); checked against its header once it is read.
pub fn segment_range(name: &str) -> Option<(i64, i64)> {
    let stem = name.strip_suffix(&format!(".{EXT}"))?;
    let parts: Vec<&str> = stem.split('-').collect();
    let well_formed = parts.len() == 3
        && parts[0].len() == 12
        && parts[1].len() == 12
        && parts[2].len() == 8
        && parts[..2]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && parts[2].bytes().all(|b| b.is_ascii_hexdigit());
    if !well_formed {
        return None;
    }
    Some((parts[0].parse().ok()?, parts[1].parse().ok()?))
}

/// Syncs this laptop with the shared folder `dir`: sends its new records, then applies the
/// other laptops' segments. `passphrase` seals what is written and opens what is read.
pub async fn sync(store: &Store, dir: &Path, passphrase: Option<&str>) -> Result<SyncReport> {
    if !dir.is_dir() {
        return Err(SyncError::FolderMissing {
            path: dir.to_path_buf(),
        }
        .into());
    }
    let _turn = store.sync_turn().await;
    let key = transport(dir);
    let mut keys = Keys::new(passphrase);
    let mut budget = Budget::default();
    let mut report = SyncReport {
        transport: key.clone(),
        ..SyncReport::default()
    };
    let mut device = super::own_device(store, &key, &mut report).await?;
    let mut reading = Reading {
        keys: &mut keys,
        report: &mut report,
        budget: &mut budget,
    };
    if let Some(stranger) = foreign_file(store, dir, &key, &device, &mut reading).await? {
        let sent = super::exported(store, &key).await?;
        device = super::rekey(store, sent).await?;
        reading.report.notices.push(format!(
            "another laptop writes as this one ({stranger} is signed with this laptop's key but holds other changes: a copied data folder?) — this laptop is now device {device}"
        ));
    }
    if lost_own_files(store, dir, &key, &device).await? {
        reading.report.notices.push("some of this laptop's change files are gone from the folder: sending all of them again".into());
    }
    send(store, dir, &key, &device, &mut reading).await?;
    receive(store, dir, &device, &mut reading).await?;
    super::finish(store, &mut report, device, &budget).await?;
    Ok(report)
}

/// What one sync reads with: the passphrase's keys, the report it fills, what it may still
/// read.
struct Reading<'a> {
    keys: &'a mut Keys,
    report: &'a mut SyncReport,
    budget: &'a mut Budget,
}

/// Whether files this laptop wrote are gone from the folder (a new stick, a wiped share);
/// if so, everything is sent again (readers skip what they have).
async fn lost_own_files(store: &Store, dir: &Path, key: &str, device: &str) -> Result<bool> {
    let ours: Vec<String> = sqlx::query_scalar("SELECT name FROM sync_files WHERE transport = ?")
        .bind(key)
        .fetch_all(store.pool())
        .await?;
    let own = dir.join(device);
    let lost = ours.iter().any(|n| !own.join(n).exists());
    if lost {
        for sql in [
            "DELETE FROM sync_files WHERE transport = ?",
            "DELETE FROM sync_exports WHERE transport = ?",
        ] {
            sqlx::query(sql)
                .bind(key)
                .execute(&mut *store.local_writer().await?)
                .await?;
        }
    }
    Ok(lost)
}

/// A segment file in this laptop's own sub-folder that it did not write and that a copy of
/// this laptop wrote (see [`super::ingest::find_copy`]).
async fn foreign_file(
    store: &Store,
    dir: &Path,
    key: &str,
    device: &str,
    reading: &mut Reading<'_>,
) -> Result<Option<String>> {
    let ours: std::collections::HashSet<String> =
        sqlx::query_scalar("SELECT name FROM sync_files WHERE transport = ?")
            .bind(key)
            .fetch_all(store.pool())
            .await?
            .into_iter()
            .collect();
    let not_ours = |name: &str| !ours.contains(name);
    let Ok(strangers) = listed(&dir.join(device), 0, not_ours, reading.report) else {
        return Ok(None);
    };
    let copy = super::ingest::find_copy(
        store,
        device,
        strangers,
        reading.keys,
        reading.report,
        reading.budget,
    )
    .await?;
    Ok(copy.map(|(name, _)| name))
}

async fn send(
    store: &Store,
    dir: &Path,
    key: &str,
    device: &str,
    reading: &mut Reading<'_>,
) -> Result<()> {
    let after = super::exported(store, key).await?;
    let salt = super::salt(store).await?;
    let signer = signing::own_key(store)?;
    let own = dir.join(device);
    fs::create_dir_all(&own).map_err(|e| io(&own, e))?;
    for run in super::outgoing(store, device, after).await? {
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            continue;
        };
        let bytes = segment::encode(&run, SCHEMA, reading.keys, &salt, Some(&signer))?;
        let hash = blake3::hash(&bytes).to_hex();
        let name = format!(
            "{:012}-{:012}-{}.{EXT}",
            first.seq,
            last.seq,
            &hash.as_str()[..8]
        );
        // Recorded as ours before it exists: a crash between the two then reads as a lost
        // file (sent again), never as a stranger's file that makes this laptop re-key.
        sqlx::query("INSERT OR IGNORE INTO sync_files (transport, name) VALUES (?, ?)")
            .bind(key)
            .bind(&name)
            .execute(&mut *store.local_writer().await?)
            .await?;
        write_atomically(&own.join(&name), &bytes)?;
        super::mark_sent(store, key, last.seq).await?;
        reading.report.sent += run.len() as u64;
    }
    Ok(())
}

/// Writes `bytes` to a hidden temporary file beside `path`, flushes it, and renames it.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("segment");
    let tmp = path.with_file_name(format!(".tmp-{name}"));
    let mut f = fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| io(&tmp, e))?;
    f.sync_all().map_err(|e| io(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| io(path, e))
}

async fn receive(store: &Store, dir: &Path, device: &str, reading: &mut Reading<'_>) -> Result<()> {
    for (peer_id, peer) in peers(store, dir, device).await? {
        if !holds_segments(&peer) {
            continue; // an empty folder costs one listing, never a query
        }
        let at = super::cursor(store, &peer_id).await?;
        // A sub-folder that cannot be listed is named and left; the others go on.
        let offered = match listed(&peer, at, |_| true, reading.report) {
            Ok(o) => o,
            Err(e) => {
                let problem = segment::Problem::Refused(e.to_string());
                reading
                    .report
                    .skipped
                    .push(Skipped::new(peer_id.clone(), &problem));
                continue;
            }
        };
        super::ingest(
            store,
            &peer_id,
            offered,
            reading.keys,
            reading.report,
            reading.budget,
        )
        .await?;
    }
    Ok(())
}

/// The other devices' sub-folders of `dir` (real folders only: a link to a folder elsewhere
/// is not followed), every one of them whatever their number (up to
/// [`limits::MAX_SYNC_FOLDER_ENTRIES`] entries), devices this laptop knows first.
async fn peers(store: &Store, dir: &Path, device: &str) -> Result<Vec<(String, PathBuf)>> {
    let known = super::known_devices(store).await?;
    let mut peers: Vec<(bool, String, PathBuf)> = fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .take(limits::MAX_SYNC_FOLDER_ENTRIES)
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .filter(|(n, _)| n != device && !n.starts_with('.'))
        .map(|(n, p)| (!known.contains(&n), n, p))
        .collect();
    peers.sort();
    Ok(peers.into_iter().map(|(_, n, p)| (n, p)).collect())
}

/// Whether a peer's sub-folder holds anything named like a change file, a segment or a
/// copy of one (or cannot be listed, which the caller then reports).
fn holds_segments(peer: &Path) -> bool {
    let Ok(entries) = fs::read_dir(peer) else {
        return true;
    };
    let ext = format!(".{EXT}");
    entries
        .take(limits::MAX_SYNC_FOLDER_ENTRIES)
        .flatten()
        .any(|e| e.file_name().to_str().is_some_and(|n| n.contains(&ext)))
}

/// The segment files in a peer's sub-folder that hold changes after `at` and whose name
/// `wanted` takes, by name only (each is read when its turn comes; those already applied
/// are never read again); other files are noted and left alone.
fn listed(
    peer: &Path,
    at: i64,
    wanted: impl Fn(&str) -> bool,
    report: &mut SyncReport,
) -> Result<Vec<Offered>> {
    let folder = peer.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let mut out = Vec::new();
    let entries = fs::read_dir(peer).map_err(|e| io(peer, e))?;
    for entry in entries.take(limits::MAX_SYNC_FOLDER_ENTRIES).flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let shown = format!("{folder}/{name}");
        if !is_segment_name(&name) {
            if name.contains(&format!(".{EXT}")) {
                let problem = if name.starts_with(".tmp-") {
                    segment::Problem::Incomplete
                } else {
                    segment::Problem::ConflictCopy
                };
                report.skipped.push(Skipped::new(shown, &problem));
            }
            continue;
        }
        let Some((first, last)) = segment_range(&name).filter(|(_, last)| *last > at) else {
            continue;
        };
        if !wanted(&name) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.file_type().is_file() {
            let problem = segment::Problem::Refused(
                "not a regular file (a link, folder, pipe or device)".into(),
            );
            report.skipped.push(Skipped::new(shown, &problem));
            continue;
        }
        let time = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        out.push(Offered {
            name: shown,
            first,
            last,
            size: meta.len(),
            stamp: format!("{}:{time}", meta.len()),
            body: Body::File(entry.path()),
        });
    }
    out.sort_by_key(|o| (o.first, o.last));
    Ok(out)
}

/// When a folder watch syncs first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstSync {
    /// At once, then on changes and every `rescan` (the app opening, `tend sync watch`).
    AtOnce,
    /// Only on a change in the folder or after `rescan`: saving the sync settings saves,
    /// and *Sync now* is what syncs.
    OnChange,
}

/// How often a watched folder is read again even when no change was noticed (a network
/// share may not report changes): the app and `tend sync --watch` both use it.
pub const RESCAN: std::time::Duration = std::time::Duration::from_secs(60);

/// Syncs with `dir` now, then again whenever something changes in it (notify) and at least
/// every `rescan`, until `stop` says so; every report goes to `on_report`. A link in the
/// folder is never followed, and a device's sub-folder that cannot be watched is named in
/// the next report's notices (its changes are seen at the rescan) instead of stopping the
/// watch ([`crate::watching`]).
pub async fn watch(
    store: &Store,
    dir: &Path,
    passphrase: Option<&str>,
    rescan: std::time::Duration,
    first: FirstSync,
    mut on_report: impl FnMut(Result<SyncReport>),
    stop: impl Fn() -> bool,
) -> Result<()> {
    // The devices' sub-folders hold the segment files: one level is all there is to watch.
    let (mut watching, mut unwatched) = crate::watching::Watching::start(dir, 1)
        .map_err(|e| io(dir, std::io::Error::other(format!("cannot watch: {e}"))))?;
    let tick = std::time::Duration::from_millis(500);
    let at_once = first == FirstSync::AtOnce;
    let mut last = std::time::Instant::now() - if at_once { rescan } else { Default::default() };
    let mut dirty = at_once;
    while !stop() {
        if watching.changed(tick).await {
            dirty = true;
            // Let a burst of writes (a sync tool delivering files) settle first.
            while watching.changed(tick).await {}
        }
        if dirty || last.elapsed() >= rescan {
            unwatched.extend(watching.refresh());
            let mut report = sync(store, dir, passphrase).await;
            if let Ok(r) = &mut report {
                r.notices.extend(unwatched.drain(..).map(|u| {
                    format!(
                        "{} is not watched ({}): its changes are seen at the next rescan",
                        u.path.display(),
                        u.error
                    )
                }));
            }
            on_report(report);
            // Our own writes wake the watcher too: drain them.
            watching.drain();
            dirty = false;
            last = std::time::Instant::now();
        }
    }
    Ok(())
}
