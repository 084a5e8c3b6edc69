//! The shared-folder transport (Syncthing, OneDrive, a USB stick). Each laptop writes only
//! in its own sub-folder, named by its device id: immutable segment files named
//! `<first>-<last>-<hash>.tseg`, written as a hidden temporary file, flushed to disk and
//! renamed. It reads the other sub-folders with a cursor per device. The database itself
//! never lives in the folder.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::segment::{self, Keys};
use super::{Body, Offered, Skipped, SyncReport, SCHEMA};
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
    let mut report = SyncReport {
        transport: key.clone(),
        ..SyncReport::default()
    };
    let mut device = super::prepare(store).await?;
    if let Some(stranger) = foreign_file(store, dir, &key, &device, &mut keys, &mut report).await? {
        let sent = super::exported(store, &key).await?;
        device = super::rekey(store, sent).await?;
        report.notices.push(format!(
            "another laptop writes as this one ({stranger} is not ours: a copied data folder?) — this laptop is now device {device}"
        ));
    }
    if lost_own_files(store, dir, &key, &device).await? {
        report.notices.push("some of this laptop's change files are gone from the folder: sending all of them again".into());
    }
    send(store, dir, &key, &device, &mut keys, &mut report).await?;
    receive(store, dir, &device, &mut keys, &mut report).await?;
    super::finish(store, &mut report, device).await?;
    Ok(report)
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

/// A segment file in this laptop's own sub-folder that it did not write, and that is
/// authentic: once the team seals, a file that does not open with the passphrase is a
/// stranger's, set aside, and never makes this laptop change its device id.
async fn foreign_file(
    store: &Store,
    dir: &Path,
    key: &str,
    device: &str,
    keys: &mut Keys,
    report: &mut SyncReport,
) -> Result<Option<String>> {
    let own = dir.join(device);
    let Ok(entries) = fs::read_dir(&own) else {
        return Ok(None);
    };
    let ours: Vec<String> = sqlx::query_scalar("SELECT name FROM sync_files WHERE transport = ?")
        .bind(key)
        .fetch_all(store.pool())
        .await?;
    let strangers = entries
        .flatten()
        .take(limits::MAX_SEGMENTS_PER_PEER)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_segment_name(n) && !ours.contains(n));
    let own_key = super::signing::own_key(store)?;
    for name in strangers {
        if !keys.sealing() {
            return Ok(Some(name));
        }
        let opened = limits::read_regular(&own.join(&name), limits::MAX_SEGMENT_BYTES)
            .map_err(|e| segment::Problem::Refused(e.to_string()))
            .and_then(|bytes| segment::decode(&bytes, keys));
        match opened {
            Ok((h, _)) if h.device == device && super::written_by_a_copy(&h, &own_key) => {
                return Ok(Some(name))
            }
            Ok(_) => {
                let forged = segment::Problem::Forged(
                    "under this laptop's id but signed by another key — written by someone else"
                        .into(),
                );
                report
                    .skipped
                    .push(Skipped::new(format!("{device}/{name}"), &forged))
            }
            Err(problem) => report
                .skipped
                .push(Skipped::new(format!("{device}/{name}"), &problem)),
        }
    }
    Ok(None)
}

async fn send(
    store: &Store,
    dir: &Path,
    key: &str,
    device: &str,
    keys: &mut Keys,
    report: &mut SyncReport,
) -> Result<()> {
    let after = super::exported(store, key).await?;
    let salt = super::salt(store).await?;
    let signer = super::signing::own_key(store)?;
    let own = dir.join(device);
    fs::create_dir_all(&own).map_err(|e| io(&own, e))?;
    for run in super::outgoing(store, device, after).await? {
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            continue;
        };
        let bytes = segment::encode(&run, SCHEMA, keys, &salt, Some(&signer))?;
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
        report.sent += run.len() as u64;
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

async fn receive(
    store: &Store,
    dir: &Path,
    device: &str,
    keys: &mut Keys,
    report: &mut SyncReport,
) -> Result<()> {
    // Real sub-folders only: a link to a folder elsewhere is not followed.
    let mut peers: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n != device && !n.starts_with('.'))
        })
        .take(limits::MAX_PEERS)
        .collect();
    peers.sort();
    for peer in peers {
        let Some(peer_id) = peer
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let at = super::cursor(store, &peer_id).await?;
        // A sub-folder that cannot be listed is named and left; the others go on.
        let offered = match offered(&peer, at, report) {
            Ok(o) => o,
            Err(e) => {
                let problem = segment::Problem::Refused(e.to_string());
                report.skipped.push(Skipped::new(peer_id.clone(), &problem));
                continue;
            }
        };
        super::ingest(store, &peer_id, offered, keys, report).await?;
    }
    Ok(())
}

/// The segment files in a peer's sub-folder that hold changes after `at`, by name only
/// (each is read when its turn comes; those already applied are never read again); other
/// files are noted and left alone.
fn offered(peer: &Path, at: i64, report: &mut SyncReport) -> Result<Vec<Offered>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(peer).map_err(|e| io(peer, e))?.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let shown = format!(
            "{}/{name}",
            peer.file_name().and_then(|n| n.to_str()).unwrap_or("")
        );
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
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            let problem = segment::Problem::Refused(
                "not a regular file (a link, folder, pipe or device)".into(),
            );
            report.skipped.push(Skipped::new(shown, &problem));
            continue;
        }
        out.push(Offered {
            name: shown,
            first,
            last,
            body: Body::File(entry.path()),
        });
    }
    out.sort_by_key(|o| (o.first, o.last));
    out.truncate(limits::MAX_SEGMENTS_PER_PEER);
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
