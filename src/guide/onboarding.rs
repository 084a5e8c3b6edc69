//! Onboarding paths: each member's stage from invited to champion, advanced from evidence,
//! overridable by hand, with time in stage and who is stuck.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::facts::{self, MemberFacts};
use crate::error::{Error, Result};
use crate::members;
use crate::model::Role;
use crate::store::Store;
use crate::sync::capture;
use crate::time;

/// A stage of a member's onboarding path, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[derive(strum::VariantArray)]
pub enum Stage {
    /// Known (e.g. on a users list) but never seen taking part.
    Invited,
    /// Joined, or did something.
    Joined,
    /// A leader, facilitator or champion replied to them.
    Welcomed,
    /// Wrote their first post (in the introductions space or anywhere).
    Introduced,
    /// Posted or replied beyond introducing themselves.
    FirstContribution,
    /// Active in three of the last four weeks.
    Regular,
    /// Holds the champion role.
    Champion,
}

impl Stage {
    /// All stages, in order; the declaration's order, so a new one is never
    /// left out.
    pub const ALL: &'static [Stage] = <Stage as strum::VariantArray>::VARIANTS;

    /// The name stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Invited => "invited",
            Stage::Joined => "joined",
            Stage::Welcomed => "welcomed",
            Stage::Introduced => "introduced",
            Stage::FirstContribution => "first_contribution",
            Stage::Regular => "regular",
            Stage::Champion => "champion",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Stage {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Stage::ALL
            .iter()
            .copied()
            .find(|st| st.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| Error::InvalidValue {
                field: "stage",
                value: s.to_string(),
                expected: "one of invited, joined, welcomed, introduced, first_contribution, regular, champion",
            })
    }
}

/// A stage set by hand.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Override {
    /// The stage.
    pub stage: Stage,
    /// Why, in the facilitator's words.
    pub note: String,
    /// When it was set.
    pub set_at: String,
}

/// One member on the board.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Card {
    /// Global id.
    pub member_id: String,
    /// Name (untrusted text).
    pub name: String,
    /// Role.
    pub role: Role,
    /// Country.
    pub country: Option<String>,
    /// The stage shown: the override if any, else the evidence's.
    pub stage: Stage,
    /// The stage the evidence gives.
    pub evidence_stage: Stage,
    /// The hand-set stage, if any.
    #[serde(rename = "override")]
    #[ts(rename = "override")]
    pub manual: Option<Override>,
    /// When the shown stage was reached (YYYY-MM-DD), if known.
    pub since: Option<String>,
    /// Days in the shown stage, if known.
    #[ts(type = "number | null")]
    pub days_in_stage: Option<i64>,
    /// Why they look stuck, if they do.
    pub stuck: Option<Stuck>,
}

/// Why a member looks stuck: waiting too long at a stage where someone could help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Stuck {
    /// The stage they wait at.
    pub stage: Stage,
    /// For how many days.
    #[ts(type = "number")]
    pub days: i64,
}

impl Stuck {
    /// What it means, in the command line's words.
    pub fn describe(&self) -> String {
        let d = self.days;
        match self.stage {
            Stage::Joined => format!("joined {d} days ago and never welcomed"),
            Stage::Welcomed => format!("welcomed {d} days ago, no introduction yet"),
            _ => format!("introduced {d} days ago, no contribution since"),
        }
    }
}

/// Members who joined this long ago and never contributed are set aside as inactive,
/// not counted as stuck: nobody will welcome someone who left a year ago.
pub const INACTIVE_AFTER_DAYS: i64 = 365;

/// A column of the board.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Column {
    /// Its stage.
    pub stage: Stage,
    /// Its members, longest in stage first.
    pub cards: Vec<Card>,
}

/// The onboarding board on a day.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Board {
    /// The day it describes.
    pub date: String,
    /// One column per stage, in order.
    pub columns: Vec<Column>,
    /// How many members look stuck (on the board, not the inactive).
    pub stuck: u32,
    /// Members who joined over [`INACTIVE_AFTER_DAYS`] days ago and never contributed: set
    /// aside from the columns, longest gone first.
    pub inactive: Vec<Card>,
}

/// The stage the evidence gives, and when it was reached.
pub fn evidence_stage(f: &MemberFacts) -> (Stage, Option<DateTime<Utc>>) {
    if f.role == Role::Champion {
        return (Stage::Champion, None);
    }
    if f.active_weeks.iter().filter(|w| **w).count() >= 3 {
        return (Stage::Regular, None);
    }
    let ladder = [
        (Stage::FirstContribution, f.contributed),
        (Stage::Introduced, f.introduced),
        (Stage::Welcomed, f.welcomed),
        (Stage::Joined, f.joined),
    ];
    ladder
        .into_iter()
        .find_map(|(s, t)| t.map(|t| (s, Some(t))))
        .unwrap_or((Stage::Invited, None))
}

/// Days at the joined or welcomed stage after which a member looks stuck.
pub const STUCK_AFTER_DAYS: i64 = 14;

fn stuck_reason(stage: Stage, days: i64) -> Option<Stuck> {
    let waited = match stage {
        Stage::Joined | Stage::Welcomed => days >= STUCK_AFTER_DAYS,
        Stage::Introduced => days >= 30,
        _ => false,
    };
    waited.then_some(Stuck { stage, days })
}

