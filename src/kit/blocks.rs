//! The placeholders' values: plain text for the title and the message, Markdown (with every
//! value from the data escaped) for the sections, and the blocks built from the data.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::data::{KitData, Person};
use super::markdown::escape;
use super::template::KitTemplate;
use super::Audience;
use crate::error::Result;
use crate::guide::{facts, onboarding};
use crate::model::Role;
use crate::store::Store;

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

fn first_with<'a>(team: &'a [Person], role: Role, country: Option<&str>) -> Option<&'a Person> {
    let of_role = || team.iter().filter(move |p| p.role == role);
    country
        .and_then(|c| of_role().find(|p| p.country.as_deref() == Some(c)))
        .or_else(|| of_role().next())
}

fn who_is_who(t: &KitTemplate, team: &[Person]) -> String {
    if team.is_empty() {
        return escape(&t.word("nobody"));
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
        acc + &format!(
            "| {} | {} | {} | {} |\n",
            escape(&p.name),
            t.word(p.role.as_str()),
            opt(&p.country),
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

/// A cohort's month (`YYYY-MM`) in the template's words ("November 2026", "noviembre de
/// 2026"); as given when the template has no month names or the month does not parse.
pub fn month_in(t: &KitTemplate, month: &str) -> String {
    let names = t.words_list("months");
    let parsed = month
        .split_once('-')
        .and_then(|(y, m)| Some((y, m.parse::<usize>().ok()?)));
    match (parsed, optional_word(t, "month_year")) {
        (Some((year, m)), Some(form)) if (1..=12).contains(&m) && names.len() == 12 => form
            .replace("{month}", &names[m - 1])
            .replace("{year}", year),
        _ => month.to_string(),
    }
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
            out.push_str(&format!(
                "- {}, {} ({} {})\n",
                escape(&e.name),
                e.date,
                e.attended,
                t.word("attended")
            ));
        }
    }
    out
}

fn contacts(t: &KitTemplate, team: &[Person]) -> String {
    let list: Vec<String> = team
        .iter()
        .filter(|p| matches!(p.role, Role::Leader | Role::Facilitator))
        .map(|p| {
            let country = p
                .country
                .as_deref()
                .map(|c| format!(", {}", escape(c)))
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
        escape(&t.word("nobody"))
    } else {
        list.concat()
    }
}

fn questions_space(data: &KitData) -> String {
    let asks = ["question", "help", "ask", "pregunta", "aide", "ayuda"];
    data.spaces
        .iter()
        .find(|s| asks.iter().any(|a| s.name.to_lowercase().contains(a)))
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
    let country = member.and_then(|m| m.country.as_deref());
    let nobody = t.word("nobody");
    let name_of = |p: Option<&Person>| p.map_or_else(|| nobody.clone(), |p| p.name.clone());
    let buddy = name_of(
        first_with(&data.team, Role::Champion, country)
            .or_else(|| first_with(&data.team, Role::Facilitator, country)),
    );
    let cohort = match audience {
        Audience::Cohort(month) => month_in(t, month),
        Audience::Member(_) => String::new(),
    };
    let recipient = match (member, audience) {
        (Some(m), _) => m.name.clone(),
        (None, Audience::Cohort(_)) => t.word("everyone").replace("{cohort}", &cohort),
        (None, Audience::Member(_)) => nobody.clone(),
    };
    let first_name = member.map_or_else(
        || recipient.clone(),
        |m| {
            m.name
                .split_whitespace()
                .next()
                .unwrap_or(&m.name)
                .to_string()
        },
    );
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
        (
            "facilitator",
            name_of(first_with(&data.team, Role::Facilitator, country)),
        ),
        ("date", day.to_string()),
        ("questions_space", questions_space(data)),
    ]);
    let mut markdown: HashMap<&'static str, String> =
        plain.iter().map(|(k, v)| (*k, escape(v))).collect();
    markdown.insert("who_is_who", who_is_who(t, &data.team));
    markdown.insert(
        "spaces",
        data.spaces
            .iter()
            .map(|s| {
                format!(
                    "- **{}** — {} {}\n",
                    escape(&s.name),
                    s.activities,
                    t.word("activities")
                )
            })
            .collect(),
    );
    markdown.insert("first_steps", first_steps(t, stage));
    markdown.insert("resources", resources(t, data, dropped));
    markdown.insert("events", events(t, data));
    markdown.insert("contacts", contacts(t, &data.team));
    Values { plain, markdown }
}
