//! Erasure: remove a member's personal data for good, keeping their activities under an
//! anonymous placeholder so the community's numbers stay right, and so that re-importing an
//! export that names them adds nothing personal back.

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

pub use crate::sync::scrub::{placeholder, scrub};

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
