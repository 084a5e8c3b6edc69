//! The activation funnel: of the members who joined in a period, how many made a first
//! contribution and, of those, how many became regular; below a line, how many were
//! welcomed, counted apart because some contribute before anyone welcomes them.

use plotters::prelude::*;

use super::{builder, draw_error, render, Style, Themed, BLUE, GREEN, ORANGE, SIZE};
use crate::error::Result;
use crate::health::series::Funnel;
use crate::words::{self, numbers};

/// The bars as drawn, top to bottom: word key, count, colour. The first three nest.
pub(crate) fn bars(f: &Funnel) -> [(&'static str, i64, RGBColor); 4] {
    [
        ("chart.joined", f.joined, BLUE),
        ("chart.contributed", f.contributed, GREEN),
        ("chart.regular", f.regular, GREEN),
        ("chart.welcomed", f.welcomed, ORANGE),
    ]
}

/// `n` as a share of those who joined; none when nobody joined.
pub(crate) fn share_of_joined(f: &Funnel, n: i64) -> Option<f64> {
    (f.joined > 0).then(|| n as f64 / f.joined as f64)
}

/// Draws the funnel as horizontal bars with counts and shares of those who joined; the
/// welcomed bar sits below a rule, apart from the nested stages.
pub fn svg(f: &Funnel, style: &Style) -> Result<String> {
    let theme = style.theme;
    let bars = bars(f);
    let max = f.joined.max(1) as f64 * 1.6;
    render(SIZE, theme, |root| {
        let font = ("sans-serif", 14).into_font().color(&theme.text);
        let title = style.title("chart.activationTitle");
        let mut chart = builder(root, &title, theme, 36, 8)
            .build_cartesian_2d(0.0..max, 0.0..4.3)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&super::whole)
            .x_desc(style.t("chart.activationX"))
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        // Nested stages from the top; the separate count under a rule at the bottom.
        let y = |i: usize| if i < 3 { 3.3 - i as f64 } else { 0.0 };
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, c, colour))| {
                Rectangle::new(
                    [(0.0, y(i) + 0.15), (*c as f64, y(i) + 0.85)],
                    colour.filled(),
                )
            }))
            .map_err(draw_error)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 1.15), (max, 1.15)],
                theme.grid.stroke_width(1),
            )))
            .map_err(draw_error)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (key, c, _))| {
                let share = share_of_joined(f, *c)
                    .map(|s| format!(" — {}", numbers::percent(style.lang, s)))
                    .unwrap_or_default();
                Text::new(
                    format!("{} {c}{share}", words::text(style.lang, key)),
                    (*c as f64 + max * 0.01, y(i) + 0.62),
                    font.clone(),
                )
            }))
            .map_err(draw_error)?;
        Ok(())
    })
}
