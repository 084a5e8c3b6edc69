//! The roster: listing, showing and editing members.

use sqlx::{QueryBuilder, Sqlite};

use crate::error::{Error, Result};
use crate::model::{
    ActivityItem, Identity, Member, MemberFilter, MemberPatch, MemberSummary, Role,
};
use crate::store::Store;
use crate::sync::capture::Edit;
use crate::sync::tables::MEMBERS;
use crate::time;

/// How many activities the member page shows.
pub const RECENT_ACTIVITY: i64 = 50;

/// The roster's columns; activities counted per member in one pass over the compact rows.
fn summary_select() -> String {
    format!(
        "SELECT m.id, m.display_name, m.role, m.country, m.organisation,
         m.language, m.joined_at, m.is_bot, {} AS last_active_at, COALESCE(a.n, 0) AS activity_count
         FROM members m LEFT JOIN (SELECT member, MAX(at) AS last, COUNT(*) AS n FROM activity
         GROUP BY member) a ON a.member = (SELECT n FROM keys WHERE id = m.id) WHERE 1 = 1",
        time::sql_text("a.last")
    )
}

/// Members matching `filter`, sorted by name.
pub async fn list(store: &Store, filter: &MemberFilter) -> Result<Vec<MemberSummary>> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(summary_select());
    if let Some(role) = filter.role {
        q.push(" AND m.role = ").push_bind(role.as_str());
    }
    if let Some(country) = non_empty(&filter.country) {
        q.push(" AND m.country = ").push_bind(country);
    }
    if let Some(org) = non_empty(&filter.organisation) {
        q.push(" AND m.organisation = ").push_bind(org);
    }
    if !filter.include_bots.unwrap_or(false) {
        q.push(" AND m.is_bot = 0");
    }
    q.push(" ORDER BY m.display_name COLLATE NOCASE, m.id");
    let rows: Vec<MemberSummary> = q.build_query_as().fetch_all(store.pool()).await?;
    let search = filter.search.as_deref().unwrap_or_default();
    Ok(rows
        .into_iter()
        .map(MemberSummary::with_search_key)
        .filter(|m| matches_search(m, search))
        .collect())
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Whether a member's name, country or organisation contains what was typed, by the one
/// search rule ([`crate::search`]: case, accents and scripts folded).
pub fn matches_search(m: &MemberSummary, typed: &str) -> bool {
    crate::search::matches(&m.search_key, typed)
}

/// The name to greet a member by: the name they go by where known, else their full name,
/// never a guessed first word ("Nguyễn Văn An" is not "Nguyễn"). The one rule for Today's
/// messages and the kits.
pub fn greeting_name<'a>(preferred: Option<&'a str>, full: &'a str) -> &'a str {
    preferred
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| full.trim())
}

/// Finds the member an id names: a whole id, or a prefix of at least four characters that
/// only one member's id starts with.
pub async fn resolve_id(store: &Store, id: &str) -> Result<String> {
    let id = id.trim().to_ascii_lowercase();
    if id.len() < 4 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(Error::MemberNotFound(id));
    }
    let pattern = format!("{id}%");
    let found: Vec<String> = sqlx::query_scalar("SELECT id FROM members WHERE id LIKE ? LIMIT 2")
        .bind(&pattern)
        .fetch_all(store.pool())
        .await?;
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error::MemberNotFound(id)),
        _ => Err(Error::AmbiguousId(id)),
    }
}

