//! Charts, drawn by the core with plotters as SVG, for the app (light or dark) and for
//! export (`tend chart NAME --out FILE.svg`). Colours come from the Okabe–Ito palette, which
//! stays distinguishable with the common colour-vision deficiencies.

use plotters::chart::{MeshStyle, SeriesLabelStyle};
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Deserialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::health::{Metrics, Period};
use crate::store::Store;

pub mod funnel;
pub mod png;

/// The charts Tend draws so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartName {
    /// Distinct active members in each of the last 26 weeks.
    ActiveMembers,
    /// Creators, contributors and lurkers against 90-9-1.
    Pyramid,
    /// Threads by hours to their first answer, and those unanswered.
    ResponseTime,
    /// Share of each monthly join cohort active in each month since joining.
    Retention,
    /// Activities in each space (the ten busiest).
    Spaces,
    /// Replies between countries: who answers whom.
    Countries,
    /// Replies between organisations: who answers whom.
    Organisations,
    /// New members of the period: joined, welcomed, first contribution, regular.
    Activation,
}

impl std::str::FromStr for ChartName {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "active_members" | "active-members" => Ok(ChartName::ActiveMembers),
            "pyramid" => Ok(ChartName::Pyramid),
            "response_time" | "response-time" => Ok(ChartName::ResponseTime),
            "retention" => Ok(ChartName::Retention),
            "spaces" => Ok(ChartName::Spaces),
            "countries" => Ok(ChartName::Countries),
            "organisations" | "organizations" => Ok(ChartName::Organisations),
            "activation" => Ok(ChartName::Activation),
            _ => Err(Error::InvalidValue {
                field: "chart",
                value: s.to_string(),
                expected: "active_members, pyramid, response_time, retention, spaces, countries, organisations or activation",
            }),
        }
    }
}

/// Light or dark, to match the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    background: RGBColor,
    text: RGBColor,
    grid: RGBColor,
}

impl Theme {
    /// The theme for light (`false`) or dark (`true`) mode.
    pub fn new(dark: bool) -> Theme {
        if dark {
            Theme {
                background: RGBColor(28, 36, 32),
                text: RGBColor(231, 236, 233),
                grid: RGBColor(52, 66, 59),
            }
        } else {
            Theme {
                background: RGBColor(255, 255, 255),
                text: RGBColor(29, 37, 33),
                grid: RGBColor(217, 214, 204),
            }
        }
    }
}

/// Okabe–Ito colours.
pub(crate) const BLUE: RGBColor = RGBColor(0, 114, 178);
pub(crate) const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub(crate) const GREEN: RGBColor = RGBColor(0, 158, 115);
const GREY: RGBColor = RGBColor(153, 153, 153);

/// Draws into a fresh SVG of `size` on the theme's background; `draw` adds the chart.
pub(crate) fn render(
    size: (u32, u32),
    theme: Theme,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<()>,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&theme.background).map_err(draw_error)?;
        draw(&root)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// A chart builder with Tend's title, margin and label areas.
pub(crate) fn builder<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    theme: Theme,
    x_area: u32,
    y_area: u32,
) -> ChartBuilder<'a, 'static, DB> {
    let mut b = ChartBuilder::on(root);
    b.caption(title, ("sans-serif", 18).into_font().color(&theme.text))
        .margin(12)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area);
    b
}

/// The theme's fonts and lines on a chart's mesh.
pub(crate) trait Themed {
    fn themed(&mut self, theme: Theme) -> &mut Self;
}

impl<X, Y, XT, YT, DB> Themed for MeshStyle<'_, '_, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    fn themed(&mut self, theme: Theme) -> &mut Self {
        let font = ("sans-serif", 13).into_font().color(&theme.text);
        self.label_style(font.clone())
            .axis_desc_style(font)
            .light_line_style(theme.background)
            .bold_line_style(theme.grid)
            .axis_style(theme.text)
    }
}

/// The theme's background, border and font on a chart's legend.
impl<'a, DB, CT> Themed for SeriesLabelStyle<'a, '_, DB, CT>
where
    DB: DrawingBackend + 'a,
    CT: CoordTranslate,
{
    fn themed(&mut self, theme: Theme) -> &mut Self {
        self.background_style(theme.background)
            .border_style(theme.grid)
            .label_font(("sans-serif", 13).into_font().color(&theme.text))
    }
}

