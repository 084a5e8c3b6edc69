//! The guide on a hand-made community with a fixed "today" (2026-03-20): evidence-based
//! onboarding stages, the ranked Today list, plan progress, overrides that survive
//! re-imports, and an iCalendar file read back by an independent parser.

use crate::common;

use common::id_of;
use std::path::Path;

use assert_cmd::Command;
use chrono::NaiveDate;
use tend::guide::onboarding::{self, Stage};
use tend::guide::plan::{self, StepChange, StepStatus, Timing};
use tend::guide::today::{self, ActionKind, ActionMark};
use tend::guide::{ics, playbook};
use tend::import::{self, ImportOptions, Silent};
use tend::Store;

const MEMBERS: &str = "id,name,role,country,organisation,language,joined_at
f,Fatou Ndiaye,facilitator,Senegal,OrgA,fr,2026-01-01
c,Carla Ruiz,champion,Peru,OrgB,es,2026-01-01
a,Ana Souza,member,Brazil,OrgB,,2026-01-01
n,Nadia Benali,member,Morocco,OrgA,fr,2026-03-01
o,Omar Haddad,member,Jordan,OrgA,,2026-03-15
q,Quinn Lee,member,Canada,OrgB,en,2026-02-01
r,Rita Mora,member,Chile,OrgB,es,2026-01-01
s,Sam Otieno,member,Kenya,OrgA,,2026-01-01
b,Digest bot,member,,,,2026-01-01
k,Kim Invited,member,,,,
";

const ACTIVITIES: &str = "id,member_id,kind,occurred_at,space,thread_id,parent_id,title
cp,c,post,2026-01-10T10:00:00Z,general,,,Monthly call notes
a1,a,reply,2026-01-12T10:00:00Z,general,cp,cp,
a2,a,reply,2026-01-20T10:00:00Z,general,cp,cp,
a3,a,reply,2026-02-01T10:00:00Z,general,cp,cp,
a4,a,reply,2026-02-10T10:00:00Z,general,cp,cp,
a5,a,reply,2026-02-20T10:00:00Z,general,cp,cp,
a6,a,reply,2026-03-01T10:00:00Z,general,cp,cp,
a7,a,reply,2026-03-06T10:00:00Z,general,cp,cp,
a8,a,reply,2026-03-12T10:00:00Z,general,cp,cp,
a9,a,reply,2026-03-19T10:00:00Z,general,cp,cp,
s1,s,reply,2026-02-05T10:00:00Z,general,cp,cp,
s2,s,reply,2026-02-10T10:00:00Z,general,cp,cp,
s3,s,reply,2026-02-15T10:00:00Z,general,cp,cp,
oi,o,post,2026-03-15T09:00:00Z,introductions,,,Hello from Omar
fw,f,reply,2026-03-16T09:00:00Z,introductions,oi,oi,
qp,q,post,2026-03-10T10:00:00Z,questions,,,How do you run a retro?
qs,q,reply,2026-03-11T10:00:00Z,questions,qp,qp,
rp,r,post,2026-03-19T10:00:00Z,questions,,,Template for a field visit?
bp,b,post,2026-03-05T10:00:00Z,questions,,,Weekly digest
";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn import(store: &Store, dir: &Path) {
    import::import_path(store, dir, &ImportOptions::default(), &Silent)
        .await
        .unwrap();
}

async fn fixture(dir: &Path) -> Store {
    let store = common::csv_community(
        dir,
        (MEMBERS, ACTIVITIES),
        "Field Health CoP",
        "",
        "2026-03-01",
    )
    .await;
    sqlx::query("UPDATE members SET is_bot = 1 WHERE display_name = 'Digest bot'")
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn stages_advance_from_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let cards = onboarding::cards(&store, day("2026-03-20")).await.unwrap();
    let stage = |name: &str| cards.iter().find(|c| c.name == name).map(|c| c.stage);
    assert_eq!(stage("Kim Invited"), Some(Stage::Invited));
    assert_eq!(stage("Nadia Benali"), Some(Stage::Joined));
    assert_eq!(
        stage("Omar Haddad"),
        Some(Stage::Introduced),
        "first post, in introductions"
    );
    assert_eq!(stage("Quinn Lee"), Some(Stage::FirstContribution));
    assert_eq!(stage("Sam Otieno"), Some(Stage::FirstContribution));
    assert_eq!(
        stage("Ana Souza"),
        Some(Stage::Regular),
        "active in weeks 0, 1 and 2"
    );
    assert_eq!(stage("Carla Ruiz"), Some(Stage::Champion));
    assert_eq!(stage("Digest bot"), None, "bots have no onboarding path");
    let nadia = cards.iter().find(|c| c.name == "Nadia Benali").unwrap();
    assert_eq!(nadia.days_in_stage, Some(19));
    assert!(nadia
        .stuck
        .map(|s| s.describe())
        .unwrap_or_default()
        .contains("never welcomed"));
    let omar = cards.iter().find(|c| c.name == "Omar Haddad").unwrap();
    assert_eq!((omar.days_in_stage, omar.stuck.is_none()), (Some(5), true));
    // Seen on 2026-03-10, Omar had not joined yet.
    let early = onboarding::cards(&store, day("2026-03-10")).await.unwrap();
    assert!(early.iter().all(|c| c.name != "Omar Haddad"));
}

