//! The drop folder: exports that land in a folder are imported once they have stopped
//! growing, each content only once, with every attempt in the import history. A file-system
//! watcher (notify) wakes the loop early; a periodic rescan catches what it missed (network
//! shares, sync tools).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::import::{self, history, FileReport, ImportError, ImportOptions, Silent};
use crate::limits;
use crate::store::Store;
use crate::watching::{Unwatched, Watching};

/// How a drop folder is watched.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// The folder.
    pub dir: PathBuf,
    /// How long a file must stay unchanged before it is imported.
    pub settle: Duration,
    /// How often the folder is rescanned even without events.
    pub rescan: Duration,
    /// Import options for everything that lands there.
    pub options: ImportOptions,
}

impl WatchConfig {
    /// Defaults: settle 2 s, rescan every 30 s.
    pub fn new(dir: PathBuf) -> Self {
        WatchConfig {
            dir,
            settle: Duration::from_secs(2),
            rescan: Duration::from_secs(30),
            options: ImportOptions::default(),
        }
    }
}

/// What happened to one entry of the folder.
#[derive(Debug)]
pub enum WatchEvent {
    /// Imported.
    Imported(FileReport),
    /// Its content was imported before.
    AlreadyImported(PathBuf),
    /// The import failed (recorded in the history); it is tried again when it changes.
    Failed(PathBuf, ImportError),
}

/// Size and modification time: an entry is settled when these stop changing.
type Stamp = (u64, Option<SystemTime>);

/// The stamp of a file, or of a folder's regular files (never through a link, so a link
/// loop cannot make it recurse forever).
fn stamp(path: &Path) -> Stamp {
    stamp_at(path, 0)
}

fn stamp_at(path: &Path, depth: usize) -> Stamp {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return (0, None);
    };
    if !meta.is_dir() {
        return (meta.len(), meta.modified().ok());
    }
    let mut total = (0, meta.modified().ok());
    if depth >= limits::MAX_FOLDER_DEPTH {
        return total;
    }
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten().take(limits::MAX_FOLDER_FILES) {
            let (size, time) = stamp_at(&e.path(), depth + 1);
            total = (total.0 + size, total.1.max(time));
        }
    }
    total
}

/// Why an entry of the drop folder is never opened: a link (it may point anywhere, or
/// loop), a pipe, device or socket (reading one may block forever).
fn refusal(path: &Path) -> Option<limits::Refused> {
    match limits::kind_of(path) {
        Err(e) => Some(e),
        Ok(m) if !m.is_file() && !m.is_dir() => Some(limits::Refused::Special),
        Ok(_) => None,
    }
}

/// Names that sync tools and browsers use while a file is still arriving.
fn is_partial(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.starts_with('.')
        || name.starts_with('~')
        || [".part", ".crdownload", ".tmp", ".download", ".partial"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// The folder's state between scans.
#[derive(Default)]
pub struct DropFolder {
    seen: HashMap<PathBuf, (Stamp, Instant)>,
    done: HashSet<(PathBuf, Stamp)>,
}

impl DropFolder {
    /// Scans once and imports every entry that has settled (with `settle` zero, every
    /// entry). Returns what happened.
    pub async fn scan(
        &mut self,
        store: &Store,
        cfg: &WatchConfig,
    ) -> Result<Vec<WatchEvent>, ImportError> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&cfg.dir)
            .map_err(|source| ImportError::Io {
                path: cfg.dir.clone(),
                source,
            })?
            .flatten()
            .map(|e| e.path())
            .filter(|p| !is_partial(p))
            .collect();
        entries.sort();
        let mut events = Vec::new();
        for path in entries {
            let now = stamp(&path);
            let since = match self.seen.get(&path) {
                Some((s, t)) if *s == now => *t,
                _ => {
                    self.seen.insert(path.clone(), (now, Instant::now()));
                    Instant::now()
                }
            };
            if since.elapsed() < cfg.settle || self.done.contains(&(path.clone(), now)) {
                continue;
            }
            self.done.insert((path.clone(), now));
            if let Some(reason) = refusal(&path) {
                events.push(WatchEvent::Failed(
                    path.clone(),
                    ImportError::Refused {
                        path: path.display().to_string(),
                        reason,
                    },
                ));
                continue;
            }
            events.push(self.take(store, cfg, &path).await?);
        }
        Ok(events)
    }

    async fn take(
        &self,
        store: &Store,
        cfg: &WatchConfig,
        path: &Path,
    ) -> Result<WatchEvent, ImportError> {
        let hash = match history::content_hash(path) {
            Ok(h) => h,
            Err(e) => return Ok(WatchEvent::Failed(path.to_path_buf(), e)),
        };
        if history::already_imported(store, &hash).await? {
            return Ok(WatchEvent::AlreadyImported(path.to_path_buf()));
        }
        if history::interrupted_before(store, &hash).await? {
            let e = ImportError::Interrupted {
                path: path.to_path_buf(),
            };
            return Ok(WatchEvent::Failed(path.to_path_buf(), e));
        }
        let attempt = history::attempt(store, path, &hash).await?;
        let outcome = import::import_path(store, path, &cfg.options, &Silent).await;
        history::attempt_over(store, &attempt).await?;
        Ok(match outcome {
            Ok(report) => WatchEvent::Imported(report),
            Err(ImportError::Store(e)) => return Err(ImportError::Store(e)),
            Err(e) => WatchEvent::Failed(path.to_path_buf(), e),
        })
    }
}

/// Watches `cfg.dir` until `stop` says so, handing every event to `on_event`. A link in
/// it is never followed, and a sub-folder that cannot be watched is handed on as a failure
/// (once; its content is still looked at by each scan) instead of stopping the watch ([`crate::watching`]).
pub async fn run(
    store: &Store,
    cfg: &WatchConfig,
    mut on_event: impl FnMut(WatchEvent),
    stop: impl Fn() -> bool,
) -> Result<(), ImportError> {
    let (mut watching, unwatched) =
        Watching::start(&cfg.dir, limits::MAX_FOLDER_DEPTH).map_err(|source| ImportError::Io {
            path: cfg.dir.clone(),
            source,
        })?;
    let report = |unwatched: Vec<Unwatched>, on_event: &mut dyn FnMut(WatchEvent)| {
        for u in unwatched {
            let failure = ImportError::Io {
                path: u.path.clone(),
                source: u.error,
            };
            on_event(WatchEvent::Failed(u.path, failure));
        }
    };
    report(unwatched, &mut on_event);
    let mut folder = DropFolder::default();
    let tick = cfg.settle.min(cfg.rescan).max(Duration::from_millis(200));
    let mut last_scan = Instant::now() - cfg.rescan;
    while !stop() {
        let woke = watching.changed(tick).await;
        let pending = folder
            .seen
            .values()
            .any(|(_, t)| t.elapsed() < cfg.settle * 2);
        let rescan = last_scan.elapsed() >= cfg.rescan;
        if woke || rescan {
            report(watching.refresh(), &mut on_event);
        }
        if woke || pending || rescan {
            last_scan = Instant::now();
            for e in folder.scan(store, cfg).await? {
                on_event(e);
            }
        }
    }
    Ok(())
}
