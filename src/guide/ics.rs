//! The plan's open steps as an iCalendar file (RFC 5545) that calendar apps import: one
//! all-day event per open step on its due date.

use icalendar::{Calendar, Component, Event, EventLike};

use super::plan::{PlanView, StepStatus};
use crate::error::Result;
use crate::time;

/// The calendar of `view`'s open steps; `community` names the calendar.
pub fn calendar(view: &PlanView, community: &str) -> Result<String> {
    let mut cal = Calendar::new();
    cal.name(&format!("{community} — {}", view.playbook));
    for s in view.steps.iter().filter(|s| s.status == StepStatus::Open) {
        let due = time::parse_date("due", &s.due)?;
        let description = format!(
            "Owner: {}\n\nWhy: {}\n\nHow: {}",
            s.owner, s.step.why, s.step.how
        );
        cal.push(
            Event::new()
                .uid(&format!("tend-plan-{}-{}@tend.local", s.step.id, s.due))
                .summary(&s.step.title)
                .description(&description)
                .all_day(due)
                .done(),
        );
    }
    Ok(cal.done().to_string())
}

/// Writes the calendar of the plan seen on `day` to `path`, the default plan's step titles
/// in `lang`; returns how many events it holds.
pub async fn export(
    store: &crate::Store,
    day: chrono::NaiveDate,
    lang: Option<&str>,
    path: &std::path::Path,
) -> Result<usize> {
    let view = super::plan::view(store, day, lang).await?;
    let name = crate::community::get(store)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let text = calendar(&view, &name)?;
    crate::document::write(path, text.as_bytes())?;
    Ok(view
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Open)
        .count())
}
