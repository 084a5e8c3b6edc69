//! Scrubbing an erased member's personal data, here in sync because it also runs when
//! another laptop's change touches an erased member (`apply`), and because it rewrites
//! sync's own history (`sync_log`, bulk records), the reasons it held records for and the
//! reports of its runs. `erasure` builds the user-facing erasure on it; sync never calls up
//! into `erasure`.

mod forget;

use std::collections::BTreeSet;

use serde_json::Value;
use sqlx::SqliteConnection;

use crate::error::Result;
use forget::Forget;

/// The fields of a member or identity row that say who someone is.
const PERSONAL: [&str; 6] = [
    "display_name",
    "preferred_name",
    "email",
    "organisation",
    "notes",
    "handle",
];

/// The change records of the rows of members `?1` (a JSON array of ids) and of their
/// identities.
const THEIR_RECORDS: &str = "(tbl = 'members' AND row_key IN (SELECT value FROM json_each(?1)))
    OR (tbl = 'identities' AND row_key IN
      (SELECT id FROM identities WHERE member_id IN (SELECT value FROM json_each(?1))))";

/// Which kits were made for member `?` (the audience names them by id or a prefix of it,
/// `kit::Audience::Member`): their history names the member.
pub(crate) const KITS_FOR: &str = "CASE WHEN json_valid(audience) THEN
    json_extract(audience, '$.kind') = 'member' AND COALESCE(json_extract(audience, '$.value'), '') <> ''
    AND instr(?, json_extract(audience, '$.value')) = 1 END";

/// The placeholder name of an erased member.
pub fn placeholder(id: &str) -> String {
    format!(
        "Erased member {}",
        id.chars().rev().take(6).collect::<String>()
    )
}

