//! Mailing-list archives: mbox files, plain or gzip (Mailman/pipermail, HyperKitty,
//! Google Groups, LISTSERV). Threads come from `In-Reply-To` and `References`, falling back
//! to the normalised subject; senders from `From:` (pipermail's `user at host` included).
//! A message that cannot be read is skipped with a warning, not the whole file.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::{DateTime, Utc};
use mail_parser::mailbox::mbox::MessageIterator;
use mail_parser::{Message, MessageParser};

use super::error::ImportError;
use super::record::{Act, Person, Space, SpaceKind};
use super::writer::Writer;
use super::Progress;
use crate::limits;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A buffered reader of the file's content, gunzipping it when it is gzip.
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, ImportError> {
    let regular = || {
        limits::open_regular(path).map_err(|reason| ImportError::Refused {
            path: path.display().to_string(),
            reason,
        })
    };
    let mut file = regular()?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(io(path))?;
    let file = regular()?;
    if n == 2 && magic == GZIP_MAGIC {
        Ok(Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
            BufReader::new(file),
        ))))
    } else {
        Ok(Box::new(BufReader::new(file)))
    }
}

/// A reader of an mbox's lines that keeps every line and every message within bounds: a
/// line longer than [`limits::MAX_LINE_BYTES`] is cut there (the rest dropped), and the
/// lines of a message past [`limits::MAX_MAIL_MESSAGE_BYTES`] are dropped, the message's
/// number noted in `cut` so the importer skips it with a warning.
struct Guard<R> {
    inner: R,
    line: Vec<u8>,
    pos: usize,
    message: usize,
    bytes: usize,
    cut: std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<usize>>>,
}

impl<R: BufRead> Guard<R> {
    /// Drops what is left of an over-long line, up to and including its newline.
    fn drop_rest_of_line(&mut self) -> std::io::Result<()> {
        loop {
            let avail = self.inner.fill_buf()?;
            if avail.is_empty() {
                return Ok(());
            }
            if let Some(i) = avail.iter().position(|&b| b == b'\n') {
                self.inner.consume(i + 1);
                return Ok(());
            }
            let n = avail.len();
            self.inner.consume(n);
        }
    }

    /// Reads the next line that is kept; an empty line buffer means the end.
    fn next_line(&mut self) -> std::io::Result<()> {
        self.pos = 0;
        loop {
            self.line.clear();
            let cap = limits::MAX_LINE_BYTES as u64;
            if (&mut self.inner)
                .take(cap)
                .read_until(b'\n', &mut self.line)?
                == 0
            {
                return Ok(());
            }
            if !self.line.ends_with(b"\n") && self.line.len() as u64 >= cap {
                self.drop_rest_of_line()?;
                self.line.push(b'\n');
            }
            if self.line.starts_with(b"From ") {
                self.message += 1;
                self.bytes = 0;
                return Ok(());
            }
            self.bytes += self.line.len();
            if self.bytes <= limits::MAX_MAIL_MESSAGE_BYTES {
                return Ok(());
            }
            if let Ok(mut cut) = self.cut.lock() {
                cut.insert(self.message);
            }
        }
    }
}

impl<R: BufRead> Read for Guard<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Guard<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos >= self.line.len() {
            self.next_line()?;
        }
        Ok(&self.line[self.pos..])
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
    }
}

/// Message numbers (from 1) whose content went past the limit and was dropped.
type Cut = std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<usize>>>;

/// The messages of the mbox at `path`, each within bounds, and the numbers of those cut.
fn messages(path: &Path) -> Result<(MessageIterator<impl BufRead>, Cut), ImportError> {
    let cut = Cut::default();
    let guard = Guard {
        inner: open(path)?,
        line: Vec::new(),
        pos: 0,
        message: 0,
        bytes: 0,
        cut: cut.clone(),
    };
    Ok((MessageIterator::new(guard), cut))
}

/// The first 4 KiB of the file's content (after gunzipping).
pub fn head(path: &Path) -> Result<Vec<u8>, ImportError> {
    let mut buf = Vec::new();
    open(path)?
        .take(4096)
        .read_to_end(&mut buf)
        .map_err(io(path))?;
    Ok(buf)
}

/// Whether content that starts with `head` is an mbox.
pub fn looks_like(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    head[start..].starts_with(b"From ")
}

/// How many messages [`list_name`] reads to find the list.
const LIST_SCAN: usize = 500;

