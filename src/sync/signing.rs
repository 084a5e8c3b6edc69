//! Who wrote a segment: each laptop signs its segments with its own Ed25519 key (kept with
//! the store's secrets, never synced), and every laptop pins a device's public key from the
//! device's first sealed segment in sequence (whatever file it happened to read first). A
//! later segment under that device id must carry the same key and a valid signature; one
//! that does not was written by someone else and is set aside, even if they hold the team
//! passphrase, and two keys for one device are shown to the user as a conflict.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use super::crypto;
use super::segment::{Header, Problem};
use super::SyncReport;
use crate::error::Result;
use crate::store::Store;

/// Where the signing key's seed is kept (the store's secrets, never the database).
const SECRET: &str = "sync.signing_key";

/// This laptop's signing key, made the first time it is needed.
pub fn own_key(store: &Store) -> Result<SigningKey> {
    let vault = store.secrets();
    if let Some(seed) = vault.get(SECRET)? {
        let bytes = B64
            .decode(seed)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok());
        if let Some(bytes) = bytes {
            return Ok(SigningKey::from_bytes(&bytes));
        }
    }
    let seed = crypto::random::<32>();
    vault.set(SECRET, Some(&B64.encode(seed)))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Whether this laptop has published changes but its signing key is gone (its database was
/// copied without its secrets, or the system's keyring was reset): its teammates pinned the
/// old key, so it must write under a new device id.
pub async fn lost_own_key(store: &Store) -> Result<bool> {
    if store.secrets().get(SECRET)?.is_some() {
        return Ok(false);
    }
    super::published(store).await
}

/// The device id made from `key`: a UUID of version 8 whose bits are the first of the
/// public key's BLAKE3 hash. Nobody can write under such an id without its key, so no
/// pinning (and no first-come guess) is needed for a laptop that has one.
pub fn device_id_for(key: &SigningKey) -> String {
    id_of(&key.verifying_key()).to_string()
}

fn id_of(key: &VerifyingKey) -> uuid::Uuid {
    let hash = blake3::hash(key.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash.as_bytes()[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// For a device id made from a key ([`device_id_for`]), whether `signer` is that key;
/// `None` for an id from before (a random one, trusted on first use).
pub fn certifies(device: &str, signer: Option<&str>) -> Option<bool> {
    let id = uuid::Uuid::parse_str(device).ok()?;
    if id.get_version_num() != 8 {
        return None;
    }
    let key = signer.and_then(verifying_key);
    Some(key.map(|k| id_of(&k)) == Some(id))
}

/// Forgets this laptop's signing key (a copied data folder takes a new device id, and a
/// new key with it, so the copy and the original never sign alike).
pub fn forget_own_key(store: &Store) -> Result<()> {
    store.secrets().set(SECRET, None)
}

/// A public key as segment headers carry it.
pub fn public(key: &SigningKey) -> String {
    B64.encode(key.verifying_key().as_bytes())
}

/// Signs `bytes` (base64 of the signature).
pub fn sign(key: &SigningKey, bytes: &[u8]) -> String {
    B64.encode(key.sign(bytes).to_bytes())
}

/// A public key as segment headers carry it (base64), if it is one.
fn verifying_key(b64: &str) -> Option<VerifyingKey> {
    let bytes = <[u8; 32]>::try_from(B64.decode(b64).ok()?).ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Whether `sig` is `signer`'s signature of `bytes`.
pub fn verify(signer: &str, bytes: &[u8], sig: &str) -> bool {
    let key = verifying_key(signer);
    let sig = B64
        .decode(sig)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b));
    match (key, sig) {
        (Some(k), Some(s)) => k.verify(bytes, &s).is_ok(),
        _ => false,
    }
}

/// The key pinned for `device`, if any.
pub async fn pinned(store: &Store, device: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT public_key FROM sync_signers WHERE device = ?")
            .bind(device)
            .fetch_optional(store.pool())
            .await?,
    )
}

/// Pins `key` for `device` unless a key is pinned already.
pub async fn pin(store: &Store, device: &str, key: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_signers (device, public_key, pinned_at) VALUES (?, ?, ?) ON CONFLICT(device) DO NOTHING",
    )
    .bind(device)
    .bind(key)
    .bind(crate::time::now())
    .execute(&mut *store.local_writer().await?)
    .await?;
    Ok(())
}

/// A key that signed a sealed segment under a device id, and how far that segment reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The signer's public key.
    pub key: String,
    /// The segment's last change.
    pub last: i64,
    /// Where the segment is (a file, a hub row).
    pub place: String,
}

/// The device `key` is pinned for, other than `device`, if any.
async fn owner_other_than(store: &Store, key: &str, device: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT device FROM sync_signers WHERE public_key = ? AND device <> ? ORDER BY device LIMIT 1",
    )
    .bind(key)
    .bind(device)
    .fetch_optional(store.pool())
    .await?)
}