/// Scrubs an erased member's personal data: their fields, their identities, their
/// activities' bodies, and the values sync's history kept for them. Used by `erasure::erase` and
/// again whenever another laptop's change touches an erased member, so that an older or
/// concurrent edit never brings anything back.
pub async fn scrub(conn: &mut SqliteConnection, id: &str) -> Result<(u64, u64)> {
    let merges = Merges::of(conn, id).await?;
    let mut whose = merges.gone.clone();
    whose.push(id.to_string());
    let forget = Forget::new(
        personal_texts(conn, &whose, &merges).await?,
        placeholder(id),
    );
    sqlx::query(
        "UPDATE members SET display_name = ?2, preferred_name = NULL, email = NULL, country = NULL,
         organisation = NULL, language = NULL, notes = '' WHERE id = ?1",
    )
    .bind(id)
    .bind(placeholder(id))
    .execute(&mut *conn)
    .await?;
    let identities = sqlx::query(
        "UPDATE identities SET external_id = 'erased:' || id, handle = NULL, email = NULL, email_norm = NULL,
         display_name = NULL, erased = 1 WHERE member_id = ?",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    // Every activity of theirs counts as scrubbed, a body or not.
    let activities = sqlx::query(
        "UPDATE activity SET body = NULL WHERE member = (SELECT n FROM keys WHERE id = ?)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    redact_history(conn, id).await?;
    // A member merged into them is the same person: their old rows go too.
    for merged in &merges.gone {
        redact_history(conn, merged).await?;
    }
    merges.redact(conn).await?;
    redact_kits(conn, id).await?;
    // What is left of them in their rows' records is in records held back (a value no
    // column takes): those were never applied, so forgetting them changes no laptop's data.
    let whose = serde_json::to_string(&whose).unwrap_or_default();
    rewrite_log(conn, THEIR_RECORDS, &whose, |_, value| {
        forget.json(value).then_some(())
    })
    .await?;
    forget_in_reports(conn, &forget).await?;
    Ok((identities, activities))
}

/// The merges into or of one member, as sync's history tells them (the rows themselves may
/// be gone: erasure deletes them, and another laptop's tombstone may have come first).
struct Merges {
    /// The merge records' keys.
    keys: Vec<String>,
    /// The members merged into them that are gone (not unmerged since).
    gone: Vec<String>,
    /// The merged members' rows the merges kept (for undoing), as JSON objects.
    rows: Vec<serde_json::Map<String, Value>>,
}

impl Merges {
    async fn of(conn: &mut SqliteConnection, id: &str) -> Result<Merges> {
        let records: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT row_key, col, value FROM sync_log WHERE tbl = 'member_merges'
             AND col IN ('*', 'kept_id', 'merged_id', 'merged_row') ORDER BY row_key",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut each: std::collections::BTreeMap<&str, Told> = Default::default();
        for (key, col, value) in &records {
            let Ok(value) = serde_json::from_str::<Value>(value) else {
                continue;
            };
            let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
            let (kept, merged, row) = match col.as_str() {
                "*" => (
                    text(value.get("kept_id")),
                    text(value.get("merged_id")),
                    text(value.get("merged_row")),
                ),
                "kept_id" => (text(Some(&value)), None, None),
                "merged_id" => (None, text(Some(&value)), None),
                _ => (None, None, text(Some(&value))),
            };
            let told = each.entry(key).or_default();
            told.named.extend(kept.into_iter().chain(merged.clone()));
            told.merged.extend(merged);
            told.rows.extend(row);
        }
        let mut merges = Merges {
            keys: Vec::new(),
            gone: Vec::new(),
            rows: Vec::new(),
        };
        let mut merged = BTreeSet::new();
        for (key, told) in each {
            if told.named.iter().any(|m| m == id) {
                merges.keys.push(key.to_string());
                merged.extend(told.merged.into_iter().filter(|m| m != id));
                let rows = told
                    .rows
                    .iter()
                    .filter_map(|r| serde_json::from_str(r).ok());
                merges.rows.extend(rows);
            }
        }
        for m in merged {
            let back: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM members WHERE id = ? AND erased_at IS NULL",
            )
            .bind(&m)
            .fetch_one(&mut *conn)
            .await?;
            if back == 0 {
                merges.gone.push(m);
            }
        }
        Ok(merges)
    }
}

/// What one merge's records tell.
#[derive(Default)]
struct Told {
    /// The members it names, kept or merged.
    named: Vec<String>,
    /// The members merged.
    merged: Vec<String>,
    /// The merged rows kept (JSON text).
    rows: Vec<String>,
}

impl Merges {
    /// Blanks the merged members' personal fields in the merge records: each kept row
    /// becomes the merged member's placeholder row.
    async fn redact(&self, conn: &mut SqliteConnection) -> Result<()> {
        let keys = serde_json::to_string(&self.keys).unwrap_or_default();
        rewrite_log(
            conn,
            "tbl = 'member_merges' AND col IN ('*', 'merged_row') AND row_key IN (SELECT value FROM json_each(?))",
            &keys,
            |col, value| {
                let row = match col {
                    "*" => value.get_mut("merged_row")?,
                    _ => value,
                };
                let mut kept: serde_json::Map<String, Value> =
                    serde_json::from_str(row.as_str()?).ok()?;
                let id = kept.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
                scrub_member_row(&mut kept, &placeholder(&id));
                *row = Value::String(Value::Object(kept).to_string());
                Some(())
            },
        )
        .await
    }
}

/// A member row as sync records it (a JSON object), with its personal fields scrubbed as
/// [`scrub`] scrubs the member.
fn scrub_member_row(row: &mut serde_json::Map<String, Value>, placeholder: &str) {
    for field in [
        "preferred_name",
        "email",
        "country",
        "organisation",
        "language",
    ] {
        if row.contains_key(field) {
            row.insert(field.into(), Value::Null);
        }
    }
    row.insert("display_name".into(), Value::String(placeholder.into()));
    if row.contains_key("notes") {
        row.insert("notes".into(), Value::String(String::new()));
    }
}

/// Every personal text of the members `whose` (their fields now and in sync's history, their
/// identities', the rows their merges kept), for [`Forget`].
async fn personal_texts(
    conn: &mut SqliteConnection,
    whose: &[String],
    merges: &Merges,
) -> Result<Vec<String>> {
    let whose = serde_json::to_string(whose).unwrap_or_default();
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT '*', json_object({members}) FROM members WHERE id IN (SELECT value FROM json_each(?1))
         UNION ALL SELECT '*', json_object({identities}) FROM identities
           WHERE member_id IN (SELECT value FROM json_each(?1))
         UNION ALL SELECT col, value FROM sync_log WHERE {THEIR_RECORDS}",
        members = "'display_name', display_name, 'preferred_name', preferred_name, 'email', email,
                   'organisation', organisation, 'notes', notes",
        identities = "'display_name', display_name, 'email', email, 'handle', handle",
    ))
    .bind(&whose)
    .fetch_all(&mut *conn)
    .await?;
    let mut texts = BTreeSet::new();
    let mut take = |col: &str, value: Value| match (col, value) {
        ("*", Value::Object(row)) => texts.extend(
            PERSONAL
                .iter()
                .filter_map(|f| row.get(*f).and_then(Value::as_str).map(str::to_string)),
        ),
        (col, Value::String(text)) if PERSONAL.contains(&col) => {
            texts.insert(text);
        }
        _ => {}
    };
    for (col, value) in rows {
        if let Ok(value) = serde_json::from_str(&value) {
            take(&col, value);
        }
    }
    for row in &merges.rows {
        take("*", Value::Object(row.clone()));
    }
    Ok(texts.into_iter().collect())
}

