//! Tend's window: a thin Tauri shell. Each command calls one core function and hands its
//! result, or its error as `{ code, message }`, to the web view. No logic lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod guide;
mod kits;
mod progress;
mod report;
mod sync;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Emitter, Manager, State};
use tend::api::{ApiError, ImportOutcome};
use tend::identity::{self, MergeSuggestion};
use tend::import::history::{self, ImportRecord};
use tend::import::{self, ImportOptions};
use tend::model::{Community, Member, MemberFilter, MemberPatch, MemberSummary, Overview};
use tend::watch::{self, WatchConfig, WatchEvent};
use tend::{community, members, settings, store, Store};

/// The store opened at start-up (or why it could not be), the flag that cancels the
/// running import, and the flags that stop the drop-folder and sync-folder watchers.
pub(crate) struct AppState {
    store: Result<Store, ApiError>,
    cancel: Arc<AtomicBool>,
    watching: Mutex<Option<Arc<AtomicBool>>>,
    syncing: Mutex<Option<Arc<AtomicBool>>>,
}

impl AppState {
    pub(crate) fn store(&self) -> Result<&Store, ApiError> {
        self.store.as_ref().map_err(Clone::clone)
    }
}

pub(crate) type Reply<T> = Result<T, ApiError>;

#[tauri::command]
async fn overview(state: State<'_, AppState>) -> Reply<Overview> {
    Ok(community::overview(state.store()?).await?)
}

/// Names the community, or changes its name, purpose and launch date.
#[tauri::command]
async fn community_set(
    state: State<'_, AppState>,
    name: String,
    purpose: String,
    launch_date: Option<String>,
) -> Reply<Community> {
    let new = community::NewCommunity {
        name,
        purpose,
        launch_date: launch_date.filter(|d| !d.trim().is_empty()),
    };
    Ok(community::init(state.store()?, &new).await?)
}

/// Fills an empty database with the demo community, to explore Tend (refused once the
/// database holds anything).
#[tauri::command]
async fn demo_create(state: State<'_, AppState>) -> Reply<()> {
    tend::demo::generate(state.store()?, &tend::demo::DemoConfig::default()).await?;
    Ok(())
}

/// Every country of ISO 3166, named in `lang`, in its alphabetical order.
#[tauri::command]
fn countries(lang: String) -> Vec<tend::countries::Country> {
    tend::countries::list(&lang)
}

/// What removing the demo would take away, for the confirmation.
#[tauri::command]
async fn demo_removal_preview(state: State<'_, AppState>) -> Reply<tend::demo::Removed> {
    Ok(tend::demo::removal_preview(state.store()?).await?)
}

/// Removes the demo community and everything made in it (refused once it has synced).
#[tauri::command]
async fn demo_remove(state: State<'_, AppState>) -> Reply<tend::demo::Removed> {
    Ok(tend::demo::remove(state.store()?).await?)
}

#[tauri::command]
async fn members_list(
    state: State<'_, AppState>,
    filter: MemberFilter,
) -> Reply<Vec<MemberSummary>> {
    Ok(members::list(state.store()?, &filter).await?)
}

/// What is typed in a search box, folded by the core's one rule (`tend::search`).
#[tauri::command]
fn search_fold(text: String) -> String {
    tend::search::fold(&text)
}

/// Writes the members `filter` keeps to `path` as CSV; returns how many.
#[tauri::command]
async fn roster_export(
    state: State<'_, AppState>,
    filter: MemberFilter,
    path: String,
) -> Reply<usize> {
    Ok(tend::roster::write_csv(state.store()?, &filter, std::path::Path::new(&path)).await?)
}

