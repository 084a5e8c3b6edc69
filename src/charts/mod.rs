//! Charts, drawn by the core with plotters as SVG, for the app (light or dark) and for
//! export (`tend chart NAME --out FILE.svg`). Colours come from the Okabe–Ito palette, which
//! stays distinguishable with the common colour-vision deficiencies.

use plotters::chart::{MeshStyle, SeriesLabelStyle};
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::document::FileType;
use crate::error::{Error, Result};
use crate::health::{Health, Lens, Metrics, Pyramid, Scoped, Segment};
use crate::store::Store;
use crate::words::{self, numbers, Lang};

pub mod figures;
pub mod funnel;
pub mod png;

pub use figures::{Chart, DataTable, Figures};

/// The charts Tend draws so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::VariantArray)]
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

impl ChartName {
    /// The key of its title in [`crate::words`].
    pub fn title_key(self) -> &'static str {
        match self {
            ChartName::ActiveMembers => "chart.activeTitle",
            ChartName::Pyramid => "chart.pyramidTitle",
            ChartName::ResponseTime => "chart.responseTitle",
            ChartName::Retention => "chart.retentionTitle",
            ChartName::Spaces => "chart.spacesTitle",
            ChartName::Countries => "chart.countriesTitle",
            ChartName::Organisations => "chart.organisationsTitle",
            ChartName::Activation => "chart.activationTitle",
        }
    }

    /// Whether it draws from the period's metrics (which are then computed for it).
    fn needs_metrics(self) -> bool {
        matches!(self, ChartName::Pyramid | ChartName::Retention)
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

/// How a chart is drawn: light or dark, in which language, and which segment it shows
/// (said after its title).
#[derive(Debug, Clone)]
pub struct Style {
    /// Colours.
    pub theme: Theme,
    /// The language of its words.
    pub lang: Lang,
    /// "only Kenya, Member", when a segment is shown.
    note: Option<String>,
}

impl Style {
    /// Light (`dark` false) or dark, in `lang`, for the whole community.
    pub fn new(dark: bool, lang: Lang) -> Style {
        Style {
            theme: Theme::new(dark),
            lang,
            note: None,
        }
    }

    /// The same style, saying after each title that only `segment` is shown: its values,
    /// countries and roles in the chart's language.
    pub fn showing(mut self, segment: &[Segment]) -> Style {
        let values = crate::health::segments::in_words(segment, self.lang);
        self.note = (!values.is_empty()).then(|| {
            words::fill(
                self.lang,
                "chart.segment",
                &[("segment", &values.join(", "))],
            )
        });
        self
    }

    /// The text of `key` in the chart's language.
    pub(crate) fn t(&self, key: &str) -> String {
        words::text(self.lang, key)
    }

    /// A title, with the segment shown after it.
    pub(crate) fn title(&self, key: &str) -> String {
        match &self.note {
            Some(note) => format!("{} — {note}", self.t(key)),
            None => self.t(key),
        }
    }
}

/// The size of the smallest text a chart draws (axis labels, cell figures): at the report's
/// print width it comes out at 8 pt or more.
pub(crate) const LABEL_SIZE: u32 = 13;

/// A text anchored at its middle, for figures inside cells.
const CENTRE: Pos = Pos {
    h_pos: HPos::Center,
    v_pos: VPos::Center,
};

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
        let font = ("sans-serif", LABEL_SIZE).into_font().color(&theme.text);
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
            .label_font(("sans-serif", LABEL_SIZE).into_font().color(&theme.text))
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

/// Draws the line of weekly active members.
pub fn active_members_svg(weeks: &[i64], style: &Style) -> Result<String> {
    let theme = style.theme;
    render(SIZE, theme, |root| {
        let max = weeks.iter().copied().max().unwrap_or(0).max(1) + 1;
        let mut chart = builder(root, &style.title("chart.activeTitle"), theme, 36, 44)
            .build_cartesian_2d(0i64..weeks.len() as i64, 0i64..max)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_desc(style.t("chart.activeX"))
            .y_desc(style.t("chart.activeY"))
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
            .label(style.t("chart.activeLegend"))
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

/// One bar of the participation pyramid.
pub(crate) struct PyramidBar {
    /// The word key of its group.
    pub key: &'static str,
    /// Members in the group.
    pub count: i64,
    /// Their share of all members, in percent.
    pub share: f64,
    /// The 90-9-1 rule's share, in percent.
    pub reference: f64,
    /// Its colour.
    colour: RGBColor,
}

/// Creators, contributors and lurkers, top to bottom, as shares of `total` members.
pub(crate) fn pyramid_bars(p: &Pyramid, total: i64) -> [PyramidBar; 3] {
    let share = |n: i64| n as f64 / total.max(1) as f64 * 100.0;
    let bar = |key, count, reference, colour| PyramidBar {
        key,
        count,
        share: share(count),
        reference,
        colour,
    };
    [
        bar("chart.creators", p.creators, 1.0, ORANGE),
        bar("chart.contributors", p.contributors, 9.0, GREEN),
        bar("chart.lurkers", p.lurkers, 90.0, BLUE),
    ]
}

/// Draws creators, contributors and lurkers among `total` members as shares beside the
/// 90-9-1 reference.
pub fn pyramid_svg(p: &Pyramid, total: i64, style: &Style) -> Result<String> {
    let theme = style.theme;
    let shares = pyramid_bars(p, total).map(|b| (style.t(b.key), b.share, b.reference, b.colour));
    // Creators on top, lurkers at the base, as the pyramid is drawn.
    let row = |i: usize| (2 - i) as f64;
    render(SIZE, theme, |root| {
        let mut chart = builder(root, &style.title("chart.pyramidTitle"), theme, 36, 8)
            .build_cartesian_2d(0.0..100.0, 0.0..3.0)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&whole)
            .x_desc(style.t("chart.pyramidX"))
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        chart
            .draw_series(shares.iter().enumerate().map(|(i, s)| {
                Rectangle::new([(0.0, row(i) + 0.2), (s.1, row(i) + 0.8)], s.3.filled())
            }))
            .map_err(draw_error)?
            .label(style.t("chart.pyramidLegend"))
            // The swatch shows the bars' three colours, as the bars are drawn.
            .legend(|(x, y)| {
                EmptyElement::at((x, y))
                    + Rectangle::new([(0, -5), (5, 5)], ORANGE.filled())
                    + Rectangle::new([(6, -5), (11, 5)], GREEN.filled())
                    + Rectangle::new([(12, -5), (17, 5)], BLUE.filled())
            });
        chart
            .draw_series(shares.iter().enumerate().map(|(i, s)| {
                PathElement::new(
                    vec![(s.2, row(i) + 0.1), (s.2, row(i) + 0.9)],
                    theme.text.stroke_width(2),
                )
            }))
            .map_err(draw_error)?
            .label(style.t("chart.pyramidReference"))
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
                    words::fill(
                        style.lang,
                        "chart.pyramidBar",
                        &[
                            ("group", &s.0),
                            ("share", &numbers::percent(style.lang, s.1 / 100.0)),
                            ("reference", &numbers::percent(style.lang, s.2 / 100.0)),
                        ],
                    ),
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
pub const BUCKETS: [f64; 7] = [1.0, 4.0, 12.0, 24.0, 48.0, 96.0, f64::INFINITY];

/// A bucket's label in the chart's language: "<1 h", "4–12 h", "1–2 d", "4 d+".
fn bucket_label(style: &Style, i: usize) -> String {
    let lower = if i == 0 { 0.0 } else { BUCKETS[i - 1] };
    let upper = BUCKETS[i];
    let n = |v: f64| format!("{v:.0}");
    if i == 0 {
        style.t("chart.underHour")
    } else if upper.is_infinite() {
        words::fill(style.lang, "chart.daysMore", &[("from", &n(lower / 24.0))])
    } else if lower >= 24.0 {
        let range = [("from", n(lower / 24.0)), ("to", n(upper / 24.0))];
        words::fill(
            style.lang,
            "chart.days",
            &range.each_ref().map(|(k, v)| (*k, v.as_str())),
        )
    } else {
        let range = [("from", n(lower)), ("to", n(upper))];
        words::fill(
            style.lang,
            "chart.hours",
            &range.each_ref().map(|(k, v)| (*k, v.as_str())),
        )
    }
}

/// Threads per bucket of hours to their first answer, then `unanswered`: the response-time
/// chart's bars.
pub(crate) fn response_counts(hours: &[f64], unanswered: i64) -> Vec<i64> {
    let mut counts = vec![0i64; BUCKETS.len() + 1];
    for h in hours {
        let i = BUCKETS
            .iter()
            .position(|upper| h < upper)
            .unwrap_or(BUCKETS.len() - 1);
        counts[i] += 1;
    }
    counts[BUCKETS.len()] = unanswered;
    counts
}

/// The label of the response-time chart's `i`th bar: a bucket, or "none" after them.
pub(crate) fn response_label(style: &Style, i: usize) -> String {
    if i < BUCKETS.len() {
        bucket_label(style, i)
    } else {
        style.t("chart.noAnswer")
    }
}

/// Draws how many threads got their first answer within each bucket, and those without
/// (`counts` as [`Figures::ResponseTime`] holds them).
pub fn response_time_svg(counts: &[i64], style: &Style) -> Result<String> {
    let theme = style.theme;
    let labels: Vec<String> = (0..counts.len())
        .map(|i| response_label(style, i))
        .collect();
    let max = counts.iter().copied().max().unwrap_or(0).max(1) + 1;
    render(SIZE, theme, |root| {
        let mut chart = builder(root, &style.title("chart.responseTitle"), theme, 36, 44)
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
            .x_desc(style.t("chart.responseX"))
            .y_desc(style.t("chart.responseY"))
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
pub fn retention_svg(cohorts: &[crate::health::Cohort], style: &Style) -> Result<String> {
    let theme = style.theme;
    let cohorts = &retention_rows(cohorts)[..];
    let rows = cohorts.len().max(1) as i64;
    let cols = cohorts
        .iter()
        .map(|c| c.active_share.len())
        .max()
        .unwrap_or(1)
        .max(1) as i64;
    render((SIZE.0, SIZE.1.max(60 + 22 * rows as u32)), theme, |root| {
        let mut chart = builder(root, &style.title("chart.retentionTitle"), theme, 36, 84)
            .build_cartesian_2d(0i64..cols, 0f64..rows as f64)
            .map_err(draw_error)?;
        // Labels every half row, shown only at row centres, so each sits beside its row.
        let label = |y: &f64| {
            let centre = (y - 0.5).rem_euclid(1.0) < 1e-6;
            let row = (rows as f64 - 0.5 - y).round() as usize;
            if centre {
                cohorts
                    .get(row)
                    .map(|c| words::month_label(style.lang, &c.month))
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
            .x_desc(style.t("chart.retentionX"))
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
        // Figures centred in their cells; narrow cells (many months) leave out the "%",
        // which the axis title states, rather than shrink below print size.
        let cell_px = chart.plotting_area().dim_in_pixel().0 as f64 / cols as f64;
        let figure = |s: f64| {
            if cell_px < 34.0 {
                numbers::number(style.lang, s * 100.0, 0)
            } else {
                numbers::percent(style.lang, s)
            }
        };
        let light = ("sans-serif", LABEL_SIZE)
            .into_font()
            .color(&WHITE)
            .pos(CENTRE);
        let dark = ("sans-serif", LABEL_SIZE)
            .into_font()
            .color(&theme.text)
            .pos(CENTRE);
        for &(y, k, s) in &cells {
            let style = if s > 0.5 { light.clone() } else { dark.clone() };
            let (left, top) = chart.backend_coord(&(k, y + 1.0));
            let (right, bottom) = chart.backend_coord(&(k + 1, y));
            let centre = ((left + right) / 2, (top + bottom) / 2);
            root.draw(&Text::new(figure(s), centre, style))
                .map_err(draw_error)?;
        }
        Ok(())
    })
}

/// The most characters on a line of an empty chart's sentence (14-pixel text across
/// [`PLOT_WIDTH`]).
const SENTENCE_CHARS: usize = 72;

/// `text` cut into lines of at most `chars` characters, at spaces (a longer word stands
/// alone on its line).
pub(crate) fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= chars => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// A chart with nothing to draw: its title, and in place of empty axes the sentence
/// `why_key` saying why.
pub(crate) fn empty_svg(style: &Style, title_key: &str, why_key: &str) -> Result<String> {
    let theme = style.theme;
    render(SIZE, theme, |root| {
        let title = ("sans-serif", 18).into_font().color(&theme.text);
        let font = ("sans-serif", 14)
            .into_font()
            .color(&theme.text)
            .pos(CENTRE);
        let centre = SIZE.0 as i32 / 2;
        root.draw(&Text::new(
            style.title(title_key),
            (centre, 24),
            title.pos(CENTRE),
        ))
        .map_err(draw_error)?;
        let lines = wrap(&style.t(why_key), SENTENCE_CHARS);
        let top = SIZE.1 as i32 / 2 - 10 * lines.len() as i32;
        for (i, line) in lines.into_iter().enumerate() {
            root.draw(&Text::new(
                line,
                (centre, top + 20 * i as i32),
                font.clone(),
            ))
            .map_err(draw_error)?;
        }
        Ok(())
    })
}

/// Draws horizontal bars of activity per space, labelled with the space's name; with no
/// activity, says so.
pub fn spaces_svg(rows: &[(String, i64)], style: &Style) -> Result<String> {
    if rows.is_empty() {
        return empty_svg(style, "chart.spacesTitle", "chart.empty");
    }
    let theme = style.theme;
    let n = rows.len().max(1) as f64;
    let labels: Vec<String> = rows
        .iter()
        .map(|(name, count)| {
            let count = numbers::number(style.lang, *count as f64, 0);
            format!("{} ({count})", shorten(name, SPACE_LABEL_CHARS))
        })
        .collect();
    // The axis reaches far enough past the longest bar for its label to fit.
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    let room = ((longest * BAR_LABEL_PX_PER_CHAR + 12.0) / PLOT_WIDTH).min(0.6);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64 / (1.0 - room);
    render(SIZE, theme, |root| {
        let font = ("sans-serif", 14).into_font().color(&theme.text);
        let mut chart = builder(root, &style.title("chart.spacesTitle"), theme, 36, 8)
            .build_cartesian_2d(0.0..max, 0.0..n)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&whole)
            .x_desc(style.t("chart.spacesX"))
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
                    labels[i].clone(),
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

impl Boundary {
    /// The start of its words' keys: `chart.countries`, `chart.organisations`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Boundary::Country => "chart.countries",
            Boundary::Organisation => "chart.organisations",
        }
    }
}

/// A group's name as a chart says it: a country's in `lang`, an organisation's as stored
/// (cleaned for a document).
pub(crate) fn group_name(by: Boundary, name: &str, lang: Lang) -> String {
    let shown = match by {
        Boundary::Country => crate::countries::name_in(name, lang.code()),
        Boundary::Organisation => None,
    };
    crate::clean::for_document(shown.unwrap_or(name)).to_string()
}

/// Draws who answers whom between countries: rows reply to columns.
pub fn countries_svg(names: &[String], matrix: &[Vec<i64>], style: &Style) -> Result<String> {
    matrix_svg(names, matrix, style, Boundary::Country)
}

/// The most characters of a space's name beside its bar.
const SPACE_LABEL_CHARS: usize = 32;

/// The width of one character of a 14-pixel bar label, rounded up.
const BAR_LABEL_PX_PER_CHAR: f64 = 8.0;

/// The plotting width of a chart of [`SIZE`], in pixels (less margins and label areas).
const PLOT_WIDTH: f64 = 600.0;

/// The most characters of a name beside a matrix's rows and under its columns.
const MATRIX_LABEL_CHARS: usize = 22;

/// The width of one character of a 12-pixel label, rounded up (for label room).
const LABEL_PX_PER_CHAR: u32 = 7;

/// `name` cut to `chars` characters, the cut marked with "…".
fn shorten(name: &str, chars: usize) -> String {
    let name = crate::clean::for_document(name);
    if name.chars().count() <= chars {
        return name.to_string();
    }
    let kept: String = name.chars().take(chars - 1).collect();
    format!("{}…", kept.trim_end())
}

/// Draws who answers whom across a boundary: rows reply to columns.
pub fn matrix_svg(
    names: &[String],
    matrix: &[Vec<i64>],
    style: &Style,
    by: Boundary,
) -> Result<String> {
    let theme = style.theme;
    let lang = style.lang;
    let key = by.key();
    if names.is_empty() {
        return empty_svg(style, &format!("{key}Title"), &format!("{key}Empty"));
    }
    let (title, x_desc, y_desc) = (
        style.title(&format!("{key}Title")),
        style.t(&format!("{key}X")),
        style.t(&format!("{key}Y")),
    );
    let names: Vec<String> = names
        .iter()
        .map(|n| shorten(&group_name(by, n, lang), MATRIX_LABEL_CHARS))
        .collect();
    // Room for the longest name beside the rows and, turned upright, under the columns.
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) as u32;
    let room = 30 + longest * LABEL_PX_PER_CHAR;
    let k = names.len().max(1) as i64;
    let max = matrix.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    render((SIZE.0, SIZE.1 + room), theme, |root| {
        let font = ("sans-serif", LABEL_SIZE).into_font().color(&theme.text);
        let mut chart = builder(root, &title, theme, room, room)
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
            .x_label_formatter(&|_| String::new())
            .y_label_formatter(&|v| label(v, true))
            .x_desc(x_desc)
            .y_desc(y_desc)
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        // Column names upright, each starting just under its column, reading downwards.
        let upright = font
            .clone()
            .transform(FontTransform::Rotate90)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (i, name) in names.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            root.draw(&Text::new(name.clone(), (x, y + 8), upright.clone()))
                .map_err(draw_error)?;
        }
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
        let light = ("sans-serif", LABEL_SIZE).into_font().color(&WHITE);
        chart
            .draw_series(cells.iter().map(|&(x, y, n)| {
                let style = if n as f64 / max > 0.5 {
                    light.clone()
                } else {
                    font.clone()
                };
                Text::new(
                    numbers::number(lang, n as f64, 0),
                    (x + 0.5, y + 0.5),
                    style.pos(CENTRE),
                )
            }))
            .map_err(draw_error)?;
        Ok(())
    })
}

/// Every chart, in the order the dashboard and the report show them (the declaration's).
pub const ALL: &[ChartName] = <ChartName as strum::VariantArray>::VARIANTS;

/// The figures of chart `name` for `lens`, read in one pass (the metrics computed only
/// for the charts drawn from them).
pub async fn figures(store: &Store, name: ChartName, lens: &Lens) -> Result<Figures> {
    let scoped = Scoped::open(store, lens).await?;
    let metrics = if name.needs_metrics() {
        scoped.compute(store).await?.current
    } else {
        Metrics::default()
    };
    Ok(Figures::of(name, &scoped, &metrics))
}

/// One chart of `lens` in `style` (the segment is said after the title): drawing, sentence
/// and table.
pub async fn chart(store: &Store, name: ChartName, lens: &Lens, style: &Style) -> Result<Chart> {
    let figures = figures(store, name, lens).await?;
    Chart::new(&figures, &style.clone().showing(&lens.segment))
}

/// Draws one chart of `lens` in `style` (the segment is said after the title).
pub async fn draw(store: &Store, name: ChartName, lens: &Lens, style: &Style) -> Result<String> {
    Ok(chart(store, name, lens, style).await?.svg)
}

/// The metrics of `lens` and the charts `names` made from the same reading of the
/// community: one index, one resolved segment, each chart's figures computed once.
pub async fn with_health(
    store: &Store,
    names: &[ChartName],
    lens: &Lens,
    style: &Style,
) -> Result<(Health, Vec<Chart>)> {
    let scoped = Scoped::open(store, lens).await?;
    let health = scoped.compute(store).await?;
    let style = &style.clone().showing(&lens.segment);
    let charts = names
        .iter()
        .map(|&name| Chart::new(&Figures::of(name, &scoped, &health.current), style))
        .collect::<Result<Vec<Chart>>>()?;
    Ok((health, charts))
}

/// The Health view in one call: the metrics of `lens` and every chart drawn from them.
#[derive(Debug, Clone, serde::Serialize, TS)]
pub struct Dashboard {
    /// The metrics, with the previous period's.
    pub health: Health,
    /// Every chart of [`ALL`], in that order, each with its sentence and table.
    pub charts: Vec<Chart>,
}

/// Computes the metrics of `lens` once and makes every chart from them.
pub async fn dashboard(store: &Store, lens: &Lens, style: &Style) -> Result<Dashboard> {
    let (health, charts) = with_health(store, ALL, lens, style).await?;
    Ok(Dashboard { health, charts })
}

/// Draws one chart and writes it to `out`: PNG (at twice the size, for print) when the
/// name ends in `.png`, else SVG when it ends in `.svg`; any other name is refused before
/// anything is drawn.
pub async fn export(
    store: &Store,
    name: ChartName,
    lens: &Lens,
    style: &Style,
    out: &std::path::Path,
) -> Result<()> {
    let kind = FileType::of(out, &[FileType::Svg, FileType::Png])?;
    let svg = draw(store, name, lens, style).await?;
    let bytes = if kind == FileType::Png {
        png::from_svg(&svg, 2.0)?
    } else {
        svg.into_bytes()
    };
    crate::document::write(out, &bytes)
}
