//! Message templates and role guides: data files under `guides/`, one per language, with
//! English as the fallback for anything a translation lacks.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Role;

/// Languages that have guide texts.
pub const LANGUAGES: [&str; 3] = ["en", "fr", "es"];

const SOURCES: [(&str, &str); 3] = [
    ("en", include_str!("../../guides/en.toml")),
    ("fr", include_str!("../../guides/fr.toml")),
    ("es", include_str!("../../guides/es.toml")),
];

/// One page for one role: what it does, what good looks like, tips.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RoleGuide {
    /// The role.
    pub role: Role,
    /// Its name in this language.
    pub title: String,
    /// What the role does.
    pub does: String,
    /// What good looks like.
    pub good: Vec<String>,
    /// Tips.
    pub tips: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Texts {
    templates: HashMap<String, String>,
    #[serde(rename = "role")]
    roles: Vec<RoleGuide>,
}

fn all() -> &'static HashMap<&'static str, Texts> {
    static TEXTS: OnceLock<HashMap<&'static str, Texts>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        SOURCES
            .iter()
            .filter_map(|(lang, text)| toml::from_str(text).ok().map(|t| (*lang, t)))
            .collect()
    })
}

/// The language used for `wanted` (e.g. `fr`, `fr-CA`, `FR`): itself if Tend has texts in
/// it, else English.
pub fn language(wanted: Option<&str>) -> &'static str {
    let base = wanted
        .unwrap_or("en")
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|l| **l == base)
        .copied()
        .unwrap_or("en")
}

/// A message template in `lang` (English if missing there); empty if unknown.
pub fn template(lang: &str, name: &str) -> String {
    let texts = all();
    texts
        .get(language(Some(lang)))
        .and_then(|t| t.templates.get(name))
        .or_else(|| texts.get("en").and_then(|t| t.templates.get(name)))
        .cloned()
        .unwrap_or_default()
}

/// Fills `{key}` placeholders; unknown ones stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_string(), |acc, (k, v)| {
        acc.replace(&format!("{{{k}}}"), v)
    })
}

/// The role guides in `lang`, in the roles' usual order, English for any missing.
pub fn role_guides(lang: &str) -> Vec<RoleGuide> {
    let texts = all();
    let pick = |l: &str, role: Role| {
        texts
            .get(l)
            .and_then(|t| t.roles.iter().find(|g| g.role == role))
            .cloned()
    };
    Role::ALL
        .iter()
        .filter_map(|r| pick(language(Some(lang)), *r).or_else(|| pick("en", *r)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_parses_and_has_every_template_and_role() {
        for lang in LANGUAGES {
            let t = all().get(lang).unwrap_or_else(|| panic!("{lang} parses"));
            for name in ["welcome", "answer", "checkin", "champion", "plan", "report"] {
                assert!(t.templates.contains_key(name), "{lang}: {name}");
            }
            assert_eq!(t.roles.len(), 5, "{lang}");
        }
    }

    #[test]
    fn templates_follow_the_language_and_fall_back_to_english() {
        assert!(template("fr-CA", "welcome").starts_with("Bonjour {name}"));
        assert!(template("de", "welcome").starts_with("Hi {name}"));
        assert_eq!(fill("Hi {name}, {x}", &[("name", "Ana")]), "Hi Ana, {x}");
    }
}
