//! The core's one error type. Every message says what went wrong and what to do next.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

/// Result with the core's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database file could not be created or opened.
    #[error(
        "cannot open the database at {path}: {source} — choose a file in a folder this account can write to"
    )]
    Open {
        /// The path that was tried.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("cannot update the database schema: {0} — is this database from a newer Tend?")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A role name that is not one of the five.
    #[error("unknown role '{0}': expected one of leader, facilitator, member, sponsor, champion")]
    UnknownRole(String),
    /// No member has this id.
    #[error("no member with id '{0}'")]
    MemberNotFound(String),
    /// An id prefix matches more than one member.
    #[error("id '{0}' matches several members — give more of the id")]
    AmbiguousId(String),
    /// A value that does not have the expected shape.
    #[error("invalid {field} '{value}': expected {expected}")]
    InvalidValue {
        /// Which field or argument.
        field: &'static str,
        /// What was given.
        value: String,
        /// What was expected instead.
        expected: &'static str,
    },
    /// A write would have left the data inconsistent; nothing of it was kept.
    #[error("{0}: nothing was kept — this is a bug in Tend, please report it")]
    Inconsistent(String),
    /// The community has not been set up yet.
    #[error("this database has no community yet — import your community's export, name the community, or explore the demo")]
    NoCommunity,
    /// An operation that needs an empty database found data in it.
    #[error("this database already holds a community — the demo fills only an empty database")]
    NotEmpty,
    /// A playbook that does not parse or does not hold together.
    #[error("playbook {name}: {message}")]
    Playbook {
        /// The file or text it came from.
        name: String,
        /// What is wrong, with the line where known.
        message: String,
    },
    /// A step id the active playbook does not have.
    #[error("no plan step '{id}' — the steps are: {known}")]
    StepNotFound {
        /// The id asked for.
        id: String,
        /// The ids that exist.
        known: String,
    },
    /// A kit template that does not parse or uses an unknown placeholder.
    #[error("kit template {name}: {message}")]
    Template {
        /// The file or template it came from.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A document (PDF, ZIP, PNG) that could not be produced.
    #[error("cannot produce the document: {message}")]
    Export {
        /// What went wrong.
        message: String,
    },
    /// A space name this community does not have.
    #[error("no space named '{space}' — the closest are: {closest}")]
    UnknownSpace {
        /// The name asked for.
        space: String,
        /// The closest names that exist, comma-separated.
        closest: String,
    },
    /// A file Tend was asked to write could not be written.
    #[error("cannot write {path}: {source} — choose another folder or file name")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A segment value this community does not have.
    #[error("no members in the segment {segment} — the closest values are: {closest}")]
    UnknownSegment {
        /// The segment asked for, as `key=value`.
        segment: String,
        /// The closest values that exist, comma-separated.
        closest: String,
    },
    /// The shared folder is not there (an unplugged drive, a share not mounted).
    #[error("{path} is not a folder — create it, connect the drive, or pick the shared folder")]
    SyncFolderMissing {
        /// The folder.
        path: PathBuf,
    },
    /// A file of the shared folder could not be read or written.
    #[error("sync: {path}: {source}")]
    SyncFile {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Neither a shared folder nor a hub has been chosen.
    #[error("choose a shared folder or a hub first")]
    SyncNotSetUp,
    /// The hub did not answer.
    #[error("cannot reach the hub {hub}: {reason} — check the address and the network")]
    HubUnreachable {
        /// The hub, password left out.
        hub: String,
        /// Why, as the driver said it.
        reason: String,
    },
    /// The team passphrase cannot be used.
    #[error("team passphrase: {message}")]
    Passphrase {
        /// What is wrong with it.
        message: String,
    },
    /// Team sync could not read or write a change file, reach the hub, or open sealed data.
    #[error("sync: {message}")]
    Sync {
        /// What went wrong, naming the file, device or server and what to do.
        message: String,
    },
}

/// Stable, machine-readable error codes the UI branches on (never on message text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The database could not be opened.
    DbOpen,
    /// A database operation failed.
    Db,
    /// The schema could not be migrated.
    Migrate,
    /// An unknown role.
    UnknownRole,
    /// A missing member.
    NotFound,
    /// An id prefix matching several members.
    AmbiguousId,
    /// A malformed value.
    InvalidValue,
    /// No community yet.
    NoCommunity,
    /// The database is not empty.
    NotEmpty,
    /// A file that is no export Tend reads.
    NotAnExport,
    /// A file that could not be read.
    Io,
    /// A damaged ZIP.
    Zip,
    /// A file whose content is not what its format requires.
    Malformed,
    /// An import stopped by the user.
    Cancelled,
    /// A live source could not be reached.
    Http,
    /// A playbook that does not parse.
    Playbook,
    /// A kit template that does not parse.
    Template,
    /// A document that could not be produced.
    Export,
    /// Team sync failed.
    Sync,
    /// The shared folder is not there.
    SyncFolderMissing,
    /// The hub did not answer.
    HubUnreachable,
    /// The team passphrase cannot be used.
    Passphrase,
    /// Neither a shared folder nor a hub has been chosen.
    SyncNotSetUp,
}

impl ErrorCode {
    /// Every code, in declaration order: the UI's table is generated from it
    /// (`errorCodes.ts`), so a new code reaches the window instead of turning into
    /// `internal`.
    pub const ALL: [ErrorCode; 23] = {
        use ErrorCode::*;
        [
            DbOpen,
            Db,
            Migrate,
            UnknownRole,
            NotFound,
            AmbiguousId,
            InvalidValue,
            NoCommunity,
            NotEmpty,
            NotAnExport,
            Io,
            Zip,
            Malformed,
            Cancelled,
            Http,
            Playbook,
            Template,
            Export,
            Sync,
            SyncFolderMissing,
            HubUnreachable,
            Passphrase,
            SyncNotSetUp,
        ]
    };

    /// Its place in [`ErrorCode::ALL`]: a `match` without a catch-all, so a new code does
    /// not compile until it has a place (a test checks the places match).
    pub const fn place(self) -> usize {
        use ErrorCode::*;
        match self {
            DbOpen => 0,
            Db => 1,
            Migrate => 2,
            UnknownRole => 3,
            NotFound => 4,
            AmbiguousId => 5,
            InvalidValue => 6,
            NoCommunity => 7,
            NotEmpty => 8,
            NotAnExport => 9,
            Io => 10,
            Zip => 11,
            Malformed => 12,
            Cancelled => 13,
            Http => 14,
            Playbook => 15,
            Template => 16,
            Export => 17,
            Sync => 18,
            SyncFolderMissing => 19,
            HubUnreachable => 20,
            Passphrase => 21,
            SyncNotSetUp => 22,
        }
    }

    /// The UI's table of codes, as TypeScript checked against the generated `ErrorCode`.
    pub fn typescript() -> String {
        let names: Vec<String> = Self::ALL
            .iter()
            .map(|c| serde_json::to_string(c).unwrap_or_default())
            .collect();
        format!(
            "// Generated from ErrorCode::ALL by `make bindings`: every code the core sends.\n\
             import type {{ ErrorCode }} from './ErrorCode';\n\n\
             export const ERROR_CODES = [{}] as const satisfies readonly ErrorCode[];\n\n\
             // Fails to compile when a code is missing from the list above.\n\
             type Missing = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;\n\
             export const EVERY_CODE_LISTED: [Missing] extends [never] ? true : false = true;\n",
            names.join(", ")
        )
    }
}

#[cfg(test)]
#[test]
fn every_code_has_its_place() {
    for (i, c) in ErrorCode::ALL.iter().enumerate() {
        assert_eq!(c.place(), i, "{c:?}");
    }
}

impl Error {
    /// A sync error with this message.
    pub fn sync(message: impl Into<String>) -> Error {
        Error::Sync {
            message: message.into(),
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Open { .. } => ErrorCode::DbOpen,
            Error::Db(_) => ErrorCode::Db,
            Error::Migrate(_) => ErrorCode::Migrate,
            Error::UnknownRole(_) => ErrorCode::UnknownRole,
            Error::MemberNotFound(_) => ErrorCode::NotFound,
            Error::AmbiguousId(_) => ErrorCode::AmbiguousId,
            Error::InvalidValue { .. } => ErrorCode::InvalidValue,
            Error::UnknownSegment { .. } => ErrorCode::InvalidValue,
            Error::Write { .. } => ErrorCode::Io,
            Error::UnknownSpace { .. } => ErrorCode::NotFound,
            Error::Inconsistent(_) => ErrorCode::Db,
            Error::NoCommunity => ErrorCode::NoCommunity,
            Error::NotEmpty => ErrorCode::NotEmpty,
            Error::Playbook { .. } => ErrorCode::Playbook,
            Error::StepNotFound { .. } => ErrorCode::NotFound,
            Error::Template { .. } => ErrorCode::Template,
            Error::Export { .. } => ErrorCode::Export,
            Error::Sync { .. } => ErrorCode::Sync,
            Error::SyncFolderMissing { .. } => ErrorCode::SyncFolderMissing,
            Error::HubUnreachable { .. } => ErrorCode::HubUnreachable,
            Error::Passphrase { .. } => ErrorCode::Passphrase,
            Error::SyncFile { .. } => ErrorCode::Sync,
            Error::SyncNotSetUp => ErrorCode::SyncNotSetUp,
        }
    }
}
