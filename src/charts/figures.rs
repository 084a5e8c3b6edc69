//! A chart as one computed value: the figures it draws ([`Figures`], read from the
//! community in one pass), and from them, together, its drawing, its one-sentence text
//! alternative and the same data as a table ([`Chart`]). A screen reader, a table and the
//! picture can never tell different stories, since all three read the same figures.

use serde::Serialize;
use ts_rs::TS;

use super::{funnel, Boundary, ChartName, Style};
use crate::error::Result;
use crate::health::series::Funnel;
use crate::health::{Cohort, Metrics, Pyramid, Scoped};
use crate::words::{self, numbers};

/// What one chart draws, computed once.
#[derive(Debug, Clone, PartialEq)]
pub enum Figures {
    /// Distinct active members per week, oldest first, the last week ending on `to`.
    ActiveMembers {
        /// Members per week.
        weeks: Vec<i64>,
        /// The first day after the last week.
        to: chrono::NaiveDate,
    },
    /// Creators, contributors and lurkers among `total` members.
    Pyramid {
        /// The three groups.
        pyramid: Pyramid,
        /// Members counted.
        total: i64,
    },
    /// Threads per bucket of hours to their first answer ([`super::BUCKETS`]), then those
    /// without one.
    ResponseTime(Vec<i64>),
    /// Join cohorts as the chart shows them ([`super::retention_rows`]).
    Retention(Vec<Cohort>),
    /// Activities per space, busiest first.
    Spaces(Vec<(String, i64)>),
    /// Who answers whom across a boundary: groups, and replies from row to column.
    Pairs {
        /// Countries or organisations.
        by: Boundary,
        /// The groups, as stored.
        names: Vec<String>,
        /// Replies by the row's group to threads by the column's.
        matrix: Vec<Vec<i64>>,
    },
    /// The activation funnel.
    Activation(Funnel),
}

/// How many groups a who-answers-whom chart shows.
const GROUPS: usize = 8;

/// How many spaces the activity chart shows.
const SPACES: usize = 10;

impl Figures {
    /// The figures of chart `name` in `scoped`, whose metrics are `metrics` (the pyramid and
    /// retention charts draw from them).
    pub fn of(name: ChartName, scoped: &Scoped, metrics: &Metrics) -> Figures {
        match name {
            ChartName::ActiveMembers => Figures::ActiveMembers {
                weeks: scoped.weekly_active(super::WEEKS as usize),
                to: scoped.lens().period.to.date_naive(),
            },
            ChartName::Pyramid => Figures::Pyramid {
                pyramid: metrics.pyramid.clone(),
                total: metrics.members_total,
            },
            ChartName::ResponseTime => {
                let (hours, unanswered) = scoped.first_responses();
                Figures::ResponseTime(super::response_counts(&hours, unanswered))
            }
            ChartName::Retention => Figures::Retention(super::retention_rows(&metrics.retention)),
            ChartName::Spaces => Figures::Spaces(scoped.by_space(SPACES)),
            ChartName::Countries | ChartName::Organisations => {
                let by = if name == ChartName::Countries {
                    Boundary::Country
                } else {
                    Boundary::Organisation
                };
                let (names, matrix) = scoped.boundary_pairs(by == Boundary::Organisation, GROUPS);
                Figures::Pairs { by, names, matrix }
            }
            ChartName::Activation => Figures::Activation(scoped.funnel()),
        }
    }

    /// Which chart they make.
    pub fn name(&self) -> ChartName {
        match self {
            Figures::ActiveMembers { .. } => ChartName::ActiveMembers,
            Figures::Pyramid { .. } => ChartName::Pyramid,
            Figures::ResponseTime(_) => ChartName::ResponseTime,
            Figures::Retention(_) => ChartName::Retention,
            Figures::Spaces(_) => ChartName::Spaces,
            Figures::Pairs {
                by: Boundary::Country,
                ..
            } => ChartName::Countries,
            Figures::Pairs { .. } => ChartName::Organisations,
            Figures::Activation(_) => ChartName::Activation,
        }
    }
}

/// A chart's data as a table: a header row, then rows whose first cell names the row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct DataTable {
    /// The column headers.
    pub columns: Vec<String>,
    /// The rows, each as many cells as there are columns, figures written the language's
    /// way.
    pub rows: Vec<Vec<String>>,
}

