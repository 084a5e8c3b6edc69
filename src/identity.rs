//! One member per person: how identities are matched across sources (normalised e-mail),
//! which members may be one person (suggestions that say why), and merging, undoing a
//! merge, and splitting an identity off.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::members::resolve_id;
use crate::store::Store;
use crate::sync::capture::{self, Edit};
use crate::sync::tables::{
    ACTIVITIES, IDENTITIES, MEMBERS, MEMBER_MERGES, NOT_SAME_PERSON, ONBOARDING_OVERRIDES,
};
use crate::{ids, time};

/// How an account is named to people: its handle, else its e-mail, else the source's own
/// id with any URI scheme (`mailto:`, `tel:`) taken off; blank parts are skipped.
pub fn shown(external_id: &str, handle: Option<&str>, email: Option<&str>) -> String {
    let id = external_id.trim();
    let bare = ["mailto:", "tel:"]
        .iter()
        .find_map(|scheme| {
            id.get(..scheme.len())
                .filter(|head| head.eq_ignore_ascii_case(scheme))
                .map(|_| &id[scheme.len()..])
        })
        .unwrap_or(id);
    [handle, email]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or(bare)
        .to_string()
}

/// The form of an e-mail address used to match identities: lower-case, trimmed, and for
/// Gmail (which ignores dots and `+tags` in the local part) without them. `None` when the
/// text is not an address.
pub fn normalize_email(raw: &str) -> Option<String> {
    let e = raw
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_lowercase();
    let (local, domain) = e.rsplit_once('@')?;
    if local.is_empty() || !domain.contains('.') || e.contains(char::is_whitespace) {
        return None;
    }
    match domain {
        "gmail.com" | "googlemail.com" => {
            let base = local.split('+').next().unwrap_or(local).replace('.', "");
            Some(format!("{base}@gmail.com"))
        }
        _ => Some(e),
    }
}

/// Why two members may be one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MergeReason {
    /// Their e-mail addresses normalise to the same one.
    SameEmail,
    /// Their names are the same once accents are removed and scripts transliterated.
    SameName,
    /// They use the same handle in different sources.
    SameHandle,
}

/// A suggested merge, with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MergeSuggestion {
    /// One member's id.
    pub a: String,
    /// Its name.
    pub a_name: String,
    /// The other member's id.
    pub b: String,
    /// Its name.
    pub b_name: String,
    /// Why they may be the same person.
    pub reasons: Vec<MergeReason>,
}

/// A name folded for comparison: transliterated to ASCII, lower-case, words sorted, so
/// "José Núñez", "Nunez Jose" and "JOSE NUNEZ" compare equal, and so do names written in
/// another script.
pub fn fold_name(name: &str) -> String {
    // The search's folding (one rule, `crate::search`), then the words in order.
    let folded = crate::search::fold(name);
    let mut words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.sort_unstable();
    words.join(" ")
}

/// Largest group of members sharing a key that is still suggested (more is a common name,
/// not one person).
const MAX_GROUP: usize = 4;