/// One member with identities and recent activity.
pub async fn get(store: &Store, id: &str) -> Result<Member> {
    let id = resolve_id(store, id).await?;
    let pool = store.pool();
    // One member: its counts by index, not the roster's grouping of every activity.
    let summary: MemberSummary = sqlx::query_as(&format!(
        "SELECT m.id, m.display_name, m.role, m.country, m.organisation, m.language, m.joined_at, m.is_bot,
         (SELECT {} FROM activity WHERE member = (SELECT n FROM keys WHERE id = m.id)) AS last_active_at,
         (SELECT COUNT(*) FROM activity WHERE member = (SELECT n FROM keys WHERE id = m.id)) AS activity_count
         FROM members m WHERE m.id = ?",
        time::sql_text("MAX(at)")
    ))
    .bind(&id)
    .fetch_one(pool)
    .await?;
    let summary = summary.with_search_key();
    let (email, notes, preferred_name): (Option<String>, String, Option<String>) =
        sqlx::query_as("SELECT email, notes, preferred_name FROM members WHERE id = ?")
            .bind(&id)
            .fetch_one(pool)
            .await?;
    let mut identities = sqlx::query_as::<_, Identity>(
        "SELECT i.id, s.kind AS source_kind, COALESCE(s.label, s.name) AS source_name, i.external_id, i.handle, i.email
         FROM identities i JOIN sources s ON s.id = i.source_id WHERE i.member_id = ?
         ORDER BY s.kind, s.name",
    )
    .bind(&id)
    .fetch_all(pool)
    .await?;
    for i in &mut identities {
        i.shown = crate::identity::shown(&i.external_id, i.handle.as_deref(), i.email.as_deref());
    }
    let recent_activity = sqlx::query_as::<_, ActivityItem>(&format!(
        "SELECT {} AS id, k.name AS kind, {} AS occurred_at, sp.name AS space,
           COALESCE(a.title, root.title) AS title
         FROM activity a JOIN activity_kinds k ON k.code = a.kind
         LEFT JOIN keys spk ON spk.n = a.space LEFT JOIN spaces sp ON sp.id = spk.id
         LEFT JOIN activity root ON root.n = a.root
         WHERE a.member = (SELECT n FROM keys WHERE id = ?) ORDER BY a.at DESC, a.gid LIMIT ?",
        crate::ids::sql_uuid("a.gid"),
        time::sql_text("a.at")
    ))
    .bind(&id)
    .bind(RECENT_ACTIVITY)
    .fetch_all(pool)
    .await?;
    Ok(Member {
        id: summary.id,
        display_name: summary.display_name,
        preferred_name,
        email,
        role: summary.role,
        country: summary.country,
        organisation: summary.organisation,
        language: summary.language,
        joined_at: summary.joined_at,
        is_bot: summary.is_bot,
        notes,
        identities,
        activity_count: summary.activity_count,
        recent_activity,
    })
}