/// Whether a card belongs with the inactive: never contributed, at a stage before the
/// first contribution for over [`INACTIVE_AFTER_DAYS`] days.
fn is_inactive(c: &Card) -> bool {
    matches!(
        c.stage,
        Stage::Invited | Stage::Joined | Stage::Welcomed | Stage::Introduced
    ) && c.days_in_stage.is_some_and(|d| d > INACTIVE_AFTER_DAYS)
}

async fn overrides(store: &Store) -> Result<HashMap<String, Override>> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT member_id, stage, note, set_at FROM onboarding_overrides")
            .fetch_all(store.pool())
            .await?;
    rows.into_iter()
        .map(|(m, s, note, set_at)| {
            Ok((
                m,
                Override {
                    stage: s.parse()?,
                    note,
                    set_at,
                },
            ))
        })
        .collect()
}

fn card(f: &MemberFacts, manual: Option<Override>, today: NaiveDate) -> Card {
    let (evidence, reached) = evidence_stage(f);
    let since = match &manual {
        Some(o) => time::parse_instant("set_at", &o.set_at).ok(),
        None => reached,
    };
    let stage = manual.as_ref().map_or(evidence, |o| o.stage);
    let days = since.map(|t| (today - t.date_naive()).num_days().max(0));
    Card {
        member_id: f.id.clone(),
        name: f.name.clone(),
        role: f.role,
        country: f.country.clone(),
        stage,
        evidence_stage: evidence,
        stuck: days
            .and_then(|d| stuck_reason(stage, d))
            .filter(|s| s.stage != Stage::Joined || expects_welcome(f.role)),
        since: since.map(|t| t.date_naive().to_string()),
        days_in_stage: days,
        manual,
    }
}

/// Every member's card as of `today`, in roster order.
pub async fn cards(store: &Store, today: NaiveDate) -> Result<Vec<Card>> {
    let facts = facts::load(store, today).await?;
    cards_for(store, &facts, today).await
}

/// The cards of members whose facts are already loaded.
pub async fn cards_for(
    store: &Store,
    facts: &[MemberFacts],
    today: NaiveDate,
) -> Result<Vec<Card>> {
    let mut manual = overrides(store).await?;
    Ok(facts
        .iter()
        .map(|f| card(f, manual.remove(&f.id), today))
        .collect())
}

/// Who waits for a welcome at all: members. Leaders, facilitators, champions and sponsors
/// are the ones who welcome; a facilitator who never posted is not "never welcomed".
fn expects_welcome(role: Role) -> bool {
    role == Role::Member
}

/// The one rule of who still waits for a welcome: a member (`expects_welcome`) whose card
/// is at the joined stage (nobody has replied to them yet), there for [`STUCK_AFTER_DAYS`]
/// days or more, and not set aside as inactive. The board says "never welcomed" of exactly
/// these, and the plan's welcome step is not done by the evidence while any is left.
pub fn awaits_welcome(c: &Card) -> bool {
    !is_inactive(c) && c.stuck.is_some_and(|s| s.stage == Stage::Joined)
}

/// How many members wait for a welcome on `today` ([`awaits_welcome`]).
pub async fn awaiting_welcome(store: &Store, today: NaiveDate) -> Result<u32> {
    let cards = cards(store, today).await?;
    Ok(cards.iter().filter(|c| awaits_welcome(c)).count() as u32)
}

/// The board as of `today`.
pub async fn board(store: &Store, today: NaiveDate) -> Result<Board> {
    let (mut inactive, all): (Vec<Card>, Vec<Card>) = cards(store, today)
        .await?
        .into_iter()
        .partition(is_inactive);
    inactive.sort_by(|a, b| {
        b.days_in_stage
            .cmp(&a.days_in_stage)
            .then(a.name.cmp(&b.name))
    });
    let stuck = all.iter().filter(|c| c.stuck.is_some()).count() as u32;
    let columns = Stage::ALL
        .iter()
        .copied()
        .map(|stage| {
            let mut cards: Vec<Card> = all.iter().filter(|c| c.stage == stage).cloned().collect();
            cards.sort_by(|a, b| {
                b.days_in_stage
                    .cmp(&a.days_in_stage)
                    .then(a.name.cmp(&b.name))
            });
            Column { stage, cards }
        })
        .collect();
    Ok(Board {
        date: today.to_string(),
        columns,
        stuck,
        inactive,
    })
}

/// Sets a member's stage by hand (kept across imports until cleared).
pub async fn set_override(store: &Store, member: &str, stage: Stage, note: &str) -> Result<()> {
    let id = members::resolve_id(store, member).await?;
    let query = sqlx::query(
        "INSERT INTO onboarding_overrides (member_id, stage, note, set_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(member_id) DO UPDATE SET stage = excluded.stage, note = excluded.note, set_at = excluded.set_at",
    )
    .bind(&id)
    .bind(stage.as_str())
    .bind(note)
    .bind(time::now());
    capture::tracked_row(store, crate::sync::tables::ONBOARDING_OVERRIDES, &id, query).await?;
    Ok(())
}

/// Clears a hand-set stage, so the evidence decides again.
pub async fn clear_override(store: &Store, member: &str) -> Result<()> {
    let id = members::resolve_id(store, member).await?;
    let query = sqlx::query("DELETE FROM onboarding_overrides WHERE member_id = ?").bind(&id);
    capture::tracked_row(store, crate::sync::tables::ONBOARDING_OVERRIDES, &id, query).await?;
    Ok(())
}
