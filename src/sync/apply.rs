//! Other laptops' change records, applied by one rule whatever order they arrive in.
//!
//! Per cell, the record with the greatest (clock, device id) wins. A `put` fills only the
//! columns no `set` record has touched (an edit always beats an import's value); a row
//! exists while its newest `put` is newer than its newest tombstone. Every record is kept in
//! `sync_log`, winners and losers alike, so the state is a function of the set of records
//! and the values that lost stay visible. Records whose clock is more than
//! `clock::SKEW_LIMIT_MS` ahead of this laptop's wall clock, or that come from a newer
//! schema, are held back and applied once they can be.

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::{Row, SqliteConnection};

use super::tables::{self, Table};
use super::SCHEMA;
use super::{bulk, clock};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::time;

/// One change record as it travels between laptops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Change {
    /// The device that made it.
    pub device: String,
    /// Its gap-free sequence number on that device.
    pub seq: i64,
    /// Its hybrid logical clock value.
    pub hlc: i64,
    /// The clock of the cell the editor saw (0 for none): a winner whose base is older than
    /// a loser's clock never saw the loser — a real conflict.
    pub base: i64,
    /// The table.
    pub tbl: String,
    /// The row's key.
    pub row_key: String,
    /// The column, `*` for a whole row, `-` for a tombstone.
    pub col: String,
    /// The value, as JSON text.
    pub value: String,
    /// The schema version of the laptop that made it.
    pub schema: i64,
}

/// What applying a batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// Records applied (winning or not).
    pub applied: u64,
    /// Records already here.
    pub duplicates: u64,
    /// Records held back (clock too far ahead, newer schema).
    pub held: u64,
}

/// Rows touched in a batch, for the repairs that follow.
#[derive(Default)]
struct Touched {
    members: BTreeSet<String>,
    identities: BTreeSet<String>,
    activities: BTreeSet<String>,
}

impl Touched {
    fn note(&mut self, c: &Change) {
        if c.col == bulk::BULK {
            let rows = bulk::Bulk::parse(&c.value).and_then(|b| b.puts(c));
            for put in rows.iter().flatten() {
                self.note(put);
            }
            return;
        }
        let set = match c.tbl.as_str() {
            "members" => &mut self.members,
            "identities" => &mut self.identities,
            "activities" => &mut self.activities,
            _ => return,
        };
        set.insert(c.row_key.clone());
    }
}

/// Applies held records whose time has come (this laptop's clock caught up).
pub async fn release(store: &Store) -> Result<u64> {
    Ok(apply(store, &[]).await?.applied)
}

/// Applies a batch of records from other laptops in one transaction (foreign keys are
/// checked by the rule, not by SQLite: a record may arrive before the row it refers to).
pub async fn apply(store: &Store, changes: &[Change]) -> Result<Applied> {
    // Sync itself: other laptops' records go into synced tables here, and only here.
    let mut conn = store.local_writer().await?;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await?;
    let result = apply_in(store, &mut conn, changes).await;
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await?;
    result
}

async fn apply_in(
    store: &Store,
    conn: &mut SqliteConnection,
    changes: &[Change],
) -> Result<Applied> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    match apply_all(store, conn, changes).await {
        Ok(done) => {
            sqlx::query("COMMIT").execute(&mut *conn).await?;
            Ok(done)
        }
        Err(e) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            Err(e)
        }
    }
}