/// The list a mailbox is from, found from its content so a renamed or moved copy, and
/// each month of a pipermail archive, land in the same list: the `List-Id` of any of its
/// first messages; else the posting address most of them were sent to (`List-Post`, `To`,
/// `Cc`); else the subject tag most of them carry (`[Numpy-discussion]`). With the name,
/// why it was chosen.
pub fn list_name(path: &Path) -> Result<Option<(String, &'static str)>, ImportError> {
    let mut addresses: HashMap<String, usize> = HashMap::new();
    let mut tags: HashMap<String, usize> = HashMap::new();
    let mut seen = 0;
    for item in messages(path)?.0.take(LIST_SCAN) {
        let Ok(m) = item else { break };
        let contents = m.contents();
        seen += 1;
        if let Some(id) = raw_header(contents, "List-Id").and_then(|v| bracketed(&v)) {
            return Ok(Some((id, "its List-Id")));
        }
        let mut to: Vec<String> = ["List-Post", "To", "Cc"]
            .iter()
            .filter_map(|h| raw_header(contents, h))
            .flat_map(|v| addresses_in(&v))
            .collect();
        to.sort();
        to.dedup();
        for a in to {
            *addresses.entry(a).or_default() += 1;
        }
        if let Some(tag) = raw_header(contents, "Subject").and_then(|s| subject_tag(&s)) {
            *tags.entry(tag).or_default() += 1;
        }
    }
    let most = |counts: HashMap<String, usize>| {
        counts
            .into_iter()
            .filter(|(_, n)| *n * 2 > seen && *n >= 2.min(seen))
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(k, _)| k)
    };
    Ok(most(addresses)
        .map(|a| (a, "the address its messages were sent to"))
        .or_else(|| most(tags).map(|t| (t, "the tag in its subjects"))))
}

/// The text between `<` and `>`, or the whole value, trimmed.
fn bracketed(v: &str) -> Option<String> {
    let inner = v
        .split('<')
        .nth(1)
        .and_then(|s| s.split('>').next())
        .unwrap_or(v)
        .trim()
        .trim_start_matches("mailto:");
    (!inner.is_empty()).then(|| inner.to_string())
}

/// The e-mail addresses in a header's value (`a@b`, and pipermail's `a at b`).
fn addresses_in(v: &str) -> Vec<String> {
    v.split([',', ';'])
        .filter_map(|part| {
            let part = part.trim();
            let candidate = bracketed(part).unwrap_or_default();
            let candidate = candidate.trim_start_matches("mailto:");
            if candidate.contains('@') && !candidate.contains(' ') {
                return Some(candidate.to_lowercase());
            }
            unobfuscate(part).map(|(a, _)| a.to_lowercase())
        })
        .collect()
}

/// A subject's list tag: `Re: [Numpy-discussion] RE: x` gives `Numpy-discussion`.
fn subject_tag(subject: &str) -> Option<String> {
    let start = subject.find('[')?;
    let prefix = &subject[..start];
    let only_replies = prefix.split([':', ' ']).all(|w| {
        w.is_empty() || ["re", "fwd", "fw", "aw", "tr", "sv"].contains(&w.to_lowercase().as_str())
    });
    if !only_replies {
        return None;
    }
    let tag = subject[start + 1..].split(']').next()?.trim();
    (!tag.is_empty() && tag.len() <= 100 && !tag.contains('[')).then(|| tag.to_string())
}

/// A header's value read straight from the message's bytes (lossy, unfolded), for what the
/// parser could not decode: pipermail's dates, non-UTF-8 `From:` lines.
fn raw_header(contents: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(contents);
    let mut value: Option<String> = None;
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        match &mut value {
            Some(v) if line.starts_with([' ', '\t']) => v.push_str(line),
            Some(_) => break,
            None => {
                if let Some((key, rest)) = line.split_once(':') {
                    if key.eq_ignore_ascii_case(name) {
                        value = Some(rest.trim().to_string());
                    }
                }
            }
        }
    }
    value
}

/// Pipermail hides addresses as `user at host (Name)`: turns that back into an address.
fn unobfuscate(text: &str) -> Option<(String, Option<String>)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let i = words
        .iter()
        .position(|w| *w == "at")
        .filter(|&i| i > 0 && i + 1 < words.len())?;
    let user = words[i - 1].trim_start_matches(['<', '(']);
    let host = words[i + 1].trim_end_matches(['>', ')', ',']);
    if user.is_empty() || !host.contains('.') {
        return None;
    }
    let name = text
        .split('(')
        .nth(1)
        .and_then(|s| s.split(')').next())
        .map(|s| s.trim().to_string());
    Some((format!("{user}@{host}"), name.filter(|n| !n.is_empty())))
}

