//! Every limit on what comes from outside (exports, the drop folder, the shared sync folder,
//! the hub), in one place, and the few ways of reading such input that keep to them.
//!
//! Files from strangers are opened only as regular files, never through a symbolic link,
//! and never a FIFO, device or socket (opening those can block forever or never end); every
//! read is capped, so a small archive that claims or expands to gigabytes is refused with a
//! clear reason instead of filling memory.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// The largest file of an export read whole (a JSON day file, a Discourse JSON document,
/// a CSV file): 128 MiB, far above any real one, far below what memory can hold parsed.
pub const MAX_FILE_BYTES: u64 = 128 << 20;

/// The largest JSON document parsed whole into a tree (a Discourse API page): 16 MiB; a
/// tree takes many times its text's size in memory.
pub const MAX_JSON_DOCUMENT_BYTES: u64 = 16 << 20;

/// The most records one JSON array may hold (a day file's messages, a user list).
pub const MAX_JSON_RECORDS: usize = 2_000_000;

/// The largest ZIP entry Tend unpacks: 512 MiB (entries are streamed, not held, where the
/// format allows; this bounds the time a hostile archive can take).
pub const MAX_ZIP_ENTRY_BYTES: u64 = 512 << 20;

/// The highest compression ratio accepted for an entry above [`RATIO_FREE_BYTES`]: real
/// exports compress JSON and text about 5–20 times; a bomb, thousands of times.
pub const MAX_COMPRESSION_RATIO: u64 = 200;

/// Entries smaller than this are not ratio-checked (a tiny file of repeated text is fine).
pub const RATIO_FREE_BYTES: u64 = 1 << 20;

/// The most entries a ZIP archive may list.
pub const MAX_ZIP_ENTRIES: usize = 200_000;

/// The largest single mail message: 64 MiB (larger ones are skipped with a warning).
pub const MAX_MAIL_MESSAGE_BYTES: usize = 64 << 20;

/// The longest line read from a text export (a mailbox, a CSV); longer ones are cut off
/// at this length and the rest of the line dropped.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The most columns read from one row of a CSV table (the generic CSV, an attendance
/// report); the rest of the row is left out, with a note. Zoom and Teams reports have a
/// dozen; a file of 126 MiB of commas (a hundred million empty fields) took 3.4 GB.
pub const MAX_CSV_COLUMNS: usize = 1_000;

/// The most rows read above an attendance report's participant table (its summary block):
/// Teams writes a dozen; a report whose table is not found within them is not one.
pub const MAX_REPORT_HEAD_ROWS: usize = 100;

/// The deepest a folder import or the drop folder descends.
pub const MAX_FOLDER_DEPTH: usize = 16;

/// The most sub-folders of a watched folder (the drop folder, the shared sync folder) given
/// a watch of their own: each takes one of the few thousand the system allows an account
/// (Linux: `fs.inotify.max_user_watches`). Those past it are seen at the periodic rescan.
pub const MAX_WATCHED_FOLDERS: usize = 1_000;

/// The most files a folder import or one drop-folder scan looks at.
pub const MAX_FOLDER_FILES: usize = 500_000;

/// The longest name or title kept from an import, in characters (longer ones are cut off,
/// with a note in the import's report).
pub const MAX_NAME_CHARS: usize = 200;

/// The most combining marks (accents, vowel signs, and the invisible joiners and selectors
/// that attach as marks do) kept on one letter of a name, a title or any text put into a
/// document: real scripts stack two or three (Vietnamese "ễ", Devanagari conjuncts); a name
/// of 20,000 stacked marks on one letter took the typesetter to 6 GB.
pub const MAX_MARKS_PER_BASE: usize = 4;

/// The most characters kept in one grapheme cluster (what a reader sees as one letter or
/// emoji) of a name, a title or any text put into a document: the longest real ones, a
/// family emoji with skin tones, have eleven; the PDF writer panics on a cluster of more
/// than 64 KiB (ten thousand emoji joined by zero-width joiners).
pub const MAX_CLUSTER_CHARS: usize = 16;

/// The largest file a secret is read from (`--passphrase-file`, `--hub-password-file`,
/// `--api-key-file`): a secret is a line, so a larger file is surely the wrong one.
pub const MAX_PASSPHRASE_FILE_BYTES: u64 = 4096;

