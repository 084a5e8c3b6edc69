//! Segment files: an immutable run of one device's change records.
//!
//! ```text
//! TEND-SYNC-SEGMENT
//! {"format":1,"device":"…","first":1,"last":40,"schema":8,"sealed":null}
//! <records: one JSON line each — or, sealed, one line of base64 ciphertext>
//! END {"count":40,"blake3":"<hex of everything above this line>"}
//! ```
//! A file without its `END` line, or whose checksum does not match, is half-written (still
//! syncing) and is skipped until it is complete.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::apply::Change;
use super::crypto::{self, Key};
use crate::error::SyncError;
use crate::error::{Error, Result};
use crate::limits;

/// The segment format this Tend writes and the newest it reads.
pub const FORMAT: u32 = 1;

const MAGIC: &str = "TEND-SYNC-SEGMENT";

/// A segment's header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The format version.
    pub format: u32,
    /// The device whose records these are.
    pub device: String,
    /// The first sequence number.
    pub first: i64,
    /// The last sequence number.
    pub last: i64,
    /// The writer's schema version.
    pub schema: i64,
    /// Salt and nonce (base64) when sealed with the team passphrase.
    pub sealed: Option<Sealed>,
    /// The writer's Ed25519 public key (base64); its signature is in the footer. Absent in
    /// segments of a Tend from before signing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
}

/// How a sealed segment was sealed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sealed {
    /// The writer's Argon2 salt.
    pub salt: String,
    /// The XChaCha20 nonce.
    pub nonce: String,
}

#[derive(Serialize, Deserialize)]
struct Footer {
    count: usize,
    blake3: String,
    /// The signer's signature of everything above the footer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sig: Option<String>,
}

/// Why a segment could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Still being written or synced: try again later.
    Incomplete,
    /// Written by a newer Tend.
    NewerFormat(u32),
    /// Sealed, and no passphrase or the wrong one was given.
    Locked(String),
    /// Not a segment, or damaged.
    Damaged(String),
    /// Written in the clear while this laptop's team seals: anyone who can write to the
    /// shared folder could have made it, so it is set aside and never applied.
    Unsealed,
    /// Larger than [`limits::MAX_SEGMENT_BYTES`], or not a regular file.
    Refused(String),
    /// Sealed with a salt not seen before, after this sync derived its share of new keys.
    Later,
    /// Under a device's id but not signed by that device's key: someone else wrote it.
    Forged(String),
    /// A sync tool's conflict copy or a renamed file (the original is read).
    ConflictCopy,
}

/// What kind of problem kept a file or hub row from being applied, for the UI to say in
/// its own language (the reason's text is the core's, in English).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Half-written or still syncing: read again next time.
    Incomplete,
    /// Written by a newer Tend.
    NewerFormat,
    /// Sealed with a passphrase this laptop does not have, or another one.
    Locked,
    /// Not a change file, or damaged.
    Damaged,
    /// Written in the clear while this team seals: never applied.
    Unsealed,
    /// Too large, or not a regular file.
    Refused,
    /// Sealed with a key not derived yet: read at the next sync.
    Later,
    /// Written by someone else under a device's id: never applied.
    Forged,
    /// A sync tool's conflict copy: ignored.
    ConflictCopy,
    /// Anything else (reports saved by an older Tend).
    #[default]
    Other,
}

impl Problem {
    /// Whether the same file, unchanged, will never read otherwise on this laptop with this
    /// passphrase and this Tend: it is remembered (`sync::junk`) and not read again. Only a
    /// key not derived yet in this sync ([`Problem::Later`]) is worth another look.
    pub fn is_final(&self) -> bool {
        !matches!(self, Problem::Later)
    }

    /// This problem's kind.
    pub fn kind(&self) -> ProblemKind {
        match self {
            Problem::Incomplete => ProblemKind::Incomplete,
            Problem::NewerFormat(_) => ProblemKind::NewerFormat,
            Problem::Locked(_) => ProblemKind::Locked,
            Problem::Damaged(_) => ProblemKind::Damaged,
            Problem::Unsealed => ProblemKind::Unsealed,
            Problem::Refused(_) => ProblemKind::Refused,
            Problem::Later => ProblemKind::Later,
            Problem::Forged(_) => ProblemKind::Forged,
            Problem::ConflictCopy => ProblemKind::ConflictCopy,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Incomplete => write!(f, "half-written or still syncing; will retry"),
            Problem::NewerFormat(v) => write!(f, "written by a newer Tend (segment format {v}, this one reads {FORMAT}); update Tend"),
            Problem::Locked(why) => write!(f, "{why}"),
            Problem::Damaged(why) => write!(f, "damaged: {why}"),
            Problem::Unsealed => write!(f, "set aside, never applied: not sealed with the team passphrase (anyone who can write to the shared folder could have made it)"),
            Problem::Refused(why) => write!(f, "set aside: {why}"),
            Problem::Later => write!(f, "sealed with a key not seen before; read at the next sync (at most {} new keys a sync)", limits::MAX_NEW_SALTS_PER_SYNC),
            Problem::Forged(why) => write!(f, "set aside, never applied: {why}"),
            Problem::ConflictCopy => write!(f, "looks like a sync tool's conflict copy or a renamed file; ignored (the original is read)"),
        }
    }
}

