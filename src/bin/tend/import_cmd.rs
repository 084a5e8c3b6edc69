//! `tend import PATH…` (and `tend import discourse`): exports read from files, with a
//! progress bar that Ctrl-C cancels, and what each import did.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Args, Subcommand};
use tend::import::{self, ImportOptions};
use tend::Store;

use crate::{ctrl_c_flag, discourse, print_json, CliError};

/// A source fetched over the network rather than read from files.
#[derive(Subcommand)]
pub enum LiveSource {
    /// Fetch what changed on a Discourse forum since the last time.
    Discourse(discourse::DiscourseArgs),
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportArgs {
    /// Import from a live source instead of files: `tend import discourse --url …`.
    #[command(subcommand)]
    live: Option<LiveSource>,
    /// Files or folders to import.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Name of the source (workspace, list, forum), when the export does not say.
    #[arg(long)]
    source: Option<String>,
    /// Keep message bodies for this source (off by default: Tend stores who, when, where).
    #[arg(long)]
    keep_bodies: bool,
    /// A WhatsApp chat's date order when no day in it is above 12: dmy (31/12) or mdy
    /// (12/31). The file settles it when it can.
    #[arg(long, value_name = "dmy|mdy")]
    date_order: Option<import::whatsapp::DateOrder>,
    /// Exit with an error when part of an export could not be read (a file of a folder
    /// left out, a truncated file), not only when a whole path failed.
    #[arg(long)]
    strict: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `tend import PATH…`.
pub async fn run(store: &Store, args: ImportArgs) -> Result<(), CliError> {
    if let Some(LiveSource::Discourse(live)) = args.live {
        return discourse::run(store, live).await;
    }
    let opts = ImportOptions {
        source_name: args.source,
        keep_bodies: args.keep_bodies,
        date_order: args.date_order,
    };
    let mut reports = Vec::new();
    let mut failures = 0;
    let cancel = ctrl_c_flag();
    // A folder of several exports imports each of them.
    let parts: Vec<PathBuf> = args.paths.iter().flat_map(|p| import::parts(p)).collect();
    for path in &parts {
        let bar = indicatif::ProgressBar::new(0).with_message(path.display().to_string());
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let progress = Bar {
            bar,
            cancel: cancel.clone(),
        };
        let outcome = import::import_path(store, path, &opts, &progress).await;
        progress.bar.finish_and_clear();
        match outcome {
            Ok(r) => {
                if !args.json {
                    print_report(&r);
                }
                reports.push(r);
            }
            Err(e) => {
                failures += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if args.json {
        print_json(&reports);
    }
    let lossy: Vec<&import::FileReport> = reports
        .iter()
        .filter(|r| r.skip_groups.iter().any(|g| g.kind.is_loss()))
        .collect();
    for r in &lossy {
        eprintln!(
            "warning: part of {} was not read (see above){}",
            r.path,
            if args.strict {
                ""
            } else {
                " — use --strict to make this an error"
            }
        );
    }
    match failures {
        0 if args.strict && !lossy.is_empty() => Err(CliError::Reported(lossy.len())),
        0 => Ok(()),
        n => Err(CliError::Reported(n)),
    }
}

/// A progress bar on stderr (hidden when stderr is not a terminal); Ctrl-C cancels.
struct Bar {
    bar: indicatif::ProgressBar,
    cancel: Arc<AtomicBool>,
}

impl import::Progress for Bar {
    fn start(&self, total: u64) {
        self.bar.set_length(total);
        self.bar.set_position(0);
    }
    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Prints what one import did.
pub fn print_report(r: &import::FileReport) {
    println!(
        "{} {} → {}: {} added, {} already present, {} new members, {} skipped ({:.1} s)",
        r.kind.as_str(),
        r.path,
        r.source,
        r.added,
        r.already_present,
        r.members_added,
        r.skip_groups.iter().map(|g| g.count).sum::<u64>(),
        r.millis as f64 / 1000.0
    );
    if let Some(name) = &r.community_started {
        println!(
            "  started the community “{name}” (rename it: tend init --name NAME [--purpose TEXT])"
        );
    }
    if let Some(e) = &r.same_as {
        println!(
            "  the same content was imported from {} on {}: kept in {}",
            e.path,
            e.finished_at.get(..10).unwrap_or(&e.finished_at),
            e.source
        );
    }
    for g in &r.skip_groups {
        println!("  {} (first: {})", g.kind.describe(g.count), g.example);
    }
}
