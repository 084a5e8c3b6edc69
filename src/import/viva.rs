//! Viva Engage (Yammer) network data export: the admin's ZIP (or its folder) of
//! `Messages.csv`, `Users.csv`, `Groups.csv`, … as Microsoft's Data Export API documents it.
//! A message whose `id` is its `thread_id` starts a thread (post); others are replies
//! (`replied_to_id` gives the parent). Deleted messages and private conversations are left
//! out. No real export was available to test against: the column names follow the
//! documentation and the importers that read these files.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::error::ImportError;
use super::files::ExportFiles;
use super::record::{Act, Person, Space, SpaceKind};
use super::writer::Writer;
use super::Progress;

/// Whether `files` look like a Viva Engage export.
pub fn looks_like(files: &ExportFiles) -> bool {
    files.has("Messages.csv")
}

/// One CSV row: its line, and its non-empty values by lower-case column name.
type CsvRow = (u64, HashMap<String, String>);

/// The columns Tend reads; the others are never copied into rows (an export with
/// thousands of wide columns would otherwise copy its header into every row).
const COLUMNS: &[&str] = &[
    "id",
    "name",
    "email",
    "joined_at",
    "thread_id",
    "sender_id",
    "sender_name",
    "sender_email",
    "in_private_conversation",
    "created_at",
    "group_id",
    "group_name",
    "replied_to_id",
    "body",
    "deleted_at",
];

/// Rows of one CSV file of the export, read by the shared CSV reader (any width, bytes
/// that are not UTF-8 replaced): what reading a row changed is said through `w`.
fn table(
    files: &mut ExportFiles,
    w: &mut Writer,
    name: &str,
    required: &[&str],
) -> Result<Vec<CsvRow>, ImportError> {
    if !files.has(name) {
        return Ok(Vec::new());
    }
    let label = files.label(name);
    let bytes = files.read(name)?;
    let mut read = super::csv_rows::rows(&bytes, b',').inspect(|row| {
        if let Some(note) = row.note() {
            w.skip(format!("{label} line {}", row.line), note);
        }
    });
    let headers: Vec<String> = read
        .next()
        .map(|h| h.record)
        .unwrap_or_default()
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if let Some(missing) = required.iter().find(|c| !headers.iter().any(|h| h == *c)) {
        return Err(ImportError::Malformed {
            path: label.clone(),
            line: Some(1),
            column: None,
            message: format!("no '{missing}' column — expected the Viva Engage export's {name}"),
        });
    }
    Ok(read
        .map(|r| {
            let row = headers
                .iter()
                .zip(r.record.iter())
                .filter(|(h, v)| {
                    COLUMNS.contains(&h.as_str()) && !v.trim().is_empty() && v.trim() != "null"
                })
                .map(|(h, v)| (h.clone(), v.trim().to_string()))
                .collect();
            (r.line, row)
        })
        .collect())
}

/// Parses the export's times (ISO 8601, or `2019-01-15 14:31:44 UTC`).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let s = s.trim_end_matches(" UTC").trim_end_matches(" +0000");
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .map(|t| t.and_utc())
}

/// Imports the export through `w`.
pub async fn import(
    files: &mut ExportFiles,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    for (_, u) in table(files, w, "Users.csv", &["id"])? {
        let Some(id) = u.get("id") else { continue };
        w.person(&Person {
            external_id: format!("user:{id}"),
            name: u.get("name").cloned(),
            email: u.get("email").cloned(),
            joined_at: u.get("joined_at").and_then(|t| parse_time(t)),
            ..Person::default()
        })
        .await?;
    }
    for (_, g) in table(files, w, "Groups.csv", &["id"])? {
        let Some(id) = g.get("id") else { continue };
        let name = g
            .get("name")
            .cloned()
            .unwrap_or_else(|| format!("Group {id}"));
        w.space(&Space {
            external_id: format!("group:{id}"),
            name,
            kind: SpaceKind::Category,
        })
        .await?;
    }
    let label = files.label("Messages.csv");
    let messages = table(
        files,
        w,
        "Messages.csv",
        &["id", "thread_id", "sender_id", "created_at"],
    )?;
    progress.start(messages.len() as u64);
    for (line, m) in messages {
        if progress.cancelled() {
            return Err(ImportError::Cancelled(label.clone().into()));
        }
        import_message(w, &format!("{label} line {line}"), &m).await?;
        progress.advance(1);
    }
    Ok(())
}

async fn import_message(
    w: &mut Writer,
    at: &str,
    m: &HashMap<String, String>,
) -> Result<(), ImportError> {
    let (Some(id), Some(thread), Some(sender)) =
        (m.get("id"), m.get("thread_id"), m.get("sender_id"))
    else {
        w.skip(at, "message without id, thread_id or sender_id");
        return Ok(());
    };
    if m.contains_key("deleted_at") {
        w.skip(at, "deleted message");
        return Ok(());
    }
    if m.get("in_private_conversation")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        w.skip(at, "private conversation");
        return Ok(());
    }
    let Some(when) = m.get("created_at").and_then(|t| parse_time(t)) else {
        w.skip(at, "no readable created_at");
        return Ok(());
    };
    let author = format!("user:{sender}");
    w.person(&Person {
        external_id: author.clone(),
        name: m.get("sender_name").cloned(),
        email: m.get("sender_email").cloned(),
        ..Person::default()
    })
    .await?;
    let space = match m.get("group_id") {
        Some(g) => {
            let name = m
                .get("group_name")
                .cloned()
                .unwrap_or_else(|| format!("Group {g}"));
            w.space(&Space {
                external_id: format!("group:{g}"),
                name,
                kind: SpaceKind::Category,
            })
            .await?;
            Some(format!("group:{g}"))
        }
        None => None,
    };
    let reply_to = (id != thread).then(|| {
        let parent = m
            .get("replied_to_id")
            .cloned()
            .unwrap_or_else(|| thread.clone());
        (thread.clone(), parent)
    });
    w.activity(&Act::message(
        id.clone(),
        author,
        space,
        when,
        reply_to,
        None,
        m.get("body").cloned(),
    ))
    .await
}
