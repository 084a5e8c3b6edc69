//! Every metric on a small hand-made community whose answers are worked out by hand below.

use crate::common;

use std::path::Path;

use assert_cmd::Command;
use chrono::NaiveDate;
use tend::health::{self, Health, Lens, Period, Segment};
use tend::import::{self, ImportOptions, Silent};
use tend::Store;

const MEMBERS: &str = "id,name,role,country,organisation,joined_at
f1,Fatou,facilitator,Senegal,OrgA,2026-01-01
a,Ana,member,Brazil,OrgB,2026-01-01
b,Ben,member,Brazil,OrgA,2026-01-01
c,Chen,member,,OrgB,2026-03-05
d,Dee,member,Kenya,,2026-03-10
e,Eve,member,Kenya,OrgA,2026-01-01
g,Gus,member,Peru,OrgB,2025-01-01
l,Lurk,member,Peru,OrgA,2026-01-01
z,Zed the bot,member,Peru,OrgA,2026-01-01
";

const ACTIVITIES: &str = "id,member_id,kind,occurred_at,space,thread_id,parent_id,title
g0,g,post,2025-06-01T10:00:00Z,general,,,Old question
e1,e,post,2026-02-05T10:00:00Z,general,,,Feb 1
e2,e,post,2026-02-10T10:00:00Z,general,,,Feb 2
e3,e,post,2026-02-15T10:00:00Z,general,,,Feb 3
p1,a,post,2026-03-02T10:00:00Z,questions,,,Thread 1
r1,b,reply,2026-03-02T12:00:00Z,questions,p1,p1,
r2,f1,reply,2026-03-03T10:00:00Z,questions,p1,p1,
p2,b,post,2026-03-05T09:00:00Z,questions,,,Thread 2
r3,b,reply,2026-03-05T10:00:00Z,questions,p2,p2,
r4,a,reply,2026-03-08T09:00:00Z,questions,p2,p2,
p3,c,post,2026-03-06T08:00:00Z,questions,,,Thread 3
x1,d,reaction,2026-03-12T08:00:00Z,questions,p1,p1,
zp,z,post,2026-03-15T08:00:00Z,general,,,Digest
p4,g,post,2026-03-20T10:00:00Z,questions,,,Thread 4
r5,z,reply,2026-03-20T11:00:00Z,questions,p4,p4,
r6,f1,reply,2026-03-21T10:00:00Z,questions,p4,p4,
";

async fn fixture(dir: &Path) -> Store {
    std::fs::write(dir.join("members.csv"), MEMBERS).unwrap();
    std::fs::write(dir.join("activities.csv"), ACTIVITIES).unwrap();
    let store = Store::open(&dir.join("tend.db")).await.unwrap();
    import::import_path(&store, dir, &ImportOptions::default(), &Silent)
        .await
        .unwrap();
    sqlx::query("UPDATE members SET is_bot = 1 WHERE display_name = 'Zed the bot'")
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    store
}

/// The default demo (300 members), ending on 30 June 2026.
/// The metrics of `period` in the segment of `conditions` (none: everyone).
async fn compute(store: &Store, period: Period, conditions: &[&Segment]) -> tend::Result<Health> {
    let lens = Lens {
        period,
        segment: conditions.iter().map(|s| (*s).clone()).collect(),
    };
    health::compute(store, &lens).await
}

async fn june_demo() -> Store {
    let store = Store::open_in_memory().await.unwrap();
    let cfg = tend::demo::DemoConfig {
        until: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        ..Default::default()
    };
    tend::demo::generate(&store, &cfg).await.unwrap();
    store
}

