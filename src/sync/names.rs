//! Devices named in words their users chose ("Aminata's laptop"): each laptop names only
//! itself, in the shared setting `device.name.<its id>`, which syncs (sealed, like every
//! record) to the team; a record naming another device is refused (`validate`).

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::store::Store;

/// The setting key that holds a device's name.
pub fn key(device: &str) -> String {
    format!("{}{device}", super::tables::DEVICE_NAME_PREFIX)
}

/// Names this laptop for its team: control characters and runs of spaces made one space,
/// trimmed, at most
/// [`crate::limits::MAX_DEVICE_NAME_CHARS`]; an empty name clears it.
pub async fn set_own(store: &Store, name: &str) -> Result<Option<String>> {
    // The device row is made on first use.
    let mut conn = store.local_writer().await?;
    let me = super::clock::device(&mut conn).await?;
    drop(conn);
    let spaced: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = clean.as_str();
    let max = crate::limits::MAX_DEVICE_NAME_CHARS;
    if clean.chars().count() > max {
        return Err(Error::InvalidValue {
            field: "device name",
            value: clean.to_string(),
            expected: "at most 60 characters",
        });
    }
    let value = (!clean.is_empty()).then(|| clean.to_string());
    super::capture::set_shared(store, &key(&me.id), value.as_deref()).await?;
    Ok(value)
}

/// Every named device's name, by device id (names from others shortened to the limit).
pub async fn all(store: &Store) -> Result<HashMap<String, String>> {
    Ok(
        crate::settings::under(store, super::tables::DEVICE_NAME_PREFIX)
            .await?
            .into_iter()
            .map(|(device, mut name)| {
                crate::limits::truncate_chars(&mut name, crate::limits::MAX_DEVICE_NAME_CHARS);
                (device, name)
            })
            .collect(),
    )
}
