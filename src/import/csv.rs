//! The generic CSV format, for everything else (Teams, Viva Engage, WhatsApp, an LMS):
//! a folder holding `members.csv` (`id,name,email,role,country,organisation,language,
//! joined_at`) and `activities.csv` (`id,member_id,kind,occurred_at,space,thread_id,
//! parent_id,title`). Header row required, extra columns ignored, ISO 8601 times. A post's
//! `thread_id` is empty; a reply's is its root post's `id`. A bad row is skipped with its
//! line number; a missing column fails the file.

use std::collections::HashMap;
use std::path::Path;

use super::csv_rows;
use super::error::ImportError;
use super::files::ExportFiles;
use super::record::{Act, Person};
use super::writer::Writer;
use super::Progress;
use crate::model::{ActivityKind, Role};
use crate::time;

/// Whether `files` hold the two generic CSV files.
pub fn looks_like(files: &ExportFiles) -> bool {
    files.has("members.csv") && files.has("activities.csv")
}

/// One CSV file with its header: fields by column name.
struct Table {
    label: String,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
    /// What reading a row changed (bytes not UTF-8, columns left out), by line.
    notes: Vec<(u64, String)>,
}

impl Table {
    fn read(dir: &Path, name: &str, required: &[&str]) -> Result<Table, ImportError> {
        let path = dir.join(name);
        let label = path.display().to_string();
        let bytes = super::read_file(&path)?;
        let mut notes = Vec::new();
        let mut read = csv_rows::rows(&bytes, b',').inspect(|row| {
            if let Some(note) = row.note() {
                notes.push((row.line, note));
            }
        });
        let headers = read.next().map(|h| h.record).unwrap_or_default();
        let columns: HashMap<String, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_ascii_lowercase(), i))
            .collect();
        if let Some(missing) = required.iter().find(|c| !columns.contains_key(**c)) {
            return Err(malformed(
                &label,
                1,
                &format!(
                    "no '{missing}' column — the header must name {}",
                    required.join(", ")
                ),
            ));
        }
        let rows = read.map(|row| (row.line, row.record)).collect();
        Ok(Table {
            label,
            columns,
            rows,
            notes,
        })
    }

    /// Says through `w` what reading the file's rows changed.
    fn note(&self, w: &mut Writer) {
        for (line, note) in &self.notes {
            w.skip(format!("{} line {line}", self.label), note.clone());
        }
    }

    fn get<'r>(&self, row: &'r csv::StringRecord, column: &str) -> Option<&'r str> {
        let v = row.get(*self.columns.get(column)?)?.trim();
        (!v.is_empty()).then_some(v)
    }
}

fn malformed(label: &str, line: u64, message: &str) -> ImportError {
    ImportError::Malformed {
        path: label.to_string(),
        line: Some(line),
        column: None,
        message: message.to_string(),
    }
}

/// Imports both files of the folder `dir`.
pub async fn import(
    dir: &Path,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let members = Table::read(dir, "members.csv", &["id", "name"])?;
    let activities = Table::read(
        dir,
        "activities.csv",
        &["id", "member_id", "kind", "occurred_at"],
    )?;
    members.note(w);
    activities.note(w);
    progress.start((members.rows.len() + activities.rows.len()) as u64);
    for (line, row) in &members.rows {
        let at = format!("{} line {line}", members.label);
        match person(&members, row) {
            Ok(p) => {
                w.person(&p).await?;
            }
            Err(why) => w.skip(at, why),
        }
        progress.advance(1);
    }
    for (line, row) in &activities.rows {
        if progress.cancelled() {
            return Err(ImportError::Cancelled(dir.to_path_buf()));
        }
        let at = format!("{} line {line}", activities.label);
        match activity(&activities, row) {
            Ok(a) => w.activity(&a).await?,
            Err(why) => w.skip(at, why),
        }
        progress.advance(1);
    }
    Ok(())
}

fn person(t: &Table, row: &csv::StringRecord) -> Result<Person, String> {
    let id = t.get(row, "id").ok_or("empty id")?;
    let name = t.get(row, "name").ok_or("empty name")?;
    let role = match t.get(row, "role") {
        Some(r) => Some(r.parse::<Role>().map_err(|e| e.to_string())?),
        None => None,
    };
    let joined_at = match t.get(row, "joined_at") {
        Some(v) => Some(time::parse_instant("joined_at", v).map_err(|e| e.to_string())?),
        None => None,
    };
    Ok(Person {
        external_id: id.to_string(),
        handle: None,
        name: Some(name.to_string()),
        preferred_name: t.get(row, "preferred_name").map(str::to_string),
        email: t.get(row, "email").map(str::to_string),
        is_bot: false,
        joined_at,
        role,
        country: t.get(row, "country").map(str::to_string),
        organisation: t.get(row, "organisation").map(str::to_string),
        language: t.get(row, "language").map(str::to_ascii_lowercase),
    })
}

fn activity(t: &Table, row: &csv::StringRecord) -> Result<Act, String> {
    let id = t.get(row, "id").ok_or("empty id")?;
    let member = t.get(row, "member_id").ok_or("empty member_id")?;
    let kind: ActivityKind = t
        .get(row, "kind")
        .ok_or("empty kind")?
        .parse()
        .map_err(|e: crate::Error| e.to_string())?;
    let at = time::parse_instant(
        "occurred_at",
        t.get(row, "occurred_at").ok_or("empty occurred_at")?,
    )
    .map_err(|e| e.to_string())?;
    let root = t.get(row, "thread_id").map(str::to_string);
    if kind == ActivityKind::Reply && root.is_none() {
        return Err("a reply needs a thread_id (its root post's id)".into());
    }
    Ok(Act {
        external_id: id.to_string(),
        author: member.to_string(),
        space: t.get(row, "space").map(str::to_string),
        kind,
        at,
        parent: t.get(row, "parent_id").map(str::to_string).or(root.clone()),
        root,
        title: t.get(row, "title").map(str::to_string),
        body: None,
    })
}
