//! Erasure: remove a member's personal data for good, keeping their activities under an
//! anonymous placeholder so the community's numbers stay right, and so that re-importing an
//! export that names them adds nothing personal back.

use crate::error::Result;
use crate::members;
use crate::store::Store;
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

/// Erases member `id` (or unique prefix) in one transaction.
pub async fn erase(store: &Store, id: &str) -> Result<Erased> {
    let id = members::resolve_id(store, id).await?;
    let name = placeholder(&id);
    let now = time::now();
    let mut tx = store.pool().begin().await?;
    sqlx::query(
        "UPDATE members SET display_name = ?2, email = NULL, country = NULL, organisation = NULL,
         language = NULL, notes = '', erased_at = COALESCE(erased_at, ?3), updated_at = ?3 WHERE id = ?1",
    )
    .bind(&id)
    .bind(&name)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let identities = sqlx::query(
        "UPDATE identities SET external_id = 'erased:' || id, handle = NULL, email = NULL, email_norm = NULL,
         display_name = NULL, erased = 1 WHERE member_id = ?",
    )
    .bind(&id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let activities = sqlx::query("UPDATE activities SET body = NULL WHERE member_id = ?")
        .bind(&id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    for sql in [
        "DELETE FROM onboarding_overrides WHERE member_id = ?1",
        "DELETE FROM member_merges WHERE kept_id = ?1 OR merged_id = ?1",
        "DELETE FROM not_same_person WHERE member_a = ?1 OR member_b = ?1",
    ] {
        sqlx::query(sql).bind(&id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(Erased {
        id,
        placeholder: name,
        identities,
        activities,
    })
}
