//! Erasure: remove a member's personal data for good, keeping their activities under an
//! anonymous placeholder so the community's numbers stay right, and so that re-importing an
//! export that names them adds nothing personal back.

use sqlx::SqliteConnection;

use crate::error::Result;
use crate::members;
use crate::store::Store;
use crate::sync::capture;
use crate::time;

/// What erasure did.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct Erased {
    /// The member's id (unchanged).
    pub id: String,
    /// The placeholder name now shown.
    pub placeholder: String,
    /// Identities scrubbed.
    #[ts(type = "number")]
    pub identities: u64,
    /// Activities kept under the placeholder.
    #[ts(type = "number")]
    pub activities: u64,
}

/// The placeholder name of an erased member.
pub fn placeholder(id: &str) -> String {
    format!(
        "Erased member {}",
        id.chars().rev().take(6).collect::<String>()
    )
}

/// Scrubs an erased member's personal data: their fields, their identities, their
/// activities' bodies, and the values sync's history kept for them. Used by [`erase`] and
/// again whenever another laptop's change touches an erased member, so that an older or
/// concurrent edit never brings anything back.
pub async fn scrub(conn: &mut SqliteConnection, id: &str) -> Result<(u64, u64)> {
    sqlx::query(
        "UPDATE members SET display_name = ?2, email = NULL, country = NULL, organisation = NULL,
         language = NULL, notes = '' WHERE id = ?1",
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
            "'email', 'country', 'organisation', 'language'",
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
        ("members", "json_set(value, '$.display_name', ?2, '$.email', NULL, '$.country', NULL, '$.organisation', NULL, '$.language', NULL, '$.notes', '')", "row_key = ?1".to_string()),
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

/// Erases member `id` (or unique prefix) in one transaction; the erasure is a change every
/// synced laptop applies.
pub async fn erase(store: &Store, id: &str) -> Result<Erased> {
    let id = members::resolve_id(store, id).await?;
    let now = time::now();
    let mut tx = store.write().await?;
    let snaps = [
        capture::before(&mut tx, "members", "id = ?", &[&id]).await?,
        capture::before(&mut tx, "identities", "member_id = ?", &[&id]).await?,
        capture::before(
            &mut tx,
            "activities",
            "member_id = ? AND body IS NOT NULL",
            &[&id],
        )
        .await?,
        capture::before(&mut tx, "onboarding_overrides", "member_id = ?", &[&id]).await?,
        capture::before(
            &mut tx,
            "member_merges",
            "kept_id = ? OR merged_id = ?",
            &[&id, &id],
        )
        .await?,
        capture::before(
            &mut tx,
            "not_same_person",
            "member_a = ? OR member_b = ?",
            &[&id, &id],
        )
        .await?,
    ];
    sqlx::query(
        "UPDATE members SET erased_at = COALESCE(erased_at, ?2), updated_at = ?2 WHERE id = ?1",
    )
    .bind(&id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let (identities, activities) = scrub(&mut tx, &id).await?;
    for sql in [
        "DELETE FROM onboarding_overrides WHERE member_id = ?1",
        "DELETE FROM member_merges WHERE kept_id = ?1 OR merged_id = ?1",
        "DELETE FROM not_same_person WHERE member_a = ?1 OR member_b = ?1",
    ] {
        sqlx::query(sql).bind(&id).execute(&mut *tx).await?;
    }
    for snap in snaps {
        capture::after(store, &mut tx, snap).await?;
    }
    tx.commit().await?;
    Ok(Erased {
        placeholder: placeholder(&id),
        id,
        identities,
        activities,
    })
}
