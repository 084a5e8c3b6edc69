//! WhatsApp "Export chat": the `.txt` file, or the `.zip` that holds it with the media.
//! Android lines read `31/12/23, 21:05 - Name: text`, iOS lines `[31/12/23, 21:05:09] Name:
//! text`; dates are day-first or month-first (any day above 12 settles which, else
//! [`DateOrder`]), times 24-hour or 12-hour. A line that does not start with a date continues
//! the message before it. System lines (created, added, joined by link, left, removed,
//! subject changes, the encryption notice) are not messages; those that say someone joined
//! become joins. The file has no message ids: a message's id is a hash of its time, sender
//! and text with the number of times that same line came before, so a re-import adds nothing
//! and repeated lines stay separate messages. Times are the phone's local time, stored as UTC.

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::conversation::{self, ChatMessage};
use super::dates::Stamp;
use super::error::ImportError;
use super::files::ExportFiles;
use super::record::{Act, Person, Space, SpaceKind};
use super::writer::Writer;
use super::Progress;

pub use super::dates::DateOrder;

/// The start of a message line: date, time, optional AM/PM, then `] ` (iOS) or ` - `
/// (Android), then the rest.
static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\[?{}(?:\]\s*|\s+-\s+)(.*)$",
        super::dates::PATTERN
    ))
    .expect("a valid pattern")
});

/// A phone number as WhatsApp shows an unsaved contact: `+44 7700 900123`.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\+?[\d\s\-()]{7,}$").expect("a valid pattern"));

/// The file of an export that holds the chat: the `.txt` itself, or the first `.txt` in
/// the ZIP (`_chat.txt` on iOS, `WhatsApp Chat with … .txt` on Android).
fn chat_name(files: &ExportFiles) -> Option<String> {
    let names = files.names();
    names
        .iter()
        .find(|n| n.ends_with("_chat.txt"))
        .or_else(|| names.iter().find(|n| n.ends_with(".txt")))
        .cloned()
}

/// Whether the first lines of `text` are WhatsApp chat lines.
pub fn looks_like_text(text: &str) -> bool {
    text.lines()
        .map(clean_line)
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .any(|l| LINE.is_match(&l))
}

/// Whether a ZIP holds a WhatsApp chat.
pub fn looks_like(files: &mut ExportFiles) -> bool {
    let Some(name) = chat_name(files) else {
        return false;
    };
    files
        .read(&name)
        .is_ok_and(|b| looks_like_text(&String::from_utf8_lossy(&b[..b.len().min(4096)])))
}

/// Invisible marks removed from every line (byte-order marks, direction marks and
/// isolates, wherever they are: phones write them before dates, senders, media notes and
/// plain text alike) and no-break spaces made plain.
fn clean_line(line: &str) -> String {
    line.chars()
        .filter(|c| !crate::limits::is_invisible_mark(*c))
        .map(|c| match c {
            '\u{202f}' | '\u{00a0}' | '\u{2007}' => ' ',
            c => c,
        })
        .collect::<String>()
        .trim_end_matches('\r')
        .to_string()
}

/// One message line's parts before the date order is known.
#[derive(Debug, Clone)]
struct Raw {
    line: u64,
    stamp: Stamp,
    rest: String,
}

fn header(line: u64, text: &str) -> Option<Raw> {
    let c = LINE.captures(text)?;
    Some(Raw {
        line,
        stamp: Stamp::from_captures(&c, 1)?,
        rest: c.get(8).map_or("", |m| m.as_str()).to_string(),
    })
}

/// What a line after its date says.
#[derive(Debug, Clone, PartialEq)]
enum Said {
    /// A message (its sender and text; media and empty messages count).
    Message { sender: String, text: String },
    /// A system line naming people who joined.
    Joined(Vec<String>),
    /// Any other system line.
    System,
}

/// Notices WhatsApp writes under a person's name that no one wrote (iOS puts the
/// encryption notice of a one-to-one chat under the other person's name), in the languages
/// it writes most; lower case.
const NOTICES: &[&str] = &[
    "messages and calls are end-to-end encrypted",
    "messages to this group are now secured with end-to-end encryption",
    "sont chiffrés de bout en bout",
    "están cifrados de extremo a extremo",
    "ende-zu-ende-verschlüsselt",
    "protegidas com a criptografia de ponta a ponta",
    "missed voice call",
    "missed video call",
    "appel vocal manqué",
    "appel vidéo manqué",
    "llamada perdida",
    "videollamada perdida",
    "this message was deleted",
    "you deleted this message",
    "ce message a été supprimé",
    "se eliminó este mensaje",
    "your security code with",
    "turned on disappearing messages",
    "turned off disappearing messages",
];

