//! Attendance reports from webinar and meeting tools (Zoom participant reports, Teams
//! webinar and live-event reports): one attendance activity per person per event, however
//! often they rejoined. UTF-8 or UTF-16 (with BOM), comma- or tab-separated, with or
//! without the summary block above the participant table. Times without a zone are taken
//! as UTC.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::csv_rows::{self, Row};
use super::dates::{DateOrder, Stamp};
use super::error::ImportError;
use super::record::{Act, Person, Space, SpaceKind};
use super::writer::Writer;
use super::Progress;
use crate::identity::normalize_email;
use crate::model::ActivityKind;

/// The file's text, decoded from UTF-8 or UTF-16 by its byte-order mark.
pub fn decode(bytes: &[u8]) -> String {
    let (text, _, _) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, bom)) => enc.decode(&bytes[bom..]),
        None => encoding_rs::UTF_8.decode(bytes),
    };
    text.trim_start_matches('\u{feff}').to_string()
}

/// The file's bytes as UTF-8: UTF-16 (by its byte-order mark) decoded, UTF-8 as it is (a
/// byte that is not UTF-8 is replaced where its row is read, and said there).
fn as_utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, bom)) if enc != encoding_rs::UTF_8 => {
            Cow::Owned(enc.decode(&bytes[bom..]).0.into_owned().into_bytes())
        }
        _ => Cow::Borrowed(bytes),
    }
}

/// Tabs or commas, whichever the first lines hold more of (over the first lines, not the
/// first alone: a Teams report opens on "1. Summary"), looking at no more than a line's
/// worth of bytes.
fn delimiter(text: &[u8]) -> u8 {
    let head = &text[..text.len().min(crate::limits::MAX_LINE_BYTES)];
    let end = head
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(49)
        .map_or(head.len(), |(i, _)| i);
    let count = |c: u8| head[..end].iter().filter(|b| **b == c).count();
    if count(b'\t') > count(b',') {
        b'\t'
    } else {
        b','
    }
}

/// The rows of a report's text, each field trimmed.
fn rows(text: &[u8]) -> impl Iterator<Item = (Row, Vec<String>)> + '_ {
    csv_rows::rows(text, delimiter(text)).map(|row| {
        let cells = row.record.iter().map(|c| c.trim().to_string()).collect();
        (row, cells)
    })
}

const NAME: &[&str] = &["name (original name)", "name", "full name", "participant"];
const EMAIL: &[&str] = &["user email", "email", "attendee email"];
const JOIN: &[&str] = &[
    "join time",
    "first join",
    "utc event timestamp",
    "join time (utc)",
];
const ID: &[&str] = &["participant id", "participant id (upn)"];

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| names.contains(&h.to_lowercase().as_str()))
}

/// Whether the text is an attendance report: it has a participant table.
pub fn looks_like(text: &[u8]) -> bool {
    rows(text)
        .take(crate::limits::MAX_REPORT_HEAD_ROWS + 1)
        .any(|(_, r)| is_table_header(&r))
}

/// Whether `r` is the participant table's header.
fn is_table_header(r: &[String]) -> bool {
    find(r, NAME).is_some()
        && (find(r, JOIN).is_some() || r.iter().any(|h| h.to_lowercase().contains("duration")))
}

/// Parses the dates these tools write: `11/19/2021 9:54:15 AM`, `4/17/23, 7:30:01 PM`,
/// `15/11/22, 09:30:47`, ISO; day and month in `order` where the date does not settle it.
pub fn parse_time(s: &str, order: DateOrder) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Some(t) = Stamp::parse(s).and_then(|st| st.at(st.settles().unwrap_or(order))) {
        return Some(t);
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

/// The date order a report's own times settle (any day above 12), else month-first, as
/// Zoom and Teams write in their default (US English) locale.
fn report_order(stamps: &[Stamp]) -> DateOrder {
    super::dates::settled(stamps, None).unwrap_or(DateOrder::Mdy)
}

/// The times written in a row's cells.
fn stamps_of(cells: &[String]) -> impl Iterator<Item = Stamp> + '_ {
    cells.iter().filter_map(|c| Stamp::parse(c))
}

/// The event: meeting id or title from the summary block, with its start.
struct Event {
    key: String,
    title: String,
    start: Option<DateTime<Utc>>,
}

