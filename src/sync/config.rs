//! Where this laptop syncs (a shared folder, a hub, or both) and the team passphrase, as the
//! app keeps them. They stay on this laptop: settings are never synced.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{folder, hub, SyncReport};
use crate::error::SyncError;
use crate::error::{Error, Result};
use crate::settings;
use crate::store::Store;

const FOLDER: &str = "sync.folder";
use crate::secrets::{HUB, PASSPHRASE};

/// The sync settings as the Sync view shows them (the passphrase itself never leaves the core).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncConfig {
    /// The shared folder, if any.
    pub folder: Option<String>,
    /// The hub's address, without its password, if any.
    pub hub: Option<String>,
    /// Whether change files are sealed with a team passphrase.
    pub sealed: bool,
}

/// New sync settings from the Sync view.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct SyncConfigInput {
    /// The shared folder (empty: none).
    pub folder: String,
    /// The hub's address (empty: none; unchanged when it is the shown address).
    pub hub: String,
    /// A new team passphrase: `None` keeps the current one, an empty one removes it.
    pub passphrase: Option<String>,
}

/// The current settings.
pub async fn get(store: &Store) -> Result<SyncConfig> {
    Ok(SyncConfig {
        folder: settings::get(store, FOLDER).await?,
        hub: store
            .secrets()
            .get(HUB)?
            .map(|u| hub::transport(&u).trim_start_matches("hub:").to_string()),
        sealed: store.secrets().get(PASSPHRASE)?.is_some(),
    })
}

fn optional(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// Checks and saves new settings.
pub async fn set(store: &Store, input: &SyncConfigInput) -> Result<SyncConfig> {
    let folder = optional(&input.folder);
    if let Some(dir) = folder {
        if !std::path::Path::new(dir).is_dir() {
            return Err(SyncError::FolderMissing { path: dir.into() }.into());
        }
    }
    settings::set(store, FOLDER, folder).await?;
    let shown = get(store).await?.hub;
    match optional(&input.hub) {
        None => store.secrets().set(HUB, None)?,
        Some(url) if Some(url) == shown.as_deref() => {}
        Some(url) => {
            if hub::transport(url).contains("invalid address") {
                return Err(SyncError::HubAddress {
                    given: hub::redacted(url),
                    reason: String::new(),
                }
                .into());
            }
            store.secrets().set(HUB, Some(url))?
        }
    }
    if let Some(pass) = &input.passphrase {
        store.secrets().set(PASSPHRASE, optional(pass))?;
    }
    get(store).await
}

/// The folder path, for watching.
pub async fn folder_path(store: &Store) -> Result<Option<String>> {
    settings::get(store, FOLDER).await
}

/// Syncs through every configured transport (the folder, then the hub): the app's "Sync
/// now" and a bare `tend sync`.
pub async fn run(store: &Store) -> Result<Vec<SyncReport>> {
    let pass = store.secrets().get(PASSPHRASE)?;
    let mut out = Vec::new();
    if let Some(dir) = settings::get(store, FOLDER).await? {
        out.push(folder::sync(store, std::path::Path::new(&dir), pass.as_deref()).await?);
    }
    if let Some(url) = store.secrets().get(HUB)? {
        out.push(hub::sync(store, &url, pass.as_deref()).await?);
    }
    if out.is_empty() {
        return Err(SyncError::NotSetUp.into());
    }
    Ok(out)
}

/// The team passphrase kept in a file (the command line's `--passphrase-file`): its text
/// without the final line break; an unreadable or empty file is an error naming it.
pub fn passphrase_from_file(path: &std::path::Path) -> Result<String> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::from(SyncError::Passphrase {
            message: format!("cannot read {}: {e}", path.display()),
        })
    };
    let bytes = crate::limits::read_regular(path, crate::limits::MAX_PASSPHRASE_FILE_BYTES)
        .map_err(|e| unreadable(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| unreadable(&e))?;
    let pass = text.trim_end_matches(['\r', '\n']).to_string();
    if pass.trim().is_empty() {
        return Err(SyncError::Passphrase {
            message: format!("{} is empty", path.display()),
        }
        .into());
    }
    Ok(pass)
}

/// The saved passphrase, for the folder watcher.
pub async fn passphrase(store: &Store) -> Result<Option<String>> {
    store.secrets().get(PASSPHRASE)
}
