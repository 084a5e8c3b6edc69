//! What the Sync view and `tend sync status` show: this laptop, the other devices and when
//! their changes last arrived, pending changes per transport, records held back, and the
//! conflicts that were resolved (both values, who won and why).

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::{clock, SyncReport};
use crate::error::Result;
use crate::store::Store;

/// The sync state of this laptop.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncStatus {
    /// This laptop's device id.
    pub device: String,
    /// The name this laptop goes by in its team, if it was given one.
    pub name: Option<String>,
    /// Changes made here.
    #[ts(type = "number")]
    pub changes: i64,
    /// Each transport used: how many of this laptop's changes it has not carried yet.
    pub transports: Vec<TransportState>,
    /// Devices whose changes arrived here.
    pub devices: Vec<DeviceState>,
    /// Conflicts resolved here, newest first.
    pub conflicts: Vec<Conflict>,
    /// Records from other laptops held back, with why (newest first, at most 100).
    pub held: Vec<HeldRecord>,
    /// Two keys seen signing changes under one device id (newest first, at most 100).
    pub key_conflicts: Vec<super::KeyConflict>,
}

/// A record from another laptop that is held back instead of applied.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct HeldRecord {
    /// The device that sent it.
    pub device: String,
    /// Its sequence number on that device.
    #[ts(type = "number")]
    pub seq: i64,
    /// The table and column it would change (`*` a whole row, `-` a removal).
    pub target: String,
    /// Why it is held: refused by validation, a clock too far ahead, a newer Tend.
    pub reason: String,
}

/// One transport's state.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TransportState {
    /// The folder or hub.
    pub transport: String,
    /// Own changes not sent through it yet, rows imported since the last sync included.
    #[ts(type = "number")]
    pub pending: i64,
    /// When it last synced.
    pub last_sync: Option<String>,
    /// What that sync did.
    pub last_report: Option<SyncReport>,
}

/// Another device as seen from here.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DeviceState {
    /// Its device id.
    pub device: String,
    /// The name its user gave it, if any.
    pub name: Option<String>,
    /// Changes received from it.
    #[ts(type = "number")]
    pub changes: i64,
    /// Its newest clock, as a time.
    pub last_change: String,
    /// When its last change arrived here.
    pub last_received: String,
    /// Its changes held back (clock ahead, newer schema).
    #[ts(type = "number")]
    pub held: i64,
}

/// A value that lost to a concurrent edit from another laptop; it stays in the history.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Conflict {
    /// The table.
    pub table: String,
    /// The row's key.
    pub row: String,
    /// What the row is, for people (a member's name), where known.
    pub label: Option<String>,
    /// The column.
    pub column: String,
    /// The value kept (JSON).
    pub kept: String,
    /// The device whose value was kept.
    pub kept_by: String,
    /// When the kept value was written (its clock, as a time).
    pub kept_at: String,
    /// The value that lost (JSON).
    pub lost: String,
    /// The device whose value lost.
    pub lost_by: String,
    /// When the lost value was written.
    pub lost_at: String,
}

fn clock_time(hlc: i64) -> String {
    chrono::DateTime::from_timestamp_millis(clock::millis(hlc))
        .map(crate::time::format)
        .unwrap_or_default()
}

/// The sync state of this laptop.
pub async fn status(store: &Store) -> Result<SyncStatus> {
    // The device row is made on first use.
    let mut conn = store.local_writer().await?;
    let me = clock::device(&mut conn).await?;
    drop(conn);
    let mut names = super::names::all(store).await?;
    let devices = devices(store, &me.id, &mut names).await?;
    // A conflict needs a record from another laptop: with none, there is nothing to look for
    // (and looking reads the whole log).
    let conflicts = if devices.is_empty() {
        Vec::new()
    } else {
        conflicts(store, 100).await?
    };
    Ok(SyncStatus {
        changes: me.seq,
        name: names.remove(&me.id),
        transports: transports(store, me.seq).await?,
        devices,
        conflicts,
        held: held(store, 100).await?,
        key_conflicts: super::signing::conflicts(store).await?,
        device: me.id,
    })
}

