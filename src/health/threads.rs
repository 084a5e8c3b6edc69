//! The threads behind the response numbers: those started in a period that nobody else has
//! answered yet, so the dashboard can list them.

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::Period;
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

/// Threads started in `period` by members (not bots) with no reply by anyone else who is
/// not a bot — the `response.unanswered` of the metrics, oldest first.
pub async fn unanswered(store: &Store, period: Period) -> Result<Vec<OpenThread>> {
    sqlx::query(&format!(
        "SELECT {} AS id, t.title, m.id AS author_id, m.display_name, {} AS started_at FROM activity t
         JOIN keys mk ON mk.n = t.member JOIN members m ON m.id = mk.id
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
        Ok(OpenThread {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            author_id: r.try_get("author_id")?,
            author_name: r.try_get("display_name")?,
            started_at: r.try_get("started_at")?,
        })
    })
    .collect()
}
