//! `tend init` and `tend status`: set up the community, and see it and its size.

use clap::Args;
use tend::community::{self, NewCommunity};
use tend::{Error, Store};

use crate::print_json;

#[derive(Args)]
pub struct InitArgs {
    /// The community's name.
    #[arg(long)]
    name: String,
    /// Why it exists.
    #[arg(long, default_value = "")]
    purpose: String,
    /// Day 0 of the 90-day plan, YYYY-MM-DD (default: today).
    #[arg(long)]
    launch: Option<String>,
}

#[derive(Args)]
pub struct StatusArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `tend init`.
pub async fn init(store: &Store, args: InitArgs) -> Result<(), Error> {
    let new = NewCommunity {
        name: args.name,
        purpose: args.purpose,
        launch_date: args.launch,
    };
    let c = community::init(store, &new).await?;
    println!(
        "community '{}' (launch {}), id {}",
        c.name, c.launch_date, c.id
    );
    Ok(())
}

/// Runs `tend status`.
pub async fn status(store: &Store, args: StatusArgs) -> Result<(), Error> {
    let o = community::overview(store).await?;
    if args.json {
        print_json(&o);
        return Ok(());
    }
    let Some(c) = o.community else {
        let next = crate::next_step(community::start(store).await?);
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
    Ok(())
}
