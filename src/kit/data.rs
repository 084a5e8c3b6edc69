//! What a kit reads from the community: the roster by role, the spaces with life, the
//! most-replied threads of the last months, past events, and the recipient (one member or a
//! cohort). "The last months" are the 90 days up to the kit's day, or, for an archive quiet
//! through those, the 90 days up to its last activity.

use chrono::{DateTime, Duration, NaiveDate};
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
    /// The name to greet them by (`members::greeting_name`; untrusted text).
    pub greeting: String,
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
    /// Name as a person would recognise it ([`space_name`]; untrusted text).
    pub name: String,
    /// Activities in the kit's 90 days (never 0: a space without any is not listed).
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
    /// Spaces with activity in the kit's 90 days, busiest first.
    pub spaces: Vec<SpaceUse>,
    /// The community's last active day, when nothing happened in the 90 days up to the
    /// kit's day (an archive): its spaces and resources are counted over the 90 days up to
    /// this day instead.
    pub last_active: Option<NaiveDate>,
    /// Suggested resources, most replied first.
    pub resources: Vec<Resource>,
    /// Past events, newest first.
    pub events: Vec<EventUse>,
}

fn person(r: &sqlx::sqlite::SqliteRow) -> Result<Person> {
    let name: String = r.try_get("display_name")?;
    let preferred: Option<String> = r.try_get("preferred_name")?;
    Ok(Person {
        id: r.try_get("id")?,
        greeting: crate::members::greeting_name(preferred.as_deref(), &name).to_string(),
        name,
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
    "SELECT id, display_name, preferred_name, role, country, organisation, email, language, joined_at FROM members";

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
    let window = Window::of(store, day).await?;
    Ok(KitData {
        community: name,
        purpose,
        team,
        spaces: spaces(store, &window).await?,
        last_active: window.last_active,
        resources: resources(store, window.since, window.end).await?,
        events: events(store, facts::end_of(day).timestamp()).await?,
    })
}

/// The 90 days a kit counts activity over, as Unix seconds `[since, end)`.
struct Window {
    since: i64,
    end: i64,
    /// Set when the window ends on the community's last active day rather than the kit's.
    last_active: Option<NaiveDate>,
}

impl Window {
    /// The 90 days up to the end of `day`; for a community quiet through all of them (an
    /// archive), the 90 days up to the end of its last active day, so the kit shows the life
    /// it had rather than nothing.
    async fn of(store: &Store, day: NaiveDate) -> Result<Window> {
        let end = facts::end_of(day);
        let since = end - Duration::days(90);
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(at) FROM activity WHERE at < ? AND kind <> ?")
                .bind(end.timestamp())
                .bind(ActivityKind::Join.code())
                .fetch_one(store.pool())
                .await?;
        let last_day = last
            .filter(|at| *at < since.timestamp())
            .and_then(|at| DateTime::from_timestamp(at, 0))
            .map(|t| t.date_naive());
        let end = last_day.map_or(end, facts::end_of);
        Ok(Window {
            since: (end - Duration::days(90)).timestamp(),
            end: end.timestamp(),
            last_active: last_day,
        })
    }
}

/// How many spaces a kit lists.
const MAX_SPACES: usize = 12;

/// Spaces (events aside) with activity in the window, by the name a person would recognise,
/// busiest first; two spaces that read the same are counted as one.
async fn spaces(store: &Store, w: &Window) -> Result<Vec<SpaceUse>> {
    let rows = sqlx::query(
        "SELECT s.name, a.n FROM spaces s JOIN keys k ON k.id = s.id JOIN
           (SELECT space, COUNT(*) AS n FROM activity WHERE at >= ?1 AND at < ?2 AND kind <> ?3
            GROUP BY space) a ON a.space = k.n
         WHERE s.kind <> 'event' ORDER BY a.n DESC, s.name LIMIT ?4",
    )
    .bind(w.since)
    .bind(w.end)
    .bind(ActivityKind::Join.code())
    .bind(4 * MAX_SPACES as i64)
    .fetch_all(store.pool())
    .await?;
    let mut out: Vec<SpaceUse> = Vec::new();
    for r in &rows {
        let Some(name) = space_name(&r.try_get::<String, _>("name")?) else {
            continue;
        };
        let n: u32 = r.try_get::<i64, _>("n")?.try_into().unwrap_or(u32::MAX);
        match out.iter_mut().find(|s| s.name == name) {
            Some(s) => s.activities = s.activities.saturating_add(n),
            None => out.push(SpaceUse {
                name,
                activities: n,
            }),
        }
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.activities));
    out.truncate(MAX_SPACES);
    Ok(out)
}

/// The endings of the files an importer may name a space after (a mailing list read from
/// one mbox file is named after the file).
const FILE_ENDINGS: [&str; 13] = [
    "mbox", "mbx", "gz", "zip", "txt", "eml", "json", "csv", "tsv", "xml", "html", "htm", "xlsx",
];

/// A space's name as a kit shows it: a file name ("lists/3GPP_MENTORING.mbox.gz") by what
/// it names ("3GPP MENTORING": no folder, no ending, underscores as spaces), and nothing
/// when that leaves no letter or digit; any other name as it is.
pub fn space_name(name: &str) -> Option<String> {
    let name = name.trim();
    let mut stem = name;
    while let Some((head, ending)) = stem.rsplit_once('.') {
        if !FILE_ENDINGS.contains(&ending.to_ascii_lowercase().as_str()) {
            break;
        }
        stem = head;
    }
    let shown = if stem.len() == name.len() {
        name.to_string()
    } else {
        let base = stem.rsplit(['/', '\\']).next().unwrap_or(stem);
        base.replace('_', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    shown.chars().any(char::is_alphanumeric).then_some(shown)
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
            space: r
                .try_get::<Option<String>, _>("space")?
                .as_deref()
                .and_then(space_name),
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
    fn a_space_named_after_its_file_is_shown_by_the_name_in_it() {
        assert_eq!(
            space_name("3GPP_MENTORING.mbox").as_deref(),
            Some("3GPP MENTORING")
        );
        assert_eq!(
            space_name("archives/ietf__announce.MBOX.gz").as_deref(),
            Some("ietf announce")
        );
        assert_eq!(space_name("general").as_deref(), Some("general"));
        assert_eq!(space_name("Node.js").as_deref(), Some("Node.js"));
        assert_eq!(space_name("team_leads").as_deref(), Some("team_leads"));
        assert_eq!(space_name("_.mbox"), None);
        assert_eq!(space_name(".txt"), None);
        assert_eq!(space_name("  "), None);
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
