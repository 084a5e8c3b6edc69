//! Team sync through a real PostgreSQL hub. `make test` starts a throwaway server on
//! loopback (scripts/with-postgres.sh) and runs these with `--ignored`; by hand:
//! `scripts/with-postgres.sh cargo test --test it sync_hub:: -- --ignored`.

use crate::common;

use sqlx::postgres::PgPoolOptions;
use tend::model::MemberPatch;
use tend::sync::{hub, status};
use tend::{members, Store};

fn hub_url() -> String {
    std::env::var("TEND_TEST_PG")
        .expect("TEND_TEST_PG must name a PostgreSQL server: run through scripts/with-postgres.sh (make test does)")
}

async fn fresh_hub(url: &str) -> sqlx::PgPool {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .expect("the test server");
    sqlx::query("DROP TABLE IF EXISTS tend_segments")
        .execute(&pool)
        .await
        .expect("drop");
    pool
}

#[tokio::test]
#[ignore = "needs PostgreSQL: make test starts one"]
async fn two_laptops_converge_through_the_hub_which_stores_only_sealed_records() {
    let url = hub_url();
    let pg = fresh_hub(&url).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    let b = Store::open(&dir.path().join("b.db")).await.expect("b");
    let mut cfg = common::small_demo(11);
    cfg.members = 12;
    cfg.months = 1;
    tend::demo::generate(&a, &cfg).await.expect("demo");
    let pass = Some("hub passphrase");
    let first = hub::sync(&a, &url, pass).await.expect("a pushes");
    assert!(first.sent > 0);
    let got = hub::sync(&b, &url, pass).await.expect("b pulls");
    assert_eq!(got.applied, first.sent, "B applies every record A pushed");
    assert_eq!(common::canonical(&a).await, common::canonical(&b).await);

    // Concurrent edits of one member on both laptops, offline, then both sync twice.
    let m: String = sqlx::query_scalar("SELECT id FROM members ORDER BY id LIMIT 1")
        .fetch_one(a.pool())
        .await
        .expect("m");
    let name = members::get(&a, &m).await.expect("m").display_name;
    let on_a = MemberPatch {
        notes: Some("A's note".into()),
        country: Some("Peru".into()),
        ..Default::default()
    };
    members::update(&a, &m, &on_a).await.expect("a edit");
    let on_b = MemberPatch {
        notes: Some("B's note".into()),
        ..Default::default()
    };
    members::update(&b, &m, &on_b).await.expect("b edit");
    for s in [&a, &b, &a] {
        hub::sync(s, &url, pass).await.expect("sync");
    }
    let (ma, mb) = (
        members::get(&a, &m).await.expect("a"),
        members::get(&b, &m).await.expect("b"),
    );
    assert_eq!(
        ma.country.as_deref(),
        Some("Peru"),
        "a field only A changed is kept"
    );
    assert_eq!(ma.notes, "B's note", "the later edit wins");
    assert_eq!(common::canonical(&a).await, common::canonical(&b).await);
    let conflicts = status::status(&a).await.expect("status").conflicts;
    assert!(
        conflicts
            .iter()
            .any(|c| c.column == "notes" && c.lost == "\"A's note\""),
        "{conflicts:?}"
    );
    assert_eq!(mb.notes, ma.notes);

    // The hub holds sealed bytes only: no member's name in clear.
    let bodies: Vec<Vec<u8>> = sqlx::query_scalar("SELECT body FROM tend_segments")
        .fetch_all(&pg)
        .await
        .expect("bodies");
    assert!(!bodies.is_empty());
    for body in bodies {
        assert!(
            !String::from_utf8_lossy(&body).contains(&name),
            "the hub shows {name}"
        );
    }
    // A laptop without the passphrase gets nothing, and is told why.
    let c = Store::open(&dir.path().join("c.db")).await.expect("c");
    let r = hub::sync(&c, &url, None).await.expect("c");
    assert!(
        r.skipped.iter().any(|s| s.reason.contains("passphrase")),
        "{r:?}"
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL: make test starts one"]
async fn an_unreachable_hub_is_named_in_the_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    let err = hub::sync(&a, "postgres://tend:secret@127.0.0.1:1/nowhere", None)
        .await
        .expect_err("no server");
    let text = err.to_string();
    assert!(
        text.contains("127.0.0.1:1") && !text.contains("secret"),
        "{text}"
    );
}

/// A database of its own on the test server (the other tests drop the hub's table).
async fn own_database(url: &str, name: &str) -> String {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .expect("the test server");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&pool)
        .await
        .expect("drop");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .expect("create");
    url.rsplit_once('/')
        .map(|(base, _)| format!("{base}/{name}"))
        .expect("a url")
}