/// Writes everything Tend holds about member `id` to `path` (JSON); returns its activities.
#[tauri::command]
async fn member_export(state: State<'_, AppState>, id: String, path: String) -> Reply<usize> {
    Ok(
        tend::roster::write_access_request(state.store()?, &id, std::path::Path::new(&path))
            .await?,
    )
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

#[tauri::command]
async fn member_erase(state: State<'_, AppState>, id: String) -> Reply<tend::erasure::Erased> {
    Ok(tend::erasure::erase(state.store()?, &id).await?)
}

#[tauri::command]
async fn import_paths(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<String>,
    keep_bodies: bool,
    source: Option<String>,
) -> Reply<Vec<ImportOutcome>> {
    let store = state.store()?;
    state.cancel.store(false, Ordering::Relaxed);
    let opts = ImportOptions {
        // The user's choice, else found from the export's content.
        source_name: source
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        keep_bodies,
        // The file settles a chat's date order when it can; else day-first.
        date_order: None,
    };
    let mut out = Vec::new();
    // A folder of several exports imports each of them.
    let parts = paths.iter().flat_map(|p| import::parts(&PathBuf::from(p)));
    for path in parts.collect::<Vec<_>>() {
        let progress = progress::EventProgress::new(app.clone(), state.cancel.clone());
        let result = import::import_path(store, &path, &opts, &progress).await;
        out.push(outcome(path.display().to_string(), result));
    }
    Ok(out)
}

fn outcome(path: String, result: Result<import::FileReport, import::ImportError>) -> ImportOutcome {
    match result {
        Ok(report) => ImportOutcome {
            path,
            report: Some(report),
            error: None,
        },
        Err(e) => ImportOutcome {
            path,
            report: None,
            error: Some(e.into()),
        },
    }
}

#[tauri::command]
fn import_cancel(state: State<'_, AppState>) {
    state.cancel.store(true, Ordering::Relaxed);
}

#[tauri::command]
async fn import_history(state: State<'_, AppState>) -> Reply<Vec<ImportRecord>> {
    Ok(history::list(state.store()?, 200).await?)
}

#[tauri::command]
async fn merge_suggestions(state: State<'_, AppState>) -> Reply<Vec<MergeSuggestion>> {
    Ok(identity::suggestions(state.store()?).await?)
}

#[tauri::command]
async fn members_merge(state: State<'_, AppState>, keep: String, other: String) -> Reply<String> {
    Ok(identity::merge(state.store()?, &keep, &other).await?)
}

#[tauri::command]
async fn members_unmerge(state: State<'_, AppState>, merge_id: String) -> Reply<String> {
    Ok(identity::unmerge(state.store()?, &merge_id).await?)
}

#[tauri::command]
async fn members_split(
    state: State<'_, AppState>,
    member: String,
    identity: String,
) -> Reply<String> {
    Ok(identity::split(state.store()?, &member, &identity).await?)
}

#[tauri::command]
async fn members_not_same(state: State<'_, AppState>, a: String, b: String) -> Reply<()> {
    Ok(identity::not_same_person(state.store()?, &a, &b).await?)
}

#[tauri::command]
async fn drop_folder_get(state: State<'_, AppState>) -> Reply<Option<String>> {
    Ok(settings::get(state.store()?, settings::DROP_FOLDER).await?)
}

#[tauri::command]
async fn drop_folder_set(
    app: AppHandle,
    state: State<'_, AppState>,
    path: Option<String>,
) -> Reply<()> {
    let store = state.store()?;
    settings::set(store, settings::DROP_FOLDER, path.as_deref()).await?;
    start_watching(&app, &state, store.clone(), path);
    Ok(())
}

/// Stops the current watcher, and starts one on `dir` when given. Each import it makes is
/// sent to the window as a `watch-event`.
fn start_watching(app: &AppHandle, state: &AppState, store: Store, dir: Option<String>) {
    let Ok(mut slot) = state.watching.lock() else {
        return;
    };
    if let Some(stop) = slot.take() {
        stop.store(true, Ordering::Relaxed);
    }
    let Some(dir) = dir else { return };
    let stop = Arc::new(AtomicBool::new(false));
    *slot = Some(stop.clone());
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let cfg = WatchConfig::new(PathBuf::from(&dir));
        let send = |e: WatchEvent| {
            let notice = match e {
                WatchEvent::Imported(r) => outcome(r.path.clone(), Ok(r)),
                WatchEvent::Failed(p, err) => outcome(p.display().to_string(), Err(err)),
                WatchEvent::AlreadyImported(_) => return,
            };
            let _ = app.emit(tend::api::events::WATCH_EVENT, notice);
        };
        if let Err(e) = watch::run(&store, &cfg, send, || stop.load(Ordering::Relaxed)).await {
            let _ = app.emit(tend::api::events::WATCH_EVENT, outcome(dir, Err(e)));
        }
    });
}

