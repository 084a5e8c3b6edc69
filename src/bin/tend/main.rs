//! `tend`: everything the app does, headless. Parses arguments, calls the core, prints.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod bench;
mod discourse;
mod guide;
mod health_cmd;
mod kit;
mod lens;
mod report;
mod spaces;
mod sync;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tend::community::{self, NewCommunity};
use tend::demo::{self, DemoConfig};

use tend::import::{self, ImportOptions};
use tend::model::{Member, MemberFilter, MemberPatch, MemberSummary, Role};
use tend::watch::{self, DropFolder, WatchConfig, WatchEvent};
use tend::{identity, members, store, time, Error, Store};

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
    Demo(DemoArgs),
    /// Show the community and its size.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List, show and edit members.
    #[command(subcommand)]
    Members(MembersCommand),
    /// Import exports: Slack, WhatsApp, Telegram, Discord, mbox, Discourse, attendance reports, Viva Engage, CSV.
    Import(ImportArgs),
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

/// A source fetched over the network rather than read from files.
#[derive(Subcommand)]
enum LiveSource {
    /// Fetch what changed on a Discourse forum since the last time.
    Discourse(discourse::DiscourseArgs),
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct ImportArgs {
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

#[derive(Args)]
struct DemoArgs {
    /// Number of people.
    #[arg(long, default_value_t = 300)]
    members: usize,
    /// Months of activity.
    #[arg(long, default_value_t = 6)]
    months: u32,
    /// Seed: the same seed and --until give the same community.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Last day of activity, YYYY-MM-DD (default: today).
    #[arg(long)]
    until: Option<String>,
    /// Do nothing, successfully, when the database already holds a community.
    #[arg(long)]
    if_empty: bool,
    /// Remove the demo and everything made in it (refused once it has synced with a team).
    #[arg(long, conflicts_with = "if_empty")]
    remove: bool,
}

#[derive(Subcommand)]
enum MembersCommand {
    /// List members, sorted by name.
    List {
        /// Only this role.
        #[arg(long)]
        role: Option<String>,
        /// Only this country.
        #[arg(long)]
        country: Option<String>,
        /// Only this organisation.
        #[arg(long)]
        organisation: Option<String>,
        /// Only names, countries or organisations containing this text.
        #[arg(long)]
        search: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Write the list as CSV to this file (for a spreadsheet or to print).
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
    /// Write everything Tend holds about one member to a JSON file (a data-protection
    /// access request): fields, notes, identities and every activity.
    Export {
        /// Member id (whole, or a unique prefix of at least four characters).
        id: String,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Show one member (a whole id or a unique prefix of at least four characters).
    Show {
        /// Member id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a member's fields; an empty value clears an optional field.
    Set(SetArgs),
    /// Members that may be one person, and why.
    Suggestions {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Merge OTHER into KEEP: identities and activities move; undo with `unmerge`.
    Merge {
        /// The member that stays.
        keep: String,
        /// The member merged into it.
        other: String,
    },
    /// Undo a merge by its id (printed by `merge`).
    Unmerge {
        /// The merge's id.
        merge_id: String,
    },
    /// Move one identity out of a member into a member of its own.
    Split {
        /// The member.
        member: String,
        /// The identity's id (or its id in the source).
        identity: String,
    },
    /// Remember that two members are not the same person (never suggested again).
    NotSame {
        /// One member.
        a: String,
        /// The other.
        b: String,
    },
    /// Erase a member's personal data for good (activities stay, under a placeholder).
    Erase {
        /// Member id (or a unique prefix).
        id: String,
        /// Confirm: erasure cannot be undone.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args)]
struct SetArgs {
    /// Member id.
    id: String,
    /// leader, facilitator, member, sponsor or champion.
    #[arg(long)]
    role: Option<String>,
    /// Display name.
    #[arg(long)]
    name: Option<String>,
    /// E-mail address.
    #[arg(long)]
    email: Option<String>,
    /// Country.
    #[arg(long)]
    country: Option<String>,
    /// Organisation.
    #[arg(long)]
    organisation: Option<String>,
    /// Language, two letters (ISO 639-1).
    #[arg(long)]
    language: Option<String>,
    /// When they joined (date or ISO 8601 time).
    #[arg(long)]
    joined_at: Option<String>,
    /// Notes.
    #[arg(long)]
    notes: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
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
    let CliError::Core(e) = e else { return None };
    Some(match e {
        Error::Open { .. } => "pass a writable path with --db or TEND_DB",
        Error::MemberNotFound(_) => "list members with `tend members list`",
        Error::NoCommunity => "`tend import PATH`, `tend init --name NAME`, or `tend demo`",
        Error::NotEmpty => "give another database with --db",
        Error::UnknownSpace { .. } => "list the spaces with `tend spaces list`",
        Error::SyncFolderMissing { .. } => "`tend sync --folder DIR` with the shared folder",
        Error::Passphrase { .. } => "give it with --passphrase-file FILE or TEND_SYNC_PASSPHRASE",
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
        Command::Demo(args) => run_demo(store, args).await?,
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
        Command::Members(cmd) => run_members(store, cmd).await?,
        Command::Plan(args) => guide::run_plan(store, args).await?,
        Command::Onboarding(args) => guide::run_onboarding(store, args).await?,
        Command::Today(args) => guide::run_today(store, args).await?,
        Command::Kit(args) => kit::run(store, args).await?,
        Command::Report(args) => report::run_report(store, args).await?,
        Command::Story(cmd) => report::run_story(store, cmd).await?,
        Command::Spaces(cmd) => spaces::run(store, cmd).await?,
        Command::Guide { role, lang } => guide::print_guides(role.as_deref(), &lang)?,
        Command::Import(ImportArgs {
            live: Some(LiveSource::Discourse(args)),
            ..
        }) => return discourse::run(store, args).await,
        Command::Import(args) => return run_import(store, args).await,
        Command::Chart(args) => health_cmd::chart(store, args).await?,
        Command::Health(args) => health_cmd::health(store, args).await?,
        Command::Sync(sync::SyncArgs {
            command: Some(SyncCommand::Discourse(args)),
            ..
        }) => return discourse::run(store, args).await,
        Command::Sync(args) => sync::run(store, args).await?,
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

async fn run_import(store: &Store, args: ImportArgs) -> Result<(), CliError> {
    let opts = ImportOptions {
        source_name: args.source,
        keep_bodies: args.keep_bodies,
        date_order: args.date_order,
    };
    let mut reports = Vec::new();
    let mut failures = 0;
    let cancel = ctrl_c_flag();
    for path in &args.paths {
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

fn print_watch_event(e: WatchEvent) {
    match e {
        WatchEvent::Imported(r) => print_report(&r),
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

fn print_report(r: &import::FileReport) {
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

async fn run_demo(store: &Store, args: DemoArgs) -> Result<(), Error> {
    if args.remove {
        let r = demo::remove(store).await?;
        println!(
            "demo removed: {} members, {} activities and {} imports made into it; \
             the database is empty — `tend init --name NAME` or `tend import PATH` starts your community",
            r.members, r.activities, r.imports
        );
        return Ok(());
    }
    if args.if_empty && !demo::is_empty(store).await? {
        println!("the database already holds a community; demo skipped");
        return Ok(());
    }
    let mut cfg = DemoConfig {
        members: args.members,
        months: args.months,
        seed: args.seed,
        ..DemoConfig::default()
    };
    if let Some(until) = args.until {
        cfg.until = time::parse_date("until", &until)?;
    }
    let s = demo::generate(store, &cfg).await?;
    println!(
        "demo community '{}': {} members, {} activities from {} to {}",
        s.community, s.members, s.activities, s.launch_date, s.until
    );
    Ok(())
}

async fn run_members(store: &Store, cmd: MembersCommand) -> Result<(), Error> {
    match cmd {
        MembersCommand::List {
            role,
            country,
            organisation,
            search,
            json,
            csv,
        } => {
            let role = role.map(|r| r.parse::<Role>()).transpose()?;
            let filter = MemberFilter {
                role,
                country,
                organisation,
                search,
                include_bots: None,
            };
            if let Some(path) = csv {
                let n = tend::roster::write_csv(store, &filter, &path).await?;
                println!("wrote {} ({n} members)", path.display());
                return Ok(());
            }
            let list = members::list(store, &filter).await?;
            if json {
                print_json(&list);
            } else {
                print_table(&list);
            }
        }
        MembersCommand::Export { id, out } => {
            let n = tend::roster::write_access_request(store, &id, &out).await?;
            println!(
                "wrote {} (the member's fields, notes, identities and {n} activities)",
                out.display()
            );
        }
        MembersCommand::Show { id, json } => {
            let m = members::get(store, &id).await?;
            if json {
                print_json(&m);
            } else {
                print_member(&m);
            }
        }
        MembersCommand::Suggestions { json } => {
            let list = identity::suggestions(store).await?;
            if json {
                print_json(&list);
            } else {
                for s in &list {
                    let why: Vec<String> = s.reasons.iter().map(|r| format!("{r:?}")).collect();
                    println!(
                        "{} ({})  ~  {} ({})  [{}]",
                        s.a_name,
                        s.a,
                        s.b_name,
                        s.b,
                        why.join(", ")
                    );
                }
                println!("{} suggestions", list.len());
            }
        }
        MembersCommand::Merge { keep, other } => {
            let id = identity::merge(store, &keep, &other).await?;
            println!("merged; undo with `tend members unmerge {id}`");
        }
        MembersCommand::Unmerge { merge_id } => {
            let id = identity::unmerge(store, &merge_id).await?;
            println!("restored member {id}");
        }
        MembersCommand::Split {
            member,
            identity: ident,
        } => {
            let id = identity::split(store, &member, &ident).await?;
            println!("identity moved to new member {id}");
        }
        MembersCommand::NotSame { a, b } => {
            identity::not_same_person(store, &a, &b).await?;
            println!("noted: not the same person");
        }
        MembersCommand::Erase { id, yes } => {
            if !yes {
                return Err(Error::InvalidValue {
                    field: "--yes",
                    value: id,
                    expected:
                        "--yes to confirm: erasure removes the member's personal data for good",
                });
            }
            let e = tend::erasure::erase(store, &id).await?;
            println!(
                "erased: now \"{}\"; {} identities scrubbed, {} activities kept",
                e.placeholder, e.identities, e.activities
            );
        }
        MembersCommand::Set(args) => {
            let json = args.json;
            let id = args.id.clone();
            let m = members::update(store, &id, &patch_of(args)).await?;
            if json {
                print_json(&m);
            } else {
                println!("saved {} ({}): {}", m.display_name, m.id, m.role);
            }
        }
    }
    Ok(())
}

fn patch_of(a: SetArgs) -> MemberPatch {
    MemberPatch {
        display_name: a.name,
        email: a.email,
        role: a.role,
        country: a.country,
        organisation: a.organisation,
        language: a.language,
        joined_at: a.joined_at,
        notes: a.notes,
    }
}

fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: cannot write JSON: {e}"),
    }
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

fn print_table(list: &[MemberSummary]) {
    println!(
        "{}  {}  {}  {}  {}  LAST ACTIVE",
        pad("ID", 36),
        pad("NAME", 28),
        pad("ROLE", 11),
        pad("COUNTRY", 12),
        pad("ORGANISATION", 18)
    );
    for m in list {
        println!(
            "{}  {}  {}  {}  {}  {}",
            m.id,
            pad(&m.display_name, 28),
            pad(m.role.as_str(), 11),
            pad(m.country.as_deref().unwrap_or("-"), 12),
            pad(m.organisation.as_deref().unwrap_or("-"), 18),
            m.last_active_at.as_deref().unwrap_or("never"),
        );
    }
    println!("{} members", list.len());
}

fn print_member(m: &Member) {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    println!("{}  ({})", m.display_name, m.id);
    println!("  role          {}", m.role);
    println!("  email         {}", or_dash(&m.email));
    println!("  country       {}", or_dash(&m.country));
    println!("  organisation  {}", or_dash(&m.organisation));
    println!("  language      {}", or_dash(&m.language));
    println!("  joined        {}", or_dash(&m.joined_at));
    println!("  activities    {}", m.activity_count);
    if !m.notes.is_empty() {
        println!("  notes         {}", m.notes);
    }
    for i in &m.identities {
        println!(
            "  identity      {} '{}' {} {}",
            i.source_kind,
            i.source_name,
            i.external_id,
            i.handle.as_deref().unwrap_or("")
        );
    }
    for a in m.recent_activity.iter().take(10) {
        println!(
            "  {}  {:<10} {} {}",
            a.occurred_at,
            a.kind.as_str(),
            a.space.as_deref().unwrap_or(""),
            a.title.as_deref().unwrap_or("")
        );
    }
}
