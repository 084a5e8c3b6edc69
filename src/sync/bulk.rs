//! Bulk records: the activities an import (or the demo) added travel between laptops as
//! records of up to [`MAX_BULK_ROWS`] rows each, not one `put` record per activity.
//!
//! A bulk record (`col` = [`BULK`]) means exactly what its rows' `put` records would mean,
//! all with the bulk's clock: it is checked row by row against the same rules, and applied
//! by the same last-writer-wins rule. What differs is what it costs to keep: one change
//! record and no cell per row. The row's winning put is the newer of its `sync_cells` entry
//! (a single `put`) and the bulk record named by `activity.put_by`. Ids are written once per
//! record (`ids`), and rows refer to them by position, so an activity costs about 90 bytes
//! of history instead of about 850.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::{Row, SqliteConnection};

use super::apply::Change;
use super::clock;
use super::SCHEMA;
use crate::error::{Error, Result};
use crate::limits::MAX_BULK_ROWS;
use crate::model::ActivityKind;
use crate::store::Store;
use crate::{ids, time};

/// The `col` of a bulk record.
pub const BULK: &str = "+";

/// The only table whose rows travel in bulk.
pub const TABLE: &str = "activities";

/// One activity in a bulk record, every id a position in [`Bulk::ids`].
#[derive(Debug, Clone, PartialEq)]
pub struct BulkRow {
    id: u32,
    source: u32,
    member: u32,
    identity: Option<u32>,
    space: Option<u32>,
    kind: i64,
    at: i64,
    root: Option<u32>,
    parent: Option<u32>,
    title: Option<String>,
    body: Option<String>,
}

/// A bulk record's value: the ids its rows name, once each, and the rows.
///
/// Written as JSON: `ids` as the URL-safe base64 of each id's 16 bytes; each row an array
/// `[id, source, member, identity, space, kind code, seconds, thread, parent, title, body]`
/// without its trailing nulls, the seconds counted from the row before's time (the first
/// row's from the Unix epoch). So an activity costs about 90 bytes of history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bulk {
    /// Every id the rows name, as UUID text.
    pub ids: Vec<String>,
    /// The rows.
    pub rows: Vec<BulkRow>,
}

/// [`Bulk`] as it is written.
#[derive(Serialize, Deserialize)]
struct Wire {
    ids: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// The latest Unix second a time may have (9999-12-31T23:59:59Z).
const LAST_SECOND: i64 = 253_402_300_799;

/// The base64 of an id as a bulk record writes it.
fn packed(id: &str) -> std::result::Result<String, String> {
    use base64::Engine;
    let uuid = uuid::Uuid::parse_str(id).map_err(|_| format!("activities: {id:?} is not an id"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(uuid.as_bytes()))
}

/// The UUID text of an id as a bulk record writes it.
fn unpacked(text: &str) -> std::result::Result<String, String> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|b| <[u8; 16]>::try_from(b).ok())
        .ok_or_else(|| "activities: a bulk record with an id that is not 16 bytes".to_string())?;
    Ok(ids::text_of(bytes))
}

impl BulkRow {
    /// The row as written, its time counted from `before`.
    fn wire(&self, before: i64) -> Vec<Value> {
        let id = |i: Option<u32>| i.map_or(Value::Null, Value::from);
        let text = |t: &Option<String>| t.clone().map_or(Value::Null, Value::String);
        let mut out = vec![
            Value::from(self.id),
            Value::from(self.source),
            Value::from(self.member),
            id(self.identity),
            id(self.space),
            Value::from(self.kind),
            Value::from(self.at - before),
            id(self.root),
            id(self.parent),
            text(&self.title),
            text(&self.body),
        ];
        while out.last() == Some(&Value::Null) {
            out.pop();
        }
        out
    }

