//! What the guide reads from the imported data, up to the end of a given day: each member's
//! dates of joining, being welcomed, introducing themselves and first contributing, and the
//! weeks they were active lately.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sqlx::Row;

use crate::error::Result;
use crate::model::Role;
use crate::store::Store;
use crate::time;

/// A space counts as an introductions space when its name contains this.
pub const INTRO_SPACE: &str = "intro";

/// One member's onboarding evidence.
#[derive(Debug, Clone)]
pub struct MemberFacts {
    /// Global id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Country.
    pub country: Option<String>,
    /// Preferred language.
    pub language: Option<String>,
    /// Joined: the join date, else the first activity.
    pub joined: Option<DateTime<Utc>>,
    /// First reply to them by a leader, facilitator or champion.
    pub welcomed: Option<DateTime<Utc>>,
    /// First post.
    pub introduced: Option<DateTime<Utc>>,
    /// First post or reply outside an introductions space.
    pub contributed: Option<DateTime<Utc>>,
    /// Posts and replies in the last 90 days.
    pub recent_contributions: u32,
    /// Of the last four weeks (most recent first), which had any activity.
    pub active_weeks: [bool; 4],
}

/// The first instant after `day`.
pub fn end_of(day: NaiveDate) -> DateTime<Utc> {
    day.checked_add_days(Days::new(1))
        .unwrap_or(day)
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

fn parse(t: Option<String>) -> Option<DateTime<Utc>> {
    t.and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
}

async fn firsts(store: &Store, sql: &str, end: &str) -> Result<HashMap<String, DateTime<Utc>>> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(sql)
        .bind(end)
        .fetch_all(store.pool())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, t)| parse(t).map(|t| (m, t)))
        .collect())
}

/// Each welcomed member and when a leader, facilitator or champion first replied to them.
pub(crate) const WELCOMED: &str = "SELECT t.member_id, MIN(r.occurred_at) FROM activities r
    JOIN members w ON w.id = r.member_id AND w.role IN ('leader', 'facilitator', 'champion')
    JOIN activities t ON t.id = COALESCE(r.parent_id, r.thread_root_id)
    WHERE r.kind = 'reply' AND t.member_id <> r.member_id AND r.occurred_at < ?
    GROUP BY t.member_id";
const FIRST_ANY: &str =
    "SELECT member_id, MIN(occurred_at) FROM activities WHERE occurred_at < ? GROUP BY member_id";
const FIRST_POST: &str = "SELECT member_id, MIN(occurred_at) FROM activities
    WHERE kind = 'post' AND occurred_at < ? GROUP BY member_id";
const FIRST_CONTRIBUTION: &str = "SELECT a.member_id, MIN(a.occurred_at) FROM activities a
    LEFT JOIN spaces s ON s.id = a.space_id
    WHERE a.kind IN ('post', 'reply') AND a.occurred_at < ?
      AND (s.name IS NULL OR instr(lower(s.name), 'intro') = 0)
    GROUP BY a.member_id";

/// Each non-bot member's facts as of the end of `today`; members who joined later are left out.
pub async fn load(store: &Store, today: NaiveDate) -> Result<Vec<MemberFacts>> {
    let end = end_of(today);
    let end_s = time::format(end);
    let first_any = firsts(store, FIRST_ANY, &end_s).await?;
    let welcomed = firsts(store, WELCOMED, &end_s).await?;
    let introduced = firsts(store, FIRST_POST, &end_s).await?;
    let contributed = firsts(store, FIRST_CONTRIBUTION, &end_s).await?;
    let (recent, weeks) = recent_activity(store, end).await?;
    let rows = sqlx::query(
        "SELECT id, display_name, role, country, language, joined_at FROM members WHERE is_bot = 0 AND erased_at IS NULL ORDER BY display_name, id",
    )
    .fetch_all(store.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id")?;
        let joined_at = parse(r.try_get("joined_at")?);
        let seen = first_any.get(&id).copied();
        let joined = match (joined_at, seen) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if joined.is_some_and(|j| j >= end) {
            continue;
        }
        out.push(MemberFacts {
            name: r.try_get("display_name")?,
            role: r.try_get::<String, _>("role")?.parse()?,
            country: r.try_get("country")?,
            language: r.try_get("language")?,
            joined,
            welcomed: welcomed.get(&id).copied(),
            introduced: introduced.get(&id).copied(),
            contributed: contributed.get(&id).copied(),
            recent_contributions: recent.get(&id).copied().unwrap_or(0),
            active_weeks: weeks.get(&id).copied().unwrap_or_default(),
            id,
        });
    }
    Ok(out)
}

type Recent = (HashMap<String, u32>, HashMap<String, [bool; 4]>);

/// Posts and replies per member in the 90 days before `end`, and activity in each of the
/// four weeks before it.
async fn recent_activity(store: &Store, end: DateTime<Utc>) -> Result<Recent> {
    let start = end - chrono::Duration::days(90);
    let rows = sqlx::query(
        "SELECT member_id, kind, occurred_at FROM activities WHERE occurred_at >= ? AND occurred_at < ? AND kind <> 'join'",
    )
    .bind(time::format(start))
    .bind(time::format(end))
    .fetch_all(store.pool())
    .await?;
    let (mut counts, mut weeks): Recent = Default::default();
    for r in rows {
        let member: String = r.try_get("member_id")?;
        let kind: String = r.try_get("kind")?;
        let Some(at) = parse(r.try_get("occurred_at")?) else {
            continue;
        };
        if kind == "post" || kind == "reply" {
            *counts.entry(member.clone()).or_default() += 1;
        }
        let week = (end - at).num_days() / 7;
        if let Ok(w) = usize::try_from(week) {
            if w < 4 {
                weeks.entry(member).or_default()[w] = true;
            }
        }
    }
    Ok((counts, weeks))
}