/// The largest kit template or playbook file read when given by hand.
pub const MAX_TEXT_FILE_BYTES: u64 = 1 << 20;

/// The longest name a laptop is given for its team (`sync::names`), in characters.
pub const MAX_DEVICE_NAME_CHARS: usize = 60;

/// The longest title of a thread or a message kept, in characters.
pub const MAX_TITLE_CHARS: usize = 500;

/// The longest opening line kept as the title of a conversation in a source without titles
/// (a chat, a Slack channel), in characters: enough to recognise the question, not the
/// message.
pub const MAX_OPENING_LINE_CHARS: usize = 120;

/// The most characters of one text put into a PDF (a name, a paragraph): a 50 MB name took
/// the typesetter's shaping down; no real text comes near.
pub const MAX_DOCUMENT_TEXT_CHARS: usize = 20_000;

/// How many skipped records an import keeps one by one in its history; past that, only
/// counts by reason.
pub const MAX_SKIPS_KEPT: usize = 200;

/// The largest segment file (or hub row) of team sync read: 64 MiB (Tend writes at most
/// 5,000 records a segment, a few MB).
pub const MAX_SEGMENT_BYTES: u64 = 64 << 20;

/// The most segment files (or hub rows) one sync reads, all devices together: a device's
/// genuine changes are found among any number of strangers' files, since a file read and
/// found not to be a change file is remembered and never read again (`sync::junk`), so each
/// sync gets further. The rest is read at the next sync.
pub const MAX_SEGMENT_READS_PER_SYNC: usize = 20_000;

/// The most bytes of segment files (or hub rows) one sync reads, all devices together: 2 GiB,
/// a first sync of a large team's years; the rest is read at the next sync.
pub const MAX_SYNC_READ_BYTES: u64 = 2 << 30;

/// The most entries listed in the shared folder, or in one device's sub-folder, in one sync
/// (names only: every device's folder is found whatever the number of others).
pub const MAX_SYNC_FOLDER_ENTRIES: usize = 500_000;

/// The most devices read from a hub in one sync (known devices first).
pub const MAX_HUB_DEVICES: usize = 100_000;

/// How many files or rows of one kind a sync's report names one by one; past that, one line
/// counts the rest (10,000 junk files make one line, not 10,000).
pub const MAX_SKIPS_SHOWN_PER_KIND: usize = 10;

/// The longest reason kept for a record refused by validation, in characters.
pub const MAX_REFUSAL_CHARS: usize = 300;

/// The most passphrase keys derived in one sync for salts not seen before (Argon2 is slow
/// on purpose: hundreds of forged salts must not make every sync take minutes).
pub const MAX_NEW_SALTS_PER_SYNC: usize = 8;

/// The longest text a synced cell may hold (a kit template, a playbook, a note).
pub const MAX_SYNC_TEXT_BYTES: usize = 1 << 20;

/// The most activities one bulk change record may carry (`sync::bulk`): about 200 KB of
/// JSON, and a segment of [`crate::sync::SEGMENT_RECORDS`] rows holds a few of them.
pub const MAX_BULK_ROWS: usize = 2_000;

/// The longest id or key a change record may name.
pub const MAX_SYNC_KEY_BYTES: usize = 200;

/// How long one request to a live forum may take.
pub const HTTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The largest answer read from a live forum's API.
pub const MAX_HTTP_BYTES: u64 = 32 << 20;

/// Why a path from outside is not read.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// A symbolic link (never followed: it may point anywhere, or loop).
    #[error("a symbolic link; links are not followed — copy the file itself here")]
    Symlink,
    /// A FIFO, device or socket (reading one may block forever or never end).
    #[error("not a regular file (a pipe, device or socket); left alone")]
    Special,
    /// Larger than the limit for its kind.
    #[error("{size} bytes, more than the {limit} bytes Tend reads from one file")]
    TooLarge {
        /// Its size, or the bytes read before stopping.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// It could not be read.
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl Refused {
    /// As an I/O error, for callers whose error type carries one.
    pub fn into_io(self) -> io::Error {
        match self {
            Refused::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
        }
    }
}

/// What a path is, without following a link.
pub fn kind_of(path: &Path) -> Result<Metadata, Refused> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(Refused::Symlink);
    }
    Ok(meta)
}