pub(crate) const SIZE: (u32, u32) = (640, 320);
const WEEKS: i64 = 26;

pub(crate) fn draw_error(e: impl std::fmt::Display) -> Error {
    Error::InvalidValue {
        field: "chart",
        value: e.to_string(),
        expected: "a chart that can be drawn",
    }
}

/// A tick of a count or a percentage: a whole number ("200", not "200.0").
pub(crate) fn whole(v: &f64) -> String {
    format!("{v:.0}")
}

/// Distinct active members (any activity but a join, bots left out) per week, for the
/// `WEEKS` weeks ending with `period`.
pub async fn weekly_active(store: &Store, period: Period) -> Result<Vec<i64>> {
    crate::health::weekly_active(store, period, WEEKS as usize).await
}

/// Draws the line of weekly active members.
pub fn active_members_svg(weeks: &[i64], theme: Theme) -> Result<String> {
    render(SIZE, theme, |root| {
        let max = weeks.iter().copied().max().unwrap_or(0).max(1) + 1;
        let mut chart = builder(root, "Active members per week", theme, 36, 44)
            .build_cartesian_2d(0i64..weeks.len() as i64, 0i64..max)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_desc("Weeks ago")
            .y_desc("Members")
            .x_label_formatter(&|w| format!("{}", weeks.len() as i64 - w))
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        let points: Vec<(i64, i64)> = weeks
            .iter()
            .enumerate()
            .map(|(i, &n)| (i as i64, n))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), BLUE.stroke_width(3)))
            .map_err(draw_error)?
            .label("active members")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLUE.stroke_width(3)));
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 3, BLUE.filled())))
            .map_err(draw_error)?;
        chart
            .configure_series_labels()
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        Ok(())
    })
}

/// Draws creators, contributors and lurkers as shares beside the 90-9-1 reference.
pub fn pyramid_svg(m: &Metrics, theme: Theme) -> Result<String> {
    let total = m.members_total.max(1) as f64;
    let shares = [
        (
            "creators",
            m.pyramid.creators as f64 / total * 100.0,
            1.0,
            ORANGE,
        ),
        (
            "contributors",
            m.pyramid.contributors as f64 / total * 100.0,
            9.0,
            GREEN,
        ),
        (
            "lurkers",
            m.pyramid.lurkers as f64 / total * 100.0,
            90.0,
            BLUE,
        ),
    ];
    // Creators on top, lurkers at the base, as the pyramid is drawn.
    let row = |i: usize| (2 - i) as f64;
    render(SIZE, theme, |root| {
        let mut chart = builder(root, "Participation against 90-9-1", theme, 36, 8)
            .build_cartesian_2d(0.0..100.0, 0.0..3.0)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&whole)
            .x_desc("% of members")
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        chart
            .draw_series(shares.iter().enumerate().map(|(i, s)| {
                Rectangle::new([(0.0, row(i) + 0.2), (s.1, row(i) + 0.8)], s.3.filled())
            }))
            .map_err(draw_error)?
            .label("this community")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], GREY.filled()));
        chart
            .draw_series(shares.iter().enumerate().map(|(i, s)| {
                PathElement::new(
                    vec![(s.2, row(i) + 0.1), (s.2, row(i) + 0.9)],
                    theme.text.stroke_width(2),
                )
            }))
            .map_err(draw_error)?
            .label("90-9-1 reference")
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x + 8, y - 7), (x + 8, y + 7)],
                    theme.text.stroke_width(2),
                )
            });
        let label_font = ("sans-serif", 14).into_font().color(&theme.text);
        chart
            .draw_series(shares.iter().enumerate().map(|(i, s)| {
                Text::new(
                    format!("{} {:.0}% (90-9-1: {}%)", s.0, s.1, s.2),
                    (s.1 + 1.5, row(i) + 0.62),
                    label_font.clone(),
                )
            }))
            .map_err(draw_error)?;
        chart
            .configure_series_labels()
            .themed(theme)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(draw_error)?;
        Ok(())
    })
}

/// Upper bounds (hours) of the response-time buckets; the last is open.
const BUCKETS: [(f64, &str); 7] = [
    (1.0, "<1 h"),
    (4.0, "1-4 h"),
    (12.0, "4-12 h"),
    (24.0, "12-24 h"),
    (48.0, "1-2 d"),
    (96.0, "2-4 d"),
    (f64::INFINITY, "4 d+"),
];