fn march() -> Period {
    Period::days_to(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(), 31)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[tokio::test]
async fn every_metric_matches_the_hand_worked_answer() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let h = compute(&store, march(), &[]).await.unwrap();
    let m = &h.current;
    assert_eq!(
        (m.members_total, m.members_active, m.new_members),
        (8, 6, 2)
    );
    assert_eq!(
        (
            m.pyramid.creators,
            m.pyramid.contributors,
            m.pyramid.lurkers
        ),
        (4, 2, 2)
    );
    // Contributions [3,2,2,1,1,0,0,0]: G = 2*59/(8*9) - 9/8.
    assert!(close(m.gini, 118.0 / 72.0 - 9.0 / 8.0), "{}", m.gini);
    assert_eq!(m.absence_factor, 2);
    assert!(close(m.top10_share, 1.0));
    // Threads p1 (2 h), p2 (own reply ignored; 72 h), p3 (none), p4 (bot ignored; 24 h).
    let r = &m.response;
    assert_eq!((r.threads, r.unanswered), (4, 1));
    assert!(close(r.answered_48h_share.unwrap(), 0.5));
    assert_eq!(r.median_first_response_hours, Some(24.0));
    assert_eq!(r.p90_first_response_hours, Some(72.0));
    // Replies r1 r2 r3 r4 r6 (r5 is the bot's); Fatou's two are not peers'.
    assert!(close(m.peer_reply_share.unwrap(), 0.6));
    // New: Chen (first post 1 day 8 h after joining), Dee (never contributed).
    assert!(close(m.activation.activated_30d_share.unwrap(), 0.5));
    assert!(close(
        m.activation.median_days_to_first_contribution.unwrap(),
        32.0 / 24.0
    ));
    assert_eq!(m.at_risk, 1);
    assert_eq!(m.at_risk_members[0].display_name, "Eve");
    assert_eq!(m.reactivated, 1, "Gus, after nine months");
    assert_eq!(m.net_active_change, 2 + 1 - 1);
    assert!(close(m.cross_boundary.country_share.unwrap(), 2.0 / 5.0));
    assert!(close(
        m.cross_boundary.organisation_share.unwrap(),
        4.0 / 5.0
    ));
    let jan = m.retention.iter().find(|c| c.month == "2026-01").unwrap();
    assert_eq!(jan.size, 5);
    assert_eq!(jan.active_share, vec![0.0, 0.2, 0.6]);
    let mar = m.retention.iter().find(|c| c.month == "2026-03").unwrap();
    assert_eq!((mar.size, mar.active_share.clone()), (2, vec![1.0]));
    // The previous period: February (from 29 January).
    let p = &h.previous;
    assert_eq!(
        (p.members_total, p.members_active, p.pyramid.creators),
        (6, 1, 1)
    );
    assert_eq!(p.at_risk, 0);
}

#[tokio::test]
async fn segments_narrow_members_or_activity() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let brazil: Segment = "country=Brazil".parse().unwrap();
    let h = compute(&store, march(), &[&brazil]).await.unwrap();
    assert_eq!((h.current.members_total, h.current.members_active), (2, 2));
    let general: Segment = "space=general".parse().unwrap();
    let h = compute(&store, march(), &[&general]).await.unwrap();
    assert_eq!(
        h.current.response.threads, 0,
        "the only March post in #general is the bot's"
    );
    // Conditions combine: values of one key are alternatives, different keys all hold.
    let kenya: Segment = "country=kenya".parse().unwrap();
    let org_a: Segment = "organisation=OrgA".parse().unwrap();
    let total = |h: Health| h.current.members_total;
    let either = compute(&store, march(), &[&brazil, &kenya]).await.unwrap();
    assert_eq!(text(&either.segment), ["country=Brazil", "country=Kenya"]);
    assert_eq!(total(either), 4, "Ana, Ben, Dee, Eve");
    let both = compute(&store, march(), &[&brazil, &org_a]).await.unwrap();
    assert_eq!(total(both), 1, "Ben");
    let mixed = compute(&store, march(), &[&brazil, &kenya, &org_a])
        .await
        .unwrap();
    assert_eq!(total(mixed), 2, "Ben and Eve");
    let twice = compute(&store, march(), &[&brazil, &brazil]).await.unwrap();
    assert_eq!(
        text(&twice.segment),
        ["country=Brazil"],
        "a condition counts once"
    );
    // A space and a country: Brazilians who took part in #questions, and only its threads.
    let questions: Segment = "space=Questions".parse().unwrap();
    let h = compute(&store, march(), &[&questions, &brazil])
        .await
        .unwrap();
    assert_eq!(h.current.members_total, 2);
    assert_eq!(h.current.response.threads, 2, "Ana's and Ben's threads");
    let open = health::threads::unanswered(
        &store,
        &Lens {
            period: march(),
            segment: vec![kenya.clone()],
        },
    )
    .await
    .unwrap();
    let kenyans = compute(&store, march(), &[&kenya]).await.unwrap();
    assert_eq!(open.len() as i64, kenyans.current.response.unanswered);
    assert!("planet=Mars".parse::<Segment>().is_err());
    // Purposes: the questions space is for learning; its March activity (bots left out),
    // and no space yet for the other purposes.
    tend::spaces::tag(&store, "questions", &[tend::spaces::Purpose::Learn])
        .await
        .unwrap();
    let h = compute(&store, march(), &[]).await.unwrap();
    let learn = &h.current.purposes[2];
    assert_eq!(learn.purpose, tend::spaces::Purpose::Learn);
    assert_eq!(
        (learn.spaces, learn.activities, learn.active_members),
        (1, 10, 6)
    );
    assert!(h.current.purposes.iter().filter(|u| u.spaces == 0).count() == 6);
    let brazil_only = compute(&store, march(), &[&brazil]).await.unwrap();
    assert_eq!(
        brazil_only.current.purposes[2].active_members, 2,
        "Ana and Ben"
    );
    assert!("role=boss".parse::<Segment>().is_err());
}

