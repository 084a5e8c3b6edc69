//! The threads behind the response numbers: those started in a period that nobody else has
//! answered yet, so the dashboard can list them.

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use std::collections::HashSet;

use super::{Lens, Period};
use crate::error::Result;
use crate::model::ActivityKind;
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
}

/// Threads started in the lens's period by members of its segment (not bots), with no reply
/// by anyone else who is not a bot — the `response.unanswered` of the metrics, oldest first.
pub async fn unanswered(store: &Store, lens: &Lens) -> Result<Vec<OpenThread>> {
    let all = unanswered_in(store, lens.period).await?;
    if lens.segment.is_empty() {
        return Ok(all.into_iter().map(|(t, _)| t).collect());
    }
    let (kept, spaces) = super::scoped(store, lens, |scope| {
        let kept: HashSet<String> = scope
            .ix
            .members
            .iter()
            .enumerate()
            .filter(|(i, _)| scope.keeps(*i as u32))
            .map(|(_, m)| m.id.clone())
            .collect();
        let spaces: Option<HashSet<String>> = scope.spaces.as_ref().map(|codes| {
            codes
                .iter()
                .filter_map(|&c| scope.ix.spaces.get(c as usize).cloned())
                .collect()
        });
        (kept, spaces)
    })
    .await?;
    Ok(all
        .into_iter()
        .filter(|(t, space)| {
            kept.contains(&t.author_id)
                && spaces
                    .as_ref()
                    .is_none_or(|s| space.as_ref().is_some_and(|n| s.contains(n)))
        })
        .map(|(t, _)| t)
        .collect())
}

/// Every unanswered thread of `period`, with its space's name.
async fn unanswered_in(store: &Store, period: Period) -> Result<Vec<(OpenThread, Option<String>)>> {
    sqlx::query(&format!(
        "SELECT {} AS id, t.title, m.id AS author_id, m.display_name, {} AS started_at, s.name AS space
         FROM activity t
         JOIN keys mk ON mk.n = t.member JOIN members m ON m.id = mk.id
         LEFT JOIN keys sk ON sk.n = t.space LEFT JOIN spaces s ON s.id = sk.id
         WHERE t.kind = ?3 AND m.is_bot = 0 AND t.at >= ?1 AND t.at < ?2
           AND NOT EXISTS (SELECT 1 FROM activity r JOIN keys rmk ON rmk.n = r.member JOIN members rm ON rm.id = rmk.id
               WHERE r.root = t.n AND r.kind = ?4 AND r.member <> t.member AND rm.is_bot = 0)
         ORDER BY t.at, t.gid",
        ids::sql_uuid("t.gid"),
        time::sql_text("t.at")
    ))
    .bind(period.from.timestamp())
    .bind(period.to.timestamp())
    .bind(ActivityKind::Post.code())
    .bind(ActivityKind::Reply.code())
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| {
        let thread = OpenThread {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            author_id: r.try_get("author_id")?,
            author_name: r.try_get("display_name")?,
            started_at: r.try_get("started_at")?,
        };
        Ok((thread, r.try_get("space")?))
    })
    .collect()
}
