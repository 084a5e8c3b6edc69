//! The demo community: deterministic, and shaped like a real one.

use crate::common;

use std::collections::{BTreeSet, HashMap};

use tend::demo::{self, simulate, DemoConfig};
use tend::model::{ActivityKind, Role};
use tend::Error;

#[tokio::test]
async fn the_same_seed_gives_the_same_community() {
    let a = common::dump(&common::demo_store(&common::small_demo(11)).await).await;
    let b = common::dump(&common::demo_store(&common::small_demo(11)).await).await;
    assert_eq!(a, b);
    let c = common::dump(&common::demo_store(&common::small_demo(12)).await).await;
    assert_ne!(a, c, "another seed should give another community");
}

#[tokio::test]
async fn the_demo_refuses_a_database_that_holds_a_community() {
    let store = common::demo_store(&common::small_demo(1)).await;
    let before = common::dump(&store).await;
    let err = demo::generate(&store, &common::small_demo(2))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotEmpty));
    assert_eq!(common::dump(&store).await, before);
}

fn default_demo() -> tend::demo::SimCommunity {
    simulate(&DemoConfig {
        until: chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
        ..DemoConfig::default()
    })
}

#[test]
fn the_default_demo_has_a_realistic_roster() {
    let sim = default_demo();
    let people: Vec<_> = sim.members.iter().filter(|m| !m.is_bot).collect();
    assert_eq!(people.len(), 300);
    let count = |r: Role| people.iter().filter(|m| m.role == r).count();
    assert_eq!(count(Role::Leader), 1);
    assert_eq!(count(Role::Sponsor), 1);
    assert!(count(Role::Facilitator) >= 2 && count(Role::Champion) >= 3);
    let countries: BTreeSet<_> = people.iter().map(|m| m.country).collect();
    let orgs: BTreeSet<_> = people.iter().map(|m| m.organisation).collect();
    assert!(countries.len() >= 10, "{countries:?}");
    assert!(orgs.len() >= 5, "{orgs:?}");
    assert_eq!(sim.members.iter().filter(|m| m.is_bot).count(), 1);
}

#[test]
fn participation_is_heavy_tailed_with_many_lurkers() {
    let sim = default_demo();
    let mut per_member: HashMap<usize, usize> = HashMap::new();
    for a in &sim.activities {
        if matches!(a.kind, ActivityKind::Post | ActivityKind::Reply)
            && !sim.members[a.member].is_bot
        {
            *per_member.entry(a.member).or_default() += 1;
        }
    }
    let mut counts: Vec<usize> = per_member.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let total: usize = counts.iter().sum();
    let top_tenth: usize = counts.iter().take(30).sum();
    assert!(
        top_tenth * 2 > total,
        "top 10% made {top_tenth} of {total} contributions"
    );
    let lurkers = 300 - per_member.len();
    assert!(lurkers >= 60, "only {lurkers} members never contributed");
}

#[test]
fn newcomers_arrive_every_week_and_some_members_go_quiet() {
    let sim = default_demo();
    let start = sim.launch.and_hms_opt(0, 0, 0).unwrap().and_utc();
    let end = chrono::NaiveDate::from_ymd_opt(2026, 9, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let weeks = (end - start).num_weeks();
    for w in 0..weeks {
        let from = start + chrono::Duration::weeks(w);
        let to = from + chrono::Duration::weeks(1);
        let joined = sim
            .members
            .iter()
            .filter(|m| m.joined_at >= from && m.joined_at < to)
            .count();
        assert!(joined >= 1, "no newcomer in week {w}");
    }
    let quiet_since = end - chrono::Duration::days(30);
    let mut before: HashMap<usize, usize> = HashMap::new();
    let mut recent: BTreeSet<usize> = BTreeSet::new();
    for a in sim
        .activities
        .iter()
        .filter(|a| matches!(a.kind, ActivityKind::Post | ActivityKind::Reply))
    {
        if a.at < quiet_since {
            *before.entry(a.member).or_default() += 1;
        } else {
            recent.insert(a.member);
        }
    }
    let gone_quiet = before
        .iter()
        .filter(|(m, n)| **n >= 3 && !recent.contains(m))
        .count();
    assert!(gone_quiet >= 5, "only {gone_quiet} members went quiet");
}

#[test]
fn questions_get_delayed_answers_and_some_none() {
    let sim = default_demo();
    let mut first_reply: HashMap<usize, chrono::DateTime<chrono::Utc>> = HashMap::new();
    for a in sim
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::Reply)
    {
        let root = a.root.expect("a reply has a root");
        let e = first_reply.entry(root).or_insert(a.at);
        *e = (*e).min(a.at);
    }
    let posts: Vec<usize> = (0..sim.activities.len())
        .filter(|&i| {
            sim.activities[i].kind == ActivityKind::Post
                && !sim.members[sim.activities[i].member].is_bot
        })
        .collect();
    let unanswered = posts
        .iter()
        .filter(|p| !first_reply.contains_key(p))
        .count();
    assert!(
        unanswered * 20 > posts.len(),
        "{unanswered} of {} posts unanswered",
        posts.len()
    );
    assert!(unanswered * 2 < posts.len());
    let mut hours: Vec<i64> = first_reply
        .iter()
        .map(|(p, t)| (*t - sim.activities[*p].at).num_minutes())
        .collect();
    hours.sort_unstable();
    let median = hours[hours.len() / 2];
    assert!(
        (60..48 * 60).contains(&median),
        "median first reply after {median} minutes"
    );
    assert!(
        hours.iter().all(|&m| m > 0),
        "a reply came before its question"
    );
}