#[tokio::test]
async fn today_ranks_the_next_actions() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let t = today::today(&store, day("2026-03-20")).await.unwrap();
    let got: Vec<(ActionKind, &str)> = t
        .actions
        .iter()
        .map(|a| (a.kind, a.subject.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (ActionKind::Plan, "Agree the purpose and scope"), // due 03-08: 12 days late
            (ActionKind::Plan, "Agree the sponsor and the leader"), // due 03-11, no sponsor
            (ActionKind::Plan, "Recruit a core group"),        // due 03-19, 9 of 10 members
            (ActionKind::Answer, "Quinn Lee"),                 // own reply does not count
            (ActionKind::Welcome, "Nadia Benali"),
            (ActionKind::Plan, "Draft the norms"), // due 03-22: this week
            (ActionKind::CheckIn, "Sam Otieno"),   // 3 in Feb, none since
            (ActionKind::Champion, "Ana Souza"),   // 9 in 90 days, regular
        ]
    );
    let welcome = &t.actions[4];
    assert_eq!(welcome.lang, "fr");
    // Greeted by her full name, never a guessed first word.
    assert!(
        welcome
            .message
            .starts_with("Bonjour Nadia Benali, bienvenue dans Field Health CoP"),
        "{}",
        welcome.message
    );
    // Once the name she goes by is known, by that.
    let nadia = common::id_of(&store, "Nadia Benali").await;
    let patch = tend::model::MemberPatch {
        preferred_name: Some("Nadia".into()),
        ..Default::default()
    };
    tend::members::update(&store, &nadia, &patch).await.unwrap();
    let again = today::today(&store, day("2026-03-20")).await.unwrap();
    let welcome = again
        .actions
        .iter()
        .find(|a| a.kind == ActionKind::Welcome)
        .unwrap();
    assert!(
        welcome.message.starts_with("Bonjour Nadia, bienvenue"),
        "{}",
        welcome.message
    );
    let answer = &t.actions[3];
    assert_eq!(
        answer.thread_title.as_deref(),
        Some("How do you run a retro?")
    );
    assert_eq!(answer.days, 10);
    assert!(answer.message.contains("How do you run a retro?"));
}

#[tokio::test]
async fn done_and_snoozed_actions_are_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let nadia = id_of(&store, "Nadia Benali").await;
    let t = today::today(&store, day("2026-03-20")).await.unwrap();
    let answer = t
        .actions
        .iter()
        .find(|a| a.kind == ActionKind::Answer)
        .unwrap()
        .key
        .clone();
    today::mark(&store, &format!("welcome:{nadia}"), &ActionMark::Done)
        .await
        .unwrap();
    today::mark(
        &store,
        &answer,
        &ActionMark::Snooze {
            until: Some("2026-03-23".into()),
        },
    )
    .await
    .unwrap();
    let t = today::today(&store, day("2026-03-20")).await.unwrap();
    assert_eq!(t.hidden, 2);
    assert!(t
        .actions
        .iter()
        .all(|a| a.kind != ActionKind::Welcome && a.kind != ActionKind::Answer));
    let later = today::today(&store, day("2026-03-23")).await.unwrap();
    assert!(
        later.actions.iter().any(|a| a.key == answer),
        "the snooze is over"
    );
    assert!(later.actions.iter().all(|a| a.kind != ActionKind::Welcome));
    assert!(today::mark(&store, "nonsense", &ActionMark::Done)
        .await
        .is_err());
}