/// One chart as the window and the report show it: the drawing, what it says in a
/// sentence, and its data as a table, all made from the same [`Figures`].
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Chart {
    /// Which chart.
    pub name: ChartName,
    /// Its title, with the segment shown after it.
    pub title: String,
    /// Its text alternative: the title, then what it shows in figures and direction.
    pub alt: String,
    /// The same data as a table.
    pub table: DataTable,
    /// The drawing, as SVG.
    pub svg: String,
}

impl Chart {
    /// Draws, says and tabulates `figures` in `style`.
    pub fn new(figures: &Figures, style: &Style) -> Result<Chart> {
        let name = figures.name();
        let title = style.title(name.title_key());
        let (svg, summary, table) = match figures {
            Figures::ActiveMembers { weeks, to } => (
                super::active_members_svg(weeks, style)?,
                active_summary(weeks, *to, style),
                active_table(weeks, *to, style),
            ),
            Figures::Pyramid { pyramid, total } => (
                super::pyramid_svg(pyramid, *total, style)?,
                pyramid_summary(pyramid, *total, style),
                pyramid_table(pyramid, *total, style),
            ),
            Figures::ResponseTime(counts) => (
                super::response_time_svg(counts, style)?,
                response_summary(counts, style),
                response_table(counts, style),
            ),
            Figures::Retention(cohorts) => (
                super::retention_svg(cohorts, style)?,
                retention_summary(cohorts, style),
                retention_table(cohorts, style),
            ),
            Figures::Spaces(rows) => (
                super::spaces_svg(rows, style)?,
                spaces_summary(rows, style),
                spaces_table(rows, style),
            ),
            Figures::Pairs { by, names, matrix } => (
                super::matrix_svg(names, matrix, style, *by)?,
                pairs_summary(*by, names, matrix, style),
                pairs_table(*by, names, matrix, style),
            ),
            Figures::Activation(f) => (
                funnel::svg(f, style)?,
                activation_summary(f, style),
                activation_table(f, style),
            ),
        };
        let alt = words::fill(
            style.lang,
            "chart.alt",
            &[("title", &title), ("summary", &capitalised(&summary))],
        );
        Ok(Chart {
            name,
            title,
            alt,
            table,
            svg,
        })
    }
}

/// `text` with its first letter upper case (a summary's words start lower case, to read
/// on from the title).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A whole number written the language's way.
fn count(style: &Style, n: i64) -> String {
    numbers::number(style.lang, n as f64, 0)
}

/// The first day of each week of the active-members chart, oldest first.
fn week_starts(weeks: usize, to: chrono::NaiveDate) -> impl Iterator<Item = chrono::NaiveDate> {
    (0..weeks).map(move |i| {
        let back = chrono::Days::new(7 * (weeks - i) as u64);
        to.checked_sub_days(back).unwrap_or(to)
    })
}

fn active_summary(weeks: &[i64], to: chrono::NaiveDate, style: &Style) -> String {
    let (Some(first), Some(last)) = (weeks.first(), weeks.last()) else {
        return style.t("chart.empty");
    };
    // The first week with the most, as the line's highest point.
    let (top, max) =
        weeks.iter().enumerate().fold(
            (0, *first),
            |(ti, tm), (i, &n)| if n > tm { (i, n) } else { (ti, tm) },
        );
    let day = week_starts(weeks.len(), to).nth(top).unwrap_or(to);
    words::fill(
        style.lang,
        "chart.activeAlt",
        &[
            ("first", &count(style, *first)),
            ("last", &count(style, *last)),
            ("weeks", &weeks.len().to_string()),
            ("max", &count(style, max)),
            ("day", &words::day_long(style.lang, day)),
        ],
    )
}

fn active_table(weeks: &[i64], to: chrono::NaiveDate, style: &Style) -> DataTable {
    DataTable {
        columns: vec![style.t("chart.tableWeek"), style.t("chart.activeY")],
        rows: week_starts(weeks.len(), to)
            .zip(weeks)
            .map(|(day, &n)| {
                let day = words::day_label(style.lang, &day.to_string());
                vec![day, count(style, n)]
            })
            .collect(),
    }
}