#[tokio::test]
async fn an_empty_period_gives_zeros_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let h = compute(
        &store,
        Period::days_to(NaiveDate::from_ymd_opt(2020, 1, 31).unwrap(), 30),
        &[],
    )
    .await
    .unwrap();
    let m = &h.current;
    assert_eq!(
        (m.members_total, m.members_active, m.response.threads),
        (0, 0, 0)
    );
    assert_eq!((m.gini, m.top10_share), (0.0, 0.0));
    // Shares of nothing are no number, not 0 %.
    assert_eq!(
        (
            m.response.answered_48h_share,
            m.peer_reply_share,
            m.activation.activated_30d_share,
            m.cross_boundary.country_share,
        ),
        (None, None, None, None)
    );
    assert_eq!(m.response.median_first_response_hours, None);
}

#[tokio::test]
async fn on_the_demo_the_pyramid_sums_and_shares_stay_within_bounds() {
    let store = june_demo().await;
    for (days, last) in [(7, 30), (30, 30), (90, 30), (30, 1), (30, 15)] {
        let day = NaiveDate::from_ymd_opt(2026, 6, last).unwrap();
        let h = compute(&store, Period::days_to(day, days), &[])
            .await
            .unwrap();
        for m in [&h.current, &h.previous] {
            assert_eq!(
                m.pyramid.creators + m.pyramid.contributors + m.pyramid.lurkers,
                m.members_total
            );
            assert!(m.pyramid.lurkers >= 0 && m.members_active <= m.members_total);
            let shares = [
                m.peer_reply_share,
                m.response.answered_48h_share,
                m.activation.activated_30d_share,
                m.cross_boundary.country_share,
            ];
            for s in [m.gini, m.top10_share]
                .into_iter()
                .chain(shares.into_iter().flatten())
            {
                assert!((0.0..=1.0).contains(&s), "{s} out of bounds");
            }
            assert!(m
                .retention
                .iter()
                .flat_map(|c| &c.active_share)
                .all(|s| (0.0..=1.0).contains(s)));
        }
    }
}

