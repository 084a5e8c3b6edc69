//! What a kit reads from the community: the roster by role, the spaces, the most-replied
//! threads of the last months, past events, and the recipient (one member or a cohort).

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::guide::facts;
use crate::members;
use crate::model::{ActivityKind, Role};
use crate::store::Store;
use crate::time;

/// A person named in the kit.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Person {
    /// Global id.
    pub id: String,
    /// Name (untrusted text).
    pub name: String,
    /// Role.
    pub role: Role,
    /// Country.
    pub country: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// E-mail (for contacts).
    pub email: Option<String>,
    /// Preferred language.
    pub language: Option<String>,
    /// Joined (YYYY-MM-DD).
    pub joined: Option<String>,
}

/// A space and how busy it was.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SpaceUse {
    /// Name (untrusted text).
    pub name: String,
    /// Activities in the last 90 days.
    pub activities: u32,
}

/// A thread suggested as a key resource.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Resource {
    /// The thread's activity id (to drop it from a kit).
    pub id: String,
    /// Its title (untrusted text).
    pub title: String,
    /// Where it is.
    pub space: Option<String>,
    /// Replies it got.
    pub replies: u32,
}

/// A past event.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EventUse {
    /// Name (untrusted text).
    pub name: String,
    /// Day of the last attendance (YYYY-MM-DD).
    pub date: String,
    /// People who attended.
    pub attended: u32,
}

/// Everything a kit is filled from.
#[derive(Debug, Clone)]
pub struct KitData {
    /// Community name.
    pub community: String,
    /// Its purpose.
    pub purpose: String,
    /// Leaders, facilitators, sponsors and champions.
    pub team: Vec<Person>,
    /// Spaces, busiest first.
    pub spaces: Vec<SpaceUse>,
    /// Suggested resources, most replied first.
    pub resources: Vec<Resource>,
    /// Past events, newest first.
    pub events: Vec<EventUse>,
}

fn person(r: &sqlx::sqlite::SqliteRow) -> Result<Person> {
    Ok(Person {
        id: r.try_get("id")?,
        name: r.try_get("display_name")?,
        role: r.try_get::<String, _>("role")?.parse()?,
        country: r.try_get("country")?,
        organisation: r.try_get("organisation")?,
        email: r.try_get("email")?,
        language: r.try_get("language")?,
        joined: r
            .try_get::<Option<String>, _>("joined_at")?
            .map(|j| j.chars().take(10).collect()),
    })
}

const PERSON: &str =
    "SELECT id, display_name, role, country, organisation, email, language, joined_at FROM members";

