//! The community in compact form, for participation health: every member with small
//! integer codes for country and organisation, and every activity but joins and bots' as a
//! fixed-size row in time order, with what the metrics ask of it worked out once (who
//! started its thread, when someone else first answered a post). Built from the database
//! by [`super::load`] and kept until the data changes, so a metric over any period or
//! segment reads a slice of memory instead of querying a million rows.

use std::collections::{HashMap, HashSet};

use crate::model::{ActivityKind, Role};

/// "None" for an integer code or index.
pub const NONE: u32 = u32::MAX;
/// "Never" for a time.
pub const NEVER: i64 = i64::MAX;

/// A member as the metrics see them.
#[derive(Debug, Clone)]
pub struct Member {
    /// Global id.
    pub id: String,
    /// Name, for lists.
    pub name: String,
    /// The name they go by, for greetings, where known.
    pub preferred_name: Option<String>,
    /// Role.
    pub role: Role,
    /// Code of their country in [`Index::countries`], or [`NONE`].
    pub country: u32,
    /// Code of their organisation in [`Index::organisations`], or [`NONE`].
    pub organisation: u32,
    /// Preferred language.
    pub language: Option<String>,
    /// When they joined (Unix seconds), if known.
    pub joined: Option<i64>,
    /// Their first activity of any kind (joins too), if any.
    pub first_seen: Option<i64>,
    /// An automated account: never counted.
    pub bot: bool,
    /// Erased at their request.
    pub erased: bool,
}

impl Member {
    /// Joined, or else first seen: when the metrics start counting them.
    pub fn since(&self) -> Option<i64> {
        self.joined.or(self.first_seen)
    }
}

/// An activity (never a join, never a bot's), in time order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Act {
    /// When (Unix seconds).
    pub at: i64,
    /// Index of the member in [`Index::members`].
    pub member: u32,
    /// What it was.
    pub kind: ActivityKind,
    /// Code of its space's name in [`Index::spaces`], or [`NONE`].
    pub space: u32,
    /// For a reply or reaction: who started the thread (not a bot), or [`NONE`].
    pub thread_author: u32,
    /// For a post: the first reply by someone other than its author who is not a bot,
    /// whenever, or [`NEVER`].
    pub first_reply: i64,
    /// Its row in the store (`activity.n`), to fetch what the index leaves out (a title).
    pub row: i64,
    /// A post that asks (`super::asks`): a question, not a share or an announcement.
    pub asks: bool,
}

/// Per member, a sorted list (compressed rows: `items[offsets[m]..offsets[m + 1]]`).
#[derive(Debug, Clone, Default)]
pub struct PerMember<T> {
    offsets: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy + Ord> PerMember<T> {
    fn build(members: usize, mut pairs: Vec<(u32, T)>) -> PerMember<T> {
        pairs.sort_unstable();
        pairs.dedup();
        let mut offsets = vec![0; members + 1];
        for (m, _) in &pairs {
            offsets[*m as usize + 1] += 1;
        }
        for i in 0..members {
            offsets[i + 1] += offsets[i];
        }
        PerMember {
            offsets,
            items: pairs.into_iter().map(|(_, t)| t).collect(),
        }
    }

    /// Member `m`'s items, sorted.
    pub fn of(&self, m: u32) -> &[T] {
        let m = m as usize;
        match (self.offsets.get(m), self.offsets.get(m + 1)) {
            (Some(&a), Some(&b)) => &self.items[a..b],
            _ => &[],
        }
    }
}

/// The whole community, compact.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Every member, bots and the erased included (flagged).
    pub members: Vec<Member>,
    /// Each member's `rowid`, in the same order.
    pub rowids: Vec<i64>,
    /// Country names by code.
    pub countries: Vec<String>,
    /// Organisation names by code.
    pub organisations: Vec<String>,
    /// Space names by code (spaces of the same name in two sources share a code).
    pub spaces: Vec<String>,
    /// Activities but joins and bots', in time order.
    pub acts: Vec<Act>,
    /// Each member's contribution times (posts and replies), sorted.
    pub contributions: PerMember<i64>,
    /// Each member's active months (`year * 12 + month0`, joins left out) with the first
    /// instant of activity in each.
    pub months: PerMember<(i32, i64)>,
    /// For each (space code, member): the first activity there, joins included.
    pub space_first: HashMap<(u32, u32), i64>,
    /// Each member's first welcome: a reply to them by a leader, facilitator or champion.
    pub welcomed: Vec<i64>,
    /// Each member's first post.
    pub first_post: Vec<i64>,
    /// Each member's first post or reply outside an introductions space.
    pub first_outside_intro: Vec<i64>,
    /// The first attendance (anyone's) of each event space that has one.
    pub event_first: Vec<i64>,
    /// Whether each space (by code) is for introductions ([`is_intro_space`]).
    pub intro: Vec<bool>,
}

