//! The period a dashboard, chart or report measures: chosen as a preset ("this quarter") or
//! a range of days, parsed and checked here once for the command line and the app alike.

use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::stats::Span;
use crate::error::{Error, Result};
use crate::time::{self, Date};

/// The period measured: `[from, to)`, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First instant included.
    pub from: chrono::DateTime<Utc>,
    /// First instant excluded.
    pub to: chrono::DateTime<Utc>,
}

impl Period {
    /// The `days` days up to and including `last_day` (at least one).
    pub fn days_to(last_day: NaiveDate, days: i64) -> Period {
        Period::between(last_day - Duration::days(days.max(1) - 1), last_day)
    }

    /// The days from `first` to `last`, both included (`first` after `last` gives `last`).
    fn between(first: NaiveDate, last: NaiveDate) -> Period {
        let midnight = |d: NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc())
                .unwrap_or_default()
        };
        Period {
            from: midnight(first.min(last)),
            to: midnight(last + Duration::days(1)),
        }
    }

    /// The period of equal length just before this one.
    pub fn previous(&self) -> Period {
        Period {
            from: self.from - (self.to - self.from),
            to: self.from,
        }
    }

    /// The same period in Unix seconds.
    pub fn span(&self) -> Span {
        Span {
            from: self.from.timestamp(),
            to: self.to.timestamp(),
        }
    }

    /// Its first day.
    pub fn first_day(&self) -> Date {
        self.from.date_naive()
    }

    /// Its last day (included).
    pub fn last_day(&self) -> Date {
        (self.to - Duration::seconds(1)).date_naive()
    }

    /// How many days it holds.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days()
    }
}

/// A period named by where it sits in the calendar, counted from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::VariantArray)]
pub enum Preset {
    /// The last 7 days, today included.
    #[serde(rename = "last_7_days")]
    Last7Days,
    /// The last 30 days, today included.
    #[serde(rename = "last_30_days")]
    Last30Days,
    /// The last 90 days, today included.
    #[serde(rename = "last_90_days")]
    Last90Days,
    /// From the first of this month to today.
    #[serde(rename = "this_month")]
    ThisMonth,
    /// The whole of last month.
    #[serde(rename = "last_month")]
    LastMonth,
    /// From the first day of this quarter to today.
    #[serde(rename = "this_quarter")]
    ThisQuarter,
    /// From the first of January to today.
    #[serde(rename = "this_year")]
    ThisYear,
}

impl Preset {
    /// Every preset, in the order the app lists them; the declaration's order, so a new one is never
    /// left out.
    pub const ALL: &'static [Preset] = <Preset as strum::VariantArray>::VARIANTS;

    /// How the command line spells it (`last-30-days`, `this-quarter`).
    pub fn name(self) -> &'static str {
        match self {
            Preset::Last7Days => "last-7-days",
            Preset::Last30Days => "last-30-days",
            Preset::Last90Days => "last-90-days",
            Preset::ThisMonth => "this-month",
            Preset::LastMonth => "last-month",
            Preset::ThisQuarter => "this-quarter",
            Preset::ThisYear => "this-year",
        }
    }

    /// The period it names when today is `today`.
    pub fn period(self, today: Date) -> Period {
        let month_start = |d: Date| d.with_day(1).unwrap_or(d);
        match self {
            Preset::Last7Days => Period::days_to(today, 7),
            Preset::Last30Days => Period::days_to(today, 30),
            Preset::Last90Days => Period::days_to(today, 90),
            Preset::ThisMonth => Period::between(month_start(today), today),
            Preset::LastMonth => {
                let last = month_start(today) - Duration::days(1);
                Period::between(month_start(last), last)
            }
            Preset::ThisQuarter => {
                let first_month = (today.month0() / 3) * 3 + 1;
                let start = NaiveDate::from_ymd_opt(today.year(), first_month, 1).unwrap_or(today);
                Period::between(start, today)
            }
            Preset::ThisYear => {
                let start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
                Period::between(start, today)
            }
        }
    }
}

const PRESET_NAMES: &str = "last-7-days, last-30-days, last-90-days, this-month, last-month, \
     this-quarter, this-year, or FROM..TO (YYYY-MM-DD..YYYY-MM-DD)";

impl FromStr for Preset {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        Preset::ALL
            .iter()
            .copied()
            .find(|p| p.name() == s)
            .ok_or_else(|| Error::InvalidValue {
                field: "period",
                value: s,
                expected: PRESET_NAMES,
            })
    }
}

/// How a period is chosen: a preset, or a range of days (both ends included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PeriodChoice {
    /// A preset counted from today.
    Preset {
        /// Which.
        preset: Preset,
    },
    /// From a first day to a last day, `YYYY-MM-DD`, both included.
    Range {
        /// First day.
        from: String,
        /// Last day, included.
        to: String,
    },
}

impl Default for PeriodChoice {
    fn default() -> Self {
        PeriodChoice::Preset {
            preset: Preset::Last30Days,
        }
    }
}

/// The most days a period may hold (a century): beyond it a typed year is surely a slip.
const MAX_DAYS: i64 = 36_525;

impl PeriodChoice {
    /// The period chosen, with `today` as today; a range that ends before it starts, or
    /// spans more than a century, is an error.
    pub fn resolve(&self, today: Date) -> Result<Period> {
        match self {
            PeriodChoice::Preset { preset } => Ok(preset.period(today)),
            PeriodChoice::Range { from, to } => {
                let first = time::parse_date("from", from)?;
                let last = time::parse_date("to", to)?;
                if first > last || (last - first).num_days() >= MAX_DAYS {
                    return Err(Error::InvalidValue {
                        field: "period",
                        value: format!("{from} to {to}"),
                        expected:
                            "a first day on or before the last day, less than a century apart",
                    });
                }
                Ok(Period::between(first, last))
            }
        }
    }

