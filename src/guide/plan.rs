//! The 90-day plan on a given day: each step's due date from the launch date, its status
//! (marked by hand or shown done by evidence), timing, and the stage-of-development checks.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use super::playbook::{self, Evidence, EvidenceKind, Phase, Playbook, Step};
use super::{facts, onboarding};
use crate::community;
use crate::error::{Error, Result};
use crate::health::index::Index;
use crate::ids;
use crate::model::Role;
use crate::store::Store;
use crate::sync::capture;
use crate::sync::tables::{PLAN_PROGRESS, STAGE_CHECKS};
use crate::time;

/// Where a step stands by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    /// Still to do.
    Open,
    /// Done (by hand or from evidence).
    Done,
    /// Skipped, with a reason.
    Skipped,
}

/// When an open step falls, seen from the plan's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// Closed (done or skipped).
    Closed,
    /// Its due date has passed.
    Overdue,
    /// Due within seven days.
    DueThisWeek,
    /// Later.
    Upcoming,
}

/// Evidence counted for a step.
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct EvidenceProgress {
    /// What is counted and how many are needed.
    pub needed: Evidence,
    /// How many there are.
    pub have: u32,
    /// For the welcome evidence: how many members the onboarding board shows still waiting
    /// for a welcome (`onboarding::awaits_welcome`); the step is not done while any is.
    #[ts(type = "number | null")]
    pub waiting: Option<u32>,
}

/// A step of the plan with its progress.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanStep {
    /// The step as the playbook writes it (its owner is the playbook's).
    pub step: Step,
    /// The owner now (reassigned, or the playbook's).
    pub owner: Role,
    /// Due date, YYYY-MM-DD.
    pub due: String,
    /// Status.
    pub status: StepStatus,
    /// True when the evidence, not a person, closed it.
    pub done_by_evidence: bool,
    /// Timing.
    pub timing: Timing,
    /// The facilitator's note.
    pub note: String,
    /// Why it was skipped.
    pub reason: String,
    /// Evidence counted, for steps that have some.
    pub evidence: Option<EvidenceProgress>,
}

/// The stages of development of a community of practice, after Wenger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::VariantArray)]
#[serde(rename_all = "lowercase")]
pub enum DevelopmentStage {
    /// Loose network, discovering common ground.
    Potential,
    /// Coming together, building trust.
    Coalescing,
    /// Setting standards, growing, focusing.
    Maturing,
    /// Sustaining momentum, renewing.
    Stewardship,
    /// Ending or becoming something else.
    Transformation,
}

impl DevelopmentStage {
    /// The name stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            DevelopmentStage::Potential => "potential",
            DevelopmentStage::Coalescing => "coalescing",
            DevelopmentStage::Maturing => "maturing",
            DevelopmentStage::Stewardship => "stewardship",
            DevelopmentStage::Transformation => "transformation",
        }
    }

    /// Parses a stage's name.
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        <Self as strum::VariantArray>::VARIANTS
            .iter()
            .copied()
            .find(|st| st.as_str() == s)
            .ok_or(Error::InvalidValue {
                field: "stage of development",
                value: s,
                expected: "one of potential, coalescing, maturing, stewardship, transformation",
            })
    }
}

/// One placing of the community among the stages of development.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StageCheck {
    /// The day, YYYY-MM-DD.
    pub checked_on: String,
    /// The stage.
    pub stage: DevelopmentStage,
    /// Why.
    pub note: String,
}

/// The plan on a day.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanView {
    /// The playbook's name.
    pub playbook: String,
    /// True for the shipped default.
    pub is_default: bool,
    /// Why the team's edited playbook is skipped for the default, if it is (it no longer
    /// parses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub playbook_problem: Option<String>,
    /// Day 0, YYYY-MM-DD.
    pub launch_date: String,
    /// The day seen from.
    pub date: String,
    /// Days since the launch date.
    #[ts(type = "number")]
    pub day: i64,
    /// Phases.
    pub phases: Vec<Phase>,
    /// Steps with progress.
    pub steps: Vec<PlanStep>,
    /// Steps closed (done or skipped).
    pub closed: u32,
    /// Stage checks, newest first.
    pub stage_checks: Vec<StageCheck>,
    /// True when the last stage check is more than a month old (or there is none).
    pub stage_check_due: bool,
}

/// A change to a step.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum StepChange {
    /// Mark it done, with an optional note.
    Done {
        /// A note.
        note: String,
    },
    /// Skip it, saying why.
    Skip {
        /// The reason.
        reason: String,
    },
    /// Open it again (evidence may still close it).
    Reopen,
    /// Give it to another role.
    Assign {
        /// The new owner.
        owner: Role,
    },
    /// Change the note only.
    Note {
        /// The note.
        note: String,
    },
}

