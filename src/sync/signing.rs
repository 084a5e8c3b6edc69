//! Who wrote a segment: each laptop signs its segments with its own Ed25519 key (kept with
//! the store's secrets, never synced), and every laptop pins a device's public key the
//! first time it reads a sealed segment of it. A later segment under that device id must
//! carry the same key and a valid signature; one that does not was written by someone
//! else and is set aside, even if they hold the team passphrase.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use super::crypto;
use super::segment::Problem;
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

/// Whether `sig` is `signer`'s signature of `bytes`.
pub fn verify(signer: &str, bytes: &[u8], sig: &str) -> bool {
    let key = B64
        .decode(signer)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok());
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

/// Why a segment of `device` signed by `signer` is not `device`'s, if it is not: checked
/// against the pinned key (pinning it on first sight when `sealed`, since only a teammate
/// can seal). An unsigned segment of a device with a pinned key is refused too.
pub async fn check(
    store: &Store,
    device: &str,
    signer: Option<&str>,
    sealed: bool,
) -> Result<Option<Problem>> {
    match (pinned(store, device).await?, signer) {
        (Some(pin), Some(s)) if pin == s => Ok(None),
        (Some(_), Some(_)) => Ok(Some(Problem::Forged(format!(
            "signed with another key than device {device}'s — written by someone else under its id"
        )))),
        (Some(_), None) => Ok(Some(Problem::Forged(format!(
            "not signed, though device {device} signs its changes — written by someone else under its id"
        )))),
        (None, Some(s)) => {
            if sealed {
                pin(store, device, s).await?;
            }
            Ok(None)
        }
        (None, None) => Ok(None),
    }
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
