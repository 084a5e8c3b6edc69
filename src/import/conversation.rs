//! Conversations in chats without threads: the one rule that turns a stream of chat
//! messages (WhatsApp, and Telegram or Discord messages that reply to nothing) into the
//! posts and replies health's response times and Today's unanswered questions read.
//!
//! The rule: in a space, a message that comes after [`QUIET_GAP_SECONDS`] or more of quiet
//! starts a conversation (a post); the messages after it, until the next such gap, are
//! replies to it. A message that names what it answers (a Telegram reply, a Discord
//! reference) is a reply to that message in that message's conversation: real replies win.
//! Messages are placed in time order; the file order breaks ties, so the same file always
//! gives the same threads. A conversation's title is its opening line, so the question rule
//! (`health::asks`) can read it even where bodies are not kept.
//!
//! Slack channels without threads (exports from before threads, or channels used as chats)
//! follow the same rule: `slack` hands such a channel's messages here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::record::Act;

/// Three hours without a message in a space ends its conversation.
pub const QUIET_GAP_SECONDS: i64 = 3 * 3600;

/// A chat message before it is placed in a conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    /// The source's id for it, unique within the source.
    pub external_id: String,
    /// The author's person id.
    pub author: String,
    /// The space's id.
    pub space: String,
    /// When it was sent.
    pub at: DateTime<Utc>,
    /// The message it explicitly answers, if the format says.
    pub reply_to: Option<String>,
    /// The format says it starts a thread (a Discord thread's first message): a post
    /// whatever the gap, and the space's open conversation goes on beside it.
    pub starts_thread: bool,
    /// Its text (the writer keeps it only when the source keeps bodies; a post's opening
    /// line is kept as its title, [`super::record::opening_line`]).
    pub body: Option<String>,
}

/// Where a space's current conversation stands.
struct Open {
    root: String,
    last: DateTime<Utc>,
}

/// Places `messages` in conversations by the rule above and returns them as activities, in
/// time order.
pub fn thread(mut messages: Vec<ChatMessage>) -> Vec<Act> {
    // A stable sort: equal times keep the file's order.
    messages.sort_by_key(|m| m.at);
    let mut open: HashMap<String, Open> = HashMap::new();
    let mut root_of: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(messages.len());
    for m in messages {
        let explicit = m.reply_to.as_ref().filter(|p| **p != m.external_id);
        let reply_to = match explicit {
            _ if m.starts_thread => None,
            // The parent's conversation where this file holds it; else the parent itself
            // (an earlier import may hold it; the writer unlinks it if none does).
            Some(parent) => {
                let root = root_of
                    .get(parent)
                    .cloned()
                    .unwrap_or_else(|| parent.clone());
                Some((root, parent.clone()))
            }
            None => match open.get(&m.space) {
                Some(o) if (m.at - o.last).num_seconds() < QUIET_GAP_SECONDS => {
                    Some((o.root.clone(), o.root.clone()))
                }
                _ => None,
            },
        };
        let root = reply_to
            .as_ref()
            .map_or_else(|| m.external_id.clone(), |(r, _)| r.clone());
        root_of.insert(m.external_id.clone(), root.clone());
        match open.get_mut(&m.space) {
            Some(o) if reply_to.is_some() => o.last = o.last.max(m.at),
            _ if reply_to.is_none() && !m.starts_thread => {
                open.insert(m.space.clone(), Open { root, last: m.at });
            }
            _ => {}
        }
        let title = m.body.as_deref().and_then(super::record::opening_line);
        out.push(Act::message(
            m.external_id,
            m.author,
            Some(m.space),
            m.at,
            reply_to,
            title,
            m.body,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ActivityKind;
    use chrono::TimeZone;

    fn msg(id: &str, who: &str, minute: i64, reply_to: Option<&str>) -> ChatMessage {
        ChatMessage {
            external_id: id.into(),
            author: who.into(),
            space: "group".into(),
            at: Utc.timestamp_opt(1_700_000_000 + minute * 60, 0).unwrap(),
            reply_to: reply_to.map(String::from),
            starts_thread: false,
            body: None,
        }
    }

    fn shape(acts: &[Act]) -> Vec<(String, ActivityKind, Option<String>)> {
        acts.iter()
            .map(|a| (a.external_id.clone(), a.kind, a.parent.clone()))
            .collect()
    }

    #[test]
    fn a_quiet_gap_starts_a_conversation_and_the_rest_reply_to_it() {
        let acts = thread(vec![
            msg("a", "ana", 0, None),
            msg("b", "ben", 5, None),
            msg("c", "ana", 10, None),
            // 3 h 10 min after the last message: a new conversation.
            msg("d", "ben", 200, None),
            msg("e", "cai", 201, None),
        ]);
        let post = |id: &str| (id.to_string(), ActivityKind::Post, None);
        let reply =
            |id: &str, to: &str| (id.to_string(), ActivityKind::Reply, Some(to.to_string()));
        assert_eq!(
            shape(&acts),
            [
                post("a"),
                reply("b", "a"),
                reply("c", "a"),
                post("d"),
                reply("e", "d")
            ]
        );
    }

    #[test]
    fn real_replies_win_and_time_order_decides_not_the_file() {
        let acts = thread(vec![
            msg("late", "ana", 300, Some("first")),
            msg("first", "ben", 0, None),
            msg("missing-parent", "cai", 301, Some("not-in-file")),
        ]);
        assert_eq!(acts[0].external_id, "first");
        assert_eq!(acts[1].kind, ActivityKind::Reply);
        assert_eq!(acts[1].root.as_deref(), Some("first"));
        assert_eq!(acts[2].parent.as_deref(), Some("not-in-file"));
    }
}