/// Pins `device`'s key from its first sealed segment in sequence, whichever file was read
/// first: of the signers of `header` (read at `place`) and of its `rivals` (the other sealed
/// segments that continue the sequence from the same point), a key pinned for another device
/// is not this one's (each laptop signs with its own); then the key reaching furthest wins,
/// then the smaller. Every other key is a conflict, kept and shown, never chosen silently.
pub async fn pin_first(
    store: &Store,
    device: &str,
    header: &Header,
    place: &str,
    rivals: &[Claim],
    report: &mut SyncReport,
) -> Result<()> {
    let (Some(_), Some(key)) = (&header.sealed, &header.signer) else {
        return Ok(());
    };
    if certifies(device, Some(key)).is_some() {
        return Ok(()); // its id names its key: nothing to pin
    }
    let first = Claim {
        key: key.clone(),
        last: header.last,
        place: place.to_string(),
    };
    let mut ranked = Vec::new();
    for c in std::iter::once(first).chain(rivals.iter().cloned()) {
        ranked.push((owner_other_than(store, &c.key, device).await?.is_some(), c));
    }
    ranked.sort_by(|(ea, a), (eb, b)| ea.cmp(eb).then(b.last.cmp(&a.last)).then(a.key.cmp(&b.key)));
    let chosen = ranked[0].1.key.clone();
    pin(store, device, &chosen).await?;
    for (_, c) in ranked.iter().filter(|(_, c)| c.key != chosen) {
        conflict(store, device, &c.key, &c.place, report).await?;
    }
    Ok(())
}

/// Why a segment of `device` (its `header`, read at `place`) is not `device`'s, if it is
/// not: a device with a pinned key signs every segment with it. A sealed segment signed by
/// another key is a teammate writing under its id: a conflict, kept and shown.
pub async fn check(
    store: &Store,
    device: &str,
    header: &Header,
    place: &str,
    report: &mut SyncReport,
) -> Result<Option<Problem>> {
    let signer = header.signer.as_deref();
    // An id made from a key names its key; an older one has the key pinned first (none in a
    // team that does not seal).
    let trusted = match certifies(device, signer) {
        Some(ok) => Some(ok),
        None => pinned(store, device)
            .await?
            .map(|pin| signer == Some(pin.as_str())),
    };
    match (trusted, signer) {
        (None | Some(true), _) => Ok(None),
        (Some(false), Some(s)) => {
            if header.sealed.is_some() {
                conflict(store, device, s, place, report).await?;
            }
            Ok(Some(Problem::Forged(format!(
                "signed with another key than device {device}'s — written by someone else under its id"
            ))))
        }
        (Some(false), None) => Ok(Some(Problem::Forged(format!(
            "not signed, though device {device} signs its changes — written by someone else under its id"
        )))),
    }
}

/// Keeps a conflict between `device`'s pinned key and `key` (seen at `place`), and says it
/// in `report` the first time.
async fn conflict(
    store: &Store,
    device: &str,
    key: &str,
    place: &str,
    report: &mut SyncReport,
) -> Result<()> {
    let new = sqlx::query(
        "INSERT INTO sync_key_conflicts (device, public_key, place, seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(device, public_key) DO NOTHING",
    )
    .bind(device)
    .bind(key)
    .bind(place)
    .bind(crate::time::now())
    .execute(&mut *store.local_writer().await?)
    .await?
    .rows_affected()
        > 0;
    if new {
        let c = conflicts(store).await?;
        if let Some(c) = c.iter().find(|c| c.device == device && c.place == place) {
            report.notices.push(c.to_string());
        }
    }
    Ok(())
}

/// Two keys that signed sealed changes under one device id, as the Sync view shows them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct KeyConflict {
    /// The device whose id was used.
    pub device: String,
    /// Its name for the team, if it gave one.
    pub device_name: Option<String>,
    /// The device the other key belongs to, if this laptop knows it.
    pub other_device: Option<String>,
    /// That device's name, if it gave one.
    pub other_name: Option<String>,
    /// The file or hub row signed by the other key (set aside, never applied).
    pub place: String,
    /// When it was first seen.
    pub seen_at: String,
}

impl std::fmt::Display for KeyConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let named = |id: &str, name: &Option<String>| match name {
            Some(n) => format!("“{n}” ({id})"),
            None => format!("device {id}"),
        };
        let other = match &self.other_device {
            Some(d) => format!("the key of {}", named(d, &self.other_name)),
            None => "a key no known laptop of the team signs with".into(),
        };
        write!(
            f,
            "two keys write as {}: its own, and {other} ({} was set aside, never applied) — ask the team who wrote it",
            named(&self.device, &self.device_name),
            self.place
        )
    }
}

/// Every key conflict seen, newest first, with the laptops named.
pub async fn conflicts(store: &Store) -> Result<Vec<KeyConflict>> {
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT c.device, c.public_key, c.place, c.seen_at,
                (SELECT s.device FROM sync_signers s WHERE s.public_key = c.public_key
                   AND s.device <> c.device ORDER BY s.device LIMIT 1)
         FROM sync_key_conflicts c ORDER BY c.seen_at DESC, c.device LIMIT 100",
    )
    .fetch_all(store.pool())
    .await?;
    let names = super::names::all(store).await?;
    let known = super::known_devices(store).await?;
    Ok(rows
        .into_iter()
        .map(|(device, key, place, seen_at, pinned)| {
            // A key is a laptop's if pinned for it, or if that laptop's id is made from it.
            let other = pinned.or_else(|| {
                let made = verifying_key(&key).map(|k| id_of(&k).to_string());
                made.filter(|id| known.contains(id))
            });
            KeyConflict {
                device_name: names.get(&device).cloned(),
                other_name: other.as_ref().and_then(|o| names.get(o).cloned()),
                device,
                other_device: other,
                place,
                seen_at,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_key_and_bytes() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        let sig = sign(&key, b"segment bytes");
        assert!(verify(&public(&key), b"segment bytes", &sig));
        assert!(!verify(&public(&key), b"segment bytez", &sig));
        assert!(!verify(&public(&other), b"segment bytes", &sig));
        assert!(!verify("not base64", b"segment bytes", &sig));
    }
}