/// Whether a message's text is one of WhatsApp's own notices.
fn is_notice(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    NOTICES.iter().any(|n| t.contains(n))
}

/// What the rest of a line says. A line shaped `sender: text` is a message (media notes,
/// voice notes and empty messages included) unless its "sender" is the chat itself (iOS
/// writes the group's own lines so) or its text is one of WhatsApp's notices.
fn said(rest: &str, chat: Option<&str>) -> Said {
    let split = rest
        .find(": ")
        .map(|i| (&rest[..i], &rest[i + 2..]))
        .or_else(|| rest.strip_suffix(':').map(|s| (s, "")));
    if let Some((sender, text)) = split {
        let sender = sender.trim();
        if !sender.is_empty() && Some(sender) != chat && !is_notice(text) {
            return Said::Message {
                sender: sender.to_string(),
                text: text.to_string(),
            };
        }
        // iOS: "Group: Josh added you": the system line is after the colon.
        return joined(text).map_or(Said::System, Said::Joined);
    }
    joined(rest).map_or(Said::System, Said::Joined)
}

/// The people a system line says joined, in the languages WhatsApp writes most.
fn joined(line: &str) -> Option<Vec<String>> {
    static ADDED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            r"^.+? added (?P<who>.+)$",
            r"^(?P<who>.+?) joined using this group's invite link$",
            r"^(?P<who>.+?) joined from the community$",
            r"^(?P<who>.+?) created (?:the )?group .+$",
            r"^.+? a ajouté (?P<who>.+)$",
            r"^(?P<who>.+?) a rejoint .*$",
            r#"^(?P<who>.+?) a créé le groupe .*$"#,
            r"^.+? añadió a (?P<who>.+)$",
            r"^(?P<who>.+?) se unió .*$",
            r#"^(?P<who>.+?) creó el grupo .*$"#,
            r"^.+? hat (?P<who>.+?) hinzugefügt$",
            r"^(?P<who>.+?) ist .* beigetreten$",
            r"^.+? adicionou (?P<who>.+)$",
            r"^(?P<who>.+?) entrou .*$",
        ]
        .iter()
        .map(|p| Regex::new(p).expect("a valid pattern"))
        .collect()
    });
    let who = ADDED
        .iter()
        .find_map(|r| r.captures(line))?
        .name("who")?
        .as_str()
        .to_string();
    let people: Vec<String> = who
        .split([',', '،'])
        .flat_map(|p| {
            p.split(" and ")
                .flat_map(|p| p.split(" et "))
                .flat_map(|p| p.split(" y "))
                .flat_map(|p| p.split(" und "))
                .flat_map(|p| p.split(" e "))
        })
        .map(|p| p.trim().trim_end_matches('.').to_string())
        .filter(|p| !p.is_empty() && !is_you(p))
        .collect();
    (!people.is_empty()).then_some(people)
}

/// The exporting phone's owner, whom the file names only as "you".
fn is_you(name: &str) -> bool {
    matches!(
        name.to_lowercase().as_str(),
        "you" | "vous" | "vous-même" | "tú" | "usted" | "du" | "dich" | "você"
    )
}

/// A sender as a person: by phone number where the file shows one (personal data, kept
/// like an e-mail and erased with the member), else by the name the phone showed.
fn person(sender: &str) -> Person {
    if PHONE.is_match(sender) && sender.chars().filter(char::is_ascii_digit).count() >= 7 {
        let digits: String = sender.chars().filter(char::is_ascii_digit).collect();
        Person {
            external_id: format!("phone:+{digits}"),
            handle: Some(sender.to_string()),
            ..Person::default()
        }
    } else {
        Person {
            external_id: format!("name:{sender}"),
            name: Some(sender.to_string()),
            ..Person::default()
        }
    }
}

/// The chat's name as the export's file names it (`WhatsApp Chat with Field team.txt`,
/// `WhatsApp Chat - Field team.zip`), if they follow WhatsApp's pattern.
fn name_from_file(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy();
    [
        "WhatsApp Chat with ",
        "WhatsApp Chat - ",
        "WhatsApp-Chat mit ",
        "Chat de WhatsApp con ",
        "Discussion WhatsApp avec ",
    ]
    .iter()
    .find_map(|p| stem.strip_prefix(p))
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
}

/// The chat's name from a `created group "…"` line.
fn name_from_lines(lines: &[Raw]) -> Option<String> {
    static CREATED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:created|a créé|creó)[^"“]*["“](.+)["”]$"#).expect("a valid pattern")
    });
    lines
        .iter()
        .find_map(|r| CREATED.captures(&r.rest))
        .map(|c| c[1].to_string())
}

