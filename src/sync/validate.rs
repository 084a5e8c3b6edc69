//! Every change record from another laptop is checked here before it touches the database:
//! its table and column are synced ones, its key is well formed, and its value fits the
//! column's type and domain (a role among the roles, a time that parses, a required field
//! present, a setting the team shares). A record that fails is held back with its reason
//! and the rest applies; SQLite's own constraints (NOT NULL, CHECK) are the last line, and
//! a record they refuse is held the same way (see `apply`).

use std::str::FromStr;

use serde_json::{Map, Value};

use super::apply::Change;
use super::tables::{self, Table};
use crate::limits::{MAX_MARKS_PER_BASE, MAX_NAME_CHARS, MAX_SYNC_KEY_BYTES, MAX_SYNC_TEXT_BYTES};
use crate::model::Role;

/// What a synced column may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Domain {
    /// A row id or reference: a short text without control characters.
    Id,
    /// A time or date that parses as ISO 8601.
    Time,
    /// One of the five roles.
    Role,
    /// 0 or 1 (or a JSON boolean).
    Flag,
    /// Any text up to [`MAX_SYNC_TEXT_BYTES`].
    Text,
    /// A playbook's TOML, parsed and checked as an edited one is.
    Playbook,
    /// A kit template's TOML, parsed and checked as an edited one is.
    KitTemplate,
    /// A person's, a space's or a community's name: a name Tend would keep
    /// ([`crate::clean::refusal`]).
    Name,
    /// A thread's title: no more combining marks on a letter than Tend keeps.
    Title,
}

/// Columns that may not be null (or missing when a row is first put).
const REQUIRED: &[(&str, &str)] = &[
    ("community", "name"),
    ("sources", "kind"),
    ("sources", "name"),
    ("spaces", "source_id"),
    ("spaces", "name"),
    ("spaces", "kind"),
    ("members", "display_name"),
    ("members", "created_at"),
    ("members", "updated_at"),
    ("identities", "source_id"),
    ("identities", "external_id"),
    ("identities", "member_id"),
    ("activities", "source_id"),
    ("activities", "member_id"),
    ("activities", "kind"),
    ("activities", "occurred_at"),
    ("playbooks", "body"),
    ("settings", "value"),
    ("plan_progress", "status"),
    ("stage_checks", "stage"),
    ("onboarding_overrides", "stage"),
    ("action_marks", "status"),
    ("kit_templates", "body"),
    ("stories", "tag"),
    ("stories", "title"),
];

fn domain(table: &str, col: &str) -> Domain {
    match (table, col) {
        ("members", "display_name" | "preferred_name" | "organisation" | "country")
        | ("identities", "display_name" | "handle")
        | ("spaces" | "community", "name")
        | ("sources", "label") => Domain::Name,
        ("activities", "title") => Domain::Title,
        ("members", "role") | ("plan_progress", "owner") => Domain::Role,
        ("playbooks", "body") => Domain::Playbook,
        ("kit_templates", "body") => Domain::KitTemplate,
        (_, "is_bot" | "erased" | "keep_bodies") => Domain::Flag,
        ("kits", "members") | ("member_merges", "merged_row" | "identities") => Domain::Text,
        (_, c) if c.ends_with("_at") || c.ends_with("_on") => Domain::Time,
        (_, "launch_date" | "until") => Domain::Time,
        (_, "id" | "member_a" | "member_b" | "kept_id" | "merged_id") => Domain::Id,
        (_, c) if c.ends_with("_id") && c != "external_id" => Domain::Id,
        _ => Domain::Text,
    }
}

fn required(table: &str, col: &str) -> bool {
    REQUIRED.contains(&(table, col))
}

fn is_plain(text: &str) -> bool {
    !text.is_empty() && text.len() <= MAX_SYNC_KEY_BYTES && !text.chars().any(char::is_control)
}

