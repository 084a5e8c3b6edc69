//! `tend spaces`: what each space is for (inspire, connect, learn, co-create, educate,
//! train, feedback), shared with the team like any edit.

use clap::Subcommand;
use tend::spaces::{self, Purpose};
use tend::{Error, Store};

use crate::print_json;

/// `tend spaces`.
#[derive(Subcommand)]
pub enum SpacesCommand {
    /// List every space with its purposes.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Tag a space with its purposes, replacing its tags; no purpose clears them.
    Tag {
        /// The space's name (matched whatever its case and accents).
        space: String,
        /// inspire, connect, learn, co-create, educate, train or feedback.
        purposes: Vec<String>,
    },
}

/// Runs `tend spaces …`.
pub async fn run(store: &Store, cmd: SpacesCommand) -> Result<(), Error> {
    match cmd {
        SpacesCommand::List { json } => {
            let list = spaces::list(store).await?;
            if json {
                print_json(&list);
            }
            for s in list.iter().filter(|_| !json) {
                println!("{:<30} {}", s.space, names(&s.purposes));
            }
        }
        SpacesCommand::Tag { space, purposes } => {
            let purposes = purposes
                .iter()
                .map(|p| p.parse::<Purpose>())
                .collect::<Result<Vec<_>, _>>()?;
            let tagged = spaces::tag(store, &space, &purposes).await?;
            println!("{}: {}", tagged.space, names(&tagged.purposes));
        }
    }
    Ok(())
}

/// "learn, train", or "(no purpose yet)".
fn names(purposes: &[Purpose]) -> String {
    if purposes.is_empty() {
        return "(no purpose yet)".into();
    }
    purposes
        .iter()
        .map(|p| p.name())
        .collect::<Vec<_>>()
        .join(", ")
}