/// How much of each kind of evidence the data holds at the end of `day`.
pub async fn evidence_count(store: &Store, kind: EvidenceKind, day: NaiveDate) -> Result<u32> {
    use crate::model::ActivityKind;
    let end = time::format(facts::end_of(day));
    let sql = match kind {
        EvidenceKind::Members => return in_memory(store, day, members_before).await,
        EvidenceKind::Posts => {
            return in_memory(store, day, |ix, end| {
                kind_before(ix, end, ActivityKind::Post)
            })
            .await
        }
        EvidenceKind::Replies => {
            return in_memory(store, day, |ix, end| {
                kind_before(ix, end, ActivityKind::Reply)
            })
            .await
        }
        EvidenceKind::Welcomed => return in_memory(store, day, welcomed_before).await,
        EvidenceKind::Champions => {
            "SELECT COUNT(*) FROM members WHERE role = 'champion' AND ?1 IS NOT NULL"
        }
        EvidenceKind::Facilitators => {
            "SELECT COUNT(*) FROM members WHERE role = 'facilitator' AND ?1 IS NOT NULL"
        }
        EvidenceKind::Sponsors => {
            "SELECT COUNT(*) FROM members WHERE role = 'sponsor' AND ?1 IS NOT NULL"
        }
        EvidenceKind::Events => return in_memory(store, day, events_before).await,
        EvidenceKind::Spaces => {
            "SELECT COUNT(*) FROM spaces WHERE kind <> 'event' AND ?1 IS NOT NULL"
        }
        EvidenceKind::StageChecks => {
            "SELECT COUNT(*) FROM stage_checks WHERE checked_on < substr(?1, 1, 10)"
        }
    };
    let n: i64 = sqlx::query_scalar(sql)
        .bind(end)
        .fetch_one(store.pool())
        .await?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// Evidence that needs every activity, counted by `count` (index, end in Unix seconds) from
/// participation health's in-memory index: in SQL each took a second on a million
/// activities, once per step.
async fn in_memory(
    store: &Store,
    day: NaiveDate,
    count: impl Fn(&Index, i64) -> usize,
) -> Result<u32> {
    let ix = crate::health::load::index(store).await?;
    Ok(u32::try_from(count(&ix, facts::end_of(day).timestamp())).unwrap_or(0))
}

/// Members (not bots) who joined, or first appeared, before `end`.
fn members_before(ix: &Index, end: i64) -> usize {
    ix.members
        .iter()
        .filter(|m| !m.bot && m.since().is_some_and(|s| s < end))
        .count()
}

/// Activities of `kind` by members (not bots) before `end`.
fn kind_before(ix: &Index, end: i64, kind: crate::model::ActivityKind) -> usize {
    ix.window(i64::MIN, end)
        .iter()
        .filter(|a| a.kind == kind)
        .count()
}

/// Event spaces someone had attended before `end`.
fn events_before(ix: &Index, end: i64) -> usize {
    ix.event_first.iter().filter(|&&t| t < end).count()
}

/// Members a leader, facilitator or champion had replied to before `end`.
fn welcomed_before(ix: &Index, end: i64) -> usize {
    ix.welcomed.iter().filter(|&&t| t < end).count()
}

struct Progress {
    status: StepStatus,
    owner: Option<Role>,
    note: String,
    reason: String,
}

async fn progress(store: &Store) -> Result<std::collections::HashMap<String, Progress>> {
    let rows = sqlx::query("SELECT step_id, status, owner, note, reason FROM plan_progress")
        .fetch_all(store.pool())
        .await?;
    let mut out = std::collections::HashMap::new();
    for r in rows {
        let status = match r.try_get::<String, _>("status")?.as_str() {
            "done" => StepStatus::Done,
            "skipped" => StepStatus::Skipped,
            _ => StepStatus::Open,
        };
        let owner: Option<String> = r.try_get("owner")?;
        out.insert(
            r.try_get("step_id")?,
            Progress {
                status,
                owner: owner.map(|o| o.parse()).transpose()?,
                note: r.try_get("note")?,
                reason: r.try_get("reason")?,
            },
        );
    }
    Ok(out)
}

fn timing(status: StepStatus, due: NaiveDate, day: NaiveDate) -> Timing {
    match status {
        StepStatus::Done | StepStatus::Skipped => Timing::Closed,
        StepStatus::Open if due < day => Timing::Overdue,
        StepStatus::Open if (due - day).num_days() < 7 => Timing::DueThisWeek,
        StepStatus::Open => Timing::Upcoming,
    }
}

async fn plan_step(
    store: &Store,
    step: &Step,
    p: Option<&Progress>,
    launch: NaiveDate,
    day: NaiveDate,
) -> Result<PlanStep> {
    let due = launch
        .checked_add_days(Days::new(step.due_day.into()))
        .unwrap_or(launch);
    let evidence = match step.done_when {
        Some(needed) => Some(EvidenceProgress {
            needed,
            have: evidence_count(store, needed.kind, day).await?,
            waiting: match needed.kind {
                EvidenceKind::Welcomed => Some(onboarding::awaiting_welcome(store, day).await?),
                _ => None,
            },
        }),
        None => None,
    };
    let marked = p.map_or(StepStatus::Open, |p| p.status);
    let by_evidence = marked == StepStatus::Open
        && evidence.is_some_and(|e| e.have >= e.needed.count && e.waiting.unwrap_or(0) == 0);
    let status = if by_evidence {
        StepStatus::Done
    } else {
        marked
    };
    Ok(PlanStep {
        owner: p.and_then(|p| p.owner).unwrap_or(step.owner),
        due: due.to_string(),
        status,
        done_by_evidence: by_evidence,
        timing: timing(status, due, day),
        note: p.map(|p| p.note.clone()).unwrap_or_default(),
        reason: p.map(|p| p.reason.clone()).unwrap_or_default(),
        evidence,
        step: step.clone(),
    })
}

/// The active plan as seen on `day`.
pub async fn view(store: &Store, day: NaiveDate, lang: Option<&str>) -> Result<PlanView> {
    let community = community::get(store).await?.ok_or(Error::NoCommunity)?;
    let launch = time::parse_date("launch date", &community.launch_date)?;
    let (book, is_default): (Playbook, bool) = playbook::active_in(store, lang).await?;
    let marks = progress(store).await?;
    let mut steps = Vec::with_capacity(book.steps.len());
    for s in &book.steps {
        steps.push(plan_step(store, s, marks.get(&s.id), launch, day).await?);
    }
    let stage_checks = stage_checks(store).await?;
    let stage_check_due = stage_checks.first().is_none_or(|c| {
        time::parse_date("checked_on", &c.checked_on).is_ok_and(|d| (day - d).num_days() > 30)
    });
    Ok(PlanView {
        playbook: book.name,
        is_default,
        playbook_problem: playbook::stored_problem(store).await?,
        launch_date: launch.to_string(),
        date: day.to_string(),
        day: (day - launch).num_days(),
        phases: book.phases,
        closed: steps
            .iter()
            .filter(|s| s.status != StepStatus::Open)
            .count() as u32,
        steps,
        stage_checks,
        stage_check_due,
    })
}

/// Applies a change to a step of the active playbook.
pub async fn change(store: &Store, step_id: &str, change: &StepChange) -> Result<()> {
    let book = playbook::active(store).await?;
    if !book.steps.iter().any(|s| s.id == step_id) {
        let known: Vec<&str> = book.steps.iter().map(|s| s.id.as_str()).collect();
        return Err(Error::StepNotFound {
            id: step_id.to_string(),
            known: known.join(", "),
        });
    }
    let (set, value) = match change {
        StepChange::Done { note } => ("status = 'done', note = ?2", note.clone()),
        StepChange::Skip { reason } if reason.trim().is_empty() => {
            return Err(Error::InvalidValue {
                field: "reason",
                value: String::new(),
                expected: "a reason for skipping the step",
            })
        }
        StepChange::Skip { reason } => ("status = 'skipped', reason = ?2", reason.clone()),
        StepChange::Reopen => ("status = 'open', reason = ?2", String::new()),
        StepChange::Assign { owner } => ("owner = ?2", owner.as_str().to_string()),
        StepChange::Note { note } => ("note = ?2", note.clone()),
    };
    let mut edit = capture::Edit::begin(store).await?;
    edit.watch(PLAN_PROGRESS, "step_id = ?", &[step_id]).await?;
    sqlx::query("INSERT INTO plan_progress (step_id, status, updated_at) VALUES (?1, 'open', ?2) ON CONFLICT(step_id) DO NOTHING")
        .bind(step_id)
        .bind(time::now())
        .execute(edit.conn())
        .await?;
    sqlx::query(&format!(
        "UPDATE plan_progress SET {set}, updated_at = ?3 WHERE step_id = ?1"
    ))
    .bind(step_id)
    .bind(value)
    .bind(time::now())
    .execute(edit.conn())
    .await?;
    edit.commit().await?;
    Ok(())
}

/// Records where the community stands among the stages of development.
pub async fn record_stage(
    store: &Store,
    day: NaiveDate,
    stage: DevelopmentStage,
    note: &str,
) -> Result<()> {
    let id = ids::new_id();
    let query =
        sqlx::query("INSERT INTO stage_checks (id, checked_on, stage, note) VALUES (?, ?, ?, ?)")
            .bind(&id)
            .bind(day.to_string())
            .bind(stage.as_str())
            .bind(note);
    capture::tracked_row(store, STAGE_CHECKS, &id, query).await?;
    Ok(())
}

/// Every stage check, newest first.
pub async fn stage_checks(store: &Store) -> Result<Vec<StageCheck>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT checked_on, stage, note FROM stage_checks ORDER BY checked_on DESC, id DESC",
    )
    .fetch_all(store.pool())
    .await?;
    rows.into_iter()
        .map(|(checked_on, stage, note)| {
            Ok(StageCheck {
                checked_on,
                stage: DevelopmentStage::parse(&stage)?,
                note,
            })
        })
        .collect()
}