/// The one rule for an introductions space: its name contains "intro" (#introductions,
/// "Intros", "Introduce yourself"), whatever its case. Posts there are introductions, not
/// questions; a first contribution there does not yet count as taking part.
pub fn is_intro_space(name: &str) -> bool {
    name.to_lowercase().contains("intro")
}

/// A member row as read from the database.
#[derive(Debug, Clone)]
pub struct RawMember {
    /// The row's `rowid`.
    pub rowid: i64,
    /// The member, but for the codes.
    pub member: Member,
    /// Country name.
    pub country: Option<String>,
    /// Organisation name.
    pub organisation: Option<String>,
}

/// A space row as read from the database.
#[derive(Debug, Clone)]
pub struct RawSpace {
    /// The row's `rowid`.
    pub rowid: i64,
    /// Its name.
    pub name: String,
    /// An event (a webinar series), whose attendance counts as events held.
    pub event: bool,
}

/// An activity row as read from the database, with other rows named by `rowid`.
#[derive(Debug, Clone, Copy)]
pub struct RawAct {
    /// The row's `rowid`.
    pub rowid: i64,
    /// Its member's `rowid`.
    pub member: i64,
    /// What it was.
    pub kind: ActivityKind,
    /// When (Unix seconds).
    pub at: i64,
    /// Its space's `rowid`.
    pub space: Option<i64>,
    /// Its thread's first post's `rowid`.
    pub root: Option<i64>,
    /// What it answers or reacts to (`rowid`).
    pub parent: Option<i64>,
    /// For a post, whether its title asks (`super::asks::asks`); `None` when no words of it
    /// are known.
    pub title_asks: Option<bool>,
}

/// Gives each distinct name a small code.
#[derive(Default)]
struct Codes {
    names: Vec<String>,
    by_name: HashMap<String, u32>,
}

impl Codes {
    fn code(&mut self, name: Option<String>) -> u32 {
        let Some(name) = name else { return NONE };
        if let Some(&c) = self.by_name.get(&name) {
            return c;
        }
        let c = self.names.len() as u32;
        self.by_name.insert(name.clone(), c);
        self.names.push(name);
        c
    }
}

fn set_min(slot: &mut i64, t: i64) {
    *slot = (*slot).min(t);
}

/// The month (`year * 12 + month0`) of a time, by the civil calendar's arithmetic (Howard
/// Hinnant's `civil_from_days`; chrono's conversion cost a tenth of a cold build of the
/// index on a million activities).
pub fn month_index(t: i64) -> i32 {
    let z = t.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month0 = if mp < 10 { mp + 2 } else { mp - 10 };
    let year = yoe + era * 400 + i64::from(month0 < 2);
    (year * 12 + month0) as i32
}

/// Row numbers (SQLite's, dense) to values: a vector from the smallest to the largest,
/// or a hash map where the numbers are too spread out for one.
#[derive(Debug)]
enum RowMap<V> {
    Dense { base: i64, slots: Vec<Option<V>> },
    Sparse(HashMap<i64, V>),
}

