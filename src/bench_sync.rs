//! `tend bench sync`: a demo community on laptop A, sent through a shared folder to an empty
//! laptop B, then a burst of edits on A sent again; the time of each step and the records
//! per second, clear and sealed. Figures are printed, never asserted.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use serde::Serialize;

use crate::demo::{self, DemoConfig};
use crate::error::Result;
use crate::model::MemberPatch;
use crate::store::Store;
use crate::sync::folder;

/// One step's figures.
#[derive(Debug, Clone, Serialize)]
pub struct SyncTiming {
    /// What was timed.
    pub name: String,
    /// Change records it carried.
    pub records: u64,
    /// Seconds.
    pub seconds: f64,
    /// Records per second.
    pub per_second: f64,
}

fn timing(name: String, records: u64, started: Instant) -> SyncTiming {
    let seconds = started.elapsed().as_secs_f64();
    SyncTiming {
        name,
        records,
        seconds,
        per_second: records as f64 / seconds.max(1e-9),
    }
}

/// Runs the benchmark in `dir` with a demo of `members` members over `months` months and
/// `edits` member edits, clear and sealed.
pub async fn run(dir: &Path, members: usize, months: u32, edits: usize) -> Result<Vec<SyncTiming>> {
    let mut out = Vec::new();
    for pass in [None, Some("bench passphrase")] {
        let label = if pass.is_some() { "sealed" } else { "clear" };
        let here = dir.join(label);
        let shared = here.join("shared");
        std::fs::create_dir_all(&shared).map_err(|e| crate::error::SyncError::file(&shared, e))?;
        let a = Store::open(&here.join("a.db")).await?;
        let b = Store::open(&here.join("b.db")).await?;
        let until = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default();
        demo::generate(
            &a,
            &DemoConfig {
                members,
                months,
                seed: 7,
                until,
                ..DemoConfig::default()
            },
        )
        .await?;
        let t = Instant::now();
        let sent = folder::sync(&a, &shared, pass).await?;
        out.push(timing(
            format!("{label}: capture and send the community"),
            sent.sent,
            t,
        ));
        let t = Instant::now();
        let got = folder::sync(&b, &shared, pass).await?;
        out.push(timing(
            format!("{label}: receive and apply it"),
            got.applied,
            t,
        ));
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM members ORDER BY id LIMIT ?")
            .bind(edits as i64)
            .fetch_all(a.pool())
            .await?;
        let t = Instant::now();
        for (i, id) in ids.iter().enumerate() {
            let patch = MemberPatch {
                notes: Some(format!("edit {i}")),
                ..MemberPatch::default()
            };
            crate::members::update(&a, id, &patch).await?;
        }
        let sent = folder::sync(&a, &shared, pass).await?;
        out.push(timing(
            format!("{label}: {} edits, captured and sent", ids.len()),
            sent.sent,
            t,
        ));
        let t = Instant::now();
        let got = folder::sync(&b, &shared, pass).await?;
        out.push(timing(
            format!("{label}: the edits received and applied"),
            got.applied,
            t,
        ));
        a.close().await;
        b.close().await;
    }
    Ok(out)
}
