//! Time as Tend stores it: UTC, RFC 3339 with a `Z` and whole seconds, so text sorts by time.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{Error, Result};

/// Formats a UTC instant the way the store keeps it, e.g. `2026-03-01T09:30:00Z`.
pub fn format(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Unix seconds (how the store keeps an activity's time) as an instant.
pub fn from_unix(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// The SQL expression of Unix seconds `expr` as stored text (what [`format()`] writes).
pub fn sql_text(expr: &str) -> String {
    format!("strftime('%Y-%m-%dT%H:%M:%SZ', {expr}, 'unixepoch')")
}

/// The current instant, formatted for the store.
pub fn now() -> String {
    format(Utc::now())
}

/// A calendar day.
pub type Date = NaiveDate;

/// Today on this laptop's calendar (its time zone): the day a person means by "today",
/// which in Lima after 19:00 is not yet UTC's. Instants stay UTC.
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// Parses an ISO 8601 instant or a plain date (taken as midnight UTC).
pub fn parse_instant(field: &'static str, value: &str) -> Result<DateTime<Utc>> {
    let value = value.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.with_timezone(&Utc));
    }
    let date = parse_date(field, value)?;
    Ok(date
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default())
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(field: &'static str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| Error::InvalidValue {
        field,
        value: value.to_string(),
        expected: "a date such as 2026-03-01 or an ISO 8601 time such as 2026-03-01T09:30:00Z",
    })
}
