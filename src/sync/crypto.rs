//! Sealing change files and hub records with a team passphrase: XChaCha20-Poly1305 (a
//! 24-byte random nonce per segment, so laptops never coordinate nonces) under a key
//! stretched from the passphrase with Argon2id and a per-device salt.

use argon2::Argon2;
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::Result;
use crate::error::SyncError;

/// A key derived from the team passphrase.
#[derive(Clone)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

/// Derives the key for `salt` from `passphrase` (Argon2id, the crate's default cost).
pub fn derive(passphrase: &str, salt: &[u8]) -> Result<Key> {
    if passphrase.trim().is_empty() {
        return Err(SyncError::Passphrase {
            message: "it is empty".into(),
        }
        .into());
    }
    let mut key = [0u8; 32];
    Argon2::default()
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|e| SyncError::Passphrase {
            message: format!("cannot derive the key from it: {e}"),
        })?;
    Ok(Key(key))
}

/// Random bytes for a salt or a nonce.
pub fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    OsRng.fill_bytes(&mut out);
    out
}

/// Seals `plain` with `key`, binding `context` (who wrote it, which records) to it.
/// Returns the nonce and the ciphertext.
pub fn seal(key: &Key, context: &[u8], plain: &[u8]) -> Result<([u8; 24], Vec<u8>)> {
    let nonce = random::<24>();
    let cipher = XChaCha20Poly1305::new((&key.0).into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: context,
            },
        )
        .map_err(|_| SyncError::Seal)?;
    Ok((nonce, sealed))
}

/// Opens what [`seal`] made; fails on a wrong passphrase or tampered data.
pub fn open(key: &Key, context: &[u8], nonce: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    if nonce.len() != 24 {
        return None;
    }
    let cipher = XChaCha20Poly1305::new((&key.0).into());
    cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: context,
            },
        )
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_passphrase_opens_what_was_sealed() {
        let salt = random::<16>();
        let key = derive("correct horse battery staple", &salt).unwrap();
        let (nonce, sealed) = seal(&key, b"dev:1:3", b"Ana Silva <ana@example.org>").unwrap();
        assert!(!String::from_utf8_lossy(&sealed).contains("Ana"));
        assert_eq!(
            open(&key, b"dev:1:3", &nonce, &sealed).unwrap(),
            b"Ana Silva <ana@example.org>"
        );
        let wrong = derive("correct horse battery stapler", &salt).unwrap();
        assert!(open(&wrong, b"dev:1:3", &nonce, &sealed).is_none());
        assert!(
            open(&key, b"dev:1:4", &nonce, &sealed).is_none(),
            "the context is bound"
        );
    }
}
