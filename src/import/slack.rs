//! Slack workspace exports (the ZIP, or the folder it unpacks to): `users.json`,
//! `channels.json` (and `groups.json`, `mpims.json`, `dms.json`), and one folder per
//! conversation of `YYYY-MM-DD.json` day files.
//!
//! Messages become posts, thread replies (`thread_ts` ≠ `ts`) replies to their root, each
//! user of a reaction a reaction, `channel_join` a join. A channel with no thread at all
//! (an export from before threads, or a channel used as a chat) follows the conversation
//! rule of chats (`conversation`). Bots are flagged, not members.
//! Edited messages are one activity; deleted ones (tombstones) none.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::conversation::{self, ChatMessage};
use super::error::ImportError;
use super::files::ExportFiles;
use super::record::{Act, Person, Space, SpaceKind};
use super::writer::Writer;
use super::Progress;
use crate::model::ActivityKind;

#[derive(Deserialize)]
struct User {
    id: String,
    name: Option<String>,
    real_name: Option<String>,
    team_id: Option<String>,
    #[serde(default)]
    is_bot: bool,
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    email: Option<String>,
    real_name: Option<String>,
    display_name: Option<String>,
}

#[derive(Deserialize)]
struct Channel {
    id: String,
    name: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    subtype: Option<String>,
    user: Option<String>,
    bot_id: Option<String>,
    username: Option<String>,
    ts: Option<String>,
    thread_ts: Option<String>,
    text: Option<String>,
    #[serde(default)]
    reactions: Vec<Reaction>,
}

#[derive(Deserialize)]
struct Reaction {
    name: String,
    #[serde(default)]
    users: Vec<String>,
}

/// Whether `files` look like a Slack export.
pub fn looks_like(files: &ExportFiles) -> bool {
    files.has("users.json") && files.has("channels.json")
}

/// The workspace's name for the source: its team id, else `fallback`.
pub fn workspace_name(files: &mut ExportFiles, fallback: &str) -> Result<String, ImportError> {
    let users: Vec<User> = read_json(files, "users.json", "an array of Slack users")?;
    Ok(users
        .iter()
        .find_map(|u| u.team_id.clone())
        .unwrap_or_else(|| fallback.to_string()))
}

fn read_json<T: serde::de::DeserializeOwned>(
    files: &mut ExportFiles,
    name: &str,
    expected: &str,
) -> Result<T, ImportError> {
    let bytes = files.read(name)?;
    serde_json::from_slice(&bytes).map_err(|e| ImportError::json(&files.label(name), &e, expected))
}

fn person_of(u: &User) -> Person {
    let profile = u.profile.as_ref();
    let name = [
        profile.and_then(|p| p.real_name.clone()),
        u.real_name.clone(),
        profile.and_then(|p| p.display_name.clone()),
    ]
    .into_iter()
    .flatten()
    .find(|n| !n.trim().is_empty());
    // Slack's display name is the name a member chose to go by.
    let preferred_name = profile
        .and_then(|p| p.display_name.clone())
        .filter(|d| !d.trim().is_empty() && Some(d) != name.as_ref());
    Person {
        external_id: u.id.clone(),
        handle: u.name.clone(),
        name,
        preferred_name,
        email: profile.and_then(|p| p.email.clone()),
        is_bot: u.is_bot || u.id == "USLACKBOT",
        ..Person::default()
    }
}

/// Parses a Slack `ts` ("1433558207.760577") into a time.
pub fn parse_ts(ts: &str) -> Option<DateTime<Utc>> {
    let (secs, frac) = ts.split_once('.').unwrap_or((ts, "0"));
    let micros: u32 = format!("{frac:0<6}").get(..6)?.parse().ok()?;
    DateTime::from_timestamp(secs.parse().ok()?, micros * 1000)
}

