//! The guide's commands: `tend plan`, `tend onboarding`, `tend today`, `tend guide`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use tend::document;
use tend::guide::onboarding::{self, Board, Stage};
use tend::guide::plan::{self, DevelopmentStage, PlanView, StepChange, StepStatus};
use tend::guide::today::{self, ActionMark, Today};
use tend::guide::{ics, playbook, texts};
use tend::limits::MAX_TEXT_FILE_BYTES;
use tend::model::Role;
use tend::{time, Error, Store};

use crate::print_json;

/// `tend plan`: the 90-day plan.
#[derive(Args)]
pub struct PlanArgs {
    /// The day to see the plan from, YYYY-MM-DD (default: today).
    #[arg(long, global = true)]
    date: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// The language of the default plan's texts: en, fr or es (default: en).
    #[arg(long, global = true)]
    lang: Option<String>,
    #[command(subcommand)]
    command: Option<PlanCommand>,
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Mark a step done.
    Done {
        /// The step's id (see `tend plan`).
        step: String,
        /// A note on how it went.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Skip a step, saying why.
    Skip {
        /// The step's id.
        step: String,
        /// Why it is skipped.
        #[arg(long)]
        reason: String,
    },
    /// Open a step again.
    Reopen {
        /// The step's id.
        step: String,
    },
    /// Give a step to another role.
    Assign {
        /// The step's id.
        step: String,
        /// leader, facilitator, sponsor, champion or member.
        role: String,
    },
    /// Write the open steps' due dates as an iCalendar file.
    Ics {
        /// Where to write it (.ics).
        #[arg(long)]
        out: PathBuf,
    },
    /// Say where the community stands among the stages of development.
    Stage {
        /// potential, coalescing, maturing, stewardship or transformation.
        stage: String,
        /// Why.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Export the active playbook (--out), load an edited one (--use), or go back to the default.
    Playbook {
        /// Write the active playbook's TOML here.
        #[arg(long, conflicts_with_all = ["use_file", "default"])]
        out: Option<PathBuf>,
        /// Load this edited playbook and make it active.
        #[arg(long = "use", value_name = "FILE")]
        use_file: Option<PathBuf>,
        /// Go back to the shipped default.
        #[arg(long)]
        default: bool,
    },
}

/// `tend onboarding`: every member's stage.
#[derive(Args)]
pub struct OnboardingArgs {
    /// The day, YYYY-MM-DD (default: today).
    #[arg(long, global = true)]
    date: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: Option<OnboardingCommand>,
}

#[derive(Subcommand)]
enum OnboardingCommand {
    /// Set a member's stage by hand (kept until cleared).
    Set {
        /// Member id (or a unique prefix).
        member: String,
        /// invited, joined, welcomed, introduced, first_contribution, regular or champion.
        stage: String,
        /// Why.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Let the evidence decide a member's stage again.
    Clear {
        /// Member id (or a unique prefix).
        member: String,
    },
}

/// `tend today`: the next actions.
#[derive(Args)]
pub struct TodayArgs {
    /// The day, YYYY-MM-DD (default: today).
    #[arg(long, global = true)]
    date: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// The language of the default plan's step titles: en, fr or es (default: en).
    #[arg(long)]
    lang: Option<String>,
    #[command(subcommand)]
    command: Option<TodayCommand>,
}

#[derive(Subcommand)]
enum TodayCommand {
    /// Mark an action done (by its key).
    Done {
        /// The action's key, e.g. welcome:0192….
        key: String,
    },
    /// Hide an action until a day.
    Snooze {
        /// The action's key.
        key: String,
        /// The day it comes back, YYYY-MM-DD (default: in 7 days).
        #[arg(long)]
        until: Option<String>,
    },
    /// Show a done or snoozed action again.
    Clear {
        /// The action's key.
        key: String,
    },
}

fn day(date: Option<&str>) -> Result<time::Date, Error> {
    date.map_or(Ok(time::today()), |d| time::parse_date("date", d))
}

/// Runs `tend plan …`.
pub async fn run_plan(store: &Store, args: PlanArgs) -> Result<(), Error> {
    let today = day(args.date.as_deref())?;
    let change = |step: String, c: StepChange| (step, c);
    let (step, c) = match args.command {
        None => {
            let view = plan::view(store, today, args.lang.as_deref()).await?;
            if args.json {
                print_json(&view);
            } else {
                print_plan(&view);
            }
            return Ok(());
        }
        Some(PlanCommand::Ics { out }) => {
            return write_ics(store, today, args.lang.as_deref(), &out).await
        }
        Some(PlanCommand::Stage { stage, note }) => {
            plan::record_stage(store, today, DevelopmentStage::parse(&stage)?, &note).await?;
            println!(
                "recorded: the community is {} ({today})",
                stage.to_ascii_lowercase()
            );
            return Ok(());
        }
        Some(PlanCommand::Playbook {
            out,
            use_file,
            default,
        }) => return run_playbook(store, out, use_file, default).await,
        Some(PlanCommand::Done { step, note }) => change(step, StepChange::Done { note }),
        Some(PlanCommand::Skip { step, reason }) => change(step, StepChange::Skip { reason }),
        Some(PlanCommand::Reopen { step }) => change(step, StepChange::Reopen),
        Some(PlanCommand::Assign { step, role }) => change(
            step,
            StepChange::Assign {
                owner: role.parse::<Role>()?,
            },
        ),
    };
    plan::change(store, &step, &c).await?;
    println!("step {step}: saved");
    Ok(())
}

async fn write_ics(
    store: &Store,
    today: time::Date,
    lang: Option<&str>,
    out: &Path,
) -> Result<(), Error> {
    let open = ics::export(store, today, lang, out).await?;
    println!("wrote {} ({open} open steps)", out.display());
    Ok(())
}

async fn run_playbook(
    store: &Store,
    out: Option<PathBuf>,
    use_file: Option<PathBuf>,
    default: bool,
) -> Result<(), Error> {
    if default {
        playbook::use_default(store).await?;
        println!("the default playbook is active again");
    } else if let Some(path) = use_file {
        let text = document::read_text(&path, MAX_TEXT_FILE_BYTES)?;
        let book = playbook::save(store, &path.display().to_string(), &text).await?;
        println!(
            "playbook '{}' is active ({} steps)",
            book.name,
            book.steps.len()
        );
    } else {
        let (text, _) = playbook::active_text(store).await?;
        match out {
            Some(path) => document::write(&path, text.as_bytes())?,
            None => print!("{text}"),
        }
    }
    Ok(())
}

fn print_plan(v: &PlanView) {
    println!(
        "{} — day {} since the launch on {} ({} of {} steps closed)",
        v.playbook,
        v.day,
        v.launch_date,
        v.closed,
        v.steps.len()
    );
    for phase in &v.phases {
        println!(
            "\n{} (days {}–{})",
            phase.title, phase.first_day, phase.last_day
        );
        for s in v.steps.iter().filter(|s| s.step.phase == phase.id) {
            let state = match (s.status, s.done_by_evidence) {
                (StepStatus::Done, true) => "done (evidence)".to_string(),
                (StepStatus::Done, false) => "done".to_string(),
                (StepStatus::Skipped, _) => format!("skipped: {}", s.reason),
                (StepStatus::Open, _) => format!("{:?}", s.timing).to_lowercase(),
            };
            let evidence = s
                .evidence
                .map(|e| match e.waiting {
                    Some(n) if n > 0 => format!(" [{}/{}, {n} waiting]", e.have, e.needed.count),
                    _ => format!(" [{}/{}]", e.have, e.needed.count),
                })
                .unwrap_or_default();
            println!(
                "  {} {:<18} {:<34} {:<11} {state}{evidence}",
                s.due,
                s.step.id,
                s.step.title,
                s.owner.as_str()
            );
        }
    }
    match v.stage_checks.first() {
        Some(c) => println!(
            "\nstage of development: {} (since {})",
            c.stage.as_str(),
            c.checked_on
        ),
        None => println!("\nstage of development: not placed yet — `tend plan stage coalescing`"),
    }
    if v.stage_check_due {
        println!("a monthly stage check is due");
    }
}

/// Runs `tend onboarding …`.
pub async fn run_onboarding(store: &Store, args: OnboardingArgs) -> Result<(), Error> {
    match args.command {
        Some(OnboardingCommand::Set {
            member,
            stage,
            note,
        }) => {
            onboarding::set_override(store, &member, stage.parse::<Stage>()?, &note).await?;
            println!("stage set by hand: {stage}");
        }
        Some(OnboardingCommand::Clear { member }) => {
            onboarding::clear_override(store, &member).await?;
            println!("stage follows the evidence again");
        }
        None => {
            let board = onboarding::board(store, day(args.date.as_deref())?).await?;
            if args.json {
                print_json(&board)
            } else {
                print_board(&board)
            }
        }
    }
    Ok(())
}

fn print_board(b: &Board) {
    println!(
        "onboarding on {} — each column counts the stage members are at now; {} stuck (waiting too long at their stage), {} inactive set aside (joined over a year ago, never contributed)",
        b.date,
        b.stuck,
        b.inactive.len()
    );
    for col in &b.columns {
        println!("\n{} ({})", col.stage, col.cards.len());
        for c in col.cards.iter().take(12) {
            let days = c
                .days_in_stage
                .map(|d| format!("{d} d"))
                .unwrap_or_default();
            let manual = if c.manual.is_some() {
                " (set by hand)"
            } else {
                ""
            };
            let stuck = c
                .stuck
                .map(|s| format!(" — stuck: {}", s.describe()))
                .unwrap_or_default();
            println!(
                "  {}  {:<28} {:>6}{manual}{stuck}",
                &c.member_id[..8.min(c.member_id.len())],
                c.name,
                days
            );
        }
        if col.cards.len() > 12 {
            println!("  … and {} more (--json lists all)", col.cards.len() - 12);
        }
    }
}

/// Runs `tend today …`.
pub async fn run_today(store: &Store, args: TodayArgs) -> Result<(), Error> {
    let today_ = day(args.date.as_deref())?;
    let (key, mark) = match args.command {
        None => {
            let t = today::today_in(store, today_, args.lang.as_deref()).await?;
            if !args.json {
                if let Some(next) = crate::next_step(tend::community::start(store).await?) {
                    println!("{next}");
                    return Ok(());
                }
            }
            if args.json {
                print_json(&t);
            } else {
                print_today(&t);
            }
            return Ok(());
        }
        Some(TodayCommand::Done { key }) => (key, ActionMark::Done),
        Some(TodayCommand::Clear { key }) => (key, ActionMark::Clear),
        Some(TodayCommand::Snooze { key, until }) => (key, ActionMark::Snooze { until }),
    };
    today::mark(store, &key, &mark).await?;
    println!("{key}: saved");
    Ok(())
}

fn print_today(t: &Today) {
    println!(
        "today, {} — {} actions ({} done or snoozed hidden)",
        t.date,
        t.actions.len(),
        t.hidden
    );
    for (i, a) in t.actions.iter().enumerate() {
        let what = a
            .thread_title
            .as_deref()
            .map(|t| format!(" — “{t}”"))
            .unwrap_or_default();
        println!(
            "\n{:>3}. {:?}: {}{what}\n     why: {}\n     key: {}\n     message ({}): {}",
            i + 1,
            a.kind,
            a.subject,
            a.why,
            a.key,
            a.lang,
            a.message
        );
    }
}

#[derive(Args)]
pub struct GuideArgs {
    /// Only this role.
    role: Option<String>,
    /// Language: en, fr or es.
    #[arg(long, default_value = "en")]
    lang: String,
}

/// Prints the role guides (`tend guide [ROLE] [--lang xx]`).
pub fn print_guides(args: GuideArgs) -> Result<(), Error> {
    let GuideArgs { role, lang } = args;
    let lang = lang.as_str();
    let wanted = role.as_deref().map(str::parse::<Role>).transpose()?;
    for g in texts::role_guides(lang)
        .iter()
        .filter(|g| wanted.is_none_or(|r| r == g.role))
    {
        println!("# {}\n\n{}\n\nWhat good looks like:", g.title, g.does);
        g.good.iter().for_each(|x| println!("- {x}"));
        println!("\nTips:");
        g.tips.iter().for_each(|x| println!("- {x}"));
        println!();
    }
    Ok(())
}
