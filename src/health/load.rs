//! Reads the [`Index`] from the database, and keeps it while the data stays the same.
//!
//! Every edit of members, spaces, identities or activities is also a change record
//! (`sync_log`, the invariant of `sync::capture`), and new rows take new rowids (an import's
//! new rows get their change records only at the next sync). The kept index is read again
//! when the newest change record of those tables, the number of held records, the newest
//! activity or the newest space moved; when only members moved (a note, a country), just
//! the members are read again, unless a member came, went, or changed role or bot flag.
//! Checking costs a handful of index lookups.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::Mutex;

use super::index::{Index, Member, RawAct, RawMember, RawSpace, NONE};
use crate::error::{Error, Result};
use crate::store::Store;

/// What the index was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    /// Newest change record of activities, identities, merges, spaces and sources; held
    /// records; newest activity; newest space.
    activities: (i64, i64, i64, i64),
    /// Newest change record of members.
    member_edits: i64,
    /// How many members, and the newest.
    members: (i64, i64),
}

/// A kept index and what it was built from.
type Kept = Option<(Fingerprint, Arc<Index>)>;

/// The index of a store, and what it was built from.
#[derive(Debug, Default, Clone)]
pub struct Cache {
    slot: Arc<Mutex<Kept>>,
}

/// Rows that a query handed over as one JSON array: SQLite builds it, so a million rows
/// cross from the database thread in one piece instead of one by one.
fn json_rows<T: serde::de::DeserializeOwned>(json: String) -> Result<Vec<T>> {
    serde_json::from_str(&json).map_err(|e| Error::Db(sqlx::Error::Decode(Box::new(e))))
}

async fn fingerprint(store: &Store) -> Result<Fingerprint> {
    let newest = |tables: &str| {
        format!("(SELECT IFNULL(MAX(rowid), 0) FROM sync_log WHERE tbl IN ({tables}))")
    };
    let (a, b, c, s, d, e, f): (i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT {}, (SELECT COUNT(*) FROM sync_log WHERE state = 'held'),
                (SELECT IFNULL(MAX(rowid), 0) FROM activities), (SELECT IFNULL(MAX(rowid), 0) FROM spaces),
                {}, (SELECT COUNT(*) FROM members), (SELECT IFNULL(MAX(rowid), 0) FROM members)",
        newest("'activities', 'identities', 'member_merges', 'spaces', 'sources'"),
        newest("'members'"),
    ))
    .fetch_one(store.pool())
    .await?;
    Ok(Fingerprint {
        activities: (a, b, c, s),
        member_edits: d,
        members: (e, f),
    })
}

/// The store's index: the one kept, if the data has not changed since, else one brought up
/// to date.
pub async fn index(store: &Store) -> Result<Arc<Index>> {
    let mut slot = store.health_cache().slot.lock().await;
    let now = fingerprint(store).await?;
    let ix = match slot.take() {
        Some((seen, ix)) if seen == now => ix,
        // Only members' fields changed: the activities' side stays, unless a member's role
        // or bot flag changed (`with_members` says).
        Some((seen, ix)) if seen.activities == now.activities && seen.members == now.members => {
            match ix.with_members(read_members(store).await?) {
                Some(fresh) => Arc::new(fresh),
                None => Arc::new(read(store).await?),
            }
        }
        _ => Arc::new(read(store).await?),
    };
    *slot = Some((now, ix.clone()));
    Ok(ix)
}

type MemberRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    u8,
    u8,
    Option<String>,
);

/// Every member, in rowid order.
async fn read_members(store: &Store) -> Result<Vec<RawMember>> {
    let members: Vec<MemberRow> = json_rows(
        sqlx::query_scalar(
            "SELECT json_group_array(json_array(rid, id, display_name, role, country, organisation,
             unixepoch(joined_at), is_bot, erased_at IS NOT NULL, language))
             FROM (SELECT rowid AS rid, * FROM members ORDER BY rowid)",
        )
        .fetch_one(store.pool())
        .await?,
    )?;
    let mut raw_members = Vec::with_capacity(members.len());
    for (rowid, id, name, role, country, organisation, joined, bot, erased, language) in members {
        raw_members.push(RawMember {
            rowid,
            member: Member {
                id,
                name,
                role: role.parse()?,
                country: NONE,
                organisation: NONE,
                language,
                joined,
                first_seen: None,
                bot: bot != 0,
                erased: erased != 0,
            },
            country,
            organisation,
        });
    }
    Ok(raw_members)
}

