//! What the metrics read, loaded once per computation: members (not bots), the window's
//! activities, threads with their first answer, and all-time firsts and active months.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::{ActivityKind, Role};
use crate::store::Store;
use crate::time;

/// What a segment narrows by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKey {
    /// A space (channel, category, list), by name: members who took part there, and
    /// activity there.
    Space,
    /// Members of a country.
    Country,
    /// Members of an organisation.
    Organisation,
    /// Members with a role.
    Role,
    /// Members who joined in a month (`YYYY-MM`).
    Cohort,
}

/// One segment, written `key=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// What it narrows by.
    pub key: SegmentKey,
    /// The value.
    pub value: String,
}

impl FromStr for Segment {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::InvalidValue {
            field: "segment",
            value: s.to_string(),
            expected: "KEY=VALUE with KEY one of space, country, organisation, role, cohort",
        };
        let (k, v) = s.split_once('=').ok_or_else(bad)?;
        let key = match k.trim() {
            "space" => SegmentKey::Space,
            "country" => SegmentKey::Country,
            "organisation" | "organization" => SegmentKey::Organisation,
            "role" => SegmentKey::Role,
            "cohort" => SegmentKey::Cohort,
            _ => return Err(bad()),
        };
        let value = v.trim().to_string();
        if key == SegmentKey::Role {
            value.parse::<Role>()?;
        }
        Ok(Segment { key, value })
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match self.key {
            SegmentKey::Space => "space",
            SegmentKey::Country => "country",
            SegmentKey::Organisation => "organisation",
            SegmentKey::Role => "role",
            SegmentKey::Cohort => "cohort",
        };
        write!(f, "{key}={}", self.value)
    }
}

/// A member as the metrics see them.
#[derive(Debug, Clone)]
pub struct MemberRow {
    /// Global id.
    pub id: String,
    /// Name, for lists.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Country.
    pub country: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// When they joined.
    pub joined: Option<DateTime<Utc>>,
    /// Joined, or else first seen.
    pub since: Option<DateTime<Utc>>,
}

/// An activity of the window (never a join, never a bot's).
#[derive(Debug, Clone)]
pub struct ActRow {
    /// The member's id.
    pub member: String,
    /// What it was.
    pub kind: ActivityKind,
    /// When.
    pub at: DateTime<Utc>,
    /// For a reply: who started the thread.
    pub thread_author: Option<String>,
}

/// A thread started in the window, and when someone else first answered it.
#[derive(Debug, Clone)]
pub struct ThreadRow {
    /// When it started.
    pub at: DateTime<Utc>,
    /// First reply by someone other than its author (and not a bot), whenever.
    pub first_reply: Option<DateTime<Utc>>,
}

/// Everything the metrics read.
#[derive(Debug, Default)]
pub struct Data {
    /// Members in the segment.
    pub members: Vec<MemberRow>,
    /// The window's activities by those members.
    pub acts: Vec<ActRow>,
    /// Threads started in the window by those members.
    pub threads: Vec<ThreadRow>,
    /// Each member's first contribution, ever.
    pub first_contribution: HashMap<String, DateTime<Utc>>,
    /// Each member's last contribution before the window.
    pub last_before: HashMap<String, DateTime<Utc>>,
    /// Months (`YYYY-MM`) in which each member was active, up to the window's end.
    pub active_months: HashMap<String, BTreeSet<String>>,
}

/// Rows that a query handed over as one JSON array: SQLite builds it, so the thousands of
/// rows cross from the database thread in one piece instead of one by one.
fn json_rows<T: serde::de::DeserializeOwned>(json: String) -> Result<Vec<T>> {
    serde_json::from_str(&json).map_err(|e| Error::Db(sqlx::Error::Decode(Box::new(e))))
}