/// Imports everything in the export through `w`.
pub async fn import(
    files: &mut ExportFiles,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let users: Vec<User> = read_json(files, "users.json", "an array of Slack users")?;
    for u in &users {
        w.person(&person_of(u)).await?;
    }
    let conversations = conversations(files)?;
    // Day files by folder, found in one pass (matching each channel against every name
    // took 32 s on 80,000 files).
    let mut by_folder: std::collections::HashMap<&str, Vec<&String>> =
        std::collections::HashMap::new();
    let names = files.names();
    for n in names.iter().filter(|n| n.ends_with(".json")) {
        if let Some((folder, _)) = n.split_once('/') {
            by_folder.entry(folder).or_default().push(n);
        }
    }
    let total: usize = conversations
        .iter()
        .map(|(_, folder)| by_folder.get(folder.as_str()).map_or(0, Vec::len))
        .sum();
    progress.start(total as u64);
    for (channel, folder) in &conversations {
        let mut days = by_folder.get(folder.as_str()).cloned().unwrap_or_default();
        if days.is_empty() {
            continue;
        }
        days.sort();
        w.space(&Space {
            external_id: channel.id.clone(),
            name: folder.clone(),
            kind: SpaceKind::Channel,
        })
        .await?;
        let mut messages = Vec::new();
        for name in days {
            if progress.cancelled() {
                return Err(ImportError::Cancelled(files.label("").into()));
            }
            read_day(files, w, name, &mut messages)?;
            progress.advance(1);
        }
        import_channel(w, &channel.id, messages).await?;
    }
    Ok(())
}

/// Every conversation listed, with the folder that holds its day files.
fn conversations(files: &mut ExportFiles) -> Result<Vec<(Channel, String)>, ImportError> {
    let mut out = Vec::new();
    for list in ["channels.json", "groups.json", "mpims.json", "dms.json"] {
        if !files.has(list) {
            continue;
        }
        let channels: Vec<Channel> = read_json(files, list, "an array of Slack conversations")?;
        for c in channels {
            let folder = c
                .name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| c.id.clone());
            out.push((c, folder));
        }
    }
    Ok(out)
}

