//! Discord channels exported with DiscordChatExporter as JSON: one file per channel or
//! thread, or a folder of them. The guild is the source, each channel a space; a thread's
//! messages go to its parent channel, in the conversation its first message starts.
//! Messages are keyed by channel and id (ids repeat across channels and within a file), so
//! two overlapping exports of one channel keep each message once (its latest edit, when
//! both are imported together). A reply (`Reply`, or
//! `Default` with a `reference`) answers the message it names; other messages follow
//! [`super::conversation`]. `GuildMemberJoin` is a join; reactions with their users are
//! reactions; other system messages (pins, thread creation, calls) are not activity.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::conversation::{self, ChatMessage};
use super::error::ImportError;
use super::record::{Act, Person, Space, SpaceKind};
use super::writer::Writer;
use super::Progress;

#[derive(Deserialize, Clone)]
struct Guild {
    id: String,
    name: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Channel {
    id: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    category_id: Option<String>,
    category: Option<String>,
    name: Option<String>,
}

/// One channel's file, its messages still unparsed.
#[derive(Deserialize)]
struct ChannelFile<'a> {
    guild: Guild,
    channel: Channel,
    #[serde(borrow, deserialize_with = "super::json::capped")]
    messages: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Author {
    id: Option<String>,
    name: Option<String>,
    nickname: Option<String>,
    #[serde(default)]
    is_bot: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reference {
    message_id: Option<String>,
    channel_id: Option<String>,
}

#[derive(Deserialize)]
struct Emoji {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct Reaction {
    emoji: Option<Emoji>,
    #[serde(default)]
    users: Vec<Author>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    timestamp: Option<String>,
    timestamp_edited: Option<String>,
    content: Option<String>,
    author: Option<Author>,
    reference: Option<Reference>,
    #[serde(default)]
    reactions: Vec<Reaction>,
}

/// Whether a JSON document is a DiscordChatExporter channel export.
pub fn looks_like(bytes: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        guild: Option<serde::de::IgnoredAny>,
        channel: Option<serde::de::IgnoredAny>,
        messages: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Probe>(bytes)
        .is_ok_and(|p| p.guild.is_some() && p.channel.is_some() && p.messages.is_some())
}

/// The channel files of a folder (not its sub-folders), in name order.
fn channel_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = super::files::regular_files(dir)
        .into_iter()
        .filter(|n| n.ends_with(".json") && !n.contains('/'))
        .map(|n| dir.join(n))
        .collect();
    out.sort();
    out
}

/// Whether a folder holds DiscordChatExporter channel files.
pub fn dir_looks_like(dir: &Path) -> bool {
    channel_files(dir).iter().take(20).any(|p| {
        super::read_file_within(p, crate::limits::MAX_FILE_BYTES).is_ok_and(|b| looks_like(&b))
    })
}

/// The guild's name, for the source: from the first channel file.
pub fn guild_name(path: &Path) -> Result<String, ImportError> {
    let files = if path.is_dir() {
        channel_files(path)
    } else {
        vec![path.to_path_buf()]
    };
    for f in files.iter().take(20) {
        #[derive(Deserialize)]
        struct Head {
            guild: Guild,
        }
        let bytes = super::read_file(f)?;
        if let Ok(h) = serde_json::from_slice::<Head>(&bytes) {
            return Ok(match h.guild.name {
                Some(n) if h.guild.id != "0" => n,
                _ => "Direct Messages".into(),
            });
        }
    }
    let looked = if path.is_dir() {
        super::Looked::Folder(files.len())
    } else {
        super::Looked::Json
    };
    Err(super::not_an_export(path, looked))
}

/// Imports a channel file, or every channel file of a folder, through `w`.
pub async fn import(
    path: &Path,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let files = if path.is_dir() {
        channel_files(path)
    } else {
        vec![path.to_path_buf()]
    };
    progress.start(files.len() as u64);
    let mut messages = Vec::new();
    let mut guild: Option<String> = None;
    for f in &files {
        if progress.cancelled() {
            return Err(ImportError::Cancelled(path.to_path_buf()));
        }
        let label = f.display().to_string();
        let bytes = super::read_file(f)?;
        if path.is_dir() && !looks_like(&bytes) {
            w.skip(&label, "not a DiscordChatExporter channel file");
            progress.advance(1);
            continue;
        }
        let file: ChannelFile = serde_json::from_slice(&bytes).map_err(|e| {
            ImportError::json(&label, &e, "a DiscordChatExporter JSON export of a channel")
        })?;
        progress.advance(1);
        let first = guild.get_or_insert_with(|| file.guild.id.clone());
        if *first != file.guild.id {
            w.skip(
                &label,
                "a channel of another server: import each server on its own",
            );
            continue;
        }
        read_channel(&label, &file, w, &mut messages).await?;
    }
    for act in conversation::thread(latest_edits(messages)) {
        w.activity(&act).await?;
    }
    Ok(())
}

/// Each message once, in its latest edit where overlapping exports hold several versions.
fn latest_edits(messages: Vec<(ChatMessage, Option<DateTime<Utc>>)>) -> Vec<ChatMessage> {
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out: Vec<(ChatMessage, Option<DateTime<Utc>>)> = Vec::with_capacity(messages.len());
    for (m, edited) in messages {
        match at.get(&m.external_id) {
            Some(&i) if edited > out[i].1 => out[i] = (m, edited),
            Some(_) => {}
            None => {
                at.insert(m.external_id.clone(), out.len());
                out.push((m, edited));
            }
        }
    }
    out.into_iter().map(|(m, _)| m).collect()
}

/// Whether a channel is a thread (its messages belong to its parent channel).
fn is_thread(c: &Channel) -> bool {
    c.kind.as_deref().is_some_and(|k| k.contains("Thread"))
}

async fn read_channel(
    label: &str,
    file: &ChannelFile<'_>,
    w: &mut Writer,
    out: &mut Vec<(ChatMessage, Option<DateTime<Utc>>)>,
) -> Result<(), ImportError> {
    let c = &file.channel;
    let thread = is_thread(c);
    let (space_id, space_name) = match (&c.category_id, &c.category) {
        (Some(parent), name) if thread => (parent.clone(), name.clone()),
        _ => (c.id.clone(), c.name.clone()),
    };
    let space = format!("channel:{space_id}");
    w.space(&Space {
        external_id: space.clone(),
        name: space_name.unwrap_or_else(|| format!("channel {space_id}")),
        kind: SpaceKind::Channel,
    })
    .await?;
    // A thread's first message (in a forum, the one whose id is the thread's; else the
    // earliest) starts its conversation; the others answer it.
    let starter = if thread {
        thread_starter(&file.messages, &c.id)
    } else {
        None
    };
    for (n, raw) in file.messages.iter().enumerate() {
        let at = format!("{label} message {}", n + 1);
        let m: Message = match serde_json::from_str(raw.get()) {
            Ok(m) => m,
            Err(e) => {
                w.skip(at, format!("not a message: {e}"));
                continue;
            }
        };
        let when = m
            .timestamp
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc));
        let (Some(id), Some(when), Some(author)) = (m.id.clone(), when, m.author.as_ref()) else {
            w.skip(at, "a message without an id, a readable time or an author");
            continue;
        };
        let Some(who) = person(author) else {
            w.skip(at, "a message whose author has no id");
            continue;
        };
        w.person(&who).await?;
        let mid = format!("{}:{id}", c.id);
        match m.kind.as_deref().unwrap_or("Default") {
            "Default" | "Reply" | "ChatInputCommand" | "ContextMenuCommand" => {
                reactions(w, &space, &mid, when, &m.reactions).await?;
                let starts_thread = starter.as_deref() == Some(id.as_str());
                let reply_to = m
                    .reference
                    .as_ref()
                    .and_then(|r| {
                        let msg = r.message_id.as_ref()?;
                        Some(format!(
                            "{}:{msg}",
                            r.channel_id.as_deref().unwrap_or(&c.id)
                        ))
                    })
                    .or_else(|| starter.as_ref().map(|s| format!("{}:{s}", c.id)))
                    .filter(|p| *p != mid);
                let edited = m
                    .timestamp_edited
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&Utc));
                let message = ChatMessage {
                    external_id: mid,
                    author: who.external_id,
                    space: space.clone(),
                    at: when,
                    reply_to,
                    starts_thread,
                    body: m.content,
                };
                out.push((message, edited));
            }
            "GuildMemberJoin" => {
                w.activity(&Act::join(mid, who.external_id, Some(space.clone()), when))
                    .await?
            }
            other => w.skip(at, format!("system message ({other})")),
        }
    }
    Ok(())
}