/// Keys derived in this process, by (passphrase digest, salt): Argon2 runs once per salt
/// for as long as the app runs, not once per sync.
type KeyCache = HashMap<([u8; 32], Vec<u8>), Key>;

/// The most keys kept in the process-wide cache (a team has one salt per laptop).
const CACHED_KEYS: usize = 512;

fn cache() -> &'static Mutex<KeyCache> {
    static CACHE: OnceLock<Mutex<KeyCache>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Forgets every key derived so far, as a restart does (for benchmarks and tests).
pub fn forget_cached_keys() {
    if let Ok(mut c) = cache().lock() {
        c.clear();
    }
}

/// Keys derived from the passphrase, one per salt, for one sync: known salts come from the
/// process-wide cache; at most [`limits::MAX_NEW_SALTS_PER_SYNC`] new ones are derived.
#[derive(Debug, Default)]
pub struct Keys {
    passphrase: Option<String>,
    digest: [u8; 32],
    new_salts: usize,
}

impl Keys {
    /// Keys for `passphrase` (none: segments are written in the clear).
    pub fn new(passphrase: Option<&str>) -> Keys {
        let passphrase = passphrase.filter(|p| !p.is_empty()).map(str::to_string);
        let digest = passphrase
            .as_deref()
            .map(|p| *blake3::hash(p.as_bytes()).as_bytes())
            .unwrap_or_default();
        Keys {
            passphrase,
            digest,
            new_salts: 0,
        }
    }

    /// What a file's reading depends on besides its bytes: the passphrase (a digest's first
    /// bytes, never the passphrase) and the newest segment format this Tend reads. A file
    /// set aside is read again when either changes.
    pub fn stamp(&self) -> String {
        match &self.passphrase {
            // 16 bits of a keyed digest: enough to notice a new passphrase, too few to test
            // guesses of it against a copy of the database.
            Some(p) => {
                let tag = blake3::derive_key("tend sync junk stamp", p.as_bytes());
                format!("f{FORMAT}:{:02x}{:02x}", tag[0], tag[1])
            }
            None => format!("f{FORMAT}:clear"),
        }
    }

    /// Whether a passphrase was given (then only sealed segments are applied).
    pub fn sealing(&self) -> bool {
        self.passphrase.is_some()
    }

    /// The key for `salt`: from the cache, derived when this sync may still derive one, or
    /// `Err(Later)`. The key this laptop seals with is always derived.
    fn key(&mut self, salt: &[u8], own: bool) -> std::result::Result<Option<Key>, Problem> {
        let Some(pass) = &self.passphrase else {
            return Ok(None);
        };
        let slot = (self.digest, salt.to_vec());
        if let Some(k) = cache().lock().ok().and_then(|c| c.get(&slot).cloned()) {
            return Ok(Some(k));
        }
        if !own && self.new_salts >= limits::MAX_NEW_SALTS_PER_SYNC {
            return Err(Problem::Later);
        }
        self.new_salts += 1;
        let k = crypto::derive(pass, salt).map_err(|e| Problem::Locked(e.to_string()))?;
        if let Ok(mut c) = cache().lock() {
            if c.len() >= CACHED_KEYS {
                c.clear();
            }
            c.insert(slot, k.clone());
        }
        Ok(Some(k))
    }
}

fn context(device: &str, first: i64, last: i64) -> Vec<u8> {
    format!("{device}:{first}:{last}").into_bytes()
}

