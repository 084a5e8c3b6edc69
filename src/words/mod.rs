//! The words the core draws and writes (chart titles, axes, legends, month names), in
//! English, French and Spanish, from `src/words/*.toml`. The app shows the same strings:
//! `make bindings` writes them into `ui/src/lib/bindings/coreWords.ts`, which the UI's
//! dictionaries include, so a chart and the screen around it never disagree.

pub mod numbers;
mod plural;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language Tend speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[derive(strum::VariantArray)]
pub enum Lang {
    /// English (the fallback).
    #[default]
    En,
    /// French.
    Fr,
    /// Spanish.
    Es,
}

impl Lang {
    /// Every language, English first; the declaration's order, so a new one is never
    /// left out.
    pub const ALL: &'static [Lang] = <Lang as strum::VariantArray>::VARIANTS;

    /// Its code: `en`, `fr`, `es`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    /// The language of a code or locale (`fr`, `fr-CA`, `es_MX`); English for any other.
    pub fn of(code: &str) -> Lang {
        let code = code.trim().to_ascii_lowercase();
        Lang::ALL
            .iter()
            .copied()
            .find(|l| code.starts_with(l.code()))
            .unwrap_or_default()
    }
}

type Table = BTreeMap<String, String>;

const SOURCES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("en.toml")),
    (Lang::Fr, include_str!("fr.toml")),
    (Lang::Es, include_str!("es.toml")),
];

static TABLES: LazyLock<Vec<(Lang, Table)>> = LazyLock::new(|| {
    SOURCES
        .iter()
        // The files are ours, compiled in, and checked by a test: an unreadable one shows
        // its keys instead of words rather than stopping the app.
        .map(|(lang, text)| (*lang, toml::from_str(text).unwrap_or_default()))
        .collect()
});

fn table(lang: Lang) -> Option<&'static Table> {
    TABLES.iter().find(|(l, _)| *l == lang).map(|(_, t)| t)
}

