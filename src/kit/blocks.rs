//! The placeholders' values: plain text for the title and the message, Markdown (with every
//! value from the data escaped) for the sections, and the blocks built from the data.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::data::{KitData, Person};
use super::markdown::escape;
use super::template::KitTemplate;
use super::Audience;
use crate::countries;
use crate::error::Result;
use crate::guide::{facts, onboarding};
use crate::model::Role;
use crate::store::Store;
use crate::words::{self, Lang};

/// Placeholder values, as plain text and as Markdown.
pub struct Values {
    /// For the title and the message.
    pub plain: HashMap<&'static str, String>,
    /// For the sections.
    pub markdown: HashMap<&'static str, String>,
}

/// The member's onboarding stage, for ticking their first steps.
pub async fn stage_of(
    store: &Store,
    people: &[Person],
    day: NaiveDate,
) -> Result<Option<onboarding::Stage>> {
    let Some(p) = people.first() else {
        return Ok(None);
    };
    let all = facts::load(store, day).await?;
    let cards = onboarding::cards_for(store, &all, day).await?;
    Ok(cards
        .into_iter()
        .find(|c| c.member_id == p.id)
        .map(|c| c.stage))
}

/// The template's language, as the core's words know it.
fn lang(t: &KitTemplate) -> Lang {
    Lang::of(&t.lang)
}

/// A country as the kit names it: in the kit's language when it is one the countries list
/// knows, else as it was written.
fn country_in(t: &KitTemplate, country: &str) -> String {
    countries::name_in(country, &t.lang).map_or_else(|| country.to_string(), str::to_string)
}

/// Whether two countries as written name the same one ("Sénégal" and "Senegal" do).
fn same_country(a: &str, b: &str) -> bool {
    countries::stored(a) == countries::stored(b)
}

/// Who a kit names as the member's contact.
enum Contact<'a> {
    /// Another champion or facilitator of the member's country.
    One(&'a Person),
    /// The facilitators (the leaders where there are none).
    Team(Vec<&'a Person>),
    /// Nobody but the member themself.
    Nobody,
}

/// How many of the team a kit names as contacts when no one person is.
const MAX_CONTACTS: usize = 3;

/// The contact of `member` (none for a cohort): a champion, else a facilitator, of their
/// country other than themself; else the facilitators, else the leaders, never the member.
fn contact<'a>(team: &'a [Person], member: Option<&Person>) -> Contact<'a> {
    let others = || {
        team.iter()
            .filter(move |p| member.is_none_or(|m| m.id != p.id))
    };
    let country = member.and_then(|m| m.country.as_deref());
    let of_country = |role: Role| {
        country.and_then(|c| {
            others().find(|p| {
                p.role == role && p.country.as_deref().is_some_and(|pc| same_country(pc, c))
            })
        })
    };
    if let Some(p) = of_country(Role::Champion).or_else(|| of_country(Role::Facilitator)) {
        return Contact::One(p);
    }
    for role in [Role::Facilitator, Role::Leader] {
        let team: Vec<&Person> = others()
            .filter(|p| p.role == role)
            .take(MAX_CONTACTS)
            .collect();
        match team.as_slice() {
            [] => continue,
            [one] => return Contact::One(one),
            _ => return Contact::Team(team),
        }
    }
    Contact::Nobody
}

/// Names as one list in the template's words: "A", "A and B", "A, B and C".
fn names_list(t: &KitTemplate, names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} {} {last}", head.join(", "), t.word("and")),
    }
}

/// A template word with `{name}` set to `value`, as plain text and as Markdown (the word
/// escaped, `value_md` as given).
fn sentence(
    t: &KitTemplate,
    key: &str,
    name: &str,
    value: &str,
    value_md: &str,
) -> (String, String) {
    let word = t.word(key);
    let hole = format!("{{{name}}}");
    let md = word
        .split(&hole)
        .map(escape)
        .collect::<Vec<_>>()
        .join(value_md);
    (word.replace(&hole, value), md)
}