/// Why `value` cannot go into `table.col`, if it cannot.
fn check_value(table: &str, col: &str, value: &Value) -> Option<String> {
    if value.is_null() {
        return required(table, col).then(|| format!("{table}.{col} may not be empty"));
    }
    let text = value.as_str();
    let bad = |expected: &str| {
        Some(format!(
            "{table}.{col} must be {expected}, not {}",
            shown(value)
        ))
    };
    match domain(table, col) {
        Domain::Id => match text {
            Some(t) if is_plain(t) => None,
            _ => bad("an id"),
        },
        Domain::Time => match text {
            Some(t) if crate::time::parse_instant("time", t).is_ok() => None,
            _ => bad("a date or an ISO 8601 time"),
        },
        Domain::Role => match text {
            Some(t) if Role::from_str(t).is_ok() => None,
            _ => bad("one of the roles (leader, facilitator, member, sponsor, champion)"),
        },
        Domain::Flag => match value {
            Value::Bool(_) => None,
            Value::Number(n) if matches!(n.as_i64(), Some(0 | 1)) => None,
            _ => bad("0 or 1"),
        },
        Domain::Playbook | Domain::KitTemplate => match value {
            Value::String(t) if t.len() <= MAX_SYNC_TEXT_BYTES => {
                shared_text_refusal(domain(table, col), t)
            }
            _ => check_value_as_text(table, col, value),
        },
        Domain::Name => match value {
            Value::String(t) => {
                crate::clean::refusal(t, MAX_NAME_CHARS).map(|why| format!("{table}.{col}: {why}"))
            }
            _ => check_value_as_text(table, col, value),
        },
        Domain::Title => match value {
            Value::String(t) if crate::clean::for_document(t).len() != t.len() => Some(format!(
                "{table}.{col}: more than {MAX_MARKS_PER_BASE} combining marks on one letter"
            )),
            _ => check_value_as_text(table, col, value),
        },
        Domain::Text => check_value_as_text(table, col, value),
    }
}

/// Why `value` cannot be the text of `table.col`, if it cannot.
fn check_value_as_text(table: &str, col: &str, value: &Value) -> Option<String> {
    match value {
        Value::String(t) if t.len() > MAX_SYNC_TEXT_BYTES => Some(format!(
            "{table}.{col} is longer than {MAX_SYNC_TEXT_BYTES} bytes"
        )),
        Value::String(_) | Value::Number(_) | Value::Bool(_) => None,
        _ => Some(format!(
            "{table}.{col} must be text or a number, not {}",
            shown(value)
        )),
    }
}

/// Why a playbook's or template's TOML `text` cannot be taken: the very checks an edit on
/// this laptop passes, so a teammate's text never stops `today`, `plan` or `kit` here.
fn shared_text_refusal(domain: Domain, text: &str) -> Option<String> {
    let origin = "a teammate's text";
    let checked = match domain {
        Domain::Playbook => crate::guide::playbook::parse(origin, text).map(|_| ()),
        _ => crate::kit::template::parse(origin, text).map(|_| ()),
    };
    checked.err().map(|e| {
        let mut why = e.to_string();
        crate::limits::truncate_chars(&mut why, crate::limits::MAX_REFUSAL_CHARS);
        why
    })
}

/// How many characters of a value a reason shows (erasure looks for a long text's
/// opening of that length, `sync::scrub`).
pub(crate) const SHOWN_CHARS: usize = 40;

/// A short rendering of a value for a reason.
fn shown(value: &Value) -> String {
    let mut s = value.to_string();
    crate::limits::truncate_chars(&mut s, SHOWN_CHARS);
    s
}

/// Why the row key `key` cannot name a row of `table`, if it cannot.
fn check_key(table: &Table, key: &str) -> Option<String> {
    match table.key {
        [_] if !is_plain(key) => Some(format!("{}: a malformed row key", table.name)),
        [_] if table.name == "settings" && !tables::synced_setting(key) => Some(format!(
            "the setting {} stays on each laptop and is never taken from another",
            shown(&Value::String(key.to_string()))
        )),
        [_] => None,
        many => {
            let parts: Option<Vec<String>> = serde_json::from_str(key).ok();
            let ok = parts.is_some_and(|p| p.len() == many.len() && p.iter().all(|s| is_plain(s)));
            (!ok).then(|| format!("{}: a malformed composite row key", table.name))
        }
    }
}

/// Why a whole row (a `put` record's value) cannot be taken, if it cannot.
fn check_row(table: &Table, key: &str, value: &str) -> Option<String> {
    let Ok(row) = serde_json::from_str::<Map<String, Value>>(value) else {
        return Some(format!("{}: a row that is not a JSON object", table.name));
    };
    if let [one] = table.key {
        if row.get(*one).and_then(Value::as_str) != Some(key) {
            return Some(format!("{}: the row's {one} is not its key", table.name));
        }
    }
    let missing = table
        .cols
        .iter()
        .find(|c| required(table.name, c) && row.get(**c).is_none_or(Value::is_null));
    if let Some(col) = missing {
        return Some(format!("{}.{col} may not be empty", table.name));
    }
    row.iter()
        .filter(|(c, _)| table.has(c))
        .find_map(|(c, v)| check_value(table.name, c, v))
}

