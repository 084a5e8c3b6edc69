//! Today: a ranked list of next actions computed from the data on a day, each with the
//! members or threads concerned and a message ready to edit; done and snoozed are remembered.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use super::facts::{self, MemberFacts, INTRO_SPACE};
use super::onboarding::{self, Stage};
use super::plan::{self, Timing};
use super::texts;
use crate::community;
use crate::error::{Error, Result};
use crate::model::{ActivityKind, Role};
use crate::store::Store;
use crate::{ids, time};

/// What kind of action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// A plan step overdue or due this week.
    Plan,
    /// A question unanswered for more than 48 hours.
    Answer,
    /// A newcomer not yet welcomed.
    Welcome,
    /// A member gone quiet (at risk).
    CheckIn,
    /// A steady contributor to ask to become a champion.
    Champion,
    /// The monthly sponsor report.
    Report,
}

/// One next action.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Action {
    /// Stable key, used to mark it done or snooze it (e.g. `welcome:<member id>`).
    pub key: String,
    /// What kind.
    pub kind: ActionKind,
    /// Higher comes first.
    #[ts(type = "number")]
    pub score: i64,
    /// The member concerned, if any.
    pub member_id: Option<String>,
    /// The member's, thread's or step's name (untrusted text).
    pub subject: String,
    /// For a thread: its title (untrusted text).
    pub thread_title: Option<String>,
    /// Days waiting, quiet, overdue or active, depending on the kind.
    #[ts(type = "number")]
    pub days: i64,
    /// Why, in one English sentence (the app composes its own from `kind` and `days`).
    pub why: String,
    /// A message to edit and send, in the member's language where known.
    pub message: String,
    /// The message's language.
    pub lang: String,
}

/// The list for a day.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Today {
    /// The day.
    pub date: String,
    /// Actions, best first.
    pub actions: Vec<Action>,
    /// Actions hidden because they were done or are snoozed.
    pub hidden: u32,
}

/// What to do with an action.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "mark", rename_all = "snake_case")]
pub enum ActionMark {
    /// Done: never shown again.
    Done,
    /// Hidden until a day (YYYY-MM-DD).
    Snooze {
        /// The day it comes back.
        until: String,
    },
    /// Shown again.
    Clear,
}

struct Ctx<'a> {
    community: String,
    today: NaiveDate,
    by_id: HashMap<&'a str, &'a MemberFacts>,
    /// The reader's language, for the plan's step titles (messages to members follow each
    /// member's own language).
    lang: Option<&'a str>,
}

impl Ctx<'_> {
    fn message(
        &self,
        template: &str,
        member: Option<&MemberFacts>,
        extra: &[(&str, &str)],
    ) -> (String, String) {
        let lang = texts::language(member.and_then(|m| m.language.as_deref()));
        let first = member.map_or("", |m| m.name.split_whitespace().next().unwrap_or(&m.name));
        let mut values = vec![("name", first), ("community", self.community.as_str())];
        values.extend_from_slice(extra);
        (
            texts::fill(&texts::template(lang, template), &values),
            lang.to_string(),
        )
    }

    fn member_action(
        &self,
        kind: ActionKind,
        key: String,
        m: &MemberFacts,
        (score, days): (i64, i64),
        why: String,
    ) -> Action {
        let template = match kind {
            ActionKind::Welcome => "welcome",
            ActionKind::CheckIn => "checkin",
            _ => "champion",
        };
        let (message, lang) = self.message(template, Some(m), &[]);
        Action {
            key,
            kind,
            score,
            member_id: Some(m.id.clone()),
            subject: m.name.clone(),
            thread_title: None,
            days,
            why,
            message,
            lang,
        }
    }
}

fn days_since(today: NaiveDate, t: chrono::DateTime<chrono::Utc>) -> i64 {
    (today - t.date_naive()).num_days().max(0)
}

async fn welcome(store: &Store, ctx: &Ctx<'_>, facts: &[MemberFacts]) -> Result<Vec<Action>> {
    let cards = onboarding::cards_for(store, facts, ctx.today).await?;
    Ok(cards
        .iter()
        .filter(|c| c.stage == Stage::Joined && c.days_in_stage.is_some_and(|d| d <= 60))
        .filter_map(|c| ctx.by_id.get(c.member_id.as_str()).map(|m| (c, *m)))
        .map(|(c, m)| {
            let days = c.days_in_stage.unwrap_or(0);
            let why = format!("joined {days} days ago and nobody has welcomed them yet");
            ctx.member_action(
                ActionKind::Welcome,
                format!("welcome:{}", m.id),
                m,
                (800 + days, days),
                why,
            )
        })
        .collect())
}

