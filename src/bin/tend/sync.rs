//! `tend sync`: team sync through a shared folder or a PostgreSQL hub, and its status.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Args, Subcommand};
use tend::sync::segment::ProblemKind;
use tend::sync::status::{self, SyncStatus};
use tend::sync::{self as team, SyncReport};
use tend::{Error, Store};

use crate::{discourse, print_json, secret, CliError};

/// `tend sync`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    /// `status`, or `discourse` (a live source).
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
    /// A shared folder (Syncthing, OneDrive, a USB stick) the team's laptops all see.
    #[arg(long, conflicts_with = "hub")]
    folder: Option<PathBuf>,
    /// A PostgreSQL hub, postgres://user@host/db, without its password (or the whole
    /// address, password and all, in TEND_SYNC_HUB). The password comes from
    /// --hub-password-file, TEND_SYNC_HUB_PASSWORD, the app's saved hub of that address, or
    /// is asked for on a terminal: never from the command line, which other accounts see.
    #[arg(long)]
    hub: Option<String>,
    /// A file holding the hub's password.
    #[arg(long, requires = "hub")]
    hub_password_file: Option<PathBuf>,
    /// A file holding the team passphrase that seals change files and hub records (or the
    /// passphrase itself in TEND_SYNC_PASSPHRASE).
    #[arg(long)]
    passphrase_file: Option<PathBuf>,
    /// Keep syncing with the folder whenever it changes (and every minute) until Ctrl-C.
    #[arg(long, requires = "folder")]
    watch: bool,
    /// Simulate this laptop's clock being this many minutes off (for trying out skew).
    #[arg(long, hide = true, allow_hyphen_values = true)]
    clock_offset_minutes: Option<i64>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// The passphrase given on the command line: a file, or TEND_SYNC_PASSPHRASE.
fn passphrase(args: &SyncArgs) -> Result<Option<String>, Error> {
    if let Some(path) = &args.passphrase_file {
        return team::config::passphrase_from_file(path).map(Some);
    }
    Ok(std::env::var("TEND_SYNC_PASSPHRASE")
        .ok()
        .filter(|p| !p.is_empty()))
}

/// The hub to sync with: `--hub` with its password put in from where it may come, else
/// TEND_SYNC_HUB. A password in `--hub` itself is refused, without showing it.
fn hub(store: &Store, args: &SyncArgs) -> Result<Option<String>, CliError> {
    let Some(given) = &args.hub else {
        return Ok(std::env::var("TEND_SYNC_HUB")
            .ok()
            .filter(|h| !h.is_empty()));
    };
    if team::config::hub_has_password(given) {
        return Err(CliError::Usage(format!(
            "{} has its password in the command line, which every account on this computer can \
             read: give the address without it (postgres://user@host/db) and the password \
             with --hub-password-file FILE or TEND_SYNC_HUB_PASSWORD, save the hub in the app, \
             or type it when asked (or give the whole address in TEND_SYNC_HUB)",
            team::hub::redacted(given)
        )));
    }
    let source = secret::Source {
        file: args.hub_password_file.as_deref(),
        env: "TEND_SYNC_HUB_PASSWORD",
        prompt: "the hub's password: ",
    };
    if let Some(password) = source.given()? {
        return Ok(Some(team::config::hub_with_password(given, &password)));
    }
    if let Some(saved) = team::config::saved_hub_for(store, given)? {
        return Ok(Some(saved));
    }
    Ok(Some(match source.ask()? {
        Some(password) => team::config::hub_with_password(given, &password),
        // No password anywhere: the server may not want one.
        None => given.clone(),
    }))
}

/// `tend sync status|name`.
#[derive(Subcommand)]
pub enum SyncCommand {
    /// Team sync state: devices, pending changes, resolved conflicts.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Name this laptop for the team ("Aminata's laptop"); an empty name clears it.
    Name {
        /// The name, at most 60 characters.
        name: String,
    },
    /// The old spelling of `tend import discourse`, kept working.
    #[command(hide = true)]
    Discourse(discourse::DiscourseArgs),
}

/// Runs `tend sync --folder|--hub`, a bare `tend sync` (the saved folder and hub, like the
/// app's "Sync now"), or `tend sync status`. Without a passphrase given, the one saved in
/// the app is used: a laptop of a sealed team never applies unsealed files
/// because the command line was run without it.
pub async fn run(store: &Store, mut args: SyncArgs) -> Result<(), CliError> {
    if matches!(args.command, Some(SyncCommand::Discourse(_))) {
        if let Some(SyncCommand::Discourse(live)) = args.command.take() {
            return discourse::run(store, live).await;
        }
    }
    let hub = match args.folder {
        Some(_) => None,
        None => hub(store, &args)?,
    };
    team_sync(store, args, hub).await.map_err(CliError::from)
}

