//! `tend health` and `tend chart`: the metrics of a period and segment, a segment key's
//! values, and one chart written as SVG or PNG.

use std::path::PathBuf;

use clap::Args;
use tend::words::{numbers, Lang};
use tend::{community, health, Error, Store};

use crate::lens::{LangArg, LensArgs};
use crate::print_json;

/// `tend health`.
#[derive(Args)]
pub struct HealthArgs {
    #[command(flatten)]
    lens: LensArgs,
    /// List the values of a segment key (space, country, organisation, role, cohort)
    /// with their member counts, instead of the metrics.
    #[arg(long, value_name = "KEY", conflicts_with = "segment")]
    values: Option<String>,
    /// Print JSON (names as in the README's metric definitions).
    #[arg(long)]
    json: bool,
}

/// `tend chart`.
#[derive(Args)]
pub struct ChartArgs {
    /// Which chart.
    name: String,
    /// Where to write it (.svg or .png).
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    lens: LensArgs,
    #[command(flatten)]
    lang: LangArg,
    /// The dark variant.
    #[arg(long)]
    dark: bool,
}

/// Runs `tend health`.
pub async fn health(store: &Store, a: HealthArgs) -> Result<(), Error> {
    if let Some(key) = a.values {
        let list = health::segments::values_of(store, key.parse()?).await?;
        if a.json {
            print_json(&list);
        }
        for v in list.iter().filter(|_| !a.json) {
            println!("{:>7}  {}", v.members, v.value);
        }
        return Ok(());
    }
    let h = health::compute(store, &a.lens.lens()?).await?;
    if a.json {
        print_json(&h);
    } else if let Some(next) = crate::next_step(community::start(store).await?) {
        println!("{next}");
    } else {
        print_health(&h);
    }
    Ok(())
}

/// Runs `tend chart`.
pub async fn chart(store: &Store, a: ChartArgs) -> Result<(), Error> {
    let name: tend::charts::ChartName = a.name.parse()?;
    let style = tend::charts::Style::new(a.dark, a.lang.lang()?);
    tend::charts::export(store, name, &a.lens.lens()?, &style, &a.out).await?;
    println!("wrote {}", a.out.display());
    Ok(())
}

fn print_health(h: &health::Health) {
    let (c, p) = (&h.current, &h.previous);
    // The core's one rule for figures: "84%", "5.2 hours", "over 30 days"; a share of
    // nothing is "-", not 0%.
    let pct = |x: f64| numbers::percent(Lang::En, x);
    let share = |x: Option<f64>| x.map_or("-".to_string(), pct);
    let hours = |x: Option<f64>| x.map_or("-".to_string(), |h| numbers::duration(Lang::En, h));
    let segment = if h.segment.is_empty() {
        String::new()
    } else {
        let conditions: Vec<String> = h.segment.iter().map(ToString::to_string).collect();
        format!(" ({})", conditions.join(" and "))
    };
    println!(
        "period {} to {}, {} days{segment}",
        h.first_day, h.last_day, h.days
    );
    println!(
        "  members            {:>6}  (previous {})",
        c.members_total, p.members_total
    );
    println!(
        "  active             {:>6}  (previous {})",
        c.members_active, p.members_active
    );
    println!(
        "  new                {:>6}  (previous {})",
        c.new_members, p.new_members
    );
    println!(
        "  creators / contributors / lurkers  {} / {} / {}",
        c.pyramid.creators, c.pyramid.contributors, c.pyramid.lurkers
    );
    println!(
        "  gini {:.2}, absence factor {}, top 10 share {}",
        c.gini,
        c.absence_factor,
        pct(c.top10_share)
    );
    let r = &c.response;
    println!(
        "  threads {}: {} answered within 48 h ({}), median {}, p90 {}, unanswered {}",
        r.threads,
        r.answered_48h,
        share(r.answered_48h_share),
        hours(r.median_first_response_hours),
        hours(r.p90_first_response_hours),
        r.unanswered
    );
    println!(
        "  peer replies {}, cross-country {}, cross-organisation {}",
        share(c.peer_reply_share),
        share(c.cross_boundary.country_share),
        share(c.cross_boundary.organisation_share)
    );
    println!(
        "  activated within 30 days {}",
        share(c.activation.activated_30d_share)
    );
    println!(
        "  at risk {}, reactivated {}, net active change {:+}",
        c.at_risk, c.reactivated, c.net_active_change
    );
    for m in &c.at_risk_members {
        println!("    at risk: {} ({})", m.display_name, m.id);
    }
    println!("  by purpose (spaces tagged with `tend spaces tag`)");
    for u in &c.purposes {
        println!(
            "    {:<10} {:>3} spaces  {:>7} activities  {:>5} active members",
            u.purpose.name(),
            u.spaces,
            u.activities,
            u.active_members
        );
    }
}
