//! The import layer's error: each one names the file, and the line or record, and says
//! what was expected.

use std::path::PathBuf;

/// Why a file could not be imported. Nothing of that file was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The path exists but is not an export Tend knows.
    #[error("{path}: not an export Tend can read — {hint}")]
    NotAnExport {
        /// The file or folder.
        path: PathBuf,
        /// What Tend looked for.
        hint: String,
    },
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file refused before reading: a link, a special file, or larger than Tend reads.
    #[error("{path}: left out — {reason}")]
    Refused {
        /// The file, or the member inside an archive.
        path: String,
        /// Why.
        #[source]
        reason: crate::limits::Refused,
    },
    /// The drop folder set a file aside: an earlier import of the same content stopped
    /// before it finished (Tend closed or crashed while reading it).
    #[error("{path}: set aside — an earlier import of this content stopped before it finished (Tend closed or crashed while reading it); import it by hand to try again")]
    Interrupted {
        /// The file or folder.
        path: PathBuf,
    },
    /// A ZIP that is truncated or damaged.
    #[error("{path}: the ZIP archive is damaged or truncated ({message}) — export it again")]
    Zip {
        /// The archive.
        path: PathBuf,
        /// What the ZIP reader said.
        message: String,
    },
    /// A file whose content is not what the format requires.
    #[error("{path}{at}: {message}", at = at(*.line, *.column))]
    Malformed {
        /// The file, or the member inside an archive.
        path: String,
        /// 1-based line, where known.
        line: Option<u64>,
        /// 1-based column, where known.
        column: Option<u64>,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A request to a live source failed.
    #[error("{url}: {message} — check the address, the API key and the network")]
    Http {
        /// The URL requested.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The user stopped the import; nothing of the file was kept.
    #[error("import cancelled: nothing of {0} was kept")]
    Cancelled(PathBuf),
    /// The store refused a write.
    #[error(transparent)]
    Store(#[from] crate::Error),
}

fn at(line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" line {l}, column {c}"),
        (Some(l), None) => format!(" line {l}"),
        _ => String::new(),
    }
}

impl ImportError {
    /// The stable code the UI branches on.
    pub fn code(&self) -> crate::error::ErrorCode {
        use crate::error::ErrorCode;
        match self {
            ImportError::NotAnExport { .. } => ErrorCode::NotAnExport,
            ImportError::Io { .. }
            | ImportError::Refused { .. }
            | ImportError::Interrupted { .. } => ErrorCode::Io,
            ImportError::Zip { .. } => ErrorCode::Zip,
            ImportError::Malformed { .. } => ErrorCode::Malformed,
            ImportError::Cancelled(_) => ErrorCode::Cancelled,
            ImportError::Http { .. } => ErrorCode::Http,
            ImportError::Store(e) => e.code(),
        }
    }
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Store(crate::Error::Db(e))
    }
}

impl ImportError {
    /// A JSON document that did not parse, with serde's line and column.
    pub fn json(path: &str, e: &serde_json::Error, expected: &str) -> Self {
        ImportError::Malformed {
            path: path.to_string(),
            line: Some(e.line() as u64),
            column: Some(e.column() as u64),
            message: format!("{e} — expected {expected}"),
        }
    }
}