#[test]
fn tend_health_json_uses_the_documented_names() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async { fixture(dir.path()).await.close().await });
    let out = Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(dir.path().join("tend.db"))
        .args([
            "health",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(j["members_total"], 8);
    assert_eq!(j["pyramid"]["creators"], 4);
    assert_eq!(j["response"]["threads"], 4);
    assert_eq!(j["activation"]["activated_30d_share"], 0.5);
    assert_eq!(j["cross_boundary"]["country_share"], 0.4);
    assert_eq!(j["previous"]["members_total"], 6);
    let err = Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(dir.path().join("tend.db"))
        .args(["health", "--segment", "planet=Mars"])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&err).contains("invalid segment"));
    // Periods: a named one, a range, and a reversed range refused with both days named.
    let run = |args: &[&str]| {
        Command::cargo_bin("tend")
            .unwrap()
            .arg("--db")
            .arg(dir.path().join("tend.db"))
            .args(args)
            .assert()
    };
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_slice(&run(args).success().get_output().stdout).unwrap()
    };
    let range = json(&["health", "--period", "2026-03-01..2026-03-31", "--json"]);
    assert_eq!(range["members_total"], j["members_total"]);
    assert_eq!(
        (range["first_day"].as_str(), range["days"].as_i64()),
        (Some("2026-03-01"), Some(31))
    );
    let quarter = json(&["health", "--period", "this-quarter", "--json"]);
    assert!(quarter["days"].as_i64().unwrap() >= 1);
    let reversed = run(&["health", "--from", "2026-09-01", "--to", "2026-08-01"]).failure();
    let text = String::from_utf8_lossy(&reversed.get_output().stderr).to_string();
    assert!(text.contains("2026-09-01 to 2026-08-01"), "{text}");
    let unknown = run(&["health", "--period", "next-week"]).failure();
    let text = String::from_utf8_lossy(&unknown.get_output().stderr).to_string();
    assert!(text.contains("this-quarter"), "{text}");
    // Spaces tagged from the command line, listed back, counted in the JSON.
    let said = String::from_utf8(
        run(&["spaces", "tag", "Questions", "learn", "get-feedback"])
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert_eq!(said.trim(), "questions: learn, feedback");
    let list = json(&["spaces", "list", "--json"]);
    let questions = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["space"] == "questions")
        .unwrap();
    assert_eq!(
        questions["purposes"],
        serde_json::json!(["learn", "feedback"])
    );
    let text = String::from_utf8_lossy(
        &run(&["spaces", "tag", "questions", "gossip"])
            .failure()
            .get_output()
            .stderr,
    )
    .to_string();
    assert!(text.contains("co-create"), "{text}");
    let tagged = json(&["health", "--period", "2026-03-01..2026-03-31", "--json"]);
    assert_eq!(tagged["purposes"][2]["activities"], 10);
    // Two conditions, as the app combines them.
    let both = json(&[
        "health",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--segment",
        "country=brazil",
        "--segment",
        "organisation=orga",
        "--json",
    ]);
    assert_eq!(
        both["segment"],
        serde_json::json!(["country=Brazil", "organisation=OrgA"])
    );
    assert_eq!(both["members_total"], 1);
    // A chart in French for a segment, and a file name it cannot write, said plainly.
    let svg = dir.path().join("a.svg");
    run(&[
        "chart",
        "active_members",
        "--lang",
        "fr",
        "--segment",
        "country=Brazil",
        "--out",
        svg.to_str().unwrap(),
    ])
    .success();
    let drawn = std::fs::read_to_string(&svg).unwrap();
    assert!(
        drawn.contains("Membres actifs par semaine — seulement Brésil"),
        "the French title names the segment"
    );
    let text = String::from_utf8_lossy(
        &run(&["chart", "pyramid", "--out", "/nonexistent/x.svg"])
            .failure()
            .get_output()
            .stderr,
    )
    .to_string();
    assert!(
        text.contains("cannot write /nonexistent/x.svg") && !text.contains("--out"),
        "{text}"
    );
    let text = String::from_utf8_lossy(
        &run(&["chart", "pyramid", "--lang", "de", "--out", "x.svg"])
            .failure()
            .get_output()
            .stderr,
    )
    .to_string();
    assert!(text.contains("en, fr or es"), "{text}");
}

#[tokio::test]
async fn the_unanswered_threads_are_the_ones_the_metric_counts() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let open = health::threads::unanswered(&store, &Lens::whole(march()))
        .await
        .unwrap();
    let m = compute(&store, march(), &[]).await.unwrap();
    assert_eq!(open.len() as i64, m.current.response.unanswered);
    assert_eq!(
        open.iter()
            .map(|t| t.title.as_deref().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["Thread 3"]
    );
    assert_eq!(open[0].author_name, "Chen");
}

