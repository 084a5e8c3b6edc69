//! Participation health: the metrics sponsors and facilitators read, with exact
//! definitions (see the README), over a period `[from, to)` and optionally one segment,
//! each with its value for the previous period of equal length.
//!
//! Bots never count. A *contribution* is a post or a reply; an *activity* is anything but
//! a join.

mod data;
mod stats;
pub mod threads;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use data::{Data, MemberRow};
pub use data::{Segment, SegmentKey};

use crate::error::Result;
use crate::store::Store;

/// The period measured: `[from, to)`, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First instant included.
    pub from: DateTime<Utc>,
    /// First instant excluded.
    pub to: DateTime<Utc>,
}

impl Period {
    /// The `days` days up to and including `last_day`.
    pub fn days_to(last_day: NaiveDate, days: i64) -> Period {
        let to = (last_day + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or_default();
        Period {
            from: to - Duration::days(days),
            to,
        }
    }

    /// The period of equal length just before this one.
    pub fn previous(&self) -> Period {
        Period {
            from: self.from - (self.to - self.from),
            to: self.from,
        }
    }

    fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && t < self.to
    }
}

/// Creators, contributors and lurkers; they sum to `members_total`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Pyramid {
    /// Members with at least one post in the period.
    #[ts(type = "number")]
    pub creators: i64,
    /// Members with activity but no post.
    #[ts(type = "number")]
    pub contributors: i64,
    /// The rest of `members_total`.
    #[ts(type = "number")]
    pub lurkers: i64,
}

/// How threads started in the period were answered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Response {
    /// Threads (posts) started in the period.
    #[ts(type = "number")]
    pub threads: i64,
    /// Share of them whose first reply by someone else came within 48 hours.
    pub answered_48h_share: f64,
    /// Median hours to that first reply, over threads that got one (whenever).
    pub median_first_response_hours: Option<f64>,
    /// 90th percentile (nearest rank) of the same.
    pub p90_first_response_hours: Option<f64>,
    /// Threads with no reply by someone else yet.
    #[ts(type = "number")]
    pub unanswered: i64,
}

/// How the period's new members started contributing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Activation {
    /// Share of new members whose first contribution came within 30 days of joining.
    pub activated_30d_share: f64,
    /// Median days from joining to first contribution, over those who contributed.
    pub median_days_to_first_contribution: Option<f64>,
}

/// Replies that crossed countries and organisations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct CrossBoundary {
    /// Of replies where both people's countries are known, the share where they differ.
    pub country_share: f64,
    /// Of replies where both organisations are known, the share where they differ.
    pub organisation_share: f64,
}

/// A member named in a metric (the at-risk list).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NamedMember {
    /// Global id.
    pub id: String,
    /// Name as shown.
    pub display_name: String,
}

/// One join cohort's retention: share of the cohort active in each month since joining.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Cohort {
    /// `YYYY-MM`.
    pub month: String,
    /// Members who joined that month.
    #[ts(type = "number")]
    pub size: i64,
    /// Share active in month 0, 1, 2… after joining (up to the period's end).
    pub active_share: Vec<f64>,
}

/// Every metric for one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Metrics {
    /// Members who joined (or first appeared) before the period's end.
    #[ts(type = "number")]
    pub members_total: i64,
    /// Members with at least one activity in the period.
    #[ts(type = "number")]
    pub members_active: i64,
    /// Members who joined in the period.
    #[ts(type = "number")]
    pub new_members: i64,
    /// Participation pyramid (compare with 90-9-1).
    pub pyramid: Pyramid,
    /// Gini coefficient of contributions per member over `members_total` (zeros included).
    pub gini: f64,
    /// The fewest members whose contributions make at least half of the period's.
    #[ts(type = "number")]
    pub absence_factor: i64,
    /// Share of the period's contributions by its 10 busiest members.
    pub top10_share: f64,
    /// Responsiveness.
    pub response: Response,
    /// Share of the period's replies by members who are neither facilitators nor leaders.
    pub peer_reply_share: f64,
    /// New-member activation.
    pub activation: Activation,
    /// Members with at least 3 contributions in the previous period and none in this one.
    #[ts(type = "number")]
    pub at_risk: i64,
    /// Who they are.
    pub at_risk_members: Vec<NamedMember>,
    /// Members contributing again after 90 days or more without a contribution.
    #[ts(type = "number")]
    pub reactivated: i64,
    /// New members active in the period + reactivated − at risk.
    #[ts(type = "number")]
    pub net_active_change: i64,
    /// Collaboration across countries and organisations.
    pub cross_boundary: CrossBoundary,
    /// Monthly join cohorts.
    pub retention: Vec<Cohort>,
}

