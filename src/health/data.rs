//! What the metrics read: the community's [`Index`] narrowed to one segment.

use std::fmt;
use std::str::FromStr;

use super::index::{month_index, month_name, Act, Index, Member, NEVER};
use crate::error::{Error, Result};
use crate::model::Role;

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

/// The index narrowed to a segment: which members count, and (for a space) which
/// activities.
#[derive(Debug)]
pub struct Scope<'a> {
    /// The whole community.
    pub ix: &'a Index,
    /// Whether each member (by index) is in the segment; bots never are.
    pub kept: Vec<bool>,
    /// For a space segment, the space's code (`None` for a space nobody used).
    pub space: Option<Option<u32>>,
}

impl<'a> Scope<'a> {
    /// The members and activities of `segment`; a space's members are those who took part
    /// there before `end`.
    pub fn new(ix: &'a Index, segment: Option<&Segment>, end: i64) -> Scope<'a> {
        let space = segment
            .filter(|s| s.key == SegmentKey::Space)
            .map(|s| ix.space_code(&s.value));
        let in_segment = |i: usize, m: &Member| {
            let Some(s) = segment else { return true };
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
                SegmentKey::Space => space.flatten().is_some_and(|code| {
                    ix.space_first
                        .get(&(code, i as u32))
                        .is_some_and(|&t| t < end)
                }),
            }
        };
        let kept = ix
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| !m.bot && in_segment(i, m))
            .collect();
        Scope { ix, kept, space }
    }

    /// Whether member `m` is in the segment.
    pub fn keeps(&self, m: u32) -> bool {
        self.kept.get(m as usize).copied().unwrap_or(false)
    }

    /// The segment's activities in `[from, to)`, in time order.
    pub fn acts(&self, from: i64, to: i64) -> impl Iterator<Item = &'a Act> + '_ {
        self.ix.window(from, to).iter().filter(move |a| {
            self.keeps(a.member)
                && match self.space {
                    None => true,
                    Some(code) => Some(a.space) == code,
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