#[tokio::test]
async fn the_metrics_follow_every_change_to_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let before = compute(&store, march(), &[]).await.unwrap().current;
    assert!(close(
        before.cross_boundary.country_share.unwrap(),
        2.0 / 5.0
    ));
    // An edit: Ana moves from Brazil to Kenya: her exchanges with Ben (r1, r4) now cross.
    let ana: String = sqlx::query_scalar("SELECT id FROM members WHERE display_name = 'Ana'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let patch = tend::model::MemberPatch {
        country: Some("Kenya".into()),
        ..Default::default()
    };
    tend::members::update(&store, &ana, &patch).await.unwrap();
    let after = compute(&store, march(), &[]).await.unwrap().current;
    assert!(close(
        after.cross_boundary.country_share.unwrap(),
        4.0 / 5.0
    ));
    // A newer export of the same source: Lurk answers Chen's open thread, and stops lurking.
    let newer = format!("{ACTIVITIES}r7,l,reply,2026-03-07T08:00:00Z,questions,p3,p3,\n");
    std::fs::write(dir.path().join("activities.csv"), newer).unwrap();
    import::import_path(&store, dir.path(), &ImportOptions::default(), &Silent)
        .await
        .unwrap();
    let now = compute(&store, march(), &[]).await.unwrap().current;
    assert_eq!((now.members_active, now.pyramid.lurkers), (7, 1));
    assert_eq!(now.response.unanswered, 0);
}

#[tokio::test]
async fn the_funnel_and_chart_series_agree_with_the_database() {
    let store = june_demo().await;
    let last = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let june = Period::days_to(last, 30);
    // The funnel against the guide's own reading of each member (separate SQL).
    let facts = tend::guide::facts::load(&store, last).await.unwrap();
    let joined: Vec<_> = facts
        .iter()
        .filter(|f| f.joined.is_some_and(|j| j >= june.from && j < june.to))
        .collect();
    let contributed =
        |f: &&&tend::guide::facts::MemberFacts| f.contributed.is_some() || f.introduced.is_some();
    let expected = health::series::Funnel {
        joined: joined.len() as i64,
        welcomed: joined.iter().filter(|f| f.welcomed.is_some()).count() as i64,
        contributed: joined.iter().filter(contributed).count() as i64,
        // Regulars are counted among those who contributed: the stages nest.
        regular: joined
            .iter()
            .filter(contributed)
            .filter(|f| f.active_weeks.iter().filter(|w| **w).count() >= 3)
            .count() as i64,
    };
    assert!(expected.joined > 5 && expected.welcomed > 0, "{expected:?}");
    let lens = Lens::whole(june);
    assert_eq!(
        health::Scoped::open(&store, &lens).await.unwrap().funnel(),
        expected
    );
    // Activity per space against a GROUP BY.
    let by_sql: Vec<(String, i64)> = sqlx::query_as(
        "SELECT s.name, COUNT(*) AS n FROM activities a JOIN spaces s ON s.id = a.space_id
         JOIN members m ON m.id = a.member_id
         WHERE m.is_bot = 0 AND a.kind <> 'join' AND a.occurred_at >= ? AND a.occurred_at < ?
         GROUP BY s.name ORDER BY n DESC, s.name LIMIT 10",
    )
    .bind(tend::time::format(june.from))
    .bind(tend::time::format(june.to))
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(
        health::Scoped::open(&store, &lens)
            .await
            .unwrap()
            .by_space(10),
        by_sql
    );
    // Weekly active members against COUNT(DISTINCT) per week.
    let weeks = health::Scoped::open(&store, &lens)
        .await
        .unwrap()
        .weekly_active(4);
    for (w, n) in weeks.iter().enumerate() {
        let from = june.to - chrono::Duration::weeks(4 - w as i64);
        let distinct: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT a.member_id) FROM activities a JOIN members m ON m.id = a.member_id
             WHERE m.is_bot = 0 AND a.kind <> 'join' AND a.occurred_at >= ? AND a.occurred_at < ?",
        )
        .bind(tend::time::format(from))
        .bind(tend::time::format(from + chrono::Duration::weeks(1)))
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(*n, distinct, "week {w}");
    }
}