/// Reads one day file's messages into `out`, each with where it was read; a day file
/// that cannot be read is skipped with its reason.
fn read_day(
    files: &mut ExportFiles,
    w: &mut Writer,
    name: &str,
    out: &mut Vec<(String, Message)>,
) -> Result<(), ImportError> {
    let label = files.label(name);
    let bytes = match files.read(name) {
        Ok(b) => b,
        Err(e @ ImportError::Refused { .. }) => {
            w.skip(label, format!("day file left out: {e}"));
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let messages = match super::json::records(&bytes, &label, "an array of Slack messages") {
        Ok(m) => m,
        Err(ImportError::Malformed {
            line,
            column,
            message,
            ..
        }) => {
            let at = line
                .map(|l| format!(" line {l}, column {}", column.unwrap_or(0)))
                .unwrap_or_default();
            w.skip(
                format!("{label}{at}"),
                format!("day file left out: {message}"),
            );
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    for (i, value) in messages.into_iter().enumerate() {
        let at = format!("{label} message {}", i + 1);
        match serde_json::from_str::<Message>(value.get()) {
            Ok(m) => out.push((at, m)),
            Err(e) => w.skip(at, format!("not a Slack message: {e}")),
        }
    }
    Ok(())
}

/// A channel's messages, read: its threads where it has any (a message whose `thread_ts`
/// names another), else the conversation rule of chats (`conversation::thread`), as in a
/// channel from before Slack had threads.
async fn import_channel(
    w: &mut Writer,
    channel: &str,
    messages: Vec<(String, Message)>,
) -> Result<(), ImportError> {
    let threaded = messages
        .iter()
        .any(|(_, m)| m.thread_ts.is_some() && m.thread_ts != m.ts);
    let mut chat = Vec::new();
    let mut reactions = Vec::new();
    for (at, m) in &messages {
        let Some(act) = read_message(w, channel, m, at).await? else {
            continue;
        };
        if threaded || act.kind != ActivityKind::Post {
            w.activity(&act).await?;
            let root = act.root.as_deref().unwrap_or(&act.external_id);
            write_reactions(w, channel, (&act.external_id, act.at), root, &m.reactions).await?;
            continue;
        }
        reactions.push((act.external_id.clone(), act.at, m.reactions.as_slice()));
        chat.push(ChatMessage {
            external_id: act.external_id,
            author: act.author,
            space: channel.to_string(),
            at: act.at,
            reply_to: None,
            starts_thread: false,
            body: m.text.clone(),
        });
    }
    let mut root_of = std::collections::HashMap::new();
    // The writer keeps the bodies only where the source keeps them.
    for act in conversation::thread(chat) {
        root_of.insert(
            act.external_id.clone(),
            act.root.clone().unwrap_or(act.external_id.clone()),
        );
        w.activity(&act).await?;
    }
    for (id, at, list) in reactions {
        let root = root_of.get(&id).map_or(id.as_str(), String::as_str);
        write_reactions(w, channel, (&id, at), root, list).await?;
    }
    Ok(())
}

/// What a message's subtype makes of it: an activity kind, or a reason to leave it out.
fn kind_of(subtype: Option<&str>) -> Result<ActivityKind, &'static str> {
    match subtype {
        None
        | Some("file_share" | "me_message" | "bot_message" | "file_comment" | "thread_broadcast") => {
            Ok(ActivityKind::Post)
        }
        Some("channel_join" | "group_join") => Ok(ActivityKind::Join),
        Some("tombstone" | "message_deleted") => Err("deleted message"),
        Some(_) => Err("system message"),
    }
}

/// A message read into an activity, or `None` (skipped with its reason).
async fn read_message(
    w: &mut Writer,
    channel: &str,
    m: &Message,
    at: &str,
) -> Result<Option<Act>, ImportError> {
    let Some(ts) = m.ts.as_deref() else {
        w.skip(at, "message without a ts (time stamp)");
        return Ok(None);
    };
    let Some(when) = parse_ts(ts) else {
        w.skip(at, format!("ts '{ts}' is not a Slack time stamp"));
        return Ok(None);
    };
    let mut kind = match kind_of(m.subtype.as_deref()) {
        Ok(k) => k,
        Err(why) => {
            w.skip(
                at,
                format!("{why} ({})", m.subtype.as_deref().unwrap_or("")),
            );
            return Ok(None);
        }
    };
    let Some(author) = author(w, m).await? else {
        w.skip(at, "message with neither user nor bot_id");
        return Ok(None);
    };
    let external_id = format!("{channel}:{ts}");
    let root = m
        .thread_ts
        .as_deref()
        .filter(|t| *t != ts)
        .map(|t| format!("{channel}:{t}"));
    if root.is_some() && kind == ActivityKind::Post {
        kind = ActivityKind::Reply;
    }
    let title = (kind == ActivityKind::Post)
        .then(|| m.text.as_deref().and_then(super::record::opening_line))
        .flatten();
    Ok(Some(Act {
        external_id,
        author,
        space: Some(channel.to_string()),
        kind,
        at: when,
        root: root.clone(),
        parent: root,
        title,
        body: m.text.clone().filter(|_| w.keeps_bodies()),
    }))
}

/// Each user of each reaction to the message `(id, at)`, as a reaction in the thread
/// started by `root`.
async fn write_reactions(
    w: &mut Writer,
    channel: &str,
    (post, at): (&str, DateTime<Utc>),
    root: &str,
    reactions: &[Reaction],
) -> Result<(), ImportError> {
    for r in reactions {
        for user in &r.users {
            let reaction = Act {
                external_id: format!("{post}:reaction:{}:{user}", r.name),
                author: user.clone(),
                space: Some(channel.to_string()),
                kind: ActivityKind::Reaction,
                at,
                root: Some(root.to_string()),
                parent: Some(post.to_string()),
                title: None,
                body: None,
            };
            w.activity(&reaction).await?;
        }
    }
    Ok(())
}

/// The message's author: its user, or a bot identity for messages posted by an app.
async fn author(w: &mut Writer, m: &Message) -> Result<Option<String>, ImportError> {
    if let Some(user) = &m.user {
        return Ok(Some(user.clone()));
    }
    let Some(bot) = &m.bot_id else {
        return Ok(None);
    };
    let p = Person {
        external_id: format!("bot:{bot}"),
        handle: m.username.clone(),
        name: m.username.clone(),
        is_bot: true,
        ..Person::default()
    };
    w.person(&p).await?;
    Ok(Some(p.external_id))
}

#[cfg(test)]
mod tests {
    use super::parse_ts;

    #[test]
    fn slack_time_stamps_parse_to_microseconds() {
        let t = parse_ts("1433558207.760577").expect("valid");
        assert_eq!(t.timestamp(), 1433558207);
        assert_eq!(t.timestamp_subsec_micros(), 760577);
        assert_eq!(
            parse_ts("1433558207").map(|t| t.timestamp()),
            Some(1433558207)
        );
        assert_eq!(parse_ts("soon"), None);
    }
}