/// Why `c` may never be applied, if it may not: checked before it touches the database.
pub fn refusal(c: &Change) -> Option<String> {
    if !is_plain(&c.device) {
        return Some("a malformed device id".into());
    }
    let Some(table) = tables::table(&c.tbl) else {
        return Some(format!(
            "unknown table {}",
            shown(&Value::String(c.tbl.clone()))
        ));
    };
    if let Some(why) = check_key(table, &c.row_key) {
        return Some(why);
    }
    let own_name = super::names::key(&c.device);
    if table.name == "settings"
        && c.row_key.starts_with(tables::DEVICE_NAME_PREFIX)
        && c.row_key != own_name
    {
        return Some("a laptop may name only itself, not another device".into());
    }
    if table.name == "settings" && c.row_key == own_name {
        if let Some(why) = setting_value(c)
            .as_ref()
            .and_then(Value::as_str)
            .and_then(super::names::refusal)
        {
            return Some(format!("a laptop's name: {why}"));
        }
    }
    if table.name == "settings" && c.row_key.starts_with(crate::spaces::PREFIX) {
        if let Some(why) = space_purposes_refusal(c) {
            return Some(why);
        }
    }
    match c.col.as_str() {
        super::bulk::BULK => super::bulk::refusal(c),
        "-" => None,
        "*" => check_row(table, &c.row_key, &c.value),
        col if table.key.contains(&col) => Some(format!(
            "{}.{col} is the row's key and never changes",
            table.name
        )),
        col if !table.has(col) => Some(format!(
            "unknown column {}.{}",
            table.name,
            shown(&Value::String(col.into()))
        )),
        col => match serde_json::from_str::<Value>(&c.value) {
            Ok(v) => check_value(table.name, col, &v),
            Err(_) => Some(format!("{}.{col}: a value that is not JSON", table.name)),
        },
    }
}

/// The value a change to a setting puts (a whole row's `value`, or the column itself).
fn setting_value(c: &Change) -> Option<Value> {
    match c.col.as_str() {
        "*" => serde_json::from_str::<Map<String, Value>>(&c.value)
            .ok()
            .and_then(|row| row.get("value").cloned()),
        "value" => serde_json::from_str::<Value>(&c.value).ok(),
        _ => None,
    }
}