/// The text of the chat and the name its file gives, from a `.txt` or a `.zip`.
fn read_chat(path: &Path) -> Result<(String, String), ImportError> {
    let (bytes, label) = if super::mbox::head(path)?.starts_with(b"PK") {
        let mut files = ExportFiles::open(path)?;
        let name = chat_name(&files).ok_or_else(|| ImportError::NotAnExport {
            path: path.to_path_buf(),
            looked: super::Looked::Zip,
        })?;
        (files.read(&name)?, files.label(&name))
    } else {
        (super::read_file(path)?, path.display().to_string())
    };
    Ok((super::attendance::decode(&bytes), label))
}

/// The chat's lines with their continuation lines joined, and the lines that came before
/// any message.
fn message_lines(text: &str) -> (Vec<Raw>, u64) {
    let mut out: Vec<Raw> = Vec::new();
    let mut orphans = 0;
    for (i, line) in text.lines().enumerate() {
        let line = clean_line(line);
        match header(i as u64 + 1, &line) {
            Some(raw) => out.push(raw),
            None => match out.last_mut() {
                Some(prev) => {
                    prev.rest.push('\n');
                    prev.rest.push_str(&line);
                }
                None if !line.trim().is_empty() => orphans += 1,
                None => {}
            },
        }
    }
    (out, orphans)
}

