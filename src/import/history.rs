//! The import history: every file imported or tried, with its result, so the app can show
//! it and the drop folder never imports the same content twice.

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::error::ImportError;
use super::FileReport;
use crate::store::Store;
use crate::{ids, time};

/// A content hash (BLAKE3, hex) of a file, or of every file of a folder in name order.
pub fn content_hash(path: &Path) -> Result<String, ImportError> {
    let mut hasher = blake3::Hasher::new();
    let mut files = Vec::new();
    if path.is_dir() {
        files = super::files::regular_files(path)
            .into_iter()
            .map(|n| path.join(n))
            .collect();
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    for f in files {
        let io = |source| ImportError::Io {
            path: f.clone(),
            source,
        };
        let mut file = crate::limits::open_regular(&f).map_err(|e| io(e.into_io()))?;
        if path.is_dir() {
            hasher.update(
                f.strip_prefix(path)
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .as_bytes(),
            );
        }
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = file.read(&mut buf).map_err(|source| ImportError::Io {
                path: f.clone(),
                source,
            })?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
    }
    Ok(hasher.finalize().to_hex().to_string())
}

/// An earlier successful import of the same content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Earlier {
    /// Where that content was imported from.
    pub path: String,
    /// When that import finished (RFC 3339, UTC).
    pub finished_at: String,
    /// The source it went into (its name, as a person calls it).
    pub source: String,
    /// The source's key (`sources.name`): what a re-import of the same bytes goes to.
    #[serde(skip)]
    #[ts(skip)]
    pub source_key: String,
}

/// The latest successful import of content with `hash`, if any.
pub async fn earlier(store: &Store, hash: &str) -> Result<Option<Earlier>, ImportError> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT i.path, i.finished_at, COALESCE(s.label, s.name), s.name
         FROM imports i JOIN sources s ON s.id = i.source_id
         WHERE i.content_hash = ? AND i.status = 'ok' ORDER BY i.finished_at DESC LIMIT 1",
    )
    .bind(hash)
    .fetch_optional(store.pool())
    .await?;
    Ok(row.map(|(path, finished_at, source, source_key)| Earlier {
        path,
        finished_at,
        source,
        source_key,
    }))
}

/// The name of the source with `id`, as a person calls it (its label, else its key).
pub async fn source_name(store: &Store, id: &str) -> Result<String, ImportError> {
    Ok(
        sqlx::query_scalar("SELECT COALESCE(label, name) FROM sources WHERE id = ?")
            .bind(id)
            .fetch_optional(store.pool())
            .await?
            .unwrap_or_default(),
    )
}

/// What is known about an import when it ends.
pub struct Entry<'a> {
    /// The file or folder.
    pub path: &'a Path,
    /// Its content hash.
    pub hash: &'a str,
    /// When it started.
    pub started_at: &'a str,
}

/// Records a successful import.
pub async fn record_ok(
    store: &Store,
    e: &Entry<'_>,
    source_id: &str,
    r: &FileReport,
) -> Result<(), ImportError> {
    let detail = serde_json::to_string(&r.skipped).unwrap_or_default();
    sqlx::query(
        "INSERT INTO imports (id, path, content_hash, kind, source_id, started_at, finished_at, status, added, present, skipped, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'ok', ?, ?, ?, ?)",
    )
    .bind(ids::new_id())
    .bind(e.path.display().to_string())
    .bind(e.hash)
    .bind(r.kind.as_str())
    .bind(source_id)
    .bind(e.started_at)
    .bind(time::now())
    .bind(r.added as i64)
    .bind(r.already_present as i64)
    .bind(r.skipped.len() as i64)
    .bind(detail)
    .execute(&mut *store.local_writer().await?)
    .await?;
    Ok(())
}

/// A failure as the history keeps it: its words as JSON (the app says them in its
/// language), else its English text.
fn failure_detail(err: &ImportError) -> String {
    err.words()
        .and_then(|w| serde_json::to_string(&w).ok())
        .unwrap_or_else(|| err.to_string())
}

