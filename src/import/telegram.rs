//! Telegram Desktop's export (`result.json`): one chat, or a full export whose `chats.list`
//! (and `left_chats.list`) hold many. Each chat is a space. Messages are posts and replies
//! (`reply_to_message_id` wins; the others follow [`super::conversation`]); service
//! messages that say someone joined (by link, by request, invited, created the group)
//! become joins; reactions with the people who reacted become reactions. People are keyed by
//! `from_id` (`"user123"`, or `123` in old exports), else by name.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::conversation::{self, ChatMessage};
use super::error::ImportError;
use super::record::{Act, Person, Space, SpaceKind};
use super::writer::Writer;
use super::Progress;

/// One chat of the export, its messages still unparsed.
#[derive(Deserialize)]
struct Chat<'a> {
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<serde_json::Value>,
    #[serde(borrow, default, deserialize_with = "super::json::capped")]
    messages: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct ChatList<'a> {
    #[serde(borrow, default)]
    list: Vec<Chat<'a>>,
}

/// The file: a single chat (its fields at the top), or a full export.
#[derive(Deserialize)]
struct Export<'a> {
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<serde_json::Value>,
    #[serde(borrow, default, deserialize_with = "super::json::capped")]
    messages: Vec<&'a RawValue>,
    #[serde(borrow)]
    chats: Option<ChatList<'a>>,
    #[serde(borrow)]
    left_chats: Option<ChatList<'a>>,
}

/// A piece of a message's text: a string, or `{type, text}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Piece {
    Plain(String),
    Styled { text: String },
    Other(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Text {
    Plain(String),
    Pieces(Vec<Piece>),
    Other(serde::de::IgnoredAny),
}

impl Text {
    fn flat(self) -> String {
        match self {
            Text::Plain(s) => s,
            Text::Pieces(p) => p
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Plain(s) | Piece::Styled { text: s } => Some(s),
                    Piece::Other(_) => None,
                })
                .collect(),
            Text::Other(_) => String::new(),
        }
    }
}

