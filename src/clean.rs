//! Names and titles from outside made safe to keep and to show, by one rule wherever they
//! come from (an export, a member edit, a teammate's laptop, a laptop's own name): in
//! Unicode's composed form (NFC), without direction overrides or invisible marks, with at
//! most [`MAX_MARKS_PER_BASE`] combining marks on any one letter (a name of thousands of
//! stacked accents took the typesetter to gigabytes) and [`MAX_CLUSTER_CHARS`] characters
//! in what a reader sees as one letter or emoji, and never made of invisible characters
//! alone. The same mark cap bounds every piece of text put into a document
//! ([`for_document`]), names kept before this rule existed included.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::limits::{MAX_CLUSTER_CHARS, MAX_MARKS_PER_BASE};

/// Why a name is refused: nothing of it would show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a name of invisible characters only (spaces, zero-width or direction marks, controls)")]
pub struct Invisible;

/// A name as Tend keeps it, and what cleaning changed beyond its form and spacing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The name.
    pub text: String,
    /// It was longer than the limit and was cut, with "…".
    pub cut: bool,
    /// Marks past [`MAX_MARKS_PER_BASE`] on a letter, direction overrides or invisible
    /// marks were left out.
    pub tamed: bool,
}

/// `raw` as a name of at most `max` characters: composed (NFC), direction overrides and
/// invisible marks ([`crate::limits::is_invisible_mark`]) left out, combining marks capped
/// per letter, controls and runs of spaces made one space, trimmed, cut to `max` with "…".
/// A name with nothing visible left is refused.
pub fn name(raw: &str, max: usize) -> Result<Name, Invisible> {
    let mut stripped = false;
    let kept: String = raw
        .chars()
        .filter(|c| {
            let invisible = crate::limits::is_invisible_mark(*c);
            stripped |= invisible;
            !invisible
        })
        .nfc()
        .collect();
    let capped = cap_marks(&kept);
    let tamed = stripped || matches!(capped, Cow::Owned(_));
    let mut text = capped
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if !text.chars().any(is_visible) {
        return Err(Invisible);
    }
    // Cut with room for the "…", so a name cleaned twice is the same name.
    let cut = text.chars().nth(max).is_some()
        && crate::limits::truncate_chars(&mut text, max.saturating_sub(1));
    Ok(Name { text, cut, tamed })
}

/// A title (of a thread, a conversation's opening line) of at most `max` characters: the
/// same rule as [`name`]; a title with nothing visible is no title.
pub fn title(raw: &str, max: usize) -> Option<String> {
    name(raw, max).ok().map(|n| n.text)
}

/// A name typed by hand (a member's name, a laptop's name) under `field`, by the same rule
/// as [`name`]: an empty one is none; one with nothing visible, or longer than `max`
/// characters, is refused (the value shown in the error is itself cleaned and shortened).
pub fn typed(field: &'static str, raw: &str, max: usize) -> crate::Result<Option<String>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let refused = |expected: &'static str| {
        let mut value: String = for_document(&crate::limits::strip_bidi_controls(raw))
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        crate::limits::truncate_chars(&mut value, 40);
        crate::Error::InvalidValue {
            field,
            value,
            expected,
        }
    };
    match name(raw, max) {
        Err(_) => Err(refused(
            "a name with letters, not only invisible characters",
        )),
        Ok(n) if n.cut => Err(refused(
            "a name of at most 200 characters (60 for a laptop's name)",
        )),
        Ok(n) => Ok(Some(n.text)),
    }
}

/// Why a name kept elsewhere (a teammate's record) is not one Tend would keep, if it is
/// not: invisible only, longer than `max`, or with what [`name`] leaves out. A name that
/// differs only in form or spacing is taken as it is.
pub fn refusal(raw: &str, max: usize) -> Option<String> {
    // One more: names cut before this rule had "…" past the limit.
    if raw.chars().count() > max + 1 {
        return Some(format!("a name longer than {max} characters"));
    }
    match name(raw, usize::MAX) {
        Err(e) => Some(e.to_string()),
        Ok(n) if n.tamed => Some(format!(
            "a name with direction overrides, invisible marks or more than \
             {MAX_MARKS_PER_BASE} combining marks on one letter"
        )),
        Ok(_) => None,
    }
}

/// Any text on its way into a document (a name kept before [`name`] existed, a title, a
/// note, a template's words): combining marks capped per letter, so whatever the text, the
/// typesetter shapes letters of bounded size. Text within the rule is borrowed as it is.
pub fn for_document(text: &str) -> Cow<'_, str> {
    cap_marks(text)
}