#[tokio::test]
async fn a_hand_set_stage_survives_a_reimport() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let nadia = id_of(&store, "Nadia Benali").await;
    onboarding::set_override(&store, &nadia, Stage::Welcomed, "welcomed by phone")
        .await
        .unwrap();
    // A newer export: the same rows and one more, so the importer really runs again.
    let newer = format!("{ACTIVITIES}rq,r,reply,2026-03-19T12:00:00Z,questions,rp,rp,\n");
    std::fs::write(dir.path().join("activities.csv"), newer).unwrap();
    import(&store, dir.path()).await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activities")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(n, 20, "the new row was imported");
    let cards = onboarding::cards(&store, day("2026-03-20")).await.unwrap();
    let card = cards.iter().find(|c| c.member_id == nadia).unwrap();
    assert_eq!(
        (card.stage, card.evidence_stage),
        (Stage::Welcomed, Stage::Joined)
    );
    assert_eq!(
        card.manual.as_ref().map(|o| o.note.as_str()),
        Some("welcomed by phone")
    );
    let t = today::today(&store, day("2026-03-20")).await.unwrap();
    assert!(
        t.actions.iter().all(|a| a.kind != ActionKind::Welcome),
        "welcomed by hand"
    );
    onboarding::clear_override(&store, &nadia).await.unwrap();
    let board = onboarding::board(&store, day("2026-03-20")).await.unwrap();
    let joined = board
        .columns
        .iter()
        .find(|c| c.stage == Stage::Joined)
        .unwrap();
    assert!(joined.cards.iter().any(|c| c.member_id == nadia));
}

#[tokio::test]
async fn plan_steps_close_by_hand_or_by_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let d = day("2026-03-20");
    let v = plan::view(&store, d, None).await.unwrap();
    let step =
        |v: &plan::PlanView, id: &str| v.steps.iter().find(|s| s.step.id == id).cloned().unwrap();
    assert_eq!(v.day, 19);
    let spaces = step(&v, "spaces");
    assert!(
        spaces.done_by_evidence && spaces.status == StepStatus::Done,
        "3 spaces"
    );
    let welcome = step(&v, "welcome_newcomers");
    assert_eq!(
        welcome.evidence.map(|e| e.have),
        Some(1),
        "Omar, welcomed by Fatou"
    );
    assert_eq!(step(&v, "purpose").timing, Timing::Overdue);
    assert_eq!(step(&v, "norms").timing, Timing::DueThisWeek);
    plan::change(
        &store,
        "purpose",
        &StepChange::Done {
            note: "agreed at the kick-off".into(),
        },
    )
    .await
    .unwrap();
    let err = plan::change(&store, "norms", &StepChange::Skip { reason: " ".into() }).await;
    assert!(err.is_err(), "skipping needs a reason");
    plan::change(
        &store,
        "norms",
        &StepChange::Skip {
            reason: "the network's norms apply".into(),
        },
    )
    .await
    .unwrap();
    let err = plan::change(&store, "nope", &StepChange::Reopen)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("'nope'") && err.contains("purpose"), "{err}");
    let v = plan::view(&store, d, None).await.unwrap();
    assert_eq!(step(&v, "purpose").note, "agreed at the kick-off");
    assert_eq!(step(&v, "norms").status, StepStatus::Skipped);
    assert!(v.stage_check_due);
    plan::record_stage(
        &store,
        d,
        plan::DevelopmentStage::parse("Coalescing").unwrap(),
        "first regulars",
    )
    .await
    .unwrap();
    let v = plan::view(&store, d, None).await.unwrap();
    assert!(!v.stage_check_due);
    assert_eq!(v.stage_checks.len(), 1);
}

#[tokio::test]
async fn the_calendar_has_one_event_per_open_step_and_parses() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    plan::change(
        &store,
        "purpose",
        &StepChange::Done {
            note: String::new(),
        },
    )
    .await
    .unwrap();
    let v = plan::view(&store, day("2026-03-20"), None).await.unwrap();
    let open: Vec<&plan::PlanStep> = v
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Open)
        .collect();
    let text = ics::calendar(&v, "Field Health CoP").unwrap();
    let parsed: Vec<_> = ical::IcalParser::new(text.as_bytes()).collect();
    assert_eq!(parsed.len(), 1);
    let cal = parsed.into_iter().next().unwrap().expect("valid iCalendar");
    assert_eq!(cal.events.len(), open.len());
    for (event, step) in cal.events.iter().zip(&open) {
        let prop = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
        };
        assert_eq!(prop("SUMMARY").as_deref(), Some(step.step.title.as_str()));
        assert_eq!(prop("DTSTART"), Some(step.due.replace('-', "")));
        assert!(prop("UID").is_some());
    }
}

