//! One member per person: suggestions, merge, undo and split, through the core and the CLI.

use assert_cmd::Command;
use tend::identity::{self, MergeReason};
use tend::import::{self, ImportOptions, Silent};
use tend::model::MemberFilter;
use tend::{members, Store};

async fn member_count(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM members")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// Two sources in which "José Núñez" appears under different addresses and spellings.
async fn two_sources(dir: &std::path::Path) -> Store {
    let csv = dir.join("csv");
    std::fs::create_dir(&csv).unwrap();
    std::fs::write(
        csv.join("members.csv"),
        "id,name,email\n1,José Núñez,jose@work.example.org\n2,Ana Silva,ana@example.org\n",
    )
    .unwrap();
    std::fs::write(csv.join("activities.csv"), "id,member_id,kind,occurred_at\na,1,post,2026-01-01T10:00:00Z\nb,2,post,2026-01-02T10:00:00Z\n").unwrap();
    let mbox = dir.join("list.mbox");
    std::fs::write(
        &mbox,
        "From x Mon Jan  5 10:00:00 2026\nFrom: JOSE NUNEZ <jnunez@home.example.net>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\nSubject: hi\nMessage-ID: <m1@x>\n\nhello\n",
    )
    .unwrap();
    let store = Store::open_in_memory().await.unwrap();
    for p in [csv, mbox] {
        import::import_path(&store, &p, &ImportOptions::default(), &Silent)
            .await
            .unwrap();
    }
    store
}

#[tokio::test]
async fn a_merge_suggestion_says_why_and_a_refusal_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let store = two_sources(dir.path()).await;
    let list = identity::suggestions(&store).await.unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].reasons, vec![MergeReason::SameName]);
    let names = [list[0].a_name.as_str(), list[0].b_name.as_str()];
    assert!(
        names.contains(&"José Núñez") && names.contains(&"JOSE NUNEZ"),
        "{names:?}"
    );
    identity::not_same_person(&store, &list[0].b, &list[0].a)
        .await
        .unwrap();
    assert!(identity::suggestions(&store).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_merge_keeps_every_identity_and_can_be_undone() {
    let dir = tempfile::tempdir().unwrap();
    let store = two_sources(dir.path()).await;
    let s = identity::suggestions(&store).await.unwrap().remove(0);
    let before_a = members::get(&store, &s.a).await.unwrap();
    let before_b = members::get(&store, &s.b).await.unwrap();
    let merge = identity::merge(&store, &s.a, &s.b).await.unwrap();
    assert_eq!(member_count(&store).await, 2);
    let merged = members::get(&store, &s.a).await.unwrap();
    assert_eq!(merged.identities.len(), 2);
    assert_eq!(
        merged.activity_count,
        before_a.activity_count + before_b.activity_count
    );
    assert!(members::get(&store, &s.b).await.is_err());

    identity::unmerge(&store, &merge).await.unwrap();
    assert_eq!(member_count(&store).await, 3);
    let b = members::get(&store, &s.b).await.unwrap();
    assert_eq!(
        (
            b.display_name.as_str(),
            b.identities.len(),
            b.activity_count
        ),
        (before_b.display_name.as_str(), 1, before_b.activity_count)
    );
    assert_eq!(
        members::get(&store, &s.a).await.unwrap().activity_count,
        before_a.activity_count
    );
    assert!(
        identity::unmerge(&store, &merge).await.is_err(),
        "a merge is undone once"
    );
}

#[tokio::test]
async fn a_split_moves_one_identity_and_its_activities_out() {
    let dir = tempfile::tempdir().unwrap();
    let store = two_sources(dir.path()).await;
    let s = identity::suggestions(&store).await.unwrap().remove(0);
    identity::merge(&store, &s.a, &s.b).await.unwrap();
    let merged = members::get(&store, &s.a).await.unwrap();
    let mail = merged
        .identities
        .iter()
        .find(|i| i.source_kind == "mbox")
        .unwrap();
    let new_id = identity::split(&store, &s.a, &mail.id).await.unwrap();
    let split = members::get(&store, &new_id).await.unwrap();
    assert_eq!((split.identities.len(), split.activity_count), (1, 1));
    assert_eq!(
        members::get(&store, &s.a).await.unwrap().identities.len(),
        1
    );
    let all = members::list(&store, &MemberFilter::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
}

#[test]
fn merge_and_unmerge_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tend.db");
    let tend = || {
        let mut c = Command::cargo_bin("tend").unwrap();
        c.env_remove("TEND_DB").arg("--db").arg(&db);
        c
    };
    tend()
        .args(["demo", "--members", "30", "--until", "2026-06-30"])
        .assert()
        .success();
    let list: serde_json::Value = serde_json::from_slice(
        &tend()
            .args(["members", "list", "--json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .unwrap();
    let (a, b) = (
        list[3]["id"].as_str().unwrap().to_string(),
        list[4]["id"].as_str().unwrap().to_string(),
    );
    let out = String::from_utf8(
        tend()
            .args(["members", "merge", &a, &b])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    let merge_id = out
        .split("unmerge ")
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches('`')
        .to_string();
    let after: serde_json::Value = serde_json::from_slice(
        &tend()
            .args(["members", "list", "--json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .unwrap();
    assert_eq!(after.as_array().unwrap().len(), 29);
    tend()
        .args(["members", "unmerge", &merge_id])
        .assert()
        .success();
    let restored: serde_json::Value = serde_json::from_slice(
        &tend()
            .args(["members", "list", "--json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .unwrap();
    assert_eq!(restored, list);
    let err = tend()
        .args(["members", "merge", &a, &a])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&err).contains("two different members"));
}