fn pyramid_summary(p: &Pyramid, total: i64, style: &Style) -> String {
    let bars = super::pyramid_bars(p, total);
    let pct = |share: f64| numbers::percent(style.lang, share / 100.0);
    let [creators, contributors, lurkers] = &bars;
    words::fill(
        style.lang,
        "chart.pyramidAlt",
        &[
            ("creators", &count(style, creators.count)),
            ("contributors", &count(style, contributors.count)),
            ("lurkers", &count(style, lurkers.count)),
            ("total", &count(style, total)),
            ("creatorsShare", &pct(creators.share)),
            ("contributorsShare", &pct(contributors.share)),
            ("lurkersShare", &pct(lurkers.share)),
            ("r1", &pct(creators.reference)),
            ("r9", &pct(contributors.reference)),
            ("r90", &pct(lurkers.reference)),
        ],
    )
}

fn pyramid_table(p: &Pyramid, total: i64, style: &Style) -> DataTable {
    let pct = |share: f64| numbers::percent(style.lang, share / 100.0);
    DataTable {
        columns: vec![
            style.t("chart.tableGroup"),
            style.t("chart.activeY"),
            style.t("chart.tableShare"),
            capitalised(&style.t("chart.pyramidReference")),
        ],
        rows: super::pyramid_bars(p, total)
            .iter()
            .map(|b| {
                vec![
                    capitalised(&style.t(b.key)),
                    count(style, b.count),
                    pct(b.share),
                    pct(b.reference),
                ]
            })
            .collect(),
    }
}

/// Each bucket's label as the chart's axis shows it, then "none".
fn bucket_labels(counts: &[i64], style: &Style) -> Vec<String> {
    (0..counts.len())
        .map(|i| super::response_label(style, i))
        .collect()
}

fn response_summary(counts: &[i64], style: &Style) -> String {
    let threads: i64 = counts.iter().sum();
    if threads == 0 {
        return style.t("chart.empty");
    }
    let (answered, unanswered) = counts.split_at(counts.len().saturating_sub(1));
    let unanswered = unanswered.first().copied().unwrap_or(0);
    let most = answered
        .iter()
        .enumerate()
        .fold(None, |best: Option<(usize, i64)>, (i, &n)| match best {
            Some((_, b)) if b >= n => best,
            _ if n > 0 => Some((i, n)),
            _ => best,
        });
    let threads = threads.to_string();
    match most {
        None => words::fill(
            style.lang,
            "chart.responseAltNoAnswer",
            &[("threads", &threads)],
        ),
        Some((i, n)) => words::fill(
            style.lang,
            "chart.responseAlt",
            &[
                ("threads", &threads),
                ("bucket", &super::response_label(style, i)),
                ("count", &count(style, n)),
                ("unanswered", &count(style, unanswered)),
            ],
        ),
    }
}

fn response_table(counts: &[i64], style: &Style) -> DataTable {
    DataTable {
        columns: vec![style.t("chart.responseX"), style.t("chart.responseY")],
        rows: bucket_labels(counts, style)
            .into_iter()
            .zip(counts)
            .map(|(label, &n)| vec![label, count(style, n)])
            .collect(),
    }
}

/// The share of all cohorts' members active in month `k` after joining, over the cohorts
/// that have reached it; none when none has.
fn mean_share(cohorts: &[Cohort], k: usize) -> Option<f64> {
    let (active, of) = cohorts
        .iter()
        .filter_map(|c| c.active_share.get(k).map(|s| (s * c.size as f64, c.size)))
        .fold((0.0, 0), |(a, n), (s, size)| (a + s, n + size));
    (of > 0).then(|| active / of as f64)
}

fn retention_summary(cohorts: &[Cohort], style: &Style) -> String {
    let (Some(first), Some(last), Some(start)) =
        (cohorts.first(), cohorts.last(), mean_share(cohorts, 0))
    else {
        return style.t("chart.empty");
    };
    let pct = |s: f64| numbers::percent(style.lang, s);
    let after = mean_share(cohorts, 1).map(pct);
    let said = [
        ("cohorts", cohorts.len().to_string()),
        ("first", words::month_label(style.lang, &first.month)),
        ("last", words::month_label(style.lang, &last.month)),
        ("start", pct(start)),
        ("after", after.clone().unwrap_or_default()),
    ];
    let key = if after.is_some() {
        "chart.retentionAlt"
    } else {
        "chart.retentionAltNew"
    };
    words::fill(
        style.lang,
        key,
        &said.each_ref().map(|(k, v)| (*k, v.as_str())),
    )
}