#[tokio::test]
async fn plan_evidence_counted_in_memory_agrees_with_sql() {
    use tend::guide::{plan, playbook::EvidenceKind};
    let store = june_demo().await;
    let end = "2026-06-01T00:00:00Z";
    let sql = |q: &'static str| {
        let pool = store.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(q)
                .bind(end)
                .fetch_one(&pool)
                .await
                .unwrap() as u32
        }
    };
    let day = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
    let count = |k| plan::evidence_count(&store, k, day);
    assert_eq!(
        count(EvidenceKind::Members).await.unwrap(),
        sql("SELECT COUNT(*) FROM members m WHERE is_bot = 0 AND COALESCE(joined_at, (SELECT MIN(occurred_at) FROM activities a WHERE a.member_id = m.id), '') < ?1").await
    );
    assert_eq!(
        count(EvidenceKind::Posts).await.unwrap(),
        sql("SELECT COUNT(*) FROM activities a JOIN members m ON m.id = a.member_id WHERE m.is_bot = 0 AND a.kind = 'post' AND a.occurred_at < ?1").await
    );
    assert_eq!(
        count(EvidenceKind::Replies).await.unwrap(),
        sql("SELECT COUNT(*) FROM activities a JOIN members m ON m.id = a.member_id WHERE m.is_bot = 0 AND a.kind = 'reply' AND a.occurred_at < ?1").await
    );
    let welcomed = sql("SELECT COUNT(DISTINCT t.member_id) FROM activities r
         JOIN members w ON w.id = r.member_id AND w.role IN ('leader', 'facilitator', 'champion')
         -- by the 16-byte id behind the text one, which has an index
         JOIN activities t ON t.gid = unhex(replace(COALESCE(r.parent_id, r.thread_root_id), '-', ''))
         WHERE r.kind = 'reply' AND t.member_id <> r.member_id AND r.occurred_at < ?1")
    .await;
    assert!(welcomed > 10, "{welcomed}");
    assert_eq!(count(EvidenceKind::Welcomed).await.unwrap(), welcomed);
    let events = sql("SELECT COUNT(DISTINCT a.space_id) FROM activities a JOIN spaces s ON s.id = a.space_id WHERE s.kind = 'event' AND a.kind = 'attendance' AND a.occurred_at < ?1").await;
    assert_eq!(count(EvidenceKind::Events).await.unwrap(), events);
}

#[tokio::test]
async fn segment_values_are_listed_with_counts_and_matched_whatever_their_case() {
    use tend::health::segments::{self, SegmentValue};
    use tend::health::SegmentKey;
    let store = common::demo_store(&common::small_demo(5)).await;
    let orgs: Vec<SegmentValue> = segments::values_of(&store, SegmentKey::Organisation)
        .await
        .unwrap();
    assert!(
        orgs.windows(2).all(|w| w[0].members >= w[1].members),
        "{orgs:?}"
    );
    let with_org: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM members WHERE is_bot = 0 AND organisation IS NOT NULL AND organisation <> ''",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(orgs.iter().map(|v| v.members).sum::<i64>(), with_org);
    let period = Period::days_to(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(), 30);
    let typed: health::Segment = "organisation=wATERaid".parse().unwrap();
    let h = compute(&store, period, &[&typed]).await.unwrap();
    assert_eq!(text(&h.segment), ["organisation=WaterAid"]);
    let exact: health::Segment = "organisation=WaterAid".parse().unwrap();
    let same = compute(&store, period, &[&exact]).await.unwrap();
    assert_eq!(h.current, same.current);
    let typo: health::Segment = "organisation=Watr".parse().unwrap();
    let err = compute(&store, period, &[&typo]).await.unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("organisation=Watr") && message.contains("WaterAid"),
        "{message}"
    );
    let role: health::Segment = "role=Champion".parse().unwrap();
    let h = compute(&store, period, &[&role]).await.unwrap();
    assert_eq!(text(&h.segment), ["role=champion"]);
}

/// A segment as `key=value` texts, as `tend health --json` writes it.
fn text(segment: &[Segment]) -> Vec<String> {
    segment.iter().map(ToString::to_string).collect()
}
