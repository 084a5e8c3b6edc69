//! The core's error, the floor every module stands on. Every message says what went wrong
//! and what to do next. Each layer's own failures are an enum of their own, carried as one
//! variant with `#[from]`: [`SyncError`] here, [`DocumentError`], and the import layer's
//! `ImportError`, which carries this one.

mod sync;

pub use sync::SyncError;

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
    /// A query failed (or waited too long for another program's write: code `locked`).
    #[error("{}", db_message(.0))]
    Db(#[from] sqlx::Error),
    /// The database was brought to a schema by a newer Tend: left untouched.
    #[error("{} was written by a newer Tend (its schema {version} is not one this Tend knows): open it with that version or a newer one; this Tend left it untouched", .path.display())]
    NewerDatabase {
        /// The database.
        path: std::path::PathBuf,
        /// The first schema version this Tend does not know.
        version: i64,
    },
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
    /// A space name this community does not have.
    #[error("no space named '{space}' — the closest are: {closest}")]
    UnknownSpace {
        /// The name asked for.
        space: String,
        /// The closest names that exist, comma-separated.
        closest: String,
    },
    /// A file given by hand (a template, a playbook) could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why: a link, a special file, too large, or the system's error.
        #[source]
        source: crate::limits::Refused,
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
    /// Team sync could not go on: the folder, a file, the hub, the passphrase or a record.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// A document (chart, kit, report) could not be made.
    #[error(transparent)]
    Document(#[from] DocumentError),
}

/// Why a document (a chart's PNG, a kit's PDF or ZIP, the report, the roster) could not be
/// made. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// A file name whose ending is not a type this document is made in.
    #[error("{path}: expected a file name ending in {expected}")]
    FileType {
        /// The file asked for.
        path: PathBuf,
        /// The endings it could have, as ".html or .pdf".
        expected: String,
    },
    /// A chart could not be turned into a picture.
    #[error("cannot rasterise the chart: {reason}")]
    Rasterise {
        /// What the renderer said.
        reason: String,
    },
    /// Typst could not lay out or print a document.
    #[error("cannot {doing}: {reason}")]
    Typeset {
        /// What it was doing: "lay out the document", "write the PDF".
        doing: &'static str,
        /// Typst's diagnostics, joined.
        reason: String,
    },
    /// A ZIP, CSV or JSON file could not be put together.
    #[error("cannot build the {what}: {reason}")]
    Encode {
        /// What was being built: "ZIP", "roster", "member's data".
        what: &'static str,
        /// What the encoder said.
        reason: String,
    },
}

impl DocumentError {
    /// The stable code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            DocumentError::FileType { .. } => ErrorCode::InvalidValue,
            _ => ErrorCode::Export,
        }
    }

    /// An encoding failure of `what`.
    pub fn encode(what: &'static str, reason: impl std::fmt::Display) -> DocumentError {
        DocumentError::Encode {
            what,
            reason: reason.to_string(),
        }
    }
}

/// Stable, machine-readable error codes the UI branches on (never on message text). Every
/// code is listed by `VariantArray` for the UI's generated `ERROR_CODES` (in `lists.ts`),
/// so a new code reaches the window instead of turning into `internal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, strum::VariantArray)]
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
    /// Another program (a second Tend, the command line) is writing to the database.
    Locked,
}

impl Error {
    /// Tend failed to encode its own data as `what` (JSON of its own types): a bug.
    pub fn encoding(what: &str, e: impl std::fmt::Display) -> Error {
        Error::Inconsistent(format!("cannot encode {what}: {e}"))
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Open { .. } => ErrorCode::DbOpen,
            Error::Db(e) if is_busy(e) => ErrorCode::Locked,
            Error::Db(_) => ErrorCode::Db,
            Error::Migrate(_) | Error::NewerDatabase { .. } => ErrorCode::Migrate,
            Error::UnknownRole(_) => ErrorCode::UnknownRole,
            Error::MemberNotFound(_) => ErrorCode::NotFound,
            Error::AmbiguousId(_) => ErrorCode::AmbiguousId,
            Error::InvalidValue { .. } => ErrorCode::InvalidValue,
            Error::UnknownSegment { .. } => ErrorCode::InvalidValue,
            Error::Write { .. } | Error::Read { .. } => ErrorCode::Io,
            Error::UnknownSpace { .. } => ErrorCode::NotFound,
            Error::Inconsistent(_) => ErrorCode::Db,
            Error::NoCommunity => ErrorCode::NoCommunity,
            Error::NotEmpty => ErrorCode::NotEmpty,
            Error::Playbook { .. } => ErrorCode::Playbook,
            Error::StepNotFound { .. } => ErrorCode::NotFound,
            Error::Template { .. } => ErrorCode::Template,
            Error::Sync(e) => e.code(),
            Error::Document(e) => e.code(),
        }
    }
}

/// What a database failure says: another writer in plain words, else the driver's.
fn db_message(e: &sqlx::Error) -> String {
    if is_busy(e) {
        "the database is busy: another Tend, or the command line, is writing to it — try again in a moment".into()
    } else {
        format!("database error: {e}")
    }
}

/// Whether SQLite said the database is busy or locked (another connection writing, past the
/// store's busy timeout).
fn is_busy(e: &sqlx::Error) -> bool {
    let Some(db) = e.as_database_error() else {
        return false;
    };
    // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes (code + 256·n).
    db.code()
        .and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};

    #[tokio::test]
    async fn a_database_another_program_is_writing_is_locked_not_broken() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("t.db"))
            .create_if_missing(true)
            .busy_timeout(std::time::Duration::ZERO);
        let mut first = options.connect().await.expect("first");
        let mut second = options.connect().await.expect("second");
        sqlx::query("CREATE TABLE t (x)")
            .execute(&mut first)
            .await
            .expect("table");
        let _held = first.begin_with("BEGIN IMMEDIATE").await.expect("lock");
        let refused = sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&mut second)
            .await
            .expect_err("the second writer must wait");
        let refused = Error::Db(refused);
        assert_eq!(refused.code(), ErrorCode::Locked);
        assert!(refused.to_string().contains("another Tend"), "{refused}");
        let other = sqlx::query("SELECT * FROM missing")
            .execute(&mut second)
            .await
            .expect_err("no such table");
        assert_eq!(Error::Db(other).code(), ErrorCode::Db);
    }
}
