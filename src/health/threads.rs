//! The threads behind the response numbers: those started in a period that nobody else has
//! answered yet, so the dashboard can list them.

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::Period;
use crate::error::Result;
use crate::store::Store;
use crate::time;

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
    sqlx::query(
        "SELECT t.id, t.title, m.id AS author_id, m.display_name, t.occurred_at FROM activities t
         JOIN members m ON m.id = t.member_id
         WHERE t.kind = 'post' AND m.is_bot = 0 AND t.occurred_at >= ?1 AND t.occurred_at < ?2
           AND NOT EXISTS (SELECT 1 FROM activities r JOIN members rm ON rm.id = r.member_id
               WHERE r.thread_root_id = t.id AND r.kind = 'reply' AND r.member_id <> t.member_id AND rm.is_bot = 0)
         ORDER BY t.occurred_at, t.id",
    )
    .bind(time::format(period.from))
    .bind(time::format(period.to))
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(OpenThread {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            author_id: r.try_get("author_id")?,
            author_name: r.try_get("display_name")?,
            started_at: r.try_get("occurred_at")?,
        })
    })
    .collect()
}