#[tokio::test]
#[ignore = "needs PostgreSQL: make test starts one"]
async fn the_hub_speaks_tls_and_checks_its_certificate_when_asked() {
    let url = own_database(&hub_url(), "tend_tls").await;
    let ca = std::env::var("TEND_TEST_PG_CA").expect("TEND_TEST_PG_CA: the server's certificate");
    let dir = tempfile::tempdir().expect("tempdir");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    let mut cfg = common::small_demo(5);
    cfg.members = 4;
    cfg.months = 1;
    tend::demo::generate(&a, &cfg).await.expect("demo");
    let pass = Some("tls passphrase");
    let sent = hub::sync(&a, &format!("{url}?sslmode=require"), pass)
        .await
        .expect("encrypted")
        .sent;
    assert!(sent > 0);
    // verify-full: the server's certificate must chain to a trusted root and name the host.
    let localhost = url.replace("127.0.0.1", "localhost");
    let b = Store::open(&dir.path().join("b.db")).await.expect("b");
    let checked = format!("{localhost}?sslmode=verify-full&sslrootcert={ca}");
    let got = hub::sync(&b, &checked, pass).await.expect("verified");
    assert_eq!(got.applied, sent);
    let untrusted = hub::sync(&b, &format!("{localhost}?sslmode=verify-full"), pass).await;
    assert!(
        untrusted.is_err(),
        "a self-signed certificate is refused without its root"
    );
    let missing_root = hub::sync(
        &b,
        &format!("{url}?sslmode=verify-full&sslrootcert={ca}x"),
        pass,
    )
    .await;
    assert!(
        missing_root.is_err(),
        "a root certificate file that is not there is an error"
    );
    // A row whose range disagrees with its segment's header is set aside.
    let pg = PgPoolOptions::new().connect(&url).await.expect("pg");
    let moved =
        sqlx::query("UPDATE tend_segments SET last_seq = 1 WHERE first_seq = 1 AND last_seq > 1")
            .execute(&pg)
            .await
            .expect("row claims 1-1");
    assert_eq!(moved.rows_affected(), 1);
    let c = Store::open(&dir.path().join("c.db")).await.expect("c");
    let r = hub::sync(&c, &format!("{url}?sslmode=require"), pass)
        .await
        .expect("c");
    assert_eq!(r.applied, 0, "{r:?}");
    assert!(
        r.skipped
            .iter()
            .any(|s| s.reason.contains("as its name says")),
        "{r:?}"
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL: make test starts one"]
async fn junk_rows_under_a_laptops_id_neither_jam_it_nor_are_read_twice() {
    let url = own_database(&hub_url(), "tend_jam").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    let b = Store::open(&dir.path().join("b.db")).await.expect("b");
    let mut cfg = common::small_demo(13);
    cfg.members = 12;
    cfg.months = 1;
    tend::demo::generate(&a, &cfg).await.expect("demo");
    hub::sync(&a, &url, None).await.expect("a pushes");
    hub::sync(&b, &url, None).await.expect("b pulls");
    let s = status::status(&a).await.expect("a");
    let next = s.changes + 1;
    // A stranger with the hub: 10,000 rows with numbers no segment has, one in the place of
    // A's next changes, and 50 after it.
    let pg = PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .expect("hub");
    for sql in [
        "INSERT INTO tend_segments (device, first_seq, last_seq, body)
         SELECT $1, -g, $2, '\\x78' FROM generate_series(1, 10000) g",
        "INSERT INTO tend_segments (device, first_seq, last_seq, body)
         SELECT $1, $2 + g, $2 + g + 1, '\\x78' FROM generate_series(0, 50) g",
    ] {
        sqlx::query(sql)
            .bind(&s.device)
            .bind(next)
            .execute(&pg)
            .await
            .expect(sql);
    }
    let m: String = sqlx::query_scalar("SELECT id FROM members ORDER BY id LIMIT 1")
        .fetch_one(a.pool())
        .await
        .expect("m");
    let patch = MemberPatch {
        notes: Some("through the jam".into()),
        ..Default::default()
    };
    members::update(&a, &m, &patch).await.expect("edit");
    let ra = hub::sync(&a, &url, None).await.expect("a");
    assert_eq!(ra.device, s.device, "{:?}", ra.notices);
    let rb = hub::sync(&b, &url, None).await.expect("b");
    assert_eq!(
        members::get(&b, &m).await.expect("m").notes,
        "through the jam"
    );
    assert!(rb.skipped.len() <= 12, "{} lines", rb.skipped.len());
    let again = hub::sync(&b, &url, None).await.expect("b again");
    assert!(again.skipped.is_empty(), "{:?}", again.skipped);
}