/// A patch checked and normalised: each entry is a column and its new value.
struct Changes(Vec<(&'static str, Option<String>)>);

fn optional(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// A name typed for a member, by the one rule for names ([`crate::clean::typed`]).
fn typed_name(field: &'static str, v: &str) -> Result<Option<String>> {
    crate::clean::typed(field, v, crate::limits::MAX_NAME_CHARS)
}

fn validate(patch: &MemberPatch) -> Result<Changes> {
    let mut out = Vec::new();
    if let Some(name) = &patch.display_name {
        let name = typed_name("name", name)?.ok_or_else(|| Error::InvalidValue {
            field: "name",
            value: name.clone(),
            expected: "a non-empty name",
        })?;
        out.push(("display_name", Some(name)));
    }
    if let Some(v) = &patch.preferred_name {
        out.push(("preferred_name", typed_name("preferred name", v)?));
    }
    if let Some(role) = &patch.role {
        out.push(("role", Some(role.parse::<Role>()?.as_str().to_string())));
    }
    if let Some(email) = &patch.email {
        let email = optional(email);
        if email
            .as_deref()
            .is_some_and(|e| !e.contains('@') || e.contains(char::is_whitespace))
        {
            return Err(Error::InvalidValue {
                field: "email",
                value: email.unwrap_or_default(),
                expected: "an address such as name@example.org",
            });
        }
        out.push(("email", email));
    }
    if let Some(lang) = &patch.language {
        let lang = optional(lang).map(|l| l.to_ascii_lowercase());
        if lang
            .as_deref()
            .is_some_and(|l| l.len() != 2 || !l.chars().all(|c| c.is_ascii_lowercase()))
        {
            return Err(Error::InvalidValue {
                field: "language",
                value: lang.unwrap_or_default(),
                expected: "a two-letter ISO 639-1 code such as en, fr or es",
            });
        }
        out.push(("language", lang));
    }
    if let Some(joined) = &patch.joined_at {
        let joined = match optional(joined) {
            Some(v) => Some(time::format(time::parse_instant("joined_at", &v)?)),
            None => None,
        };
        out.push(("joined_at", joined));
    }
    if let Some(v) = &patch.country {
        let country = typed_name("country", v)?;
        out.push(("country", country.map(|c| crate::countries::stored(&c))));
    }
    if let Some(v) = &patch.organisation {
        out.push(("organisation", typed_name("organisation", v)?));
    }
    if let Some(notes) = &patch.notes {
        out.push(("notes", Some(notes.clone())));
    }
    Ok(Changes(out))
}

/// A country or organisation as the roster already spells it, when what was typed is the
/// same once case, accents and scripts are folded (the one search rule): "Sénégal" or
/// "senegal" typed on one member joins the roster's "Senegal" instead of making a second
/// entry in the filter. A new value is kept as typed.
async fn spelled_as_before(store: &Store, column: &str, typed: &str) -> Result<String> {
    // `column` is one of two fixed names, never input.
    let sql = format!("SELECT DISTINCT {column} FROM members WHERE {column} IS NOT NULL");
    let known: Vec<String> = sqlx::query_scalar(&sql).fetch_all(store.pool()).await?;
    let folded = crate::search::fold(typed);
    let mut same: Vec<String> = known
        .into_iter()
        .filter(|k| crate::search::fold(k) == folded)
        .collect();
    same.sort();
    Ok(if same.iter().any(|k| k == typed) {
        typed.to_string()
    } else {
        same.into_iter().next().unwrap_or_else(|| typed.to_string())
    })
}

/// Applies `patch` to a member and returns the member as saved. Nothing is written unless
/// every field is valid.
pub async fn update(store: &Store, id: &str, patch: &MemberPatch) -> Result<Member> {
    let mut changes = validate(patch)?;
    let id = resolve_id(store, id).await?;
    for (column, value) in changes.0.iter_mut() {
        if matches!(*column, "country" | "organisation") {
            if let Some(v) = value.as_mut() {
                *v = spelled_as_before(store, column, v).await?;
            }
        }
    }
    if !changes.0.is_empty() {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("UPDATE members SET updated_at = ");
        q.push_bind(time::now());
        for (column, value) in changes.0 {
            // `column` comes from `validate`'s fixed list, never from input.
            q.push(format!(", {column} = ")).push_bind(value);
        }
        q.push(" WHERE id = ").push_bind(&id);
        let mut edit = Edit::begin(store).await?;
        edit.watch(MEMBERS, "id = ?", &[&id]).await?;
        q.build().execute(edit.conn()).await?;
        edit.commit().await?;
    }
    get(store, &id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch_name(name: &str) -> MemberPatch {
        MemberPatch {
            display_name: Some(name.into()),
            ..MemberPatch::default()
        }
    }

    #[test]
    fn a_typed_name_is_composed_and_an_invisible_or_overlong_one_refused() {
        let changes = validate(&patch_name("  Ame\u{0301}lie\u{202E} Laurent ")).expect("valid");
        assert_eq!(
            changes.0,
            [("display_name", Some("Amélie Laurent".to_string()))]
        );
        for refused in ["\u{200B}\u{200D}", "\u{202E} \u{2066}", &"x".repeat(201)] {
            let e = validate(&patch_name(refused)).err();
            assert!(
                matches!(e, Some(Error::InvalidValue { field: "name", .. })),
                "{refused:?}: {e:?}"
            );
        }
        let invisible_preferred = MemberPatch {
            preferred_name: Some("\u{3164}".into()),
            ..MemberPatch::default()
        };
        assert!(validate(&invisible_preferred).is_err());
        let zalgo: String = std::iter::repeat_n('\u{0301}', 20_000).collect();
        let e = validate(&patch_name(&format!("a{zalgo}"))).expect("a letter");
        let kept = e.0[0].1.as_deref().unwrap_or_default();
        assert_eq!(kept.chars().count(), 1 + crate::limits::MAX_MARKS_PER_BASE);
    }
}