impl<V: Copy> RowMap<V> {
    /// A map for keys between `min` and `max`, of which there are about `count`.
    fn for_range(min: i64, max: i64, count: usize) -> RowMap<V> {
        let span = max.saturating_sub(min).saturating_add(1);
        match usize::try_from(span) {
            Ok(span) if min <= max && span <= count.saturating_mul(4).saturating_add(1024) => {
                RowMap::Dense {
                    base: min,
                    slots: vec![None; span],
                }
            }
            _ => RowMap::Sparse(HashMap::with_capacity(count)),
        }
    }

    /// A map of `pairs`.
    fn of(pairs: impl Iterator<Item = (i64, V)> + Clone) -> RowMap<V> {
        let (min, max, count) = pairs
            .clone()
            .fold((i64::MAX, i64::MIN, 0), |(lo, hi, n), (k, _)| {
                (lo.min(k), hi.max(k), n + 1)
            });
        let mut map = RowMap::for_range(min, max, count);
        for (k, v) in pairs {
            map.insert(k, v);
        }
        map
    }

    fn slot(&mut self, key: i64) -> Option<&mut Option<V>> {
        match self {
            RowMap::Dense { base, slots } => usize::try_from(key - *base)
                .ok()
                .and_then(|i| slots.get_mut(i)),
            RowMap::Sparse(_) => None,
        }
    }

    fn insert(&mut self, key: i64, value: V) {
        if let Some(slot) = self.slot(key) {
            *slot = Some(value);
        } else if let RowMap::Sparse(map) = self {
            map.insert(key, value);
        }
    }

    fn get(&self, key: i64) -> Option<V> {
        match self {
            RowMap::Dense { base, slots } => usize::try_from(key - *base)
                .ok()
                .and_then(|i| slots.get(i).copied().flatten()),
            RowMap::Sparse(map) => map.get(&key).copied(),
        }
    }

    /// Keeps the smaller of the present value and `value` (or `value` where none is).
    fn keep_min(&mut self, key: i64, value: V)
    where
        V: Ord,
    {
        let now = self.get(key).map_or(value, |v| v.min(value));
        self.insert(key, now);
    }
}

/// A month index as `YYYY-MM`.
pub fn month_name(i: i32) -> String {
    format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1)
}

/// Where a welcome from this role counts.
fn welcomes(role: Role) -> bool {
    matches!(role, Role::Leader | Role::Facilitator | Role::Champion)
}

