//! `tend`: everything the app does, headless. Parses arguments, calls the core, prints.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod community_cmd;
mod demo_cmd;
mod discourse;
mod guide;
mod health_cmd;
mod import_cmd;
mod kit;
mod lens;
mod members_cmd;
mod report;
mod secret;
mod spaces;
mod sync;
mod watch_cmd;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tend::community;

use tend::import;
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
    Init(community_cmd::InitArgs),
    /// Fill an empty database with a realistic synthetic community.
    Demo(demo_cmd::DemoArgs),
    /// Show the community and its size.
    Status(community_cmd::StatusArgs),
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
    Watch(watch_cmd::WatchArgs),
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
    Guide(guide::GuideArgs),
    /// Show the import history, newest first.
    Imports(watch_cmd::ImportsArgs),
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
    /// The command line was used in a way it refuses, in its own words.
    #[error("{0}")]
    Usage(String),
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
    use tend::error::SyncError;
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

/// Hands each subcommand to its module.
async fn dispatch(store: &Store, command: Command) -> Result<(), CliError> {
    match command {
        Command::Init(args) => community_cmd::init(store, args).await?,
        Command::Status(args) => community_cmd::status(store, args).await?,
        Command::Demo(args) => demo_cmd::run(store, args).await?,
        Command::Members(cmd) => members_cmd::run(store, cmd).await?,
        Command::Plan(args) => guide::run_plan(store, args).await?,
        Command::Onboarding(args) => guide::run_onboarding(store, args).await?,
        Command::Today(args) => guide::run_today(store, args).await?,
        Command::Kit(args) => kit::run(store, args).await?,
        Command::Report(args) => report::run_report(store, args).await?,
        Command::Story(cmd) => report::run_story(store, cmd).await?,
        Command::Spaces(cmd) => spaces::run(store, cmd).await?,
        Command::Guide(args) => guide::print_guides(args)?,
        Command::Import(args) => return import_cmd::run(store, args).await,
        Command::Chart(args) => health_cmd::chart(store, args).await?,
        Command::Health(args) => health_cmd::health(store, args).await?,
        Command::Sync(args) => return sync::run(store, args).await,
        Command::Bench(cmd) => bench::run(cmd).await?,
        Command::Watch(args) => watch_cmd::watch(store, args).await?,
        Command::Imports(args) => watch_cmd::history(store, args).await?,
    }
    Ok(())
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
