//! Devices named in words their users chose ("Aminata's laptop"): each laptop names only
//! itself, in the shared setting `device.name.<its id>`, which syncs (sealed, like every
//! record) to the team; a record naming another device is refused (`validate`).

use std::collections::HashMap;

use crate::error::Result;
use crate::store::Store;

/// The setting key that holds a device's name.
pub fn key(device: &str) -> String {
    format!("{}{device}", super::tables::DEVICE_NAME_PREFIX)
}

/// Names this laptop for its team, by the rule for every name ([`crate::clean::typed`]):
/// at most [`crate::limits::MAX_DEVICE_NAME_CHARS`] characters, not invisible alone; an
/// empty name clears it.
pub async fn set_own(store: &Store, name: &str) -> Result<Option<String>> {
    let value = crate::clean::typed("device name", name, crate::limits::MAX_DEVICE_NAME_CHARS)?;
    // The device row is made on first use.
    let mut conn = store.local_writer().await?;
    let me = super::clock::device(&mut conn).await?;
    drop(conn);
    super::capture::set_shared(store, &key(&me.id), value.as_deref()).await?;
    Ok(value)
}

/// Why `name`, sent by a laptop as its own name, is not taken, if it is not: the rule for
/// every name ([`crate::clean::refusal`]).
pub fn refusal(name: &str) -> Option<String> {
    crate::clean::refusal(name, crate::limits::MAX_DEVICE_NAME_CHARS)
}

/// Every named device's name, by device id, each cleaned by the rule for names (a name
/// stored before the rule, or refused by it, is shortened and cleaned, or left out).
pub async fn all(store: &Store) -> Result<HashMap<String, String>> {
    let max = crate::limits::MAX_DEVICE_NAME_CHARS;
    Ok(
        crate::settings::under(store, super::tables::DEVICE_NAME_PREFIX)
            .await?
            .into_iter()
            .filter_map(|(device, name)| {
                let name = crate::clean::name(&name, max).ok()?;
                Some((device, name.text))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_laptop_name_is_cleaned_like_a_member_name() {
        let store = Store::open_in_memory().await.expect("store");
        let rlo = format!("Ana\u{202E}{}", "x".repeat(5_000));
        let e = set_own(&store, &rlo).await.expect_err("too long");
        assert!(e.to_string().contains("at most"), "{e}");
        assert!(set_own(&store, "\u{200B}\u{2066}").await.is_err());
        let named = set_own(&store, " Aminata\u{202E}'s \n laptop ")
            .await
            .expect("a name");
        assert_eq!(named.as_deref(), Some("Aminata's laptop"));
        assert!(refusal(&rlo).is_some());
        assert!(refusal("Aminata's laptop").is_none());

        // A name stored before the rule (an old database) is shown cleaned and short.
        let mut conn = store.local_writer().await.expect("writer");
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?), (?, ?)")
            .bind(key("old-laptop"))
            .bind(&rlo)
            .bind(key("blank-laptop"))
            .bind("\u{200B}")
            .execute(&mut *conn)
            .await
            .expect("insert");
        drop(conn);
        let names = all(&store).await.expect("names");
        let old = names.get("old-laptop").expect("shown");
        assert!(!old.contains('\u{202E}'), "{old}");
        assert_eq!(old.chars().count(), crate::limits::MAX_DEVICE_NAME_CHARS);
        assert!(!names.contains_key("blank-laptop"));
    }
}