/// The values a segment key takes in the community, with their member counts.
#[tauri::command]
async fn health_segment_values(
    state: State<'_, AppState>,
    key: tend::health::SegmentKey,
) -> Reply<Vec<tend::health::segments::SegmentValue>> {
    Ok(tend::health::segments::values_of(state.store()?, key).await?)
}

/// Every space with its purposes.
#[tauri::command]
async fn spaces_list(state: State<'_, AppState>) -> Reply<Vec<tend::spaces::SpaceTags>> {
    Ok(tend::spaces::list(state.store()?).await?)
}

/// Tags a space with its purposes (none clears them); shared with the team like any edit.
#[tauri::command]
async fn space_tag(
    state: State<'_, AppState>,
    space: String,
    purposes: Vec<tend::spaces::Purpose>,
) -> Reply<tend::spaces::SpaceTags> {
    Ok(tend::spaces::tag(state.store()?, &space, &purposes).await?)
}

/// The Health view in one call: the metrics and every chart drawn from them.
#[tauri::command]
async fn dashboard(
    state: State<'_, AppState>,
    lens: tend::health::LensChoice,
    dark: bool,
    lang: tend::words::Lang,
) -> Reply<tend::charts::Dashboard> {
    let style = tend::charts::Style::new(dark, lang);
    Ok(tend::charts::dashboard(state.store()?, &lens.resolve()?, &style).await?)
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
    let state = AppState {
        store: opened,
        cancel: Arc::new(AtomicBool::new(false)),
        watching: Mutex::new(None),
        syncing: Mutex::new(None),
    };
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(|app| {
            let state: State<'_, AppState> = app.state();
            if let Ok(store) = state.store() {
                let dir =
                    tauri::async_runtime::block_on(settings::get(store, settings::DROP_FOLDER))
                        .ok()
                        .flatten();
                start_watching(app.handle(), &state, store.clone(), dir);
                tauri::async_runtime::block_on(sync::start_sync_watch(
                    app.handle(),
                    &state,
                    store.clone(),
                    tend::sync::folder::FirstSync::AtOnce,
                ));
                // Read the community into memory for the dashboard while the window opens.
                let warm = store.clone();
                tauri::async_runtime::spawn(async move { tend::health::warm(&warm).await });
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            overview,
            members_list,
            roster_export,
            member_export,
            community_set,
            demo_create,
            demo_removal_preview,
            health_segment_values,
            dashboard,
            spaces_list,
            space_tag,
            countries,
            demo_remove,
            search_fold,
            member_get,
            member_update,
            member_erase,
            import_paths,
            import_cancel,
            import_history,
            merge_suggestions,
            members_merge,
            members_unmerge,
            members_not_same,
            members_split,
            drop_folder_get,
            drop_folder_set,
            guide::guide_today,
            guide::guide_mark,
            guide::plan_view,
            guide::plan_change,
            guide::plan_stage,
            guide::plan_ics,
            guide::playbook_text,
            guide::playbook_get,
            guide::playbook_save_form,
            guide::playbook_save,
            guide::playbook_default,
            guide::onboarding_board,
            guide::onboarding_set,
            guide::role_guides,
            kits::kit_preview,
            kits::kit_export,
            kits::kit_history,
            kits::kit_template_text,
            kits::kit_template_form,
            kits::kit_template_save_form,
            kits::kit_template_save,
            report::report_export,
            report::stories_list,
            report::story_add,
            report::story_remove,
            report::health_unanswered,
            sync::sync_config_get,
            sync::sync_config_set,
            sync::sync_name_set,
            sync::sync_now,
            sync::sync_status
        ])
        .run(tauri::generate_context!());
    if let Err(e) = app {
        eprintln!("error: the window could not start: {e}");
        std::process::exit(1);
    }
}