async fn apply_all(
    store: &Store,
    conn: &mut SqliteConnection,
    changes: &[Change],
) -> Result<Applied> {
    let own = clock::device(conn).await?.id;
    let mut done = Applied::default();
    let mut touched = Touched::default();
    let mut newest = 0;
    let incoming: Vec<&Change> = changes.iter().filter(|c| c.device != own).collect();
    let refused: Vec<Option<String>> = incoming.iter().map(|c| final_refusal(c)).collect();
    // A refused record is logged small: its key and reason, never its value.
    let small: Vec<Option<Change>> = incoming
        .iter()
        .zip(&refused)
        .map(|(c, why)| why.as_ref().map(|_| shrunk(c)))
        .collect();
    let logged: Vec<&Change> = incoming
        .iter()
        .zip(&small)
        .map(|(c, s)| s.as_ref().unwrap_or(*c))
        .collect();
    let new = log_batch(conn, &logged).await?;
    let mut fresh = Vec::new();
    for (c, refused) in incoming.into_iter().zip(refused) {
        if !new.contains(&(c.device.clone(), c.seq)) {
            done.duplicates += 1;
        } else if let Some(why) = refused {
            refuse(conn, c, &why).await?;
            done.held += 1;
        } else if let Some(why) = wait_reason(store, c) {
            hold(conn, c, &why).await?;
            done.held += 1;
        } else {
            fresh.push(c);
        }
    }
    savepoint(conn, "fast").await?;
    let outcome = insert_new_rows(conn, &fresh).await;
    // Rows the fast path could not take go record by record below.
    let inserted = settle(conn, "fast", outcome).await?.unwrap_or_default();
    for c in fresh {
        if !inserted.contains(&(c.device.clone(), c.seq)) {
            if let Err(why) = apply_guarded(conn, c).await? {
                hold(conn, c, &why).await?;
                done.held += 1;
                continue;
            }
        }
        touched.note(c);
        done.applied += 1;
        newest = newest.max(c.hlc);
    }
    clock::observe(conn, newest).await?;
    done.applied += release_held(store, conn, &mut touched).await?;
    repair(conn, &touched).await?;
    Ok(done)
}

type Keys = HashSet<(String, i64)>;

/// Holds `c` back with its reason, shown by `sync status` and the Sync view.
async fn hold(conn: &mut SqliteConnection, c: &Change, why: &str) -> Result<()> {
    sqlx::query("UPDATE sync_log SET state = 'held' WHERE device = ? AND seq = ?")
        .bind(&c.device)
        .bind(c.seq)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO sync_refused (device, seq, reason) VALUES (?, ?, ?)
         ON CONFLICT(device, seq) DO UPDATE SET reason = excluded.reason",
    )
    .bind(&c.device)
    .bind(c.seq)
    .bind(why)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Why `c` may never be applied, if validation refuses it: final for a record of this
/// schema or an older one (a newer Tend's record waits for this one to be updated).
fn final_refusal(c: &Change) -> Option<String> {
    if c.schema > SCHEMA {
        return None;
    }
    let mut why = format!("refused: {}", super::validate::refusal(c)?);
    crate::limits::truncate_chars(&mut why, crate::limits::MAX_REFUSAL_CHARS);
    Some(why)
}

/// `c` as a refused record is kept: its device, number and key (cut short), without its
/// value (a refused record is never applied, so its 40 MB of text are never needed).
fn shrunk(c: &Change) -> Change {
    let cut = |s: &str| {
        let mut s = s.to_string();
        crate::limits::truncate_chars(&mut s, crate::limits::MAX_SYNC_KEY_BYTES / 4);
        s
    };
    Change {
        tbl: cut(&c.tbl),
        row_key: cut(&c.row_key),
        col: cut(&c.col),
        value: String::new(),
        ..c.clone()
    }
}

