//! Team sync: several facilitators' laptops converge offline, through a shared folder or a
//! PostgreSQL hub, deterministically and with nothing lost.
//!
//! - [`capture`]: local edits become change records in the edit's own transaction.
//! - [`apply`]: other laptops' records, applied by last-writer-wins per cell.
//! - `bulk`: an import's activities travel as bulk records of many rows each.
//! - [`segment`], `crypto`: the change files, optionally sealed with a team passphrase.
//! - [`folder`], [`hub`]: the two transports; [`config`]: where the app syncs;
//!   [`status`]: what the Sync view shows.

pub mod apply;
pub(crate) mod bulk;
pub mod capture;
pub(crate) mod clock;
pub mod config;
pub(crate) mod crypto;
pub mod folder;
pub mod hub;
pub mod ingest;
pub(crate) mod junk;
pub mod names;
pub(crate) mod scrub;
pub mod segment;
pub(crate) mod signing;
pub mod status;
pub mod tables;
pub(crate) mod validate;

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use apply::Change;
use segment::Problem;

pub use ingest::{ingest, Body, Budget, Offered};
pub use signing::KeyConflict;

use crate::error::Result;
use crate::store::Store;

/// The version of the synced tables' shape that change records carry: the ordinal of the
/// last migration that changed a synced table or the records (the fourteenth, the lean
/// store, left `external_id` out of activities: their id derives from it; the fifteenth
/// brought bulk records of activities). A record from a newer shape is held until this
/// laptop's Tend is updated; records of older shapes are read (a column this version no
/// longer has is left out of a row).
pub const SCHEMA: i64 = 15;

/// Records per segment file or hub row, a bulk record counting as the most rows it may
/// carry ([`crate::limits::MAX_BULK_ROWS`]).
pub const SEGMENT_RECORDS: usize = 5_000;

/// What one sync through one transport did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncReport {
    /// The folder or hub (its address without password).
    pub transport: String,
    /// This laptop's device id after the sync.
    pub device: String,
    /// Own records sent.
    #[ts(type = "number")]
    pub sent: u64,
    /// Records from other laptops applied.
    #[ts(type = "number")]
    pub applied: u64,
    /// Records that were already here.
    #[ts(type = "number")]
    pub duplicates: u64,
    /// Records held back after the sync (a clock too far ahead, a newer schema).
    #[ts(type = "number")]
    pub held: u64,
    /// Files or rows skipped for now, with why.
    pub skipped: Vec<Skipped>,
    /// Messages worth showing (a cloned device, a gap, a quarantined clock).
    pub notices: Vec<String>,
}

/// A file or hub row that was not applied this time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Skipped {
    /// The file name or row.
    pub name: String,
    /// What kind of problem, for the UI to say in its language.
    #[serde(default)]
    pub kind: segment::ProblemKind,
    /// Why, and what happens next (the core's words).
    pub reason: String,
    /// For a line that counts the rest of a kind (the report names only the first few):
    /// how many more files or rows of that kind were set aside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub more: Option<u64>,
}

impl Skipped {
    /// `name` was not applied because of `problem`.
    pub fn new(name: impl Into<String>, problem: &Problem) -> Skipped {
        Skipped {
            name: name.into(),
            kind: problem.kind(),
            reason: problem.to_string(),
            more: None,
        }
    }
}

/// The last sequence number received from `device` (they arrive without gaps).
pub async fn cursor(store: &Store, device: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM sync_log WHERE device = ?")
            .bind(device)
            .fetch_one(store.pool())
            .await?,
    )
}

/// The devices this laptop has records or a pinned key of: read before any other, so no
/// number of strangers' folders or hub rows can hide them.
pub async fn known_devices(store: &Store) -> Result<std::collections::HashSet<String>> {
    // Seeks the log's key from one device to the next: no device's records are read.
    Ok(sqlx::query_scalar(
        "WITH RECURSIVE d(dev) AS (
             SELECT MIN(device) FROM sync_log
             UNION ALL SELECT (SELECT MIN(device) FROM sync_log WHERE device > d.dev) FROM d
             WHERE d.dev IS NOT NULL)
         SELECT dev FROM d WHERE dev IS NOT NULL UNION SELECT device FROM sync_signers",
    )
    .fetch_all(store.pool())
    .await?
    .into_iter()
    .collect())
}

