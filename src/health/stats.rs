//! The metrics themselves, as pure functions over [`Data`].

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, Utc};

use super::data::{Data, MemberRow};
use super::{Activation, Cohort, CrossBoundary, NamedMember, Period, Pyramid, Response};
use crate::model::{ActivityKind, Role};

fn is_contribution(k: ActivityKind) -> bool {
    matches!(k, ActivityKind::Post | ActivityKind::Reply)
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The pyramid, and the ids of members active in `p`.
pub fn pyramid<'a>(
    data: &Data,
    members: &[&'a MemberRow],
    p: Period,
) -> (Pyramid, HashSet<&'a str>) {
    let counted: HashMap<&str, &'a str> = members
        .iter()
        .map(|m| (m.id.as_str(), m.id.as_str()))
        .collect();
    let mut active = HashSet::new();
    let mut posting = HashSet::new();
    for a in data.acts.iter().filter(|a| p.contains(a.at)) {
        if let Some(id) = counted.get(a.member.as_str()) {
            active.insert(*id);
            if a.kind == ActivityKind::Post {
                posting.insert(*id);
            }
        }
    }
    let creators = posting.len() as i64;
    let contributors = active.len() as i64 - creators;
    let pyramid = Pyramid {
        creators,
        contributors,
        lurkers: members.len() as i64 - creators - contributors,
    };
    (pyramid, active)
}

/// Contributions in `p` of each counted member (zeros included).
pub fn contributions(data: &Data, members: &[&MemberRow], p: Period) -> Vec<u64> {
    let mut per: HashMap<&str, u64> = members.iter().map(|m| (m.id.as_str(), 0)).collect();
    for a in data
        .acts
        .iter()
        .filter(|a| p.contains(a.at) && is_contribution(a.kind))
    {
        if let Some(n) = per.get_mut(a.member.as_str()) {
            *n += 1;
        }
    }
    per.into_values().collect()
}

/// Gini coefficient: 0 when everyone contributes alike, towards 1 when one does it all;
/// 0 when nobody contributes.
pub fn gini(values: &[u64]) -> f64 {
    let n = values.len() as f64;
    let total: u64 = values.iter().sum();
    if total == 0 || values.len() < 2 {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| (i as f64 + 1.0) * x as f64)
        .sum();
    2.0 * weighted / (n * total as f64) - (n + 1.0) / n
}

/// The fewest members whose contributions make at least half of all.
pub fn absence_factor(values: &[u64]) -> i64 {
    let total: u64 = values.iter().sum();
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let mut sum = 0;
    for (i, v) in sorted.iter().enumerate() {
        if total == 0 {
            break;
        }
        sum += v;
        if sum * 2 >= total {
            return i as i64 + 1;
        }
    }
    0
}

/// Share of contributions made by the `k` busiest members.
pub fn top_share(values: &[u64], k: usize) -> f64 {
    let total: u64 = values.iter().sum();
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let top: u64 = sorted.iter().take(k).sum();
    if total == 0 {
        0.0
    } else {
        top as f64 / total as f64
    }
}

/// The median (mean of the middle two for an even count).
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The nearest-rank percentile `q` (0..1].
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    (n > 0).then(|| sorted[((q * n as f64).ceil() as usize).clamp(1, n) - 1])
}

fn hours(d: Duration) -> f64 {
    d.num_seconds() as f64 / 3600.0
}

/// Responsiveness of threads started in `p`.
pub fn response(data: &Data, p: Period) -> Response {
    let threads: Vec<_> = data.threads.iter().filter(|t| p.contains(t.at)).collect();
    let mut delays: Vec<f64> = threads
        .iter()
        .filter_map(|t| t.first_reply.map(|r| hours(r - t.at)))
        .collect();
    delays.sort_by(f64::total_cmp);
    let within = delays.iter().filter(|&&h| h <= 48.0).count();
    Response {
        threads: threads.len() as i64,
        answered_48h_share: share(within, threads.len()),
        median_first_response_hours: median(&delays),
        p90_first_response_hours: percentile(&delays, 0.9),
        unanswered: (threads.len() - delays.len()) as i64,
    }
}

/// Share of replies in `p` by members who are neither facilitators nor leaders.
pub fn peer_reply_share(data: &Data, p: Period) -> f64 {
    let roles: HashMap<&str, Role> = data
        .members
        .iter()
        .map(|m| (m.id.as_str(), m.role))
        .collect();
    let replies: Vec<_> = data
        .acts
        .iter()
        .filter(|a| a.kind == ActivityKind::Reply && p.contains(a.at))
        .collect();
    let peers = replies
        .iter()
        .filter(|a| {
            !matches!(
                roles.get(a.member.as_str()),
                Some(Role::Facilitator | Role::Leader)
            )
        })
        .count();
    share(peers, replies.len())
}

/// How the period's new members started contributing.
pub fn activation(data: &Data, new_members: &[&MemberRow]) -> Activation {
    let mut days: Vec<f64> = Vec::new();
    let mut within = 0;
    for m in new_members {
        let (Some(joined), Some(first)) = (m.joined, data.first_contribution.get(&m.id)) else {
            continue;
        };
        let d = (*first - joined).num_seconds().max(0) as f64 / 86_400.0;
        if d <= 30.0 {
            within += 1;
        }
        days.push(d);
    }
    days.sort_by(f64::total_cmp);
    Activation {
        activated_30d_share: share(within, new_members.len()),
        median_days_to_first_contribution: median(&days),
    }
}

