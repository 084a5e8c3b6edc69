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

/// Everything that says who she is, as the tests below search for it.
const HER: [&str; 6] = [
    "Zephyrine Quackenbush",
    "zephyrine.q@plover.example",
    "zq@wren.example",
    "Quackenbush Holdings",
    "hazelnut allergy, lives on Wren Lane",
    "Zephyrine",
];

/// How often any of [`HER`] (case-blind) appears in the bytes of `path` and its
/// write-ahead log.
fn found_in_file(path: &std::path::Path) -> Vec<String> {
    let mut hits = Vec::new();
    for suffix in ["", "-wal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let Ok(bytes) = std::fs::read(&name) else {
            continue;
        };
        let bytes = bytes.to_ascii_lowercase();
        for needle in HER {
            let needle = needle.to_ascii_lowercase();
            let n = bytes
                .windows(needle.len())
                .filter(|w| *w == needle.as_bytes())
                .count();
            if n > 0 {
                hits.push(format!(
                    "{needle} ×{n} in {}",
                    std::path::Path::new(&name).display()
                ));
            }
        }
    }
    hits
}

/// Rows of the tables erasure must reach that still name her (case-blind).
async fn found_in_tables(store: &tend::Store) -> Vec<String> {
    let mut hits = Vec::new();
    for (table, text) in [
        ("sync_log", "value"),
        ("sync_refused", "reason"),
        ("sync_runs", "report"),
        ("kits", "recipient || path"),
        (
            "members",
            "display_name || IFNULL(email, '') || notes || IFNULL(organisation, '')",
        ),
    ] {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE instr(lower({text}), 'zephyrine') > 0
             OR instr(lower({text}), 'quackenbush') > 0 OR instr({text}, 'Wren') > 0"
        ))
        .fetch_one(store.pool())
        .await
        .unwrap();
        if n > 0 {
            hits.push(format!("{table}: {n}"));
        }
    }
    hits
}

/// #28: after an erasure, her name, e-mail, notes and organisation are in no table (the
/// kit history, the change log's kit and merge records, held records' reasons, the last
/// syncs' reports) and nowhere in the database file or its log, on the laptop that erased
/// her and on the one that took the erasure.
#[tokio::test]
async fn an_erased_member_is_nowhere_in_the_database_file() {
    use tend::kit::{Audience, KitRequest};
    use tend::sync::folder;
    let dir = tempfile::tempdir().unwrap();
    let (here, shared) = (dir.path().join("a"), dir.path().join("shared"));
    std::fs::create_dir_all(&here).unwrap();
    std::fs::create_dir_all(&shared).unwrap();
    let members = format!(
        "{MEMBERS}z,Zephyrine Quackenbush,zephyrine.q@plover.example,member,Kenya,,en,2026-01-05
q,Z. Quackenbush,zq@wren.example,member,Kenya,,en,2026-01-06
"
    );
    let a = common::csv_community(&here, (&members, ACTIVITIES), "CoP", "", "2026-01-01").await;
    let her = common::id_of(&a, "Zephyrine Quackenbush").await;
    let alias = common::id_of(&a, "Z. Quackenbush").await;
    let patch = tend::model::MemberPatch {
        notes: Some("hazelnut allergy, lives on Wren Lane".into()),
        organisation: Some("Quackenbush Holdings".into()),
        ..Default::default()
    };
    tend::members::update(&a, &her, &patch).await.unwrap();
    tend::identity::merge(&a, &her, &alias).await.unwrap();
    let kit = KitRequest {
        template: None,
        audience: Audience::Member(her.clone()),
        lang: None,
        drop_resources: Vec::new(),
    };
    let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let kit_path = dir.path().join("Zephyrine Quackenbush.md");
    tend::kit::export::make(&a, &kit, day, &kit_path)
        .await
        .unwrap();
    // Another laptop takes all that; a conflict copy named after her lands in its folder.
    let b_path = dir.path().join("b.db");
    let b = tend::Store::open(&b_path).await.unwrap();
    folder::sync(&a, &shared, None).await.unwrap();
    folder::sync(&b, &shared, None).await.unwrap();
    let b_device: String = sqlx::query_scalar("SELECT device_id FROM sync_device")
        .fetch_one(b.pool())
        .await
        .unwrap();
    let conflict = shared
        .join(b_device)
        .join("Zephyrine Quackenbush (conflict).tseg");
    std::fs::write(&conflict, "x").unwrap();
    folder::sync(&a, &shared, None).await.unwrap();
    std::fs::remove_file(&conflict).unwrap();
    // A record from elsewhere that puts her name where a role goes is held, with its reason.
    let odd = tend::sync::apply::Change {
        device: "01a22b02-0000-7000-8000-000000000abc".into(),
        seq: 1,
        hlc: chrono::Utc::now().timestamp_millis() << 16,
        base: 0,
        tbl: "members".into(),
        row_key: her.clone(),
        col: "role".into(),
        value: "\"Zephyrine Quackenbush\"".into(),
        schema: tend::sync::SCHEMA,
    };
    tend::sync::apply::apply(&a, &[odd]).await.unwrap();
    let before = found_in_tables(&a).await;
    for table in ["sync_log", "sync_refused", "sync_runs", "kits", "members"] {
        assert!(
            before.iter().any(|h| h.starts_with(table)),
            "{table} names her before: {before:?}"
        );
    }

    tend::erasure::erase(&a, &her).await.unwrap();
    assert_eq!(found_in_tables(&a).await, Vec::<String>::new());
    folder::sync(&a, &shared, None).await.unwrap();
    folder::sync(&b, &shared, None).await.unwrap();
    // The laptop that took the erasure by sync rewrote its file too, while still open.
    assert_eq!(found_in_file(&b_path), Vec::<String>::new(), "b, open");
    assert_eq!(
        found_in_tables(&b).await,
        Vec::<String>::new(),
        "the other laptop"
    );
    assert_eq!(common::canonical(&a).await, common::canonical(&b).await);
    a.close().await;
    b.close().await;
    for db in [here.join("tend.db"), b_path] {
        assert_eq!(found_in_file(&db), Vec::<String>::new(), "{}", db.display());
    }
}