/// Draws how many threads got their first answer within each bucket, and those without.
pub fn response_time_svg(hours: &[f64], unanswered: i64, theme: Theme) -> Result<String> {
    let mut counts = vec![0i64; BUCKETS.len() + 1];
    for h in hours {
        let i = BUCKETS
            .iter()
            .position(|(upper, _)| h < upper)
            .unwrap_or(BUCKETS.len() - 1);
        counts[i] += 1;
    }
    counts[BUCKETS.len()] = unanswered;
    let labels: Vec<&str> = BUCKETS
        .iter()
        .map(|b| b.1)
        .chain(std::iter::once("none"))
        .collect();
    let max = counts.iter().copied().max().unwrap_or(0).max(1) + 1;
    render(SIZE, theme, |root| {
        let mut chart = builder(root, "Time to first answer", theme, 36, 44)
            .build_cartesian_2d(0i64..counts.len() as i64, 0i64..max)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(counts.len())
            .x_label_formatter(&|i| {
                labels
                    .get(*i as usize)
                    .map(|l| l.to_string())
                    .unwrap_or_default()
            })
            .x_desc("Hours to the first answer by someone else")
            .y_desc("Threads")
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        chart
            .draw_series(counts.iter().enumerate().map(|(i, &n)| {
                let colour = if i == BUCKETS.len() { GREY } else { BLUE };
                Rectangle::new([(i as i64, 0), (i as i64 + 1, n)], colour.filled())
            }))
            .map_err(draw_error)?;
        Ok(())
    })
}

/// A shade of blue from the background (0) to full (1), for the heatmap.
fn shade(share: f64, theme: Theme) -> RGBColor {
    let mix =
        |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * share.clamp(0.0, 1.0)).round() as u8;
    RGBColor(
        mix(theme.background.0, BLUE.0),
        mix(theme.background.1, BLUE.1),
        mix(theme.background.2, BLUE.2),
    )
}

/// The most cohorts (rows) and months since joining (columns) the retention chart shows.
pub const RETENTION_SHOWN: usize = 18;

/// The cohorts as the chart shows them: the last [`RETENTION_SHOWN`] − 1 as they are, the
/// older ones summed in one first row ("≤ 2025-02": each month's share weighted by cohort
/// size), and each cut to its first [`RETENTION_SHOWN`] months. A long history (130
/// monthly cohorts after a 2015 import) stays readable.
pub fn retention_rows(cohorts: &[crate::health::Cohort]) -> Vec<crate::health::Cohort> {
    use crate::health::Cohort;
    let cut = |c: &Cohort| Cohort {
        active_share: c
            .active_share
            .iter()
            .take(RETENTION_SHOWN)
            .copied()
            .collect(),
        ..c.clone()
    };
    if cohorts.len() <= RETENTION_SHOWN {
        return cohorts.iter().map(cut).collect();
    }
    let (older, recent) = cohorts.split_at(cohorts.len() - (RETENTION_SHOWN - 1));
    let size: i64 = older.iter().map(|c| c.size).sum();
    let months = older
        .iter()
        .map(|c| c.active_share.len())
        .max()
        .unwrap_or(0);
    let active_share = (0..months.min(RETENTION_SHOWN))
        .map(|k| {
            let (active, of) = older
                .iter()
                .filter_map(|c| c.active_share.get(k).map(|s| (s * c.size as f64, c.size)))
                .fold((0.0, 0), |(a, n), (s, size)| (a + s, n + size));
            if of > 0 {
                active / of as f64
            } else {
                0.0
            }
        })
        .collect();
    let last = older.last().map(|c| c.month.as_str()).unwrap_or_default();
    let merged = Cohort {
        month: format!("≤ {last}"),
        size,
        active_share,
    };
    std::iter::once(merged)
        .chain(recent.iter().map(cut))
        .collect()
}

