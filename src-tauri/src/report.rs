//! The sponsor report, its value-creation stories, and the threads behind its response numbers.

use tauri::State;
use tend::health::LensChoice;
use tend::report::stories::{self, NewStory, Story};
use tend::report::{self, ReportOptions};

use crate::{AppState, Reply};

#[tauri::command]
pub async fn report_export(
    state: State<'_, AppState>,
    lens: LensChoice,
    options: ReportOptions,
    path: String,
) -> Reply<()> {
    report::write(
        state.store()?,
        &lens.resolve()?,
        &options,
        std::path::Path::new(&path),
    )
    .await?;
    Ok(())
}

#[tauri::command]
pub async fn stories_list(state: State<'_, AppState>, lens: LensChoice) -> Reply<Vec<Story>> {
    Ok(stories::in_period(state.store()?, lens.resolve()?.period).await?)
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
    lens: LensChoice,
) -> Reply<Vec<tend::health::threads::OpenThread>> {
    Ok(tend::health::threads::unanswered(state.store()?, &lens.resolve()?).await?)
}
