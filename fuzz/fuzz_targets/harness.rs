//! What every fuzz target shares: one runtime and one in-memory store for the whole run
//! (opening and migrating a store per input made fuzzing a hundred times slower), and a
//! fresh folder per input holding the export's files.

use std::sync::OnceLock;

use tend::import::{import_path, ImportOptions, Silent};

struct Harness {
    rt: tokio::runtime::Runtime,
    store: tend::Store,
}

static HARNESS: OnceLock<Harness> = OnceLock::new();

fn harness() -> &'static Harness {
    HARNESS.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let store = rt.block_on(tend::Store::open_in_memory()).expect("store");
        Harness { rt, store }
    })
}

/// Writes `files` (path inside the export, content) to a fresh folder and imports `target`
/// (a file of it, or "" for the folder). Any error is fine; a panic is a bug.
pub fn import(files: &[(&str, &[u8])], target: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, content) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(&path, content).expect("write");
    }
    let h = harness();
    let path = dir.path().join(target);
    let _ = h
        .rt
        .block_on(import_path(&h.store, &path, &ImportOptions::default(), &Silent));
}

/// Splits an input into the index of the file it replaces (its first byte, modulo `n`) and
/// the content.
#[allow(dead_code)] // only the targets that replace one file of several use it
pub fn pick(data: &[u8], n: usize) -> Option<(usize, &[u8])> {
    let (&first, rest) = data.split_first()?;
    Some((first as usize % n, rest))
}