#[tokio::test]
async fn an_edited_playbook_replaces_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let text =
        playbook::DEFAULT_TOML.replace("name = \"Default 90-day plan\"", "name = \"Our plan\"");
    playbook::save(&store, "edited", &text).await.unwrap();
    let v = plan::view(&store, day("2026-03-20"), None).await.unwrap();
    assert_eq!((v.playbook.as_str(), v.is_default), ("Our plan", false));
    let bad = playbook::save(&store, "edited", "name = \"x\"")
        .await
        .unwrap_err()
        .to_string();
    assert!(bad.contains("edited"), "{bad}");
    playbook::use_default(&store).await.unwrap();
    assert!(
        plan::view(&store, day("2026-03-20"), None)
            .await
            .unwrap()
            .is_default
    );
}

#[tokio::test]
async fn the_cli_prints_today_and_writes_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    drop(fixture(dir.path()).await);
    let db = dir.path().join("tend.db");
    let out = Command::cargo_bin("tend")
        .unwrap()
        .args(["--db"])
        .arg(&db)
        .args(["today", "--date", "2026-03-20", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["actions"].as_array().map(Vec::len), Some(8));
    let ics = dir.path().join("plan.ics");
    Command::cargo_bin("tend")
        .unwrap()
        .args(["--db"])
        .arg(&db)
        .args(["plan", "ics", "--date", "2026-03-20", "--out"])
        .arg(&ics)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&ics)
        .unwrap()
        .contains("BEGIN:VEVENT"));
    Command::cargo_bin("tend")
        .unwrap()
        .args(["--db"])
        .arg(&db)
        .args(["plan", "done", "no_such_step"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("no plan step 'no_such_step'"));
    Command::cargo_bin("tend")
        .unwrap()
        .args(["--db"])
        .arg(&db)
        .args(["onboarding", "--date", "2026-03-20"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Nadia Benali"));
}

#[tokio::test]
async fn a_hand_set_stage_follows_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let nadia = id_of(&store, "Nadia Benali").await;
    let kim = id_of(&store, "Kim Invited").await;
    onboarding::set_override(&store, &kim, Stage::Welcomed, "met at the workshop")
        .await
        .unwrap();
    tend::identity::merge(&store, &nadia, &kim).await.unwrap();
    let cards = onboarding::cards(&store, day("2026-03-20")).await.unwrap();
    let card = cards.iter().find(|c| c.member_id == nadia).unwrap();
    assert_eq!(
        card.stage,
        Stage::Welcomed,
        "the merged member's override moved to the kept one"
    );
    assert_eq!(
        card.manual.as_ref().map(|o| o.note.as_str()),
        Some("met at the workshop")
    );
}

#[tokio::test]
async fn members_gone_a_year_without_contributing_are_set_aside_not_stuck() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let now = onboarding::board(&store, day("2026-03-20")).await.unwrap();
    assert!(now.inactive.is_empty());
    let on_board = |b: &onboarding::Board, name: &str| {
        b.columns
            .iter()
            .any(|c| c.cards.iter().any(|m| m.name == name))
    };
    assert!(on_board(&now, "Nadia Benali"));
    // A year and a month later Nadia (joined 2026-03-01, never welcomed) is set aside.
    let later = onboarding::board(&store, day("2027-04-01")).await.unwrap();
    let inactive: Vec<&str> = later.inactive.iter().map(|c| c.name.as_str()).collect();
    assert!(inactive.contains(&"Nadia Benali"), "{inactive:?}");
    assert!(!on_board(&later, "Nadia Benali"));
    let stuck_on_board = later
        .columns
        .iter()
        .flat_map(|c| &c.cards)
        .filter(|c| c.stuck.is_some())
        .count() as u32;
    assert_eq!(later.stuck, stuck_on_board);
    // Regulars and champions are never set aside, however long ago they joined.
    assert!(!inactive.contains(&"Ana Souza") && !inactive.contains(&"Carla Ruiz"));
}