/// The sentence naming the member's contact, as plain text and as Markdown.
fn contact_sentence(t: &KitTemplate, c: &Contact) -> (String, String) {
    let bold = |names: &[&Person]| {
        let plain: Vec<String> = names.iter().map(|p| p.name.clone()).collect();
        let md: Vec<String> = names
            .iter()
            .map(|p| format!("**{}**", escape(&p.name)))
            .collect();
        (names_list(t, &plain), names_list(t, &md))
    };
    match c {
        Contact::One(p) => {
            let (plain, md) = bold(&[p]);
            sentence(t, "contact_one", "name", &plain, &md)
        }
        Contact::Team(team) => {
            let (plain, md) = bold(team);
            sentence(t, "contact_team", "names", &plain, &md)
        }
        Contact::Nobody => {
            let word = t.word("contact_none");
            (word.clone(), escape(&word))
        }
    }
}

fn who_is_who(t: &KitTemplate, team: &[Person]) -> String {
    if team.is_empty() {
        return escape(&t.word("no_team"));
    }
    let head = format!(
        "| {} | {} | {} | {} |\n|---|---|---|---|\n",
        t.word("name"),
        t.word("role"),
        t.word("country"),
        t.word("organisation")
    );
    team.iter().take(40).fold(head, |acc, p| {
        let opt = |v: &Option<String>| escape(v.as_deref().unwrap_or(""));
        let country = p.country.as_deref().map(|c| country_in(t, c));
        acc + &format!(
            "| {} | {} | {} | {} |\n",
            escape(&p.name),
            t.word(p.role.as_str()),
            opt(&country),
            opt(&p.organisation)
        )
    })
}

fn first_steps(t: &KitTemplate, stage: Option<onboarding::Stage>) -> String {
    let reached = stage.map_or(0, |s| {
        onboarding::Stage::ALL
            .iter()
            .position(|x| *x == s)
            .unwrap_or(0)
    });
    t.words_list("first_steps")
        .iter()
        .enumerate()
        .map(|(i, step)| {
            format!(
                "- [{}] {}\n",
                if reached > i { "x" } else { " " },
                escape(step)
            )
        })
        .collect()
}

