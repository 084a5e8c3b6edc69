//! Tend's window: a thin Tauri shell. Each command calls one core function and hands its
//! result, or its error as `{ code, message }`, to the web view. No logic lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;

use tauri::State;
use tend::api::ApiError;
use tend::model::{Member, MemberFilter, MemberPatch, MemberSummary, Overview};
use tend::{community, members, store, Store};

/// The store opened at start-up, or why it could not be opened (shown by the UI).
struct AppState {
    store: Result<Store, ApiError>,
}

impl AppState {
    fn store(&self) -> Result<&Store, ApiError> {
        self.store.as_ref().map_err(Clone::clone)
    }
}

type Reply<T> = Result<T, ApiError>;

#[tauri::command]
async fn overview(state: State<'_, AppState>) -> Reply<Overview> {
    Ok(community::overview(state.store()?).await?)
}

#[tauri::command]
async fn members_list(
    state: State<'_, AppState>,
    filter: MemberFilter,
) -> Reply<Vec<MemberSummary>> {
    Ok(members::list(state.store()?, &filter).await?)
}

#[tauri::command]
async fn member_get(state: State<'_, AppState>, id: String) -> Reply<Member> {
    Ok(members::get(state.store()?, &id).await?)
}

#[tauri::command]
async fn member_update(
    state: State<'_, AppState>,
    id: String,
    patch: MemberPatch,
) -> Reply<Member> {
    Ok(members::update(state.store()?, &id, &patch).await?)
}

/// `--db PATH` from the command line, like the CLI's.
fn db_arg() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == "--db" {
            return args.next().map(PathBuf::from);
        }
        if let Some(p) = a.to_str().and_then(|s| s.strip_prefix("--db=")) {
            return Some(PathBuf::from(p));
        }
    }
    None
}

fn main() {
    let path = store::resolve_path(db_arg().as_deref());
    let opened = tauri::async_runtime::block_on(Store::open(&path)).map_err(ApiError::from);
    if let Err(e) = &opened {
        eprintln!("error: {}", e.message);
    }
    let app = tauri::Builder::default()
        .manage(AppState { store: opened })
        .invoke_handler(tauri::generate_handler![
            overview,
            members_list,
            member_get,
            member_update
        ])
        .run(tauri::generate_context!());
    if let Err(e) = app {
        eprintln!("error: the window could not start: {e}");
        std::process::exit(1);
    }
}