/// The metrics of a period and of the one before it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Health {
    /// First day included (RFC 3339).
    pub from: String,
    /// First instant excluded (RFC 3339).
    pub to: String,
    /// The segment, as `key=value`, if any.
    pub segment: Option<String>,
    /// This period's metrics.
    #[serde(flatten)]
    pub current: Metrics,
    /// The previous period's, for trends.
    pub previous: Metrics,
}

/// Computes every metric for `period` (and the previous period) in `segment`.
pub async fn compute(store: &Store, period: Period, segment: Option<&Segment>) -> Result<Health> {
    // Three periods: the previous period's at-risk count looks one period further back.
    let data = Data::load(store, period.previous().previous().from, period.to, segment).await?;
    Ok(Health {
        from: crate::time::format(period.from),
        to: crate::time::format(period.to),
        segment: segment.map(Segment::to_string),
        current: metrics(&data, period),
        previous: metrics(&data, period.previous()),
    })
}

/// Hours to the first answer by someone else for each thread started in `period` that got
/// one, and the number that got none (for the response-time histogram).
pub async fn first_responses(store: &Store, period: Period) -> Result<(Vec<f64>, i64)> {
    let firsts: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT a.occurred_at, (SELECT MIN(r.occurred_at) FROM activities r JOIN members rm ON rm.id = r.member_id
           WHERE r.thread_root_id = a.id AND r.kind = 'reply' AND r.member_id <> a.member_id AND rm.is_bot = 0)
         FROM activities a JOIN members m ON m.id = a.member_id
         WHERE a.kind = 'post' AND m.is_bot = 0 AND a.occurred_at >= ? AND a.occurred_at < ?",
    )
    .bind(crate::time::format(period.from))
    .bind(crate::time::format(period.to))
    .fetch_all(store.pool())
    .await?;
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    let hours: Vec<f64> = firsts
        .iter()
        .filter_map(|(at, first)| Some((parse(at)?, parse(first.as_deref()?)?)))
        .map(|(at, first)| (first - at).num_seconds() as f64 / 3600.0)
        .collect();
    let unanswered = (firsts.len() - hours.len()) as i64;
    Ok((hours, unanswered))
}

/// Members counted at the end of `p`: joined (or first seen) before it ends.
fn counted(data: &Data, p: Period) -> Vec<&MemberRow> {
    data.members
        .iter()
        .filter(|m| m.since.is_some_and(|s| s < p.to))
        .collect()
}

fn metrics(data: &Data, p: Period) -> Metrics {
    let members = counted(data, p);
    let (pyramid, active) = stats::pyramid(data, &members, p);
    let contributions = stats::contributions(data, &members, p);
    let new_members: Vec<&MemberRow> = members
        .iter()
        .copied()
        .filter(|m| m.joined.is_some_and(|j| p.contains(j)))
        .collect();
    let (at_risk_members, reactivated) = stats::churn(data, &members, p);
    let new_active = new_members
        .iter()
        .filter(|m| active.contains(&m.id.as_str()))
        .count() as i64;
    Metrics {
        members_total: members.len() as i64,
        members_active: active.len() as i64,
        new_members: new_members.len() as i64,
        gini: stats::gini(&contributions),
        absence_factor: stats::absence_factor(&contributions),
        top10_share: stats::top_share(&contributions, 10),
        response: stats::response(data, p),
        peer_reply_share: stats::peer_reply_share(data, p),
        activation: stats::activation(data, &new_members),
        at_risk: at_risk_members.len() as i64,
        net_active_change: new_active + reactivated - at_risk_members.len() as i64,
        at_risk_members,
        reactivated,
        cross_boundary: stats::cross_boundary(data, p),
        retention: stats::retention(data, &members, p),
        pyramid,
    }
}
