//! `tend demo`: fills an empty database with a realistic, deterministic synthetic community.

mod names;
mod remove;
mod simulate;

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

pub use remove::{preview as removal_preview, remove, Removed};
pub use simulate::{simulate, DemoConfig, SimActivity, SimCommunity, SimMember};

use crate::error::{Error, Result};
use crate::store::Store;
use crate::{ids, time};

/// Rows per multi-row INSERT (well under SQLite's bound-variable limit).
const CHUNK: usize = 400;

/// What the demo wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoSummary {
    /// Community name.
    pub community: String,
    /// People added (the bot not counted).
    pub members: usize,
    /// Activities added.
    pub activities: usize,
    /// Launch day.
    pub launch_date: String,
    /// Last day of activity.
    pub until: String,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            members: 300,
            months: 6,
            seed: 7,
            until: crate::time::today(),
            threads_per_day: 6.0,
        }
    }
}

/// Whether the database holds no community and no members.
pub async fn is_empty(store: &Store) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM community) + (SELECT COUNT(*) FROM members)",
    )
    .fetch_one(store.pool())
    .await?;
    Ok(n == 0)
}

/// Whether this database holds the demo (its made-up source).
pub async fn is_demo(store: &Store) -> Result<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT EXISTS (SELECT 1 FROM sources WHERE kind = 'demo')")
            .fetch_one(store.pool())
            .await?
            != 0,
    )
}

/// Simulates a community and writes it in one transaction; refuses a non-empty database.
pub async fn generate(store: &Store, cfg: &DemoConfig) -> Result<DemoSummary> {
    if !is_empty(store).await? {
        return Err(Error::NotEmpty);
    }
    let sim = simulate(cfg);
    let source = ids::derived(&["demo-source", &cfg.seed.to_string()]);
    let mut tx = store.write().await?;
    write_community(&mut tx, &sim).await?;
    write_source_and_spaces(&mut tx, &source, cfg.seed).await?;
    write_members(&mut tx, &sim, &source, cfg.seed).await?;
    write_activities(&mut tx, &sim, &source, cfg.seed).await?;
    // Like an import, the demo's rows become change records in their own transaction.
    crate::sync::capture::capture_new(store, &mut tx).await?;
    tx.commit().await?;
    Ok(DemoSummary {
        community: COMMUNITY_NAME.to_string(),
        members: sim.members.iter().filter(|m| !m.is_bot).count(),
        activities: sim.activities.len(),
        launch_date: sim.launch.to_string(),
        until: cfg.until.to_string(),
    })
}

const COMMUNITY_NAME: &str = "WASH Practitioners Network";
const COMMUNITY_PURPOSE: &str = "Field staff, ministries and NGOs working on water, sanitation \
    and hygiene ask and answer questions, share what works, and get better at the practice together.";

async fn write_community(tx: &mut SqliteConnection, sim: &SimCommunity) -> Result<()> {
    sqlx::query(
        "INSERT INTO community (id, name, purpose, launch_date, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(ids::new_id())
    .bind(COMMUNITY_NAME)
    .bind(COMMUNITY_PURPOSE)
    .bind(sim.launch.to_string())
    .bind(time::now())
    .execute(tx)
    .await?;
    Ok(())
}

fn space_id(source: &str, i: usize) -> String {
    ids::derived(&["space", source, names::SPACES[i].0])
}

fn member_id(seed: u64, i: usize) -> String {
    ids::derived(&["demo-member", &seed.to_string(), &i.to_string()])
}

async fn write_source_and_spaces(tx: &mut SqliteConnection, source: &str, seed: u64) -> Result<()> {
    sqlx::query("INSERT INTO sources (id, kind, name, created_at) VALUES (?, 'demo', ?, ?)")
        .bind(source)
        .bind(format!("Demo workspace (seed {seed})"))
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
    for (i, (name, kind, _)) in names::SPACES.iter().enumerate() {
        sqlx::query(
            "INSERT INTO spaces (id, source_id, external_id, name, kind) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(space_id(source, i))
        .bind(source)
        .bind(*name)
        .bind(*name)
        .bind(*kind)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

fn blank_to_none(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

async fn write_members(
    tx: &mut SqliteConnection,
    sim: &SimCommunity,
    source: &str,
    seed: u64,
) -> Result<()> {
    let now = time::now();
    let rows: Vec<(usize, &SimMember)> = sim.members.iter().enumerate().collect();
    for chunk in rows.chunks(CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO members (id, display_name, email, role, country, organisation, language,
             joined_at, is_bot, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, (i, m)| {
            b.push_bind(member_id(seed, *i))
                .push_bind(&m.name)
                .push_bind(&m.email)
                .push_bind(m.role.as_str())
                .push_bind(blank_to_none(m.country))
                .push_bind(blank_to_none(m.organisation))
                .push_bind(m.language)
                .push_bind(time::format(m.joined_at))
                .push_bind(m.is_bot)
                .push_bind(&now)
                .push_bind(&now);
        });
        q.build().execute(&mut *tx).await?;
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO identities (id, source_id, external_id, handle, email, member_id) ",
        );
        q.push_values(chunk, |mut b, (i, m)| {
            let external = format!("U{i:05}");
            b.push_bind(ids::derived(&["identity", source, &external]))
                .push_bind(source)
                .push_bind(external)
                .push_bind(m.email.split('@').next().unwrap_or_default().to_string())
                .push_bind(&m.email)
                .push_bind(member_id(seed, *i));
        });
        q.build().execute(&mut *tx).await?;
    }
    Ok(())
}

async fn write_activities(
    tx: &mut SqliteConnection,
    sim: &SimCommunity,
    source: &str,
    seed: u64,
) -> Result<()> {
    // Members and spaces by their local keys.
    let keys: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>("SELECT id, n FROM keys")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
    let (source_n, first): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT n FROM keys WHERE id = ?), (SELECT IFNULL(MAX(n), 0) + 1 FROM activity)",
    )
    .bind(source)
    .fetch_one(&mut *tx)
    .await?;
    // Activities point only at earlier ones, so each one's row is known: `first + index`.
    let n_of = |i: usize| first + i as i64;
    let rows: Vec<(usize, &SimActivity)> = sim.activities.iter().enumerate().collect();
    for chunk in rows.chunks(CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO activity (n, gid, source, member, space, kind, at, root, parent, title) ",
        );
        q.push_values(chunk, |mut b, (i, a)| {
            let gid = ids::derived_bytes(&["activity", source, &format!("a{i}")]);
            b.push_bind(n_of(*i))
                .push_bind(gid.to_vec())
                .push_bind(source_n)
                .push_bind(keys.get(&member_id(seed, a.member)).copied())
                .push_bind(keys.get(&space_id(source, a.space)).copied())
                .push_bind(a.kind.code())
                .push_bind(a.at.timestamp())
                .push_bind(a.root.map(n_of))
                .push_bind(a.parent.map(n_of))
                .push_bind(a.title.as_deref());
        });
        q.build().execute(&mut *tx).await?;
    }
    Ok(())
}
