//! Countries: the ISO 3166 list with names in English, French and Spanish, and the one rule
//! that matches what a person typed or an export wrote to a country.
//!
//! The store keeps a matched country under its English name ("Sénégal", "senegal" and "SN"
//! are all kept as "Senegal"), and anything that names no country as it was written. The
//! app shows each country in the UI language through [`name_in`]. Names come from
//! `iso3166.tsv` (i18n-iso-countries, MIT; see its header).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;
use ts_rs::TS;

/// The languages the table names countries in, in its column order.
const LANGS: [&str; 3] = ["en", "fr", "es"];

/// One country as the app lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// Its name in the language asked for.
    pub name: String,
    /// Its name as the store keeps it (English).
    pub stored: String,
}

struct Entry {
    code: &'static str,
    /// Names per language of [`LANGS`], the one shown first.
    names: [Vec<&'static str>; 3],
}

struct Table {
    entries: Vec<Entry>,
    /// Folded name or code → entry; `None` where two countries share a name ("Congo").
    by_key: HashMap<String, Option<usize>>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| load(include_str!("iso3166.tsv")));

fn load(text: &'static str) -> Table {
    let mut entries = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut cells = line.split('\t');
        let code = cells.next().unwrap_or_default();
        let mut names: [Vec<&str>; 3] = Default::default();
        for slot in &mut names {
            *slot = cells.next().unwrap_or_default().split('|').collect();
        }
        entries.push(Entry { code, names });
    }
    let mut by_key: HashMap<String, Option<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        let spellings = e.names.iter().flatten().copied().chain([e.code]);
        for name in spellings {
            let slot = by_key.entry(key(name)).or_insert(Some(i));
            if *slot != Some(i) {
                *slot = None;
            }
        }
    }
    Table { entries, by_key }
}

/// A name folded for matching: case, accents and scripts as in [`crate::search::fold`], and
/// spaces and punctuation dropped ("Viet Nam" is "Vietnam", "Côte-d'Ivoire" "Côte d'Ivoire").
fn key(text: &str) -> String {
    crate::search::fold(text).replace(' ', "")
}

fn entry(text: &str) -> Option<&'static Entry> {
    let table = &*TABLE;
    let i = (*table.by_key.get(&key(text))?)?;
    table.entries.get(i)
}

fn column(lang: &str) -> usize {
    LANGS.iter().position(|l| lang.starts_with(l)).unwrap_or(0)
}

/// The ISO code of the country `text` names in any of the three languages (or its code),
/// if exactly one.
pub fn code(text: &str) -> Option<&'static str> {
    entry(text).map(|e| e.code)
}

/// How the store keeps a country typed or imported as `text`: the country's English name
/// when `text` names one, else `text` trimmed, as it was written.
pub fn stored(text: &str) -> String {
    match entry(text) {
        Some(e) => e.names[0][0].to_string(),
        None => text.trim().to_string(),
    }
}

/// The name of the country `text` names, in `lang` (en, fr or es; others get English).
pub fn name_in(text: &str, lang: &str) -> Option<&'static str> {
    entry(text).map(|e| e.names[column(lang)][0])
}

/// Every name of the country `text` names, in the three languages (for search keys).
pub fn all_names(text: &str) -> Vec<&'static str> {
    entry(text)
        .map(|e| e.names.iter().map(|n| n[0]).collect())
        .unwrap_or_default()
}

/// Every country, named in `lang`, in that language's alphabetical order (accents folded).
pub fn list(lang: &str) -> Vec<Country> {
    let c = column(lang);
    let mut out: Vec<Country> = TABLE
        .entries
        .iter()
        .map(|e| Country {
            code: e.code.to_string(),
            name: e.names[c][0].to_string(),
            stored: e.names[0][0].to_string(),
        })
        .collect();
    out.sort_by_cached_key(|k| crate::search::fold(&k.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_has_a_name_in_each_language() {
        assert_eq!(TABLE.entries.len(), 250);
        for e in &TABLE.entries {
            assert_eq!(e.code.len(), 2, "{}", e.code);
            assert!(e.names.iter().all(|n| !n[0].is_empty()), "{}", e.code);
        }
    }

    #[test]
    fn a_country_is_found_in_any_language_spelling_or_case() {
        for typed in ["Senegal", "Sénégal", "SENEGAL", "sn", " senegal "] {
            assert_eq!(code(typed), Some("SN"), "{typed}");
            assert_eq!(stored(typed), "Senegal");
        }
        assert_eq!(code("Viet Nam"), Some("VN"));
        assert_eq!(code("Côte-d'Ivoire"), Some("CI"));
        assert_eq!(code("Allemagne"), Some("DE"));
        assert_eq!(code("Alemania"), Some("DE"));
        assert_eq!(name_in("Germany", "fr"), Some("Allemagne"));
        assert_eq!(name_in("Germany", "es"), Some("Alemania"));
        assert_eq!(name_in("Germany", "de"), Some("Germany"));
    }

    #[test]
    fn what_names_no_single_country_is_kept_as_written() {
        assert_eq!(code("Congo"), None, "two countries are called Congo");
        assert_eq!(stored("  Congo "), "Congo");
        assert_eq!(stored("East Africa region"), "East Africa region");
        assert_eq!(name_in("Atlantis", "fr"), None);
    }

    #[test]
    fn the_list_follows_the_language() {
        let fr = list("fr");
        let pos = |n: &str| fr.iter().position(|c| c.name == n).unwrap();
        assert!(pos("Égypte") < pos("Espagne") && pos("Espagne") < pos("États-Unis d'Amérique"));
        let de = fr.iter().find(|c| c.code == "DE").unwrap();
        assert_eq!(
            (de.name.as_str(), de.stored.as_str()),
            ("Allemagne", "Germany")
        );
    }
}
