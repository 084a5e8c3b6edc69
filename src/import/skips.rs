//! Why records were left out, in plain words and grouped: the importers give each skip
//! its own reason (kept for the detail list); this sorts them into kinds a facilitator can
//! read at a glance ("37 channel events (topic changes, pins) are not activity").

use serde::Serialize;
use ts_rs::TS;

use super::record::Skip;

/// A kind of skipped record. The shells word each kind in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SkipKind {
    /// Channel or group events: topic changes, pins, calls, system lines.
    Event,
    /// Deleted messages or posts.
    Deleted,
    /// Private conversations, left out on purpose.
    Private,
    /// Records that say nobody wrote them.
    NoAuthor,
    /// Records without a date Tend can read.
    NoDate,
    /// The last message of a file that looks truncated.
    Truncated,
    /// Whole files of an export that could not be read.
    FileLeftOut,
    /// Messages larger than Tend reads.
    TooLarge,
    /// Records that are not messages Tend can read.
    Unreadable,
    /// Anything else (the detail says what).
    Other,
}

impl SkipKind {
    /// The kind of an importer's reason.
    pub fn of(reason: &str) -> SkipKind {
        let r = reason.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| r.contains(w));
        if has(&["truncated"]) {
            SkipKind::Truncated
        } else if has(&[
            "file left out",
            "channel file",
            "lines before the first",
            "not valid json",
        ]) {
            SkipKind::FileLeftOut
        } else if has(&[
            "system message",
            "service message",
            "small action",
            "whisper",
        ]) {
            SkipKind::Event
        } else if has(&["deleted"]) {
            SkipKind::Deleted
        } else if has(&["private conversation"]) {
            SkipKind::Private
        } else if has(&[
            "sender",
            "author",
            "neither user",
            "anonymous",
            "original poster",
        ]) {
            SkipKind::NoAuthor
        } else if has(&["date", "time stamp", "created_at", "join time", "a ts"]) {
            SkipKind::NoDate
        } else if has(&["larger than"]) {
            SkipKind::TooLarge
        } else if has(&["not a", "not an", "record", "no posts", "without id"]) {
            SkipKind::Unreadable
        } else {
            SkipKind::Other
        }
    }

    /// The kind in English, for `count` records (the command line's words).
    pub fn describe(self, count: u64) -> String {
        let s = if count == 1 { "" } else { "s" };
        let are = if count == 1 { "is" } else { "are" };
        match self {
            SkipKind::Event => format!("{count} channel event{s} (system joins, topic changes, pins, calls) {are} not activity"),
            SkipKind::Deleted => format!("{count} deleted message{s} left out"),
            SkipKind::Private => format!("{count} private conversation message{s} left out"),
            SkipKind::NoAuthor => format!("{count} record{s} without an author"),
            SkipKind::NoDate => format!("{count} record{s} without a readable date"),
            SkipKind::Truncated => format!("{count} message{s} cut off at the end of a truncated file"),
            SkipKind::FileLeftOut => format!("{count} file{s} or part{s} of the export could not be read"),
            SkipKind::TooLarge => format!("{count} message{s} too large to read"),
            SkipKind::Unreadable => format!("{count} record{s} that {are} not messages Tend can read"),
            SkipKind::Other => format!("{count} other record{s}"),
        }
    }

    /// Whether it means part of the export was not read at all (`--strict` fails on it).
    pub fn is_loss(self) -> bool {
        matches!(self, SkipKind::Truncated | SkipKind::FileLeftOut)
    }
}

/// How many records of one kind were left out, with a first example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SkipGroup {
    /// The kind.
    pub kind: SkipKind,
    /// How many records.
    #[ts(type = "number")]
    pub count: u64,
    /// The first one's place (relative to what was imported).
    pub example: String,
}

/// The skips grouped by kind, most common first; the writer's "N more records" entries
/// count for N.
pub fn group(skips: &[Skip]) -> Vec<SkipGroup> {
    let mut out: Vec<SkipGroup> = Vec::new();
    for s in skips {
        let n = s
            .location
            .strip_suffix(" more records")
            .or_else(|| s.location.strip_suffix(" more record"))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(1);
        let kind = SkipKind::of(&s.reason);
        match out.iter_mut().find(|g| g.kind == kind) {
            Some(g) => g.count += n,
            None => out.push(SkipGroup {
                kind,
                count: n,
                example: s.location.clone(),
            }),
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_fall_into_plain_kinds_and_counts_add_up() {
        let skip = |l: &str, r: &str| Skip {
            location: l.into(),
            reason: r.into(),
        };
        let groups = group(&[
            skip("a line 1", "system message (pinned_item)"),
            skip("a line 2", "system message (channel_topic)"),
            skip("5 more records", "system message (channel_topic)"),
            skip("b", "message with neither user nor bot_id"),
            skip(
                "c",
                "it is cut off at the end of the file: the file looks truncated",
            ),
        ]);
        assert_eq!(groups[0].kind, SkipKind::Event);
        assert_eq!(groups[0].count, 7);
        assert_eq!(groups.len(), 3);
        assert!(groups
            .iter()
            .any(|g| g.kind == SkipKind::Truncated && g.kind.is_loss()));
        assert_eq!(
            SkipKind::of("no readable Date: and no date on the From line"),
            SkipKind::NoDate
        );
        assert!(SkipKind::Event
            .describe(37)
            .starts_with("37 channel events"));
    }
}
