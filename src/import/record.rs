//! What every importer produces, whatever the format: people, spaces and activities keyed
//! by the ids their source uses, and the records skipped with a reason.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{ActivityKind, Role};

/// A person's account in the source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Person {
    /// The source's id for the account.
    pub external_id: String,
    /// Handle or username.
    pub handle: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// The name they go by, where the source has one apart from their full name (Slack's
    /// display name).
    pub preferred_name: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// An automated account.
    pub is_bot: bool,
    /// When they joined, where the source says.
    pub joined_at: Option<DateTime<Utc>>,
    /// Role, where the source says (generic CSV only).
    pub role: Option<Role>,
    /// Country, where the source says.
    pub country: Option<String>,
    /// Organisation, where the source says.
    pub organisation: Option<String>,
    /// Language, where the source says.
    pub language: Option<String>,
}

/// Kinds of space, as the schema names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceKind {
    /// A chat channel.
    Channel,
    /// A forum category.
    Category,
    /// A mailing list.
    List,
    /// An event or meeting series.
    Event,
}

impl SpaceKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SpaceKind::Channel => "channel",
            SpaceKind::Category => "category",
            SpaceKind::List => "list",
            SpaceKind::Event => "event",
        }
    }
}

/// A channel, category, list or event.
#[derive(Debug, Clone, PartialEq)]
pub struct Space {
    /// The source's id for it.
    pub external_id: String,
    /// Its name.
    pub name: String,
    /// What it is.
    pub kind: SpaceKind,
}

/// One activity, pointing at people, spaces and other activities by source ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Act {
    /// The source's id, unique within the source.
    pub external_id: String,
    /// The author's `Person::external_id`.
    pub author: String,
    /// The space's `Space::external_id`.
    pub space: Option<String>,
    /// What happened.
    pub kind: ActivityKind,
    /// When.
    pub at: DateTime<Utc>,
    /// The thread's first post (its external id).
    pub root: Option<String>,
    /// What this answers or reacts to (its external id).
    pub parent: Option<String>,
    /// A thread's title.
    pub title: Option<String>,
    /// The text, kept only when the source keeps bodies.
    pub body: Option<String>,
}

impl Act {
    /// A message: a post when `reply_to` is `None`, else a reply to `parent` in the thread
    /// started by `root` (given as `(root, parent)`). Titles are kept for posts only.
    pub fn message(
        external_id: String,
        author: String,
        space: Option<String>,
        at: DateTime<Utc>,
        reply_to: Option<(String, String)>,
        title: Option<String>,
        body: Option<String>,
    ) -> Act {
        let kind = if reply_to.is_some() {
            ActivityKind::Reply
        } else {
            ActivityKind::Post
        };
        let (root, parent) = reply_to.map_or((None, None), |(r, p)| (Some(r), Some(p)));
        let title = if kind == ActivityKind::Post {
            title
        } else {
            None
        };
        Act {
            external_id,
            author,
            space,
            kind,
            at,
            root,
            parent,
            title,
            body,
        }
    }
}

impl Act {
    /// `author` reacted to `message` (its external id) in `space`.
    pub fn reaction(
        external_id: String,
        author: String,
        space: Option<String>,
        at: DateTime<Utc>,
        message: &str,
    ) -> Act {
        Act {
            external_id,
            author,
            space,
            kind: ActivityKind::Reaction,
            at,
            root: Some(message.to_string()),
            parent: Some(message.to_string()),
            title: None,
            body: None,
        }
    }

    /// `author` joined `space`.
    pub fn join(
        external_id: String,
        author: String,
        space: Option<String>,
        at: DateTime<Utc>,
    ) -> Act {
        Act {
            external_id,
            author,
            space,
            kind: ActivityKind::Join,
            at,
            root: None,
            parent: None,
            title: None,
            body: None,
        }
    }
}

/// A record left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skip {
    /// File and line or record.
    pub location: String,
    /// Why it was left out.
    pub reason: String,
}

/// What cleaning a record's names changed, for the import's report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NameNotes(Vec<String>);

impl NameNotes {
    /// The notes, one per change ("kept, with a name cut to 200 characters").
    pub fn into_inner(self) -> Vec<String> {
        self.0
    }

    fn add(&mut self, note: String) {
        if !self.0.contains(&note) {
            self.0.push(note);
        }
    }
}

