//! Scrubbing an erased member's personal data, here in sync because it also runs when
//! another laptop's change touches an erased member (`apply`), and because it rewrites
//! sync's own history (`sync_log`, bulk records). `erasure` builds the user-facing erasure
//! on it; sync never calls up into `erasure`.

use sqlx::SqliteConnection;

use crate::error::Result;

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
    Ok((identities, activities))
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
    ];
    for (table, cols, value) in redactions {
        let which = if table == "members" {
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
