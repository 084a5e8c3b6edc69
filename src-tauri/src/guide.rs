//! The guide's commands: Today, the plan and its playbook, the onboarding board, role guides.
//! Each calls one core function; the day is always today.

use tauri::State;
use tend::guide::ics;
use tend::guide::onboarding::{self, Board, Stage};
use tend::guide::plan::{self, DevelopmentStage, PlanView, StepChange};
use tend::guide::playbook::{self, Playbook};
use tend::guide::texts::{self, RoleGuide};
use tend::guide::today::{self, ActionMark, Today};
use tend::time;

use crate::{AppState, Reply};

#[tauri::command]
pub async fn guide_today(state: State<'_, AppState>, lang: Option<String>) -> Reply<Today> {
    Ok(today::today_in(state.store()?, time::today(), lang.as_deref()).await?)
}

#[tauri::command]
pub async fn guide_mark(state: State<'_, AppState>, key: String, mark: ActionMark) -> Reply<()> {
    Ok(today::mark(state.store()?, &key, &mark).await?)
}

#[tauri::command]
pub async fn plan_view(state: State<'_, AppState>, lang: Option<String>) -> Reply<PlanView> {
    Ok(plan::view(state.store()?, time::today(), lang.as_deref()).await?)
}

#[tauri::command]
pub async fn plan_change(
    state: State<'_, AppState>,
    step: String,
    change: StepChange,
) -> Reply<()> {
    Ok(plan::change(state.store()?, &step, &change).await?)
}

#[tauri::command]
pub async fn plan_stage(
    state: State<'_, AppState>,
    stage: DevelopmentStage,
    note: String,
) -> Reply<()> {
    Ok(plan::record_stage(state.store()?, time::today(), stage, &note).await?)
}

#[tauri::command]
pub async fn plan_ics(
    state: State<'_, AppState>,
    path: String,
    lang: Option<String>,
) -> Reply<usize> {
    let path = std::path::Path::new(&path);
    Ok(ics::export(state.store()?, time::today(), lang.as_deref(), path).await?)
}

#[tauri::command]
pub async fn playbook_text(state: State<'_, AppState>) -> Reply<String> {
    Ok(playbook::active_text(state.store()?).await?.0)
}

#[tauri::command]
pub async fn playbook_save(state: State<'_, AppState>, text: String) -> Reply<Playbook> {
    Ok(playbook::save(state.store()?, "the edited playbook", &text).await?)
}

/// The active playbook for the form, the default's texts in `lang`.
#[tauri::command]
pub async fn playbook_get(state: State<'_, AppState>, lang: Option<String>) -> Reply<Playbook> {
    Ok(playbook::active_in(state.store()?, lang.as_deref())
        .await?
        .0)
}

/// Saves the playbook form (checked like edited text) and makes it the active playbook.
#[tauri::command]
pub async fn playbook_save_form(state: State<'_, AppState>, playbook: Playbook) -> Reply<Playbook> {
    Ok(playbook::save_form(state.store()?, &playbook).await?)
}

#[tauri::command]
pub async fn playbook_default(state: State<'_, AppState>) -> Reply<()> {
    Ok(playbook::use_default(state.store()?).await?)
}

#[tauri::command]
pub async fn onboarding_board(state: State<'_, AppState>) -> Reply<Board> {
    Ok(onboarding::board(state.store()?, time::today()).await?)
}

#[tauri::command]
pub async fn onboarding_set(
    state: State<'_, AppState>,
    member: String,
    stage: Option<Stage>,
    note: String,
) -> Reply<()> {
    let store = state.store()?;
    match stage {
        Some(s) => onboarding::set_override(store, &member, s, &note).await?,
        None => onboarding::clear_override(store, &member).await?,
    }
    Ok(())
}

#[tauri::command]
pub fn role_guides(lang: String) -> Vec<RoleGuide> {
    texts::role_guides(&lang)
}