/// Members that may be the same person, minus pairs someone said are not.
pub async fn suggestions(store: &Store) -> Result<Vec<MergeSuggestion>> {
    let rows = sqlx::query(
        "SELECT m.id, m.display_name, m.email, i.email_norm, i.handle, i.display_name AS identity_name, i.source_id
         FROM members m LEFT JOIN identities i ON i.member_id = m.id WHERE m.is_bot = 0",
    )
    .fetch_all(store.pool())
    .await?;
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut sources: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut keys: BTreeMap<(MergeReason, String), BTreeSet<String>> = BTreeMap::new();
    for row in rows {
        let id: String = row.try_get("id")?;
        let name: String = row.try_get("display_name")?;
        let mut add = |reason, key: Option<String>| {
            if let Some(k) = key.filter(|k| k.len() >= 3) {
                keys.entry((reason, k)).or_default().insert(id.clone());
            }
        };
        add(
            MergeReason::SameEmail,
            row.try_get::<Option<String>, _>("email")?
                .as_deref()
                .and_then(normalize_email),
        );
        add(MergeReason::SameEmail, row.try_get("email_norm")?);
        add(
            MergeReason::SameHandle,
            row.try_get::<Option<String>, _>("handle")?
                .map(|h| h.to_lowercase()),
        );
        add(
            MergeReason::SameName,
            Some(fold_name(&name)).filter(|n| n.contains(' ')),
        );
        add(
            MergeReason::SameName,
            row.try_get::<Option<String>, _>("identity_name")?
                .map(|n| fold_name(&n))
                .filter(|n| n.contains(' ')),
        );
        if let Some(source) = row.try_get::<Option<String>, _>("source_id")? {
            sources.entry(id.clone()).or_default().insert(source);
        }
        names.insert(id, name);
    }
    // Two accounts with the same name in the same source are two people; the same name in
    // different sources may be one.
    let share_a_source = |a: &String, b: &String| match (sources.get(a), sources.get(b)) {
        (Some(x), Some(y)) => !x.is_disjoint(y),
        _ => false,
    };
    let refused: HashSet<(String, String)> =
        sqlx::query_as("SELECT member_a, member_b FROM not_same_person")
            .fetch_all(store.pool())
            .await?
            .into_iter()
            .collect();
    let mut pairs: BTreeMap<(String, String), BTreeSet<MergeReason>> = BTreeMap::new();
    for ((reason, _), members) in keys {
        if members.len() < 2 || members.len() > MAX_GROUP {
            continue;
        }
        let list: Vec<&String> = members.iter().collect();
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                let pair = ((*a).clone(), (*b).clone());
                let weak = reason != MergeReason::SameEmail;
                if !(refused.contains(&pair) || weak && share_a_source(a, b)) {
                    pairs.entry(pair).or_default().insert(reason);
                }
            }
        }
    }
    let name = |id: &String| names.get(id).cloned().unwrap_or_default();
    Ok(pairs
        .into_iter()
        .map(|((a, b), reasons)| MergeSuggestion {
            a_name: name(&a),
            b_name: name(&b),
            a,
            b,
            reasons: reasons.into_iter().collect(),
        })
        .collect())
}