impl Index {
    /// Builds the index from raw rows (any order). Activities whose member is unknown are
    /// left out.
    pub fn build(members: Vec<RawMember>, spaces: &[RawSpace], acts: Vec<RawAct>) -> Index {
        let mut ix = Index::default();
        let (mut countries, mut orgs, mut space_codes) =
            (Codes::default(), Codes::default(), Codes::default());
        let member_of: RowMap<u32> = RowMap::of(
            members
                .iter()
                .enumerate()
                .map(|(i, raw)| (raw.rowid, i as u32)),
        );
        for raw in members {
            ix.rowids.push(raw.rowid);
            let mut m = raw.member;
            m.country = countries.code(raw.country);
            m.organisation = orgs.code(raw.organisation);
            ix.members.push(m);
        }
        let space_of: HashMap<i64, u32> = spaces
            .iter()
            .map(|s| (s.rowid, space_codes.code(Some(s.name.clone()))))
            .collect();
        let events: HashSet<i64> = spaces.iter().filter(|s| s.event).map(|s| s.rowid).collect();
        let mut event_first: HashMap<i64, i64> = HashMap::new();
        let n = ix.members.len();
        let intro: Vec<bool> = space_codes
            .names
            .iter()
            .map(|s| is_intro_space(s))
            .collect();
        let asking: Vec<bool> = space_codes
            .names
            .iter()
            .map(|s| super::asks::space_is_for_asking(s))
            .collect();
        // Each raw activity's member index, by its rowid.
        let by_rowid: RowMap<u32> = RowMap::of(
            acts.iter()
                .filter_map(|a| Some((a.rowid, member_of.get(a.member)?))),
        );
        let author = |rowid: Option<i64>| rowid.and_then(|r| by_rowid.get(r));
        let (lo, hi) = acts.iter().fold((i64::MAX, i64::MIN), |(lo, hi), a| {
            (lo.min(a.rowid), hi.max(a.rowid))
        });
        let mut first_reply: RowMap<i64> = RowMap::for_range(lo, hi, acts.len());
        let (mut welcomed, mut first_post, mut outside) =
            (vec![NEVER; n], vec![NEVER; n], vec![NEVER; n]);
        let mut first_seen = vec![NEVER; n];
        let (mut contributions, mut months) = (Vec::new(), Vec::new());
        let mut kept = Vec::with_capacity(acts.len());
        for a in &acts {
            if a.kind == ActivityKind::Attendance {
                if let Some(s) = a.space.filter(|s| events.contains(s)) {
                    set_min(event_first.entry(s).or_insert(a.at), a.at);
                }
            }
            let Some(m) = member_of.get(a.member) else {
                continue;
            };
            let member = &ix.members[m as usize];
            let space = a
                .space
                .and_then(|s| space_of.get(&s).copied())
                .unwrap_or(NONE);
            set_min(&mut first_seen[m as usize], a.at);
            if space != NONE {
                let slot = ix.space_first.entry((space, m)).or_insert(a.at);
                set_min(slot, a.at);
            }
            let root_author = author(a.root);
            if a.kind == ActivityKind::Reply {
                if let (Some(root), Some(ra)) = (a.root, root_author) {
                    if ra != m && !member.bot {
                        first_reply.keep_min(root, a.at);
                    }
                }
                if welcomes(member.role) {
                    if let Some(target) = author(a.parent.or(a.root)).filter(|&t| t != m) {
                        set_min(&mut welcomed[target as usize], a.at);
                    }
                }
            }
            if a.kind == ActivityKind::Post {
                set_min(&mut first_post[m as usize], a.at);
            }
            let contribution = matches!(a.kind, ActivityKind::Post | ActivityKind::Reply);
            if contribution && (space == NONE || !intro[space as usize]) {
                set_min(&mut outside[m as usize], a.at);
            }
            if a.kind == ActivityKind::Join || member.bot {
                continue;
            }
            if contribution {
                contributions.push((m, a.at));
            }
            months.push((m, (month_index(a.at), a.at)));
            let thread_author = root_author
                .filter(|&r| !ix.members[r as usize].bot)
                .unwrap_or(NONE);
            kept.push((
                a.rowid,
                Act {
                    at: a.at,
                    member: m,
                    kind: a.kind,
                    space,
                    thread_author,
                    first_reply: NEVER,
                    row: a.rowid,
                    asks: a.kind == ActivityKind::Post
                        && a.title_asks
                            .unwrap_or_else(|| space != NONE && asking[space as usize]),
                },
            ));
        }
        for (rowid, act) in &mut kept {
            if act.kind == ActivityKind::Post {
                act.first_reply = first_reply.get(*rowid).unwrap_or(NEVER);
            }
        }
        kept.sort_unstable_by_key(|(rowid, a)| (a.at, *rowid));
        ix.acts = kept.into_iter().map(|(_, a)| a).collect();
        ix.contributions = PerMember::build(n, contributions);
        // Keep only each month's first instant.
        months.sort_unstable();
        months.dedup_by_key(|(m, (month, _))| (*m, *month));
        ix.months = PerMember::build(n, months);
        for (m, t) in ix.members.iter_mut().zip(first_seen) {
            m.first_seen = (t != NEVER).then_some(t);
        }
        (ix.welcomed, ix.first_post, ix.first_outside_intro) = (welcomed, first_post, outside);
        ix.intro = intro;
        ix.event_first = event_first.into_values().collect();
        (ix.countries, ix.organisations, ix.spaces) =
            (countries.names, orgs.names, space_codes.names);
        ix
    }

