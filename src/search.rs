//! The one rule for matching what a person types against names and places: case-, accent-
//! and script-folding. "nunez" finds "Núñez", "ivan" finds "Иван", "SENEGAL" finds
//! "Sénégal". The app folds what is typed through the core ([`fold`]) and matches it against
//! each member's [`crate::model::MemberSummary::search_key`], so both apply this rule.

/// Text folded for searching: transliterated to ASCII (accents dropped, other scripts
/// romanised), lower-case, runs of spaces and punctuation made one space.
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '@' && c != '+')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The folded key of several fields, one per line so a search never spans two fields.
pub fn key<'a>(fields: impl IntoIterator<Item = Option<&'a str>>) -> String {
    fields
        .into_iter()
        .flatten()
        .map(fold)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a folded key holds what was typed (folded here); an empty search matches all.
pub fn matches(key: &str, typed: &str) -> bool {
    let needle = fold(typed);
    needle.is_empty() || key.contains(&needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_scripts_fold_alike() {
        let k = key([Some("Alejandro Núñez"), Some("Sénégal"), None]);
        assert!(matches(&k, "nunez"));
        assert!(matches(&k, "NÚÑEZ"));
        assert!(matches(&k, "senegal"));
        assert!(matches(&k, "  alejandro   nu "));
        assert!(
            !matches(&k, "nunez senegal"),
            "a search never spans two fields"
        );
        assert!(matches(&key([Some("Иван Петров")]), "ivan"));
        assert!(matches(&key([Some("Иван Петров")]), "Иван"));
        assert!(matches(&k, ""));
    }
}

#[cfg(test)]
mod ui_fixtures {
    /// `ui/src/test-fixtures.ts` holds these keys as the core makes them; this keeps the two
    /// in step (the UI's tests never fold on their own).
    #[test]
    fn the_ui_fixtures_hold_the_cores_keys() {
        let cases = [
            (
                ["Aminata Diallo", "Senegal", "Oxfam"],
                "aminata diallo\nsenegal\noxfam",
            ),
            (
                ["José Núñez", "Mexico", "WaterAid"],
                "jose nunez\nmexico\nwateraid",
            ),
            (
                ["Nguyễn Thị Hương", "Viet Nam", "WaterAid"],
                "nguyen thi huong\nviet nam\nwateraid",
            ),
            (
                ["<img src=x onerror=alert(1)>", "Peru", "WaterAid"],
                "img src x onerror alert 1\nperu\nwateraid",
            ),
            (
                ["محمد عبد الله", "Jordan", "UNICEF"],
                "mhmd bd llh\njordan\nunicef",
            ),
        ];
        for (fields, want) in cases {
            assert_eq!(super::key(fields.map(Some)), want, "{fields:?}");
        }
    }
}
