//! `tend kit`: build a welcome pack and export it; its history and templates.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use tend::document;
use tend::kit::{self, export, template, Audience, KitRequest};
use tend::limits::MAX_TEXT_FILE_BYTES;
use tend::{time, Error, Store};

use crate::print_json;

/// `tend kit`: a welcome pack for a member or a cohort.
#[derive(Args)]
pub struct KitArgs {
    /// Template name (default: welcome).
    #[arg(long)]
    template: Option<String>,
    /// For this member (id or unique prefix).
    #[arg(long, conflicts_with = "cohort")]
    member: Option<String>,
    /// For everyone who joined in this month, YYYY-MM.
    #[arg(long)]
    cohort: Option<String>,
    /// Language (en, fr, es); default: the member's, or most of the cohort's.
    #[arg(long)]
    lang: Option<String>,
    /// Leave out a suggested resource (a thread id from --json); repeatable.
    #[arg(long = "drop", value_name = "THREAD_ID")]
    drop_resources: Vec<String>,
    /// The day the kit is made as of, YYYY-MM-DD (default: today).
    #[arg(long)]
    date: Option<String>,
    /// Write it here: .html, .pdf, .md, .txt (the welcome message) or .zip (all).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print the built kit as JSON instead of Markdown (when there is no --out).
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: Option<KitCommand>,
}

#[derive(Subcommand)]
enum KitCommand {
    /// The kits made before, newest first.
    History {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export a template's TOML (--out), or load an edited one (--use).
    Template {
        /// Template name.
        #[arg(long, default_value = "welcome")]
        name: String,
        /// Its language.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Write the template here.
        #[arg(long, conflicts_with = "use_file")]
        out: Option<PathBuf>,
        /// Check and store this edited template.
        #[arg(long = "use", value_name = "FILE")]
        use_file: Option<PathBuf>,
    },
}

/// Runs `tend kit …`.
pub async fn run(store: &Store, args: KitArgs) -> Result<(), Error> {
    match args.command {
        Some(KitCommand::History { json }) => return history(store, json).await,
        Some(KitCommand::Template {
            name,
            lang,
            out,
            use_file,
        }) => return templates(store, &name, &lang, out, use_file).await,
        None => {}
    }
    let audience = match (args.member, args.cohort) {
        (Some(m), _) => Audience::Member(m),
        (None, Some(c)) => Audience::Cohort(c),
        (None, None) => {
            return Err(Error::InvalidValue {
                field: "audience",
                value: String::new(),
                expected: "--member ID or --cohort YYYY-MM",
            })
        }
    };
    let day = args
        .date
        .as_deref()
        .map_or(Ok(time::today()), |d| time::parse_date("date", d))?;
    let req = KitRequest {
        template: args.template,
        audience,
        lang: args.lang,
        drop_resources: args.drop_resources,
    };
    if let Some(path) = args.out {
        let (built, format) = export::make(store, &req, day, &path).await?;
        println!(
            "wrote {} ({format:?}, {}, for {})",
            path.display(),
            built.lang,
            built.recipient
        );
        return Ok(());
    }
    let built = kit::build(store, &req, day).await?;
    if args.json {
        print_json(&built);
    } else {
        print!("{}", kit::to_markdown(&built));
    }
    Ok(())
}

async fn history(store: &Store, json: bool) -> Result<(), Error> {
    let list = export::history(store, 200).await?;
    if json {
        print_json(&list);
    } else {
        for k in &list {
            println!(
                "{}  {:<4} {:<3} {:<8} {} ({} members) → {}",
                k.made_at, k.format, k.lang, k.template, k.recipient, k.members, k.path
            );
        }
    }
    Ok(())
}

async fn templates(
    store: &Store,
    name: &str,
    lang: &str,
    out: Option<PathBuf>,
    use_file: Option<PathBuf>,
) -> Result<(), Error> {
    if let Some(path) = use_file {
        let text = document::read_text(&path, MAX_TEXT_FILE_BYTES)?;
        let t = template::save(store, &path.display().to_string(), &text).await?;
        println!("kit template '{}' ({}) saved", t.name, t.lang);
        return Ok(());
    }
    let text = template::text(store, name, lang).await?;
    match out {
        Some(path) => document::write(&path, text.as_bytes())?,
        None => print!("{text}"),
    }
    Ok(())
}
