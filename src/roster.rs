//! The roster taken out of Tend: the (filtered) members as a CSV file a spreadsheet opens,
//! and everything Tend holds about one member as a JSON file, for a data-protection access
//! request. Both are written private to this account (they hold personal data).

use std::path::Path;

use serde::Serialize;

use crate::error::{DocumentError, Error, Result};
use crate::model::{Member, MemberFilter, MemberSummary};
use crate::store::Store;

/// The roster's columns, in order.
const COLUMNS: [&str; 8] = [
    "name",
    "role",
    "country",
    "organisation",
    "language",
    "joined_at",
    "last_active_at",
    "activities",
];

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, return) starts
/// with an apostrophe: imported names are untrusted text. A spreadsheet set to split on
/// `;` (as French and Spanish settings are) would start a cell after each `;`, so every
/// part after one is defused the same way; and every cell is quoted.
fn cell(text: &str) -> String {
    text.split(';')
        .map(|part| {
            let lead = part.len() - part.trim_start_matches(' ').len();
            match part[lead..].chars().next() {
                Some('=' | '+' | '-' | '@' | '\t' | '\r') => {
                    format!("{}'{}", &part[..lead], &part[lead..])
                }
                _ => part.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The members as CSV text, a header row first.
pub fn csv(list: &[MemberSummary]) -> Result<String> {
    let failed = |e: &dyn std::fmt::Display| Error::from(DocumentError::encode("roster", e));
    let mut w = ::csv::WriterBuilder::new()
        .quote_style(::csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    w.write_record(COLUMNS).map_err(|e| failed(&e))?;
    for m in list {
        let opt = |v: &Option<String>| cell(v.as_deref().unwrap_or_default());
        w.write_record([
            cell(&m.display_name),
            m.role.as_str().to_string(),
            opt(&m.country),
            opt(&m.organisation),
            opt(&m.language),
            opt(&m.joined_at),
            opt(&m.last_active_at),
            m.activity_count.to_string(),
        ])
        .map_err(|e| failed(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|e| failed(&e))
}

/// Writes the members `filter` keeps to `path` as CSV; returns how many.
pub async fn write_csv(store: &Store, filter: &MemberFilter, path: &Path) -> Result<usize> {
    let list = crate::members::list(store, filter).await?;
    crate::document::write(path, csv(&list)?.as_bytes())?;
    Ok(list.len())
}

/// One activity of a member, as an access request lists it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct HeldActivity {
    /// What it was (post, reply, reaction, attendance, join).
    pub kind: String,
    /// When (RFC 3339).
    pub occurred_at: String,
    /// Where: the channel, list, category or event.
    pub space: Option<String>,
    /// The source it came from.
    pub source: String,
    /// A thread's title, when it started one.
    pub title: Option<String>,
    /// Its text, when the source keeps bodies.
    pub body: Option<String>,
}

/// Everything Tend holds about one member.
#[derive(Debug, Clone, Serialize)]
pub struct AccessRequest {
    /// When this was made (RFC 3339).
    pub made_at: String,
    /// What this file is.
    pub about: &'static str,
    /// The member: fields, notes and identities in each source.
    pub member: Member,
    /// Every activity recorded for them, oldest first.
    pub activities: Vec<HeldActivity>,
}

/// Everything Tend holds about the member `id`.
pub async fn access_request(store: &Store, id: &str) -> Result<AccessRequest> {
    let mut member = crate::members::get(store, id).await?;
    member.recent_activity.clear();
    let activities = sqlx::query_as::<_, HeldActivity>(
        "SELECT a.kind, a.occurred_at, p.name AS space, COALESCE(s.label, s.name) AS source, a.title, a.body
         FROM activities a JOIN sources s ON s.id = a.source_id LEFT JOIN spaces p ON p.id = a.space_id
         WHERE a.member_id = ? ORDER BY a.occurred_at, a.rowid",
    )
    .bind(&member.id)
    .fetch_all(store.pool())
    .await?;
    Ok(AccessRequest {
        made_at: crate::time::now(),
        about: "Everything this Tend database holds about one member: their fields, the \
                facilitators' notes, their accounts in each source, and every activity \
                recorded for them (message text only where a source keeps it).",
        member,
        activities,
    })
}

/// Writes [`access_request`] for `id` to `path` as JSON; returns how many activities.
pub async fn write_access_request(store: &Store, id: &str, path: &Path) -> Result<usize> {
    let request = access_request(store, id).await?;
    let json = serde_json::to_vec_pretty(&request)
        .map_err(|e| DocumentError::encode("member's data", e))?;
    crate::document::write(path, &json)?;
    Ok(request.activities.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    #[test]
    fn a_roster_csv_quotes_and_defuses_formulas() {
        let m = MemberSummary {
            id: "x".into(),
            display_name: "=HYPERLINK(\"http://evil\")".into(),
            role: Role::Champion,
            country: Some("Côte d'Ivoire".into()),
            organisation: Some("Water, Sanitation".into()),
            language: None,
            joined_at: None,
            is_bot: false,
            last_active_at: None,
            activity_count: 3,
            search_key: String::new(),
        };
        let text = csv(&[m]).unwrap();
        let mut rows = ::csv::Reader::from_reader(text.as_bytes());
        let row = rows.records().next().unwrap().unwrap();
        assert_eq!(&row[0], "'=HYPERLINK(\"http://evil\")");
        assert!(
            text.lines().nth(1).unwrap().starts_with('"'),
            "every cell quoted"
        );
        for (name, defused) in [
            (";=cmd|' /C calc'!A0", ";'=cmd|' /C calc'!A0"),
            ("Ana; +1 555", "Ana; '+1 555"),
            ("Ana Souza", "Ana Souza"),
        ] {
            assert_eq!(cell(name), defused);
        }
        assert_eq!(&row[1], "champion");
        assert_eq!(&row[3], "Water, Sanitation");
        assert_eq!(&row[7], "3");
    }
}