/// The text of `key` in `lang`, else in English, else the key itself.
pub fn text(lang: Lang, key: &str) -> String {
    table(lang)
        .and_then(|t| t.get(key))
        .or_else(|| table(Lang::En).and_then(|t| t.get(key)))
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// The text of `key` in `lang` with each `{name}` replaced by its value, and each plural
/// block (`{name, plural, one {…} other {…}}`) by its branch for that value.
pub fn fill(lang: Lang, key: &str, values: &[(&str, &str)]) -> String {
    let mut out = plural::resolve(lang, &text(lang, key), values);
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The `month`th (1–12) of the space-separated names of `key` in `lang`.
fn nth_month(lang: Lang, key: &str, month: u32) -> String {
    text(lang, key)
        .split(' ')
        .nth(month.saturating_sub(1) as usize)
        .unwrap_or_default()
        .to_string()
}

/// A month's short name in `lang` (`month` 1–12), such as "Mar" or "mars".
pub fn month(lang: Lang, month: u32) -> String {
    nth_month(lang, "chart.months", month)
}

/// A day written out in `lang`: "7 December 2026", "7 décembre 2026", "7 de diciembre de
/// 2026".
pub fn day_long(lang: Lang, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    fill(
        lang,
        "date.long",
        &[
            ("day", &day.day().to_string()),
            ("month", &nth_month(lang, "date.monthNames", day.month())),
            ("year", &day.year().to_string()),
        ],
    )
}

/// A `YYYY-MM` month written out in `lang` ("March 2026", "mars 2026", "marzo de 2026");
/// any other text as it is.
pub fn month_long(lang: Lang, yyyy_mm: &str) -> String {
    match crate::time::parse_date("month", &format!("{yyyy_mm}-01")) {
        Ok(d) if yyyy_mm.len() == 7 => {
            use chrono::Datelike;
            fill(
                lang,
                "date.monthYear",
                &[
                    ("month", &nth_month(lang, "date.monthNames", d.month())),
                    ("year", &d.year().to_string()),
                ],
            )
        }
        _ => yyyy_mm.to_string(),
    }
}

/// A `YYYY-MM` month as the charts label it in `lang` ("Mar 2026", "mars 2026"); any
/// other text as it is.
pub fn month_label(lang: Lang, yyyy_mm: &str) -> String {
    if let Some(rest) = yyyy_mm.strip_prefix("≤ ") {
        return format!("≤ {}", month_label(lang, rest));
    }
    let parsed = yyyy_mm
        .split_once('-')
        .and_then(|(y, m)| Some((y, m.parse::<u32>().ok()?)))
        .filter(|(y, m)| y.len() == 4 && (1..=12).contains(m));
    match parsed {
        Some((year, m)) => format!("{} {year}", month(lang, m)),
        None => yyyy_mm.to_string(),
    }
}

/// A `YYYY-MM-DD` day as the report writes it in `lang` ("1 Nov 2026", "1 nov. 2026"); any
/// other text as it is.
pub fn day_label(lang: Lang, iso: &str) -> String {
    match crate::time::parse_date("day", iso) {
        Ok(d) => {
            use chrono::Datelike;
            format!("{} {} {}", d.day(), month(lang, d.month()), d.year())
        }
        Err(_) => iso.to_string(),
    }
}

/// Every table as the TypeScript module the UI imports (`coreWords.ts`).
pub fn typescript() -> String {
    let all: BTreeMap<&str, &Table> = TABLES.iter().map(|(l, t)| (l.code(), t)).collect();
    let json = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "{}".into());
    format!(
        "// Generated from src/words/*.toml by `make bindings`: the words the core draws.\n\
         export const coreWords = {json} as const;\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_reads_and_every_key_has_three_languages() {
        for (lang, text) in SOURCES {
            let t: Table = toml::from_str(text).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
            assert!(!t.is_empty(), "{lang:?}");
        }
        let keys = |l: Lang| table(l).map(|t| t.keys().cloned().collect::<Vec<_>>());
        assert_eq!(keys(Lang::Fr), keys(Lang::En));
        assert_eq!(keys(Lang::Es), keys(Lang::En));
        for &lang in Lang::ALL {
            for (key, value) in table(lang).into_iter().flatten() {
                assert!(!value.trim().is_empty(), "{lang:?} {key} is empty");
            }
        }
    }

    #[test]
    fn placeholders_match_across_languages() {
        let names = |s: &str| {
            let mut v: Vec<String> = Vec::new();
            for piece in plural::pieces(s) {
                match piece {
                    plural::Piece::Plural { name, branches } => {
                        assert!(
                            branches.iter().any(|(s, _)| *s == "other"),
                            "{s}: no `other`"
                        );
                        v.push(name.to_string());
                    }
                    plural::Piece::Text(t) => v.extend(
                        t.split('{')
                            .skip(1)
                            .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string())),
                    ),
                }
            }
            v.sort();
            v.dedup();
            v
        };
        for (key, en) in table(Lang::En).into_iter().flatten() {
            for lang in [Lang::Fr, Lang::Es] {
                assert_eq!(names(&text(lang, key)), names(en), "{lang:?} {key}");
            }
        }
    }

    #[test]
    fn months_are_named_in_each_language() {
        assert_eq!(month_label(Lang::En, "2026-03"), "Mar 2026");
        assert_eq!(month_label(Lang::Fr, "2026-02"), "févr. 2026");
        assert_eq!(month_label(Lang::Es, "2026-12"), "dic. 2026");
        assert_eq!(month_label(Lang::Fr, "≤ 2024-05"), "≤ mai 2024");
        assert_eq!(month_label(Lang::En, "someday"), "someday");
        assert_eq!(day_label(Lang::Fr, "2026-11-01"), "1 nov. 2026");
        assert_eq!(day_label(Lang::En, "2026-03-30"), "30 Mar 2026");
        assert_eq!(day_label(Lang::Es, "not a day"), "not a day");
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(day_long(Lang::En, day(7)), "7 December 2026");
        assert_eq!(day_long(Lang::Fr, day(7)), "7 décembre 2026");
        assert_eq!(day_long(Lang::Fr, day(1)), "1 décembre 2026");
        assert_eq!(day_long(Lang::Es, day(1)), "1 de diciembre de 2026");
        assert_eq!(month_long(Lang::Fr, "2026-02"), "février 2026");
        assert_eq!(month_long(Lang::Es, "2026-03"), "marzo de 2026");
        assert_eq!(month_long(Lang::En, "2026-13"), "2026-13");
        assert_eq!(month_long(Lang::En, "2026-3-1"), "2026-3-1");
        for &lang in Lang::ALL {
            assert_eq!(
                text(lang, "chart.months").split(' ').count(),
                12,
                "{lang:?}"
            );
        }
    }

    #[test]
    fn unknown_codes_fall_back_to_english() {
        assert_eq!(Lang::of("fr-CA"), Lang::Fr);
        assert_eq!(Lang::of("es_MX"), Lang::Es);
        assert_eq!(Lang::of("de"), Lang::En);
        assert_eq!(
            fill(Lang::Fr, "chart.segment", &[("segment", "Kenya")]),
            "seulement Kenya"
        );
    }
}