/// Draws join cohorts (rows) by months since joining (columns), shaded by share active: at
/// most [`RETENTION_SHOWN`] of each ([`retention_rows`]).
pub fn retention_svg(cohorts: &[crate::health::Cohort], theme: Theme) -> Result<String> {
    let cohorts = &retention_rows(cohorts)[..];
    let rows = cohorts.len().max(1) as i64;
    let cols = cohorts
        .iter()
        .map(|c| c.active_share.len())
        .max()
        .unwrap_or(1)
        .max(1) as i64;
    render((SIZE.0, SIZE.1.max(60 + 22 * rows as u32)), theme, |root| {
        let mut chart = builder(root, "Retention by join cohort", theme, 36, 70)
            .build_cartesian_2d(0i64..cols, 0f64..rows as f64)
            .map_err(draw_error)?;
        // Labels every half row, shown only at row centres, so each sits beside its row.
        let label = |y: &f64| {
            let centre = (y - 0.5).rem_euclid(1.0) < 1e-6;
            let row = (rows as f64 - 0.5 - y).round() as usize;
            if centre {
                cohorts
                    .get(row)
                    .map(|c| c.month.clone())
                    .unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(cols.min(24) as usize)
            .y_labels(rows as usize * 2 + 1)
            .x_desc("Months since joining (share of the cohort active)")
            .y_label_formatter(&label)
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        let cells: Vec<(f64, i64, f64)> = cohorts
            .iter()
            .enumerate()
            .flat_map(|(r, c)| {
                c.active_share
                    .iter()
                    .enumerate()
                    .map(move |(k, s)| ((rows - 1) as f64 - r as f64, k as i64, *s))
            })
            .collect();
        chart
            .draw_series(cells.iter().map(|&(y, k, s)| {
                Rectangle::new([(k, y), (k + 1, y + 1.0)], shade(s, theme).filled())
            }))
            .map_err(draw_error)?;
        let light = ("sans-serif", 12).into_font().color(&WHITE);
        let dark = ("sans-serif", 12).into_font().color(&theme.text);
        chart
            .draw_series(cells.iter().map(|&(y, k, s)| {
                let style = if s > 0.5 { light.clone() } else { dark.clone() };
                Text::new(format!("{:.0}%", s * 100.0), (k, y + 0.62), style)
            }))
            .map_err(draw_error)?;
        Ok(())
    })
}

/// Activities (bots and joins left out) per space in `period`, busiest first, at most ten.
pub async fn activity_by_space(store: &Store, period: Period) -> Result<Vec<(String, i64)>> {
    crate::health::by_space(store, period, 10).await
}

/// Draws horizontal bars of activity per space, labelled with the space's name.
pub fn spaces_svg(rows: &[(String, i64)], theme: Theme) -> Result<String> {
    let n = rows.len().max(1) as f64;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64 * 1.35;
    render(SIZE, theme, |root| {
        let font = ("sans-serif", 14).into_font().color(&theme.text);
        let mut chart = builder(root, "Activity per space", theme, 36, 8)
            .build_cartesian_2d(0.0..max, 0.0..n)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&whole)
            .x_desc("Activities")
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        let y = |i: usize| n - 1.0 - i as f64;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                Rectangle::new(
                    [(0.0, y(i) + 0.15), (r.1 as f64, y(i) + 0.85)],
                    GREEN.filled(),
                )
            }))
            .map_err(draw_error)?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                Text::new(
                    format!("{} ({})", r.0, r.1),
                    (r.1 as f64 + max * 0.01, y(i) + 0.62),
                    font.clone(),
                )
            }))
            .map_err(draw_error)?;
        Ok(())
    })
}

/// What a who-answers-whom matrix groups members by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    /// Their country.
    Country,
    /// Their organisation.
    Organisation,
}

/// Replies in `period` between members with known countries: (replier's, thread author's)
/// country and count, for the eight countries with most replies.
pub async fn country_pairs(store: &Store, period: Period) -> Result<(Vec<String>, Vec<Vec<i64>>)> {
    boundary_pairs(store, period, Boundary::Country).await
}

/// Replies in `period` between members on either side of a boundary (country or
/// organisation), for the eight groups with most replies.
pub async fn boundary_pairs(
    store: &Store,
    period: Period,
    by: Boundary,
) -> Result<(Vec<String>, Vec<Vec<i64>>)> {
    crate::health::boundary_pairs(store, period, by == Boundary::Organisation, 8).await
}

/// Draws who answers whom between countries: rows reply to columns.
pub fn countries_svg(names: &[String], matrix: &[Vec<i64>], theme: Theme) -> Result<String> {
    matrix_svg(names, matrix, theme, Boundary::Country)
}

