//! `tend members`: list, show, edit, export, merge and split members.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use tend::model::{Member, MemberFilter, MemberPatch, MemberSummary, Role};
use tend::{identity, members, Error, Store};

use crate::print_json;

#[derive(Subcommand)]
pub enum MembersCommand {
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
pub struct SetArgs {
    /// Member id.
    id: String,
    /// leader, facilitator, member, sponsor or champion.
    #[arg(long)]
    role: Option<String>,
    /// Display name.
    #[arg(long)]
    name: Option<String>,
    /// The name they go by, for greetings (empty: their full name).
    #[arg(long)]
    preferred_name: Option<String>,
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

/// Runs `tend members …`.
pub async fn run(store: &Store, cmd: MembersCommand) -> Result<(), Error> {
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
        preferred_name: a.preferred_name,
        email: a.email,
        role: a.role,
        country: a.country,
        organisation: a.organisation,
        language: a.language,
        joined_at: a.joined_at,
        notes: a.notes,
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
    println!("  goes by       {}", or_dash(&m.preferred_name));
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
            "  identity      {} '{}' {}",
            i.source_kind, i.source_name, i.shown
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
