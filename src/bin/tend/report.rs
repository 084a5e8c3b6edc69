//! `tend report` and `tend story`: the sponsor report and the stories it tells.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use tend::report::stories::{self, NewStory, ValueTag};
use tend::report::{self, ReportOptions};
use tend::{time, Error, Store};

use crate::lens::{LangArg, LensArgs};
use crate::print_json;

/// `tend report`: the sponsor report.
#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    lens: LensArgs,
    #[command(flatten)]
    lang: LangArg,
    /// The facilitator's note.
    #[arg(long, default_value = "")]
    note: String,
    /// Replace member names with stable aliases.
    #[arg(long)]
    pseudonymise: bool,
    /// US Letter paper for the PDF (default A4).
    #[arg(long)]
    letter: bool,
    /// Where to write it: .html or .pdf.
    #[arg(long)]
    out: PathBuf,
}

/// `tend story`: value-creation stories.
#[derive(Subcommand)]
pub enum StoryCommand {
    /// Add a story.
    Add {
        /// immediate, potential, applied, realised or reframing.
        #[arg(long)]
        tag: String,
        /// One line.
        #[arg(long)]
        title: String,
        /// The story.
        #[arg(long, default_value = "")]
        text: String,
        /// The member it is about (id or prefix).
        #[arg(long)]
        member: Option<String>,
        /// The day it was told (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// List the stories of a period.
    List {
        /// First day (default: 2000-01-01).
        #[arg(long, default_value = "2000-01-01")]
        from: String,
        /// Last day (default: today).
        #[arg(long)]
        to: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a story.
    Remove {
        /// Its id.
        id: String,
    },
}

/// Runs `tend report`.
pub async fn run_report(store: &Store, a: ReportArgs) -> Result<(), Error> {
    let options = ReportOptions {
        note: a.note,
        pseudonymise: a.pseudonymise,
        letter: a.letter,
        lang: a.lang.lang()?,
    };
    let r = report::write(store, &a.lens.lens()?, &options, &a.out).await?;
    println!(
        "wrote {} ({} – {}, {} stories{})",
        a.out.display(),
        r.from,
        r.to,
        r.stories.len(),
        if r.pseudonymised {
            ", pseudonymised"
        } else {
            ""
        }
    );
    Ok(())
}

/// Runs `tend story …`.
pub async fn run_story(store: &Store, cmd: StoryCommand) -> Result<(), Error> {
    match cmd {
        StoryCommand::Add {
            tag,
            title,
            text,
            member,
            date,
        } => {
            let id = stories::add(
                store,
                &NewStory {
                    told_on: date,
                    tag: ValueTag::parse(&tag)?,
                    member,
                    title,
                    text,
                },
            )
            .await?;
            println!("story {id} added");
        }
        StoryCommand::List { from, to, json } => {
            let to = to.unwrap_or_else(|| time::today().to_string());
            let list = stories::list(store, &from, &to).await?;
            if json {
                print_json(&list);
            } else {
                for s in &list {
                    println!(
                        "{} {:<10} {} — {}{}",
                        s.told_on,
                        s.tag.as_str(),
                        s.title,
                        s.text,
                        s.member_name
                            .as_deref()
                            .map(|n| format!(" ({n})"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        StoryCommand::Remove { id } => {
            stories::remove(store, &id).await?;
            println!("story {id} removed");
        }
    }
    Ok(())
}
