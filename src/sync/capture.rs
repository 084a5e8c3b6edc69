//! Local changes become change records, in the transaction that makes them.
//!
//! An [`Edit`] is the one way local code changes a synced table. It owns the write
//! transaction: the edit names the rows it is about to change ([`Edit::watch`], a table
//! constant from [`super::tables`] and an SQL condition), makes its change with its own SQL
//! on [`Edit::conn`], then [`Edit::commit`]s. Commit records what changed in the watched
//! rows — each changed column a `set` record, each new row a `put`, each row gone a
//! tombstone, with the next clock value and the next gap-free sequence number — and only
//! then commits. An edit dropped without commit rolls back, so no change lands without its
//! records. Rows that no capture saw (a fresh import, the demo, a database from before
//! sync) are picked up by [`capture_new`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use sqlx::{Row, SqliteConnection};

use super::clock;
use super::tables::{self, Table};
use super::SCHEMA;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::time;

/// The rows an edit is about to change, as they were.
#[derive(Debug)]
struct Snapshot {
    table: &'static Table,
    filter: String,
    binds: Vec<String>,
    rows: BTreeMap<String, Map<String, Value>>,
}

/// One change this laptop made, before it gets its clock and sequence number.
#[derive(Debug, Clone)]
struct Local {
    table: &'static str,
    key: String,
    col: String,
    value: Value,
}

/// A change to synced tables in one transaction, recorded when it commits.
#[derive(Debug)]
#[must_use = "an edit that is not committed rolls back"]
pub struct Edit {
    store: Store,
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    watched: Vec<Snapshot>,
}

impl Edit {
    /// Begins an edit: the write lock is taken at once (`Store::write`).
    pub async fn begin(store: &Store) -> Result<Edit> {
        Ok(Edit {
            store: store.clone(),
            tx: store.write().await?,
            watched: Vec::new(),
        })
    }

    /// Begins an edit whose foreign keys are checked by the caller before it commits
    /// ([`Store::write_unchecked`]: an import).
    pub(crate) async fn begin_unchecked(store: &Store) -> Result<Edit> {
        Ok(Edit {
            store: store.clone(),
            tx: store.write_unchecked().await?,
            watched: Vec::new(),
        })
    }

    /// Watches the rows of `table` matching `filter` (an SQL condition with `?` parameters
    /// bound to `binds`): their changes until commit, and rows that come to match it, are
    /// recorded. Watch before changing them.
    pub async fn watch(
        &mut self,
        table: &'static Table,
        filter: &str,
        binds: &[&str],
    ) -> Result<()> {
        let snap = before(&mut self.tx, table, filter, binds).await?;
        self.watched.push(snap);
        Ok(())
    }

    /// The edit's connection, for its own SQL.
    pub fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }

    /// Records what changed in the watched rows, then commits. Returns the number of change
    /// records written.
    pub async fn commit(mut self) -> Result<usize> {
        let mut written = 0;
        for snap in std::mem::take(&mut self.watched) {
            written += after(&self.store, &mut self.tx, snap).await?;
        }
        self.tx.commit().await?;
        Ok(written)
    }
}

/// The rows of `table` matching `filter`, and those whose keys are in `keys` (two queries,
/// so that each can use an index).
async fn rows(
    conn: &mut SqliteConnection,
    table: &Table,
    filter: &str,
    binds: &[String],
    keys: Option<&[String]>,
) -> Result<BTreeMap<String, Map<String, Value>>> {
    let mut out = BTreeMap::new();
    read_rows(conn, table, filter, binds, &mut out).await?;
    if let Some(keys) = keys.filter(|k| !k.is_empty()) {
        let keyed = table.key_in_json();
        let list = serde_json::to_string(keys).unwrap_or_default();
        read_rows(conn, table, &keyed, &[list], &mut out).await?;
    }
    Ok(out)
}

