//! Today: a ranked list of next actions computed from the data on a day, each with the
//! members or threads concerned and a message ready to edit; done and snoozed are remembered.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::facts::{self, MemberFacts};
use super::onboarding::{self, Stage};
use super::plan::{self, Timing};
use super::texts;
use crate::community;
use crate::error::{Error, Result};
use crate::model::Role;
use crate::store::Store;
use crate::time;
use crate::words::{self, Lang};

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
    /// Why it is on the list, in the reader's language (`today.why.*` of the core's words,
    /// from `kind` and `days`).
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

/// How many days a snooze lasts when no day is given.
pub const SNOOZE_DAYS: i64 = 7;

/// What to do with an action.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "mark", rename_all = "snake_case")]
pub enum ActionMark {
    /// Done: never shown again.
    Done,
    /// Hidden until a day (YYYY-MM-DD).
    Snooze {
        /// The day it comes back; none: [`SNOOZE_DAYS`] after today (UTC, the day the
        /// Today list is made for), for the app and the command line alike.
        #[serde(default)]
        until: Option<String>,
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
        let name = member.map_or("", |m| m.greeting.as_str());
        let mut values = vec![("name", name), ("community", self.community.as_str())];
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
            why: String::new(),
            message,
            lang,
        }
    }

    /// The reader's language for the core's words.
    fn words(&self) -> Lang {
        Lang::of(self.lang.unwrap_or("en"))
    }
}

/// Why `a` is on the list, in `lang`: the one wording, for the app and the command line.
fn why(lang: Lang, a: &Action) -> String {
    let key = match a.kind {
        ActionKind::Plan if a.days > 0 => "today.why.planLate",
        ActionKind::Plan => "today.why.planDue",
        ActionKind::Answer => "today.why.answer",
        ActionKind::Welcome => "today.why.welcome",
        ActionKind::CheckIn => "today.why.check_in",
        ActionKind::Champion => "today.why.champion",
        ActionKind::Report => "today.why.report",
    };
    words::fill(lang, key, &[("days", &a.days.to_string())])
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
            ctx.member_action(
                ActionKind::Welcome,
                format!("welcome:{}", m.id),
                m,
                (800 + days, days),
            )
        })
        .collect())
}

/// Where the questions' month ends: `end`, or in an archive (a community with no activity
/// in the 30 days before `end`, such as an export taken years ago) the day after its last
/// activity, so Today lists the questions it left open instead of nothing.
async fn answered_as_of(store: &Store, end: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(at) FROM activity")
        .fetch_one(store.pool())
        .await?;
    let quiet_since = (end - Duration::days(30)).timestamp();
    Ok(match last.and_then(|l| DateTime::from_timestamp(l, 0)) {
        Some(l) if l.timestamp() < quiet_since => l + Duration::days(1),
        _ => end,
    })
}

/// Questions asked in the last 30 days that nobody else has answered in 48 hours: the
/// same rule as the dashboard's unanswered list (`health::threads`).
async fn answer(store: &Store, ctx: &Ctx<'_>) -> Result<Vec<Action>> {
    let end = answered_as_of(store, facts::end_of(ctx.today)).await?;
    let waiting = crate::health::threads::waiting(
        store,
        (end - Duration::days(30)).timestamp(),
        (end - Duration::hours(48)).timestamp(),
        end.timestamp(),
    )
    .await?;
    let mut out = Vec::new();
    for t in waiting {
        let Some(m) = ctx.by_id.get(t.author_id.as_str()) else {
            continue;
        };
        let title = t
            .title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| words::text(ctx.words(), "today.untitled"));
        let hours = (end.timestamp() - t.started) / 3600;
        let (message, lang) = ctx.message("answer", Some(m), &[("title", &title)]);
        out.push(Action {
            key: format!("answer:{}", t.id),
            kind: ActionKind::Answer,
            score: 900 + hours / 24,
            member_id: Some(m.id.clone()),
            subject: m.name.clone(),
            thread_title: Some(title),
            days: hours / 24,
            why: String::new(),
            message,
            lang,
        });
    }
    Ok(out)
}

/// Members gone quiet this month (at least 3 contributions the 30 days before, none in the
/// last 30): the at-risk rule of the metrics (`health::gone_quiet`).
async fn check_in(store: &Store, ctx: &Ctx<'_>) -> Result<Vec<Action>> {
    let month = crate::health::Period::days_to(ctx.today, 30);
    Ok(crate::health::gone_quiet(store, month)
        .await?
        .into_iter()
        .filter_map(|q| ctx.by_id.get(q.member.id.as_str()).map(|m| (*m, q)))
        .map(|(m, q)| {
            let last = time::from_unix(q.last);
            let days = days_since(ctx.today, last);
            let n = i64::from(q.before);
            let key = format!("checkin:{}:{}", m.id, last.date_naive());
            ctx.member_action(ActionKind::CheckIn, key, m, (600 + n, days))
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
            ctx.member_action(
                ActionKind::Champion,
                format!("champion:{}", m.id),
                m,
                (500 + n.min(99), n),
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
            // Most overdue first: the days late order the steps, uncapped (a cap tied every
            // step over a month late, and the key's order decided).
            let score = if late > 0 { 1000 + late } else { 700 };
            Action {
                key: format!("plan:{}", s.step.id),
                kind: ActionKind::Plan,
                score,
                member_id: None,
                subject: s.step.title,
                thread_title: None,
                days: late,
                why: String::new(),
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
        subject: words::fill(
            ctx.words(),
            "today.reportSubject",
            &[("month", &words::month_label(ctx.words(), &month))],
        ),
        thread_title: None,
        days: i64::from(ctx.today.day()),
        why: String::new(),
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
    for a in &mut actions {
        a.why = why(ctx.words(), a);
    }
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
            expected: "an action's key, such as welcome:<member id>",
        });
    }
    let (status, until) = match mark {
        ActionMark::Done => ("done", None),
        ActionMark::Snooze { until } => {
            let day = match until {
                Some(u) => time::parse_date("until", u)?,
                None => time::today() + Duration::days(SNOOZE_DAYS),
            };
            ("snoozed", Some(day.to_string()))
        }
        ActionMark::Clear => {
            let query = sqlx::query("DELETE FROM action_marks WHERE key = ?").bind(key);
            crate::sync::capture::tracked_row(store, crate::sync::tables::ACTION_MARKS, key, query)
                .await?;
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
    crate::sync::capture::tracked_row(store, crate::sync::tables::ACTION_MARKS, key, query).await?;
    Ok(())
}
