//! `tend demo`: fill an empty database with a made-up community, or remove it.

use clap::Args;
use tend::demo::{self, DemoConfig};
use tend::{time, Error, Store};

#[derive(Args)]
pub struct DemoArgs {
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

/// Runs `tend demo`.
pub async fn run(store: &Store, args: DemoArgs) -> Result<(), Error> {
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