#[test]
fn the_role_guides_say_as_much_in_every_language_and_name_roles_as_the_app_does() {
    use tend::guide::texts::role_guides;
    let en = role_guides("en");
    for lang in ["fr", "es"] {
        let other = role_guides(lang);
        assert_eq!(other.len(), en.len(), "{lang}");
        for (a, b) in en.iter().zip(&other) {
            assert_eq!(a.role, b.role, "{lang}");
            assert_eq!(
                (a.good.len(), a.tips.len()),
                (b.good.len(), b.tips.len()),
                "{lang} {:?}",
                a.role
            );
            let text = format!("{} {} {:?} {:?}", b.title, b.does, b.good, b.tips).to_lowercase();
            assert!(
                !text.contains("champion"),
                "{lang}: an English role name in {text}"
            );
        }
    }
}

#[tokio::test]
async fn todays_plan_steps_follow_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let titles = |t: &today::Today| -> Vec<String> {
        t.actions
            .iter()
            .filter(|a| a.kind == ActionKind::Plan)
            .map(|a| a.subject.clone())
            .collect()
    };
    let en = titles(&today::today(&store, day("2026-03-20")).await.unwrap());
    let fr = titles(
        &today::today_in(&store, day("2026-03-20"), Some("fr"))
            .await
            .unwrap(),
    );
    assert!(!en.is_empty());
    assert_eq!(en.len(), fr.len());
    assert!(
        en.contains(&"Agree the purpose and scope".to_string()),
        "{en:?}"
    );
    assert!(
        fr.contains(&"S'accorder sur la raison d'être et le périmètre".to_string()),
        "{fr:?}"
    );
}

#[tokio::test]
async fn every_reason_and_the_report_follow_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    // The 3rd of a month: the report is due, and the plan has steps due or late.
    let fr = today::today_in(&store, day("2026-04-03"), Some("fr"))
        .await
        .unwrap();
    let es = today::today_in(&store, day("2026-04-03"), Some("es"))
        .await
        .unwrap();
    assert!(!fr.actions.is_empty());
    for a in &fr.actions {
        let words = tend::words::Lang::Fr;
        let key = match a.kind {
            ActionKind::Plan if a.days > 0 => "today.why.planLate",
            ActionKind::Plan => "today.why.planDue",
            ActionKind::Report => "today.why.report",
            _ => continue,
        };
        let expected = tend::words::fill(words, key, &[("days", &a.days.to_string())]);
        assert_eq!(a.why, expected, "{}", a.key);
    }
    let report = |t: &today::Today| {
        t.actions
            .iter()
            .find(|a| a.kind == ActionKind::Report)
            .map(|a| a.subject.clone())
    };
    assert_eq!(
        report(&fr).as_deref(),
        Some("Rapport au sponsor pour mars 2026")
    );
    assert_eq!(
        report(&es).as_deref(),
        Some("Informe al patrocinador de mar. 2026")
    );
    let english = ["overdue", "due this week", "first week", "Sponsor report"];
    for a in fr.actions.iter().chain(&es.actions) {
        for word in english {
            assert!(!a.why.contains(word) && !a.subject.contains(word), "{a:?}");
        }
    }
}