/// Team sync itself: status, name, or a sync through a folder, a hub or the saved settings.
async fn team_sync(store: &Store, args: SyncArgs, hub: Option<String>) -> Result<(), Error> {
    if let Some(m) = args.clock_offset_minutes {
        store.set_clock_offset_ms(m * 60_000);
    }
    if let Some(SyncCommand::Name { name }) = &args.command {
        match team::names::set_own(store, name).await? {
            Some(n) => println!("this laptop is now “{n}” for your team (sent at the next sync)"),
            None => println!("this laptop's name is cleared"),
        }
        return Ok(());
    }
    if let Some(SyncCommand::Status { json }) = args.command {
        let s = status::status(store).await?;
        if json {
            print_json(&s)
        } else {
            print_status(&s)
        }
        return Ok(());
    }
    let pass = match passphrase(&args)? {
        Some(p) => Some(p),
        None => team::config::passphrase(store).await?,
    };
    let report = match (&args.folder, &hub) {
        (Some(dir), _) if args.watch => return watch(store, dir, pass.as_deref(), args.json).await,
        (Some(dir), _) => team::folder::sync(store, dir, pass.as_deref()).await?,
        (None, Some(url)) => team::hub::sync(store, url, pass.as_deref()).await?,
        // Neither: the folder and hub saved in the app, as its "Sync now" does.
        (None, None) => {
            for report in team::config::run(store).await? {
                if args.json {
                    print_json(&report)
                } else {
                    print_report(&report)
                }
            }
            return Ok(());
        }
    };
    if args.json {
        print_json(&report)
    } else {
        print_report(&report)
    }
    Ok(())
}

async fn watch(
    store: &Store,
    dir: &std::path::Path,
    pass: Option<&str>,
    json: bool,
) -> Result<(), Error> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        flag.store(true, Ordering::Relaxed);
    });
    eprintln!("watching {} — Ctrl-C to stop", dir.display());
    let on_report = |r: Result<SyncReport, Error>| match r {
        Ok(r) if json => print_json(&r),
        Ok(r) => print_report(&r),
        Err(e) => eprintln!("error: {e}"),
    };
    team::folder::watch(
        store,
        dir,
        pass,
        team::folder::RESCAN,
        team::folder::FirstSync::AtOnce,
        on_report,
        || stop.load(Ordering::Relaxed),
    )
    .await
}

fn print_report(r: &SyncReport) {
    println!(
        "{}: sent {}, applied {}, already here {}, held back {} (this laptop: device {})",
        r.transport, r.sent, r.applied, r.duplicates, r.held, r.device
    );
    for n in &r.notices {
        println!("  note: {n}");
    }
    for s in &r.skipped {
        println!("  skipped {}: {}{}", s.name, s.reason, skip_hint(s.kind));
    }
}

/// What to type about a skipped file, in the command line's words.
fn skip_hint(kind: ProblemKind) -> &'static str {
    match kind {
        ProblemKind::Locked => " — give it with --passphrase-file FILE or TEND_SYNC_PASSPHRASE",
        _ => "",
    }
}

fn print_status(s: &SyncStatus) {
    let called =
        |name: &Option<String>| name.as_ref().map(|n| format!(" “{n}”")).unwrap_or_default();
    println!(
        "this laptop: device {}{} ({} changes made here)",
        s.device,
        called(&s.name),
        s.changes
    );
    for t in &s.transports {
        println!(
            "  {}: last sync {}, {} change(s) not sent yet",
            t.transport,
            t.last_sync.as_deref().unwrap_or("never"),
            t.pending
        );
        for f in t.last_report.iter().flat_map(|r| &r.skipped) {
            println!(
                "    not applied {}: {}{}",
                f.name,
                f.reason,
                skip_hint(f.kind)
            );
        }
    }
    if s.devices.is_empty() {
        println!("no other device's changes yet");
    }
    for d in &s.devices {
        let held = if d.held > 0 {
            format!(", {} held back (listed below)", d.held)
        } else {
            String::new()
        };
        println!(
            "  device {}{}: {} changes, newest made {}, last arrived {}{held}",
            d.device,
            called(&d.name),
            d.changes,
            d.last_change,
            d.last_received
        );
    }
    if !s.held.is_empty() {
        println!("{} record(s) held back:", s.held.len());
    }
    for h in &s.held {
        println!(
            "  device {} #{} ({}): {}",
            short(&h.device),
            h.seq,
            h.target,
            h.reason
        );
    }
    if !s.key_conflicts.is_empty() {
        println!("{} key conflict(s):", s.key_conflicts.len());
    }
    for k in &s.key_conflicts {
        println!("  {k}");
    }
    println!("{} conflict(s) resolved", s.conflicts.len());
    for c in &s.conflicts {
        println!(
            "  {} {} · {}: kept {} (device {}, {}), lost {} (device {}, {})",
            c.table,
            c.label.as_deref().unwrap_or(&c.row),
            c.column,
            c.kept,
            short(&c.kept_by),
            c.kept_at,
            c.lost,
            short(&c.lost_by),
            c.lost_at
        );
    }
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