/// Writes `changes` (one device's, consecutive) as a segment, sealed with `salt`'s key when
/// `keys` has a passphrase, and signed with `signer` when given.
pub fn encode(
    changes: &[Change],
    schema: i64,
    keys: &mut Keys,
    salt: &[u8],
    signer: Option<&ed25519_dalek::SigningKey>,
) -> Result<Vec<u8>> {
    let (Some(first), Some(last)) = (changes.first(), changes.last()) else {
        return Err(Error::Inconsistent("a change file with no records".into()));
    };
    let mut lines = String::new();
    for c in changes {
        lines.push_str(&serde_json::to_string(c).map_err(|e| Error::encoding("a record", e))?);
        lines.push('\n');
    }
    let mut header = Header {
        format: FORMAT,
        device: first.device.clone(),
        first: first.seq,
        last: last.seq,
        schema,
        sealed: None,
        signer: signer.map(super::signing::public),
    };
    let key = keys.key(salt, true).map_err(|p| SyncError::Passphrase {
        message: p.to_string(),
    })?;
    let body = match key {
        Some(key) => {
            let (nonce, sealed) = crypto::seal(
                &key,
                &context(&header.device, header.first, header.last),
                lines.as_bytes(),
            )?;
            header.sealed = Some(Sealed {
                salt: B64.encode(salt),
                nonce: B64.encode(nonce),
            });
            format!("{}\n", B64.encode(sealed))
        }
        None => lines,
    };
    let head = serde_json::to_string(&header).map_err(|e| Error::encoding("a header", e))?;
    let mut out = format!("{MAGIC}\n{head}\n{body}");
    let footer = Footer {
        count: changes.len(),
        blake3: blake3::hash(out.as_bytes()).to_hex().to_string(),
        sig: signer.map(|k| super::signing::sign(k, out.as_bytes())),
    };
    out.push_str(&format!(
        "END {}\n",
        serde_json::to_string(&footer).map_err(|e| Error::encoding("a footer", e))?
    ));
    Ok(out.into_bytes())
}

/// Reads just the header (to order and check segments without opening them).
pub fn header(bytes: &[u8]) -> std::result::Result<Header, Problem> {
    let text = std::str::from_utf8(bytes).map_err(|_| Problem::Damaged("not UTF-8 text".into()))?;
    let mut lines = text.splitn(3, '\n');
    if lines.next() != Some(MAGIC) {
        return Err(Problem::Damaged("not a Tend change file".into()));
    }
    let head = lines.next().ok_or(Problem::Incomplete)?;
    let value: serde_json::Value = serde_json::from_str(head).map_err(|_| Problem::Incomplete)?;
    let format = value.get("format").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
    if format > FORMAT {
        return Err(Problem::NewerFormat(format));
    }
    serde_json::from_value(value).map_err(|e| Problem::Damaged(format!("header: {e}")))
}

/// Reads a whole segment: checks it is complete and intact, opens it, and returns its
/// records, checked against the header. Once `keys` hold a passphrase, a segment written in
/// the clear is [`Problem::Unsealed`]: only what the passphrase sealed is authentic.
pub fn decode(
    bytes: &[u8],
    keys: &mut Keys,
) -> std::result::Result<(Header, Vec<Change>), Problem> {
    let header = header(bytes)?;
    let text = std::str::from_utf8(bytes).map_err(|_| Problem::Damaged("not UTF-8 text".into()))?;
    let trimmed = text.strip_suffix('\n').ok_or(Problem::Incomplete)?;
    let end = trimmed.rfind("\nEND ").ok_or(Problem::Incomplete)?;
    let footer: Footer =
        serde_json::from_str(&trimmed[end + 5..]).map_err(|_| Problem::Incomplete)?;
    let covered = &text[..end + 1];
    if blake3::hash(covered.as_bytes()).to_hex().as_str() != footer.blake3 {
        return Err(Problem::Incomplete);
    }
    if let Some(signer) = &header.signer {
        let signed = footer
            .sig
            .as_deref()
            .is_some_and(|sig| super::signing::verify(signer, covered.as_bytes(), sig));
        if !signed {
            return Err(Problem::Damaged(
                "its signature does not match its signer: altered or forged".into(),
            ));
        }
    }
    let body_start = MAGIC.len()
        + 1
        + text[MAGIC.len() + 1..]
            .find('\n')
            .map(|i| i + 1)
            .unwrap_or(0);
    let body = &covered[body_start.min(covered.len())..];
    let plain = match &header.sealed {
        None if keys.sealing() => return Err(Problem::Unsealed),
        None => body.to_string(),
        Some(s) => open(&header, s, body, keys)?,
    };
    let changes: Vec<Change> = plain
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| Problem::Damaged(format!("record {}: {e}", i + 1)))
        })
        .collect::<std::result::Result<_, _>>()?;
    let consecutive = changes
        .iter()
        .enumerate()
        .all(|(i, c)| c.device == header.device && c.seq == header.first + i as i64);
    if changes.len() != footer.count
        || !consecutive
        || changes.last().map(|c| c.seq) != Some(header.last)
    {
        return Err(Problem::Damaged("records do not match the header".into()));
    }
    Ok((header, changes))
}