/// A word of the template that an older edited copy may lack.
fn optional_word(t: &KitTemplate, key: &str) -> Option<String> {
    t.words
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// A day as the kit writes it, in its language ("7 décembre 2026").
fn day_in(t: &KitTemplate, day: NaiveDate) -> String {
    words::day_long(lang(t), day)
}

fn resources(t: &KitTemplate, data: &KitData, dropped: &[String]) -> String {
    let kept: Vec<String> = data
        .resources
        .iter()
        .filter(|r| !dropped.contains(&r.id))
        .map(|r| {
            let space = r
                .space
                .as_deref()
                .map(|s| format!(" ({})", escape(s)))
                .unwrap_or_default();
            format!(
                "1. **{}**{space} — {} {}\n",
                escape(&r.title),
                r.replies,
                t.word("replies")
            )
        })
        .collect();
    if kept.is_empty() {
        escape(&t.word("no_resources"))
    } else {
        kept.concat()
    }
}

fn events(t: &KitTemplate, data: &KitData) -> String {
    let mut out = escape(&t.word("no_events"));
    if !data.events.is_empty() {
        out.push_str(&format!("\n\n{}\n\n", escape(&t.word("past_events"))));
        for e in &data.events {
            let date = crate::time::parse_date("event", &e.date)
                .map_or_else(|_| escape(&e.date), |d| day_in(t, d));
            out.push_str(&format!(
                "- {}, {} ({} {})\n",
                escape(&e.name),
                date,
                e.attended,
                t.word("attended")
            ));
        }
    }
    out
}

/// The leaders and facilitators, with their country and e-mail; the member is not their
/// own contact.
fn contacts(t: &KitTemplate, team: &[Person], member: Option<&Person>) -> String {
    let list: Vec<String> = team
        .iter()
        .filter(|p| matches!(p.role, Role::Leader | Role::Facilitator))
        .filter(|p| member.is_none_or(|m| m.id != p.id))
        .map(|p| {
            let country = p
                .country
                .as_deref()
                .map(|c| format!(", {}", escape(&country_in(t, c))))
                .unwrap_or_default();
            let email = p
                .email
                .as_deref()
                .map(|e| format!(" — {}", escape(e)))
                .unwrap_or_default();
            format!(
                "- **{}** ({}{country}){email}\n",
                escape(&p.name),
                t.word(p.role.as_str())
            )
        })
        .collect();
    if list.is_empty() {
        escape(&t.word("no_contacts"))
    } else {
        list.concat()
    }
}

/// The spaces with life, busiest first, each with its count over the kit's 90 days (dated
/// when they end on an archive's last active day).
fn spaces(t: &KitTemplate, data: &KitData) -> String {
    if data.spaces.is_empty() {
        return escape(&t.word("no_spaces"));
    }
    let (intro, count) = match data.last_active {
        Some(d) => (
            format!(
                "{}\n\n",
                escape(&t.word("activities_until").replace("{date}", &day_in(t, d)))
            ),
            escape(&t.word("messages")),
        ),
        None => (String::new(), escape(&t.word("activities"))),
    };
    data.spaces.iter().fold(intro, |out, s| {
        out + &format!("- **{}** — {} {count}\n", escape(&s.name), s.activities)
    })
}

/// Where to ask: a space whose name says so, else the busiest, else the community.
fn questions_space(data: &KitData) -> String {
    data.spaces
        .iter()
        .find(|s| crate::health::asks::space_is_for_asking(&s.name))
        .or(data.spaces.first())
        .map_or_else(|| data.community.clone(), |s| s.name.clone())
}

/// Every placeholder's value for this kit.
pub fn values(
    t: &KitTemplate,
    data: &KitData,
    audience: &Audience,
    people: &[Person],
    stage: Option<onboarding::Stage>,
    dropped: &[String],
    day: NaiveDate,
) -> Values {
    let member = match audience {
        Audience::Member(_) => people.first(),
        Audience::Cohort(_) => None,
    };
    let nobody = t.word("nobody");
    let contact = contact(&data.team, member);
    let buddy = match &contact {
        Contact::One(p) => p.name.clone(),
        Contact::Team(team) => {
            names_list(t, &team.iter().map(|p| p.name.clone()).collect::<Vec<_>>())
        }
        Contact::Nobody => nobody.clone(),
    };
    let facilitator =
        facilitator_of(&data.team, member).map_or_else(|| nobody.clone(), |p| p.name.clone());
    let (contact_plain, contact_md) = contact_sentence(t, &contact);
    let cohort = match audience {
        Audience::Cohort(month) => words::month_long(lang(t), month),
        Audience::Member(_) => String::new(),
    };
    let recipient = match (member, audience) {
        (Some(m), _) => m.name.clone(),
        (None, Audience::Cohort(_)) => t.word("everyone").replace("{cohort}", &cohort),
        (None, Audience::Member(_)) => nobody.clone(),
    };
    // The name they go by, else the full name: never a guessed first word.
    let first_name = member.map_or_else(|| recipient.clone(), |m| m.greeting.clone());
    let greeting = match member {
        Some(m) => optional_word(t, "greeting_one").map(|g| g.replace("{name}", &m.name)),
        None => optional_word(t, "greeting_group").map(|g| g.replace("{cohort}", &cohort)),
    }
    .map(|g| g.replace("{community}", &data.community))
    .unwrap_or_else(|| recipient.clone());
    let plain: HashMap<&'static str, String> = HashMap::from([
        ("community", data.community.clone()),
        ("purpose", data.purpose.clone()),
        ("greeting", greeting),
        ("recipient", recipient),
        ("first_name", first_name),
        ("buddy", buddy),
        ("facilitator", facilitator),
        ("contact", contact_plain),
        ("date", day_in(t, day)),
        ("questions_space", questions_space(data)),
    ]);
    let mut markdown: HashMap<&'static str, String> =
        plain.iter().map(|(k, v)| (*k, escape(v))).collect();
    markdown.insert("contact", contact_md);
    markdown.insert("who_is_who", who_is_who(t, &data.team));
    markdown.insert("spaces", spaces(t, data));
    markdown.insert("first_steps", first_steps(t, stage));
    markdown.insert("resources", resources(t, data, dropped));
    markdown.insert("events", events(t, data));
    markdown.insert("contacts", contacts(t, &data.team, member));
    Values { plain, markdown }
}

/// A facilitator of the member's country other than themself, else any other facilitator
/// (the `{facilitator}` placeholder of templates edited before `{contact}`).
fn facilitator_of<'a>(team: &'a [Person], member: Option<&Person>) -> Option<&'a Person> {
    let others = || {
        team.iter()
            .filter(move |p| p.role == Role::Facilitator && member.is_none_or(|m| m.id != p.id))
    };
    let country = member.and_then(|m| m.country.as_deref());
    country
        .and_then(|c| others().find(|p| p.country.as_deref().is_some_and(|pc| same_country(pc, c))))
        .or_else(|| others().next())
}