/// An activity row as SQLite hands it over: ids as text, borrowed from the JSON.
#[derive(serde::Deserialize)]
struct ActText<'a> {
    rowid: i64,
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    member: Cow<'a, str>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    at: Cow<'a, str>,
    #[serde(borrow)]
    space: Option<Cow<'a, str>>,
    #[serde(borrow)]
    root: Option<Cow<'a, str>>,
    #[serde(borrow)]
    parent: Option<Cow<'a, str>>,
}

/// Unix seconds of a stored time (`YYYY-MM-DDTHH:MM:SSZ`, or any RFC 3339).
fn seconds(t: &str) -> Option<i64> {
    let fixed = || {
        let b = t.as_bytes();
        if b.len() != 20 || b[4] != b'-' || b[10] != b'T' || b[19] != b'Z' {
            return None;
        }
        let n = |r: std::ops::Range<usize>| t.get(r)?.parse::<u32>().ok();
        let day = chrono::NaiveDate::from_ymd_opt(n(0..4)? as i32, n(5..7)?, n(8..10)?)?;
        Some(
            day.and_hms_opt(n(11..13)?, n(14..16)?, n(17..19)?)?
                .and_utc()
                .timestamp(),
        )
    };
    fixed().or_else(|| Some(chrono::DateTime::parse_from_rfc3339(t).ok()?.timestamp()))
}

/// Rows of activities read at once (bounds the memory a read takes).
const CHUNK: i64 = 100_000;

/// A UUID text as a number (`None` for anything else, never written by Tend).
fn uuid_of(id: &str) -> Option<u128> {
    uuid::Uuid::parse_str(id).ok().map(|u| u.as_u128())
}

/// An activity with its links still as ids.
struct Linked {
    raw: RawAct,
    id: Option<u128>,
    root: Option<u128>,
    parent: Option<u128>,
}

/// Reads the activities from after `rowid` on, a chunk at a time; the members and spaces
/// are matched by id here (a lookup per id in SQLite costs more).
async fn read_acts(
    store: &Store,
    member_of: &HashMap<&str, i64>,
    space_of: &HashMap<&str, i64>,
) -> Result<Vec<Linked>> {
    let mut out = Vec::new();
    let mut after = 0i64;
    loop {
        let (json, last): (String, Option<i64>) = sqlx::query_as(
            "SELECT json_group_array(json_array(rowid, id, member_id, kind, occurred_at, space_id,
             thread_root_id, parent_id)), MAX(rowid)
             FROM (SELECT rowid, * FROM activities WHERE rowid > ? ORDER BY rowid LIMIT ?)",
        )
        .bind(after)
        .bind(CHUNK)
        .fetch_one(store.pool())
        .await?;
        let Some(last) = last else { break };
        after = last;
        let rows: Vec<ActText> =
            serde_json::from_str(&json).map_err(|e| Error::Db(sqlx::Error::Decode(Box::new(e))))?;
        // A row whose time or member cannot be read (never written by Tend) is left out.
        out.extend(rows.iter().filter_map(|r| {
            let raw = RawAct {
                rowid: r.rowid,
                member: *member_of.get(r.member.as_ref())?,
                kind: r.kind.parse().ok()?,
                at: seconds(&r.at)?,
                space: r.space.as_deref().and_then(|s| space_of.get(s).copied()),
                root: None,
                parent: None,
            };
            let link = |id: &Option<Cow<str>>| id.as_deref().and_then(uuid_of);
            Some(Linked {
                raw,
                id: uuid_of(&r.id),
                root: link(&r.root),
                parent: link(&r.parent),
            })
        }));
    }
    Ok(out)
}

async fn read(store: &Store) -> Result<Index> {
    let raw_members = read_members(store).await?;
    let member_of: HashMap<&str, i64> = raw_members
        .iter()
        .map(|m| (m.member.id.as_str(), m.rowid))
        .collect();
    let spaces: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT rowid, id, name, kind FROM spaces")
            .fetch_all(store.pool())
            .await?;
    let space_of: HashMap<&str, i64> = spaces
        .iter()
        .map(|(r, id, _, _)| (id.as_str(), *r))
        .collect();
    let linked = read_acts(store, &member_of, &space_of).await?;
    let act_of: HashMap<u128, i64> = linked
        .iter()
        .filter_map(|l| Some((l.id?, l.raw.rowid)))
        .collect();
    let rowid = |id: Option<u128>| id.and_then(|id| act_of.get(&id).copied());
    let raw_acts = linked
        .iter()
        .map(|l| RawAct {
            root: rowid(l.root),
            parent: rowid(l.parent),
            ..l.raw
        })
        .collect();
    let spaces: Vec<RawSpace> = spaces
        .iter()
        .map(|(rowid, _, name, kind)| RawSpace {
            rowid: *rowid,
            name: name.clone(),
            event: kind == "event",
        })
        .collect();
    Ok(Index::build(raw_members, &spaces, raw_acts))
}