fn event(
    block: &[Vec<String>],
    fallback: &str,
    earliest: Option<DateTime<Utc>>,
    order: DateOrder,
) -> Event {
    let mut title = None;
    let mut key = None;
    let mut start = None;
    for (i, r) in block.iter().enumerate() {
        // Zoom: a header row, then a value row.
        if let (Some(id_col), Some(values)) = (find(r, &["meeting id"]), block.get(i + 1)) {
            key = values
                .get(id_col)
                .filter(|v| !v.is_empty())
                .map(|v| format!("zoom:{v}"));
            title = find(r, &["topic"]).and_then(|c| values.get(c)).cloned();
            start = find(r, &["start time"])
                .and_then(|c| values.get(c))
                .and_then(|v| parse_time(v, order));
        }
        // Teams: key/value rows.
        match (r.first().map(|k| k.to_lowercase()), r.get(1)) {
            (Some(k), Some(v)) if k == "meeting title" || k == "title" => title = Some(v.clone()),
            (Some(k), Some(v)) if k == "start time" => start = parse_time(v, order),
            _ => {}
        }
    }
    let title = title
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| fallback.to_string());
    let start = start.or(earliest);
    let day = start
        .map(|s| s.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let key = key.unwrap_or_else(|| format!("event:{title}:{day}"));
    Event { key, title, start }
}

/// Progress of one report inside a folder: the folder counts files, so a report's own
/// steps are not shown; stopping still stops it.
struct Within<'a>(&'a dyn Progress);

impl Progress for Within<'_> {
    fn start(&self, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn cancelled(&self) -> bool {
        self.0.cancelled()
    }
}

/// Imports the attendance report at `path`, or every report in the folder `path` (each
/// its meeting, as people save them: several Zoom participant reports, several Teams
/// reports, or both). In a folder, a file that is no report (a meeting's chat) and a
/// report without one readable attendee are left out and said; the others import.
pub async fn import(
    path: &Path,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    if !path.is_dir() {
        return import_report(path, w, progress).await;
    }
    let (reports, others) = super::attendance_reports(path);
    for (other, _) in others {
        w.skip(
            other.display().to_string(),
            "a file that is not an attendance report",
        );
    }
    progress.start(reports.len() as u64);
    for report in reports {
        if progress.cancelled() {
            return Err(ImportError::Cancelled(path.to_path_buf()));
        }
        match import_report(&report, w, &Within(progress)).await {
            Err(ImportError::Malformed { message, .. }) => w.skip(
                report.display().to_string(),
                format!("file left out: {message}"),
            ),
            other => other?,
        }
        progress.advance(1);
    }
    Ok(())
}

/// One participant row: its line and the cells Tend reads (the others are never kept, so a
/// report thousands of columns wide costs what a narrow one does).
struct Attendee {
    line: u64,
    name: Option<String>,
    email: Option<String>,
    join: Option<String>,
    id: Option<String>,
}

/// A report read row by row: the rows above the participant table, the table's header
/// line, each attendee's cells, and every time written (to settle the date order).
struct Read {
    block: Vec<Vec<String>>,
    header_line: u64,
    attendees: Vec<Attendee>,
    stamps: Vec<Stamp>,
}

/// Reads a report's rows; what reading a row changed is said through `w`. `None` when no
/// participant table starts within [`crate::limits::MAX_REPORT_HEAD_ROWS`] rows.
fn read(text: &[u8], label: &str, w: &mut Writer) -> Option<Read> {
    let mut rows = rows(text);
    let mut block = Vec::new();
    let noted = |w: &mut Writer, row: &Row| {
        if let Some(note) = row.note() {
            w.skip(format!("{label} line {}", row.line), note);
        }
    };
    let (header_line, header) = loop {
        let (row, cells) = rows.next()?;
        noted(w, &row);
        if is_table_header(&cells) {
            break (row.line, cells);
        }
        if block.len() == crate::limits::MAX_REPORT_HEAD_ROWS {
            return None;
        }
        block.push(cells);
    };
    let mut stamps: Vec<Stamp> = block.iter().flat_map(|r| stamps_of(r)).collect();
    let cols = [
        find(&header, NAME),
        find(&header, EMAIL),
        find(&header, JOIN),
        find(&header, ID),
    ];
    let mut attendees = Vec::new();
    for (row, cells) in rows {
        if !cells.iter().any(|c| !c.is_empty()) || is_section(&cells) {
            break;
        }
        noted(w, &row);
        stamps.extend(stamps_of(&cells));
        let mut get = cols.map(|c| {
            c.and_then(|c| cells.get(c))
                .filter(|v| !v.is_empty())
                .cloned()
        });
        attendees.push(Attendee {
            line: row.line,
            name: get[0].take(),
            email: get[1].take(),
            join: get[2].take(),
            id: get[3].take(),
        });
    }
    Some(Read {
        block,
        header_line,
        attendees,
        stamps,
    })
}