/// The sender as a person: keyed by normalised address where there is one, else by the
/// name alone (LISTSERV archives replace addresses with `[log in to unmask]`).
fn sender(msg: &Message<'_>, contents: &[u8], envelope: &str) -> Option<Person> {
    let by_address = |email: String, name: Option<String>| {
        let key = crate::identity::normalize_email(&email).unwrap_or_else(|| email.to_lowercase());
        Person {
            external_id: format!("mailto:{key}"),
            name,
            email: Some(email),
            ..Person::default()
        }
    };
    let first = msg.from().and_then(|l| l.first());
    if let Some(mb) = first {
        if let Some(addr) = mb.address.as_deref().filter(|a| a.contains('@')) {
            return Some(by_address(
                addr.to_string(),
                mb.name.as_deref().map(str::to_string),
            ));
        }
    }
    let candidates = [
        first.and_then(|mb| mb.name.as_deref()).map(str::to_string),
        first
            .and_then(|mb| mb.address.as_deref())
            .map(str::to_string),
        raw_header(contents, "From"),
    ];
    if let Some((email, name)) = candidates.iter().flatten().find_map(|c| unobfuscate(c)) {
        return Some(by_address(email, name));
    }
    if envelope.contains('@') {
        return Some(by_address(envelope.to_string(), None));
    }
    let name = first
        .and_then(|mb| mb.name.as_deref())
        .map(str::trim)
        .filter(|n| !n.is_empty())?;
    Some(Person {
        external_id: format!("name:{}", name.to_lowercase()),
        name: Some(name.to_string()),
        ..Person::default()
    })
}

/// A date the parser could not read: RFC 2822, or asctime as pipermail writes it
/// (`Thu Nov  1 11:19:12 2001`, taken as UTC).
fn loose_date(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc2822(raw) {
        return Some(t.with_timezone(&Utc));
    }
    let words: Vec<&str> = raw.split_whitespace().collect();
    let tail = words.get(words.len().saturating_sub(5)..)?.join(" ");
    chrono::NaiveDateTime::parse_from_str(&tail, "%a %b %d %H:%M:%S %Y")
        .ok()
        .map(|t| t.and_utc())
}

/// A subject without `Re:`/`Fwd:` prefixes or list tags, lower-cased, for threading.
fn thread_key(subject: &str) -> String {
    mail_parser::parsers::fields::thread::thread_name(subject)
        .trim()
        .to_lowercase()
}

/// Threads seen so far in this file.
#[derive(Default)]
struct Threads {
    root_of: HashMap<String, String>,
    by_subject: HashMap<String, String>,
}

/// Imports every readable message of the mbox at `path`.
pub async fn import(
    path: &Path,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let list = list_name(path)?.map(|(name, _)| name).unwrap_or_else(|| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    w.space(&Space {
        external_id: list.clone(),
        name: list.clone(),
        kind: SpaceKind::List,
    })
    .await?;
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    progress.start(size);
    let label = path.display().to_string();
    let mut threads = Threads::default();
    let (all, cut) = messages(path)?;
    let mut all = all.enumerate().peekable();
    while let Some((i, item)) = all.next() {
        if progress.cancelled() {
            return Err(ImportError::Cancelled(path.to_path_buf()));
        }
        let at = format!("{label} message {}", i + 1);
        let message = match item {
            Ok(m) => m,
            Err(e) => {
                return Err(ImportError::Malformed {
                    path: label,
                    line: None,
                    column: None,
                    message: format!(
                        "message {}: {e} — the file is truncated or not an mbox",
                        i + 1
                    ),
                })
            }
        };
        progress.advance(message.contents().len() as u64);
        if cut.lock().is_ok_and(|c| c.contains(&(i + 1))) {
            w.skip(
                at,
                format!(
                    "a message larger than {} MiB, left out",
                    limits::MAX_MAIL_MESSAGE_BYTES >> 20
                ),
            );
            continue;
        }
        if all.peek().is_none() {
            if let Some(why) = cut_off(message.contents()) {
                w.skip(at, format!("{why}: the file looks truncated, so it is left out (import the whole file again later)"));
                continue;
            }
        }
        import_message(w, &list, &message, &at, &mut threads).await?;
    }
    Ok(())
}

/// Why the last message of a file looks cut off, if it does: no blank line after its
/// headers, or no newline at its end.
fn cut_off(contents: &[u8]) -> Option<&'static str> {
    if headers_of(contents).len() == contents.len() {
        return Some("its headers are cut off at the end of the file");
    }
    (!contents.ends_with(b"\n")).then_some("it is cut off at the end of the file")
}

/// A message's header block: everything before the first blank line.
fn headers_of(contents: &[u8]) -> &[u8] {
    let end = contents
        .windows(2)
        .position(|w| w == b"\n\n")
        .or_else(|| contents.windows(4).position(|w| w == b"\r\n\r\n"))
        .unwrap_or(contents.len());
    &contents[..end]
}

