//! Numeric dates and times as chat apps and meeting tools write them in the exporting
//! phone's or computer's locale: `31/12/23, 21:05`, `12/31/2023 9:05:09 PM`,
//! `2023/12/31 21:05`, `31.12.23 21:05`. Whether `01/02` is the first of February or the
//! second of January is settled by the file (any first part above 12 is a day, any second
//! part above 12 is a day; else the order under which its dates run forward), else by
//! [`DateOrder`]. Times without a zone are taken as UTC.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use regex::Regex;

/// Which part of a numeric date is the day, when the file does not settle it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    /// `31/12/23`: day, month, year (most of the world; the default).
    #[default]
    Dmy,
    /// `12/31/23`: month, day, year (the United States).
    Mdy,
}

impl std::str::FromStr for DateOrder {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "dmy" => Ok(DateOrder::Dmy),
            "mdy" => Ok(DateOrder::Mdy),
            _ => Err(format!("'{s}': expected dmy or mdy")),
        }
    }
}

/// The date-and-time pattern, without anchors: date, time, optional AM/PM (`PM`, `p. m.`).
pub const PATTERN: &str = r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4}),?\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([aApP])?\.?\s?(?:[mM]\.?)?";

/// A date and time read as numbers, before the date order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The date's three parts in the order written.
    pub date: [u32; 3],
    /// Hours, minutes, seconds.
    pub time: (u32, u32, u32),
    /// `Some(true)` after PM, `Some(false)` after AM, `None` on a 24-hour clock.
    pub pm: Option<bool>,
}

impl Stamp {
    /// The stamp in captures of [`PATTERN`] whose first group is `at`.
    pub fn from_captures(c: &regex::Captures, at: usize) -> Option<Stamp> {
        let n = |i: usize| c.get(at + i).and_then(|m| m.as_str().parse::<u32>().ok());
        Some(Stamp {
            date: [n(0)?, n(1)?, n(2)?],
            time: (n(3)?, n(4)?, n(5).unwrap_or(0)),
            pm: c.get(at + 6).map(|m| m.as_str().eq_ignore_ascii_case("p")),
        })
    }

    /// A whole string that is a date and time, such as a report's cell.
    pub fn parse(s: &str) -> Option<Stamp> {
        static WHOLE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(&format!("^{PATTERN}$")).expect("a valid pattern"));
        Stamp::from_captures(&WHOLE.captures(s.trim())?, 1)
    }

    /// The order this stamp settles on its own, if any.
    pub fn settles(&self) -> Option<DateOrder> {
        match self.date {
            [a, _, _] if a > 31 => None,
            [a, _, _] if a > 12 => Some(DateOrder::Dmy),
            [_, b, _] if b > 12 => Some(DateOrder::Mdy),
            _ => None,
        }
    }

    /// The moment, with the day and month in `order` (a four-digit first part is a year).
    pub fn at(&self, order: DateOrder) -> Option<DateTime<Utc>> {
        let [a, b, c] = self.date;
        let (y, m, d) = if a > 31 {
            (a, b, c)
        } else {
            match order {
                DateOrder::Dmy => (c, b, a),
                DateOrder::Mdy => (c, a, b),
            }
        };
        let y = if y < 100 { 2000 + y } else { y };
        let (mut h, min, s) = self.time;
        // Some 12-hour files hold impossible times ("23:59 PM"): read as 24-hour.
        match self.pm {
            Some(true) if h < 12 => h += 12,
            Some(false) if h == 12 => h = 0,
            _ => {}
        }
        NaiveDate::from_ymd_opt(y as i32, m, d)?
            .and_hms_opt(h, min, s)
            .map(|t| t.and_utc())
    }
}

/// The order of a file's dates: the first stamp that settles it; else `hint` (the user's
/// word); else the order under which the dates go forward more often (chats and reports
/// are written in time order), if one does.
pub fn settled<'a>(
    stamps: impl IntoIterator<Item = &'a Stamp>,
    hint: Option<DateOrder>,
) -> Option<DateOrder> {
    let stamps: Vec<&Stamp> = stamps.into_iter().collect();
    if let Some(order) = stamps.iter().find_map(|s| s.settles()).or(hint) {
        return Some(order);
    }
    let backwards = |order: DateOrder| {
        let times: Vec<_> = stamps.iter().filter_map(|s| s.at(order)).collect();
        times.windows(2).filter(|w| w[1] < w[0]).count()
    };
    let (dmy, mdy) = (backwards(DateOrder::Dmy), backwards(DateOrder::Mdy));
    match dmy.cmp(&mdy) {
        std::cmp::Ordering::Less => Some(DateOrder::Dmy),
        std::cmp::Ordering::Greater => Some(DateOrder::Mdy),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_read_both_orders_and_both_clocks() {
        let s = Stamp::parse("15/11/22, 09:30:47").unwrap();
        assert_eq!(s.settles(), Some(DateOrder::Dmy));
        assert_eq!(
            s.at(DateOrder::Dmy).unwrap().to_rfc3339(),
            "2022-11-15T09:30:47+00:00"
        );
        let s = Stamp::parse("11/19/2021 12:01:59 PM").unwrap();
        assert_eq!(
            s.at(DateOrder::Mdy).unwrap().to_rfc3339(),
            "2021-11-19T12:01:59+00:00"
        );
        let s = Stamp::parse("1/2/2021 12:01 a. m.").unwrap();
        assert_eq!(
            s.at(DateOrder::Dmy).unwrap().to_rfc3339(),
            "2021-02-01T00:01:00+00:00"
        );
        assert_eq!(
            Stamp::parse("2021-02-01 10:00")
                .unwrap()
                .at(DateOrder::Mdy)
                .unwrap()
                .to_rfc3339(),
            "2021-02-01T10:00:00+00:00"
        );
        assert!(Stamp::parse("31/02/21, 10:00")
            .unwrap()
            .at(DateOrder::Dmy)
            .is_none());
        assert!(Stamp::parse("soon").is_none());
    }

    #[test]
    fn without_a_day_above_12_the_order_that_runs_forward_wins() {
        let read = |v: &[&str]| {
            v.iter()
                .map(|s| Stamp::parse(s).unwrap())
                .collect::<Vec<_>>()
        };
        let forward_if_mdy = read(&[
            "06/03/2017, 00:45",
            "08/05/2017, 01:48",
            "09/04/2017, 01:50",
        ]);
        assert_eq!(settled(&forward_if_mdy, None), Some(DateOrder::Mdy));
        let forward_if_dmy = read(&[
            "03/06/2017, 00:45",
            "05/08/2017, 01:48",
            "04/09/2017, 01:50",
        ]);
        assert_eq!(settled(&forward_if_dmy, None), Some(DateOrder::Dmy));
        assert_eq!(
            settled(&forward_if_dmy, Some(DateOrder::Mdy)),
            Some(DateOrder::Mdy)
        );
        assert_eq!(
            settled(&read(&["01/02/23, 10:00", "01/02/23, 10:05"]), None),
            None
        );
    }
}
