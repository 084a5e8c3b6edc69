//! ICU's plural form in the words: `{count, plural, one {# member} other {# members}}`
//! becomes the branch for the count in the reader's language, with `#` the count as given.
//! The window reads the same words with the same form (`withPlurals` in `ui/src/lib/i18n.ts`,
//! by the browser's `Intl.PluralRules`). A branch's text holds no braces.

use super::Lang;

/// A run of text, or a plural block, of a word's text.
#[derive(Debug, PartialEq)]
pub(super) enum Piece<'a> {
    /// Text as written (with any `{name}` placeholders).
    Text(&'a str),
    /// `{name, plural, …}`: the value's name and each branch (selector, text).
    Plural {
        /// The value that picks the branch.
        name: &'a str,
        /// `one`, `other` or `=n`, with its text.
        branches: Vec<(&'a str, &'a str)>,
    },
}

/// The CLDR plural category of a whole number `n` in `lang`. For whole numbers only `one`
/// and `other` matter in Tend's languages; French counts 0 as one.
pub fn category(lang: Lang, n: u64) -> &'static str {
    let one = match lang {
        Lang::Fr => n <= 1,
        Lang::En | Lang::Es => n == 1,
    };
    if one {
        "one"
    } else {
        "other"
    }
}

/// The CLDR plural category of any number `n` in `lang`, fractions included: French says
/// "1,5 heure" (one below two), English and Spanish "1.5 hours".
pub fn category_of(lang: Lang, n: f64) -> &'static str {
    if n.fract() == 0.0 && n >= 0.0 {
        return category(lang, n as u64);
    }
    if lang == Lang::Fr && (0.0..2.0).contains(&n) {
        "one"
    } else {
        "other"
    }
}

/// `text` with its plural block named `name` replaced by the branch for the number `n`
/// (an exact `=n` first), `#` by `shown` (the number as the language writes it), and any
/// `{name}` by `shown` too.
pub(super) fn fill_count(lang: Lang, text: &str, name: &str, n: f64, shown: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Plural {
                name: block,
                branches,
            } if block == name => {
                let pick = |selector: &str| {
                    branches
                        .iter()
                        .find(|(s, _)| *s == selector)
                        .map(|(_, t)| *t)
                };
                let exact = (n.fract() == 0.0).then(|| pick(&format!("={n}"))).flatten();
                let branch = exact
                    .or_else(|| pick(category_of(lang, n)))
                    .or_else(|| pick("other"))
                    .unwrap_or_default();
                out.push_str(&branch.replace('#', shown));
            }
            Piece::Plural { name: block, .. } => out.push_str(&format!("{{{block}}}")),
            Piece::Text(t) => out.push_str(t),
        }
    }
    out.replace(&format!("{{{name}}}"), shown)
}

/// `text` with each plural block replaced by its branch for the value `values` names; a
/// block whose value is missing stays as written.
pub(super) fn resolve(lang: Lang, text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Plural { name, branches } => match values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => {
                    out.push_str(&choose(lang, &branches, value).replace('#', value))
                }
                None => out.push_str(&format!("{{{name}}}")),
            },
        }
    }
    out
}

/// The branch for `value` (a count, perhaps written with separators such as "1,200"): an
/// exact `=n`, else the language's category, else `other`.
fn choose<'a>(lang: Lang, branches: &[(&str, &'a str)], value: &str) -> &'a str {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let pick = |selector: &str| {
        branches
            .iter()
            .find(|(s, _)| *s == selector)
            .map(|(_, t)| *t)
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| pick(&format!("={n}")).or_else(|| pick(category(lang, n))))
        .or_else(|| pick("other"))
        .unwrap_or_default()
}

/// `text` cut into plain runs and plural blocks; a `{` that opens no well-formed block is
/// plain text.
pub(super) fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let (mut plain_from, mut at) = (0, 0);
    while let Some(offset) = text[at..].find('{') {
        let start = at + offset;
        match block(&text[start..]) {
            Some((piece, len)) => {
                if start > plain_from {
                    out.push(Piece::Text(&text[plain_from..start]));
                }
                out.push(piece);
                at = start + len;
                plain_from = at;
            }
            None => at = start + 1,
        }
    }
    if plain_from < text.len() {
        out.push(Piece::Text(&text[plain_from..]));
    }
    out
}

/// The plural block at the start of `s`, and its length in bytes.
fn block(s: &str) -> Option<(Piece<'_>, usize)> {
    let (name, after) = s.strip_prefix('{')?.split_once(',')?;
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '=')
    };
    let name = name.trim();
    let mut body = after.trim_start().strip_prefix("plural,")?;
    let mut branches = Vec::new();
    loop {
        let trimmed = body.trim_start();
        if let Some(end) = trimmed.strip_prefix('}') {
            let piece = Piece::Plural { name, branches };
            return (word(name) && !name.contains('=')).then_some((piece, s.len() - end.len()));
        }
        let (selector, rest) = trimmed.split_once('{')?;
        let (text, rest) = rest.split_once('}')?;
        if !word(selector.trim()) || text.contains('{') {
            return None;
        }
        branches.push((selector.trim(), text));
        body = rest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAYS: &str = "asked {days, plural, one {# day} other {# days}} ago";

    #[test]
    fn each_language_picks_its_own_branch() {
        let days = |lang, n| resolve(lang, DAYS, &[("days", n)]);
        assert_eq!(days(Lang::En, "1"), "asked 1 day ago");
        assert_eq!(days(Lang::En, "0"), "asked 0 days ago");
        assert_eq!(days(Lang::Es, "0"), "asked 0 days ago");
        assert_eq!(days(Lang::Fr, "0"), "asked 0 day ago");
        assert_eq!(days(Lang::En, "1,200"), "asked 1,200 days ago");
        assert_eq!(days(Lang::En, "many"), "asked many days ago");
    }

    #[test]
    fn an_exact_branch_wins_and_a_missing_value_leaves_a_placeholder() {
        let text = "{n, plural, =0 {none} one {# thing} other {# things}} here";
        assert_eq!(resolve(Lang::En, text, &[("n", "0")]), "none here");
        assert_eq!(resolve(Lang::En, text, &[("n", "2")]), "2 things here");
        assert_eq!(resolve(Lang::En, text, &[]), "{n} here");
    }

    #[test]
    fn text_that_is_not_a_block_stays_as_written() {
        for text in [
            "{name}",
            "a { b",
            "{x, plural, one {#}",
            "{x, plural, one {a {b}} other {c}}",
            "{{ and }}",
        ] {
            assert_eq!(resolve(Lang::En, text, &[("x", "1")]), text, "{text}");
        }
        assert_eq!(
            pieces("{n} of {t, plural, one {# a} other {# b}}!"),
            vec![
                Piece::Text("{n} of "),
                Piece::Plural {
                    name: "t",
                    branches: vec![("one", "# a"), ("other", "# b")]
                },
                Piece::Text("!"),
            ]
        );
    }
}