async fn answer(store: &Store, ctx: &Ctx<'_>) -> Result<Vec<Action>> {
    let end = facts::end_of(ctx.today);
    let sql = format!(
        "SELECT {} AS id, t.title, m.id AS member_id, t.at FROM activity t
         JOIN keys mk ON mk.n = t.member JOIN members m ON m.id = mk.id
         LEFT JOIN keys sk ON sk.n = t.space LEFT JOIN spaces s ON s.id = sk.id
         WHERE t.kind = ?5 AND m.is_bot = 0 AND t.at >= ?1 AND t.at < ?2
           AND (s.name IS NULL OR instr(lower(s.name), ?4) = 0)
           AND NOT EXISTS (SELECT 1 FROM activity r JOIN keys rmk ON rmk.n = r.member JOIN members rm ON rm.id = rmk.id
               WHERE r.root = t.n AND r.kind = ?6 AND r.member <> t.member
                 AND rm.is_bot = 0 AND r.at < ?3)",
        ids::sql_uuid("t.gid")
    );
    let rows = sqlx::query(&sql)
        .bind((end - Duration::days(30)).timestamp())
        .bind((end - Duration::hours(48)).timestamp())
        .bind(end.timestamp())
        .bind(INTRO_SPACE)
        .bind(ActivityKind::Post.code())
        .bind(ActivityKind::Reply.code())
        .fetch_all(store.pool())
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: String = r.try_get("id")?;
        let title: Option<String> = r.try_get("title")?;
        let at = time::from_unix(r.try_get("at")?);
        let author: String = r.try_get("member_id")?;
        let Some(m) = ctx.by_id.get(author.as_str()) else {
            continue;
        };
        let title = title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "(untitled)".into());
        let hours = (end - at).num_hours();
        let (message, lang) = ctx.message("answer", Some(m), &[("title", &title)]);
        out.push(Action {
            key: format!("answer:{id}"),
            kind: ActionKind::Answer,
            score: 900 + hours / 24,
            member_id: Some(m.id.clone()),
            subject: m.name.clone(),
            thread_title: Some(title),
            days: hours / 24,
            why: format!("asked {} days ago and nobody else has replied", hours / 24),
            message,
            lang,
        });
    }
    Ok(out)
}

async fn check_in(store: &Store, ctx: &Ctx<'_>) -> Result<Vec<Action>> {
    let end = facts::end_of(ctx.today);
    let (start, prev) = (end - Duration::days(30), end - Duration::days(60));
    let contributions = [ActivityKind::Post.code(), ActivityKind::Reply.code()];
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT m.id, COUNT(*), MAX(a.at) FROM activity a JOIN keys mk ON mk.n = a.member JOIN members m ON m.id = mk.id
         WHERE a.kind IN (?, ?) AND a.at >= ? AND a.at < ?
         GROUP BY a.member HAVING COUNT(*) >= 3",
    )
    .bind(contributions[0])
    .bind(contributions[1])
    .bind(prev.timestamp())
    .bind(start.timestamp())
    .fetch_all(store.pool())
    .await?;
    let rows: Vec<(String, i64, String)> = rows
        .into_iter()
        .map(|(id, n, last)| (id, n, time::format(time::from_unix(last))))
        .collect();
    let active: HashSet<String> = sqlx::query_scalar(
        "SELECT k.id FROM keys k WHERE k.n IN
           (SELECT DISTINCT member FROM activity WHERE kind IN (?, ?) AND at >= ? AND at < ?)",
    )
    .bind(contributions[0])
    .bind(contributions[1])
    .bind(start.timestamp())
    .bind(end.timestamp())
    .fetch_all(store.pool())
    .await?
    .into_iter()
    .collect();
    Ok(rows
        .into_iter()
        .filter(|(id, _, _)| !active.contains(id))
        .filter_map(|(id, n, last)| ctx.by_id.get(id.as_str()).map(|m| (*m, n, last)))
        .map(|(m, n, last)| {
            let days = time::parse_instant("last", &last).map_or(30, |t| days_since(ctx.today, t));
            let why = format!("{n} contributions the month before, none for {days} days");
            let key = format!("checkin:{}:{}", m.id, last.get(..10).unwrap_or(""));
            ctx.member_action(ActionKind::CheckIn, key, m, (600 + n, days), why)
        })
        .collect())
}

fn champions(ctx: &Ctx<'_>, facts: &[MemberFacts]) -> Vec<Action> {
    let mut steady: Vec<&MemberFacts> = facts
        .iter()
        .filter(|m| m.role == Role::Member && m.recent_contributions >= 8)
        .filter(|m| m.active_weeks.iter().filter(|w| **w).count() >= 3)
        .collect();
    steady.sort_by(|a, b| {
        b.recent_contributions
            .cmp(&a.recent_contributions)
            .then(a.name.cmp(&b.name))
    });
    steady
        .into_iter()
        .take(5)
        .map(|m| {
            let n = i64::from(m.recent_contributions);
            let why = format!("{n} posts and replies in 90 days, active most weeks");
            ctx.member_action(
                ActionKind::Champion,
                format!("champion:{}", m.id),
                m,
                (500 + n.min(99), n),
                why,
            )
        })
        .collect()
}