#[tokio::test]
async fn a_snooze_without_a_day_lasts_a_week_from_today_for_app_and_cli() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    today::mark(&store, "welcome:x", &ActionMark::Snooze { until: None })
        .await
        .unwrap();
    let until: String =
        sqlx::query_scalar("SELECT until FROM action_marks WHERE key = 'welcome:x'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    let week = tend::time::today() + chrono::Duration::days(today::SNOOZE_DAYS);
    assert_eq!(until, week.to_string());
    // The app sends no day, as JSON.
    let mark: ActionMark = serde_json::from_str(r#"{"mark":"snooze"}"#).unwrap();
    assert!(matches!(mark, ActionMark::Snooze { until: None }));
}

#[tokio::test]
async fn the_guide_and_the_dashboard_count_questions_and_silences_alike() {
    let store = common::demo_store(&common::small_demo(21)).await;
    let today_day = day("2026-06-30");
    let t = today::today(&store, today_day).await.unwrap();
    let ids = |kind: ActionKind| -> std::collections::BTreeSet<String> {
        t.actions
            .iter()
            .filter(|a| a.kind == kind)
            .filter_map(|a| a.key.split(':').nth(1).map(str::to_string))
            .collect()
    };
    // Check-ins are the metric's members gone quiet over the same 30 days.
    let month = tend::health::Period::days_to(today_day, 30);
    let h = tend::health::compute(&store, &tend::health::Lens::whole(month))
        .await
        .unwrap();
    let quiet: std::collections::BTreeSet<String> = h
        .current
        .at_risk_members
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert!(!quiet.is_empty());
    assert_eq!(ids(ActionKind::CheckIn), quiet);
    // "Answer" actions are questions of the last 30 days the dashboard lists as unanswered
    // (those younger than 48 hours wait), and no introduction is among them.
    let open = tend::health::threads::unanswered(&store, &tend::health::Lens::whole(month))
        .await
        .unwrap();
    assert_eq!(open.len() as i64, h.current.response.unanswered);
    let listed: std::collections::BTreeSet<String> = open.iter().map(|o| o.id.clone()).collect();
    let answer = ids(ActionKind::Answer);
    assert!(
        !answer.is_empty() && answer.is_subset(&listed),
        "{answer:?}"
    );
    let intro: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM activities a JOIN spaces s ON s.id = a.space_id
         WHERE a.kind = 'post' AND lower(s.name) LIKE '%intro%' AND a.occurred_at >= '2026-06-01'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert!(intro > 0, "the demo has introductions to leave out");
    assert!(open
        .iter()
        .all(|o| !o.title.as_deref().unwrap_or("").starts_with("Hello from")));
}

#[tokio::test]
async fn the_board_and_the_plan_agree_on_who_was_welcomed() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    // A plan content with one welcome, as the default's ten once were with ten of ninety.
    let text = playbook::DEFAULT_TOML.replace(
        "done_when = { evidence = \"welcomed\", count = 10 }",
        "done_when = { evidence = \"welcomed\", count = 1 }",
    );
    playbook::save(&store, "edited", &text).await.unwrap();
    let d = day("2026-03-20");
    let welcome = |v: plan::PlanView| {
        v.steps
            .into_iter()
            .find(|s| s.step.id == "welcome_newcomers")
            .unwrap()
    };
    let never_welcomed = |b: &onboarding::Board| -> Vec<String> {
        b.columns
            .iter()
            .flat_map(|c| &c.cards)
            .filter(|c| {
                c.stuck
                    .is_some_and(|s| s.describe().contains("never welcomed"))
            })
            .map(|c| c.name.clone())
            .collect()
    };
    // Omar was welcomed (the one needed), but the board says Nadia never was: not done.
    let board = onboarding::board(&store, d).await.unwrap();
    assert_eq!(never_welcomed(&board), ["Nadia Benali"]);
    let step = welcome(plan::view(&store, d, None).await.unwrap());
    let evidence = step.evidence.unwrap();
    assert_eq!((evidence.have, evidence.waiting), (1, Some(1)));
    assert_eq!(step.status, StepStatus::Open);
    assert!(!step.done_by_evidence);
    // Fatou calls Nadia and says so on the board: nobody waits, and the plan agrees.
    let nadia = id_of(&store, "Nadia Benali").await;
    onboarding::set_override(&store, &nadia, Stage::Welcomed, "called her")
        .await
        .unwrap();
    let board = onboarding::board(&store, d).await.unwrap();
    assert!(never_welcomed(&board).is_empty());
    let step = welcome(plan::view(&store, d, None).await.unwrap());
    assert_eq!(step.evidence.and_then(|e| e.waiting), Some(0));
    assert!(step.done_by_evidence && step.status == StepStatus::Done);
}

#[tokio::test]
async fn overdue_plan_steps_come_most_overdue_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    // Five months after launch every step of the 90 days is late, most by over a month.
    let t = today::today(&store, day("2026-08-01")).await.unwrap();
    let late: Vec<i64> = t
        .actions
        .iter()
        .filter(|a| a.kind == ActionKind::Plan)
        .map(|a| a.days)
        .collect();
    assert!(late.len() >= 5, "{late:?}");
    assert!(late.iter().filter(|d| **d > 30).count() >= 3, "{late:?}");
    let mut sorted = late.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(late, sorted, "most overdue first");
    // And nothing outranks the most overdue step.
    assert_eq!(t.actions[0].kind, ActionKind::Plan);
}