/// Records a failed import and its error.
pub async fn record_failure(
    store: &Store,
    e: &Entry<'_>,
    err: &ImportError,
) -> Result<(), ImportError> {
    sqlx::query(
        "INSERT INTO imports (id, path, content_hash, started_at, finished_at, status, detail)
         VALUES (?, ?, ?, ?, ?, 'failed', ?)",
    )
    .bind(ids::new_id())
    .bind(e.path.display().to_string())
    .bind(e.hash)
    .bind(e.started_at)
    .bind(time::now())
    .bind(failure_detail(err))
    .execute(&mut *store.local_writer().await?)
    .await?;
    Ok(())
}

/// What an attempt that never finished leaves in the history (its row is removed when the
/// import ends, whatever its outcome).
const INTERRUPTED: &str = "interrupted: the import stopped before it finished";

/// Notes, before the drop folder imports `path`, that it is trying: if Tend closes or
/// crashes during the import, the note stays, and the content is set aside next time
/// instead of being tried again on every start. Returns the note's id for [`attempt_over`].
pub async fn attempt(store: &Store, path: &Path, hash: &str) -> Result<String, ImportError> {
    let id = ids::new_id();
    sqlx::query(
        "INSERT INTO imports (id, path, content_hash, started_at, finished_at, status, detail)
         VALUES (?, ?, ?, ?, ?, 'failed', ?)",
    )
    .bind(&id)
    .bind(path.display().to_string())
    .bind(hash)
    .bind(time::now())
    .bind(time::now())
    .bind(INTERRUPTED)
    .execute(&mut *store.local_writer().await?)
    .await?;
    Ok(id)
}

/// Removes the note of an attempt that ended (the import recorded its own outcome).
pub async fn attempt_over(store: &Store, id: &str) -> Result<(), ImportError> {
    sqlx::query("DELETE FROM imports WHERE id = ?")
        .bind(id)
        .execute(&mut *store.local_writer().await?)
        .await?;
    Ok(())
}

/// Whether an import of this content was interrupted before.
pub async fn interrupted_before(store: &Store, hash: &str) -> Result<bool, ImportError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM imports WHERE content_hash = ? AND status = 'failed' AND detail = ?",
    )
    .bind(hash)
    .bind(INTERRUPTED)
    .fetch_one(store.pool())
    .await?;
    Ok(n > 0)
}

/// Whether content with this hash was imported successfully before.
pub async fn already_imported(store: &Store, hash: &str) -> Result<bool, ImportError> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM imports WHERE content_hash = ? AND status = 'ok'")
            .bind(hash)
            .fetch_one(store.pool())
            .await?;
    Ok(n > 0)
}

/// One line of the import history.
#[derive(Debug, Clone, PartialEq, Serialize, TS, sqlx::FromRow)]
pub struct ImportRecord {
    /// Global id.
    pub id: String,
    /// The file or folder.
    pub path: String,
    /// Its format, when known.
    pub kind: Option<String>,
    /// When it finished (RFC 3339).
    pub finished_at: String,
    /// `ok` or `failed`.
    pub status: String,
    /// Activities added.
    #[ts(type = "number")]
    pub added: i64,
    /// Activities already present.
    #[ts(type = "number")]
    pub present: i64,
    /// Records skipped.
    #[ts(type = "number")]
    pub skipped: i64,
    /// Skip reasons (JSON) or the error, in English.
    pub detail: String,
    /// A failure's words, which the app says in its language.
    #[sqlx(skip)]
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<super::ErrorWords>,
}

/// The history, newest first.
pub async fn list(store: &Store, limit: i64) -> Result<Vec<ImportRecord>, ImportError> {
    let mut records = sqlx::query_as::<_, ImportRecord>(
        "SELECT id, path, kind, finished_at, status, added, present, skipped, detail FROM imports
         ORDER BY finished_at DESC, id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    for r in records.iter_mut().filter(|r| r.status == "failed") {
        // Failures recorded before their words were kept stay as their text.
        if let Ok(words) = serde_json::from_str::<super::ErrorWords>(&r.detail) {
            r.detail = words.say(crate::words::Lang::En);
            r.words = Some(words);
        }
    }
    Ok(records)
}
