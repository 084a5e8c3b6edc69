//! Forgetting an erased member's words wherever sync wrote them as free text: the reasons
//! it held records back for, and the reports of its last runs.

use std::borrow::Cow;

use regex::{Regex, RegexBuilder};
use serde_json::Value;

use crate::sync::validate::SHOWN_CHARS;

/// The shortest text looked for: shorter ones (initials, a two-letter handle) would wipe
/// out common words in every reason.
const MIN_CHARS: usize = 3;

/// The compiled size a search for long texts may take; past it (notes of megabytes), only
/// the short texts and every text's opening are looked for.
const MAX_PATTERN_BYTES: usize = 64 << 20;

/// Every personal text of one erased member, found case-blind and replaced by their
/// placeholder.
pub(super) struct Forget {
    pattern: Option<Regex>,
    placeholder: String,
}

impl Forget {
    /// Looks for `texts` (and, as a reason quotes only a value's first characters, for each
    /// long text's opening), to be replaced by `placeholder`.
    pub(super) fn new(texts: impl IntoIterator<Item = String>, placeholder: String) -> Forget {
        let mut needles: Vec<String> = Vec::new();
        for text in texts {
            let text = text.trim();
            if text.chars().count() < MIN_CHARS {
                continue;
            }
            let opening: String = text.chars().take(SHOWN_CHARS - 1).collect();
            needles.extend([opening, text.to_string()]);
        }
        // Longest first, so a whole text wins over its opening.
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        needles.dedup();
        let build = |needles: &[String]| {
            let alternatives: Vec<String> = needles.iter().map(|n| regex::escape(n)).collect();
            RegexBuilder::new(&alternatives.join("|"))
                .case_insensitive(true)
                .size_limit(MAX_PATTERN_BYTES)
                .build()
                .ok()
        };
        let pattern = match needles.is_empty() {
            true => None,
            false => build(&needles).or_else(|| {
                let short: Vec<String> = needles
                    .into_iter()
                    .filter(|n| n.chars().count() < SHOWN_CHARS)
                    .collect();
                build(&short)
            }),
        };
        Forget {
            pattern,
            placeholder,
        }
    }

    /// `text` with every personal text replaced.
    pub(super) fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match &self.pattern {
            Some(p) => p.replace_all(text, regex::NoExpand(&self.placeholder)),
            None => Cow::Borrowed(text),
        }
    }

    /// Replaces every personal text in the strings of `value`; whether any was.
    pub(super) fn json(&self, value: &mut Value) -> bool {
        match value {
            Value::String(s) => match self.text(s) {
                Cow::Owned(new) => {
                    *s = new;
                    true
                }
                Cow::Borrowed(_) => false,
            },
            Value::Array(items) => items
                .iter_mut()
                .fold(false, |changed, v| self.json(v) | changed),
            Value::Object(map) => map
                .values_mut()
                .fold(false, |changed, v| self.json(v) | changed),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_in_any_case_and_by_their_opening() {
        let notes = "Lives at 12 Main Street, Springfield, near the old mill by the river";
        let forget = Forget::new(
            [
                "Fatou Ndiaye".into(),
                "fatou@example.org".into(),
                notes.into(),
                "Al".into(),
            ],
            "Erased member 123".into(),
        );
        let shown: String = notes.chars().take(SHOWN_CHARS - 1).collect();
        let reason = format!("members.role must be a role, not \"{shown}…\" (FATOU@example.org)");
        assert_eq!(
            forget.text(&reason),
            "members.role must be a role, not \"Erased member 123…\" (Erased member 123)"
        );
        assert_eq!(forget.text(notes), "Erased member 123");
        assert_eq!(forget.text("Also Al"), "Also Al", "too short to look for");
        let mut report = serde_json::json!({"skipped": [{"reason": "by Fatou Ndiaye"}], "n": 1});
        assert!(forget.json(&mut report));
        assert_eq!(report["skipped"][0]["reason"], "by Erased member 123");
        assert!(!forget.json(&mut report), "nothing left to replace");
    }
}
