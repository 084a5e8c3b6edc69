//! Import progress as window events: the core reports steps, this sends `import-progress`
//! events (at most one per percent) and reads the cancel flag the Cancel button sets.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use tauri::{AppHandle, Emitter};
use tend::api::ImportProgress;
use tend::import::Progress;

/// Progress of one import, sent to the window.
pub struct EventProgress {
    app: AppHandle,
    cancel: Arc<AtomicBool>,
    total: AtomicU64,
    done: AtomicU64,
}

impl EventProgress {
    /// Progress that emits on `app` and stops when `cancel` is set.
    pub fn new(app: AppHandle, cancel: Arc<AtomicBool>) -> Self {
        EventProgress {
            app,
            cancel,
            total: AtomicU64::new(0),
            done: AtomicU64::new(0),
        }
    }

    fn send(&self) {
        let progress = ImportProgress {
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        };
        let _ = self.app.emit(tend::api::events::IMPORT_PROGRESS, progress);
    }
}

impl Progress for EventProgress {
    fn start(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
        self.send();
    }

    fn advance(&self, n: u64) {
        let total = self.total.load(Ordering::Relaxed).max(1);
        let before = self.done.fetch_add(n, Ordering::Relaxed);
        if before * 100 / total != (before + n) * 100 / total {
            self.send();
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}
