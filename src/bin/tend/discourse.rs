//! `tend import discourse --url …`: fetch what changed on a live Discourse forum since the
//! last time (the old spelling `tend sync discourse` still works, hidden: "sync" means team
//! sync everywhere else).

use std::path::PathBuf;

use clap::Args;
use tend::import::{self, discourse_live};
use tend::Store;

use crate::import_cmd::print_report;
use crate::{print_json, secret, CliError};

/// The forum and how to reach it.
#[derive(Args, Debug)]
pub struct DiscourseArgs {
    /// The forum's address, such as https://forum.example.org.
    #[arg(long)]
    url: String,
    /// A file holding the API key, for private forums (or the key in
    /// TEND_DISCOURSE_API_KEY; with --api-user and neither, it is asked for on a terminal).
    /// Never the key itself on the command line, which other accounts see.
    #[arg(long)]
    api_key_file: Option<PathBuf>,
    /// The user the API key acts as.
    #[arg(long)]
    api_user: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Fetches from the forum and prints what was imported.
pub async fn run(store: &Store, a: DiscourseArgs) -> Result<(), CliError> {
    let source = secret::Source {
        file: a.api_key_file.as_deref(),
        env: "TEND_DISCOURSE_API_KEY",
        prompt: "the forum's API key: ",
    };
    let api_key = match source.given()? {
        Some(key) => Some(key),
        None if a.api_user.is_some() => source.ask()?,
        None => None,
    };
    let site = discourse_live::Site {
        url: a.url,
        api_key,
        api_user: a.api_user,
    };
    let report = discourse_live::sync(store, &site, &import::Silent).await?;
    if a.json {
        print_json(&report);
    } else {
        print_report(&report);
    }
    Ok(())
}