async fn plan_steps(store: &Store, ctx: &Ctx<'_>) -> Result<Vec<Action>> {
    let view = match plan::view(store, ctx.today, ctx.lang).await {
        Ok(v) => v,
        Err(Error::NoCommunity) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(view
        .steps
        .into_iter()
        .filter(|s| matches!(s.timing, Timing::Overdue | Timing::DueThisWeek))
        .map(|s| {
            let due = time::parse_date("due", &s.due).unwrap_or(ctx.today);
            let late = (ctx.today - due).num_days();
            let (message, lang) = ctx.message("plan", None, &[("step", &s.step.title)]);
            let (score, why) = if late > 0 {
                (
                    1000 + late.min(30),
                    format!("plan step owned by the {}, {late} days overdue", s.owner),
                )
            } else {
                (
                    700,
                    format!("plan step owned by the {}, due {}", s.owner, s.due),
                )
            };
            Action {
                key: format!("plan:{}", s.step.id),
                kind: ActionKind::Plan,
                score,
                member_id: None,
                subject: s.step.title,
                thread_title: None,
                days: late,
                why,
                message,
                lang,
            }
        })
        .collect())
}

fn report(ctx: &Ctx<'_>) -> Option<Action> {
    if ctx.today.day() > 7 {
        return None;
    }
    let last_month = ctx.today.with_day(1)?.pred_opt()?;
    let month = last_month.format("%Y-%m").to_string();
    let (message, lang) = ctx.message("report", None, &[("month", &month)]);
    Some(Action {
        key: format!("report:{month}"),
        kind: ActionKind::Report,
        score: 400,
        member_id: None,
        subject: format!("Sponsor report for {month}"),
        thread_title: None,
        days: i64::from(ctx.today.day()),
        why: "the monthly health report for the sponsor is due in the first week".into(),
        message,
        lang,
    })
}

async fn hidden_keys(store: &Store, today: NaiveDate) -> Result<HashSet<String>> {
    Ok(sqlx::query_scalar(
        "SELECT key FROM action_marks WHERE status = 'done' OR (status = 'snoozed' AND until > ?)",
    )
    .bind(today.to_string())
    .fetch_all(store.pool())
    .await?
    .into_iter()
    .collect())
}

/// The ranked list of next actions on `today` (plan steps in English).
pub async fn today(store: &Store, today: NaiveDate) -> Result<Today> {
    today_in(store, today, None).await
}

/// The ranked list of next actions on `today`, the default plan's step titles in `lang`.
pub async fn today_in(store: &Store, today: NaiveDate, lang: Option<&str>) -> Result<Today> {
    let facts = facts::load(store, today).await?;
    let community = community::get(store)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let ctx = Ctx {
        community,
        today,
        by_id: facts.iter().map(|f| (f.id.as_str(), f)).collect(),
        lang,
    };
    let mut actions = plan_steps(store, &ctx).await?;
    actions.extend(answer(store, &ctx).await?);
    actions.extend(welcome(store, &ctx, &facts).await?);
    actions.extend(check_in(store, &ctx).await?);
    actions.extend(champions(&ctx, &facts));
    actions.extend(report(&ctx));
    let hidden = hidden_keys(store, today).await?;
    let before = actions.len();
    actions.retain(|a| !hidden.contains(&a.key));
    actions.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    Ok(Today {
        date: today.to_string(),
        hidden: (before - actions.len()) as u32,
        actions,
    })
}

/// Marks an action done, snoozes it, or shows it again.
pub async fn mark(store: &Store, key: &str, mark: &ActionMark) -> Result<()> {
    if key
        .split_once(':')
        .is_none_or(|(k, v)| k.is_empty() || v.is_empty())
    {
        return Err(Error::InvalidValue {
            field: "action key",
            value: key.to_string(),
            expected: "a key from `tend today`, such as welcome:<member id>",
        });
    }
    let (status, until) = match mark {
        ActionMark::Done => ("done", None),
        ActionMark::Snooze { until } => (
            "snoozed",
            Some(time::parse_date("until", until)?.to_string()),
        ),
        ActionMark::Clear => {
            let query = sqlx::query("DELETE FROM action_marks WHERE key = ?").bind(key);
            crate::sync::capture::tracked(store, "action_marks", "key = ?", &[key], query).await?;
            return Ok(());
        }
    };
    let query = sqlx::query(
        "INSERT INTO action_marks (key, status, until, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET status = excluded.status, until = excluded.until, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(status)
    .bind(until)
    .bind(time::now());
    crate::sync::capture::tracked(store, "action_marks", "key = ?", &[key], query).await?;
    Ok(())
}
