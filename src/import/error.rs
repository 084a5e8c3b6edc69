//! The import layer's error: each one names the file, and the line or record, and says
//! what was expected. Its message is words of `src/words` ([`ErrorWords`]): the command
//! line prints them in English, the app in the language it shows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::words::{self, Lang};

/// What a file that is no export looked like, so its message can say which formats are
/// near.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Looked {
    /// A file of zero bytes (or only blank space).
    Empty,
    /// A file named `.zip` whose bytes are not a ZIP archive.
    NotZip,
    /// Bytes that are not text, nor a ZIP or gzip archive.
    Binary,
    /// A ZIP archive without the files of any export Tend knows.
    Zip,
    /// A folder holding no export Tend knows, with how many files it holds.
    Folder(usize),
    /// JSON that is not a Discourse, Telegram or DiscordChatExporter export.
    Json,
    /// A table whose first row is these columns.
    Table(String),
    /// Text of no known shape.
    Text,
}

impl Looked {
    fn key(&self) -> &'static str {
        match self {
            Looked::Empty => "import.error.empty",
            Looked::NotZip => "import.error.notZip",
            Looked::Binary => "import.error.binary",
            Looked::Zip => "import.error.zip.noExport",
            Looked::Folder(_) => "import.error.folder",
            Looked::Json => "import.error.json",
            Looked::Table(_) => "import.error.table",
            Looked::Text => "import.error.text",
        }
    }
}

/// A message as words: a key of `src/words/*.toml` and the values it is filled with. The
/// app words it in its language (the keys are in its dictionaries); `Display` says it in
/// English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorWords {
    /// The key.
    pub key: String,
    /// Each `{name}` of the text and its value.
    pub values: BTreeMap<String, String>,
}

impl ErrorWords {
    fn new(key: &str, values: &[(&str, String)]) -> ErrorWords {
        ErrorWords {
            key: key.to_string(),
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    /// The message in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        let values: Vec<(&str, &str)> = self
            .values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        words::fill(lang, &self.key, &values)
    }
}

/// Why a file could not be imported. Nothing of that file was written.
#[derive(Debug)]
pub enum ImportError {
    /// The path exists but is not an export Tend knows.
    NotAnExport {
        /// The file or folder.
        path: PathBuf,
        /// What it looked like.
        looked: Looked,
    },
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file refused before reading: a link, a special file, or larger than Tend reads.
    Refused {
        /// The file, or the member inside an archive.
        path: String,
        /// Why.
        reason: crate::limits::Refused,
    },
    /// The drop folder set a file aside: an earlier import of the same content stopped
    /// before it finished (Tend closed or crashed while reading it).
    Interrupted {
        /// The file or folder.
        path: PathBuf,
    },
    /// A ZIP that is truncated or damaged.
    Zip {
        /// The archive.
        path: PathBuf,
        /// What the ZIP reader said.
        message: String,
    },
    /// A file whose content is not what the format requires.
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
    Http {
        /// The URL requested.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The user stopped the import; nothing of the file was kept.
    Cancelled(PathBuf),
    /// The store refused a write.
    Store(crate::Error),
}

impl From<crate::Error> for ImportError {
    fn from(e: crate::Error) -> Self {
        ImportError::Store(e)
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self, self.words()) {
            (ImportError::Store(e), _) => write!(f, "{e}"),
            (_, Some(w)) => f.write_str(&w.say(Lang::En)),
            (_, None) => Ok(()),
        }
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::Io { source, .. } => Some(source),
            ImportError::Refused { reason, .. } => Some(reason),
            ImportError::Store(e) => e.source(),
            _ => None,
        }
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// The words of an operating system's refusal to read `path`.
fn io_words(path: &Path, e: &std::io::Error) -> ErrorWords {
    let path = shown(path);
    match e.kind() {
        std::io::ErrorKind::NotFound => ErrorWords::new("import.error.noFile", &[("path", path)]),
        std::io::ErrorKind::PermissionDenied => {
            ErrorWords::new("import.error.noAccess", &[("path", path)])
        }
        _ => ErrorWords::new(
            "import.error.io",
            &[("path", path), ("detail", e.to_string())],
        ),
    }
}

impl ImportError {
    /// The error as words the app can say in its language; `None` for the store's own
    /// errors, which have their code's words.
    pub fn words(&self) -> Option<ErrorWords> {
        let w = match self {
            ImportError::NotAnExport { path, looked } => {
                let mut values = vec![("path", shown(path))];
                match looked {
                    Looked::Folder(n) => values.push(("files", n.to_string())),
                    Looked::Table(columns) => values.push(("columns", columns.clone())),
                    _ => {}
                }
                ErrorWords::new(looked.key(), &values)
            }
            ImportError::Io { path, source } => io_words(path, source),
            ImportError::Refused {
                path,
                reason: crate::limits::Refused::Io(e),
            } => io_words(Path::new(path), e),
            ImportError::Refused { path, reason } => ErrorWords::new(
                "import.error.refused",
                &[("path", path.clone()), ("detail", reason.to_string())],
            ),
            ImportError::Interrupted { path } => {
                ErrorWords::new("import.error.interrupted", &[("path", shown(path))])
            }
            ImportError::Zip { path, message } => ErrorWords::new(
                "import.error.zip.damaged",
                &[("path", shown(path)), ("detail", message.clone())],
            ),
            ImportError::Malformed {
                path,
                line,
                column,
                message,
            } => {
                let mut values = vec![("path", path.clone()), ("detail", message.clone())];
                let key = match (line, column) {
                    (Some(l), Some(c)) => {
                        values.push(("line", l.to_string()));
                        values.push(("column", c.to_string()));
                        "import.error.malformedAtColumn"
                    }
                    (Some(l), None) => {
                        values.push(("line", l.to_string()));
                        "import.error.malformedAt"
                    }
                    _ => "import.error.malformed",
                };
                ErrorWords::new(key, &values)
            }
            ImportError::Http { url, message } => ErrorWords::new(
                "import.error.http",
                &[("url", url.clone()), ("detail", message.clone())],
            ),
            ImportError::Cancelled(path) => {
                ErrorWords::new("import.error.cancelled", &[("path", shown(path))])
            }
            ImportError::Store(_) => return None,
        };
        Some(w)
    }

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
