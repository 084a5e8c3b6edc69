//! Kit templates: TOML data whose sections are Markdown with `{placeholders}`. The shipped
//! default exists in English, French and Spanish; edited copies live in the store.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::Store;
use crate::time;

const SHIPPED: [(&str, &str, &str); 3] = [
    ("welcome", "en", include_str!("../../kits/welcome.en.toml")),
    ("welcome", "fr", include_str!("../../kits/welcome.fr.toml")),
    ("welcome", "es", include_str!("../../kits/welcome.es.toml")),
];

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 16] = [
    "greeting",
    "community",
    "purpose",
    "recipient",
    "first_name",
    "buddy",
    "facilitator",
    "contact",
    "date",
    "questions_space",
    "who_is_who",
    "spaces",
    "first_steps",
    "resources",
    "events",
    "contacts",
];

/// One section of a kit template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct SectionTemplate {
    /// Stable id, e.g. `norms`.
    pub id: String,
    /// Heading (may hold placeholders).
    pub title: String,
    /// Markdown body with placeholders.
    pub body: String,
}

/// A whole kit template.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitTemplate {
    /// Its name, e.g. `welcome`.
    pub name: String,
    /// Its language (`en`, `fr`, `es`, …).
    pub lang: String,
    /// The kit's title.
    pub title: String,
    /// The welcome message to paste into chat or e-mail.
    pub message: String,
    /// Sections in order.
    #[serde(rename = "section")]
    pub sections: Vec<SectionTemplate>,
    /// Words used inside the blocks Tend fills from the data.
    pub words: HashMap<String, toml::Value>,
}

impl KitTemplate {
    /// A word of the template's `[words]` table, or the key itself.
    pub fn word(&self, key: &str) -> String {
        self.words
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(key)
            .to_string()
    }

    /// A list of the `[words]` table (such as `first_steps`).
    pub fn words_list(&self, key: &str) -> Vec<String> {
        self.words
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn invalid(name: &str, message: String) -> Error {
    Error::Template {
        name: name.to_string(),
        message,
    }
}

/// The placeholders used in `text`, in order; `{{` and `}}` are literal braces.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text.replace("{{", "").replace("}}", "");
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_string());
        rest = after[end + 1..].to_string();
    }
    out
}

/// Parses a template's TOML and checks every placeholder; `origin` names it in errors.
pub fn parse(origin: &str, text: &str) -> Result<KitTemplate> {
    let t: KitTemplate = toml::from_str(text).map_err(|e| invalid(origin, e.to_string()))?;
    let mut texts = vec![("title", t.title.as_str()), ("message", t.message.as_str())];
    for s in &t.sections {
        texts.push((s.id.as_str(), s.title.as_str()));
        texts.push((s.id.as_str(), s.body.as_str()));
    }
    for (place, text) in texts {
        if let Some(bad) = placeholders(text)
            .into_iter()
            .find(|p| !PLACEHOLDERS.contains(&p.as_str()))
        {
            return Err(invalid(
                origin,
                format!(
                    "unknown placeholder {{{bad}}} in '{place}' — the placeholders are {}",
                    PLACEHOLDERS.join(", ")
                ),
            ));
        }
    }
    Ok(t)
}

