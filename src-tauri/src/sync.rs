//! Team sync: where this laptop syncs, "Sync now", the state the Sync view shows, and the
//! shared folder's watcher (each sync it makes goes to the window as a `sync-event`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tauri::{AppHandle, Emitter, State};
use tend::api::{events, SyncEvent};
use tend::sync::config::{self, SyncConfig, SyncConfigInput};
use tend::sync::status::{self, SyncStatus};
use tend::sync::{folder, SyncReport};
use tend::Store;

use crate::{AppState, Reply};

#[tauri::command]
pub async fn sync_config_get(state: State<'_, AppState>) -> Reply<SyncConfig> {
    Ok(config::get(state.store()?).await?)
}

/// Names this laptop for its team; the name travels with the next sync.
#[tauri::command]
pub async fn sync_name_set(state: State<'_, AppState>, name: String) -> Reply<Option<String>> {
    Ok(tend::sync::names::set_own(state.store()?, &name).await?)
}

#[tauri::command]
pub async fn sync_config_set(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SyncConfigInput,
) -> Reply<SyncConfig> {
    let store = state.store()?;
    let saved = config::set(store, &input).await?;
    // Saving saves: the restarted watch syncs on a change in the folder or within a
    // minute; Sync now syncs at once.
    start_sync_watch(&app, &state, store.clone(), folder::FirstSync::OnChange).await;
    Ok(saved)
}

#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Reply<Vec<SyncReport>> {
    Ok(config::run(state.store()?).await?)
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Reply<SyncStatus> {
    Ok(status::status(state.store()?).await?)
}

/// Stops the folder watcher, and starts one on the configured shared folder, if any: it
/// syncs when the folder changes and every minute.
pub async fn start_sync_watch(
    app: &AppHandle,
    state: &AppState,
    store: Store,
    first: folder::FirstSync,
) {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let Ok(mut slot) = state.syncing.lock() else {
            return;
        };
        if let Some(old) = slot.replace(stop.clone()) {
            old.store(true, Ordering::Relaxed);
        }
    }
    let (Ok(Some(dir)), Ok(pass)) = (
        config::folder_path(&store).await,
        config::passphrase(&store).await,
    ) else {
        return;
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let send = |r: tend::Result<SyncReport>| {
            let _ = app.emit(events::SYNC_EVENT, SyncEvent::from(r));
        };
        let dir = std::path::PathBuf::from(dir);
        let stopped = || stop.load(Ordering::Relaxed);
        let watched = folder::watch(
            &store,
            &dir,
            pass.as_deref(),
            folder::RESCAN,
            first,
            send,
            stopped,
        )
        .await;
        if let Err(e) = watched {
            let _ = app.emit(events::SYNC_EVENT, SyncEvent::from(Err(e)));
        }
    });
}
