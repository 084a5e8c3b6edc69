//! The metrics themselves, as pure functions over a [`Scope`] of the index.

use std::collections::BTreeMap;

use super::data::{is_set, Scope};
use super::index::{month_index, month_name, Index, NONE};
use super::{Activation, Cohort, CrossBoundary, NamedMember, PurposeUse, Pyramid, Response};
use crate::model::{ActivityKind, Role};
use crate::spaces::Purpose;

/// A period in Unix seconds: `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First second included.
    pub from: i64,
    /// First second excluded.
    pub to: i64,
}

impl Span {
    /// The span of equal length just before.
    pub fn previous(self) -> Span {
        Span {
            from: self.from - (self.to - self.from),
            to: self.from,
        }
    }

    /// Whether `t` falls in the span.
    pub fn contains(self, t: i64) -> bool {
        self.from <= t && t < self.to
    }
}

const DAY: i64 = 86_400;

pub(super) fn is_contribution(k: ActivityKind) -> bool {
    matches!(k, ActivityKind::Post | ActivityKind::Reply)
}

/// `part` of `whole`, or nothing when `whole` is nothing: a share of nothing is no number.
fn share_of(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// One flag per member of the index.
fn flags(scope: &Scope) -> Vec<bool> {
    vec![false; scope.ix.members.len()]
}

/// The pyramid, and which members (of `members`) were active in `p`.
pub fn pyramid(scope: &Scope, members: &[u32], p: Span) -> (Pyramid, Vec<bool>) {
    let mut counted = flags(scope);
    for &m in members {
        counted[m as usize] = true;
    }
    let (mut active, mut posting) = (flags(scope), flags(scope));
    for a in scope
        .acts(p.from, p.to)
        .filter(|a| counted[a.member as usize])
    {
        active[a.member as usize] = true;
        if a.kind == ActivityKind::Post {
            posting[a.member as usize] = true;
        }
    }
    let count = |f: &[bool]| f.iter().filter(|x| **x).count() as i64;
    let creators = count(&posting);
    let contributors = count(&active) - creators;
    let pyramid = Pyramid {
        creators,
        contributors,
        lurkers: members.len() as i64 - creators - contributors,
    };
    (pyramid, active)
}

/// Contributions in `p` of each counted member (zeros included).
pub fn contributions(scope: &Scope, members: &[u32], p: Span) -> Vec<u64> {
    let mut per = vec![0u64; scope.ix.members.len()];
    for a in scope.acts(p.from, p.to).filter(|a| is_contribution(a.kind)) {
        per[a.member as usize] += 1;
    }
    members.iter().map(|&m| per[m as usize]).collect()
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

fn hours(seconds: i64) -> f64 {
    seconds as f64 / 3600.0
}

/// Hours to the first answer by someone else for each thread started in `p` that got one,
/// and how many threads there were.
pub fn first_responses(scope: &Scope, p: Span) -> (Vec<f64>, usize) {
    let mut threads = 0;
    let mut delays = Vec::new();
    for a in scope.acts(p.from, p.to).filter(|a| scope.ix.is_question(a)) {
        threads += 1;
        if is_set(a.first_reply) {
            delays.push(hours(a.first_reply - a.at));
        }
    }
    delays.sort_by(f64::total_cmp);
    (delays, threads)
}

/// Responsiveness of threads started in `p`.
pub fn response(scope: &Scope, p: Span) -> Response {
    let (delays, threads) = first_responses(scope, p);
    let within = delays.iter().filter(|&&h| h <= 48.0).count();
    Response {
        threads: threads as i64,
        answered_48h: within as i64,
        answered_48h_share: share_of(within, threads),
        median_first_response_hours: median(&delays),
        p90_first_response_hours: percentile(&delays, 0.9),
        unanswered: (threads - delays.len()) as i64,
    }
}

/// Share of replies in `p` by members who are neither facilitators nor leaders (none when
/// there was no reply).
pub fn peer_reply_share(scope: &Scope, p: Span) -> Option<f64> {
    let (mut replies, mut peers) = (0, 0);
    for a in scope
        .acts(p.from, p.to)
        .filter(|a| a.kind == ActivityKind::Reply)
    {
        replies += 1;
        let role = scope.ix.members[a.member as usize].role;
        if !matches!(role, Role::Facilitator | Role::Leader) {
            peers += 1;
        }
    }
    share_of(peers, replies)
}

/// How the period's new members started contributing.
pub fn activation(scope: &Scope, new_members: &[u32]) -> Activation {
    let mut days: Vec<f64> = Vec::new();
    let mut within = 0;
    for &m in new_members {
        let joined = scope.ix.members[m as usize].joined;
        let (Some(joined), Some(first)) = (joined, scope.ix.first_contribution(m)) else {
            continue;
        };
        let d = (first - joined).max(0) as f64 / DAY as f64;
        if d <= 30.0 {
            within += 1;
        }
        days.push(d);
    }
    days.sort_by(f64::total_cmp);
    Activation {
        activated_30d_share: share_of(within, new_members.len()),
        median_days_to_first_contribution: median(&days),
    }
}

/// A member gone quiet in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quiet {
    /// The member (index).
    pub member: u32,
    /// Their contributions in the period before.
    pub before: u32,
    /// When the last of those was.
    pub last: i64,
}

/// The one rule for "gone quiet" (the at-risk metric, the guide's check-ins): at least 3
/// contributions in the period before `p` and none in `p`, among `members`.
pub fn gone_quiet(scope: &Scope, members: &[u32], p: Span) -> Vec<Quiet> {
    let n = scope.ix.members.len();
    let mut in_p = vec![false; n];
    for a in scope.acts(p.from, p.to).filter(|a| is_contribution(a.kind)) {
        in_p[a.member as usize] = true;
    }
    let before = p.previous();
    let mut count = vec![(0u32, 0i64); n];
    for a in scope
        .acts(before.from, before.to)
        .filter(|a| is_contribution(a.kind))
    {
        let c = &mut count[a.member as usize];
        *c = (c.0 + 1, c.1.max(a.at));
    }
    members
        .iter()
        .filter(|&&m| count[m as usize].0 >= 3 && !in_p[m as usize])
        .map(|&m| Quiet {
            member: m,
            before: count[m as usize].0,
            last: count[m as usize].1,
        })
        .collect()
}

/// Members gone quiet (see [`gone_quiet`]), by name, and members contributing again
/// after 90 days or more without.
pub fn churn(scope: &Scope, members: &[u32], p: Span) -> (Vec<NamedMember>, i64) {
    let n = scope.ix.members.len();
    let mut first_in_p = vec![None; n];
    for a in scope.acts(p.from, p.to).filter(|a| is_contribution(a.kind)) {
        first_in_p[a.member as usize].get_or_insert(a.at);
    }
    let mut at_risk: Vec<NamedMember> = gone_quiet(scope, members, p)
        .iter()
        .map(|q| named(scope, q.member))
        .collect();
    at_risk.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    let reactivated = members
        .iter()
        .filter(|&&m| {
            let Some(first) = first_in_p[m as usize] else {
                return false;
            };
            scope
                .ix
                .last_contribution_before(m, p.from)
                .is_some_and(|last| first - last >= 90 * DAY)
        })
        .count() as i64;
    (at_risk, reactivated)
}

/// Of replies in `p` between two people of the segment whose countries (organisations) are
/// known, the share that crossed one.
pub fn cross_boundary(scope: &Scope, p: Span) -> CrossBoundary {
    let (mut countries, mut orgs) = ((0, 0), (0, 0));
    let members = &scope.ix.members;
    for a in scope
        .acts(p.from, p.to)
        .filter(|a| a.kind == ActivityKind::Reply)
    {
        if a.thread_author == NONE || !scope.keeps(a.thread_author) {
            continue;
        }
        let (x, y) = (
            &members[a.member as usize],
            &members[a.thread_author as usize],
        );
        for (pair, tally) in [
            ((x.country, y.country), &mut countries),
            ((x.organisation, y.organisation), &mut orgs),
        ] {
            if pair.0 != NONE && pair.1 != NONE {
                tally.0 += 1;
                tally.1 += usize::from(pair.0 != pair.1);
            }
        }
    }
    CrossBoundary {
        country_share: share_of(countries.1, countries.0),
        organisation_share: share_of(orgs.1, orgs.0),
    }
}

/// Monthly join cohorts up to the end of `p`: share of each active in each month since
/// (activity anywhere, before the period's end).
pub fn retention(scope: &Scope, members: &[u32], p: Span) -> Vec<Cohort> {
    let last = month_index(p.to - 1);
    let mut cohorts: BTreeMap<i32, (usize, Vec<usize>)> = BTreeMap::new();
    for &m in members {
        let Some(joined) = scope.ix.members[m as usize].since() else {
            continue;
        };
        let month = month_index(joined);
        if month > last {
            continue;
        }
        let (size, active) = cohorts
            .entry(month)
            .or_insert_with(|| (0, vec![0; (last - month + 1) as usize]));
        *size += 1;
        for &(k, first) in scope.ix.months.of(m) {
            if k >= month && k <= last && first < p.to {
                active[(k - month) as usize] += 1;
            }
        }
    }
    cohorts
        .into_iter()
        .map(|(month, (size, active))| Cohort {
            month: month_name(month),
            size: size as i64,
            active_share: active.into_iter().map(|a| share(a, size)).collect(),
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

/// Which purposes each space (by code) serves, and how many spaces each purpose has.
#[derive(Debug, Clone, Default)]
pub struct Tagged {
    /// Per space code, a bit per purpose (in [`Purpose::ALL`]'s order).
    masks: Vec<u8>,
    /// Spaces tagged with each purpose (by name, used or not).
    spaces: [i64; 7],
}

impl Tagged {
    /// The tags (by space name) laid over the index's space codes.
    pub fn new(ix: &Index, tags: &BTreeMap<String, Vec<Purpose>>) -> Tagged {
        let mut t = Tagged {
            masks: vec![0; ix.spaces.len()],
            spaces: [0; 7],
        };
        for (name, purposes) in tags {
            for p in purposes {
                let bit = Purpose::ALL.iter().position(|x| x == p).unwrap_or(0);
                t.spaces[bit] += 1;
                if let Some(code) = ix.space_code(name) {
                    t.masks[code as usize] |= 1 << bit;
                }
            }
        }
        t
    }
}

/// Member `m` as the lists name them.
pub fn named(scope: &Scope, m: u32) -> NamedMember {
    let member = &scope.ix.members[m as usize];
    NamedMember {
        id: member.id.clone(),
        display_name: member.name.clone(),
    }
}

/// Activity and active members in the spaces of each purpose in `p`.
pub fn purposes(scope: &Scope, p: Span, tagged: &Tagged) -> Vec<PurposeUse> {
    let mut activities = [0i64; 7];
    let mut active: [Vec<bool>; 7] = std::array::from_fn(|_| flags(scope));
    for a in scope.acts(p.from, p.to) {
        let mask = tagged.masks.get(a.space as usize).copied().unwrap_or(0);
        for (bit, seen) in active.iter_mut().enumerate() {
            if mask & (1 << bit) != 0 {
                activities[bit] += 1;
                seen[a.member as usize] = true;
            }
        }
    }
    Purpose::ALL
        .iter()
        .enumerate()
        .map(|(bit, &purpose)| PurposeUse {
            purpose,
            spaces: tagged.spaces[bit],
            activities: activities[bit],
            active_members: active[bit].iter().filter(|x| **x).count() as i64,
        })
        .collect()
}