#[tokio::test]
async fn every_reply_points_at_an_earlier_post_in_the_store() {
    let store = common::demo_store(&common::small_demo(4)).await;
    let bad: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM activity a JOIN activity r ON r.n = a.root
         WHERE a.kind = (SELECT code FROM activity_kinds WHERE name = 'reply')
           AND (r.kind <> (SELECT code FROM activity_kinds WHERE name = 'post') OR r.at > a.at)",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(bad, 0);
}

async fn rows(store: &tend::Store, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(store.pool())
        .await
        .expect("count")
}

#[tokio::test]
async fn removing_the_demo_empties_the_community_and_keeps_the_laptop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = common::demo_store_at(&common::small_demo(3), &dir.path().join("a.db")).await;
    tend::settings::set(&store, "ui.lang", Some("fr"))
        .await
        .expect("setting");
    use tend::guide::plan::{self, StepChange};
    plan::change(
        &store,
        "purpose",
        &StepChange::Done {
            note: String::new(),
        },
    )
    .await
    .expect("plan");
    let members = rows(&store, "members WHERE is_bot = 0").await;
    let activities = rows(&store, "activity").await;

    let preview = demo::removal_preview(&store).await.expect("preview");
    let removed = demo::remove(&store).await.expect("remove");
    assert_eq!(removed, preview);
    assert_eq!((removed.members, removed.activities), (members, activities));
    for table in [
        "members",
        "activity",
        "community",
        "sources",
        "plan_progress",
        "sync_log",
    ] {
        assert_eq!(rows(&store, table).await, 0, "{table} kept rows");
    }
    assert!(demo::is_empty(&store).await.expect("empty"));
    let o = tend::community::overview(&store).await.expect("overview");
    assert!(!o.demo && o.community.is_none() && o.activities_total == 0);
    let lang = tend::settings::get(&store, "ui.lang").await.expect("get");
    assert_eq!(lang.as_deref(), Some("fr"), "the laptop's settings stay");
    let err = demo::remove(&store).await.unwrap_err();
    assert!(err.to_string().contains("only the demo"), "{err}");

    // What comes next starts afresh, and syncs from change 1 to a second laptop.
    tend::community::init(
        &store,
        &tend::community::NewCommunity {
            name: "Our network".into(),
            purpose: String::new(),
            launch_date: Some("2026-06-01".into()),
        },
    )
    .await
    .expect("init");
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).expect("shared");
    let sent = tend::sync::folder::sync(&store, &shared, None)
        .await
        .expect("sync");
    let other = tend::Store::open(&dir.path().join("b.db"))
        .await
        .expect("b");
    let got = tend::sync::folder::sync(&other, &shared, None)
        .await
        .expect("sync b");
    assert!(sent.sent > 0 && got.skipped.is_empty(), "{got:?}");
    assert_eq!(
        common::canonical(&other).await,
        common::canonical(&store).await
    );
    let name = tend::community::get(&other)
        .await
        .expect("get")
        .map(|c| c.name);
    assert_eq!(name.as_deref(), Some("Our network"));
}

#[tokio::test]
async fn a_demo_that_synced_with_a_team_is_not_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = common::demo_store_at(&common::small_demo(4), &dir.path().join("a.db")).await;
    tend::sync::folder::sync(&store, dir.path(), None)
        .await
        .expect("sync");
    let before = common::dump(&store).await;
    let err = demo::remove(&store).await.unwrap_err();
    assert!(err.to_string().contains("new database"), "{err}");
    assert_eq!(common::dump(&store).await, before, "nothing removed");
}