/// Refuses `c` for good with its reason: held, small, and never read again.
async fn refuse(conn: &mut SqliteConnection, c: &Change, why: &str) -> Result<()> {
    hold(conn, c, why).await?;
    sqlx::query("UPDATE sync_refused SET final = 1 WHERE device = ? AND seq = ?")
        .bind(&c.device)
        .bind(c.seq)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE sync_log SET value = '' WHERE device = ? AND seq = ?")
        .bind(&c.device)
        .bind(c.seq)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Opens a savepoint, so what follows can be undone alone ([`settle`] closes it).
async fn savepoint(conn: &mut SqliteConnection, name: &'static str) -> Result<()> {
    sqlx::query(&format!("SAVEPOINT {name}"))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Closes the savepoint `name`: what ran since is kept when `outcome` succeeded and undone
/// when it failed, the failure handed back as a reason, so one record never stops a sync.
async fn settle<T>(
    conn: &mut SqliteConnection,
    name: &'static str,
    outcome: Result<T>,
) -> Result<std::result::Result<T, String>> {
    if outcome.is_err() {
        sqlx::query(&format!("ROLLBACK TO {name}"))
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(&format!("RELEASE {name}"))
        .execute(&mut *conn)
        .await?;
    Ok(outcome.map_err(|e| e.to_string()))
}

/// Applies one record in its own savepoint; a record the database refuses (a constraint)
/// comes back as `Err(reason)`, with nothing of it applied.
async fn apply_guarded(
    conn: &mut SqliteConnection,
    c: &Change,
) -> Result<std::result::Result<(), String>> {
    savepoint(conn, "record").await?;
    let outcome = apply_one(conn, c).await;
    settle(conn, "record", outcome).await
}

/// Writes a batch into the log in one statement; returns the records that were new.
async fn log_batch(conn: &mut SqliteConnection, batch: &[&Change]) -> Result<Keys> {
    if batch.is_empty() {
        return Ok(Keys::new());
    }
    let json = serde_json::to_string(batch).map_err(|e| Error::encoding("records", e))?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "INSERT INTO sync_log (device, seq, hlc, base, tbl, row_key, col, value, schema, state, received_at)
         SELECT j->>'device', j->>'seq', j->>'hlc', j->>'base', j->>'tbl', j->>'row_key', j->>'col', j->>'value',
                j->>'schema', 'applied', ?1
         FROM (SELECT value AS j FROM json_each(?2)) WHERE true
         ON CONFLICT(device, seq) DO NOTHING RETURNING device, seq",
    )
    .bind(time::now())
    .bind(json)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The fast path of a first sync: `put`s of rows no record ever named and this laptop does
/// not have are inserted table by table in one statement each (what [`apply_one`] would do
/// one by one). Returns the records it applied.
async fn insert_new_rows(conn: &mut SqliteConnection, fresh: &[&Change]) -> Result<Keys> {
    let puts: Vec<(&str, i64)> = fresh
        .iter()
        .filter(|c| c.col == "*")
        .map(|c| (c.device.as_str(), c.seq))
        .collect();
    if puts.is_empty() {
        return Ok(Keys::new());
    }
    for sql in [
        "CREATE TEMP TABLE IF NOT EXISTS sync_fast (device TEXT NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL,
         tbl TEXT NOT NULL, row_key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tbl, device, seq))",
        "DELETE FROM sync_fast",
    ] {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    sqlx::query(
        // CROSS JOIN: the batch drives, each record found by its key.
        "INSERT INTO sync_fast SELECT l.device, l.seq, l.hlc, l.tbl, l.row_key, l.value FROM json_each(?) e
         CROSS JOIN sync_log l ON l.device = e.value->>0 AND l.seq = e.value->>1
         WHERE NOT EXISTS (SELECT 1 FROM sync_cells c WHERE c.tbl = l.tbl AND c.row_key = l.row_key)
           AND NOT EXISTS (SELECT 1 FROM sync_log o WHERE o.tbl = l.tbl AND o.row_key = l.row_key
                           AND NOT (o.device = l.device AND o.seq = l.seq))",
    )
    .bind(serde_json::to_string(&puts).map_err(|e| Error::encoding("rows", e))?)
    .execute(&mut *conn)
    .await?;
    let present: Vec<String> = sqlx::query_scalar("SELECT DISTINCT tbl FROM sync_fast")
        .fetch_all(&mut *conn)
        .await?;
    for table in tables::TABLES
        .iter()
        .filter(|t| present.iter().any(|p| p == t.name))
    {
        insert_table_rows(conn, table).await?;
    }
    sqlx::query(
        "INSERT INTO sync_cells (tbl, row_key, col, hlc, device, seq)
         SELECT tbl, row_key, '*', hlc, device, seq FROM sync_fast",
    )
    .execute(&mut *conn)
    .await?;
    let done: Vec<(String, i64)> = sqlx::query_as("SELECT device, seq FROM sync_fast")
        .fetch_all(&mut *conn)
        .await?;
    Ok(done.into_iter().collect())
}

/// Inserts one table's new rows from `sync_fast`; rows it cannot take so (a composite key, a
/// row already here) are left to the record-by-record path.
async fn insert_table_rows(conn: &mut SqliteConnection, table: &Table) -> Result<()> {
    let name = table.name;
    let keep_out = match table.key {
        [_] => format!(
            "EXISTS (SELECT 1 FROM {name} WHERE {})",
            table.key_is("sync_fast.row_key")
        ),
        _ => "1".to_string(),
    };
    // Names and columns come from `tables::TABLES`.
    sqlx::query(&format!(
        "DELETE FROM sync_fast WHERE tbl = '{name}' AND {keep_out}"
    ))
    .execute(&mut *conn)
    .await?;
    let cols = table.cols.join(", ");
    let values: Vec<String> = table.cols.iter().map(|c| format!("j->>'{c}'")).collect();
    sqlx::query(&format!(
        "INSERT INTO {name} ({cols}) SELECT {} FROM (SELECT json(value) AS j FROM sync_fast WHERE tbl = '{name}')",
        values.join(", ")
    ))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Why a record cannot be applied now, if it cannot: refused for good by validation, or
/// waiting (see `wait_reason`).
pub fn hold_reason(store: &Store, c: &Change) -> Option<String> {
    final_refusal(c).or_else(|| wait_reason(store, c))
}

/// Why a record validation took cannot be applied yet, if it cannot: a newer Tend's, or
/// a clock still ahead of this laptop's.
fn wait_reason(store: &Store, c: &Change) -> Option<String> {
    if c.schema > SCHEMA {
        return Some(format!(
            "made by a newer Tend (schema {}, this one reads {SCHEMA}): update Tend on this laptop",
            c.schema
        ));
    }
    let ahead = clock::millis(c.hlc) - store.wall_ms();
    (ahead > clock::SKEW_LIMIT_MS).then(|| {
        format!(
            "device {}'s clock is {} minutes ahead of this laptop's: its changes wait until this clock catches up",
            c.device,
            ahead / 60_000
        )
    })
}

/// Applies held records that can now be applied, oldest clock first.
async fn release_held(
    store: &Store,
    conn: &mut SqliteConnection,
    touched: &mut Touched,
) -> Result<u64> {
    // Only what may apply now is read: not a newer Tend's, not a clock still ahead, never
    // a record refused for good.
    let due = clock::at_ms(store.wall_ms() + clock::SKEW_LIMIT_MS) | 0xFFFF;
    let held: Vec<Change> = sqlx::query_as(&format!(
        "SELECT device, seq, hlc, base, tbl, row_key, col, value, schema FROM sync_log l
         WHERE state = 'held' AND schema <= {SCHEMA} AND hlc <= {due}
           AND NOT EXISTS (SELECT 1 FROM sync_refused r
                           WHERE r.device = l.device AND r.seq = l.seq AND r.final = 1)
         ORDER BY hlc, device",
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut n = 0;
    for c in &held {
        if let Some(why) = final_refusal(c) {
            refuse(conn, c, &why).await?; // held by an older Tend with its value
            continue;
        }
        if wait_reason(store, c).is_some() {
            continue;
        }
        if apply_guarded(conn, c).await?.is_err() {
            continue; // still refused by the table: held, its reason already kept
        }
        sqlx::query("UPDATE sync_log SET state = 'applied' WHERE device = ? AND seq = ?")
            .bind(&c.device)
            .bind(c.seq)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM sync_refused WHERE device = ? AND seq = ?")
            .bind(&c.device)
            .bind(c.seq)
            .execute(&mut *conn)
            .await?;
        touched.note(c);
        clock::observe(conn, c.hlc).await?;
        n += 1;
    }
    Ok(n)
}

/// The winning (clock, device) of a cell, if any. An activity's put may also be the bulk
/// record that put it ([`bulk::winner`]): the newer of the two wins.
async fn cell(conn: &mut SqliteConnection, c: &Change, col: &str) -> Result<Option<(i64, String)>> {
    let single: Option<(i64, String)> = sqlx::query_as(
        "SELECT hlc, device FROM sync_cells WHERE tbl = ? AND row_key = ? AND col = ?",
    )
    .bind(&c.tbl)
    .bind(&c.row_key)
    .bind(col)
    .fetch_optional(&mut *conn)
    .await?;
    if col != "*" || c.tbl != bulk::TABLE {
        return Ok(single);
    }
    let by_bulk = bulk::winner(conn, &c.row_key).await?;
    Ok(single
        .into_iter()
        .chain(by_bulk)
        .max_by(|a, b| (a.0, a.1.as_str()).cmp(&(b.0, b.1.as_str()))))
}

fn newer(c: &Change, than: &Option<(i64, String)>) -> bool {
    than.as_ref()
        .is_none_or(|(h, d)| (c.hlc, c.device.as_str()) > (*h, d.as_str()))
}

async fn apply_one(conn: &mut SqliteConnection, c: &Change) -> Result<()> {
    let table =
        tables::table(&c.tbl).ok_or_else(|| unusable(c, format!("unknown table {}", c.tbl)))?;
    if c.col == bulk::BULK {
        return apply_bulk(conn, table, c).await;
    }
    if !newer(c, &cell(conn, c, &c.col).await?) {
        return Ok(()); // Lost: kept in the log, visible in the history.
    }
    super::capture::set_cell(conn, (&c.tbl, &c.row_key, &c.col), c.hlc, &c.device, c.seq).await?;
    match c.col.as_str() {
        "*" => put(conn, table, c).await,
        "-" => tombstone(conn, table, c).await,
        col => set(conn, table, &c.row_key, col, &c.value).await,
    }
}

/// A bulk record: its rows that are new here in one statement, the others each by the rule
/// of a `put` with the bulk's clock, the row then marked as put by it.
async fn apply_bulk(conn: &mut SqliteConnection, table: &Table, c: &Change) -> Result<()> {
    let rows = bulk::Bulk::parse(&c.value).map_err(|e| unusable(c, e))?;
    let record = bulk::record_of(conn, c).await?;
    let fast = bulk::insert_new(conn, &rows, record).await?;
    if fast.len() == rows.rows.len() {
        return Ok(());
    }
    let puts = rows.puts(c).map_err(|e| unusable(c, e))?;
    for p in puts.iter().filter(|p| !fast.contains(&p.row_key)) {
        if newer(p, &cell(conn, p, "*").await?) {
            put(conn, table, p).await?;
            bulk::mark(conn, &p.row_key, record).await?;
        }
    }
    Ok(())
}

async fn exists(conn: &mut SqliteConnection, table: &Table, key: &str) -> Result<bool> {
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM {} WHERE {})",
        table.name,
        table.key_match(1)
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(key)
        .fetch_one(&mut *conn)
        .await?)
}

/// Columns of the row that a `set` record decided.
async fn set_columns(
    conn: &mut SqliteConnection,
    c: &Change,
) -> Result<Vec<(String, i64, String)>> {
    let rows = sqlx::query(
        "SELECT col, seq, device FROM sync_cells WHERE tbl = ? AND row_key = ? AND col NOT IN ('*', '-')",
    )
    .bind(&c.tbl)
    .bind(&c.row_key)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("col")?, r.try_get("seq")?, r.try_get("device")?)))
        .collect()
}

