//! Feeds arbitrary bytes to every importer: the first byte picks the file name (and so the
//! format's detection path), the rest is the content. Any error is fine; a panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tend::import::{import_path, ImportOptions, Silent};

const NAMES: &[&str] = &["export.zip", "list.mbox", "list.mbox.gz", "topic.json", "report.csv", "users.json"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(NAMES[pick as usize % NAMES.len()]);
    std::fs::write(&path, content).expect("write");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let store = tend::Store::open_in_memory().await.expect("store");
        let _ = import_path(&store, &path, &ImportOptions::default(), &Silent).await;
    });
});