    /// This index with the members' names, countries, organisations, joining dates and
    /// erasure taken from `members`, or `None` when the activities' side would change too:
    /// a member came or went, or changed role (welcomes) or bot flag.
    pub fn with_members(&self, members: Vec<RawMember>) -> Option<Index> {
        let same = members.len() == self.members.len()
            && members
                .iter()
                .zip(&self.members)
                .zip(&self.rowids)
                .all(|((raw, old), &rowid)| {
                    raw.rowid == rowid && raw.member.role == old.role && raw.member.bot == old.bot
                });
        if !same {
            return None;
        }
        let (mut countries, mut orgs) = (Codes::default(), Codes::default());
        let mut ix = self.clone();
        for (raw, m) in members.into_iter().zip(&mut ix.members) {
            let first_seen = m.first_seen;
            *m = raw.member;
            m.first_seen = first_seen;
            m.country = countries.code(raw.country);
            m.organisation = orgs.code(raw.organisation);
        }
        (ix.countries, ix.organisations) = (countries.names, orgs.names);
        Some(ix)
    }

    /// The activities in `[from, to)`, in time order.
    pub fn window(&self, from: i64, to: i64) -> &[Act] {
        let a = self.acts.partition_point(|x| x.at < from);
        let b = self.acts.partition_point(|x| x.at < to);
        &self.acts[a..b.max(a)]
    }

    /// Whether `a` is a question: a post that asks (`super::asks`) outside an introductions
    /// space. The response metrics, the unanswered list and the guide's "answer" actions all
    /// count these.
    pub fn is_question(&self, a: &Act) -> bool {
        a.kind == ActivityKind::Post
            && a.asks
            && (a.space == NONE || !self.intro.get(a.space as usize).copied().unwrap_or(false))
    }

    /// A space's code, by name.
    pub fn space_code(&self, name: &str) -> Option<u32> {
        self.spaces.iter().position(|s| s == name).map(|i| i as u32)
    }

    /// Member `m`'s last contribution before `t`.
    pub fn last_contribution_before(&self, m: u32, t: i64) -> Option<i64> {
        let times = self.contributions.of(m);
        let i = times.partition_point(|&x| x < t);
        i.checked_sub(1).map(|i| times[i])
    }

    /// Member `m`'s first contribution ever.
    pub fn first_contribution(&self, m: u32) -> Option<i64> {
        self.contributions.of(m).first().copied()
    }
}

#[cfg(test)]
mod month_and_row_map_tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn month_index_agrees_with_chrono_from_1900_to_2100() {
        let (start, end) = (-2_208_988_800_i64, 4_102_444_800_i64);
        let mut t = start;
        while t < end {
            let d = chrono::DateTime::from_timestamp(t, 0).unwrap();
            assert_eq!(month_index(t), d.year() * 12 + d.month0() as i32, "{d}");
            t += 46_831; // about 13 hours, so every day boundary drifts through
        }
    }

    #[test]
    fn row_maps_are_dense_for_row_numbers_and_sparse_for_spread_keys() {
        let dense = RowMap::of((10..20).map(|k| (k, k * 2)));
        assert!(matches!(dense, RowMap::Dense { .. }));
        assert_eq!(
            (dense.get(15), dense.get(9), dense.get(20)),
            (Some(30), None, None)
        );
        let mut sparse = RowMap::of([(1, 1), (i64::MAX - 1, 2), (-5, 3)].into_iter());
        assert!(matches!(sparse, RowMap::Sparse(_)));
        sparse.keep_min(1, 0);
        sparse.keep_min(-5, 9);
        assert_eq!(
            (sparse.get(1), sparse.get(-5), sparse.get(i64::MAX - 1)),
            (Some(0), Some(3), Some(2))
        );
        let empty: RowMap<i64> = RowMap::of(std::iter::empty());
        assert_eq!(empty.get(0), None);
    }
}