async fn put(conn: &mut SqliteConnection, table: &Table, c: &Change) -> Result<()> {
    let row: Map<String, Value> = serde_json::from_str(&c.value)
        .map_err(|e| unusable(c, format!("a row that is not a JSON object: {e}")))?;
    let decided = set_columns(conn, c).await?;
    if exists(conn, table, &c.row_key).await? {
        for (col, value) in &row {
            let by_set = decided.iter().any(|(d, _, _)| d == col);
            if table.has(col) && !table.key.contains(&col.as_str()) && !by_set {
                set(conn, table, &c.row_key, col, &value.to_string()).await?;
            }
        }
        return Ok(());
    }
    if !newer(c, &cell(conn, c, "-").await?) {
        return Ok(()); // Deleted after this put.
    }
    insert_row(conn, table, c, &row, decided).await
}

/// Inserts the row a put record holds, then the fields that later `set` records decided.
async fn insert_row(
    conn: &mut SqliteConnection,
    table: &Table,
    c: &Change,
    row: &Map<String, Value>,
    decided: Vec<(String, i64, String)>,
) -> Result<()> {
    let cols: Vec<&String> = row.keys().filter(|k| table.has(k)).collect();
    let list = cols
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let values = cols
        .iter()
        .map(|c| format!("j->>'{c}'"))
        .collect::<Vec<_>>()
        .join(", ");
    // Column names were checked against `tables::TABLES` just above.
    let sql = format!(
        "INSERT INTO {} ({list}) SELECT {values} FROM (SELECT json(?) AS j)",
        table.name
    );
    sqlx::query(&sql).bind(&c.value).execute(&mut *conn).await?;
    for (col, seq, device) in decided {
        let value: String =
            sqlx::query_scalar("SELECT value FROM sync_log WHERE device = ? AND seq = ?")
                .bind(&device)
                .bind(seq)
                .fetch_one(&mut *conn)
                .await?;
        set(conn, table, &c.row_key, &col, &value).await?;
    }
    Ok(())
}

