//! `tend import discourse --url …`: fetch what changed on a live Discourse forum since the
//! last time (the old spelling `tend sync discourse` still works, hidden: "sync" means team
//! sync everywhere else).

use clap::Args;
use tend::import::{self, discourse_live};
use tend::Store;

use crate::import_cmd::print_report;
use crate::{print_json, CliError};

/// The forum and how to reach it.
#[derive(Args, Debug)]
pub struct DiscourseArgs {
    /// The forum's address, such as https://forum.example.org.
    #[arg(long)]
    url: String,
    /// API key, for private forums (or TEND_DISCOURSE_API_KEY).
    #[arg(long, env = "TEND_DISCOURSE_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// The user the API key acts as.
    #[arg(long)]
    api_user: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Fetches from the forum and prints what was imported.
pub async fn run(store: &Store, a: DiscourseArgs) -> Result<(), CliError> {
    let site = discourse_live::Site {
        url: a.url,
        api_key: a.api_key,
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
