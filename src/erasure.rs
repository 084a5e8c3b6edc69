//! Erasure: remove a member's personal data for good, keeping their activities under an
//! anonymous placeholder so the community's numbers stay right, and so that re-importing an
//! export that names them adds nothing personal back.

use crate::error::Result;
use crate::members;
use crate::store::Store;
use crate::sync::capture::Edit;
use crate::sync::tables::{
    ACTIVITIES, IDENTITIES, KITS, MEMBERS, MEMBER_MERGES, NOT_SAME_PERSON, ONBOARDING_OVERRIDES,
};
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

use crate::sync::scrub::KITS_FOR;
pub use crate::sync::scrub::{placeholder, scrub};

/// Erases member `id` (or unique prefix) in one transaction; the erasure is a change every
/// synced laptop applies. Their data goes from every table, from sync's history and its
/// reports, and then from the database file's free pages and its write-ahead log
/// ([`Store::wipe_free_pages`]).
pub async fn erase(store: &Store, id: &str) -> Result<Erased> {
    let id = members::resolve_id(store, id).await?;
    let now = time::now();
    let mut edit = Edit::begin(store).await?;
    let both = [id.as_str(), id.as_str()];
    edit.watch(MEMBERS, "id = ?", &[&id]).await?;
    edit.watch(IDENTITIES, "member_id = ?", &[&id]).await?;
    edit.watch(ACTIVITIES, "member_id = ? AND body IS NOT NULL", &[&id])
        .await?;
    edit.watch(ONBOARDING_OVERRIDES, "member_id = ?", &[&id])
        .await?;
    edit.watch(MEMBER_MERGES, "kept_id = ? OR merged_id = ?", &both)
        .await?;
    edit.watch(NOT_SAME_PERSON, "member_a = ? OR member_b = ?", &both)
        .await?;
    edit.watch(KITS, KITS_FOR, &[&id]).await?;
    sqlx::query(
        "UPDATE members SET erased_at = COALESCE(erased_at, ?2), updated_at = ?2 WHERE id = ?1",
    )
    .bind(&id)
    .bind(&now)
    .execute(edit.conn())
    .await?;
    let (identities, activities) = scrub(edit.conn(), &id).await?;
    for sql in [
        "DELETE FROM onboarding_overrides WHERE member_id = ?1",
        "DELETE FROM member_merges WHERE kept_id = ?1 OR merged_id = ?1",
        "DELETE FROM not_same_person WHERE member_a = ?1 OR member_b = ?1",
    ] {
        sqlx::query(sql).bind(&id).execute(edit.conn()).await?;
    }
    edit.commit().await?;
    store.wipe_free_pages().await?;
    Ok(Erased {
        placeholder: placeholder(&id),
        id,
        identities,
        activities,
    })
}