fn open(
    header: &Header,
    s: &Sealed,
    body: &str,
    keys: &mut Keys,
) -> std::result::Result<String, Problem> {
    if !keys.sealing() {
        return Err(Problem::Locked(
            "sealed with a team passphrase this laptop has not been given".into(),
        ));
    }
    let bad = |what: &str| Problem::Damaged(format!("sealed segment: bad {what}"));
    let salt = B64.decode(&s.salt).map_err(|_| bad("salt"))?;
    let nonce = B64.decode(&s.nonce).map_err(|_| bad("nonce"))?;
    let sealed = B64.decode(body.trim()).map_err(|_| bad("body"))?;
    let key = keys.key(&salt, false)?.ok_or_else(|| bad("key"))?;
    let plain = crypto::open(
        &key,
        &context(&header.device, header.first, header.last),
        &nonce,
        &sealed,
    )
    .ok_or_else(|| {
        Problem::Locked("cannot open: the team passphrase is not the one it was sealed with".into())
    })?;
    String::from_utf8(plain).map_err(|_| bad("text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(n: i64) -> Vec<Change> {
        (1..=n)
            .map(|seq| Change {
                device: "dev-a".into(),
                seq,
                hlc: seq << 16,
                base: 0,
                tbl: "members".into(),
                row_key: "m1".into(),
                col: "notes".into(),
                value: format!("\"note {seq} — Ana Silva\""),
                schema: 8,
            })
            .collect()
    }

    #[test]
    fn a_segment_reads_back_and_a_truncated_one_is_incomplete() {
        let mut keys = Keys::new(None);
        let bytes = encode(&changes(3), 8, &mut keys, b"salt", None).unwrap();
        let (header, back) = decode(&bytes, &mut keys).unwrap();
        assert_eq!((header.first, header.last), (1, 3));
        assert_eq!(back, changes(3));
        for cut in [bytes.len() - 1, bytes.len() - 20, bytes.len() / 2] {
            assert_eq!(
                decode(&bytes[..cut], &mut keys),
                Err(Problem::Incomplete),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn a_sealed_segment_hides_names_and_needs_the_passphrase() {
        let mut keys = Keys::new(Some("our team passphrase"));
        let bytes = encode(&changes(2), 8, &mut keys, b"0123456789abcdef", None).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("Ana Silva"));
        assert_eq!(decode(&bytes, &mut keys).unwrap().1, changes(2));
        assert!(matches!(
            decode(&bytes, &mut Keys::new(None)),
            Err(Problem::Locked(_))
        ));
        assert!(matches!(
            decode(&bytes, &mut Keys::new(Some("another one"))),
            Err(Problem::Locked(_))
        ));
    }

    #[test]
    fn a_sealing_laptop_refuses_an_unsealed_segment_and_a_bad_signature() {
        let bytes = encode(&changes(2), 8, &mut Keys::new(None), b"s", None).unwrap();
        assert_eq!(
            decode(&bytes, &mut Keys::new(Some("team words"))),
            Err(Problem::Unsealed)
        );
        let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
        let signed = encode(&changes(2), 8, &mut Keys::new(None), b"s", Some(&key)).unwrap();
        let (h, _) = decode(&signed, &mut Keys::new(None)).unwrap();
        assert_eq!(h.signer, Some(crate::sync::signing::public(&key)));
        // Another signer named in the header: the checksum is made again, the signature fails.
        let other = crate::sync::signing::public(&ed25519_dalek::SigningKey::from_bytes(&[4; 32]));
        let text = String::from_utf8(signed).unwrap();
        let swapped = text.replace(h.signer.as_deref().unwrap(), &other);
        let end = swapped.rfind("END ").unwrap();
        let covered = &swapped[..end];
        let footer: serde_json::Value = serde_json::from_str(swapped[end + 4..].trim()).unwrap();
        let forged = format!(
            "{covered}END {{\"count\":2,\"blake3\":\"{}\",\"sig\":{}}}\n",
            blake3::hash(covered.as_bytes()).to_hex(),
            footer["sig"]
        );
        assert!(matches!(
            decode(forged.as_bytes(), &mut Keys::new(None)),
            Err(Problem::Damaged(_))
        ));
    }

    #[test]
    fn a_newer_format_is_named() {
        let mut keys = Keys::new(None);
        let text =
            String::from_utf8(encode(&changes(1), 8, &mut keys, b"s", None).unwrap()).unwrap();
        let newer = text.replace("\"format\":1", "\"format\":2");
        assert_eq!(header(newer.as_bytes()), Err(Problem::NewerFormat(2)));
    }
}
