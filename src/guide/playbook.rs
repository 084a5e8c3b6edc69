//! Playbooks: the 90-day plan as data (TOML). The default ships with Tend; a facilitator can
//! copy it, edit it in the app or a text editor, and make the copy the active playbook.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::Role;
use crate::settings;
use crate::store::Store;
use crate::time;

/// The default playbook's TOML text, shipped in the binary.
pub const DEFAULT_TOML: &str = include_str!("../../playbooks/default.toml");

/// The setting naming the active edited playbook (absent: the default).
pub const ACTIVE_KEY: &str = "plan.playbook";

/// What a step builds, after the practice literature: the domain's purpose, the community's
/// people, or the shared practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Builds {
    /// The domain: why the community exists.
    Purpose,
    /// The community: who takes part and how they relate.
    People,
    /// The practice: what members share and improve.
    Practice,
}

/// What the data counts to tell that a step is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// Members (not bots).
    Members,
    /// Members who got a welcome reply from a leader, facilitator or champion.
    Welcomed,
    /// Posts (threads started).
    Posts,
    /// Replies.
    Replies,
    /// Members with the champion role.
    Champions,
    /// Members with the facilitator role.
    Facilitators,
    /// Members with the sponsor role.
    Sponsors,
    /// Events with attendance.
    Events,
    /// Spaces (channels, categories, lists).
    Spaces,
    /// Times the community was placed among the stages of development.
    StageChecks,
}

/// A count of evidence that marks a step done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Evidence {
    /// What is counted.
    pub kind: EvidenceKind,
    /// How many make the step done.
    pub count: u32,
}

/// A phase of the plan, in days after the launch date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Phase {
    /// Stable id, e.g. `build`.
    pub id: String,
    /// Title shown.
    pub title: String,
    /// First day.
    pub first_day: u32,
    /// Last day.
    pub last_day: u32,
}

/// A step of the plan as the playbook writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Step {
    /// Stable id, e.g. `purpose`.
    pub id: String,
    /// The phase's id.
    pub phase: String,
    /// What to do.
    pub title: String,
    /// Due this many days after the launch date.
    pub due_day: u32,
    /// The role that owns it.
    pub owner: Role,
    /// What it builds.
    pub builds: Builds,
    /// Why it matters.
    pub why: String,
    /// How to do it.
    pub how: String,
    /// Tips.
    pub tips: Vec<String>,
    /// Evidence that makes it done; `None`: someone marks it by hand.
    pub done_when: Option<Evidence>,
}

