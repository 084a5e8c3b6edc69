//! The sponsor report, its value-creation stories, and the threads behind its response numbers.

use tauri::State;
use tend::health::Period;
use tend::report::stories::{self, NewStory, Story};
use tend::report::{self, ReportOptions};
use tend::time;

use crate::{AppState, Reply};

#[tauri::command]
pub async fn report_export(
    state: State<'_, AppState>,
    days: i64,
    options: ReportOptions,
    path: String,
) -> Reply<()> {
    let period = Period::days_to(time::today(), days.max(1));
    report::write(
        state.store()?,
        period,
        &options,
        std::path::Path::new(&path),
    )
    .await?;
    Ok(())
}

#[tauri::command]
pub async fn stories_list(state: State<'_, AppState>, days: i64) -> Reply<Vec<Story>> {
    Ok(stories::recent(state.store()?, days).await?)
}

#[tauri::command]
pub async fn story_add(state: State<'_, AppState>, story: NewStory) -> Reply<String> {
    Ok(stories::add(state.store()?, &story).await?)
}

#[tauri::command]
pub async fn story_remove(state: State<'_, AppState>, id: String) -> Reply<()> {
    Ok(stories::remove(state.store()?, &id).await?)
}

#[tauri::command]
pub async fn health_unanswered(
    state: State<'_, AppState>,
    days: i64,
) -> Reply<Vec<tend::health::threads::OpenThread>> {
    let period = Period::days_to(time::today(), days.max(1));
    Ok(tend::health::threads::unanswered(state.store()?, period).await?)
}