fn retention_table(cohorts: &[Cohort], style: &Style) -> DataTable {
    let months = cohorts
        .iter()
        .map(|c| c.active_share.len())
        .max()
        .unwrap_or(0);
    let columns = [style.t("chart.tableCohort"), style.t("chart.activeY")]
        .into_iter()
        .chain(
            (0..months)
                .map(|k| words::fill(style.lang, "chart.tableMonth", &[("month", &k.to_string())])),
        )
        .collect();
    let rows = cohorts
        .iter()
        .map(|c| {
            let shares = (0..months).map(|k| {
                c.active_share
                    .get(k)
                    .map(|s| numbers::percent(style.lang, *s))
                    .unwrap_or_default()
            });
            [
                words::month_label(style.lang, &c.month),
                count(style, c.size),
            ]
            .into_iter()
            .chain(shares)
            .collect()
        })
        .collect();
    DataTable { columns, rows }
}

fn spaces_summary(rows: &[(String, i64)], style: &Style) -> String {
    let (Some(top), Some(last)) = (rows.first(), rows.last()) else {
        return style.t("chart.empty");
    };
    words::fill(
        style.lang,
        "chart.spacesAlt",
        &[
            ("top", &crate::clean::for_document(&top.0)),
            ("topCount", &count(style, top.1)),
            ("count", &rows.len().to_string()),
            ("last", &crate::clean::for_document(&last.0)),
            ("lastCount", &count(style, last.1)),
        ],
    )
}

fn spaces_table(rows: &[(String, i64)], style: &Style) -> DataTable {
    DataTable {
        columns: vec![style.t("chart.tableSpace"), style.t("chart.spacesX")],
        rows: rows
            .iter()
            .map(|(name, n)| {
                vec![
                    crate::clean::for_document(name).to_string(),
                    count(style, *n),
                ]
            })
            .collect(),
    }
}

fn pairs_summary(by: Boundary, names: &[String], matrix: &[Vec<i64>], style: &Style) -> String {
    let key = by.key();
    let most = matrix
        .iter()
        .enumerate()
        .flat_map(|(i, row)| row.iter().enumerate().map(move |(j, &n)| (i, j, n)))
        .fold(None, |best: Option<(usize, usize, i64)>, cell| match best {
            Some(b) if b.2 >= cell.2 => best,
            _ if cell.2 > 0 => Some(cell),
            _ => best,
        });
    let Some((i, j, n)) = most else {
        return style.t(&format!("{key}Empty"));
    };
    let name = |k: usize| super::group_name(by, names.get(k).map_or("", |n| n), style.lang);
    let total: i64 = matrix.iter().flatten().sum();
    words::fill(
        style.lang,
        &format!("{key}Alt"),
        &[
            ("total", &count(style, total)),
            ("count", &names.len().to_string()),
            ("n", &count(style, n)),
            ("from", &name(i)),
            ("to", &name(j)),
        ],
    )
}

fn pairs_table(by: Boundary, names: &[String], matrix: &[Vec<i64>], style: &Style) -> DataTable {
    let key = by.key();
    let shown: Vec<String> = names
        .iter()
        .map(|n| super::group_name(by, n, style.lang))
        .collect();
    let corner = words::fill(
        style.lang,
        "chart.tableCorner",
        &[
            ("rows", &style.t(&format!("{key}Y"))),
            ("columns", &style.t(&format!("{key}X"))),
        ],
    );
    DataTable {
        columns: std::iter::once(corner)
            .chain(shown.iter().cloned())
            .collect(),
        rows: shown
            .iter()
            .zip(matrix)
            .map(|(name, row)| {
                std::iter::once(name.clone())
                    .chain(row.iter().map(|&n| count(style, n)))
                    .collect()
            })
            .collect(),
    }
}

fn activation_summary(f: &Funnel, style: &Style) -> String {
    words::fill(
        style.lang,
        "chart.activationAlt",
        &[
            ("joined", &count(style, f.joined)),
            ("contributed", &count(style, f.contributed)),
            ("regular", &count(style, f.regular)),
            ("welcomed", &count(style, f.welcomed)),
        ],
    )
}

fn activation_table(f: &Funnel, style: &Style) -> DataTable {
    DataTable {
        columns: vec![
            style.t("chart.tableStage"),
            style.t("chart.activationX"),
            style.t("chart.tableShareJoined"),
        ],
        rows: funnel::bars(f)
            .iter()
            .map(|(key, n, _)| {
                let share = funnel::share_of_joined(f, *n)
                    .map(|s| numbers::percent(style.lang, s))
                    .unwrap_or_default();
                vec![style.t(key), count(style, *n), share]
            })
            .collect(),
    }
}