/// Why a change of a space's purposes cannot be taken: a value that is not a list of
/// known purposes (a whole row's `value`, or the column itself).
fn space_purposes_refusal(c: &Change) -> Option<String> {
    if !matches!(c.col.as_str(), "*" | "value") {
        return None;
    }
    let value = setting_value(c);
    let ok = value
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|v| crate::spaces::parse_stored(v).is_some());
    (!ok).then(|| {
        format!(
            "a space's purposes must be among inspire, connect, learn, co-create, educate, train, feedback: {}",
            value.as_ref().map_or_else(|| "none".into(), shown)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(tbl: &str, row_key: &str, col: &str, value: &str) -> Change {
        Change {
            device: "0193a0b2-1111-7000-8000-000000000001".into(),
            seq: 1,
            hlc: 1 << 16,
            base: 0,
            tbl: tbl.into(),
            row_key: row_key.into(),
            col: col.into(),
            value: value.into(),
            schema: super::super::SCHEMA,
        }
    }

    #[test]
    fn poisoned_records_are_refused_and_good_ones_pass() {
        let member = r#"{"id":"m1","display_name":"Ana","role":"member","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}"#;
        let cases: &[(&str, &str, &str, &str, bool)] = &[
            ("members", "m1", "*", member, true),
            ("members", "m1", "display_name", "\"Ana Silva\"", true),
            ("members", "m1", "role", "\"champion\"", true),
            ("members", "m1", "notes", "\"met at the summit\"", true),
            ("members", "m1", "-", "null", true),
            ("settings", "plan.playbook", "value", "\"default\"", true),
            (
                "settings",
                "device.name.0193a0b2-1111-7000-8000-000000000001",
                "value",
                "\"Aminata's laptop\"",
                true,
            ),
            (
                "not_same_person",
                r#"["a","b"]"#,
                "decided_at",
                "\"2026-03-01\"",
                true,
            ),
            (
                "settings",
                "space.purposes.general",
                "value",
                "\"connect,learn\"",
                true,
            ),
            (
                "settings",
                "space.purposes.general",
                "*",
                r#"{"key":"space.purposes.general","value":"train"}"#,
                true,
            ),
            ("settings", "space.purposes.general", "-", "null", true),
            // poisoned
            (
                "settings",
                "space.purposes.general",
                "value",
                "\"learn,gossip\"",
                false,
            ),
            ("settings", "space.purposes.general", "value", "42", false),
            (
                "settings",
                "space.purposes.general",
                "*",
                r#"{"key":"space.purposes.general","value":"<script>"}"#,
                false,
            ),
            ("members", "m1", "role", "\"god\"", false),
            ("members", "m1", "display_name", "null", false),
            ("members", "m1", "joined_at", "\"last tuesday\"", false),
            ("members", "m1", "is_bot", "7", false),
            ("members", "m1", "id", "\"m2\"", false),
            ("members", "m1", "password", "\"x\"", false),
            ("members", "m1\n", "notes", "\"x\"", false),
            ("members", "m1", "notes", "{\"a\":1}", false),
            ("members", "m1", "notes", "not json", false),
            (
                "members",
                "m1",
                "*",
                r#"{"id":"m1","display_name":null}"#,
                false,
            ),
            (
                "members",
                "m1",
                "*",
                r#"{"id":"m9","display_name":"Ana","created_at":"2026-01-01","updated_at":"2026-01-01"}"#,
                false,
            ),
            ("members", "m1", "*", "[1,2]", false),
            (
                "settings",
                "sync.hub",
                "value",
                "\"postgres://evil\"",
                false,
            ),
            (
                "settings",
                "sync.passphrase",
                "*",
                r#"{"key":"sync.passphrase","value":"x"}"#,
                false,
            ),
            ("settings", "drop_folder", "value", "\"/\"", false),
            (
                "not_same_person",
                "ab",
                "decided_at",
                "\"2026-03-01\"",
                false,
            ),
            (
                "not_same_person",
                r#"["a"]"#,
                "decided_at",
                "\"2026-03-01\"",
                false,
            ),
            ("sync_device", "1", "device_id", "\"x\"", false),
            // names: composed or not, a real name passes; invisible, stacked or
            // overlong ones are refused
            ("members", "m1", "display_name", "\"Ame\\u0301lie\"", true),
            ("members", "m1", "display_name", "\"Nguyễn Văn An\"", true),
            (
                "members",
                "m1",
                "display_name",
                "\"\\u200b\\u200d \"",
                false,
            ),
            ("members", "m1", "preferred_name", "\"\\u202e\"", false),
            (
                "members",
                "m1",
                "organisation",
                "\"Ana\\u202egpj.exe\"",
                false,
            ),
            ("identities", "i1", "handle", "\"\\u3164\"", false),
            ("spaces", "s1", "name", "\"\\u0007\"", false),
            (
                "members",
                "m1",
                "*",
                r#"{"id":"m1","display_name":"\u2066\u2069","created_at":"2026-01-01","updated_at":"2026-01-01"}"#,
                false,
            ),
            // a stranger renaming another laptop
            (
                "settings",
                "device.name.0193a0b2-2222-7000-8000-000000000002",
                "value",
                "\"Your boss\"",
                false,
            ),
        ];
        for (tbl, key, col, value, ok) in cases {
            let why = refusal(&change(tbl, key, col, value));
            assert_eq!(why.is_none(), *ok, "{tbl}.{col} {key:?} = {value}: {why:?}");
        }
        let long = format!("\"{}\"", "x".repeat(MAX_SYNC_TEXT_BYTES + 1));
        assert!(refusal(&change("members", "m1", "notes", &long)).is_some());
        let zalgo = format!("\"a{}\"", "\u{0301}".repeat(20_000));
        for (tbl, col) in [("members", "display_name"), ("activities", "title")] {
            assert!(
                refusal(&change(tbl, "m1", col, &zalgo)).is_some(),
                "{tbl}.{col}"
            );
        }
        let overlong = format!("\"{}\"", "N".repeat(MAX_NAME_CHARS + 2));
        assert!(refusal(&change("members", "m1", "display_name", &overlong)).is_some());
        // A name cut by an older Tend (200 characters and "…") still passes.
        let cut_before = format!("\"{}…\"", "N".repeat(MAX_NAME_CHARS));
        assert_eq!(
            refusal(&change("members", "m1", "display_name", &cut_before)),
            None
        );
        // A laptop naming itself with 5,000 characters behind a right-to-left override.
        let own = "device.name.0193a0b2-1111-7000-8000-000000000001";
        let rlo = format!("\"Ana\u{202E}{}\"", "x".repeat(5_000));
        assert!(refusal(&change("settings", own, "value", &rlo)).is_some());
        let row = serde_json::json!({ "key": own, "value": "\u{200B}" }).to_string();
        assert!(refusal(&change("settings", own, "*", &row)).is_some());
    }
}