    /// The choice from the command line's `--period`, `--from` and `--to` (or a last day
    /// and a number of days): a named preset or `FROM..TO`; else a range from `from` (default:
    /// `days` days before `to`) to `to` (default: today). `days` defaults to 30.
    pub fn from_args(
        period: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
        days: Option<i64>,
        today: Date,
    ) -> Result<PeriodChoice> {
        if let Some(p) = period {
            return p.parse();
        }
        let last = match to {
            Some(t) => time::parse_date("to", t)?,
            None => today,
        };
        let first = match from {
            Some(f) => time::parse_date("from", f)?,
            None => last - Duration::days(days.unwrap_or(30).max(1) - 1),
        };
        Ok(PeriodChoice::Range {
            from: first.to_string(),
            to: last.to_string(),
        })
    }
}

impl FromStr for PeriodChoice {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.split_once("..") {
            Some((from, to)) => Ok(PeriodChoice::Range {
                from: from.trim().to_string(),
                to: to.trim().to_string(),
            }),
            None => Ok(PeriodChoice::Preset { preset: s.parse()? }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        time::parse_date("test", s).expect("a date")
    }

    fn days_of(p: Period) -> (String, String) {
        (p.first_day().to_string(), p.last_day().to_string())
    }

    #[test]
    fn presets_sit_in_the_calendar() {
        let today = day("2026-11-30");
        let cases = [
            ("last-7-days", "2026-11-24", "2026-11-30"),
            ("last-30-days", "2026-11-01", "2026-11-30"),
            ("last-90-days", "2026-09-02", "2026-11-30"),
            ("this-month", "2026-11-01", "2026-11-30"),
            ("last-month", "2026-10-01", "2026-10-31"),
            ("this-quarter", "2026-10-01", "2026-11-30"),
            ("this-year", "2026-01-01", "2026-11-30"),
        ];
        for (name, first, last) in cases {
            let choice: PeriodChoice = name.parse().expect(name);
            let p = choice.resolve(today).expect(name);
            assert_eq!(days_of(p), (first.to_string(), last.to_string()), "{name}");
        }
    }

    #[test]
    fn last_month_in_january_is_december() {
        let p = Preset::LastMonth.period(day("2027-01-15"));
        assert_eq!(days_of(p), ("2026-12-01".into(), "2026-12-31".into()));
        assert_eq!(p.days(), 31);
    }

    #[test]
    fn this_month_on_the_first_holds_one_day() {
        let p = Preset::ThisMonth.period(day("2026-03-01"));
        assert_eq!(p.days(), 1);
        assert_eq!(p.previous().last_day(), day("2026-02-28"));
    }

    #[test]
    fn a_range_includes_both_ends() {
        let choice: PeriodChoice = "2026-01-01..2026-03-31".parse().expect("range");
        let p = choice.resolve(day("2026-11-30")).expect("resolves");
        assert_eq!(p.days(), 90);
        assert_eq!(
            days_of(p.previous()),
            ("2025-10-03".into(), "2025-12-31".into())
        );
    }

    #[test]
    fn a_reversed_range_is_refused_naming_both_days() {
        let choice = PeriodChoice::from_args(
            None,
            Some("2026-09-01"),
            Some("2026-08-01"),
            None,
            day("2026-11-30"),
        )
        .expect("parses");
        let err = choice.resolve(day("2026-11-30")).expect_err("reversed");
        let text = err.to_string();
        assert!(text.contains("2026-09-01 to 2026-08-01"), "{text}");
    }

    #[test]
    fn unknown_presets_and_bad_days_are_refused() {
        let err = "next-week".parse::<PeriodChoice>().expect_err("unknown");
        assert!(err.to_string().contains("this-quarter"), "{err}");
        let bad: PeriodChoice = "2026-02-30..2026-03-01".parse().expect("shape");
        assert!(bad.resolve(day("2026-11-30")).is_err());
    }

    #[test]
    fn command_line_defaults_are_thirty_days_to_today() {
        let today = day("2026-11-30");
        let p = PeriodChoice::from_args(None, None, None, None, today)
            .and_then(|c| c.resolve(today))
            .expect("default");
        assert_eq!(days_of(p), ("2026-11-01".into(), "2026-11-30".into()));
        let p = PeriodChoice::from_args(None, None, Some("2026-06-30"), Some(7), today)
            .and_then(|c| c.resolve(today))
            .expect("last day and days");
        assert_eq!(days_of(p), ("2026-06-24".into(), "2026-06-30".into()));
        let p = PeriodChoice::from_args(Some("this_year"), Some("2020-01-01"), None, None, today)
            .and_then(|c| c.resolve(today))
            .expect("a preset wins");
        assert_eq!(p.first_day(), day("2026-01-01"));
    }

    #[test]
    fn choices_travel_as_the_app_sends_them() {
        let json = r#"{"kind":"preset","preset":"this_quarter"}"#;
        let c: PeriodChoice = serde_json::from_str(json).expect("preset");
        assert_eq!(
            c,
            PeriodChoice::Preset {
                preset: Preset::ThisQuarter
            }
        );
        let json = r#"{"kind":"range","from":"2026-01-01","to":"2026-01-31"}"#;
        let c: PeriodChoice = serde_json::from_str(json).expect("range");
        assert_eq!(c.resolve(day("2026-11-30")).expect("ok").days(), 31);
    }
}
