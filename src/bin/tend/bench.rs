//! `tend bench import|health|sync|hostile`: speed and memory figures printed beside their
//! reference, one typed subcommand each.

use std::path::{Path, PathBuf};

use crate::{print_json, CliError};
use clap::Subcommand;

/// What to measure.
#[derive(Subcommand)]
pub enum BenchCommand {
    /// Import speed and memory on a generated 1M-message Slack export and an mbox (perceval
    /// timed on the same file).
    Import {
        /// Messages in the generated Slack export.
        #[arg(long, default_value_t = 1_000_000)]
        slack: u64,
        /// Messages in the generated mbox.
        #[arg(long, default_value_t = 20_000)]
        mbox: u64,
        #[command(flatten)]
        out: Out,
    },
    /// Metrics, charts and report on a large demo community.
    Health {
        /// Members of the demo community.
        #[arg(long, default_value_t = 50_000)]
        members: usize,
        /// Months of its activity.
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// Threads started a day in it (440 gives about a million activities).
        #[arg(long, default_value_t = 440.0)]
        threads_per_day: f64,
        #[command(flatten)]
        out: Out,
    },
    /// A demo and a burst of edits through a shared folder.
    Sync {
        /// Members of the demo community.
        #[arg(long, default_value_t = 50_000)]
        members: usize,
        /// Months of its activity.
        #[arg(long, default_value_t = 12)]
        months: u32,
        #[command(flatten)]
        out: Out,
    },
    /// Bombs, wide headers, bad records and salted segments at full size.
    Hostile {
        /// Size in GiB of the bombs that expand.
        #[arg(long, default_value_t = 1)]
        gib: u64,
        #[command(flatten)]
        out: Out,
    },
}

/// Where the generated files go, and how figures are printed.
#[derive(clap::Args)]
pub struct Out {
    /// Folder for the generated files (default: a temporary folder, removed after).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// A fresh temporary folder for one benchmark.
fn tempdir_for(what: &str) -> PathBuf {
    std::env::temp_dir().join(format!("tend-bench-{what}-{}", std::process::id()))
}

/// Runs `f` in `out.dir`, or in a temporary folder removed after.
async fn in_dir<T, E, F>(out: &Out, what: &str, f: impl FnOnce(PathBuf) -> F) -> Result<T, E>
where
    F: std::future::Future<Output = Result<T, E>>,
{
    let temp = tempdir_for(what);
    let dir = out.dir.clone().unwrap_or_else(|| temp.clone());
    let result = f(dir).await;
    if out.dir.is_none() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    result
}

/// Runs one benchmark and prints its figures.
pub async fn run(cmd: BenchCommand) -> Result<(), CliError> {
    match cmd {
        BenchCommand::Import { slack, mbox, out } => {
            let lines = in_dir(&out, "import", |dir| async move {
                let cfg = tend::bench::BenchConfig {
                    slack_messages: slack,
                    mbox_messages: mbox,
                    dir,
                };
                tend::bench::run(&cfg).await
            })
            .await?;
            if out.json {
                print_json(&lines);
            } else {
                lines.iter().for_each(|l| println!("{}", l.render()));
            }
        }
        BenchCommand::Health {
            members,
            months,
            threads_per_day,
            out,
        } => {
            let db = out
                .dir
                .clone()
                .unwrap_or_else(std::env::temp_dir)
                .join("tend-bench-health.db");
            let (lines, activities) =
                tend::bench_health::run(&db, members, months, threads_per_day).await?;
            println!(
                "{activities} activities, {members} members ({})",
                db.display()
            );
            lines.iter().for_each(|l| println!("{}", l.render()));
            if out.json {
                print_json(&lines);
            }
        }
        BenchCommand::Sync {
            members,
            months,
            out,
        } => {
            let lines = in_dir(&out, "sync", |dir| async move {
                tend::bench_sync::run(Path::new(&dir), members, months, 1_000).await
            })
            .await?;
            if out.json {
                print_json(&lines);
            }
            for l in lines {
                println!(
                    "{:<52} {:>9} records {:>8.2} s {:>10.0} records/s",
                    l.name, l.records, l.seconds, l.per_second
                );
            }
        }
        BenchCommand::Hostile { gib, out } => {
            let lines = in_dir(&out, "hostile", |dir| async move {
                tend::bench_hostile::run(Path::new(&dir), gib).await
            })
            .await?;
            if out.json {
                print_json(&lines);
            }
            for l in lines {
                println!(
                    "{:<58} {:>7.2} s  peak {:>6.0} MiB  {}\n{:>60}before: {}",
                    l.name, l.seconds, l.peak_mib, l.outcome, "", l.before
                );
                if !l.limit.is_empty() {
                    println!("{:>60}limit: {}", "", l.limit);
                }
            }
        }
    }
    Ok(())
}