    /// Reads a row as written, its time counted from `before`.
    fn read(fields: &[Value], before: i64) -> std::result::Result<BulkRow, String> {
        let bad = || "activities: a malformed bulk row".to_string();
        if fields.len() < 7 || fields.len() > 11 {
            return Err(bad());
        }
        let at = |i: usize| fields.get(i).unwrap_or(&Value::Null);
        let index = |i: usize| -> std::result::Result<Option<u32>, String> {
            match at(i) {
                Value::Null => Ok(None),
                v => v
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .map(Some)
                    .ok_or_else(bad),
            }
        };
        let text = |i: usize| -> std::result::Result<Option<String>, String> {
            match at(i) {
                Value::Null => Ok(None),
                Value::String(s) => Ok(Some(s.clone())),
                _ => Err(bad()),
            }
        };
        let number = |i: usize| at(i).as_i64().ok_or_else(bad);
        Ok(BulkRow {
            id: index(0)?.ok_or_else(bad)?,
            source: index(1)?.ok_or_else(bad)?,
            member: index(2)?.ok_or_else(bad)?,
            identity: index(3)?,
            space: index(4)?,
            kind: number(5)?,
            at: before.checked_add(number(6)?).ok_or_else(bad)?,
            root: index(7)?,
            parent: index(8)?,
            title: text(9)?,
            body: text(10)?,
        })
    }
}

impl Bulk {
    /// Reads a bulk record's value; `Err` says why it is not one.
    pub fn parse(value: &str) -> std::result::Result<Bulk, String> {
        let wire: Wire = serde_json::from_str(value)
            .map_err(|e| format!("activities: a bulk record that does not parse: {e}"))?;
        if wire.rows.is_empty() || wire.rows.len() > MAX_BULK_ROWS {
            return Err(format!(
                "activities: a bulk record of {} rows (1 to {MAX_BULK_ROWS})",
                wire.rows.len()
            ));
        }
        let ids = wire
            .ids
            .iter()
            .map(|t| unpacked(t))
            .collect::<std::result::Result<_, _>>()?;
        let mut rows = Vec::with_capacity(wire.rows.len());
        let mut before = 0;
        for fields in &wire.rows {
            let row = BulkRow::read(fields, before)?;
            before = row.at;
            rows.push(row);
        }
        Ok(Bulk { ids, rows })
    }

    /// The value as a bulk record writes it.
    pub fn write(&self) -> std::result::Result<String, String> {
        let ids = self
            .ids
            .iter()
            .map(|i| packed(i))
            .collect::<std::result::Result<_, _>>()?;
        let mut before = 0;
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let wire = r.wire(before);
                before = r.at;
                wire
            })
            .collect();
        serde_json::to_string(&Wire { ids, rows }).map_err(|e| e.to_string())
    }

    /// The id at position `i`, if there is one.
    fn id(&self, i: Option<u32>) -> std::result::Result<Value, String> {
        match i {
            None => Ok(Value::Null),
            Some(i) => self
                .ids
                .get(i as usize)
                .map(|s| Value::String(s.clone()))
                .ok_or_else(|| {
                    format!("activities: a bulk row names id {i} of {}", self.ids.len())
                }),
        }
    }

    /// Row `r` as the `put` record's value it stands for (the `activities` view's columns).
    fn row_object(&self, r: &BulkRow) -> std::result::Result<Map<String, Value>, String> {
        let kind = ActivityKind::from_code(r.kind)
            .ok_or_else(|| format!("activities: a bulk row of kind {}", r.kind))?;
        if !(0..=LAST_SECOND).contains(&r.at) {
            return Err(format!("activities: a bulk row at {} s", r.at));
        }
        let mut row = Map::new();
        row.insert("id".into(), self.id(Some(r.id))?);
        row.insert("source_id".into(), self.id(Some(r.source))?);
        row.insert("member_id".into(), self.id(Some(r.member))?);
        row.insert("identity_id".into(), self.id(r.identity)?);
        row.insert("space_id".into(), self.id(r.space)?);
        row.insert("kind".into(), Value::String(kind.as_str().into()));
        let at = time::format(time::from_unix(r.at));
        row.insert("occurred_at".into(), Value::String(at));
        row.insert("thread_root_id".into(), self.id(r.root)?);
        row.insert("parent_id".into(), self.id(r.parent)?);
        let text = |t: &Option<String>| t.clone().map_or(Value::Null, Value::String);
        row.insert("title".into(), text(&r.title));
        row.insert("body".into(), text(&r.body));
        Ok(row)
    }

    /// The `put` records the bulk record `c` stands for, each with its clock, in order.
    pub fn puts(&self, c: &Change) -> std::result::Result<Vec<Change>, String> {
        let mut seen = std::collections::HashSet::new();
        self.rows
            .iter()
            .map(|r| {
                let row = self.row_object(r)?;
                let key = row["id"].as_str().unwrap_or_default().to_string();
                if !seen.insert(key.clone()) {
                    return Err(format!("activities: a bulk record with {key} twice"));
                }
                Ok(Change {
                    device: c.device.clone(),
                    seq: c.seq,
                    hlc: c.hlc,
                    base: 0,
                    tbl: TABLE.into(),
                    row_key: key,
                    col: "*".into(),
                    value: Value::Object(row).to_string(),
                    schema: c.schema,
                })
            })
            .collect()
    }
}

