//! What each space is for. A community of practice uses each of its spaces (channel,
//! category, list, event series) for a purpose: to inspire, connect, learn, co-create,
//! educate, train or get feedback (the practice texts in `shared/seeds`). The facilitator
//! tags spaces by name; the tags are shared settings (`space.purposes.<name>`), so they
//! sync, sealed, like every other edit, and a record carrying an unknown purpose is refused.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::Store;

/// What a space is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[derive(strum::VariantArray)]
pub enum Purpose {
    /// Stories and examples that spark ideas.
    Inspire,
    /// Meeting peers and experts.
    Connect,
    /// Asking, answering, sharing what works.
    Learn,
    /// Making something together.
    CoCreate,
    /// Guides and courses.
    Educate,
    /// Practice sessions and trainings.
    Train,
    /// Asking for and giving feedback.
    Feedback,
}

impl Purpose {
    /// Every purpose, in the order lists show them; the declaration's order, so a new one is never
    /// left out.
    pub const ALL: &'static [Purpose] = <Purpose as strum::VariantArray>::VARIANTS;

    /// Its name on the command line and in the stored setting (`co-create`).
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Inspire => "inspire",
            Purpose::Connect => "connect",
            Purpose::Learn => "learn",
            Purpose::CoCreate => "co-create",
            Purpose::Educate => "educate",
            Purpose::Train => "train",
            Purpose::Feedback => "feedback",
        }
    }

    /// The key of its name in [`crate::words`].
    pub fn word_key(self) -> &'static str {
        match self {
            Purpose::Inspire => "purpose.inspire",
            Purpose::Connect => "purpose.connect",
            Purpose::Learn => "purpose.learn",
            Purpose::CoCreate => "purpose.co_create",
            Purpose::Educate => "purpose.educate",
            Purpose::Train => "purpose.train",
            Purpose::Feedback => "purpose.feedback",
        }
    }
}

const PURPOSE_NAMES: &str = "inspire, connect, learn, co-create, educate, train or feedback";

impl FromStr for Purpose {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let folded: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .collect();
        let folded = folded.strip_prefix("get").unwrap_or(&folded);
        Purpose::ALL
            .iter()
            .copied()
            .find(|p| p.name().replace('-', "") == folded)
            .ok_or_else(|| Error::InvalidValue {
                field: "purpose",
                value: s.to_string(),
                expected: PURPOSE_NAMES,
            })
    }
}

/// The start of the shared setting that holds a space's purposes.
pub const PREFIX: &str = crate::settings::SPACE_PURPOSES_PREFIX;

/// The purposes stored for a space: names separated by commas; `None` when any is unknown.
pub fn parse_stored(value: &str) -> Option<Vec<Purpose>> {
    let mut out: Vec<Purpose> = value
        .split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    out.sort();
    out.dedup();
    Some(out)
}

/// The stored form of a list of purposes (sorted, each once).
fn stored(purposes: &[Purpose]) -> String {
    let mut sorted = purposes.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|p| p.name())
        .collect::<Vec<_>>()
        .join(",")
}

/// A space with its purposes, as the app lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SpaceTags {
    /// The space's name, as the data spells it.
    pub space: String,
    /// Its purposes (none yet: untagged).
    pub purposes: Vec<Purpose>,
}

/// Every space's purposes, by space name; a stored value that does not read (never written
/// by Tend; a synced one is checked before it is applied) counts as untagged.
pub async fn tags(store: &Store) -> Result<BTreeMap<String, Vec<Purpose>>> {
    Ok(crate::settings::under(store, PREFIX)
        .await?
        .into_iter()
        .filter_map(|(space, value)| Some((space, parse_stored(&value)?)))
        .filter(|(_, p)| !p.is_empty())
        .collect())
}

/// Every space of the community (by distinct name) with its purposes, by name.
pub async fn list(store: &Store) -> Result<Vec<SpaceTags>> {
    let names: Vec<String> = sqlx::query_scalar("SELECT DISTINCT name FROM spaces ORDER BY name")
        .fetch_all(store.pool())
        .await?;
    let tags = tags(store).await?;
    Ok(names
        .into_iter()
        .map(|space| SpaceTags {
            purposes: tags.get(&space).cloned().unwrap_or_default(),
            space,
        })
        .collect())
}

/// Tags the space named `space` (matched whatever its case and accents) with `purposes`,
/// replacing its tags; none clears them. An unknown space is an error naming the closest.
pub async fn tag(store: &Store, space: &str, purposes: &[Purpose]) -> Result<SpaceTags> {
    let names: Vec<String> = sqlx::query_scalar("SELECT DISTINCT name FROM spaces ORDER BY name")
        .fetch_all(store.pool())
        .await?;
    let name = crate::health::segments::match_name(names.iter().map(String::as_str), space)
        .map_err(|closest| Error::UnknownSpace {
            space: space.to_string(),
            closest,
        })?
        .to_string();
    if name.chars().count() > crate::limits::MAX_NAME_CHARS {
        return Err(Error::InvalidValue {
            field: "space",
            value: name,
            expected: "a space name of at most 200 characters",
        });
    }
    let value = (!purposes.is_empty()).then(|| stored(purposes));
    crate::sync::capture::set_shared(store, &format!("{PREFIX}{name}"), value.as_deref()).await?;
    Ok(SpaceTags {
        space: name,
        purposes: value.as_deref().and_then(parse_stored).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_read_as_people_write_them() {
        for (typed, p) in [
            ("learn", Purpose::Learn),
            ("Co-create", Purpose::CoCreate),
            ("cocreate", Purpose::CoCreate),
            ("co_create", Purpose::CoCreate),
            ("get feedback", Purpose::Feedback),
            ("get-feedback", Purpose::Feedback),
            ("TRAIN", Purpose::Train),
        ] {
            assert_eq!(typed.parse::<Purpose>().expect(typed), p, "{typed}");
        }
        let err = "gossip".parse::<Purpose>().expect_err("unknown");
        assert!(err.to_string().contains("co-create"), "{err}");
    }

    #[test]
    fn the_stored_form_is_sorted_once_each_and_reads_back() {
        let s = stored(&[Purpose::Train, Purpose::Learn, Purpose::Train]);
        assert_eq!(s, "learn,train");
        assert_eq!(parse_stored(&s), Some(vec![Purpose::Learn, Purpose::Train]));
        assert_eq!(parse_stored("learn,gossip"), None);
        assert_eq!(parse_stored(""), Some(vec![]));
    }
}
