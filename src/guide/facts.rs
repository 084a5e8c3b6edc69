//! What the guide reads from the imported data, up to the end of a given day: each member's
//! dates of joining, being welcomed, introducing themselves and first contributing, and the
//! weeks they were active lately.

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::error::Result;
use crate::health::index::Index;
use crate::model::{ActivityKind, Role};
use crate::store::Store;

const DAY: i64 = 86_400;

/// One member's onboarding evidence.
#[derive(Debug, Clone)]
pub struct MemberFacts {
    /// Global id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The name to greet them by (`members::greeting_name`).
    pub greeting: String,
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

/// Each non-bot member's facts as of the end of `today`; members who joined later are left out.
/// Read from participation health's in-memory index: the five queries over every activity
/// this used to run took seconds on a large community, for every view of the guide.
pub async fn load(store: &Store, today: NaiveDate) -> Result<Vec<MemberFacts>> {
    let ix = crate::health::load::index(store).await?;
    Ok(from_index(&ix, end_of(today)))
}

/// Posts and replies in the 90 days before `end`, and activity in each of the four weeks
/// before it (most recent first), per member of the index.
fn recent_activity(ix: &Index, end: i64) -> (Vec<u32>, Vec<[bool; 4]>) {
    let mut counts = vec![0u32; ix.members.len()];
    let mut weeks = vec![[false; 4]; ix.members.len()];
    for a in ix.window(end - 90 * DAY, end) {
        if matches!(a.kind, ActivityKind::Post | ActivityKind::Reply) {
            counts[a.member as usize] += 1;
        }
        // Whole days back, then weeks.
        let week = ((end - a.at) / DAY / 7) as usize;
        if week < 4 {
            weeks[a.member as usize][week] = true;
        }
    }
    (counts, weeks)
}

fn from_index(ix: &Index, end: DateTime<Utc>) -> Vec<MemberFacts> {
    let end_s = end.timestamp();
    let before = |t: i64| {
        (t < end_s)
            .then(|| DateTime::from_timestamp(t, 0))
            .flatten()
    };
    let (recent, weeks) = recent_activity(ix, end_s);
    let mut out = Vec::with_capacity(ix.members.len());
    for (i, m) in ix.members.iter().enumerate() {
        if m.bot || m.erased {
            continue;
        }
        let joined = match (
            m.joined,
            m.first_seen.and_then(before).map(|t| t.timestamp()),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if joined.is_some_and(|j| j >= end_s) {
            continue;
        }
        let name_of = |code: u32, names: &[String]| names.get(code as usize).cloned();
        out.push(MemberFacts {
            id: m.id.clone(),
            name: m.name.clone(),
            greeting: crate::members::greeting_name(m.preferred_name.as_deref(), &m.name)
                .to_string(),
            role: m.role,
            country: name_of(m.country, &ix.countries),
            language: m.language.clone(),
            joined: joined.and_then(|j| DateTime::from_timestamp(j, 0)),
            welcomed: before(ix.welcomed[i]),
            introduced: before(ix.first_post[i]),
            contributed: before(ix.first_outside_intro[i]),
            recent_contributions: recent[i],
            active_weeks: weeks[i],
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    out
}