/// This laptop's records after `seq`, in order, in segment-sized runs.
pub async fn outgoing(store: &Store, device: &str, after: i64) -> Result<Vec<Vec<Change>>> {
    let all: Vec<Change> = sqlx::query_as(
        "SELECT device, seq, hlc, base, tbl, row_key, col, value, schema FROM sync_log WHERE device = ? AND seq > ? ORDER BY seq",
    )
    .bind(device)
    .bind(after)
    .fetch_all(store.pool())
    .await?;
    let mut runs: Vec<Vec<Change>> = Vec::new();
    let mut weight = SEGMENT_RECORDS;
    for c in all {
        let w = if c.col == bulk::BULK {
            crate::limits::MAX_BULK_ROWS
        } else {
            1
        };
        if weight + w > SEGMENT_RECORDS {
            runs.push(Vec::new());
            weight = 0;
        }
        weight += w;
        if let Some(run) = runs.last_mut() {
            run.push(c);
        }
    }
    Ok(runs)
}

/// Where the last catch-up capture stopped (a local setting, never synced).
const CAPTURED: &str = "sync.captured";

/// The catch-up floors kept by the last [`prepare`]; `None` before the first sync, when the
/// catch-up reads every table whole.
async fn seen_floors(conn: &mut SqliteConnection) -> Result<Option<capture::Floors>> {
    let seen: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(CAPTURED)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(seen) = seen.and_then(|s| serde_json::from_str::<Vec<(String, i64)>>(&s).ok()) else {
        return Ok(None);
    };
    Ok(Some(
        tables::TABLES
            .iter()
            .filter_map(|t| Some((t.name, seen.iter().find(|(n, _)| n == t.name)?.1)))
            .collect(),
    ))
}