/// The community's data for a kit made on `day`.
pub async fn load(store: &Store, day: NaiveDate) -> Result<KitData> {
    let pool = store.pool();
    let (name, purpose): (String, String) =
        sqlx::query_as("SELECT name, purpose FROM community LIMIT 1")
            .fetch_optional(pool)
            .await?
            .ok_or(Error::NoCommunity)?;
    let team = sqlx::query(&format!(
        "{PERSON} WHERE is_bot = 0 AND role <> 'member'
         ORDER BY (SELECT rank FROM roles WHERE roles.name = members.role), display_name"
    ))
    .fetch_all(pool)
    .await?
    .iter()
    .map(person)
    .collect::<Result<Vec<_>>>()?;
    let end = facts::end_of(day);
    let since = (end - Duration::days(90)).timestamp();
    let end = end.timestamp();
    let spaces = sqlx::query(
        "SELECT s.name, IFNULL(a.n, 0) AS n FROM spaces s LEFT JOIN
           (SELECT space, COUNT(*) AS n FROM activity WHERE at >= ?1 AND at < ?2 AND kind <> ?3
            GROUP BY space) a ON a.space = (SELECT n FROM keys WHERE id = s.id)
         WHERE s.kind <> 'event' ORDER BY n DESC, s.name LIMIT 12",
    )
    .bind(since)
    .bind(end)
    .bind(ActivityKind::Join.code())
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(SpaceUse {
            name: r.try_get("name")?,
            activities: r.try_get::<i64, _>("n")?.try_into().unwrap_or(0),
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(KitData {
        community: name,
        purpose,
        team,
        spaces,
        resources: resources(store, since, end).await?,
        events: events(store, end).await?,
    })
}

/// How many threads a kit suggests as key resources.
pub const MAX_RESOURCES: usize = 5;

async fn resources(store: &Store, since: i64, end: i64) -> Result<Vec<Resource>> {
    sqlx::query(&format!(
        "SELECT {} AS id, t.title, s.name AS space,
           (SELECT COUNT(*) FROM activity r WHERE r.root = t.n AND r.kind = ?4 AND r.at < ?2) AS replies
         FROM activity t LEFT JOIN keys sk ON sk.n = t.space LEFT JOIN spaces s ON s.id = sk.id
         WHERE t.kind = ?3 AND t.at >= ?1 AND t.at < ?2
           AND t.title IS NOT NULL AND trim(t.title) <> ''
         ORDER BY replies DESC, t.at DESC LIMIT ?5",
        crate::ids::sql_uuid("t.gid")
    ))
    .bind(since)
    .bind(end)
    .bind(ActivityKind::Post.code())
    .bind(ActivityKind::Reply.code())
    .bind(8 * MAX_RESOURCES as i64)
    .fetch_all(store.pool())
    .await?
    .iter()
    .filter(|r| r.try_get::<i64, _>("replies").is_ok_and(|n| n > 0))
    // Introductions are not resources (the one rule: `health::index::is_intro_space`).
    .filter(|r| {
        r.try_get::<Option<String>, _>("space")
            .is_ok_and(|s| !s.as_deref().is_some_and(crate::health::index::is_intro_space))
    })
    .map(|r| {
        Ok(Resource {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            space: r.try_get("space")?,
            replies: r.try_get::<i64, _>("replies")?.try_into().unwrap_or(0),
        })
    })
    .collect::<Result<Vec<Resource>>>()
    .map(distinct_titles)
}

/// The most replied thread of each title (folded, so "Chlorine dosing?" and "chlorine
/// dosing" are one), at most [`MAX_RESOURCES`]: what the app lists is what the kit holds.
fn distinct_titles(all: Vec<Resource>) -> Vec<Resource> {
    let mut seen = std::collections::HashSet::new();
    all.into_iter()
        .filter(|r| seen.insert(crate::search::fold(&r.title)))
        .take(MAX_RESOURCES)
        .collect()
}

async fn events(store: &Store, end: i64) -> Result<Vec<EventUse>> {
    sqlx::query(&format!(
        "SELECT s.name, {} AS last, COUNT(DISTINCT a.member) AS n
         FROM spaces s JOIN keys sk ON sk.id = s.id
         JOIN activity a ON a.space = sk.n AND a.kind = ? AND a.at < ?
         WHERE s.kind = 'event' GROUP BY s.id ORDER BY MAX(a.at) DESC LIMIT 3",
        time::sql_text("MAX(a.at)")
    ))
    .bind(ActivityKind::Attendance.code())
    .bind(end)
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(EventUse {
            name: r.try_get("name")?,
            date: r.try_get::<String, _>("last")?.chars().take(10).collect(),
            attended: r.try_get::<i64, _>("n")?.try_into().unwrap_or(0),
        })
    })
    .collect()
}

/// One member, by id or unique prefix.
pub async fn member(store: &Store, id: &str) -> Result<Person> {
    let id = members::resolve_id(store, id).await?;
    let row = sqlx::query(&format!("{PERSON} WHERE id = ?"))
        .bind(&id)
        .fetch_one(store.pool())
        .await?;
    person(&row)
}

/// Everyone (not bots) who joined in `month` (`YYYY-MM`).
pub async fn cohort(store: &Store, month: &str) -> Result<Vec<Person>> {
    let valid =
        month.len() == 7 && NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok();
    if !valid {
        return Err(Error::InvalidValue {
            field: "cohort",
            value: month.to_string(),
            expected: "a month such as 2026-03",
        });
    }
    sqlx::query(&format!(
        "{PERSON} WHERE is_bot = 0 AND substr(joined_at, 1, 7) = ? ORDER BY display_name"
    ))
    .bind(month)
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(person)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(id: &str, title: &str, replies: u32) -> Resource {
        Resource {
            id: id.into(),
            title: title.into(),
            space: None,
            replies,
        }
    }

    #[test]
    fn suggestions_keep_the_most_replied_thread_of_each_title_and_at_most_five() {
        let all = vec![
            thread("a", "Chlorine dosing?", 9),
            thread("b", "chlorine  DOSING", 7),
            thread("c", "Budget a field visit", 6),
            thread("d", "Radio scripts", 5),
            thread("e", "Hand pumps", 4),
            thread("f", "Latrine slabs", 3),
            thread("g", "Water tests", 2),
        ];
        let kept: Vec<String> = distinct_titles(all).into_iter().map(|r| r.id).collect();
        assert_eq!(kept, ["a", "c", "d", "e", "f"]);
    }
}