async fn read_rows(
    conn: &mut SqliteConnection,
    table: &Table,
    condition: &str,
    binds: &[String],
    out: &mut BTreeMap<String, Map<String, Value>>,
) -> Result<()> {
    // Table and column names come from `tables::TABLES`; `condition` is the caller's constant.
    let sql = format!(
        "SELECT {} AS k, {} AS j FROM {} WHERE ({}) AND ({condition})",
        table.key_expr(),
        table.row_json(),
        table.name,
        table.only
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    for row in q.fetch_all(&mut *conn).await? {
        let key: String = row.try_get("k")?;
        let json: String = row.try_get("j")?;
        let map: Map<String, Value> = serde_json::from_str(&json)
            .map_err(|e| Error::Inconsistent(format!("row {key} of {}: {e}", table.name)))?;
        out.insert(key, map);
    }
    Ok(())
}

/// Reads the rows of `table` matching `filter` (an SQL condition with `?` parameters bound
/// to `binds`) before an edit.
async fn before(
    conn: &mut SqliteConnection,
    table: &'static Table,
    filter: &str,
    binds: &[&str],
) -> Result<Snapshot> {
    let binds: Vec<String> = binds.iter().map(|b| b.to_string()).collect();
    let rows = rows(conn, table, filter, &binds, None).await?;
    Ok(Snapshot {
        table,
        filter: filter.to_string(),
        binds,
        rows,
    })
}

/// Records what changed since `snap` (the rows matching the same filter, and the rows the
/// snapshot held). Returns the number of change records written.
async fn after(store: &Store, conn: &mut SqliteConnection, snap: Snapshot) -> Result<usize> {
    let keys: Vec<String> = snap.rows.keys().cloned().collect();
    let now = rows(conn, snap.table, &snap.filter, &snap.binds, Some(&keys)).await?;
    let mut changes = Vec::new();
    let name = snap.table.name;
    for (key, row) in &now {
        match snap.rows.get(key) {
            None => changes.push(Local {
                table: name,
                key: key.clone(),
                col: "*".into(),
                value: Value::Object(row.clone()),
            }),
            Some(old) => {
                for (col, value) in row {
                    if old.get(col) != Some(value) {
                        changes.push(Local {
                            table: name,
                            key: key.clone(),
                            col: col.clone(),
                            value: value.clone(),
                        });
                    }
                }
            }
        }
    }
    for key in snap.rows.keys().filter(|k| !now.contains_key(*k)) {
        changes.push(Local {
            table: name,
            key: key.clone(),
            col: "-".into(),
            value: Value::Null,
        });
    }
    emit(store, conn, &changes).await?;
    Ok(changes.len())
}

/// Writes change records for `changes` with this laptop's next clocks and sequence numbers.
async fn emit(store: &Store, conn: &mut SqliteConnection, changes: &[Local]) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut device = clock::device(conn).await?;
    let received = time::now();
    for c in changes {
        device.seq += 1;
        device.hlc = clock::next(device.hlc, store.wall_ms());
        let base: i64 = sqlx::query_scalar(
            "SELECT COALESCE((SELECT hlc FROM sync_cells WHERE tbl = ? AND row_key = ? AND col = ?), 0)",
        )
        .bind(c.table)
        .bind(&c.key)
        .bind(&c.col)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO sync_log (device, seq, hlc, base, tbl, row_key, col, value, schema, received_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&device.id)
        .bind(device.seq)
        .bind(device.hlc)
        .bind(base)
        .bind(c.table)
        .bind(&c.key)
        .bind(&c.col)
        .bind(c.value.to_string())
        .bind(SCHEMA)
        .bind(&received)
        .execute(&mut *conn)
        .await?;
        set_cell(
            conn,
            (c.table, &c.key, &c.col),
            device.hlc,
            &device.id,
            device.seq,
        )
        .await?;
    }
    clock::save(conn, &device).await
}

/// Makes (`hlc`, `device`, `seq`) the winning record of a cell: the one statement that
/// moves a cell's clock, for local edits and other laptops' records alike.
pub(super) async fn set_cell(
    conn: &mut SqliteConnection,
    (table, key, col): (&str, &str, &str),
    hlc: i64,
    device: &str,
    seq: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_cells (tbl, row_key, col, hlc, device, seq) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(tbl, row_key, col) DO UPDATE SET hlc = excluded.hlc, device = excluded.device, seq = excluded.seq",
    )
    .bind(table)
    .bind(key)
    .bind(col)
    .bind(hlc)
    .bind(device)
    .bind(seq)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The newest rowid of each synced table at some moment: rows added since lie above it.
