//! Value-creation stories: what members did with what they learnt, tagged with the cycle of
//! value they show (immediate, potential, applied, realised, reframing).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::ids;
use crate::members;
use crate::store::Store;
use crate::time;

/// The cycles of value creation, after Wenger, Trayner and de Laat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ValueTag {
    /// Taking part was worthwhile in itself.
    Immediate,
    /// Knowledge, tools or connections gained for later.
    Potential,
    /// Practice changed.
    Applied,
    /// Performance improved, with evidence.
    Realised,
    /// How success is defined was rethought.
    Reframing,
}

impl ValueTag {
    /// The name stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueTag::Immediate => "immediate",
            ValueTag::Potential => "potential",
            ValueTag::Applied => "applied",
            ValueTag::Realised => "realised",
            ValueTag::Reframing => "reframing",
        }
    }

    /// Parses a tag's name.
    pub fn parse(s: &str) -> Result<ValueTag> {
        let all = [
            ValueTag::Immediate,
            ValueTag::Potential,
            ValueTag::Applied,
            ValueTag::Realised,
            ValueTag::Reframing,
        ];
        let s = s
            .trim()
            .to_ascii_lowercase()
            .replace("realized", "realised");
        all.into_iter()
            .find(|t| t.as_str() == s)
            .ok_or(Error::InvalidValue {
                field: "value tag",
                value: s,
                expected: "immediate, potential, applied, realised or reframing",
            })
    }
}

/// A story as told.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Story {
    /// Id.
    pub id: String,
    /// The day it was told, YYYY-MM-DD.
    pub told_on: String,
    /// Its cycle of value.
    pub tag: ValueTag,
    /// The member it is about, if any.
    pub member_id: Option<String>,
    /// The member's name (or alias, in a pseudonymised report).
    pub member_name: Option<String>,
    /// A one-line title.
    pub title: String,
    /// The story.
    pub text: String,
}

/// A story to add.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewStory {
    /// The day, YYYY-MM-DD (default: today).
    pub told_on: Option<String>,
    /// Its cycle of value.
    pub tag: ValueTag,
    /// The member, by id or prefix.
    pub member: Option<String>,
    /// Title.
    pub title: String,
    /// The story.
    pub text: String,
}

/// Adds a story; returns its id.
pub async fn add(store: &Store, story: &NewStory) -> Result<String> {
    if story.title.trim().is_empty() {
        return Err(Error::InvalidValue {
            field: "title",
            value: String::new(),
            expected: "a one-line title",
        });
    }
    let member = match story.member.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(m) => Some(members::resolve_id(store, m).await?),
        None => None,
    };
    let day = match &story.told_on {
        Some(d) => time::parse_date("told_on", d)?,
        None => time::today(),
    };
    let id = ids::new_id();
    let query = sqlx::query("INSERT INTO stories (id, told_on, tag, member_id, title, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(&id)
        .bind(day.to_string())
        .bind(story.tag.as_str())
        .bind(member)
        .bind(story.title.trim())
        .bind(story.text.trim())
        .bind(time::now());
    crate::sync::capture::tracked_row(store, crate::sync::tables::STORIES, &id, query).await?;
    Ok(id)
}

/// Removes a story.
pub async fn remove(store: &Store, id: &str) -> Result<()> {
    let query = sqlx::query("DELETE FROM stories WHERE id = ?").bind(id);
    crate::sync::capture::tracked_row(store, crate::sync::tables::STORIES, id, query).await?;
    Ok(())
}

fn story(r: &sqlx::sqlite::SqliteRow) -> Result<Story> {
    use sqlx::Row;
    Ok(Story {
        id: r.try_get("id")?,
        told_on: r.try_get("told_on")?,
        tag: ValueTag::parse(&r.try_get::<String, _>("tag")?)?,
        member_id: r.try_get("member_id")?,
        member_name: r.try_get("display_name")?,
        title: r.try_get("title")?,
        text: r.try_get("text")?,
    })
}

/// Stories told between two days (inclusive), newest first.
pub async fn list(store: &Store, from: &str, to: &str) -> Result<Vec<Story>> {
    sqlx::query(
        "SELECT s.id, s.told_on, s.tag, s.member_id, m.display_name, s.title, s.text FROM stories s
         LEFT JOIN members m ON m.id = s.member_id WHERE s.told_on >= ? AND s.told_on <= ?
         ORDER BY s.told_on DESC, s.id DESC",
    )
    .bind(from)
    .bind(to)
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(story)
    .collect()
}

/// The stories told in `period`, as the report lists them.
pub async fn in_period(store: &Store, period: crate::health::Period) -> Result<Vec<Story>> {
    let (from, to) = (period.first_day(), period.last_day());
    list(store, &from.to_string(), &to.to_string()).await
}