async fn import_message(
    w: &mut Writer,
    list: &str,
    message: &mail_parser::mailbox::mbox::Message,
    at: &str,
    threads: &mut Threads,
) -> Result<(), ImportError> {
    // Without bodies kept, only the headers are parsed: the body is never decoded.
    let parser = MessageParser::default();
    let parsed = if w.keeps_bodies() {
        parser.parse(message.contents())
    } else {
        parser.parse_headers(message.contents())
    };
    let Some(msg) = parsed else {
        w.skip(at, "not an e-mail message (no headers)");
        return Ok(());
    };
    let Some(person) = sender(&msg, message.contents(), message.from()) else {
        w.skip(at, "no sender in From:");
        return Ok(());
    };
    let when = msg
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| DateTime::<Utc>::from_timestamp(d.to_timestamp(), 0))
        .or_else(|| {
            raw_header(message.contents(), "Date")
                .as_deref()
                .and_then(loose_date)
        })
        .or_else(|| {
            (message.internal_date() > 0)
                .then(|| DateTime::from_timestamp(message.internal_date() as i64, 0))
                .flatten()
        });
    let Some(when) = when else {
        w.skip(at, "no readable Date: and no date on the From line");
        return Ok(());
    };
    let id = msg
        .message_id()
        .map(|m| m.trim_matches(|c| c == '<' || c == '>').to_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| {
            // From its headers only: a copy whose body was cut, or re-encoded, gives the
            // same id as the whole message.
            format!(
                "content:{}",
                &blake3::hash(headers_of(message.contents())).to_hex()[..32]
            )
        });
    let ids_of = |v: &mail_parser::HeaderValue<'_>| -> Vec<String> {
        v.as_text_list()
            .unwrap_or_default()
            .iter()
            .map(|s| s.trim_matches(|c| c == '<' || c == '>').to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let references = ids_of(msg.references());
    let parent = ids_of(msg.in_reply_to())
        .into_iter()
        .next()
        .or_else(|| references.last().cloned());
    let first_ref = references.first().cloned();
    let subject = msg.subject().map(str::to_string);
    let key = subject.as_deref().map(thread_key).filter(|k| !k.is_empty());
    let replying_by_subject = subject
        .as_deref()
        .is_some_and(|s| s.trim_start().to_lowercase().starts_with("re:"));
    let root = match (&parent, &first_ref) {
        (Some(p), _) => Some(
            threads
                .root_of
                .get(p)
                .cloned()
                .or(first_ref.clone())
                .unwrap_or_else(|| p.clone()),
        ),
        (None, Some(r)) => Some(r.clone()),
        (None, None) if replying_by_subject => key
            .as_ref()
            .and_then(|k| threads.by_subject.get(k).cloned()),
        _ => None,
    };
    let thread_root = root.clone().unwrap_or_else(|| id.clone());
    threads.root_of.insert(id.clone(), thread_root.clone());
    if let Some(k) = key {
        threads.by_subject.entry(k).or_insert(thread_root);
    }
    w.person(&person).await?;
    let author = person.external_id;
    let reply_to = root.map(|r| {
        let p = parent.unwrap_or_else(|| r.clone());
        (r, p)
    });
    let body = w
        .keeps_bodies()
        .then(|| msg.body_text(0).map(|b| b.into_owned()))
        .flatten();
    let act = Act::message(
        id,
        author,
        Some(list.to_string()),
        when,
        reply_to,
        subject,
        body,
    );
    w.activity(&act).await
}

#[cfg(test)]
mod tests {
    use super::{looks_like, loose_date, thread_key, unobfuscate};

    #[test]
    fn pipermail_addresses_and_dates_are_read_back() {
        assert_eq!(
            unobfuscate("jjl at pobox.com (John J. Lee)"),
            Some(("jjl@pobox.com".to_string(), Some("John J. Lee".to_string())))
        );
        assert_eq!(unobfuscate("John M Meredith"), None);
        let t = loose_date("Thu Nov  1 11:19:12 2001").expect("asctime");
        assert_eq!(t.to_rfc3339(), "2001-11-01T11:19:12+00:00");
        assert!(loose_date("Mon, 7 Nov 2016 19:44:27 +0100").is_some());
        assert!(loose_date("yesterday").is_none());
    }

    #[test]
    fn mbox_content_is_recognised_by_its_separator() {
        assert!(looks_like(
            b"From ann@example.com Sat Jan  3 01:05:34 1996\nSubject: x\n"
        ));
        assert!(looks_like(
            b"\n\nFrom MAILER-DAEMON Fri Jul  8 12:08:34 2011\n"
        ));
        assert!(!looks_like(b"{\"users\": []}"));
        assert!(!looks_like(b"id,name\n"));
    }

    #[test]
    fn subjects_thread_without_reply_prefixes() {
        assert_eq!(
            thread_key("Re: [numpy] Arrays"),
            thread_key("[numpy] arrays")
        );
        assert_eq!(thread_key("RE: Fwd: Meeting"), thread_key("meeting"));
    }
}