/// A name from an export made safe to keep by the one rule ([`crate::clean::name`]); a
/// name with nothing visible is left out. What changed is noted in `notes`.
pub fn clean_name(text: &str, max: usize, notes: &mut NameNotes) -> Option<String> {
    match crate::clean::name(text, max) {
        Ok(n) => {
            if n.cut {
                notes.add(format!("kept, with a name cut to {max} characters"));
            }
            if n.tamed {
                notes.add(format!(
                    "kept, with a name's direction marks or combining marks past {} a letter left out",
                    crate::limits::MAX_MARKS_PER_BASE
                ));
            }
            Some(n.text)
        }
        Err(why) => {
            notes.add(format!("kept without a name: {why}"));
            None
        }
    }
}

fn clean_opt(text: &Option<String>, notes: &mut NameNotes) -> Option<String> {
    let max = crate::limits::MAX_NAME_CHARS;
    text.as_deref().and_then(|t| clean_name(t, max, notes))
}

impl Person {
    /// This person with their names cleaned ([`clean_name`]), and what changed.
    pub fn cleaned(&self) -> (Person, NameNotes) {
        let mut notes = NameNotes::default();
        let p = Person {
            name: clean_opt(&self.name, &mut notes),
            preferred_name: clean_opt(&self.preferred_name, &mut notes),
            handle: clean_opt(&self.handle, &mut notes),
            organisation: clean_opt(&self.organisation, &mut notes),
            country: clean_opt(&self.country, &mut notes).map(|c| crate::countries::stored(&c)),
            language: clean_opt(&self.language, &mut notes),
            email: clean_opt(&self.email, &mut notes),
            ..self.clone()
        };
        (p, notes)
    }
}

impl Space {
    /// This space with its name cleaned ([`clean_name`]); a name with nothing visible
    /// gives way to the space's id, and what changed is noted.
    pub fn cleaned(&self) -> (Space, NameNotes) {
        let mut notes = NameNotes::default();
        let max = crate::limits::MAX_NAME_CHARS;
        let name = clean_name(&self.name, max, &mut notes)
            .or_else(|| clean_name(&self.external_id, max, &mut NameNotes::default()))
            .unwrap_or_else(|| "?".to_string());
        let space = Space {
            name,
            ..self.clone()
        };
        (space, notes)
    }
}

/// The title of a conversation in a source without titles (a chat message, a Slack
/// message that starts a conversation): its first line with text, chat markup read back
/// (`<https://x|label>` is "label", `<@U123>` is "@…"), cut at a word before
/// [`crate::limits::MAX_OPENING_LINE_CHARS`] with "…". `None` for a message without
/// words (an image alone).
pub fn opening_line(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let plain = crate::clean::title(&unwrap_chat_markup(line), usize::MAX)?;
    let words: Vec<&str> = plain.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let max = crate::limits::MAX_OPENING_LINE_CHARS;
    let mut out = String::new();
    for w in words {
        let len = out.chars().count() + w.chars().count() + 1;
        if len > max {
            if out.is_empty() {
                out = w.chars().take(max - 1).collect();
            }
            out.push('…');
            return Some(out);
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    Some(out)
}

/// Slack's and Discord's angle-bracket markup as a person reads it.
fn unwrap_chat_markup(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &after[..close];
        let shown = match inner.split_once('|') {
            Some((_, label)) => label.to_string(),
            None if inner.starts_with('@') || inner.starts_with('#') => {
                format!("{}…", &inner[..1])
            }
            None if inner.starts_with('!') => format!("@{}", &inner[1..]),
            None => inner.to_string(),
        };
        out.push_str(&shown);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod opening_line_tests {
    use super::opening_line;

    #[test]
    fn the_first_line_with_words_read_back_and_cut_at_a_word() {
        assert_eq!(
            opening_line("\n  Anyone used <https://d3js.org|D3> with <@U061A2UFL>?\nmore")
                .as_deref(),
            Some("Anyone used D3 with @…?")
        );
        assert_eq!(
            opening_line("<!channel> meetup tonight").as_deref(),
            Some("@channel meetup tonight")
        );
        assert_eq!(opening_line("  \n \t"), None);
        let long = "word ".repeat(60);
        let cut = opening_line(&long).expect("words");
        assert!(cut.ends_with('…') && cut.chars().count() <= 120, "{cut}");
        assert!(!cut.contains("wor…"), "cut at a word: {cut}");
    }
}
