//! The app previews a kit in a sandboxed frame whose only stylesheet is the kit's own; the
//! window's CSP allows exactly that stylesheet by hash, and nothing else inline.

use base64::Engine;
use sha2::{Digest, Sha256};

#[test]
fn the_window_csp_allows_the_kit_stylesheet_by_its_hash() {
    let digest = Sha256::digest(tend::kit::html::STYLE.as_bytes());
    let hash = format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    );
    let conf = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src-tauri/tauri.conf.json"
    ))
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&conf).unwrap();
    let csp = json["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP string");
    let style = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("style-src"))
        .expect("style-src");
    assert_eq!(
        style,
        format!("style-src 'self' {hash}"),
        "update tauri.conf.json's style-src to this"
    );
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
}
