//! Team sync's own failures, each with what it names (the folder, the file, the hub, the
//! record) and what to do. They reach the shells as [`crate::Error::Sync`], whose code the UI
//! branches on ([`SyncError::code`]).

use std::path::PathBuf;

use super::ErrorCode;

/// Why team sync could not go on.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The shared folder is not there (an unplugged drive, a share not mounted).
    #[error("{path} is not a folder — create it, connect the drive, or pick the shared folder")]
    FolderMissing {
        /// The folder.
        path: PathBuf,
    },
    /// A file of the shared folder could not be read or written.
    #[error("sync: {path}: {source}")]
    File {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// This laptop's sync secrets (the hub's address, the passphrase) could not be kept.
    #[error("{path}: cannot keep the sync secrets: {source}")]
    Secrets {
        /// The secrets file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Neither a shared folder nor a hub has been chosen.
    #[error("choose a shared folder or a hub first")]
    NotSetUp,
    /// The hub's address is not a PostgreSQL address.
    #[error(
        "{given} is not a PostgreSQL address such as postgres://user:password@host/db{reason}"
    )]
    HubAddress {
        /// The address given, password left out.
        given: String,
        /// What the driver said, as ": …", or nothing.
        reason: String,
    },
    /// The hub did not answer.
    #[error("cannot reach the hub {hub}: {reason} — check the address and the network")]
    HubUnreachable {
        /// The hub, password left out.
        hub: String,
        /// Why, as the driver said it.
        reason: String,
    },
    /// The hub answered but refused a request (rights, a full disk, a table it cannot make).
    #[error("the hub {hub} refused to {doing}: {reason}")]
    Hub {
        /// The hub, password left out.
        hub: String,
        /// What Tend asked of it.
        doing: &'static str,
        /// Why, as the server said it.
        reason: String,
    },
    /// The team passphrase cannot be used.
    #[error("team passphrase: {message}")]
    Passphrase {
        /// What is wrong with it.
        message: String,
    },
    /// A change file could not be sealed.
    #[error("sync: cannot encrypt a change file")]
    Seal,
    /// A record from another laptop cannot be applied here.
    #[error("record {device}#{seq}: {reason}")]
    Record {
        /// The laptop that wrote it.
        device: String,
        /// Its sequence number there.
        seq: i64,
        /// What is wrong with it.
        reason: String,
    },
    /// The demo reached a team, so removing it here would not remove it from their laptops.
    #[error("this demo has already been synced with a team, and removing it here would not remove it from their laptops — start your community in a new database instead")]
    DemoShared,
}

impl SyncError {
    /// The stable code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            SyncError::FolderMissing { .. } => ErrorCode::SyncFolderMissing,
            SyncError::NotSetUp => ErrorCode::SyncNotSetUp,
            SyncError::HubUnreachable { .. } => ErrorCode::HubUnreachable,
            SyncError::Passphrase { .. } => ErrorCode::Passphrase,
            SyncError::HubAddress { .. } => ErrorCode::InvalidValue,
            SyncError::Secrets { .. } => ErrorCode::Io,
            SyncError::File { .. }
            | SyncError::Hub { .. }
            | SyncError::Seal
            | SyncError::Record { .. }
            | SyncError::DemoShared => ErrorCode::Sync,
        }
    }

    /// A failed read or write of `path` in the shared folder.
    pub fn file(path: &std::path::Path, source: std::io::Error) -> SyncError {
        SyncError::File {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A record of `device` numbered `seq` that cannot be applied, and why.
    pub fn record(device: &str, seq: i64, reason: impl Into<String>) -> SyncError {
        SyncError::Record {
            device: device.to_string(),
            seq,
            reason: reason.into(),
        }
    }
}