/// The kits made for member `id` name them: their history shows the placeholder and no
/// path (a file name often carries the name), now and in sync's history.
async fn redact_kits(conn: &mut SqliteConnection, id: &str) -> Result<()> {
    let keys: Vec<String> = sqlx::query_scalar(&format!("SELECT id FROM kits WHERE {KITS_FOR}"))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    if keys.is_empty() {
        return Ok(());
    }
    let keys = serde_json::to_string(&keys).unwrap_or_default();
    let name = placeholder(id);
    sqlx::query(
        "UPDATE kits SET recipient = ?2, path = '' WHERE id IN (SELECT value FROM json_each(?1))",
    )
    .bind(&keys)
    .bind(&name)
    .execute(&mut *conn)
    .await?;
    rewrite_log(
        conn,
        "tbl = 'kits' AND col IN ('*', 'recipient', 'path') AND row_key IN (SELECT value FROM json_each(?))",
        &keys,
        |col, value| {
            let (recipient, path) = (Value::String(name.clone()), Value::String(String::new()));
            match col {
                "*" => {
                    let row = value.as_object_mut()?;
                    row.insert("recipient".into(), recipient);
                    row.insert("path".into(), path);
                }
                "recipient" => *value = recipient,
                _ => *value = path,
            }
            Some(())
        },
    )
    .await
}

