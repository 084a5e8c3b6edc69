//! `tend watch DIR` (import what lands in a drop folder) and `tend imports` (the history).

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use clap::Args;
use tend::import;
use tend::import::ImportError;
use tend::watch::{self, DropFolder, WatchConfig, WatchEvent};
use tend::Store;

use crate::{ctrl_c_flag, import_cmd, print_json};

#[derive(Args)]
pub struct WatchArgs {
    /// The folder.
    dir: PathBuf,
    /// Scan once, import what is there, and exit.
    #[arg(long)]
    once: bool,
    /// Seconds a file must stay unchanged before it is imported.
    #[arg(long, default_value_t = 2)]
    settle: u64,
}

#[derive(Args)]
pub struct ImportsArgs {
    /// How many entries.
    #[arg(long, default_value_t = 50)]
    limit: i64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `tend watch`.
pub async fn watch(store: &Store, args: WatchArgs) -> Result<(), ImportError> {
    let mut cfg = WatchConfig::new(args.dir);
    cfg.settle = std::time::Duration::from_secs(args.settle);
    if args.once {
        cfg.settle = std::time::Duration::ZERO;
        for e in DropFolder::default().scan(store, &cfg).await? {
            print_event(e);
        }
        return Ok(());
    }
    let stop = ctrl_c_flag();
    println!("watching {} (Ctrl-C to stop)", cfg.dir.display());
    watch::run(store, &cfg, print_event, || stop.load(Ordering::Relaxed)).await
}

/// Runs `tend imports`.
pub async fn history(store: &Store, args: ImportsArgs) -> Result<(), ImportError> {
    let list = import::history::list(store, args.limit).await?;
    if args.json {
        print_json(&list);
        return Ok(());
    }
    for r in list {
        let kind = r.kind.as_deref().unwrap_or("-");
        println!(
            "{}  {:<6} {:<6} {}  +{} ={} skipped {}",
            r.finished_at, r.status, kind, r.path, r.added, r.present, r.skipped
        );
    }
    Ok(())
}

fn print_event(e: WatchEvent) {
    match e {
        WatchEvent::Imported(r) => import_cmd::print_report(&r),
        WatchEvent::AlreadyImported(p) => println!("{}: imported before, left alone", p.display()),
        WatchEvent::Failed(p, err) => {
            eprintln!("error: {err} (will retry when {} changes)", p.display())
        }
    }
}