/// Opens `path` for reading only if it is a regular file, not a link to one: the open
/// itself refuses a link (`O_NOFOLLOW`) and never blocks on a FIFO (`O_NONBLOCK`), and the
/// opened file's own type is checked, so nothing is swapped in between look and open.
pub fn open_regular(path: &Path) -> Result<File, Refused> {
    kind_of(path)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        if is_link_error(&e) {
            Refused::Symlink // ELOOP: the last component is a link
        } else {
            Refused::Io(e)
        }
    })?;
    if !file.metadata()?.file_type().is_file() {
        return Err(Refused::Special);
    }
    Ok(file)
}

#[cfg(unix)]
fn is_link_error(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_link_error(_: &io::Error) -> bool {
    false
}

/// Reads a regular file whole, refusing it when it is larger than `limit`.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    let file = open_regular(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(Refused::TooLarge { size, limit });
    }
    read_capped(file, limit, size)
}

/// Reads `reader` to its end, refusing it once more than `limit` bytes came out (whatever
/// its header claimed); `hint` sizes the first allocation, capped by the limit.
pub fn read_capped(reader: impl Read, limit: u64, hint: u64) -> Result<Vec<u8>, Refused> {
    let mut buf = Vec::with_capacity(hint.min(limit).min(64 << 20) as usize);
    reader.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(Refused::TooLarge {
            size: buf.len() as u64,
            limit,
        });
    }
    Ok(buf)
}

/// Cuts `text` to at most `max` characters; says whether it cut.
pub fn truncate_chars(text: &mut String, max: usize) -> bool {
    match text.char_indices().nth(max) {
        Some((at, _)) => {
            text.truncate(at);
            text.push('…');
            true
        }
        None => false,
    }
}

/// Removes the Unicode controls that reorder text (bidirectional embeddings, overrides
/// and isolates, and the directional marks) from a name, so a name can never disguise
/// itself or the text around it. Script that is right-to-left by nature stays as it is.
pub fn strip_bidi_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_bidi_control) {
        std::borrow::Cow::Owned(text.chars().filter(|c| !is_bidi_control(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Whether `c` is a directional formatting character (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether `c` is an invisible mark exporters write into text: a directional control, a
/// byte-order mark (U+FEFF), a zero-width space (U+200B) or a word joiner (U+2060). Such
/// marks never change what a line says.
pub fn is_invisible_mark(c: char) -> bool {
    is_bidi_control(c) || matches!(c, '\u{FEFF}' | '\u{200B}' | '\u{2060}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capped_read_stops_one_byte_past_its_limit() {
        let zeros = io::repeat(0).take(10 << 20);
        match read_capped(zeros, 1000, u64::MAX) {
            Err(Refused::TooLarge { size, limit }) => assert_eq!((size, limit), (1001, 1000)),
            other => panic!("{other:?}"),
        }
        assert_eq!(read_capped(&b"abc"[..], 3, 0).unwrap(), b"abc");
    }

    #[cfg(unix)]
    #[test]
    fn links_fifos_and_devices_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        std::fs::write(&real, "hello").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(matches!(open_regular(&link), Err(Refused::Symlink)));
        let zero = dir.path().join("zero.mbox");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(read_regular(&zero, 10), Err(Refused::Symlink)));
        assert!(matches!(
            open_regular(Path::new("/dev/zero")),
            Err(Refused::Special)
        ));
        let fifo = dir.path().join("pipe.tseg");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(open_regular(&fifo), Err(Refused::Special)));
        }
        assert_eq!(read_regular(&real, 5).unwrap(), b"hello");
        assert!(matches!(
            read_regular(&real, 4),
            Err(Refused::TooLarge { size: 5, limit: 4 })
        ));
    }

    #[test]
    fn names_lose_their_direction_overrides_and_long_ones_are_cut() {
        assert_eq!(strip_bidi_controls("Ana\u{202E}cod.exe"), "Anacod.exe");
        assert_eq!(strip_bidi_controls("سلمى"), "سلمى");
        let mut long = "é".repeat(300);
        assert!(truncate_chars(&mut long, 200));
        assert_eq!(long.chars().count(), 201);
        let mut short = "Ana".to_string();
        assert!(!truncate_chars(&mut short, 200));
    }
}