/// Rewrites the change records that `filter` (one `?`, bound to `bind`) picks, through
/// `edit` (given the record's column and its value; `None` leaves it as it was). A
/// record whose value is not JSON is left alone: it was never applied.
async fn rewrite_log(
    conn: &mut SqliteConnection,
    filter: &str,
    bind: &str,
    edit: impl Fn(&str, &mut Value) -> Option<()>,
) -> Result<()> {
    // `filter` is one of this module's constants.
    let records: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT rowid, col, value FROM sync_log WHERE {filter}"
    ))
    .bind(bind)
    .fetch_all(&mut *conn)
    .await?;
    for (rowid, col, value) in records {
        let Ok(mut parsed) = serde_json::from_str::<Value>(&value) else {
            continue;
        };
        if edit(&col, &mut parsed).is_none() {
            continue;
        }
        let new = parsed.to_string();
        if new != value {
            sqlx::query("UPDATE sync_log SET value = ? WHERE rowid = ?")
                .bind(new)
                .bind(rowid)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Replaces the member's personal texts in the reasons records were held for and in the
/// reports of the last syncs (a reason quotes the value it refused).
async fn forget_in_reports(conn: &mut SqliteConnection, forget: &Forget) -> Result<()> {
    let reasons: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT device, seq, reason FROM sync_refused")
            .fetch_all(&mut *conn)
            .await?;
    for (device, seq, reason) in reasons {
        if let std::borrow::Cow::Owned(new) = forget.text(&reason) {
            sqlx::query("UPDATE sync_refused SET reason = ? WHERE device = ? AND seq = ?")
                .bind(new)
                .bind(device)
                .bind(seq)
                .execute(&mut *conn)
                .await?;
        }
    }
    let reports: Vec<(String, String)> = sqlx::query_as("SELECT transport, report FROM sync_runs")
        .fetch_all(&mut *conn)
        .await?;
    for (transport, report) in reports {
        let Ok(mut parsed) = serde_json::from_str::<Value>(&report) else {
            continue;
        };
        if forget.json(&mut parsed) {
            sqlx::query("UPDATE sync_runs SET report = ? WHERE transport = ?")
                .bind(parsed.to_string())
                .bind(transport)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Blanks the erased member's personal values in sync's history (their member row, their
/// identities, their activities' bodies), so no old change can bring them back.
async fn redact_history(conn: &mut SqliteConnection, id: &str) -> Result<()> {
    let rows = "(SELECT id FROM identities WHERE member_id = ?1 UNION SELECT id FROM activities WHERE member_id = ?1)";
    let redactions = [
        ("members", "'display_name'", "json_quote(?2)"),
        (
            "members",
            "'preferred_name', 'email', 'country', 'organisation', 'language'",
            "'null'",
        ),
        ("members", "'notes'", "'\"\"'"),
        (
            "identities",
            "'handle', 'email', 'email_norm', 'display_name'",
            "'null'",
        ),
        (
            "identities",
            "'external_id'",
            "json_quote('erased:' || row_key)",
        ),
        ("activities", "'body'", "'null'"),
        ("onboarding_overrides", "'note'", "'\"\"'"),
    ];
    for (table, cols, value) in redactions {
        let which = if matches!(table, "members" | "onboarding_overrides") {
            "row_key = ?1".to_string()
        } else {
            format!("row_key IN {rows}")
        };
        // Table, column lists and values are the constants above.
        let sql = format!("UPDATE sync_log SET value = {value} WHERE tbl = '{table}' AND col IN ({cols}) AND {which}");
        sqlx::query(&sql)
            .bind(id)
            .bind(placeholder(id))
            .execute(&mut *conn)
            .await?;
    }
    let puts = [
        ("members", "json_set(value, '$.display_name', ?2, '$.preferred_name', NULL, '$.email', NULL, '$.country', NULL, '$.organisation', NULL, '$.language', NULL, '$.notes', '')", "row_key = ?1".to_string()),
        ("identities", "json_set(value, '$.external_id', 'erased:' || row_key, '$.handle', NULL, '$.email', NULL, '$.email_norm', NULL, '$.display_name', NULL)", format!("row_key IN {rows}")),
        ("activities", "json_set(value, '$.body', NULL)", format!("row_key IN {rows}")),
        ("onboarding_overrides", "json_set(value, '$.note', '')", "row_key = ?1".to_string()),
    ];
    for (table, value, which) in puts {
        let sql = format!(
            "UPDATE sync_log SET value = {value} WHERE tbl = '{table}' AND col = '*' AND {which}"
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(placeholder(id))
            .execute(&mut *conn)
            .await?;
    }
    crate::sync::bulk::scrub_bodies(conn, id).await?;
    Ok(())
}
