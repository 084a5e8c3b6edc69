//! The UI's TypeScript types are generated from the core's; this fails when they drift.
//! Regenerate with `make bindings` (TEND_UPDATE_BINDINGS=1 cargo test --test it bindings::).

use std::collections::BTreeSet;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings")
}

#[test]
fn typescript_bindings_match_the_rust_types() {
    if std::env::var_os("TEND_UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(dir());
        tend::api::write_bindings(&dir()).expect("write bindings");
    }
    let expected = tend::api::bindings();
    for b in &expected {
        assert!(!b.text.contains("export failed"), "{}: {}", b.file, b.text);
        let on_disk = std::fs::read_to_string(dir().join(&b.file)).unwrap_or_default();
        assert_eq!(
            on_disk, b.text,
            "ui/src/lib/bindings/{} is stale: run `make bindings`",
            b.file
        );
    }
    let wanted: BTreeSet<String> = expected.into_iter().map(|b| b.file).collect();
    let present: BTreeSet<String> = std::fs::read_dir(dir())
        .expect("bindings folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert_eq!(
        present, wanted,
        "ui/src/lib/bindings holds files no Rust type makes"
    );
}