fn parse(t: Option<String>) -> Option<DateTime<Utc>> {
    t.and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn keep(m: &MemberRow, segment: Option<&Segment>, in_space: &HashSet<String>) -> bool {
    let Some(s) = segment else { return true };
    match s.key {
        SegmentKey::Country => m.country.as_deref() == Some(s.value.as_str()),
        SegmentKey::Organisation => m.organisation.as_deref() == Some(s.value.as_str()),
        SegmentKey::Role => m.role.as_str() == s.value.to_ascii_lowercase(),
        SegmentKey::Cohort => m
            .joined
            .is_some_and(|j| j.format("%Y-%m").to_string() == s.value),
        SegmentKey::Space => in_space.contains(&m.id),
    }
}

impl Data {
    /// Loads what the metrics of `[start, end)` (two periods) need.
    pub async fn load(
        store: &Store,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        segment: Option<&Segment>,
    ) -> Result<Data> {
        let pool = store.pool();
        let (start_s, end_s) = (time::format(start), time::format(end));
        let space = segment
            .filter(|s| s.key == SegmentKey::Space)
            .map(|s| s.value.clone());
        let in_space: HashSet<String> = match &space {
            Some(name) => sqlx::query_scalar(
                "SELECT DISTINCT a.member_id FROM activities a JOIN spaces s ON s.id = a.space_id WHERE s.name = ? AND a.occurred_at < ?",
            )
            .bind(name)
            .bind(&end_s)
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect(),
            None => HashSet::new(),
        };
        let mut data = Data::default();
        type Member = (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Member> = json_rows(
            sqlx::query_scalar(
                // COALESCE stops at the joining time: first activity is looked up only without one.
                "SELECT json_group_array(json_array(m.id, m.display_name, m.role, m.country, m.organisation, m.joined_at,
                 COALESCE(m.joined_at, (SELECT MIN(a.occurred_at) FROM activities a WHERE a.member_id = m.id))))
                 FROM members m WHERE m.is_bot = 0",
            )
            .fetch_one(pool)
            .await?,
        )?;
        for (id, name, role, country, organisation, joined_at, first_seen) in rows {
            let joined = parse(joined_at);
            let m = MemberRow {
                id,
                name,
                role: role.parse()?,
                country,
                organisation,
                since: joined.or(parse(first_seen)),
                joined,
            };
            if keep(&m, segment, &in_space) {
                data.members.push(m);
            }
        }
        let ids: HashSet<&str> = data.members.iter().map(|m| m.id.as_str()).collect();
        let space_clause = if space.is_some() {
            " AND s.name = ?3"
        } else {
            ""
        };
        let sql = format!(
            "SELECT json_group_array(json_array(a.member_id, a.kind, a.occurred_at, root.member_id,
             (SELECT MIN(r.occurred_at) FROM activities r JOIN members rm ON rm.id = r.member_id
              WHERE a.kind = 'post' AND r.thread_root_id = a.id AND r.kind = 'reply'
              AND r.member_id <> a.member_id AND rm.is_bot = 0)))
             FROM activities a LEFT JOIN activities root ON root.id = a.thread_root_id
             LEFT JOIN spaces s ON s.id = a.space_id
             WHERE a.kind <> 'join' AND a.occurred_at >= ?1 AND a.occurred_at < ?2{space_clause}"
        );
        let mut q = sqlx::query_scalar(&sql).bind(&start_s).bind(&end_s);
        if let Some(name) = &space {
            q = q.bind(name);
        }
        type Act = (String, String, String, Option<String>, Option<String>);
        let acts: Vec<Act> = json_rows(q.fetch_one(pool).await?)?;
        for (member, kind, occurred_at, thread_author, first_reply) in acts {
            if !ids.contains(member.as_str()) {
                continue;
            }
            let kind: ActivityKind = kind.parse()?;
            let Some(at) = parse(Some(occurred_at)) else {
                continue;
            };
            if kind == ActivityKind::Post {
                data.threads.push(ThreadRow {
                    at,
                    first_reply: parse(first_reply),
                });
            }
            data.acts.push(ActRow {
                member,
                kind,
                at,
                thread_author,
            });
        }
        data.load_history(store, &start_s, &end_s).await?;
        Ok(data)
    }

    async fn load_history(&mut self, store: &Store, start: &str, end: &str) -> Result<()> {
        let pool = store.pool();
        let ids: HashSet<String> = self.members.iter().map(|m| m.id.clone()).collect();
        let firsts: Vec<(String, Option<String>, Option<String>)> = json_rows(
            sqlx::query_scalar(
                "SELECT json_group_array(json_array(member_id, f, l)) FROM (
                 SELECT member_id, MIN(occurred_at) AS f, MAX(CASE WHEN occurred_at < ? THEN occurred_at END) AS l
                 FROM activities WHERE kind IN ('post', 'reply') GROUP BY member_id)",
            )
            .bind(start)
            .fetch_one(pool)
            .await?,
        )?;
        for (m, first, last) in firsts.into_iter().filter(|(m, _, _)| ids.contains(m)) {
            if let Some(f) = parse(first) {
                self.first_contribution.insert(m.clone(), f);
            }
            if let Some(l) = parse(last) {
                self.last_before.insert(m, l);
            }
        }
        let months: Vec<(String, String)> = json_rows(
            sqlx::query_scalar(
                "SELECT json_group_array(json_array(member_id, months)) FROM (
                 SELECT member_id, group_concat(DISTINCT substr(occurred_at, 1, 7)) AS months
                 FROM activities WHERE kind <> 'join' AND occurred_at < ? GROUP BY member_id)",
            )
            .bind(end)
            .fetch_one(pool)
            .await?,
        )?;
        for (m, list) in months.into_iter().filter(|(m, _)| ids.contains(m)) {
            let set = self.active_months.entry(m).or_default();
            set.extend(list.split(',').map(str::to_string));
        }
        Ok(())
    }
}