async fn transports(store: &Store, seq: i64) -> Result<Vec<TransportState>> {
    let rows = sqlx::query(
        "SELECT r.transport, r.ran_at, r.report, COALESCE(e.seq, 0) AS sent FROM sync_runs r
         LEFT JOIN sync_exports e ON e.transport = r.transport ORDER BY r.ran_at DESC",
    )
    .fetch_all(store.pool())
    .await?;
    // Counted only where some transport will carry them (before the first sync, with no
    // floors kept, counting would read every table whole).
    let uncaptured = if rows.is_empty() {
        0
    } else {
        super::uncaptured(store).await?
    };
    rows.iter()
        .map(|r| {
            let report: String = r.try_get("report")?;
            let sent: i64 = r.try_get("sent")?;
            Ok(TransportState {
                transport: r.try_get("transport")?,
                pending: (seq - sent).max(0) + uncaptured,
                last_sync: r.try_get("ran_at")?,
                last_report: serde_json::from_str(&report).ok(),
            })
        })
        .collect()
}

async fn devices(
    store: &Store,
    me: &str,
    names: &mut std::collections::HashMap<String, String>,
) -> Result<Vec<DeviceState>> {
    // The devices are found by seeking the log's key from one device to the next, and each
    // is counted over its own key range: this laptop's own records (a million after a big
    // import) are never read.
    let rows = sqlx::query(
        "WITH RECURSIVE d(dev) AS (
             SELECT MIN(device) FROM sync_log
             UNION ALL SELECT (SELECT MIN(device) FROM sync_log WHERE device > d.dev) FROM d
             WHERE d.dev IS NOT NULL)
         SELECT l.device, COUNT(*) AS n, MAX(l.hlc) AS hlc, MAX(l.received_at) AS received,
                SUM(l.state = 'held') AS held
         FROM d JOIN sync_log l ON l.device = d.dev
         WHERE d.dev IS NOT NULL AND d.dev <> ? GROUP BY l.device ORDER BY received DESC",
    )
    .bind(me)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let device: String = r.try_get("device")?;
            Ok(DeviceState {
                name: names.remove(&device),
                device,
                changes: r.try_get("n")?,
                last_change: clock_time(r.try_get("hlc")?),
                last_received: r.try_get("received")?,
                held: r.try_get("held")?,
            })
        })
        .collect()
}

/// Records held back, with the reason kept when they were held.
pub async fn held(store: &Store, limit: i64) -> Result<Vec<HeldRecord>> {
    let rows = sqlx::query(
        "SELECT l.device, l.seq, l.tbl || '.' || l.col AS target,
                COALESCE(r.reason, 'held back') AS reason
         FROM sync_log l LEFT JOIN sync_refused r ON r.device = l.device AND r.seq = l.seq
         WHERE l.state = 'held' ORDER BY l.received_at DESC, l.seq DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(HeldRecord {
                device: r.try_get("device")?,
                seq: r.try_get("seq")?,
                target: r.try_get("target")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

/// Values that lost to a concurrent edit (the winner's editor had not seen them), newest
/// first; bookkeeping columns (`updated_at`, `set_at`) are left out.
pub async fn conflicts(store: &Store, limit: i64) -> Result<Vec<Conflict>> {
    let rows = sqlx::query(
        "SELECT l.tbl, l.row_key, l.col, w.value AS kept, w.device AS kept_by, w.hlc AS kept_hlc,
                l.value AS lost, l.device AS lost_by, l.hlc AS lost_hlc,
                CASE l.tbl WHEN 'members' THEN (SELECT display_name FROM members m WHERE m.id = l.row_key) END AS label
         FROM sync_log l
         JOIN sync_cells c ON c.tbl = l.tbl AND c.row_key = l.row_key AND c.col = l.col
         JOIN sync_log w ON w.device = c.device AND w.seq = c.seq
         WHERE l.col NOT IN ('*', '-', 'updated_at', 'set_at') AND l.state = 'applied'
           AND l.device <> w.device AND l.value <> w.value AND w.base < l.hlc
         ORDER BY l.hlc DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Conflict {
                table: r.try_get("tbl")?,
                row: r.try_get("row_key")?,
                label: r.try_get("label")?,
                column: r.try_get("col")?,
                kept: r.try_get("kept")?,
                kept_by: r.try_get("kept_by")?,
                kept_at: clock_time(r.try_get("kept_hlc")?),
                lost: r.try_get("lost")?,
                lost_by: r.try_get("lost_by")?,
                lost_at: clock_time(r.try_get("lost_hlc")?),
            })
        })
        .collect()
}