/// A whole playbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Playbook {
    /// Its name, which also names an edited copy in the store.
    pub name: String,
    /// Phases in order.
    pub phases: Vec<Phase>,
    /// Steps in order.
    pub steps: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawDoneWhen {
    Word(String),
    Evidence { evidence: EvidenceKind, count: u32 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: String,
    phase: String,
    title: String,
    due_day: u32,
    owner: Role,
    builds: Builds,
    why: String,
    how: String,
    #[serde(default)]
    tips: Vec<String>,
    done_when: RawDoneWhen,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaybook {
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    version: u32,
    phase: Vec<Phase>,
    step: Vec<RawStep>,
}

fn invalid(name: &str, message: String) -> Error {
    Error::Playbook {
        name: name.to_string(),
        message,
    }
}

fn convert_step(origin: &str, raw: RawStep) -> Result<Step> {
    let done_when = match raw.done_when {
        RawDoneWhen::Word(w) if w == "manual" => None,
        RawDoneWhen::Word(w) => {
            return Err(invalid(
                origin,
                format!("step '{}': done_when '{w}' should be \"manual\" or {{ evidence = KIND, count = N }}", raw.id),
            ))
        }
        RawDoneWhen::Evidence { evidence, count } => Some(Evidence {
            kind: evidence,
            count,
        }),
    };
    Ok(Step {
        id: raw.id,
        phase: raw.phase,
        title: raw.title,
        due_day: raw.due_day,
        owner: raw.owner,
        builds: raw.builds,
        why: raw.why,
        how: raw.how,
        tips: raw.tips,
        done_when,
    })
}

fn validate(origin: &str, p: &Playbook) -> Result<()> {
    if p.name.trim().is_empty() || p.steps.is_empty() {
        return Err(invalid(
            origin,
            "a playbook needs a name and at least one step".into(),
        ));
    }
    let phases: HashSet<&str> = p.phases.iter().map(|ph| ph.id.as_str()).collect();
    let mut seen = HashSet::new();
    for s in &p.steps {
        if !seen.insert(s.id.as_str()) {
            return Err(invalid(origin, format!("step id '{}' is used twice", s.id)));
        }
        if !phases.contains(s.phase.as_str()) {
            return Err(invalid(
                origin,
                format!(
                    "step '{}' names phase '{}', which is not defined",
                    s.id, s.phase
                ),
            ));
        }
        if !(1..=366).contains(&s.due_day) {
            return Err(invalid(
                origin,
                format!(
                    "step '{}': due_day {} should be between 1 and 366",
                    s.id, s.due_day
                ),
            ));
        }
    }
    Ok(())
}

/// Parses and checks a playbook's TOML; `origin` names it in errors (a file or "edited text").
pub fn parse(origin: &str, text: &str) -> Result<Playbook> {
    let raw: RawPlaybook = toml::from_str(text).map_err(|e| invalid(origin, e.to_string()))?;
    let steps = raw
        .step
        .into_iter()
        .map(|s| convert_step(origin, s))
        .collect::<Result<Vec<_>>>()?;
    let playbook = Playbook {
        name: raw.name.trim().to_string(),
        phases: raw.phase,
        steps,
    };
    validate(origin, &playbook)?;
    Ok(playbook)
}

/// The shipped default playbook.
pub fn default_playbook() -> Result<Playbook> {
    parse("playbooks/default.toml", DEFAULT_TOML)
}

/// The default playbook's texts in other languages, by id (dates, owners and evidence stay
/// the default's).
const TRANSLATIONS: [(&str, &str); 2] = [
    ("fr", include_str!("../../playbooks/default.fr.toml")),
    ("es", include_str!("../../playbooks/default.es.toml")),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhaseText {
    id: String,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepText {
    id: String,
    title: String,
    why: String,
    how: String,
    tips: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Translation {
    name: String,
    phase: Vec<PhaseText>,
    step: Vec<StepText>,
}

/// The shipped default playbook in `lang` (`en`, `fr`, `es`; English for any other). Every
/// phase and step must have its text in each translation (a test holds them together).
pub fn default_playbook_in(lang: &str) -> Result<Playbook> {
    let mut book = default_playbook()?;
    translate(&mut book, lang)?;
    Ok(book)
}

/// Puts the default playbook's texts in `lang`, where a translation exists.
fn translate(book: &mut Playbook, lang: &str) -> Result<()> {
    let Some((_, text)) = TRANSLATIONS.iter().find(|(l, _)| *l == lang) else {
        return Ok(());
    };
    let origin = format!("playbooks/default.{lang}.toml");
    let t: Translation = toml::from_str(text).map_err(|e| Error::InvalidValue {
        field: "playbook translation",
        value: format!("{origin}: {e}"),
        expected: "the default playbook's texts by id",
    })?;
    book.name = t.name;
    for p in &mut book.phases {
        if let Some(tp) = t.phase.iter().find(|x| x.id == p.id) {
            p.title = tp.title.clone();
        }
    }
    for s in &mut book.steps {
        if let Some(ts) = t.step.iter().find(|x| x.id == s.id) {
            s.title = ts.title.clone();
            s.why = ts.why.clone();
            s.how = ts.how.clone();
            s.tips = ts.tips.clone();
        }
    }
    Ok(())
}

/// The active playbook's TOML text and whether it is the shipped default.
pub async fn active_text(store: &Store) -> Result<(String, bool)> {
    let Some(name) = settings::get(store, ACTIVE_KEY).await? else {
        return Ok((DEFAULT_TOML.to_string(), true));
    };
    let body: Option<String> = sqlx::query_scalar("SELECT body FROM playbooks WHERE name = ?")
        .bind(&name)
        .fetch_optional(store.pool())
        .await?;
    Ok(match body {
        Some(b) => (b, false),
        None => (DEFAULT_TOML.to_string(), true),
    })
}

/// The active playbook.
pub async fn active(store: &Store) -> Result<Playbook> {
    Ok(active_with_origin(store).await?.0)
}

/// The active playbook and whether it is the shipped default. A stored playbook that no
/// longer parses (one synced from a Tend that did not check it) is skipped, and the default
/// serves: see [`stored_problem`].
pub async fn active_with_origin(store: &Store) -> Result<(Playbook, bool)> {
    let (text, is_default) = active_text(store).await?;
    if !is_default {
        if let Ok(book) = parse(EDITED, &text) {
            return Ok((book, false));
        }
    }
    Ok((default_playbook()?, true))
}

/// How an edited playbook is named in its errors.
const EDITED: &str = "the edited playbook";

/// Why the stored active playbook is skipped for the default, if it is.
pub async fn stored_problem(store: &Store) -> Result<Option<String>> {
    let (text, is_default) = active_text(store).await?;
    Ok((!is_default)
        .then(|| parse(EDITED, &text).err().map(|e| e.to_string()))
        .flatten())
}

/// The active playbook, the shipped default's texts in `lang` (an edited playbook is shown
/// as written), and whether it is the default.
pub async fn active_in(store: &Store, lang: Option<&str>) -> Result<(Playbook, bool)> {
    let (mut book, is_default) = active_with_origin(store).await?;
    if let (true, Some(lang)) = (is_default, lang) {
        translate(&mut book, lang)?;
    }
    Ok((book, is_default))
}

/// Checks an edited playbook, stores it under its name and makes it the active one.
pub async fn save(store: &Store, origin: &str, text: &str) -> Result<Playbook> {
    let playbook = parse(origin, text)?;
    let query = sqlx::query(
        "INSERT INTO playbooks (name, body, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(&playbook.name)
    .bind(text)
    .bind(time::now());
    crate::sync::capture::tracked_row(store, crate::sync::tables::PLAYBOOKS, &playbook.name, query)
        .await?;
    crate::sync::capture::set_shared(store, ACTIVE_KEY, Some(&playbook.name)).await?;
    Ok(playbook)
}

/// How a step's `done_when` is written in TOML.
#[derive(Serialize)]
#[serde(untagged)]
enum DoneWhenOut<'a> {
    Word(&'a str),
    Evidence { evidence: EvidenceKind, count: u32 },
}

#[derive(Serialize)]
struct StepOut<'a> {
    id: &'a str,
    phase: &'a str,
    title: &'a str,
    due_day: u32,
    owner: Role,
    builds: Builds,
    why: &'a str,
    how: &'a str,
    tips: &'a [String],
    done_when: DoneWhenOut<'a>,
}

#[derive(Serialize)]
struct PlaybookOut<'a> {
    name: &'a str,
    version: u32,
    phase: &'a [Phase],
    step: Vec<StepOut<'a>>,
}

/// A playbook as TOML text that [`parse`] reads back as the same playbook: what the app's
/// playbook form saves (the same checks as edited text, and the text stays editable).
pub fn to_toml(p: &Playbook) -> Result<String> {
    let out = PlaybookOut {
        name: &p.name,
        version: 1,
        phase: &p.phases,
        step: p
            .steps
            .iter()
            .map(|s| StepOut {
                id: &s.id,
                phase: &s.phase,
                title: &s.title,
                due_day: s.due_day,
                owner: s.owner,
                builds: s.builds,
                why: &s.why,
                how: &s.how,
                tips: &s.tips,
                done_when: match s.done_when {
                    Some(e) => DoneWhenOut::Evidence {
                        evidence: e.kind,
                        count: e.count,
                    },
                    None => DoneWhenOut::Word("manual"),
                },
            })
            .collect(),
    };
    toml::to_string(&out).map_err(|e| invalid("the playbook form", e.to_string()))
}

/// Saves a playbook edited as a form: written as TOML, then checked and stored like
/// edited text ([`save`]).
pub async fn save_form(store: &Store, playbook: &Playbook) -> Result<Playbook> {
    save(store, "the playbook form", &to_toml(playbook)?).await
}

/// Goes back to the shipped default (edited copies stay stored).
pub async fn use_default(store: &Store) -> Result<()> {
    crate::sync::capture::set_shared(store, ACTIVE_KEY, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_playbook_written_by_the_form_reads_back_the_same() {
        for lang in ["en", "fr", "es"] {
            let book = default_playbook_in(lang).expect("default");
            let text = to_toml(&book).expect("toml");
            assert_eq!(parse("form", &text).expect("parse"), book, "{lang}");
        }
    }

    #[test]
    fn the_form_gets_the_same_checks_as_text() {
        let mut book = default_playbook().expect("default");
        book.steps[1].id = book.steps[0].id.clone();
        let err = parse("form", &to_toml(&book).expect("toml")).unwrap_err();
        assert!(err.to_string().contains("used twice"), "{err}");
        let mut book = default_playbook().expect("default");
        book.steps[0].tips = vec!["Say \"hello\" \u{1b}[31m and ''' quote".into()];
        let back = parse("form", &to_toml(&book).expect("toml")).expect("parse");
        assert_eq!(back.steps[0].tips, book.steps[0].tips);
    }

    #[test]
    fn every_translation_gives_every_phase_and_step_its_own_text() {
        let en = default_playbook().expect("default");
        for (lang, text) in TRANSLATIONS {
            let t: Translation = toml::from_str(text).expect(lang);
            let ids = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>();
            assert_eq!(
                ids(t.phase.iter().map(|p| &p.id).collect()),
                ids(en.phases.iter().map(|p| &p.id).collect()),
                "{lang} phases"
            );
            assert_eq!(
                ids(t.step.iter().map(|s| &s.id).collect()),
                ids(en.steps.iter().map(|s| &s.id).collect()),
                "{lang} steps"
            );
            let book = default_playbook_in(lang).expect(lang);
            for (a, b) in en.steps.iter().zip(&book.steps) {
                assert_ne!(a.title, b.title, "{lang}: {} untranslated", a.id);
                assert_ne!(a.how, b.how, "{lang}: {} untranslated", a.id);
                assert_eq!(a.tips.len(), b.tips.len(), "{lang}: {} tips", a.id);
                assert_eq!(
                    (a.due_day, a.owner),
                    (b.due_day, b.owner),
                    "{lang}: {}",
                    a.id
                );
            }
        }
    }

    #[test]
    fn the_default_playbook_has_three_phases_and_evidence_steps() {
        let p = default_playbook().expect("default parses");
        assert_eq!(p.phases.len(), 3);
        assert!(p.steps.len() >= 15);
        assert!(p.steps.iter().any(|s| s.done_when
            == Some(Evidence {
                kind: EvidenceKind::Welcomed,
                count: 10
            })));
    }

    #[test]
    fn a_step_in_an_unknown_phase_is_named_in_the_error() {
        let text = DEFAULT_TOML.replacen(
            "phase = \"build\"\ntitle = \"Agree the purpose",
            "phase = \"nowhere\"\ntitle = \"Agree the purpose",
            1,
        );
        let err = parse("mine.toml", &text).unwrap_err().to_string();
        assert!(
            err.contains("mine.toml") && err.contains("'purpose'") && err.contains("nowhere"),
            "{err}"
        );
    }

    #[test]
    fn a_toml_syntax_error_names_the_line() {
        let err = parse("mine.toml", "name = \"x\"\n[[step]\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("mine.toml") && err.contains("line 2"), "{err}");
    }
}
