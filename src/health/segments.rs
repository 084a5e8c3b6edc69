//! The values a segment can take, each with how many members it holds, and the one rule
//! that matches a typed value to them: case, accents and scripts folded (`search::fold`),
//! an unknown value refused with the closest ones named.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use super::data::{Segment, SegmentKey};
use super::index::{month_index, month_name, Index, NONE};
use crate::error::{Error, Result};
use crate::model::Role;
use crate::search::fold;
use crate::store::Store;

/// One value of a segment key, as the app lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SegmentValue {
    /// The value, as the data spells it.
    pub value: String,
    /// Members (not bots) it holds: for a space, those who took part there.
    #[ts(type = "number")]
    pub members: i64,
}

/// Every value of `key` in the community, most members first.
pub fn values(ix: &Index, key: SegmentKey) -> Vec<SegmentValue> {
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    let people = ix.members.iter().enumerate().filter(|(_, m)| !m.bot);
    let mut add = |name: Option<&str>| {
        if let Some(n) = name.filter(|n| !n.is_empty()) {
            *counts.entry(n.to_string()).or_default() += 1;
        }
    };
    let named = |code: u32, names: &[String]| -> Option<String> {
        (code != NONE)
            .then(|| names.get(code as usize).cloned())
            .flatten()
    };
    match key {
        SegmentKey::Country => {
            people.for_each(|(_, m)| add(named(m.country, &ix.countries).as_deref()))
        }
        SegmentKey::Organisation => {
            people.for_each(|(_, m)| add(named(m.organisation, &ix.organisations).as_deref()))
        }
        SegmentKey::Role => people.for_each(|(_, m)| add(Some(m.role.as_str()))),
        SegmentKey::Cohort => {
            people.for_each(|(_, m)| add(m.joined.map(|j| month_name(month_index(j))).as_deref()))
        }
        SegmentKey::Space => {
            for &(space, member) in ix.space_first.keys() {
                let person = ix.members.get(member as usize).is_some_and(|m| !m.bot);
                if person {
                    add(ix.spaces.get(space as usize).map(String::as_str));
                }
            }
        }
    }
    let mut out: Vec<SegmentValue> = counts
        .into_iter()
        .map(|(value, members)| SegmentValue { value, members })
        .collect();
    out.sort_by(|a, b| {
        b.members
            .cmp(&a.members)
            .then_with(|| a.value.cmp(&b.value))
    });
    out
}

/// How many closest values an unknown one is answered with.
const CLOSEST: usize = 5;

/// The segment with its value spelled as the data spells it ("wateraid" → "WaterAid"), or
/// an error naming the closest values when none matches.
pub fn resolve(ix: &Index, segment: &Segment) -> Result<Segment> {
    if segment.key == SegmentKey::Role {
        let role: Role = segment.value.parse()?;
        return Ok(Segment {
            key: segment.key,
            value: role.as_str().to_string(),
        });
    }
    let known = values(ix, segment.key);
    match match_name(known.iter().map(|v| v.value.as_str()), &segment.value) {
        Ok(value) => Ok(Segment {
            key: segment.key,
            value: value.to_string(),
        }),
        Err(closest) => Err(Error::UnknownSegment {
            segment: segment.to_string(),
            closest,
        }),
    }
}

/// The one rule that matches a typed name to the names that exist (best first): the name
/// it folds to (case, accents and scripts, `search::fold`), or else the closest few,
/// comma-separated, for the error. Segment values and space names both use it.
pub fn match_name<'a>(
    names: impl IntoIterator<Item = &'a str>,
    typed: &str,
) -> std::result::Result<&'a str, String> {
    let folded = fold(typed);
    let names: Vec<&str> = names.into_iter().collect();
    if let Some(n) = names.iter().find(|n| fold(n) == folded) {
        return Ok(n);
    }
    let mut closest: Vec<(usize, &str)> = names
        .iter()
        .map(|n| (likeness(&fold(n), &folded), *n))
        .collect();
    // Stable: equally alike names keep their order (most members first).
    closest.sort_by_key(|c| std::cmp::Reverse(c.0));
    let shown: Vec<&str> = closest.iter().take(CLOSEST).map(|(_, n)| *n).collect();
    Err(if shown.is_empty() {
        "none: this community has no such values yet".into()
    } else {
        shown.join(", ")
    })
}

/// How alike two folded values are: a shared start counts most, then containing the other.
fn likeness(value: &str, typed: &str) -> usize {
    let prefix = value
        .chars()
        .zip(typed.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let contains =
        usize::from(!typed.is_empty() && (value.contains(typed) || typed.contains(value)));
    prefix * 2 + contains * 3
}

/// Every condition of a segment resolved (see [`resolve`]), each once.
pub fn resolve_all(ix: &Index, segment: &[Segment]) -> Result<Vec<Segment>> {
    let mut out: Vec<Segment> = Vec::with_capacity(segment.len());
    for s in segment {
        let s = resolve(ix, s)?;
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// Every value of `key` in the store's community (reads the kept index).
pub async fn values_of(store: &Store, key: SegmentKey) -> Result<Vec<SegmentValue>> {
    let ix = super::load::index(store).await?;
    Ok(values(&ix, key))
}

/// Each condition of `segment` as a reader says it in `lang`: a country by its name in that
/// language, a role by its word, a cohort by its month, a space or organisation as named.
/// The charts' note and the report's line both say the segment this way, as the window does.
pub fn in_words(segment: &[Segment], lang: crate::words::Lang) -> Vec<String> {
    segment
        .iter()
        .map(|s| match s.key {
            SegmentKey::Country => crate::countries::name_in(&s.value, lang.code())
                .map_or_else(|| s.value.clone(), str::to_string),
            SegmentKey::Role => crate::words::text(lang, &format!("role.{}", s.value)),
            SegmentKey::Cohort => crate::words::month_label(lang, &s.value),
            SegmentKey::Space | SegmentKey::Organisation => s.value.clone(),
        })
        .collect()
}