/// `text` with at most [`MAX_MARKS_PER_BASE`] marks after each letter (combining marks
/// and the invisible characters that attach to a letter as marks do: joiners, variation
/// selectors, tags; marks before any letter count as one letter's) and at most
/// [`MAX_CLUSTER_CHARS`] characters in any grapheme cluster (emoji joined by zero-width
/// joiners are one cluster). Text within both is borrowed as it is.
fn cap_marks(text: &str) -> Cow<'_, str> {
    if kept_chars(text).all(|(_, keep)| keep) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        kept_chars(text)
            .filter_map(|(c, keep)| keep.then_some(c))
            .collect(),
    )
}

/// Each character of `text`, and whether [`cap_marks`] keeps it.
fn kept_chars(text: &str) -> impl Iterator<Item = (char, bool)> + '_ {
    let mut run = 0usize;
    text.graphemes(true)
        .flat_map(|cluster| cluster.chars().enumerate())
        .map(move |(i, c)| {
            run = if is_mark(c) { run + 1 } else { 0 };
            (c, i < MAX_CLUSTER_CHARS && run <= MAX_MARKS_PER_BASE)
        })
}

/// A character that attaches to the letter before it: a combining mark (accents, vowel
/// signs, viramas) or an invisible one (a joiner, a variation selector, a tag).
fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c) || is_default_ignorable(c)
}

/// Whether `c` shows: not a space, a control, an invisible character or a mark alone.
pub fn is_visible(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || is_mark(c))
}

/// Unicode's `Default_Ignorable_Code_Point`: characters a renderer shows as nothing
/// (zero-width spaces and joiners, direction marks, variation selectors, the Hangul
/// fillers, tags). The property is stable; the ranges are those of Unicode 15.
fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_composed_and_real_scripts_keep_their_marks() {
        // "é" as e + U+0301 becomes the one character U+00E9.
        let n = name("Ame\u{0301}lie", 200).expect("visible");
        assert_eq!(n.text, "Amélie");
        assert_eq!(n.text.chars().count(), 6);
        assert!(!n.cut && !n.tamed);
        for real in [
            "Nguyễn Văn An",
            "Nguye\u{0302}\u{0303}n",
            "क्षत्रिय",
            "श्रीनिवास",
            "محمّد",
            "Zoë 👩\u{200D}👩\u{200D}👧",
        ] {
            let n = name(real, 200).expect(real);
            assert!(!n.tamed, "{real}");
            assert_eq!(n.text, real.nfc().collect::<String>());
        }
    }

    #[test]
    fn combining_marks_past_the_cap_are_left_out() {
        let zalgo: String = std::iter::once('a')
            .chain(std::iter::repeat_n('\u{0301}', 20_000))
            .collect();
        let n = name(&zalgo, 200).expect("a letter");
        assert!(n.tamed);
        assert_eq!(n.text.chars().count(), 1 + MAX_MARKS_PER_BASE);
        // Joiners between the marks do not start a new letter.
        let joined = format!("b{}", "\u{0301}\u{0302}\u{200D}".repeat(5_000));
        assert_eq!(
            for_document(&joined).chars().count(),
            1 + MAX_MARKS_PER_BASE
        );
        assert!(matches!(for_document("Amélie"), Cow::Borrowed(_)));
        // Ten thousand emoji joined into one cluster (the PDF writer panicked on it).
        let joined = "👩\u{200D}".repeat(10_000);
        assert_eq!(for_document(&joined).chars().count(), MAX_CLUSTER_CHARS);
        let family = "👨🏻\u{200D}👩🏻\u{200D}👧🏻\u{200D}👦🏻";
        assert!(matches!(for_document(family), Cow::Borrowed(_)));
    }

    #[test]
    fn invisible_names_are_refused() {
        for invisible in [
            "",
            "   ",
            "\u{200B}\u{200B}",
            "\u{200E}\u{202E}\u{2066}",
            "\u{0007}\t\n",
            "\u{3164}\u{FEFF}",
            "\u{0301}\u{0301}",
        ] {
            assert_eq!(name(invisible, 200), Err(Invisible), "{invisible:?}");
            assert!(refusal(invisible, 200).is_some());
        }
    }

    #[test]
    fn overrides_controls_and_length_are_cleaned_and_said() {
        let n = name(" Ana\u{202E}\u{0000} \n Silva\u{200B} ", 200).expect("visible");
        assert_eq!((n.text.as_str(), n.tamed), ("Ana Silva", true));
        let long = format!("\u{202E}{}", "x".repeat(5_000));
        let n = name(&long, 60).expect("visible");
        assert_eq!(n.text.chars().count(), 60);
        assert_eq!(
            name(&n.text, 60).map(|again| again.text),
            Ok(n.text.clone())
        );
        assert!(n.cut && n.tamed);
        assert!(refusal(&long, 60).is_some());
        assert_eq!(refusal("Ame\u{0301}lie  Laurent", 200), None);
        let exactly = "y".repeat(60);
        assert_eq!(
            name(&exactly, 60).map(|n| (n.text, n.cut)),
            Ok((exactly, false))
        );
    }
}
