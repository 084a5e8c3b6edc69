//! The numbers behind the charts that are not metrics: weekly active members, activity per
//! space, who answers whom across a boundary, and the activation funnel, each read from the
//! community's index.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use super::data::Scope;
use super::index::{Member, NEVER, NONE};
use super::stats::Span;
use crate::model::ActivityKind;

const WEEK: i64 = 7 * 86_400;

/// Distinct active members (any activity but a join, bots left out) in each of the `weeks`
/// weeks ending at `to`, oldest first.
pub fn weekly_active(scope: &Scope, to: i64, weeks: usize) -> Vec<i64> {
    let start = to - WEEK * weeks as i64;
    let mut counts = vec![0; weeks];
    let mut last_week = vec![usize::MAX; scope.ix.members.len()];
    for a in scope.acts(start, to) {
        let w = ((a.at - start) / WEEK) as usize;
        let seen = &mut last_week[a.member as usize];
        if *seen != w && w < weeks {
            *seen = w;
            counts[w] += 1;
        }
    }
    counts
}

/// Activities (bots and joins left out) per space name in `p`, busiest first (then by
/// name), at most `limit`.
pub fn by_space(scope: &Scope, p: Span, limit: usize) -> Vec<(String, i64)> {
    let mut counts = vec![0i64; scope.ix.spaces.len()];
    for a in scope.acts(p.from, p.to).filter(|a| a.space != NONE) {
        counts[a.space as usize] += 1;
    }
    let mut rows: Vec<(String, i64)> = scope
        .ix
        .spaces
        .iter()
        .cloned()
        .zip(counts)
        .filter(|r| r.1 > 0)
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows.truncate(limit);
    rows
}

/// Replies in `p` between members whose group (country or organisation, by `group_of`) is
/// known on both sides: the `limit` groups with most replies, and the matrix of counts
/// (rows reply to columns).
pub fn pairs(
    scope: &Scope,
    p: Span,
    names: &[String],
    group_of: fn(&Member) -> u32,
    limit: usize,
) -> (Vec<String>, Vec<Vec<i64>>) {
    let ix = scope.ix;
    let mut counts: BTreeMap<(u32, u32), i64> = BTreeMap::new();
    for a in scope.acts(p.from, p.to) {
        if a.kind != ActivityKind::Reply || a.thread_author == NONE {
            continue;
        }
        let group = |m: u32| group_of(&ix.members[m as usize]);
        let (x, y) = (group(a.member), group(a.thread_author));
        if x != NONE && y != NONE {
            *counts.entry((x, y)).or_default() += 1;
        }
    }
    let mut totals: BTreeMap<&str, i64> = BTreeMap::new();
    for (&(x, y), n) in &counts {
        *totals.entry(&names[x as usize]).or_default() += n;
        *totals.entry(&names[y as usize]).or_default() += n;
    }
    let mut groups: Vec<(&str, i64)> = totals.into_iter().collect();
    groups.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    let top: Vec<String> = groups.iter().take(limit).map(|g| g.0.to_string()).collect();
    let index = |code: u32| top.iter().position(|n| *n == names[code as usize]);
    let mut matrix = vec![vec![0i64; top.len()]; top.len()];
    for (&(x, y), n) in &counts {
        if let (Some(i), Some(j)) = (index(x), index(y)) {
            matrix[i][j] += n;
        }
    }
    (top, matrix)
}

/// The activation funnel of the members (not bots, not erased) who joined in a period
/// (joining: the join date or the first activity, whichever came first), as of its end.
/// `joined` ⊇ `contributed` ⊇ `regular`; `welcomed` is counted apart, since some start
/// contributing before anyone welcomes them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Funnel {
    /// Members who joined in the period.
    #[ts(type = "number")]
    pub joined: i64,
    /// Of them, those who made a first contribution (or introduced themselves).
    #[ts(type = "number")]
    pub contributed: i64,
    /// Of those, the regulars: active in three of the last four weeks.
    #[ts(type = "number")]
    pub regular: i64,
    /// Of those who joined, the ones someone welcomed (apart from the stages above).
    #[ts(type = "number")]
    pub welcomed: i64,
}

/// The activation funnel of `p` in the scope (see [`Funnel`]).
pub fn funnel(scope: &Scope, p: Span) -> Funnel {
    let ix = scope.ix;
    let mut weeks = vec![0u8; ix.members.len()];
    for a in scope.acts(p.to - 4 * WEEK, p.to) {
        // Whole days back, then weeks, as the guide counts them.
        let week = (p.to - a.at) / 86_400 / 7;
        if week < 4 {
            weeks[a.member as usize] |= 1 << week;
        }
    }
    let before = |t: i64| t != NEVER && t < p.to;
    let mut out = Funnel::default();
    for (i, m) in ix.members.iter().enumerate() {
        let joined = match (m.joined, m.first_seen) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if !scope.keeps(i as u32) || m.erased || !joined.is_some_and(|j| p.contains(j)) {
            continue;
        }
        let contributed = before(ix.first_outside_intro[i]) || before(ix.first_post[i]);
        out.joined += 1;
        out.welcomed += i64::from(before(ix.welcomed[i]));
        out.contributed += i64::from(contributed);
        out.regular += i64::from(contributed && weeks[i].count_ones() >= 3);
    }
    out
}