async fn keep_floors(conn: &mut SqliteConnection, floors: &capture::Floors) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .bind(CAPTURED)
    .bind(serde_json::to_string(floors).unwrap_or_default())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Captures rows no edit captured — those an import added (an import leaves its new rows to
/// the next sync, so a laptop that never syncs never pays for their change records) and a
/// database's from before sync — and returns this laptop's device id. Only rows above the
/// floors kept by the last call are read, so a sync every minute does not read the whole
/// community.
pub async fn prepare(store: &Store) -> Result<String> {
    let mut tx = store.write().await?;
    let floors = seen_floors(&mut tx).await?.unwrap_or_default();
    let now = capture::floors(&mut tx).await?;
    capture::capture_new_since(store, &mut tx, &floors).await?;
    keep_floors(&mut tx, &now).await?;
    let device = clock::device(&mut tx).await?;
    tx.commit().await?;
    Ok(device.id)
}

/// Leaves the rows an import added above `floors` (each table's newest rowid when it began)
/// to the next [`prepare`]: the kept floors are lowered to them where they are higher (a
/// rowid freed by a deleted row is reused), so every new row lies above them.
pub(crate) async fn defer_capture(
    conn: &mut SqliteConnection,
    floors: &capture::Floors,
) -> Result<()> {
    let Some(mut seen) = seen_floors(conn).await? else {
        return Ok(()); // never synced: the first sync reads every table whole
    };
    for (table, floor) in floors {
        match seen.iter_mut().find(|(t, _)| t == table) {
            Some(kept) => kept.1 = kept.1.min(*floor),
            None => seen.push((table, *floor)),
        }
    }
    keep_floors(conn, &seen).await
}

/// Rows the next sync will capture: added by imports since the last sync (or ever, before
/// the first), with no change record yet.
pub async fn uncaptured(store: &Store) -> Result<i64> {
    let mut conn = store.pool().acquire().await?;
    let floors = seen_floors(&mut conn).await?.unwrap_or_default();
    capture::count_new_since(&mut conn, &floors).await
}

/// Whether a segment under this laptop's own device id that this laptop did not record
/// writing is a copy of this laptop (another one with its data folder): it must be signed by
/// this laptop's own key (nobody else has it) and hold records other than this laptop's own
/// under the same numbers. A renamed copy of one of its own files holds the same records:
/// it is this laptop's, never a reason to change its id.
pub async fn written_by_a_copy(
    store: &Store,
    header: &segment::Header,
    changes: &[Change],
) -> Result<bool> {
    let own = signing::own_key(store)?;
    if header.signer.as_deref() != Some(signing::public(&own).as_str()) {
        return Ok(false);
    }
    let mine: Vec<Change> = sqlx::query_as(
        "SELECT device, seq, hlc, base, tbl, row_key, col, value, schema FROM sync_log
         WHERE device = ? AND seq BETWEEN ? AND ? ORDER BY seq",
    )
    .bind(&header.device)
    .bind(header.first)
    .bind(header.last)
    .fetch_all(store.pool())
    .await?;
    Ok(mine != changes)
}

/// This laptop's device id for a sync through `transport`, after [`prepare`]: a new one
/// when its signing key is gone (its database copied without its secrets, or a new system
/// keyring), said in `report`.
pub async fn own_device(store: &Store, transport: &str, report: &mut SyncReport) -> Result<String> {
    let device = prepare(store).await?;
    if signing::certifies(&device, None).is_none() && !published(store).await? {
        // Before it first publishes, a laptop takes the id made from its key: nobody can
        // then write under it, whatever reaches a teammate first.
        return rekey(store, 0).await;
    }
    if !signing::lost_own_key(store).await? {
        return Ok(device);
    }
    let device = rekey(store, exported(store, transport).await?).await?;
    report.notices.push(format!(
        "this laptop's signing key is gone (a copied data folder, or a new system keyring) — it is now device {device}, so the team tells its changes apart"
    ));
    Ok(device)
}

/// Whether this laptop has published any change, through any transport.
pub(crate) async fn published(store: &Store) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sync_exports) OR EXISTS (SELECT 1 FROM sync_files)",
    )
    .fetch_one(store.pool())
    .await?)
}

/// The salt this laptop seals with (made once, kept in the settings).
pub async fn salt(store: &Store) -> Result<Vec<u8>> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    if let Some(s) = crate::settings::get(store, "sync.salt").await? {
        if let Ok(bytes) = b64.decode(s) {
            return Ok(bytes);
        }
    }
    let bytes = crypto::random::<16>().to_vec();
    crate::settings::set(store, "sync.salt", Some(&b64.encode(&bytes))).await?;
    Ok(bytes)
}