/// Draws who answers whom across a boundary: rows reply to columns.
pub fn matrix_svg(
    names: &[String],
    matrix: &[Vec<i64>],
    theme: Theme,
    by: Boundary,
) -> Result<String> {
    let (title, x_desc, y_desc) = match by {
        Boundary::Country => (
            "Replies between countries",
            "Thread started by someone in",
            "Reply by someone in",
        ),
        Boundary::Organisation => (
            "Replies between organisations",
            "Thread started by someone from",
            "Reply by someone from",
        ),
    };
    let k = names.len().max(1) as i64;
    let max = matrix.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    render((SIZE.0, SIZE.1 + 80), theme, |root| {
        let font = ("sans-serif", 12).into_font().color(&theme.text);
        let mut chart = builder(root, title, theme, 40, 90)
            .build_cartesian_2d(0f64..k as f64, 0f64..k as f64)
            .map_err(draw_error)?;
        let label = |v: &f64, flip: bool| {
            let centre = (v - 0.5).rem_euclid(1.0) < 1e-6;
            let i = if flip {
                (k as f64 - 0.5 - v).round()
            } else {
                (v - 0.5).round()
            } as usize;
            if centre {
                names.get(i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(k as usize * 2 + 1)
            .y_labels(k as usize * 2 + 1)
            .x_label_formatter(&|v| label(v, false))
            .y_label_formatter(&|v| label(v, true))
            .x_desc(x_desc)
            .y_desc(y_desc)
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        let cells: Vec<(f64, f64, i64)> = matrix
            .iter()
            .enumerate()
            .flat_map(|(i, row)| {
                row.iter()
                    .enumerate()
                    .map(move |(j, &n)| (j as f64, (k - 1 - i as i64) as f64, n))
            })
            .collect();
        chart
            .draw_series(cells.iter().map(|&(x, y, n)| {
                Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    shade(n as f64 / max, theme).filled(),
                )
            }))
            .map_err(draw_error)?;
        let light = ("sans-serif", 12).into_font().color(&WHITE);
        chart
            .draw_series(cells.iter().map(|&(x, y, n)| {
                let style = if n as f64 / max > 0.5 {
                    light.clone()
                } else {
                    font.clone()
                };
                Text::new(n.to_string(), (x + 0.4, y + 0.6), style)
            }))
            .map_err(draw_error)?;
        Ok(())
    })
}

/// Draws one chart for `period`.
pub async fn draw(store: &Store, name: ChartName, period: Period, dark: bool) -> Result<String> {
    draw_with(store, name, period, dark, None).await
}

/// The period's metrics: those given, else computed.
async fn metrics_of<'a>(
    store: &Store,
    period: Period,
    given: Option<&'a Metrics>,
) -> Result<std::borrow::Cow<'a, Metrics>> {
    match given {
        Some(m) => Ok(std::borrow::Cow::Borrowed(m)),
        None => Ok(std::borrow::Cow::Owned(
            crate::health::compute(store, period, None).await?.current,
        )),
    }
}

/// Draws one chart for `period`, reusing `metrics` already computed for it (the pyramid and
/// retention charts need them) instead of computing them again.
pub async fn draw_with(
    store: &Store,
    name: ChartName,
    period: Period,
    dark: bool,
    metrics: Option<&Metrics>,
) -> Result<String> {
    let theme = Theme::new(dark);
    match name {
        ChartName::ActiveMembers => active_members_svg(&weekly_active(store, period).await?, theme),
        ChartName::Pyramid => pyramid_svg(&*metrics_of(store, period, metrics).await?, theme),
        ChartName::ResponseTime => {
            let (hours, unanswered) = crate::health::first_responses(store, period).await?;
            response_time_svg(&hours, unanswered, theme)
        }
        ChartName::Spaces => spaces_svg(&activity_by_space(store, period).await?, theme),
        ChartName::Countries => {
            let (names, matrix) = country_pairs(store, period).await?;
            countries_svg(&names, &matrix, theme)
        }
        ChartName::Organisations => {
            let (names, matrix) = boundary_pairs(store, period, Boundary::Organisation).await?;
            matrix_svg(&names, &matrix, theme, Boundary::Organisation)
        }
        ChartName::Activation => funnel::svg(&funnel::counts(store, period).await?, theme),
        ChartName::Retention => {
            retention_svg(&metrics_of(store, period, metrics).await?.retention, theme)
        }
    }
}