pub type Floors = Vec<(&'static str, i64)>;

/// Each synced table's newest rowid now.
pub async fn floors(conn: &mut SqliteConnection) -> Result<Floors> {
    let mut out = Vec::with_capacity(tables::TABLES.len());
    for table in tables::TABLES {
        // Names come from `tables::TABLES`.
        let max: i64 = sqlx::query_scalar(&format!(
            "SELECT IFNULL(MAX(rowid), 0) FROM {}",
            table.rows_table()
        ))
        .fetch_one(&mut *conn)
        .await?;
        out.push((table.name, max));
    }
    Ok(out)
}

/// Writes a `put` record for every synced row no record has put yet, table by table (in one
/// statement each, so a large import stays fast), activities in bulk records
/// (`super::bulk`). Returns how many rows were captured.
pub async fn capture_new(store: &Store, conn: &mut SqliteConnection) -> Result<u64> {
    capture_new_since(store, conn, &[]).await
}

/// [`capture_new`] for the rows above `floors` only (a table not named is read whole): an
/// import passes the floors from its start, so it reads what it added, not the community.
pub async fn capture_new_since(
    store: &Store,
    conn: &mut SqliteConnection,
    floors: &[(&'static str, i64)],
) -> Result<u64> {
    let mut total = 0;
    for table in tables::TABLES {
        let floor = floor_of(floors, table.name);
        total += if table.name == super::bulk::TABLE {
            super::bulk::capture(store, conn, floor).await?
        } else {
            capture_table(store, conn, table, floor).await?
        };
    }
    Ok(total)
}

/// How many rows above `floors` (a table not named: all of it) no record has put yet.
pub async fn count_new_since(
    conn: &mut SqliteConnection,
    floors: &[(&'static str, i64)],
) -> Result<i64> {
    let mut total = 0;
    for table in tables::TABLES {
        if table.name == super::bulk::TABLE {
            total += super::bulk::count_uncaptured(conn, floor_of(floors, table.name)).await?;
            continue;
        }
        let sql = format!(
            "SELECT COUNT(*) {}",
            uncaptured(table, floor_of(floors, table.name))
        );
        total += sqlx::query_scalar::<_, i64>(&sql)
            .fetch_one(&mut *conn)
            .await?;
    }
    Ok(total)
}

/// The floor given for `table`: 0 (the whole table) where none is.
pub(crate) fn floor_of(floors: &[(&'static str, i64)], table: &str) -> i64 {
    floors
        .iter()
        .find(|(name, _)| *name == table)
        .map_or(0, |f| f.1)
}

/// `FROM … WHERE …` for the synced rows of `table` above `floor` that no record has put,
/// as `t`. Names come from `tables::TABLES`; `floor` is an integer.
fn uncaptured(table: &Table, floor: i64) -> String {
    format!(
        "FROM {name} t WHERE t.rowid > {floor} AND ({only}) AND NOT EXISTS
         (SELECT 1 FROM sync_cells c WHERE c.tbl = '{name}' AND c.row_key = {key} AND c.col = '*')",
        name = table.name,
        key = table.key_expr(),
        only = table.only,
    )
}

async fn capture_table(
    store: &Store,
    conn: &mut SqliteConnection,
    table: &Table,
    floor: i64,
) -> Result<u64> {
    let mut device = clock::device(conn).await?;
    let first_hlc = clock::next(device.hlc, store.wall_ms());
    // Names come from `tables::TABLES`.
    let sql = format!(
        "INSERT INTO sync_log (device, seq, hlc, base, tbl, row_key, col, value, schema, received_at)
         SELECT ?1, ?2 + ROW_NUMBER() OVER (ORDER BY k), ?3 - 1 + ROW_NUMBER() OVER (ORDER BY k), 0, '{name}', k, '*', j, ?4, ?5
         FROM (SELECT {key} AS k, {json} AS j {rows})",
        name = table.name,
        key = table.key_expr(),
        json = table.row_json(),
        rows = uncaptured(table, floor),
    );
    let added = sqlx::query(&sql)
        .bind(&device.id)
        .bind(device.seq)
        .bind(first_hlc)
        .bind(SCHEMA)
        .bind(time::now())
        .execute(&mut *conn)
        .await?
        .rows_affected() as i64;
    if added == 0 {
        return Ok(0);
    }
    sqlx::query(
        "INSERT INTO sync_cells (tbl, row_key, col, hlc, device, seq)
         SELECT tbl, row_key, col, hlc, device, seq FROM sync_log WHERE device = ? AND seq > ?
         ON CONFLICT(tbl, row_key, col) DO UPDATE SET hlc = excluded.hlc, device = excluded.device, seq = excluded.seq",
    )
    .bind(&device.id)
    .bind(device.seq)
    .execute(&mut *conn)
    .await?;
    device.seq += added;
    device.hlc = first_hlc + added - 1;
    clock::save(conn, &device).await?;
    Ok(added as u64)
}

/// Runs one statement as an [`Edit`] of its own, watching the rows of `table` matching
/// `filter` (with `binds`). Returns the rows the statement changed.
pub async fn tracked<'q>(
    store: &Store,
    table: &'static Table,
    filter: &str,
    binds: &[&str],
    query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
) -> Result<u64> {
    let mut edit = Edit::begin(store).await?;
    edit.watch(table, filter, binds).await?;
    let n = query.execute(edit.conn()).await?.rows_affected();
    edit.commit().await?;
    Ok(n)
}

/// Runs one statement as an [`Edit`] of its own, watching the one row of `table` whose key
/// (as change records write it: the id, or a JSON array for a composite key) is `key`.
pub async fn tracked_row<'q>(
    store: &Store,
    table: &'static Table,
    key: &str,
    query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
) -> Result<u64> {
    tracked(store, table, &table.key_match(1), &[key], query).await
}

/// Sets a setting the team shares (`settings::is_shared`), or clears it with `None`, with
/// its change record: the one way such a setting is written.
pub async fn set_shared(store: &Store, key: &str, value: Option<&str>) -> Result<()> {
    if !crate::settings::is_shared(key) {
        return crate::settings::set(store, key, value).await;
    }
    let query = crate::settings::write_query(key, value);
    tracked_row(store, tables::SETTINGS, key, query).await?;
    Ok(())
}
