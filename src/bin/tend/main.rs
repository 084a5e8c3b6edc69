//! `tend`: everything the app does, headless. Parses arguments, calls the core, prints.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod demo_cmd;
mod discourse;
mod guide;
mod health_cmd;
mod import_cmd;
mod kit;
mod lens;
mod members_cmd;
mod report;
mod spaces;
mod sync;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tend::community::{self, NewCommunity};

use tend::import;
use tend::watch::{self, DropFolder, WatchConfig, WatchEvent};
use tend::{store, Error, Store};

/// Tend: a companion for people who run communities of practice.
#[derive(Parser)]
#[command(name = "tend", version, about)]
struct Cli {
    /// Database file (default: $TEND_DB, else ~/.local/share/tend/tend.db).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Set up the community (or change its name, purpose and launch date).
    Init {
        /// The community's name.
        #[arg(long)]
        name: String,
        /// Why it exists.
        #[arg(long, default_value = "")]
        purpose: String,
        /// Day 0 of the 90-day plan, YYYY-MM-DD (default: today).
        #[arg(long)]
        launch: Option<String>,
    },
    /// Fill an empty database with a realistic synthetic community.
    Demo(demo_cmd::DemoArgs),
    /// Show the community and its size.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List, show and edit members.
    #[command(subcommand)]
    Members(members_cmd::MembersCommand),
    /// Import exports: Slack, WhatsApp, Telegram, Discord, mbox, Discourse, attendance reports, Viva Engage, CSV.
    Import(import_cmd::ImportArgs),
    /// Participation health over a period (default: the last 30 days).
    Health(health_cmd::HealthArgs),
    /// Draw a chart as SVG or PNG: active_members, pyramid, response_time, retention, spaces,
    /// countries, organisations, activation.
    Chart(health_cmd::ChartArgs),
    /// Team sync through a shared folder or a PostgreSQL hub (`--folder`, `--hub`,
    /// `status`, `name`).
    Sync(sync::SyncArgs),
    /// Watch a drop folder: import every export that lands there, once.
    Watch {
        /// The folder.
        dir: PathBuf,
        /// Scan once, import what is there, and exit.
        #[arg(long)]
        once: bool,
        /// Seconds a file must stay unchanged before it is imported.
        #[arg(long, default_value_t = 2)]
        settle: u64,
    },
    /// Speed and memory beside their reference: import, health, sync, hostile.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// The 90-day plan: steps, due dates, progress (`tend plan done STEP`, `tend plan ics`).
    Plan(guide::PlanArgs),
    /// Every member's onboarding stage, as a board.
    Onboarding(guide::OnboardingArgs),
    /// The ranked list of next actions for a day.
    Today(guide::TodayArgs),
    /// The sponsor report (.html or .pdf): numbers, trends, charts, highlights, note, stories.
    Report(report::ReportArgs),
    /// Value-creation stories for the sponsor report.
    #[command(subcommand)]
    Story(report::StoryCommand),
    /// What each space is for: `tend spaces list`, `tend spaces tag SPACE PURPOSE…`.
    #[command(subcommand)]
    Spaces(spaces::SpacesCommand),
    /// Build an onboarding kit (welcome pack) and export it: .html, .pdf, .md, .txt or .zip.
    Kit(kit::KitArgs),
    /// The role guides: what each role does, what good looks like, tips.
    Guide {
        /// Only this role.
        role: Option<String>,
        /// Language: en, fr or es.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Show the import history, newest first.
    Imports {
        /// How many entries.
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// What the CLI can fail with: a core error, an import error, or failures already printed.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Core(#[from] Error),
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error("{0} path(s) could not be imported")]
    Reported(usize),
}

/// Ends quietly when the reader of our output goes away (`tend today | head`), instead of
/// panicking on the broken pipe.
fn quiet_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map_or("", String::as_str);
        if msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_broken_pipe();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Reported(_)) => ExitCode::FAILURE,
        Err(e) => {
            // One line: the core's words, then what to type next.
            match hint(&e) {
                Some(hint) => eprintln!("error: {e} — {hint}"),
                None => eprintln!("error: {e}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// What to type next after an error, in the command line's words (the core's messages
/// name no command or flag: the app shows them too).
fn hint(e: &CliError) -> Option<&'static str> {
    use tend::sync::error::SyncError;
    let CliError::Core(e) = e else { return None };
    Some(match e {
        Error::Open { .. } => "pass a writable path with --db or TEND_DB",
        Error::MemberNotFound(_) => "list members with `tend members list`",
        Error::NoCommunity => "`tend import PATH`, `tend init --name NAME`, or `tend demo`",
        Error::NotEmpty => "give another database with --db",
        Error::UnknownSpace { .. } => "list the spaces with `tend spaces list`",
        Error::Sync(SyncError::FolderMissing { .. }) => {
            "`tend sync --folder DIR` with the shared folder"
        }
        Error::Sync(SyncError::NotSetUp) => {
            "`tend sync --folder DIR` or `tend sync --hub postgres://…`"
        }
        Error::Sync(SyncError::Passphrase { .. }) => {
            "give it with --passphrase-file FILE or TEND_SYNC_PASSPHRASE"
        }
        Error::Sync(SyncError::DemoShared) => "give a new database with --db NEW.db or TEND_DB",
        _ => return None,
    })
}

/// What to do next on a database without a community, in the command line's words;
/// `None` once a community is set up.
pub(crate) fn next_step(start: community::Start) -> Option<&'static str> {
    match start {
        community::Start::Empty => Some(
            "This database is empty. Import your community's export (`tend import PATH`: \
             Slack, WhatsApp, Telegram, Discord, a mailing list, Discourse, attendance \
             reports, CSV), start a community by name (`tend init --name NAME`), or \
             explore the demo (`tend demo`).",
        ),
        community::Start::Unnamed => Some(
            "This database holds members but no community yet: name it with \
             `tend init --name NAME [--purpose TEXT] [--launch YYYY-MM-DD]`.",
        ),
        community::Start::Ready => None,
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let path = store::resolve_path(cli.db.as_deref());
    let store = Store::open(&path).await?;
    let result = dispatch(&store, cli.command).await;
    store.close().await;
    result
}

async fn dispatch(store: &Store, command: Command) -> Result<(), CliError> {
    match command {
        Command::Init {
            name,
            purpose,
            launch,
        } => {
            let c = community::init(
                store,
                &NewCommunity {
                    name,
                    purpose,
                    launch_date: launch,
                },
            )
            .await?;
            println!(
                "community '{}' (launch {}), id {}",
                c.name, c.launch_date, c.id
            );
        }
        Command::Demo(args) => demo_cmd::run(store, args).await?,
        Command::Status { json } => {
            let o = community::overview(store).await?;
            if json {
                print_json(&o);
            } else {
                let Some(c) = o.community else {
                    let next = next_step(community::start(store).await?);
                    println!("{}", next.unwrap_or_default());
                    return Ok(());
                };
                if o.demo {
                    println!("Demo: made-up people and activity, to explore Tend.");
                }
                println!("{} — launched {}\n{}", c.name, c.launch_date, c.purpose);
                println!(
                    "{} members, {} activities",
                    o.members_total, o.activities_total
                );
                for rc in o.by_role {
                    println!("  {:<12} {}", rc.role.as_str(), rc.count);
                }
            }
        }
        Command::Members(cmd) => members_cmd::run(store, cmd).await?,
        Command::Plan(args) => guide::run_plan(store, args).await?,
        Command::Onboarding(args) => guide::run_onboarding(store, args).await?,
        Command::Today(args) => guide::run_today(store, args).await?,
        Command::Kit(args) => kit::run(store, args).await?,
        Command::Report(args) => report::run_report(store, args).await?,
        Command::Story(cmd) => report::run_story(store, cmd).await?,
        Command::Spaces(cmd) => spaces::run(store, cmd).await?,
        Command::Guide { role, lang } => guide::print_guides(role.as_deref(), &lang)?,
        Command::Import(args) => return import_cmd::run(store, args).await,
        Command::Chart(args) => health_cmd::chart(store, args).await?,
        Command::Health(args) => health_cmd::health(store, args).await?,
        Command::Sync(args) => return sync::run(store, args).await,
        Command::Bench(cmd) => bench::run(cmd).await?,
        Command::Watch { dir, once, settle } => {
            let mut cfg = WatchConfig::new(dir);
            cfg.settle = std::time::Duration::from_secs(settle);
            if once {
                cfg.settle = std::time::Duration::ZERO;
                for e in DropFolder::default().scan(store, &cfg).await? {
                    print_watch_event(e);
                }
            } else {
                let stop = ctrl_c_flag();
                println!("watching {} (Ctrl-C to stop)", cfg.dir.display());
                watch::run(store, &cfg, print_watch_event, || {
                    stop.load(Ordering::Relaxed)
                })
                .await?;
            }
        }
        Command::Imports { limit, json } => {
            let list = import::history::list(store, limit).await?;
            if json {
                print_json(&list);
            } else {
                for r in list {
                    let kind = r.kind.as_deref().unwrap_or("-");
                    println!(
                        "{}  {:<6} {:<6} {}  +{} ={} skipped {}",
                        r.finished_at, r.status, kind, r.path, r.added, r.present, r.skipped
                    );
                }
            }
        }
    }
    Ok(())
}

fn print_watch_event(e: WatchEvent) {
    match e {
        WatchEvent::Imported(r) => import_cmd::print_report(&r),
        WatchEvent::AlreadyImported(p) => println!("{}: imported before, left alone", p.display()),
        WatchEvent::Failed(p, err) => {
            eprintln!("error: {err} (will retry when {} changes)", p.display())
        }
    }
}

/// A flag that turns true on Ctrl-C.
fn ctrl_c_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            set.store(true, Ordering::Relaxed);
        }
    });
    flag
}

fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: cannot write JSON: {e}"),
    }
}