/// Remembers that two members are not the same person: never suggested again.
pub async fn not_same_person(store: &Store, a: &str, b: &str) -> Result<()> {
    let (a, b) = (resolve_id(store, a).await?, resolve_id(store, b).await?);
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    let query = sqlx::query("INSERT INTO not_same_person (member_a, member_b, decided_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        .bind(&a)
        .bind(&b)
        .bind(time::now());
    let filter = "member_a = ? AND member_b = ?";
    capture::tracked(store, NOT_SAME_PERSON, filter, &[&a, &b], query).await?;
    Ok(())
}

/// Merges `other` into `keep`: every identity and activity moves, empty fields of `keep`
/// are filled from `other`, and the merge is recorded so that [`unmerge`] can undo it.
/// Returns the merge's id.
pub async fn merge(store: &Store, keep: &str, other: &str) -> Result<String> {
    let (keep, other) = (
        resolve_id(store, keep).await?,
        resolve_id(store, other).await?,
    );
    if keep == other {
        return Err(Error::InvalidValue {
            field: "members",
            value: keep,
            expected: "two different members",
        });
    }
    let mut edit = Edit::begin(store).await?;
    let id = ids::new_id();
    watch_merge(&mut edit, &keep, &other, &id).await?;
    let row: String = sqlx::query_scalar(
        "SELECT json_object('id', id, 'display_name', display_name, 'email', email, 'role', role, 'country', country,
         'organisation', organisation, 'language', language, 'joined_at', joined_at, 'is_bot', is_bot, 'notes', notes,
         'created_at', created_at, 'updated_at', updated_at) FROM members WHERE id = ?",
    )
    .bind(&other)
    .fetch_one(edit.conn())
    .await?;
    let identities: Vec<String> =
        sqlx::query_scalar("SELECT id FROM identities WHERE member_id = ?")
            .bind(&other)
            .fetch_all(edit.conn())
            .await?;
    let loose: Vec<String> =
        sqlx::query_scalar("SELECT id FROM activities WHERE member_id = ? AND identity_id IS NULL")
            .bind(&other)
            .fetch_all(edit.conn())
            .await?;
    for sql in [
        "UPDATE identities SET member_id = ?1 WHERE member_id = ?2",
        "UPDATE activity SET member = (SELECT n FROM keys WHERE id = ?1)
            WHERE member = (SELECT n FROM keys WHERE id = ?2)",
        "UPDATE members SET email = COALESCE(email, (SELECT email FROM members WHERE id = ?2)),
            country = COALESCE(country, (SELECT country FROM members WHERE id = ?2)),
            organisation = COALESCE(organisation, (SELECT organisation FROM members WHERE id = ?2)),
            language = COALESCE(language, (SELECT language FROM members WHERE id = ?2)),
            joined_at = MIN(COALESCE(joined_at, '9999'), COALESCE((SELECT joined_at FROM members WHERE id = ?2), '9999'))
            WHERE id = ?1",
        "UPDATE members SET joined_at = NULL WHERE id = ?1 AND joined_at = '9999'",
        "DELETE FROM not_same_person WHERE member_a = ?2 OR member_b = ?2",
        "INSERT OR IGNORE INTO onboarding_overrides (member_id, stage, note, set_at)
            SELECT ?1, stage, note, set_at FROM onboarding_overrides WHERE member_id = ?2",
        "DELETE FROM onboarding_overrides WHERE member_id = ?2",
        // Earlier merges into `other` now count as merges into `keep`.
        "UPDATE member_merges SET kept_id = ?1 WHERE kept_id = ?2",
        "DELETE FROM members WHERE id = ?2",
    ] {
        sqlx::query(sql).bind(&keep).bind(&other).execute(edit.conn()).await?;
    }
    let moved = serde_json::json!({ "identities": identities, "activities": loose }).to_string();
    sqlx::query("INSERT INTO member_merges (id, kept_id, merged_id, merged_row, identities, merged_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(&id)
        .bind(&keep)
        .bind(&other)
        .bind(row)
        .bind(moved)
        .bind(time::now())
        .execute(edit.conn())
        .await?;
    edit.commit().await?;
    Ok(id)
}

/// What a merge changes, for sync: the two members, the identities and loose activities
/// that move, the decisions and overrides that follow, and the merge record. (Activities
/// with an identity follow it on every laptop.)
async fn watch_merge(edit: &mut Edit, keep: &str, other: &str, merge_id: &str) -> Result<()> {
    let either = [other, other];
    edit.watch(MEMBERS, "id IN (?, ?)", &[keep, other]).await?;
    edit.watch(IDENTITIES, "member_id = ?", &[other]).await?;
    let loose = "member_id = ? AND identity_id IS NULL";
    edit.watch(ACTIVITIES, loose, &[other]).await?;
    let pairs = "member_a = ? OR member_b = ?";
    edit.watch(NOT_SAME_PERSON, pairs, &either).await?;
    let overrides = "member_id IN (?, ?)";
    edit.watch(ONBOARDING_OVERRIDES, overrides, &[keep, other])
        .await?;
    edit.watch(MEMBER_MERGES, "id = ? OR kept_id = ?", &[merge_id, other])
        .await
}

/// Undoes a merge: the merged member comes back with its identities and their activities.
pub async fn unmerge(store: &Store, merge_id: &str) -> Result<String> {
    let mut edit = Edit::begin(store).await?;
    let found: Option<(String, String, String)> =
        sqlx::query_as("SELECT merged_id, merged_row, identities FROM member_merges WHERE id = ? AND undone_at IS NULL")
            .bind(merge_id)
            .fetch_optional(edit.conn())
            .await?;
    let Some((merged_id, row, moved)) = found else {
        return Err(Error::InvalidValue {
            field: "merge id",
            value: merge_id.to_string(),
            expected: "a merge that has not been undone",
        });
    };
    let moved_ids = "id IN (SELECT value FROM json_each(?, '$.identities'))";
    let moved_activities = "id IN (SELECT value FROM json_each(?, '$.activities'))";
    edit.watch(MEMBERS, "id = ?", &[&merged_id]).await?;
    edit.watch(IDENTITIES, moved_ids, &[&moved]).await?;
    edit.watch(ACTIVITIES, moved_activities, &[&moved]).await?;
    edit.watch(MEMBER_MERGES, "id = ?", &[merge_id]).await?;
    sqlx::query(
        "INSERT INTO members (id, display_name, email, role, country, organisation, language, joined_at, is_bot, notes, created_at, updated_at)
         SELECT j->>'id', j->>'display_name', j->>'email', j->>'role', j->>'country', j->>'organisation', j->>'language',
                j->>'joined_at', j->>'is_bot', j->>'notes', j->>'created_at', ? FROM (SELECT json(?) AS j)",
    )
    .bind(time::now())
    .bind(&row)
    .execute(edit.conn())
    .await?;
    let loose = format!(
        "UPDATE activity SET member = (SELECT n FROM keys WHERE id = ?1)
            WHERE gid IN (SELECT {} FROM json_each(?2, '$.activities'))",
        ids::sql_gid("value")
    );
    for sql in [
        "UPDATE identities SET member_id = ?1 WHERE id IN (SELECT value FROM json_each(?2, '$.identities'))",
        "UPDATE activity SET member = (SELECT n FROM keys WHERE id = ?1)
            WHERE identity IN (SELECT n FROM keys WHERE id IN (SELECT value FROM json_each(?2, '$.identities')))",
        &loose,
    ] {
        sqlx::query(sql).bind(&merged_id).bind(&moved).execute(edit.conn()).await?;
    }
    sqlx::query("UPDATE member_merges SET undone_at = ? WHERE id = ?")
        .bind(time::now())
        .bind(merge_id)
        .execute(edit.conn())
        .await?;
    edit.commit().await?;
    Ok(merged_id)
}

/// The identity a split moves out.
#[derive(sqlx::FromRow)]
struct SplitIdentity {
    id: String,
    display_name: Option<String>,
    handle: Option<String>,
    email: Option<String>,
    external_id: String,
}

/// Moves one identity (and its activities) out of a member into a member of its own.
/// Returns the new member's id.
pub async fn split(store: &Store, member: &str, identity: &str) -> Result<String> {
    let member = resolve_id(store, member).await?;
    let mut edit = Edit::begin(store).await?;
    let found: Option<SplitIdentity> = sqlx::query_as(
        "SELECT id, display_name, handle, email, external_id FROM identities WHERE member_id = ? AND (id = ? OR external_id = ?)",
    )
    .bind(&member)
    .bind(identity)
    .bind(identity)
    .fetch_optional(edit.conn())
    .await?;
    let Some(SplitIdentity {
        id: identity_id,
        display_name: name,
        handle,
        email,
        external_id: external,
    }) = found
    else {
        return Err(Error::InvalidValue {
            field: "identity",
            value: identity.to_string(),
            expected: "the id of one of this member's identities",
        });
    };
    let new_id = ids::derived(&["split", &identity_id]);
    edit.watch(MEMBERS, "id = ?", &[&new_id]).await?;
    edit.watch(IDENTITIES, "id = ?", &[&identity_id]).await?;
    let name = name.or(handle).unwrap_or(external);
    let now = time::now();
    sqlx::query(&format!(
        "INSERT INTO members (id, display_name, email, role, joined_at, created_at, updated_at)
         SELECT ?, ?, ?, 'member', (SELECT {} FROM activity
                WHERE identity = (SELECT n FROM keys WHERE id = ?)), ?, ?",
        time::sql_text("MIN(at)")
    ))
    .bind(&new_id)
    .bind(name)
    .bind(email)
    .bind(&identity_id)
    .bind(&now)
    .bind(&now)
    .execute(edit.conn())
    .await?;
    sqlx::query("UPDATE identities SET member_id = ? WHERE id = ?")
        .bind(&new_id)
        .bind(&identity_id)
        .execute(edit.conn())
        .await?;
    sqlx::query(
        "UPDATE activity SET member = (SELECT n FROM keys WHERE id = ?)
         WHERE identity = (SELECT n FROM keys WHERE id = ?)",
    )
    .bind(&new_id)
    .bind(&identity_id)
    .execute(edit.conn())
    .await?;
    edit.commit().await?;
    Ok(new_id)
}

#[cfg(test)]
mod tests {
    use super::{normalize_email, shown};

    #[test]
    fn an_account_is_named_without_its_scheme() {
        assert_eq!(shown("mailto:j@x.org", None, None), "j@x.org");
        assert_eq!(shown("MAILTO:j@x.org", None, Some(" ")), "j@x.org");
        assert_eq!(shown("mailto:j@x.org", None, Some("J@x.org")), "J@x.org");
        assert_eq!(shown("U024BE7LH", Some("amina"), None), "amina");
        assert_eq!(shown("U024BE7LH", Some(""), None), "U024BE7LH");
    }

    #[test]
    fn addresses_normalise_as_their_providers_compare_them() {
        let cases = [
            ("Ana.Silva@Example.org", Some("ana.silva@example.org")),
            ("  <ana@example.org> ", Some("ana@example.org")),
            ("a.n.a+cop@gmail.com", Some("ana@gmail.com")),
            ("ANA@googlemail.com", Some("ana@gmail.com")),
            ("first.last@unicef.org", Some("first.last@unicef.org")),
            ("not an address", None),
            ("@example.org", None),
            ("ana@localhost", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(normalize_email(raw).as_deref(), expected, "{raw}");
        }
    }

    #[test]
    fn names_fold_across_accents_order_and_scripts() {
        use super::fold_name;
        assert_eq!(fold_name("José Núñez"), fold_name("NUNEZ, Jose"));
        assert_eq!(fold_name("Nguyễn Thị Hương"), fold_name("nguyen thi huong"));
        assert_eq!(fold_name("Дмитрий Иванов"), fold_name("Dmitrii Ivanov"));
        assert_ne!(fold_name("Ana Silva"), fold_name("Ana Souza"));
    }
}