/// Imports one attendance report.
async fn import_report(
    path: &Path,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let bytes = super::read_file(path)?;
    let text = as_utf8(&bytes);
    let label = path.display().to_string();
    let Some(report) = read(&text, &label, w) else {
        return Err(ImportError::Malformed {
            path: label,
            line: None,
            column: None,
            message: "no participant table (a header with Name and Join Time or Duration)".into(),
        });
    };
    drop(text);
    drop(bytes);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let order = report_order(&report.stamps);
    let earliest = report
        .attendees
        .iter()
        .filter_map(|a| a.join.as_deref().and_then(|v| parse_time(v, order)))
        .min();
    let ev = event(&report.block, &stem, earliest, order);
    progress.start(report.attendees.len() as u64);
    let mut first_seen: HashMap<String, (DateTime<Utc>, Person)> = HashMap::new();
    for a in report.attendees {
        let at = format!("{label} line {}", a.line);
        let key = match (a.email.as_deref().and_then(normalize_email), &a.id, &a.name) {
            (Some(e), _, _) => format!("mailto:{e}"),
            (None, Some(pid), _) => format!("participant:{}", pid.to_lowercase()),
            (None, None, Some(n)) => format!("name:{}", n.to_lowercase()),
            _ => {
                w.skip(at, "anonymous attendee (no name, e-mail or participant id)");
                continue;
            }
        };
        let Some(when) = a
            .join
            .as_deref()
            .and_then(|v| parse_time(v, order))
            .or(ev.start)
        else {
            w.skip(at, "no readable join time and no meeting start");
            continue;
        };
        let person = Person {
            external_id: key.clone(),
            name: a.name,
            email: a.email,
            ..Person::default()
        };
        let entry = first_seen.entry(key).or_insert((when, person));
        entry.0 = entry.0.min(when);
        progress.advance(1);
    }
    if first_seen.is_empty() {
        return Err(ImportError::Malformed {
            path: label,
            line: Some(report.header_line + 1),
            column: None,
            message: "no attendee row could be read (a name, e-mail or participant id, and a \
                      join time or the meeting's start) — nothing was imported"
                .into(),
        });
    }
    // The meeting is written once it has someone: a report left out leaves no empty event.
    w.space(&Space {
        external_id: ev.key.clone(),
        name: ev.title.clone(),
        kind: SpaceKind::Event,
    })
    .await?;
    let mut people: Vec<_> = first_seen.into_iter().collect();
    people.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, (when, person)) in people {
        w.person(&person).await?;
        w.activity(&Act {
            external_id: format!("{}:{key}", ev.key),
            author: key,
            space: Some(ev.key.clone()),
            kind: ActivityKind::Attendance,
            at: when,
            root: None,
            parent: None,
            title: Some(ev.title.clone()),
            body: None,
        })
        .await?;
    }
    Ok(())
}

/// A Teams section heading such as `3. In-Meeting Activities`.
fn is_section(r: &[String]) -> bool {
    let first = r.first().map(String::as_str).unwrap_or_default();
    r.iter().skip(1).all(|c| c.is_empty())
        && first
            .split_once(". ")
            .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::{parse_time, DateOrder};

    #[test]
    fn meeting_tools_dates_parse() {
        let cases = [
            ("11/19/2021 9:54:15 AM", "2021-11-19T09:54:15+00:00"),
            ("11/19/2021 12:01:59 PM", "2021-11-19T12:01:59+00:00"),
            ("4/17/23, 7:30:01 PM", "2023-04-17T19:30:01+00:00"),
            ("03/02/2023 10:56:00 AM", "2023-03-02T10:56:00+00:00"),
        ];
        for (raw, want) in cases {
            assert_eq!(
                parse_time(raw, DateOrder::Mdy)
                    .map(|t| t.to_rfc3339())
                    .as_deref(),
                Some(want),
                "{raw}"
            );
        }
        assert_eq!(parse_time("soon", DateOrder::Mdy), None);
        assert_eq!(
            parse_time("15/11/22, 09:30:47", DateOrder::Mdy).map(|t| t.to_rfc3339()),
            Some("2022-11-15T09:30:47+00:00".into())
        );
    }
}
