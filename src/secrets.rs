//! Secrets this laptop keeps for itself (the team passphrase, the hub's address with its
//! password), never in the database: a database file gets copied, backed up and mailed
//! around. They live in a file beside the database, `<database>.secrets`, that only this
//! account can read (mode 600), written whole and renamed into place; an in-memory store
//! keeps them in memory.
//!
//! (The system keyring would be the next step where one runs; headless machines and CI
//! have none, and a 600 file is what such laptops would fall back to anyway.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// Where a store's secrets are kept.
#[derive(Debug)]
pub enum Vault {
    /// A file only this account can read.
    File(PathBuf),
    /// Memory, for in-memory stores.
    Memory(Mutex<BTreeMap<String, String>>),
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::sync(format!(
        "{}: cannot keep the sync secrets: {e}",
        path.display()
    ))
}

impl Vault {
    /// The vault beside the database at `db`.
    pub fn beside(db: &Path) -> Vault {
        let mut name = db.as_os_str().to_owned();
        name.push(".secrets");
        Vault::File(PathBuf::from(name))
    }

    /// A vault in memory.
    pub fn in_memory() -> Vault {
        Vault::Memory(Mutex::new(BTreeMap::new()))
    }

    fn read(&self) -> Result<BTreeMap<String, String>> {
        match self {
            Vault::Memory(m) => Ok(m.lock().map(|m| m.clone()).unwrap_or_default()),
            Vault::File(path) => match crate::limits::read_regular(path, 1 << 20) {
                Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or_default()),
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
                let tmp = path.with_extension("secrets.tmp");
                write_private(&tmp, text.as_bytes()).map_err(|e| io(&tmp, e))?;
                std::fs::rename(&tmp, path).map_err(|e| io(path, e))
            }
        }
    }

    /// A secret, if kept.
    pub fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.read()?.remove(key))
    }

    /// Keeps a secret, or forgets it with `None`.
    pub fn set(&self, key: &str, value: Option<&str>) -> Result<()> {
        let mut all = self.read()?;
        match value {
            Some(v) => all.insert(key.to_string(), v.to_string()),
            None => all.remove(key),
        };
        self.write(&all)
    }
}

/// Writes `bytes` to a new file that only this account can read or write.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    set_mode(path, 0o600)?;
    f.write_all(bytes)?;
    f.sync_all()
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
