//! `tend bench health`: a demo community of about a million activities, then the time of
//! the first (cold) computation that reads the community into memory on a store just
//! opened, with its peak memory (targets 1.5 s and 400 MiB), and of every metric (warm),
//! each chart, the Health view's one call and the sponsor report, against the targets
//! (250 ms, 50 ms, 650 ms, 2 s). Figures are printed, never asserted.

use std::path::Path;
use std::time::Instant;

use crate::bench::{self, BenchLine, Target};
use crate::charts;
use crate::demo::{self, DemoConfig};
use crate::error::Result;
use crate::health::{self, Lens, Period};
use crate::report::{self, ReportOptions};
use crate::store::Store;
use chrono::NaiveDate;

async fn best<F, Fut, T>(runs: usize, mut f: F) -> Result<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    f().await?; // warm
    let mut best = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        f().await?;
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(best)
}

/// Builds the demo in `db` (unless it already holds one) and times metrics, charts and report.
pub async fn run(
    db: &Path,
    members: usize,
    months: u32,
    threads_per_day: f64,
) -> Result<(Vec<BenchLine>, i64)> {
    let store = Store::open(db).await?;
    let until = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default();
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity")
        .fetch_one(store.pool())
        .await?;
    if existing == 0 {
        demo::generate(
            &store,
            &DemoConfig {
                members,
                months,
                seed: 7,
                until,
                threads_per_day,
            },
        )
        .await?;
    }
    let activities: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity")
        .fetch_one(store.pool())
        .await?;
    // The first computation as a facilitator meets it: the store just opened, nothing
    // kept in memory, the demo's own memory given back.
    store.close().await;
    let store = Store::open(db).await?;
    let lens = &Lens::whole(Period::days_to(until, 30));
    let style = &charts::Style::new(false, crate::words::Lang::En);
    bench::reset_peak();
    let cold = Instant::now();
    health::compute(&store, lens).await?;
    let cold_ms = cold.elapsed().as_secs_f64() * 1000.0;
    let mut out = vec![bench::other(
        "all metrics, cold (reads the community into memory)",
        cold_ms,
        "ms",
        cold_ms / 1000.0,
        Target::at_most(1500.0),
    )];
    out.push(bench::other(
        "peak memory of the cold computation",
        bench::peak_mib(),
        "MiB",
        0.0,
        Target::at_most(400.0),
    ));
    let warm = |name: &str, ms: f64, target: f64| {
        bench::other(name, ms, "ms", ms / 1000.0, Target::at_most(target))
    };
    out.push(warm(
        "all metrics (30 days, with the previous period)",
        best(3, || health::compute(&store, lens)).await?,
        250.0,
    ));
    for &chart in charts::ALL {
        out.push(warm(
            &format!("chart {chart:?}"),
            best(3, || charts::draw(&store, chart, lens, style)).await?,
            50.0,
        ));
    }
    // The Health view's one call: its target is the sum of its parts' (every metric, 250 ms,
    // and eight charts at 50 ms each).
    out.push(warm(
        "Health view: every metric and chart, with sentences and tables",
        best(3, || charts::dashboard(&store, lens, style)).await?,
        250.0 + 50.0 * charts::ALL.len() as f64,
    ));
    let options = ReportOptions::default();
    let report_ms = best(1, || async {
        report::build(&store, lens, &options)
            .await
            .map(|r| report::html::render(&r))
    })
    .await?;
    out.push(warm("sponsor report (HTML)", report_ms, 2000.0));
    store.close().await;
    Ok((out, activities))
}