/// Members at risk (≥ 3 contributions in the period before, none in this one) and the
/// number reactivated (contributing again after ≥ 90 days without).
pub fn churn(data: &Data, members: &[&MemberRow], p: Period) -> (Vec<NamedMember>, i64) {
    let before = p.previous();
    let mut in_p: HashMap<&str, DateTime<Utc>> = HashMap::new();
    let mut in_before: HashMap<&str, u32> = HashMap::new();
    let mut last_before: HashMap<&str, DateTime<Utc>> = data
        .last_before
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    for a in data.acts.iter().filter(|a| is_contribution(a.kind)) {
        let id = a.member.as_str();
        if p.contains(a.at) {
            let first = in_p.entry(id).or_insert(a.at);
            *first = (*first).min(a.at);
        } else if a.at < p.from {
            let last = last_before.entry(id).or_insert(a.at);
            *last = (*last).max(a.at);
            if before.contains(a.at) {
                *in_before.entry(id).or_default() += 1;
            }
        }
    }
    let mut at_risk: Vec<NamedMember> = members
        .iter()
        .filter(|m| {
            in_before.get(m.id.as_str()).copied().unwrap_or(0) >= 3
                && !in_p.contains_key(m.id.as_str())
        })
        .map(|m| NamedMember {
            id: m.id.clone(),
            display_name: m.name.clone(),
        })
        .collect();
    at_risk.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    let reactivated = members
        .iter()
        .filter(
            |m| match (in_p.get(m.id.as_str()), last_before.get(m.id.as_str())) {
                (Some(first), Some(last)) => *first - *last >= Duration::days(90),
                _ => false,
            },
        )
        .count() as i64;
    (at_risk, reactivated)
}

/// Of replies in `p` between two people whose countries (organisations) are known, the
/// share that crossed one.
pub fn cross_boundary(data: &Data, p: Period) -> CrossBoundary {
    let by_id: HashMap<&str, &MemberRow> =
        data.members.iter().map(|m| (m.id.as_str(), m)).collect();
    let pairs: Vec<(&MemberRow, &MemberRow)> = data
        .acts
        .iter()
        .filter(|a| a.kind == ActivityKind::Reply && p.contains(a.at))
        .filter_map(|a| {
            Some((
                *by_id.get(a.member.as_str())?,
                *by_id.get(a.thread_author.as_deref()?)?,
            ))
        })
        .collect();
    let crossed = |f: fn(&MemberRow) -> Option<&String>| {
        let known: Vec<_> = pairs
            .iter()
            .filter_map(|(a, b)| Some((f(a)?, f(b)?)))
            .collect();
        share(known.iter().filter(|(x, y)| x != y).count(), known.len())
    };
    CrossBoundary {
        country_share: crossed(|m| m.country.as_ref()),
        organisation_share: crossed(|m| m.organisation.as_ref()),
    }
}

fn month_index(t: DateTime<Utc>) -> i32 {
    t.year() * 12 + t.month0() as i32
}

fn month_name(i: i32) -> String {
    format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1)
}

/// Monthly join cohorts up to the end of `p`: share of each active in each month since.
pub fn retention(data: &Data, members: &[&MemberRow], p: Period) -> Vec<Cohort> {
    let last = month_index(p.to - Duration::seconds(1));
    let mut cohorts: std::collections::BTreeMap<i32, Vec<&MemberRow>> = Default::default();
    for m in members {
        if let Some(j) = m.joined.or(m.since) {
            cohorts.entry(month_index(j)).or_default().push(m);
        }
    }
    cohorts
        .into_iter()
        .filter(|(month, _)| *month <= last)
        .map(|(month, people)| {
            let active_share = (month..=last)
                .map(|k| {
                    let name = month_name(k);
                    let active = people
                        .iter()
                        .filter(|m| {
                            data.active_months
                                .get(&m.id)
                                .is_some_and(|s| s.contains(&name))
                        })
                        .count();
                    share(active, people.len())
                })
                .collect();
            Cohort {
                month: month_name(month),
                size: people.len() as i64,
                active_share,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inequality_measures_on_hand_worked_cases() {
        assert_eq!(gini(&[5, 5, 5, 5]), 0.0);
        // One of four does everything: G = (n-1)/n = 0.75.
        assert!((gini(&[0, 0, 0, 8]) - 0.75).abs() < 1e-12);
        // [1, 2, 3, 4]: sum |xi-xj| over ordered pairs = 20, G = 20 / (2 * 16 * 2.5) = 0.25.
        assert!((gini(&[4, 1, 3, 2]) - 0.25).abs() < 1e-12);
        assert_eq!(gini(&[]), 0.0);
        assert_eq!(absence_factor(&[10, 1, 1, 1]), 1);
        assert_eq!(absence_factor(&[3, 3, 3, 3]), 2);
        assert_eq!(absence_factor(&[0, 0]), 0);
        assert!((top_share(&[6, 2, 2], 1) - 0.6).abs() < 1e-12);
        assert_eq!(top_share(&[], 10), 0.0);
    }

    #[test]
    fn medians_and_nearest_rank_percentiles() {
        assert_eq!(median(&[1.0, 2.0, 10.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 3.0, 10.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 0.9), Some(9.0));
        assert_eq!(percentile(&[4.0], 0.9), Some(4.0));
    }
}
