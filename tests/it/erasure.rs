//! Erasure removes a member's personal data for good: fields and identities are scrubbed,
//! activities stay under a placeholder (so the numbers do not change), and re-importing the
//! export that named them brings nothing back.

use crate::common;

use assert_cmd::Command;
use chrono::NaiveDate;
use tend::health::{self, Period};

const MEMBERS: &str = "id,name,email,role,country,organisation,language,joined_at
f,Fatou Ndiaye,fatou@example.org,facilitator,Senegal,OrgA,fr,2026-01-01
e,Esther Mwangi,esther@example.org,member,Kenya,OrgB,en,2026-01-05
";
const ACTIVITIES: &str = "id,member_id,kind,occurred_at,space,thread_id,parent_id,title
p1,e,post,2026-03-02T10:00:00Z,questions,,,Rainwater tanks?
r1,f,reply,2026-03-02T12:00:00Z,questions,p1,p1,
p2,e,post,2026-03-05T10:00:00Z,questions,,,Chlorine dosing
";

fn march() -> Period {
    Period::days_to(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(), 31)
}

#[tokio::test]
async fn an_erased_member_stays_erased_after_a_reimport_and_the_numbers_stay() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        common::csv_community(dir.path(), (MEMBERS, ACTIVITIES), "CoP", "", "2026-01-01").await;
    let esther = common::id_of(&store, "Esther Mwangi").await;
    let before = health::compute(&store, &health::Lens::whole(march()))
        .await
        .unwrap();
    let erased = tend::erasure::erase(&store, &esther).await.unwrap();
    assert_eq!((erased.identities, erased.activities), (1, 2));
    // A newer export that still names her: the importer really runs again.
    std::fs::write(
        dir.path().join("activities.csv"),
        format!("{ACTIVITIES}r2,f,reply,2026-03-06T12:00:00Z,questions,p2,p2,\n"),
    )
    .unwrap();
    tend::import::import_path(
        &store,
        dir.path(),
        &tend::import::ImportOptions::default(),
        &tend::import::Silent,
    )
    .await
    .unwrap();
    let row: (String, Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT display_name, email, country, language FROM members WHERE id = ?")
            .bind(&esther)
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(row, (erased.placeholder.clone(), None, None, None));
    let leaks: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM identities WHERE email LIKE '%esther%' OR display_name LIKE '%Esther%' OR external_id = 'e'
         UNION ALL SELECT COUNT(*) FROM members WHERE display_name LIKE '%Esther%' OR email LIKE '%esther%'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
    .iter()
    .sum();
    assert_eq!(leaks, 0, "nothing personal came back");
    let after = health::compute(&store, &health::Lens::whole(march()))
        .await
        .unwrap();
    assert_eq!(after.current.members_total, before.current.members_total);
    assert_eq!(
        after.current.pyramid.creators,
        before.current.pyramid.creators
    );
    let hers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activities WHERE member_id = ?")
        .bind(&esther)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(hers, 2, "her activities stay, under the placeholder");
}

#[tokio::test]
async fn the_cli_asks_for_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        common::csv_community(dir.path(), (MEMBERS, ACTIVITIES), "CoP", "", "2026-01-01").await;
    let esther = common::id_of(&store, "Esther Mwangi").await;
    drop(store);
    let db = dir.path().join("tend.db");
    Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["members", "erase", &esther])
        .assert()
        .failure()
        .stderr(predicates::str::contains("--yes"));
    Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["members", "erase", &esther, "--yes"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Erased member"));
}
