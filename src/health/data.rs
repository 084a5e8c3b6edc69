//! What the metrics read: the community's [`Index`] narrowed to one segment.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::index::{month_index, month_name, Act, Index, Member, NEVER};
use crate::error::{Error, Result};
use crate::model::Role;

/// What a segment narrows by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
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

/// One condition of a segment, written `key=value`. A segment is a list of them: those of
/// one key are alternatives (country Kenya or Uganda), different keys must all hold
/// (Kenya and the role member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Segment {
    /// What it narrows by.
    pub key: SegmentKey,
    /// The value.
    pub value: String,
}

impl FromStr for SegmentKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "space" => SegmentKey::Space,
            "country" => SegmentKey::Country,
            "organisation" | "organization" => SegmentKey::Organisation,
            "role" => SegmentKey::Role,
            "cohort" => SegmentKey::Cohort,
            _ => {
                return Err(Error::InvalidValue {
                    field: "segment key",
                    value: s.to_string(),
                    expected: "one of space, country, organisation, role, cohort",
                })
            }
        })
    }
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
        let key: SegmentKey = k.parse().map_err(|_| bad())?;
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

/// The index narrowed to a segment: which members count, and (for spaces) which
/// activities.
#[derive(Debug)]
pub struct Scope<'a> {
    /// The whole community.
    pub ix: &'a Index,
    /// Whether each member (by index) is in the segment; bots never are.
    pub kept: Vec<bool>,
    /// For a segment by space, the codes of the spaces named (a space nobody used has none).
    pub spaces: Option<Vec<u32>>,
}

impl<'a> Scope<'a> {
    /// The members and activities of `segment` (every condition resolved); a space's
    /// members are those who took part there before `end`. No condition: everyone.
    pub fn new(ix: &'a Index, segment: &[Segment], end: i64) -> Scope<'a> {
        let of = |key: SegmentKey| segment.iter().filter(move |s| s.key == key);
        let spaces: Option<Vec<u32>> = of(SegmentKey::Space).next().map(|_| {
            of(SegmentKey::Space)
                .filter_map(|s| ix.space_code(&s.value))
                .collect()
        });
        let holds = |s: &Segment, i: usize, m: &Member| {
            let named = |code: u32, names: &[String]| {
                names.get(code as usize).is_some_and(|n| *n == s.value)
            };
            match s.key {
                SegmentKey::Country => named(m.country, &ix.countries),
                SegmentKey::Organisation => named(m.organisation, &ix.organisations),
                SegmentKey::Role => m.role.as_str() == s.value.to_ascii_lowercase(),
                SegmentKey::Cohort => m
                    .joined
                    .is_some_and(|j| month_name(month_index(j)) == s.value),
                SegmentKey::Space => ix
                    .space_code(&s.value)
                    .and_then(|code| ix.space_first.get(&(code, i as u32)))
                    .is_some_and(|&t| t < end),
            }
        };
        let mut keys: Vec<SegmentKey> = segment.iter().map(|s| s.key).collect();
        keys.sort();
        keys.dedup();
        let kept = ix
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| !m.bot && keys.iter().all(|&k| of(k).any(|s| holds(s, i, m))))
            .collect();
        Scope { ix, kept, spaces }
    }

    /// Whether member `m` is in the segment.
    pub fn keeps(&self, m: u32) -> bool {
        self.kept.get(m as usize).copied().unwrap_or(false)
    }

    /// The segment's activities in `[from, to)`, in time order.
    pub fn acts(&self, from: i64, to: i64) -> impl Iterator<Item = &'a Act> + '_ {
        self.ix.window(from, to).iter().filter(move |a| {
            self.keeps(a.member)
                && match &self.spaces {
                    None => true,
                    Some(codes) => codes.contains(&a.space),
                }
        })
    }

    /// The members of the segment counted at `to`: joined (or first seen) before it.
    pub fn counted(&self, to: i64) -> Vec<u32> {
        (0..self.ix.members.len() as u32)
            .filter(|&m| self.keeps(m))
            .filter(|&m| self.ix.members[m as usize].since().is_some_and(|s| s < to))
            .collect()
    }
}

/// Whether a time is set.
pub fn is_set(t: i64) -> bool {
    t != NEVER
}