/// Why the bulk record `c` may never be applied, if it may not: its shape, then every row
/// as its own `put` record would be checked.
pub fn refusal(c: &Change) -> Option<String> {
    if c.tbl != TABLE {
        return Some(format!("{}: only activities travel in bulk", c.tbl));
    }
    let puts = Bulk::parse(&c.value).and_then(|b| b.puts(c));
    match puts {
        Err(why) => Some(why),
        Ok(puts) => puts.iter().find_map(super::validate::refusal),
    }
}

/// Builds [`Bulk`] values from rows read in order, each id written once.
#[derive(Default)]
struct Builder {
    bulk: Bulk,
    index: HashMap<String, u32>,
    rows: Vec<i64>,
}

impl Builder {
    /// The position of `id` in the bulk's ids, added the first time.
    fn id(&mut self, id: Option<String>) -> Option<u32> {
        let id = id?;
        if let Some(i) = self.index.get(&id) {
            return Some(*i);
        }
        let i = self.bulk.ids.len() as u32;
        self.bulk.ids.push(id.clone());
        self.index.insert(id, i);
        Some(i)
    }

    /// Adds one row read by [`UNCAPTURED`].
    fn push(&mut self, r: &sqlx::sqlite::SqliteRow) -> Result<()> {
        let text = |col: &str| -> Result<Option<String>> { Ok(r.try_get(col)?) };
        let (own, source, member) = (text("id")?, text("source_id")?, text("member_id")?);
        let (identity, space) = (text("identity_id")?, text("space_id")?);
        let (root, parent) = (text("root_id")?, text("parent_id")?);
        let row = BulkRow {
            id: self.id(own).unwrap_or_default(),
            source: self.id(source).unwrap_or_default(),
            member: self.id(member).unwrap_or_default(),
            identity: self.id(identity),
            space: self.id(space),
            kind: r.try_get("kind")?,
            at: r.try_get("at")?,
            root: self.id(root),
            parent: self.id(parent),
            title: r.try_get("title")?,
            body: r.try_get("body")?,
        };
        self.bulk.rows.push(row);
        self.rows.push(r.try_get("n")?);
        Ok(())
    }
}

/// The activities above `?1` that no record has put yet, in order, at most `?2`: rows an
/// import or the demo added. A link still waiting (`activity_links`) travels as its id.
fn uncaptured() -> String {
    let uuid = ids::sql_uuid;
    format!(
        "SELECT t.n, {own} AS id, s.id AS source_id, m.id AS member_id, i.id AS identity_id,
                p.id AS space_id, t.kind, t.at, {root} AS root_id, {parent} AS parent_id, t.title, t.body
         FROM activity t
         JOIN keys s ON s.n = t.source
         JOIN keys m ON m.n = t.member
         LEFT JOIN keys i ON i.n = t.identity
         LEFT JOIN keys p ON p.n = t.space
         LEFT JOIN activity r ON r.n = t.root
         LEFT JOIN activity q ON q.n = t.parent
         LEFT JOIN activity_links l ON l.n = t.n
         WHERE t.n > ?1 AND t.put_by IS NULL
           AND NOT EXISTS (SELECT 1 FROM sync_cells c WHERE c.tbl = '{TABLE}' AND c.row_key = {own} AND c.col = '*')
         ORDER BY t.n LIMIT ?2",
        own = uuid("t.gid"),
        root = uuid("COALESCE(r.gid, l.root)"),
        parent = uuid("COALESCE(q.gid, l.parent)"),
    )
}

