//! Onboarding kits: a welcome pack for one member or a cohort, filled from a template and the
//! community's own data, in the member's language, exported as HTML, PDF, Markdown, a ZIP of
//! the three, or the welcome message as plain text.

pub(crate) mod blocks;
pub mod data;
pub mod export;
pub mod html;
pub(crate) mod markdown;
pub mod pdf;
pub mod template;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::guide::texts;
use crate::store::Store;
use data::{Person, Resource};

/// Who a kit is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Audience {
    /// One member, by id (or unique prefix).
    Member(String),
    /// Everyone who joined in a month, `YYYY-MM`.
    Cohort(String),
}

/// What to build.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct KitRequest {
    /// Template name (default `welcome`).
    pub template: Option<String>,
    /// Who it is for.
    pub audience: Audience,
    /// Language; default: the member's (or most of the cohort's), else English.
    pub lang: Option<String>,
    /// Suggested resources (thread ids) the champion dropped.
    #[serde(default)]
    pub drop_resources: Vec<String>,
}

/// One filled section.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KitSection {
    /// The template's section id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Markdown, with every value from the data escaped.
    pub markdown: String,
}

/// A built kit, ready to export.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Kit {
    /// Template name.
    pub template: String,
    /// Language it is written in.
    pub lang: String,
    /// Title.
    pub title: String,
    /// Who it is for, as written in the kit.
    pub recipient: String,
    /// The members it is for.
    pub members: Vec<Person>,
    /// Sections.
    pub sections: Vec<KitSection>,
    /// The welcome message, plain text.
    pub message: String,
    /// Resources suggested from the data (kept and dropped alike).
    pub suggested: Vec<Resource>,
    /// The thread ids dropped.
    pub dropped: Vec<String>,
    /// Why the team's edited template is skipped for the shipped one, if it is (it no
    /// longer parses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub template_problem: Option<String>,
    /// The day it was made (YYYY-MM-DD; [`Kit::date_written`] as the kit writes it).
    pub date: String,
}

impl Kit {
    /// The day it was made, written out in its language ("7 décembre 2026").
    pub fn date_written(&self) -> String {
        crate::time::parse_date("date", &self.date).map_or_else(
            |_| self.date.clone(),
            |d| crate::words::day_long(crate::words::Lang::of(&self.lang), d),
        )
    }
}

/// The language more than half of `people` prefer, if there is one.
fn majority_language(people: &[Person]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for p in people {
        if let Some(l) = p.language.as_deref() {
            *counts.entry(texts::language(Some(l))).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .find(|(_, n)| 2 * n > people.len())
        .map(|(l, _)| l.to_string())
}

/// Builds the kit `req` asks for, as of `day`.
pub async fn build(store: &Store, req: &KitRequest, day: NaiveDate) -> Result<Kit> {
    let people = match &req.audience {
        Audience::Member(id) => vec![data::member(store, id).await?],
        Audience::Cohort(month) => data::cohort(store, month).await?,
    };
    let wanted = req.lang.clone().or_else(|| majority_language(&people));
    let lang = texts::language(wanted.as_deref());
    let name = req.template.as_deref().unwrap_or("welcome");
    let tpl = template::load(store, name, lang).await?;
    let data = data::load(store, day).await?;
    let stage = match &req.audience {
        Audience::Member(_) => blocks::stage_of(store, &people, day).await?,
        Audience::Cohort(_) => None,
    };
    let values = blocks::values(
        &tpl,
        &data,
        &req.audience,
        &people,
        stage,
        &req.drop_resources,
        day,
    );
    let sections = tpl
        .sections
        .iter()
        .map(|s| KitSection {
            id: s.id.clone(),
            title: template::fill(&s.title, &values.markdown),
            markdown: template::fill(&s.body, &values.markdown).trim().to_string(),
        })
        .collect();
    Ok(Kit {
        template: tpl.name.clone(),
        lang: tpl.lang.clone(),
        title: template::fill(&tpl.title, &values.plain),
        recipient: values.plain.get("recipient").cloned().unwrap_or_default(),
        members: people,
        sections,
        message: template::fill(&tpl.message, &values.plain),
        suggested: data.resources,
        dropped: req.drop_resources.clone(),
        date: day.to_string(),
        template_problem: template::stored_problem(store, name, lang).await?,
    })
}

/// The kit as one Markdown document.
pub fn to_markdown(kit: &Kit) -> String {
    let mut out = format!("# {}\n\n", markdown::escape(&kit.title));
    for s in &kit.sections {
        out.push_str(&format!(
            "## {}\n\n{}\n\n",
            markdown::escape(&s.title),
            s.markdown
        ));
    }
    out
}

/// A built kit and the exact HTML that exporting it as `.html` writes (the app previews it).
#[derive(Debug, Clone, Serialize, TS)]
pub struct KitPreview {
    /// The kit.
    pub kit: Kit,
    /// Its HTML document.
    pub html: String,
}

/// Builds the kit and its HTML, for previewing.
pub async fn preview(store: &Store, req: &KitRequest, day: NaiveDate) -> Result<KitPreview> {
    let kit = build(store, req, day).await?;
    let html = html::render(&kit);
    Ok(KitPreview { kit, html })
}
