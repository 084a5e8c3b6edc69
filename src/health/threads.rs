//! The questions nobody else has answered: one rule ([`open`], over the in-memory index)
//! behind the response metrics' `unanswered`, the dashboard's list and the guide's "answer"
//! actions, so the three always agree; the store gives only what the index leaves out (the
//! title).

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::data::{is_set, Scope};
use super::index::Act;
use super::Lens;
use crate::error::Result;
use crate::store::Store;
use crate::{ids, time};

/// A thread no one else has answered.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenThread {
    /// The thread's id.
    pub id: String,
    /// Its title (untrusted text), if any.
    pub title: Option<String>,
    /// Who started it.
    pub author_id: String,
    /// Their name (untrusted text).
    pub author_name: String,
    /// When it started.
    pub started_at: String,
    /// When it started, in Unix seconds: what the core computes with.
    #[serde(skip)]
    #[ts(skip)]
    pub started: i64,
}

/// The rule: questions (`Index::is_question`) started in `[from, to)` by
/// the scope's members (in its spaces) that nobody else but a bot had answered by `as_of`.
pub fn open<'a>(
    scope: &'a Scope<'a>,
    from: i64,
    to: i64,
    as_of: i64,
) -> impl Iterator<Item = &'a Act> + 'a {
    scope
        .acts(from, to)
        .filter(move |a| scope.ix.is_question(a))
        .filter(move |a| !(is_set(a.first_reply) && a.first_reply < as_of))
}

/// The questions of the lens's period unanswered so far, oldest first: the
/// `response.unanswered` of its metrics.
pub async fn unanswered(store: &Store, lens: &Lens) -> Result<Vec<OpenThread>> {
    let span = lens.period.span();
    let rows = super::scoped(store, lens, |scope| {
        open(scope, span.from, span.to, i64::MAX)
            .map(|a| a.row)
            .collect::<Vec<_>>()
    })
    .await?;
    details(store, &rows).await
}

/// Questions started in `[from, to)` by anyone (bots left out) that nobody else had
/// answered by `as_of`, oldest first (the guide's "answer" actions).
pub async fn waiting(store: &Store, from: i64, to: i64, as_of: i64) -> Result<Vec<OpenThread>> {
    let ix = super::load::index(store).await?;
    let scope = Scope::new(&ix, &[], to);
    let rows: Vec<i64> = open(&scope, from, to, as_of).map(|a| a.row).collect();
    details(store, &rows).await
}

/// How many rows one query asks for.
const CHUNK: usize = 500;

/// The threads at store rows `rows`, in time order.
async fn details(store: &Store, rows: &[i64]) -> Result<Vec<OpenThread>> {
    let mut out = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(CHUNK) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            "SELECT {} AS id, t.title, m.id AS author_id, m.display_name, {} AS started_at, t.at FROM activity t
             JOIN keys mk ON mk.n = t.member JOIN members m ON m.id = mk.id
             WHERE t.n IN ({marks}) ORDER BY t.at, t.gid",
            ids::sql_uuid("t.gid"),
            time::sql_text("t.at")
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = query.bind(row);
        }
        for r in query.fetch_all(store.pool()).await? {
            out.push(OpenThread {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                author_id: r.try_get("author_id")?,
                author_name: r.try_get("display_name")?,
                started_at: r.try_get("started_at")?,
                started: r.try_get("at")?,
            });
        }
    }
    out.sort_by_key(|t| t.started);
    Ok(out)
}
