//! Writing a kit: the format follows the file's extension (`.html`, `.pdf`, `.md`, `.txt` for
//! the welcome message, `.zip` for all four), and every kit made is remembered.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{html, pdf, to_markdown, Kit, KitRequest};
use crate::document::FileType;
use crate::error::{Error, Result};
use crate::ids;
use crate::store::Store;
use crate::time;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One self-contained HTML file.
    Html,
    /// PDF (A4).
    Pdf,
    /// Markdown.
    Md,
    /// The welcome message as plain text.
    Txt,
    /// A ZIP of the HTML, PDF, Markdown and message.
    Zip,
}

impl Format {
    /// The format a path's extension asks for.
    pub fn of(path: &Path) -> Result<Format> {
        use FileType as T;
        Ok(
            match FileType::of(path, &[T::Html, T::Pdf, T::Md, T::Txt, T::Zip])? {
                T::Pdf => Format::Pdf,
                T::Md => Format::Md,
                T::Txt => Format::Txt,
                T::Zip => Format::Zip,
                _ => Format::Html,
            },
        )
    }

    fn file_type(self) -> FileType {
        match self {
            Format::Html => FileType::Html,
            Format::Pdf => FileType::Pdf,
            Format::Md => FileType::Md,
            Format::Txt => FileType::Txt,
            Format::Zip => FileType::Zip,
        }
    }

    fn as_str(self) -> &'static str {
        self.file_type().ending()
    }
}

/// The kit's bytes in `format`.
pub fn bytes(kit: &Kit, format: Format) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Html => html::render(kit).into_bytes(),
        Format::Pdf => pdf::render(kit)?,
        Format::Md => to_markdown(kit).into_bytes(),
        Format::Txt => format!("{}\n", kit.message).into_bytes(),
        Format::Zip => zip(kit)?,
    })
}

fn zip(kit: &Kit) -> Result<Vec<u8>> {
    fn failed(e: impl std::fmt::Display) -> Error {
        crate::error::DocumentError::encode("ZIP", e).into()
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, format) in [
        ("kit.html", Format::Html),
        ("kit.pdf", Format::Pdf),
        ("kit.md", Format::Md),
        ("welcome-message.txt", Format::Txt),
    ] {
        out.start_file(name, options).map_err(failed)?;
        out.write_all(&bytes(kit, format)?).map_err(failed)?;
    }
    Ok(out.finish().map_err(failed)?.into_inner())
}

/// Writes `kit` to `path` (format from the extension) and records it in the kit history.
pub async fn write(store: &Store, kit: &Kit, req: &KitRequest, path: &Path) -> Result<Format> {
    let format = Format::of(path)?;
    crate::document::write(path, &bytes(kit, format)?)?;
    let id = ids::new_id();
    let query = sqlx::query(
        "INSERT INTO kits (id, made_at, template, lang, audience, recipient, members, format, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(time::now())
    .bind(&kit.template)
    .bind(&kit.lang)
    .bind(serde_json::to_string(&req.audience).unwrap_or_default())
    .bind(&kit.recipient)
    .bind(kit.members.len() as i64)
    .bind(format.as_str())
    .bind(path.display().to_string());
    crate::sync::capture::tracked_row(store, crate::sync::tables::KITS, &id, query).await?;
    Ok(format)
}

/// Builds the kit `req` asks for as of `day` and writes it to `path` (format from the
/// name), recording it in the history: the one export both the app and `tend kit --out`
/// call.
pub async fn make(
    store: &Store,
    req: &KitRequest,
    day: chrono::NaiveDate,
    path: &Path,
) -> Result<(Kit, Format)> {
    let format = Format::of(path)?;
    let kit = super::build(store, req, day).await?;
    write(store, &kit, req, path).await?;
    Ok((kit, format))
}

/// A kit made before.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KitRecord {
    /// When.
    pub made_at: String,
    /// Template.
    pub template: String,
    /// Language.
    pub lang: String,
    /// For whom, as written in the kit (untrusted text).
    pub recipient: String,
    /// How many members.
    pub members: u32,
    /// Format.
    pub format: String,
    /// Where it was written.
    pub path: String,
}

/// The kits made, newest first.
pub async fn history(store: &Store, limit: i64) -> Result<Vec<KitRecord>> {
    let rows: Vec<(String, String, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT made_at, template, lang, recipient, members, format, path FROM kits ORDER BY made_at DESC, id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(made_at, template, lang, recipient, members, format, path)| KitRecord {
                made_at,
                template,
                lang,
                recipient,
                members: u32::try_from(members).unwrap_or(0),
                format,
                path,
            },
        )
        .collect())
}