async fn tombstone(conn: &mut SqliteConnection, table: &Table, c: &Change) -> Result<()> {
    if newer(c, &cell(conn, c, "*").await?) {
        let sql = format!("DELETE FROM {} WHERE {}", table.name, table.key_match(1));
        sqlx::query(&sql)
            .bind(&c.row_key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn set(
    conn: &mut SqliteConnection,
    table: &Table,
    key: &str,
    col: &str,
    value: &str,
) -> Result<()> {
    if !table.has(col) {
        // `validate` refused such a record before it came here.
        return Err(Error::Inconsistent(format!(
            "unknown column {}.{col}",
            table.name
        )));
    }
    // `col` was checked against `tables::TABLES` just above.
    let sql = format!(
        "UPDATE {} SET {col} = json_extract(?2, '$') WHERE {}",
        table.name,
        table.key_match(1)
    );
    sqlx::query(&sql)
        .bind(key)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A member some identity belongs to is there even when the records removed them: two
/// laptops that merged the same two people in opposite directions each removed the member
/// the other kept. Such a member is rebuilt from their newest put and winning fields, and
/// removed again once no identity belongs to them: a function of the records alone, so
/// every laptop ends alike, and nobody's activity is left without a member.
async fn keep_referenced_members(conn: &mut SqliteConnection) -> Result<()> {
    let table = tables::MEMBERS;
    let missing: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT member_id FROM identities i
         WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.id = i.member_id) ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for id in missing {
        let newest: Option<Change> = sqlx::query_as(
            "SELECT device, seq, hlc, base, tbl, row_key, col, value, schema FROM sync_log
             WHERE tbl = 'members' AND row_key = ? AND col = '*' AND state = 'applied'
             ORDER BY hlc DESC, device DESC LIMIT 1",
        )
        .bind(&id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(c) = newest else { continue };
        let Ok(row) = serde_json::from_str::<Map<String, Value>>(&c.value) else {
            continue;
        };
        // A row the table refuses stays out; its records are held where they arrived.
        savepoint(conn, "rebuild").await?;
        let outcome = match set_columns(conn, &c).await {
            Ok(decided) => insert_row(conn, table, &c, &row, decided).await,
            Err(e) => Err(e),
        };
        let _ = settle(conn, "rebuild", outcome).await?;
    }
    // Removed by the records, kept only for an identity that has since moved on.
    sqlx::query(
        "DELETE FROM members WHERE id IN (
           SELECT t.row_key FROM sync_cells t WHERE t.tbl = 'members' AND t.col = '-'
             AND NOT EXISTS (SELECT 1 FROM sync_cells p WHERE p.tbl = 'members' AND p.row_key = t.row_key
                   AND p.col = '*' AND (p.hlc > t.hlc OR (p.hlc = t.hlc AND p.device > t.device))))
         AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.member_id = members.id)",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Links the activities waiting for a thread or parent that has arrived since
/// (`activity_links`, filled by the `activities` view's triggers), and forgets the links
/// that are settled (resolved, or their activity gone).
async fn resolve_links(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query(
        "UPDATE activity SET
           root = COALESCE(root, (SELECT r.n FROM activity_links l JOIN activity r ON r.gid = l.root WHERE l.n = activity.n)),
           parent = COALESCE(parent, (SELECT r.n FROM activity_links l JOIN activity r ON r.gid = l.parent WHERE l.n = activity.n))
         WHERE n IN (SELECT n FROM activity_links)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM activity_links WHERE NOT EXISTS (SELECT 1 FROM activity a WHERE a.n = activity_links.n
           AND ((activity_links.root IS NOT NULL AND a.root IS NULL)
             OR (activity_links.parent IS NOT NULL AND a.parent IS NULL)))",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Derived values that follow from the rows whatever order records came in: a member some
/// identity belongs to is there, an activity belongs to its identity's member, and an
/// erased member or identity stays erased.
async fn repair(conn: &mut SqliteConnection, t: &Touched) -> Result<()> {
    keep_referenced_members(conn).await?;
    let json = |s: &BTreeSet<String>| serde_json::to_string(s).unwrap_or_default();
    let (members, identities, activities) =
        (json(&t.members), json(&t.identities), json(&t.activities));
    let gid = crate::ids::sql_gid("value");
    // Two statements, each only when it has rows to read: `identity` has no index (an
    // identity's records are rare after the first sync), `gid` has one.
    let follow = "UPDATE activity SET member = (SELECT m.n FROM keys ik JOIN identities i ON i.id = ik.id
             JOIN keys m ON m.id = i.member_id WHERE ik.n = activity.identity)
         WHERE EXISTS (SELECT 1 FROM keys ik JOIN identities i ON i.id = ik.id JOIN keys m ON m.id = i.member_id
                       WHERE ik.n = activity.identity AND m.n IS NOT activity.member)";
    let which = [
        (
            &t.identities,
            &identities,
            "identity IN (SELECT n FROM keys WHERE id IN (SELECT value FROM json_each(?1)))"
                .to_string(),
        ),
        (
            &t.activities,
            &activities,
            format!("gid IN (SELECT {gid} FROM json_each(?1))"),
        ),
    ];
    for (set, list, rows) in which {
        if !set.is_empty() {
            sqlx::query(&format!("{follow} AND {rows}"))
                .bind(list)
                .execute(&mut *conn)
                .await?;
        }
    }
    resolve_links(conn).await?;
    let erased: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT id FROM members WHERE erased_at IS NOT NULL AND (id IN (SELECT value FROM json_each(?1))
           OR id IN (SELECT member_id FROM identities WHERE id IN (SELECT value FROM json_each(?2)))
           OR id IN (SELECT k.id FROM keys k WHERE k.n IN (SELECT member FROM activity
             WHERE gid IN (SELECT {gid} FROM json_each(?3)))))",
    ))
    .bind(&members)
    .bind(&identities)
    .bind(&activities)
    .fetch_all(&mut *conn)
    .await?;
    for id in erased {
        super::scrub::scrub(conn, &id).await?;
    }
    Ok(())
}

/// A record `c` that cannot be applied, and why.
fn unusable(c: &Change, reason: impl Into<String>) -> Error {
    crate::error::SyncError::record(&c.device, c.seq, reason).into()
}
