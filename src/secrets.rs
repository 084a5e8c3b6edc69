//! Secrets this laptop keeps for itself (the team passphrase, the hub's address with its
//! password, its signing key), never in the database: a database file gets copied, backed
//! up and mailed around. They go to the system's credential store (Secret Service,
//! Keychain, Credential Manager; the `keyring` crate) under the service `tend` and the
//! database's path, where one runs; where none does (headless machines, CI), to a file
//! beside the database, `<database>.secrets`, that only this account can read (mode 600),
//! written whole and renamed into place. An in-memory store keeps them in memory.
//! `TEND_NO_KEYRING=1` uses the file even where a keyring runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// The hub's address, with its password.
pub const HUB: &str = "sync.hub";

/// The team passphrase.
pub const PASSPHRASE: &str = "sync.passphrase";

/// The secrets an older Tend kept in the settings table; opening a store moves them here.
pub const FORMERLY_SETTINGS: [&str; 2] = [HUB, PASSPHRASE];

/// Where a store's secrets are kept.
#[derive(Debug)]
pub enum Vault {
    /// A file only this account can read.
    File(PathBuf),
    /// Memory, for in-memory stores.
    Memory(Mutex<BTreeMap<String, String>>),
}

fn io(path: &Path, source: std::io::Error) -> Error {
    crate::error::SyncError::Secrets {
        path: path.to_path_buf(),
        source,
    }
    .into()
}

impl Vault {
    /// The vault beside the database at `db`.
    pub fn beside(db: &Path) -> Vault {
        let mut name = db.as_os_str().to_owned();
        name.push(".secrets");
        Vault::File(PathBuf::from(name))
    }

    /// The keyring entry for `key` of the database this vault sits beside, where a system
    /// credential store runs.
    fn keyring(&self, key: &str) -> Option<keyring::Entry> {
        let Vault::File(path) = self else {
            return None;
        };
        if std::env::var_os("TEND_NO_KEYRING").is_some_and(|v| !v.is_empty()) {
            return None;
        }
        keyring::Entry::store_status().as_ref().ok()?;
        let db = path.with_extension("");
        keyring::Entry::new("tend", &format!("{key}@{}", db.display())).ok()
    }

    /// A vault in memory.
    pub fn in_memory() -> Vault {
        Vault::Memory(Mutex::new(BTreeMap::new()))
    }

    fn read(&self) -> Result<BTreeMap<String, String>> {
        match self {
            Vault::Memory(m) => Ok(m.lock().map(|m| m.clone()).unwrap_or_default()),
            Vault::File(path) => match crate::limits::read_regular(path, 1 << 20) {
                Ok(bytes) => {
                    tighten(path).map_err(|e| io(path, e))?;
                    Ok(serde_json::from_slice(&bytes).unwrap_or_default())
                }
                Err(crate::limits::Refused::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                    Ok(BTreeMap::new())
                }
                Err(e) => Err(io(path, e.into_io())),
            },
        }
    }

    fn write(&self, all: &BTreeMap<String, String>) -> Result<()> {
        match self {
            Vault::Memory(m) => {
                if let Ok(mut m) = m.lock() {
                    *m = all.clone();
                }
                Ok(())
            }
            Vault::File(path) => {
                let text = serde_json::to_string(all).unwrap_or_default();
                crate::document::write(path, text.as_bytes())
            }
        }
    }

    /// A secret, if kept (in the keyring, else in the file).
    pub fn get(&self, key: &str) -> Result<Option<String>> {
        if let Some(entry) = self.keyring(key) {
            if let Ok(v) = entry.get_password() {
                return Ok(Some(v));
            }
        }
        Ok(self.read()?.remove(key))
    }

    /// Keeps a secret, or forgets it with `None`: in the keyring where one takes it (and
    /// then never in the file), else in the file.
    pub fn set(&self, key: &str, value: Option<&str>) -> Result<()> {
        let in_keyring = match (self.keyring(key), value) {
            (Some(entry), Some(v)) => entry.set_password(v).is_ok(),
            (Some(entry), None) => {
                let _ = entry.delete_credential();
                false
            }
            (None, _) => false,
        };
        let mut all = self.read()?;
        let changed = match value {
            Some(v) if !in_keyring => {
                all.insert(key.to_string(), v.to_string()).as_deref() != Some(v)
            }
            _ => all.remove(key).is_some(),
        };
        if changed {
            self.write(&all)?;
        }
        Ok(())
    }
}

/// A secret kept in a file (a passphrase, a password, an API key given to the command line
/// as `--…-file`): its text without the final line break. An unreadable or empty file is
/// refused with words naming it.
pub fn from_file(path: &Path) -> std::result::Result<String, String> {
    let unreadable = |e: &dyn std::fmt::Display| format!("cannot read {}: {e}", path.display());
    let bytes = crate::limits::read_regular(path, crate::limits::MAX_PASSPHRASE_FILE_BYTES)
        .map_err(|e| unreadable(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| unreadable(&e))?;
    let secret = text.trim_end_matches(['\r', '\n']).to_string();
    if secret.trim().is_empty() {
        return Err(format!("{} is empty", path.display()));
    }
    Ok(secret)
}

/// A secrets file others may read (left at 644 by an older Tend, or copied) is made 600
/// when it is read. The file was just opened as a regular file, never through a link.
fn tighten(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::symlink_metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            return set_mode(path, 0o600);
        }
    }
    let _ = path;
    Ok(())
}

/// Sets a file's or folder's permission bits (nothing where the OS has none).
pub fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tighten_tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_secrets_file_others_can_read_is_made_private_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tend.db.secrets");
        std::fs::write(&path, r#"{"sync.passphrase":"x"}"#).unwrap();
        set_mode(&path, 0o644).unwrap();
        let vault = Vault::File(path.clone());
        assert_eq!(vault.read().unwrap().len(), 1);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