#[derive(Deserialize)]
struct Reactor {
    from: Option<String>,
    from_id: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Reaction {
    emoji: Option<String>,
    document_id: Option<String>,
    #[serde(default)]
    recent: Vec<Reactor>,
}

#[derive(Deserialize)]
struct Message {
    id: Option<serde_json::Value>,
    #[serde(rename = "type")]
    kind: Option<String>,
    date: Option<String>,
    date_unixtime: Option<String>,
    from: Option<String>,
    from_id: Option<serde_json::Value>,
    actor: Option<String>,
    actor_id: Option<serde_json::Value>,
    action: Option<String>,
    #[serde(default)]
    members: Vec<Option<String>>,
    text: Option<Text>,
    reply_to_message_id: Option<serde_json::Value>,
    #[serde(default)]
    reactions: Vec<Reaction>,
}

/// Whether a JSON document is a Telegram export: a chat with messages, or a full export.
pub fn looks_like(bytes: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        messages: Option<Vec<serde::de::IgnoredAny>>,
        chats: Option<ChatsProbe>,
        guild: Option<serde::de::IgnoredAny>,
    }
    #[derive(Deserialize)]
    struct ChatsProbe {
        #[allow(dead_code)]
        list: Vec<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Probe>(bytes)
        .is_ok_and(|p| p.guild.is_none() && (p.messages.is_some() || p.chats.is_some()))
}

/// An id as text, whether the export wrote it as a number or a string.
fn id_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A person's key: `user123` whether the export wrote `"user123"` or `123`.
fn user_key(id: Option<&serde_json::Value>, name: Option<&str>) -> Option<String> {
    match id.and_then(id_text) {
        Some(s) if s.chars().all(|c| c.is_ascii_digit()) => Some(format!("user{s}")),
        Some(s) => Some(s),
        None => name.filter(|n| !n.is_empty()).map(|n| format!("name:{n}")),
    }
}

fn time(m: &Message) -> Option<DateTime<Utc>> {
    if let Some(t) = m
        .date_unixtime
        .as_deref()
        .and_then(|s| s.parse::<i64>().ok())
    {
        return DateTime::from_timestamp(t, 0);
    }
    // Old exports: the exporting computer's wall clock, taken as UTC.
    NaiveDateTime::parse_from_str(m.date.as_deref()?, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

/// Service actions that mean someone joined the chat; `members` for invitations.
const JOINS: &[&str] = &[
    "join_group_by_link",
    "join_group_by_request",
    "create_group",
    "create_channel",
];

/// Imports the export at `path` through `w`: every chat it holds.
pub async fn import(
    path: &Path,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let label = path.display().to_string();
    let bytes = super::read_file(path)?;
    let export: Export = serde_json::from_slice(&bytes)
        .map_err(|e| ImportError::json(&label, &e, "a Telegram Desktop export (result.json)"))?;
    let mut chats: Vec<Chat> = Vec::new();
    if !export.messages.is_empty() {
        chats.push(Chat {
            name: export.name,
            kind: export.kind,
            id: export.id,
            messages: export.messages,
        });
    }
    for list in [export.chats, export.left_chats].into_iter().flatten() {
        chats.extend(list.list);
    }
    progress.start(chats.iter().map(|c| c.messages.len() as u64).sum());
    for (i, chat) in chats.iter().enumerate() {
        import_chat(&label, i, chat, w, progress).await?;
    }
    Ok(())
}

async fn import_chat(
    label: &str,
    index: usize,
    chat: &Chat<'_>,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let chat_id = chat
        .id
        .as_ref()
        .and_then(id_text)
        .unwrap_or_else(|| format!("chat{index}"));
    let space = format!("chat:{chat_id}");
    let name = chat
        .name
        .clone()
        .unwrap_or_else(|| match chat.kind.as_deref() {
            Some(k) => format!("{k} {chat_id}"),
            None => format!("Chat {chat_id}"),
        });
    w.space(&Space {
        external_id: space.clone(),
        name,
        kind: SpaceKind::Channel,
    })
    .await?;
    let mut messages = Vec::new();
    // Invitations name people only by name: their key from their own messages.
    let mut key_by_name: HashMap<String, String> = HashMap::new();
    let mut joins: Vec<(String, String, DateTime<Utc>, String)> = Vec::new();
    for (n, raw) in chat.messages.iter().enumerate() {
        if progress.cancelled() {
            return Err(ImportError::Cancelled(label.into()));
        }
        progress.advance(1);
        let at = format!("{label} chat {chat_id} message {}", n + 1);
        let m: Message = match serde_json::from_str(raw.get()) {
            Ok(m) => m,
            Err(e) => {
                w.skip(at, format!("not a message: {e}"));
                continue;
            }
        };
        let Some(when) = time(&m) else {
            w.skip(at, "a message without a readable date");
            continue;
        };
        // Telegram numbers every message; a file stripped of ids is keyed by position.
        let id =
            m.id.as_ref()
                .and_then(id_text)
                .unwrap_or_else(|| format!("at{n}"));
        let mid = format!("{chat_id}:{id}");
        match m.kind.as_deref() {
            Some("message") => {
                let Some(author) = user_key(m.from_id.as_ref(), m.from.as_deref()) else {
                    w.skip(at, "a message without a sender");
                    continue;
                };
                if let Some(name) = m.from.as_ref() {
                    key_by_name.insert(name.clone(), author.clone());
                }
                w.person(&Person {
                    external_id: author.clone(),
                    name: m.from.clone(),
                    ..Person::default()
                })
                .await?;
                reactions(w, &space, &mid, when, &m.reactions).await?;
                messages.push(ChatMessage {
                    external_id: mid,
                    author,
                    space: space.clone(),
                    at: when,
                    reply_to: m
                        .reply_to_message_id
                        .as_ref()
                        .and_then(id_text)
                        .map(|p| format!("{chat_id}:{p}")),
                    starts_thread: false,
                    body: m.text.map(Text::flat),
                });
            }
            Some("service") => {
                let action = m.action.as_deref().unwrap_or_default();
                if action == "invite_members" {
                    for (k, who) in m.members.iter().flatten().enumerate() {
                        joins.push((format!("{mid}:join:{k}"), who.clone(), when, String::new()));
                    }
                } else if JOINS.contains(&action) {
                    let actor = user_key(m.actor_id.as_ref(), m.actor.as_deref());
                    if let (Some(key), Some(name)) = (actor, m.actor.clone()) {
                        joins.push((format!("{mid}:join"), name, when, key));
                    }
                } else {
                    w.skip(at, format!("service message ({action})"));
                }
            }
            other => w.skip(at, format!("{} record", other.unwrap_or("untyped"))),
        }
    }
    for (id, name, when, key) in joins {
        let key = if key.is_empty() {
            key_by_name
                .get(&name)
                .cloned()
                .unwrap_or(format!("name:{name}"))
        } else {
            key
        };
        w.person(&Person {
            external_id: key.clone(),
            name: Some(name),
            ..Person::default()
        })
        .await?;
        w.activity(&Act::join(id, key, Some(space.clone()), when))
            .await?;
    }
    for act in conversation::thread(messages) {
        w.activity(&act).await?;
    }
    Ok(())
}

/// One reaction per person the export names; counts without names cannot be told apart.
async fn reactions(
    w: &mut Writer,
    space: &str,
    message: &str,
    when: DateTime<Utc>,
    reactions: &[Reaction],
) -> Result<(), ImportError> {
    for r in reactions {
        let emoji = r
            .emoji
            .as_deref()
            .or(r.document_id.as_deref())
            .unwrap_or("?");
        for who in &r.recent {
            let Some(key) = user_key(who.from_id.as_ref(), who.from.as_deref()) else {
                continue;
            };
            w.person(&Person {
                external_id: key.clone(),
                name: who.from.clone(),
                ..Person::default()
            })
            .await?;
            w.activity(&Act::reaction(
                format!("{message}:react:{emoji}:{key}"),
                key,
                Some(space.to_string()),
                when,
                message,
            ))
            .await?;
        }
    }
    Ok(())
}
