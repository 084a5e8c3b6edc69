//! The activation funnel: of the members who joined in a period, how many were welcomed,
//! made a first contribution and became regular by its end.

use plotters::prelude::*;

use super::{builder, draw_error, render, Theme, Themed, BLUE, GREEN, ORANGE, SIZE};
use crate::error::Result;
use crate::health::Period;
use crate::store::Store;

/// The funnel's four counts, in order: joined, welcomed, first contribution, regular.
pub async fn counts(store: &Store, period: Period) -> Result<[i64; 4]> {
    crate::health::funnel(store, period).await
}

/// Draws the funnel as horizontal bars with counts and shares of those who joined.
pub fn svg(counts: &[i64; 4], theme: Theme) -> Result<String> {
    const LABELS: [&str; 4] = ["Joined", "Welcomed", "First contribution", "Regular"];
    let colours = [BLUE, ORANGE, GREEN, GREEN];
    let max = counts[0].max(1) as f64 * 1.45;
    render(SIZE, theme, |root| {
        let font = ("sans-serif", 14).into_font().color(&theme.text);
        let mut chart = builder(root, "Activation of the period's new members", theme, 36, 8)
            .build_cartesian_2d(0.0..max, 0.0..4.0)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&super::whole)
            .x_desc("Members")
            .themed(theme)
            .draw()
            .map_err(draw_error)?;
        let y = |i: usize| 3.0 - i as f64;
        chart
            .draw_series(counts.iter().enumerate().map(|(i, &c)| {
                Rectangle::new(
                    [(0.0, y(i) + 0.15), (c as f64, y(i) + 0.85)],
                    colours[i].filled(),
                )
            }))
            .map_err(draw_error)?;
        chart
            .draw_series(counts.iter().enumerate().map(|(i, &c)| {
                let share = if counts[0] > 0 {
                    format!(" — {}%", c * 100 / counts[0])
                } else {
                    String::new()
                };
                Text::new(
                    format!("{} {c}{share}", LABELS[i]),
                    (c as f64 + max * 0.01, y(i) + 0.62),
                    font.clone(),
                )
            }))
            .map_err(draw_error)?;
        Ok(())
    })
}