/// Gives this laptop a new device id because another laptop uses its id (a copied data
/// directory): its records not yet sent through `transport` (after `sent`) move to the new
/// id, renumbered from 1, so no two laptops ever publish different records under one id.
pub async fn rekey(store: &Store, sent: i64) -> Result<String> {
    signing::forget_own_key(store)?;
    let new_id = signing::device_id_for(&signing::own_key(store)?);
    let mut tx = store.write().await?;
    let old = clock::device(&mut tx).await?;
    for sql in [
        "UPDATE sync_cells SET device = ?1, seq = seq - ?3 WHERE device = ?2 AND seq > ?3",
        "UPDATE sync_log SET device = ?1, seq = seq - ?3 WHERE device = ?2 AND seq > ?3",
    ] {
        sqlx::query(sql)
            .bind(&new_id)
            .bind(&old.id)
            .bind(sent)
            .execute(&mut *tx)
            .await?;
    }
    rename_own_name(&mut tx, &old.id, &new_id).await?;
    let moved = old.seq - sent;
    sqlx::query("UPDATE sync_device SET device_id = ?, seq = ? WHERE one = 1")
        .bind(&new_id)
        .bind(moved.max(0))
        .execute(&mut *tx)
        .await?;
    for sql in ["DELETE FROM sync_exports", "DELETE FROM sync_files"] {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(new_id)
}

/// Moves this laptop's name for its team from its old device id to its new one: the
/// setting, and its records not sent yet (a laptop may name only itself).
async fn rename_own_name(conn: &mut SqliteConnection, old: &str, new: &str) -> Result<()> {
    let (from, to) = (names::key(old), names::key(new));
    for sql in [
        "UPDATE settings SET key = ?2 WHERE key = ?1",
        "UPDATE sync_cells SET row_key = ?2 WHERE tbl = 'settings' AND row_key = ?1 AND device = ?3",
        "UPDATE sync_log SET row_key = ?2,
                value = CASE col WHEN '*' THEN json_set(value, '$.key', ?2) ELSE value END
         WHERE tbl = 'settings' AND row_key = ?1 AND device = ?3",
    ] {
        sqlx::query(sql)
            .bind(&from)
            .bind(&to)
            .bind(new)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// How far this laptop's own records went out through `transport`.
pub async fn exported(store: &Store, transport: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar(
            "SELECT COALESCE((SELECT seq FROM sync_exports WHERE transport = ?), 0)",
        )
        .bind(transport)
        .fetch_one(store.pool())
        .await?,
    )
}

/// Notes that this laptop's records up to `seq` went out through `transport`.
pub async fn mark_sent(store: &Store, transport: &str, seq: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_exports (transport, seq, synced_at) VALUES (?, ?, ?)
         ON CONFLICT(transport) DO UPDATE SET seq = excluded.seq, synced_at = excluded.synced_at",
    )
    .bind(transport)
    .bind(seq)
    .bind(crate::time::now())
    .execute(&mut *store.local_writer().await?)
    .await?;
    Ok(())
}

/// Ends a sync through any transport: applies held records whose time has come, counts
/// those still held, shortens the list of what was set aside, and records what the sync did
/// for the Sync view.
pub async fn finish(
    store: &Store,
    report: &mut SyncReport,
    device: String,
    budget: &Budget,
) -> Result<()> {
    report.skipped = ingest::summarise(std::mem::take(&mut report.skipped));
    report.notices.extend(budget.notice());
    report.applied += apply::release(store).await?;
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_log WHERE state = 'held'")
        .fetch_one(store.pool())
        .await?;
    report.held = held as u64;
    report.device = device;
    if let Err(e) = wipe_after_erasures(store).await {
        report.notices.push(format!(
            "this laptop's database could not be rewritten after an erasure arrived ({e}); it is tried again at the next sync"
        ));
    }
    remember(store, report).await
}

/// Where a laptop keeps how many erased members it had when it last rewrote its file (a
/// local setting, never synced).
const ERASED_WIPED: &str = "sync.erased_wiped";

/// Rewrites the database file when an erasure arrived from another laptop since the last
/// time, as the laptop that erased did: the member's data leaves the free pages and the log
/// here too.
async fn wipe_after_erasures(store: &Store) -> Result<()> {
    let erased: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE erased_at IS NOT NULL")
            .fetch_one(store.pool())
            .await?;
    let wiped = crate::settings::get(store, ERASED_WIPED)
        .await?
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    if erased <= wiped {
        return Ok(());
    }
    store.wipe_free_pages().await?;
    crate::settings::set(store, ERASED_WIPED, Some(&erased.to_string())).await
}

/// Records what a sync did, for the Sync view.
async fn remember(store: &Store, report: &SyncReport) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_runs (transport, ran_at, report) VALUES (?, ?, ?)
         ON CONFLICT(transport) DO UPDATE SET ran_at = excluded.ran_at, report = excluded.report",
    )
    .bind(&report.transport)
    .bind(crate::time::now())
    .bind(serde_json::to_string(report).unwrap_or_default())
    .execute(&mut *store.local_writer().await?)
    .await?;
    Ok(())
}