/// Replaces placeholders with `values` (all are known: [`parse`] checked them).
pub fn fill(text: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if let (true, Some(end)) = (tail.starts_with('{'), tail.find('}')) {
            out.push_str(values.get(&tail[1..end]).map_or("", String::as_str));
            rest = &tail[end + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

async fn edited(store: &Store, name: &str, lang: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT body FROM kit_templates WHERE name = ? AND lang = ?")
            .bind(name)
            .bind(lang)
            .fetch_optional(store.pool())
            .await?,
    )
}

/// The shipped template `name` in `lang`, else in English: its origin and text.
fn shipped(name: &str, lang: &str) -> Option<(String, &'static str)> {
    SHIPPED
        .iter()
        .find(|(n, l, _)| *n == name && *l == lang)
        .or_else(|| SHIPPED.iter().find(|(n, l, _)| *n == name && *l == "en"))
        .map(|(n, l, text)| (format!("kits/{n}.{l}.toml"), *text))
}

fn unknown(name: &str) -> Error {
    invalid(
        name,
        "no such kit template — the shipped one is 'welcome'".into(),
    )
}

/// The template `name` in `lang`: an edited copy if stored (with the shipped template's
/// words it lacks, such as those added since it was edited), else the shipped one (English
/// when the language has none).
pub async fn load(store: &Store, name: &str, lang: &str) -> Result<KitTemplate> {
    // An edited copy that no longer parses (synced from a Tend that did not check it) is
    // skipped for the shipped one: see [`stored_problem`].
    let body = edited(store, name, lang).await?;
    if let Some(Ok(mut t)) = body.map(|b| parse(&edited_origin(name, lang), &b)) {
        let shipped = shipped(name, lang).or_else(|| shipped("welcome", lang));
        if let Some(Ok(s)) = shipped.map(|(origin, text)| parse(&origin, text)) {
            for (key, word) in s.words {
                t.words.entry(key).or_insert(word);
            }
        }
        return Ok(t);
    }
    let (origin, text) = shipped(name, lang).ok_or_else(|| unknown(name))?;
    parse(&origin, text)
}

fn edited_origin(name: &str, lang: &str) -> String {
    format!("kit template {name} ({lang}, edited)")
}

/// Why the edited template `name` in `lang` is skipped for the shipped one, if it is.
pub async fn stored_problem(store: &Store, name: &str, lang: &str) -> Result<Option<String>> {
    let body = edited(store, name, lang).await?;
    Ok(body.and_then(|b| {
        parse(&edited_origin(name, lang), &b)
            .err()
            .map(|e| e.to_string())
    }))
}

/// The TOML text of template `name` in `lang` (edited, else shipped).
pub async fn text(store: &Store, name: &str, lang: &str) -> Result<String> {
    if let Some(body) = edited(store, name, lang).await? {
        return Ok(body);
    }
    shipped(name, lang)
        .map(|(_, t)| t.to_string())
        .ok_or_else(|| unknown(name))
}

/// The parts of a template the app edits as a form: its title, message and sections (the
/// `[words]` Tend fills its blocks with stay as they are, editable as text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TemplateForm {
    /// The template's name, e.g. `welcome`.
    pub name: String,
    /// Its language.
    pub lang: String,
    /// The kit's title.
    pub title: String,
    /// The welcome message to paste into chat or e-mail.
    pub message: String,
    /// Sections in order.
    pub sections: Vec<SectionTemplate>,
    /// The placeholders the texts may use, to show beside the form (ignored when saving).
    #[serde(default)]
    pub placeholders: Vec<String>,
}

/// The template `name` in `lang` as the form shows it.
pub async fn form(store: &Store, name: &str, lang: &str) -> Result<TemplateForm> {
    let t = load(store, name, lang).await?;
    Ok(TemplateForm {
        name: t.name,
        lang: lang.to_string(),
        title: t.title,
        message: t.message,
        sections: t.sections,
        placeholders: PLACEHOLDERS.iter().map(|p| p.to_string()).collect(),
    })
}

/// Saves a template edited as a form: its words kept from the template it edits, written as
/// TOML, then checked and stored like edited text ([`save`]).
pub async fn save_form(store: &Store, f: &TemplateForm) -> Result<KitTemplate> {
    let mut t = load(store, &f.name, &f.lang).await?;
    t.lang = f.lang.clone();
    t.title = f.title.clone();
    t.message = f.message.clone();
    t.sections = f.sections.clone();
    let text = toml::to_string(&t).map_err(|e| invalid(&f.name, e.to_string()))?;
    save(
        store,
        &format!("kit template {} ({}) form", f.name, f.lang),
        &text,
    )
    .await
}

/// Checks and stores an edited template under its own name and language.
pub async fn save(store: &Store, origin: &str, text: &str) -> Result<KitTemplate> {
    let t = parse(origin, text)?;
    let query = sqlx::query(
        "INSERT INTO kit_templates (name, lang, body, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(name, lang) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(&t.name)
    .bind(&t.lang)
    .bind(text)
    .bind(time::now());
    let filter = "name = ? AND lang = ?";
    crate::sync::capture::tracked(
        store,
        crate::sync::tables::KIT_TEMPLATES,
        filter,
        &[&t.name, &t.lang],
        query,
    )
    .await?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_template_parses() {
        for (name, lang, text) in SHIPPED {
            let t = parse(name, text).unwrap_or_else(|e| panic!("{lang}: {e}"));
            assert_eq!(t.sections.len(), 9, "{lang}");
            assert_eq!(t.words_list("first_steps").len(), 5, "{lang}");
        }
    }

    #[test]
    fn an_unknown_placeholder_is_named() {
        let text = SHIPPED[0]
            .2
            .replace("{contact} And please", "{contatc} And please");
        let err = parse("mine.toml", &text).unwrap_err().to_string();
        assert!(
            err.contains("mine.toml") && err.contains("{contatc}") && err.contains("'message'"),
            "{err}"
        );
    }

    #[test]
    fn fill_replaces_known_values_and_keeps_doubled_braces() {
        let values = HashMap::from([("community", "CoP".to_string())]);
        assert_eq!(fill("{{x}} {community}!", &values), "{x} CoP!");
        assert_eq!(placeholders("{{a}} {b} {c}"), ["b", "c"]);
    }
}
