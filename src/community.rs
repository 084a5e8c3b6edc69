//! The community: setting it up and the overview the app opens on.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::error::{Error, Result};
use crate::model::{ActivityKind, Community, Overview, Role, RoleCount};
use crate::store::Store;
use crate::{ids, time};

/// What `tend init` needs.
#[derive(Debug, Clone)]
pub struct NewCommunity {
    /// The community's name.
    pub name: String,
    /// Its purpose.
    pub purpose: String,
    /// Day 0 of the 90-day plan (`YYYY-MM-DD`); today when `None`.
    pub launch_date: Option<String>,
}

/// The community, if one has been set up.
pub async fn get(store: &Store) -> Result<Option<Community>> {
    let row = sqlx::query_as::<_, Community>(
        "SELECT id, name, purpose, launch_date FROM community ORDER BY created_at, id LIMIT 1",
    )
    .fetch_optional(store.pool())
    .await?;
    Ok(row)
}

/// Sets the community up, or renames it and updates its purpose and launch date.
pub async fn init(store: &Store, new: &NewCommunity) -> Result<Community> {
    let name = crate::clean::typed("name", &new.name, crate::limits::MAX_NAME_CHARS)?.ok_or_else(
        || Error::InvalidValue {
            field: "name",
            value: new.name.clone(),
            expected: "a non-empty community name",
        },
    )?;
    let name = name.as_str();
    let launch = match &new.launch_date {
        Some(d) => time::parse_date("launch date", d)?,
        None => time::today(),
    };
    let launch = launch.format("%Y-%m-%d").to_string();
    let existing = get(store).await?;
    let id = existing.map(|c| c.id).unwrap_or_else(ids::new_id);
    put(store, &id, name, new.purpose.trim(), &launch).await
}

/// Writes the community row `id` (captured for sync) and reads the community back.
async fn put(
    store: &Store,
    id: &str,
    name: &str,
    purpose: &str,
    launch: &str,
) -> Result<Community> {
    let query = sqlx::query(
        "INSERT INTO community (id, name, purpose, launch_date, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, purpose = excluded.purpose,
         launch_date = excluded.launch_date",
    )
    .bind(id)
    .bind(name)
    .bind(purpose)
    .bind(launch)
    .bind(time::now());
    crate::sync::capture::tracked_row(store, crate::sync::tables::COMMUNITY, id, query).await?;
    get(store).await?.ok_or(Error::NoCommunity)
}

/// Where a database stands for someone starting out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Nothing yet: no community, no members.
    Empty,
    /// Members (imported) but no community set up.
    Unnamed,
    /// A community is set up.
    Ready,
}

/// Where this database stands: empty, members without a community, or ready.
pub async fn start(store: &Store) -> Result<Start> {
    if get(store).await?.is_some() {
        return Ok(Start::Ready);
    }
    let any: Option<i64> = sqlx::query_scalar("SELECT 1 FROM members LIMIT 1")
        .fetch_optional(store.pool())
        .await?;
    Ok(if any.is_some() {
        Start::Unnamed
    } else {
        Start::Empty
    })
}

/// After a first import into a database without a community, starts one named after the
/// source as a person calls it (`name`; launched today); returns its name if it did. A
/// community already set up is left as it is.
pub async fn start_from_import(
    store: &Store,
    source_id: &str,
    name: &str,
) -> Result<Option<String>> {
    let Ok(name) = crate::clean::name(name, crate::limits::MAX_NAME_CHARS) else {
        return Ok(None);
    };
    if get(store).await?.is_some() {
        return Ok(None);
    }
    // Its id derives from the source's id, so two laptops importing the same export start
    // the same community (sync then holds one row, not two), whatever they named the file.
    let id = ids::derived(&["community", source_id]);
    let today = time::today().format("%Y-%m-%d").to_string();
    let c = put(store, &id, &name.text, "", &today).await?;
    Ok(Some(c.name))
}

/// The overview the app opens on.
pub async fn overview(store: &Store) -> Result<Overview> {
    let pool = store.pool();
    let rows =
        sqlx::query("SELECT role, COUNT(*) AS n FROM members WHERE is_bot = 0 GROUP BY role")
            .fetch_all(pool)
            .await?;
    let mut by_role: Vec<RoleCount> = Role::ALL
        .iter()
        .map(|&role| RoleCount { role, count: 0 })
        .collect();
    for row in rows {
        let name: String = row.try_get("role")?;
        let role: Role = name.parse()?;
        if let Some(rc) = by_role.iter_mut().find(|rc| rc.role == role) {
            rc.count = row.try_get("n")?;
        }
    }
    let (activities_by_kind, bot_activities, contributors) = activity_counts(store).await?;
    Ok(Overview {
        community: get(store).await?,
        members_total: by_role.iter().map(|rc| rc.count).sum(),
        by_role,
        countries: distinct(store, "country").await?,
        organisations: distinct(store, "organisation").await?,
        activities_total: sqlx::query_scalar("SELECT COUNT(*) FROM activity")
            .fetch_one(pool)
            .await?,
        activities_by_kind,
        bot_activities,
        contributors,
        demo: crate::demo::is_demo(store).await?,
    })
}

/// The rows (`keys.n`) of bots: their activities are counted apart.
const BOTS: &str =
    "WITH bots(n) AS (SELECT k.n FROM members m JOIN keys k ON k.id = m.id WHERE m.is_bot = 1)";

/// People's activities by kind, bots' activities, and people with a post or reply: three
/// queries that return a handful of rows. Counting per member and kind instead sorted a
/// million rows and handed 165,000 of them over, 2.7 s on the benchmark community; these
/// take 0.75 s (the first reads the rows in order, `NOT INDEXED`, as the (member, at)
/// index lacks the kind).
async fn activity_counts(store: &Store) -> Result<(BTreeMap<String, i64>, i64, i64)> {
    let per_kind: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "{BOTS} SELECT kind, COUNT(*) FROM activity NOT INDEXED
         WHERE member NOT IN bots GROUP BY kind"
    ))
    .fetch_all(store.pool())
    .await?;
    let by_kind = per_kind
        .into_iter()
        .filter_map(|(code, n)| Some((ActivityKind::from_code(code)?.as_str().to_string(), n)))
        .collect();
    let bots: i64 = sqlx::query_scalar(&format!(
        "{BOTS} SELECT COUNT(*) FROM activity WHERE member IN bots"
    ))
    .fetch_one(store.pool())
    .await?;
    let contributors: i64 = sqlx::query_scalar(&format!(
        "{BOTS} SELECT COUNT(DISTINCT member) FROM activity WHERE kind IN (?, ?)
         AND member NOT IN bots"
    ))
    .bind(ActivityKind::Post.code())
    .bind(ActivityKind::Reply.code())
    .fetch_one(store.pool())
    .await?;
    Ok((by_kind, bots, contributors))
}

async fn distinct(store: &Store, column: &'static str) -> Result<Vec<String>> {
    // `column` is one of two constants above, never user input.
    let sql = format!(
        "SELECT DISTINCT {column} FROM members WHERE {column} IS NOT NULL AND {column} <> ''
         AND is_bot = 0 ORDER BY {column}"
    );
    Ok(sqlx::query_scalar(&sql).fetch_all(store.pool()).await?)
}
