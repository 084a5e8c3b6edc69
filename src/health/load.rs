//! Reads the [`Index`] from the database, and keeps it while the data stays the same.
//!
//! Every edit of members, spaces, identities or activities is also a change record
//! (`sync_log`, the invariant of `sync::capture`), and new rows take new rowids (an import's
//! new rows get their change records only at the next sync). The kept index is read again
//! when the newest change record of those tables, the number of held records, the newest
//! activity or the newest space moved; when only members moved (a note, a country), just
//! the members are read again, unless a member came, went, or changed role or bot flag.
//! Checking costs a handful of index lookups.

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
                (SELECT IFNULL(MAX(n), 0) FROM activity), (SELECT IFNULL(MAX(rowid), 0) FROM spaces),
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

/// Drops the kept index: after a removal that may bring back the same row numbers (the demo
/// removed and made again), the fingerprint alone could not tell.
pub(crate) async fn forget(store: &Store) {
    *store.kept::<Cache>().slot.lock().await = None;
}

/// The store's index: the one kept, if the data has not changed since, else one brought up
/// to date.
pub async fn index(store: &Store) -> Result<Arc<Index>> {
    let cache = store.kept::<Cache>();
    let mut slot = cache.slot.lock().await;
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
    Option<String>,
);

/// Every member, in rowid order.
async fn read_members(store: &Store) -> Result<Vec<RawMember>> {
    let members: Vec<MemberRow> = json_rows(
        sqlx::query_scalar(
            "SELECT json_group_array(json_array(rid, id, display_name, role, country, organisation,
             unixepoch(joined_at), is_bot, erased_at IS NOT NULL, language, preferred_name))
             FROM (SELECT k.n AS rid, m.* FROM members m JOIN keys k ON k.id = m.id ORDER BY m.rowid)",
        )
        .fetch_one(store.pool())
        .await?,
    )?;
    let mut raw_members = Vec::with_capacity(members.len());
    for (rowid, id, name, role, country, organisation, joined, bot, erased, language, preferred) in
        members
    {
        raw_members.push(RawMember {
            rowid,
            member: Member {
                id,
                name,
                preferred_name: preferred,
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

/// Rows of activities read at once (bounds the memory a read takes).
const CHUNK: i64 = 100_000;

/// An activity row as SQLite hands it over: row, member, kind code, time, space, thread,
/// parent, all integers (the store keeps them so), and a post's title.
type ActRow = (
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// Reads every activity, a chunk of rows at a time, as integers straight from the compact
/// table; the next chunk is read on the database's thread while this one is parsed here.
async fn read_acts(store: &Store) -> Result<Vec<RawAct>> {
    let last: i64 = sqlx::query_scalar("SELECT IFNULL(MAX(n), 0) FROM activity")
        .fetch_one(store.pool())
        .await?;
    // A post's title, for the question rule; the kind's code is a constant of ours.
    let sql = format!(
        "SELECT json_group_array(json_array(n, member, kind, at, space, root, parent,
         CASE WHEN kind = {} THEN title END))
         FROM activity WHERE n > ?1 AND n <= ?2",
        crate::model::ActivityKind::Post.code()
    );
    let fetch = |low: i64| {
        let pool = store.pool().clone();
        let sql = sql.clone();
        tokio::spawn(async move {
            sqlx::query_scalar::<_, String>(&sql)
                .bind(low)
                .bind(low + CHUNK)
                .fetch_one(&pool)
                .await
        })
    };
    // Each chunk is parsed on a blocking thread as soon as it arrives, while SQLite builds
    // the next one: reading a million rows keeps both cores busy.
    let mut parsed = Vec::new();
    let mut next = (last > 0).then(|| fetch(0));
    let mut low = 0;
    while let Some(job) = next.take() {
        low += CHUNK;
        if low < last {
            next = Some(fetch(low));
        }
        let json = job.await.map_err(task_failed)??;
        parsed.push(tokio::task::spawn_blocking(move || parse_acts(json)));
    }
    let mut out = Vec::with_capacity(usize::try_from(last).unwrap_or(0));
    for chunk in parsed {
        out.extend(chunk.await.map_err(task_failed)??);
    }
    Ok(out)
}

/// A task of this module that could not finish (it panicked or was cancelled).
fn task_failed(_: tokio::task::JoinError) -> Error {
    Error::Db(sqlx::Error::WorkerCrashed)
}

/// One chunk of activity rows; a row whose kind cannot be read (never written by Tend) is
/// left out.
fn parse_acts(json: String) -> Result<Vec<RawAct>> {
    let rows: Vec<ActRow> = json_rows(json)?;
    Ok(rows
        .into_iter()
        .filter_map(|(rowid, member, kind, at, space, root, parent, title)| {
            Some(RawAct {
                rowid,
                member,
                kind: crate::model::ActivityKind::from_code(kind)?,
                at,
                space,
                root,
                parent,
                title_asks: title.as_deref().and_then(super::asks::asks),
            })
        })
        .collect())
}

async fn read(store: &Store) -> Result<Index> {
    // Members and activities are read on two of the database's threads at once.
    let members = {
        let store = store.clone();
        tokio::spawn(async move { read_members(&store).await })
    };
    let raw_acts = read_acts(store).await?;
    let raw_members = members.await.map_err(task_failed)??;
    let spaces: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT k.n, s.name, s.kind FROM spaces s JOIN keys k ON k.id = s.id")
            .fetch_all(store.pool())
            .await?;
    let spaces: Vec<RawSpace> = spaces
        .into_iter()
        .map(|(rowid, name, kind)| RawSpace {
            rowid,
            name,
            event: kind == "event",
        })
        .collect();
    Ok(Index::build(raw_members, &spaces, raw_acts))
}