/// How many activities above `floor` no record has put yet.
pub(super) async fn count_uncaptured(conn: &mut SqliteConnection, floor: i64) -> Result<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM activity t WHERE t.n > ?1 AND t.put_by IS NULL
           AND NOT EXISTS (SELECT 1 FROM sync_cells c WHERE c.tbl = '{TABLE}' AND c.row_key = {} AND c.col = '*')",
        ids::sql_uuid("t.gid")
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(floor)
        .fetch_one(&mut *conn)
        .await?)
}

/// Writes bulk records for the activities above `floor` that no record has put yet, up to
/// [`MAX_BULK_ROWS`] each, and marks each row with its record. Returns how many rows.
pub(super) async fn capture(store: &Store, conn: &mut SqliteConnection, floor: i64) -> Result<u64> {
    let sql = uncaptured();
    let (mut after, mut total) = (floor, 0);
    loop {
        let rows = sqlx::query(&sql)
            .bind(after)
            .bind(MAX_BULK_ROWS as i64)
            .fetch_all(&mut *conn)
            .await?;
        let mut built = Builder::default();
        for r in &rows {
            built.push(r)?;
        }
        let Some(last) = built.rows.last().copied() else {
            return Ok(total);
        };
        let record = emit(store, conn, &built.bulk).await?;
        sqlx::query("UPDATE activity SET put_by = ?1 WHERE n IN (SELECT value FROM json_each(?2))")
            .bind(record)
            .bind(serde_json::to_string(&built.rows).unwrap_or_default())
            .execute(&mut *conn)
            .await?;
        total += built.rows.len() as u64;
        after = last;
    }
}

/// Writes one bulk record with this laptop's next clock and sequence number; returns its
/// rowid in `sync_log`.
async fn emit(store: &Store, conn: &mut SqliteConnection, bulk: &Bulk) -> Result<i64> {
    let mut device = clock::device(conn).await?;
    device.seq += 1;
    device.hlc = clock::next(device.hlc, store.wall_ms());
    let value = bulk
        .write()
        .map_err(|e| Error::encoding("a bulk record", e))?;
    let rowid: i64 = sqlx::query_scalar(
        "INSERT INTO sync_log (device, seq, hlc, base, tbl, row_key, col, value, schema, received_at)
         VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?) RETURNING rowid",
    )
    .bind(&device.id)
    .bind(device.seq)
    .bind(device.hlc)
    .bind(TABLE)
    .bind(ids::new_id())
    .bind(BULK)
    .bind(value)
    .bind(SCHEMA)
    .bind(time::now())
    .fetch_one(&mut *conn)
    .await?;
    clock::save(conn, &device).await?;
    Ok(rowid)
}