/// Imports the chat at `path` (a `.txt` or the `.zip`) through `w`, as one space.
pub async fn import(
    path: &Path,
    order: Option<DateOrder>,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let (text, label) = read_chat(path)?;
    let (lines, orphans) = message_lines(&text);
    if lines.is_empty() {
        return Err(ImportError::Malformed {
            path: label,
            line: Some(1),
            column: None,
            message: "no line starts with a date and time — expected a WhatsApp chat export".into(),
        });
    }
    if orphans > 0 {
        w.skip(&label, format!("{orphans} lines before the first message"));
    }
    let order = super::dates::settled(lines.iter().map(|l| &l.stamp), order).unwrap_or_default();
    let chat = name_from_file(path)
        .or_else(|| name_from_lines(&lines))
        .unwrap_or_else(|| {
            super::fallback_name(path)
                .trim_end_matches(".txt")
                .to_string()
        });
    let space = format!("chat:{chat}");
    w.space(&Space {
        external_id: space.clone(),
        name: chat.clone(),
        kind: SpaceKind::Channel,
    })
    .await?;
    progress.start(lines.len() as u64);
    let mut seen: HashMap<[u8; 32], u32> = HashMap::new();
    let mut messages = Vec::new();
    for raw in &lines {
        if progress.cancelled() {
            return Err(ImportError::Cancelled(path.to_path_buf()));
        }
        progress.advance(1);
        let at_line = format!("{label} line {}", raw.line);
        let Some(at) = raw.stamp.at(order) else {
            w.skip(
                at_line,
                "a date or time that does not exist on the calendar",
            );
            continue;
        };
        let mut key = |what: &str| {
            let mut h = blake3::Hasher::new();
            h.update(space.as_bytes());
            h.update(&at.timestamp().to_le_bytes());
            h.update(what.as_bytes());
            let digest: [u8; 32] = h.finalize().into();
            let n = seen.entry(digest).or_insert(0);
            *n += 1;
            format!("{}:{n}", &blake3::Hash::from(digest).to_hex()[..24])
        };
        match said(&raw.rest, Some(&chat)) {
            Said::Message { sender, text } => {
                let p = person(&sender);
                w.person(&p).await?;
                messages.push(ChatMessage {
                    external_id: key(&format!("{sender}\u{0}{text}")),
                    author: p.external_id,
                    space: space.clone(),
                    at,
                    reply_to: None,
                    starts_thread: false,
                    body: Some(text),
                });
            }
            Said::Joined(people) => {
                for who in people {
                    let p = person(&who);
                    w.person(&p).await?;
                    let id = key(&format!("join\u{0}{who}"));
                    w.activity(&Act::join(id, p.external_id, Some(space.clone()), at))
                        .await?;
                }
            }
            Said::System => {}
        }
    }
    for act in conversation::thread(messages) {
        w.activity(&act).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_line_styles_and_both_clocks_are_read() {
        let r = header(1, &clean_line("[06/20/20, 3:55:01\u{202f}PM] Ana: hi")).unwrap();
        assert_eq!(
            (r.stamp.date, r.stamp.time, r.stamp.pm),
            ([6, 20, 20], (3, 55, 1), Some(true))
        );
        assert_eq!(r.rest, "Ana: hi");
        let r = header(1, "20/06/2020, 00:08 - +12 345 578 created group \"G\"").unwrap();
        assert_eq!(r.stamp.date, [20, 6, 2020]);
        let r = header(1, "01/01/2019, 11:25 a. m. - John Doe: Lorem").unwrap();
        assert_eq!((r.stamp.time.0, r.stamp.pm), (11, Some(false)));
        assert!(header(1, "consectetur adipiscing elit. - x").is_none());
        let r = header(1, "12/30/21, 11:59 PM - A: b").unwrap();
        assert_eq!(
            r.stamp.at(DateOrder::Mdy).unwrap().to_rfc3339(),
            "2021-12-30T23:59:00+00:00"
        );
        let r = header(1, "12/30/21, 23:59 PM - A: b").unwrap();
        assert_eq!(
            r.stamp.at(DateOrder::Mdy).unwrap().to_rfc3339(),
            "2021-12-30T23:59:00+00:00"
        );
    }

    #[test]
    fn system_lines_are_told_from_messages() {
        assert_eq!(
            said("Ana added Ben, +44 7700 900123 and Cai", None),
            Said::Joined(vec!["Ben".into(), "+44 7700 900123".into(), "Cai".into()])
        );
        assert_eq!(said("You were added", None), Said::System);
        assert_eq!(
            said("Ben joined using this group's invite link", None),
            Said::Joined(vec!["Ben".into()])
        );
        assert_eq!(
            said(
                &clean_line("Super Group: \u{200e}Josh added you"),
                Some("Super Group")
            ),
            Said::System
        );
        assert_eq!(
            said(
                &clean_line("Josh: \u{200e}image omitted"),
                Some("Super Group")
            ),
            Said::Message {
                sender: "Josh".into(),
                text: "image omitted".into()
            }
        );
        assert_eq!(
            said("Eva: ", None),
            Said::Message {
                sender: "Eva".into(),
                text: String::new()
            }
        );
        assert_eq!(said("Messages and calls are end-to-end encrypted. No one outside of this chat can read them.", None), Said::System);
        assert_eq!(
            said("Lea hat Tom hinzugefügt", None),
            Said::Joined(vec!["Tom".into()])
        );
    }

    #[test]
    fn a_message_is_a_message_whatever_invisible_marks_it_starts_with() {
        let lines = [
            "\u{200e}12/03/2024, 10:01 - Ana: \u{200e}PTT-20240312-WA0001.opus (file attached)",
            "[12/03/2024, 10:02:00] Ana: \u{200e}<attached: 00000012-PHOTO-2024-03-12.jpg>",
            "\u{feff}12/03/2024, 10:03 - Ana: \u{200e}hello",
            "12/03/2024, 10:04 - \u{2068}Ben\u{2069}: \u{200f}\u{202b}sticker omitted\u{202c}",
            "12/03/2024, 10:05 - \u{202a}+44 7700 900123\u{202c}: ok",
        ];
        let senders: Vec<String> = lines
            .iter()
            .map(
                |l| match said(&header(1, &clean_line(l)).expect("a date").rest, None) {
                    Said::Message { sender, .. } => sender,
                    other => panic!("{l:?} read as {other:?}"),
                },
            )
            .collect();
        assert_eq!(senders, ["Ana", "Ana", "Ana", "Ben", "+44 7700 900123"]);
        // A one-to-one iOS chat puts the encryption notice under the other person's name.
        let notice =
            "[12/03/2024, 10:00:00] Ana: \u{200e}Messages and calls are end-to-end encrypted.";
        assert_eq!(
            said(&header(1, &clean_line(notice)).expect("a date").rest, None),
            Said::System
        );
    }

    #[test]
    fn the_file_settles_the_date_order_where_it_can() {
        let (lines, _) = message_lines("01/02/20, 10:00 - A: x\n13/02/20, 10:00 - A: y\n");
        assert_eq!(
            super::super::dates::settled(lines.iter().map(|l| &l.stamp), None),
            Some(DateOrder::Dmy)
        );
        let (lines, _) = message_lines("01/02/20, 10:00 - A: x\n02/13/20, 10:00 - A: y\n");
        assert_eq!(
            super::super::dates::settled(lines.iter().map(|l| &l.stamp), None),
            Some(DateOrder::Mdy)
        );
        let (lines, _) = message_lines("01/02/20, 10:00 - A: x\nmore\n");
        assert_eq!(
            super::super::dates::settled(lines.iter().map(|l| &l.stamp), None),
            None
        );
        assert_eq!(lines[0].rest, "A: x\nmore");
    }

    #[test]
    fn phone_numbers_make_phone_identities() {
        assert_eq!(person("+44 7700 900123").external_id, "phone:+447700900123");
        assert_eq!(person("Ana Núñez").external_id, "name:Ana Núñez");
    }
}