/// The id of a thread's first message: the message with the thread's own id (a forum
/// post), else the earliest one.
fn thread_starter(messages: &[&RawValue], thread: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Head {
        id: Option<String>,
        timestamp: Option<String>,
    }
    let heads: Vec<(String, DateTime<Utc>)> = messages
        .iter()
        .filter_map(|m| serde_json::from_str::<Head>(m.get()).ok())
        .filter_map(|h| {
            let t = DateTime::parse_from_rfc3339(h.timestamp.as_deref()?).ok()?;
            Some((h.id?, t.with_timezone(&Utc)))
        })
        .collect();
    if heads.iter().any(|(id, _)| id == thread) {
        return Some(thread.to_string());
    }
    heads.into_iter().min_by_key(|(_, t)| *t).map(|(id, _)| id)
}

fn person(a: &Author) -> Option<Person> {
    Some(Person {
        external_id: format!("user:{}", a.id.as_ref()?),
        handle: a.name.clone(),
        name: a.nickname.clone().or_else(|| a.name.clone()),
        is_bot: a.is_bot,
        ..Person::default()
    })
}

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
            .as_ref()
            .and_then(|e| {
                e.id.clone()
                    .filter(|i| !i.is_empty())
                    .or_else(|| e.name.clone())
            })
            .unwrap_or_else(|| "?".into());
        for u in &r.users {
            let Some(who) = person(u) else { continue };
            w.person(&who).await?;
            w.activity(&Act::reaction(
                format!("{message}:react:{emoji}:{}", who.external_id),
                who.external_id,
                Some(space.to_string()),
                when,
                message,
            ))
            .await?;
        }
    }
    Ok(())
}