/// The bulk record that put the activity `key`, as (clock, device), if one did.
pub(super) async fn winner(
    conn: &mut SqliteConnection,
    key: &str,
) -> Result<Option<(i64, String)>> {
    let sql = format!(
        "SELECT l.hlc, l.device FROM activity a JOIN sync_log l ON l.rowid = a.put_by WHERE a.gid = {}",
        ids::sql_gid("?")
    );
    Ok(sqlx::query_as(&sql)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Marks the activity `key` as put by the bulk record at `record`.
pub(super) async fn mark(conn: &mut SqliteConnection, key: &str, record: i64) -> Result<()> {
    let sql = format!(
        "UPDATE activity SET put_by = ? WHERE gid = {}",
        ids::sql_gid("?")
    );
    sqlx::query(&sql)
        .bind(record)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The rowid of the record (`device`, `seq`) in `sync_log`.
pub(super) async fn record_of(conn: &mut SqliteConnection, c: &Change) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT rowid FROM sync_log WHERE device = ? AND seq = ?")
            .bind(&c.device)
            .bind(c.seq)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// The fast path: rows of `bulk` that no record ever named and this laptop does not have are
/// inserted through the `activities` view in one statement and marked as put by `record`.
/// Returns their keys; the others take the record-by-record rule.
pub(super) async fn insert_new(
    conn: &mut SqliteConnection,
    bulk: &Bulk,
    record: i64,
) -> Result<std::collections::HashSet<String>> {
    for sql in [
        "CREATE TEMP TABLE IF NOT EXISTS sync_bulk (key TEXT PRIMARY KEY NOT NULL, source TEXT, member TEXT,
         identity TEXT, space TEXT, kind INTEGER, at INTEGER, root TEXT, parent TEXT, title TEXT, body TEXT)",
        "DELETE FROM sync_bulk",
    ] {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    let id = |i: Option<u32>| i.and_then(|i| bulk.ids.get(i as usize));
    // 11 values a row: 2,000 rows stay under SQLite's 32,766 parameters.
    for rows in bulk.rows.chunks(2_000) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO sync_bulk (key, source, member, identity, space, kind, at, root, parent, title, body) ",
        );
        q.push_values(rows, |mut b, r| {
            b.push_bind(id(Some(r.id)))
                .push_bind(id(Some(r.source)))
                .push_bind(id(Some(r.member)))
                .push_bind(id(r.identity))
                .push_bind(id(r.space))
                .push_bind(r.kind)
                .push_bind(r.at)
                .push_bind(id(r.root))
                .push_bind(id(r.parent))
                .push_bind(&r.title)
                .push_bind(&r.body);
        });
        q.build().execute(&mut *conn).await?;
    }
    let gid = |col: &str| ids::sql_gid(col);
    let statements = [
        format!(
            "DELETE FROM sync_bulk WHERE EXISTS (SELECT 1 FROM activity a WHERE a.gid = {})
               OR EXISTS (SELECT 1 FROM sync_cells c WHERE c.tbl = '{TABLE}' AND c.row_key = sync_bulk.key)
               OR EXISTS (SELECT 1 FROM sync_log o WHERE o.tbl = '{TABLE}' AND o.row_key = sync_bulk.key)",
            gid("sync_bulk.key")
        ),
        // Through the view, whose insert trigger is the one place ids become `keys`
        // numbers and a thread not here yet waits in `activity_links`.
        format!(
            "INSERT INTO {TABLE} (id, source_id, member_id, identity_id, space_id, kind, occurred_at,
                                  thread_root_id, parent_id, title, body)
             SELECT b.key, b.source, b.member, b.identity, b.space,
                    (SELECT name FROM activity_kinds WHERE code = b.kind), {at}, b.root, b.parent, b.title, b.body
             FROM sync_bulk b ORDER BY b.rowid",
            at = time::sql_text("b.at")
        ),
        format!(
            "UPDATE activity SET put_by = ?1 WHERE gid IN (SELECT {} FROM sync_bulk)",
            gid("sync_bulk.key")
        ),
    ];
    let [skip, insert, mark] = statements;
    for sql in [skip, insert] {
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    sqlx::query(&mark).bind(record).execute(&mut *conn).await?;
    let done: Vec<String> = sqlx::query_scalar("SELECT key FROM sync_bulk")
        .fetch_all(&mut *conn)
        .await?;
    Ok(done.into_iter().collect())
}

/// Blanks the bodies of member `id`'s activities (by member or by one of their identities)
/// in the bulk records that hold them, as erasure does to single records.
pub(crate) async fn scrub_bodies(conn: &mut SqliteConnection, id: &str) -> Result<()> {
    let idents: Vec<String> = sqlx::query_scalar("SELECT id FROM identities WHERE member_id = ?")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    // Ids are written packed: look for the member's and their identities' that way first.
    let mut records: std::collections::BTreeMap<i64, String> = Default::default();
    for who in std::iter::once(id).chain(idents.iter().map(String::as_str)) {
        let Ok(needle) = packed(who) else { continue };
        let found: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT rowid, value FROM sync_log WHERE tbl = '{TABLE}' AND col = '{BULK}' AND instr(value, ?) > 0"
        ))
        .bind(needle)
        .fetch_all(&mut *conn)
        .await?;
        records.extend(found);
    }
    for (rowid, value) in records {
        let Ok(mut bulk) = Bulk::parse(&value) else {
            continue;
        };
        let theirs = |i: Option<u32>| {
            i.and_then(|i| bulk.ids.get(i as usize))
                .is_some_and(|s| s == id || idents.contains(s))
        };
        let hit: Vec<usize> = (0..bulk.rows.len())
            .filter(|&k| theirs(Some(bulk.rows[k].member)) || theirs(bulk.rows[k].identity))
            .collect();
        if hit.iter().all(|&k| bulk.rows[k].body.is_none()) {
            continue;
        }
        for k in hit {
            bulk.rows[k].body = None;
        }
        sqlx::query("UPDATE sync_log SET value = ? WHERE rowid = ?")
            .bind(
                bulk.write()
                    .map_err(|e| Error::encoding("a bulk record", e))?,
            )
            .bind(rowid)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0193a0b2-1111-7000-8000-000000000001";
    const B: &str = "0193a0b2-1111-7000-8000-000000000002";
    const C: &str = "0193a0b2-1111-7000-8000-000000000003";

    fn row(id: u32, at: i64) -> BulkRow {
        BulkRow {
            id,
            source: 0,
            member: 1,
            identity: None,
            space: None,
            kind: 1,
            at,
            root: None,
            parent: None,
            title: None,
            body: None,
        }
    }

    fn record(value: String) -> Change {
        Change {
            device: A.into(),
            seq: 1,
            hlc: 1 << 16,
            base: 0,
            tbl: TABLE.into(),
            row_key: B.into(),
            col: BULK.into(),
            value,
            schema: SCHEMA,
        }
    }

    fn sample() -> Bulk {
        let mut first = row(2, 1_700_000_000);
        first.kind = 0;
        first.title = Some("Where do we start?".into());
        let mut second = row(1, 1_699_999_000); // earlier: times may go back
        second.root = Some(2);
        second.parent = Some(2);
        second.body = Some("Here.".into());
        Bulk {
            ids: vec![A.into(), B.into(), C.into()],
            rows: vec![first, second],
        }
    }

    #[test]
    fn a_bulk_record_reads_back_as_written_and_stands_for_its_puts() {
        let bulk = sample();
        let text = bulk.write().unwrap();
        assert!(!text.contains(A), "ids are packed: {text}");
        assert_eq!(Bulk::parse(&text).unwrap(), bulk);
        let puts = bulk.puts(&record(text.clone())).unwrap();
        assert_eq!(puts.len(), 2);
        let second: Map<String, Value> = serde_json::from_str(&puts[1].value).unwrap();
        assert_eq!(puts[1].row_key, B);
        assert_eq!(second["kind"], "reply");
        assert_eq!(second["occurred_at"], "2023-11-14T21:56:40Z");
        assert_eq!(second["thread_root_id"], C);
        assert_eq!(second["member_id"], B);
        assert_eq!(second["body"], "Here.");
        assert_eq!(refusal(&record(text)), None);
    }

    #[test]
    fn poisoned_bulk_records_are_refused() {
        let good = sample();
        let mut cases: Vec<(&str, String)> = Vec::new();
        let mut bad_index = good.clone();
        bad_index.rows[0].member = 9;
        cases.push(("an id past the list", bad_index.write().unwrap()));
        let mut bad_kind = good.clone();
        bad_kind.rows[0].kind = 7;
        cases.push(("an unknown kind", bad_kind.write().unwrap()));
        let mut twice = good.clone();
        twice.rows[1].id = 2;
        cases.push(("the same row twice", twice.write().unwrap()));
        let mut long = good.clone();
        long.rows[1].body = Some("x".repeat(crate::limits::MAX_SYNC_TEXT_BYTES + 1));
        cases.push(("a body too long", long.write().unwrap()));
        let mut before_epoch = good.clone();
        before_epoch.rows[0].at = -5;
        cases.push(("a time before 1970", before_epoch.write().unwrap()));
        let many = Bulk {
            ids: good.ids.clone(),
            rows: (0..=MAX_BULK_ROWS).map(|_| row(0, 1)).collect(),
        };
        cases.push(("too many rows", many.write().unwrap()));
        cases.push((
            "an id of 3 bytes",
            r#"{"ids":["AAAA"],"rows":[[0,0,0,null,null,0,1]]}"#.into(),
        ));
        cases.push(("a short row", r#"{"ids":[],"rows":[[0,0]]}"#.into()));
        cases.push(("not JSON", "[".into()));
        for (what, value) in cases {
            assert!(refusal(&record(value)).is_some(), "{what} is refused");
        }
        let mut members = record(good.write().unwrap());
        members.tbl = "members".into();
        assert!(
            refusal(&members).is_some(),
            "only activities travel in bulk"
        );
    }
}
