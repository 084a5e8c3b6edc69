//! Numbers in words, the one rule for what the core draws and writes (cards' figures in the
//! report, the charts, the command line): a number, a percent and a duration as the
//! reader's language writes them. The window formats the same way (`ui/src/lib/numbers.ts`),
//! and both are held to the same cases (`number_cases.json`).

use super::{fill, Lang};

/// Above this many days a duration is said as "over 30 days": a response time of a year
/// and a half is no response time.
pub const DURATION_CAP_DAYS: f64 = 30.0;

/// Below this many hours a duration is said in hours, above it in days.
const HOURS_UP_TO: f64 = 48.0;

/// `value` rounded to at most `decimals` decimals (a trailing zero left out), written the
/// way `lang` writes numbers: "15,755.5", "15 755,5" (narrow no-break spaces), "15.755,5"
/// (Spanish groups only from five digits), as the browser's `Intl.NumberFormat` does.
pub fn number(lang: Lang, value: f64, decimals: u32) -> String {
    let scale = 10f64.powi(decimals as i32);
    let scaled = (value.abs() * scale).round();
    let negative = value < 0.0 && scaled > 0.0;
    let whole = (scaled / scale).trunc() as u64;
    let mut fraction = format!(
        "{:0width$}",
        (scaled - whole as f64 * scale).round() as u64,
        width = decimals as usize
    );
    while fraction.ends_with('0') {
        fraction.pop();
    }
    let (group, point, min_digits) = match lang {
        Lang::En => (",", ".", 4),
        Lang::Fr => ("\u{202F}", ",", 4),
        Lang::Es => (".", ",", 5),
    };
    let digits = whole.to_string();
    let grouped = if digits.len() < min_digits {
        digits
    } else {
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(group);
            }
            out.push(c);
        }
        out
    };
    let sign = if negative { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{fraction}")
    }
}

/// A share (0 to 1) as a whole percent the way `lang` writes it: "84%", "84 %" (a narrow
/// no-break space in French), "84 %" (a no-break space in Spanish).
pub fn percent(lang: Lang, share: f64) -> String {
    fill(
        lang,
        "number.percent",
        &[("value", &number(lang, share * 100.0, 0))],
    )
}

/// A share, or the sentence `none_key` says when it is a share of nothing.
pub fn share_or(lang: Lang, share: Option<f64>, none_key: &str) -> String {
    share.map_or_else(|| super::text(lang, none_key), |s| percent(lang, s))
}

/// A count filled into a word's plural block `count`: the branch for its value in `lang`,
/// `#` the count as `lang` writes it (at most one decimal).
fn counted(lang: Lang, key: &str, count: f64) -> String {
    let shown = number(lang, count, 1);
    let rounded = (count * 10.0).round() / 10.0;
    super::plural::fill_count(lang, &super::text(lang, key), "count", rounded, &shown)
}

/// A duration of `hours` in words: minutes under an hour, hours (one decimal) up to two
/// days, days (one decimal) up to [`DURATION_CAP_DAYS`], and "over 30 days" beyond.
pub fn duration(lang: Lang, hours: f64) -> String {
    let hours = hours.max(0.0);
    let minutes = (hours * 60.0).round();
    let days = hours / 24.0;
    if minutes < 60.0 {
        counted(lang, "duration.minutes", minutes.max(1.0))
    } else if hours < HOURS_UP_TO {
        counted(lang, "duration.hours", hours)
    } else if (days * 10.0).round() / 10.0 <= DURATION_CAP_DAYS {
        counted(lang, "duration.days", days)
    } else {
        counted(lang, "duration.over", DURATION_CAP_DAYS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One case the window's helper is held to as well (`ui/src/lib/numbers.test.ts`).
    #[derive(serde::Deserialize)]
    struct Case {
        lang: Lang,
        kind: String,
        value: f64,
        text: String,
    }

    #[test]
    fn every_shared_case_is_written_as_the_window_writes_it() {
        let cases: Vec<Case> =
            serde_json::from_str(include_str!("number_cases.json")).expect("the cases read");
        assert!(cases.len() > 20);
        for c in cases {
            let got = match c.kind.as_str() {
                "number" => number(c.lang, c.value, 1),
                "percent" => percent(c.lang, c.value),
                "duration" => duration(c.lang, c.value),
                other => panic!("unknown kind {other}"),
            };
            assert_eq!(got, c.text, "{:?} {} {}", c.lang, c.kind, c.value);
        }
    }

    #[test]
    fn durations_stop_at_the_cap_and_never_say_years() {
        // The median that read "15,755.5 h" (1.8 years) on a real export.
        assert_eq!(duration(Lang::En, 15_755.5), "over 30 days");
        assert_eq!(duration(Lang::Fr, 15_755.5), "plus de 30 jours");
        assert_eq!(duration(Lang::Es, 15_755.5), "más de 30 días");
        assert_eq!(duration(Lang::En, 30.0 * 24.0), "30 days");
        assert_eq!(duration(Lang::En, 30.2 * 24.0), "over 30 days");
        for h in [0.0, 0.5, 5.0, 47.9, 48.0, 700.0, 1e9] {
            let said = duration(Lang::En, h);
            assert!(!said.contains("year") && !said.contains(','), "{said}");
        }
    }

    #[test]
    fn a_share_of_nothing_is_a_sentence() {
        assert_eq!(
            share_or(Lang::En, None, "metric.peer.none"),
            "No reply was written in this period."
        );
        assert_eq!(
            share_or(Lang::Fr, Some(0.84), "metric.peer.none"),
            "84\u{202F}%"
        );
        assert_eq!(
            share_or(Lang::Es, Some(0.0), "metric.peer.none"),
            "0\u{A0}%"
        );
    }
}
