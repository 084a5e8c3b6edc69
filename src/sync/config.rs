//! Where this laptop syncs (a shared folder, a hub, or both) and the team passphrase, as the
//! app keeps them. They stay on this laptop: settings are never synced.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{folder, hub, SyncReport};
use crate::error::Result;
use crate::error::SyncError;
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
    crate::secrets::from_file(path).map_err(|message| SyncError::Passphrase { message }.into())
}

/// Whether a hub address carries a password (which the command line refuses: every
/// account on the computer can read a program's arguments).
pub fn hub_has_password(url: &str) -> bool {
    crate::sync::hub::redacted(url) != url
}

/// The hub address `url` with `password` put in, percent-encoded as the address's rules
/// want. An address that does not parse is handed back as it was, for the hub's own
/// error to name.
pub fn hub_with_password(url: &str, password: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_string();
    };
    match parsed.set_password(Some(password)) {
        Ok(()) => parsed.to_string(),
        Err(()) => url.to_string(),
    }
}

/// The hub address saved in the app (with its password) when it is `url`'s hub: the same
/// address but for the password.
pub fn saved_hub_for(store: &Store, url: &str) -> Result<Option<String>> {
    let Some(saved) = store.secrets().get(HUB)? else {
        return Ok(None);
    };
    let without = |u: &str| {
        url::Url::parse(u).ok().map(|mut p| {
            let _ = p.set_password(None);
            p
        })
    };
    Ok((without(&saved).is_some() && without(&saved) == without(url)).then_some(saved))
}

/// The saved passphrase, for the folder watcher.
pub async fn passphrase(store: &Store) -> Result<Option<String>> {
    store.secrets().get(PASSPHRASE)
}

#[cfg(test)]
mod hub_password_tests {
    use super::*;

    #[tokio::test]
    async fn a_password_goes_into_the_address_encoded_and_a_saved_hub_gives_its_own() {
        let url = "postgres://tend@hub.example.org/tend?sslmode=verify-full";
        assert!(!hub_has_password(url));
        let with = hub_with_password(url, "p@ss:w/rd");
        assert_eq!(
            with,
            "postgres://tend:p%40ss%3Aw%2Frd@hub.example.org/tend?sslmode=verify-full"
        );
        assert!(hub_has_password(&with));
        let store = Store::open_in_memory().await.unwrap();
        assert_eq!(saved_hub_for(&store, url).unwrap(), None);
        store.secrets().set(HUB, Some(&with)).unwrap();
        assert_eq!(saved_hub_for(&store, url).unwrap(), Some(with));
        let other = "postgres://tend@other.example.org/tend?sslmode=verify-full";
        assert_eq!(saved_hub_for(&store, other).unwrap(), None);
    }
}
