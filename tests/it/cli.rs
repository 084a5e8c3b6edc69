//! The `tend` binary, run for real on a database in a temporary folder.

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

struct Db {
    _dir: TempDir,
    path: std::path::PathBuf,
}

fn db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tend.db");
    Db { _dir: dir, path }
}

fn tend(db: &Db) -> Command {
    let mut cmd = Command::cargo_bin("tend").unwrap();
    cmd.env_remove("TEND_DB").arg("--db").arg(&db.path);
    cmd
}

fn json(cmd: &mut Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("valid JSON on stdout")
}

fn demo(db: &Db) {
    tend(db)
        .args([
            "demo",
            "--members",
            "80",
            "--months",
            "3",
            "--seed",
            "9",
            "--until",
            "2026-06-30",
        ])
        .assert()
        .success();
}

/// Runs a failing command: exactly one line on stderr, naming what is wrong; nothing on stdout.
fn fails_with(cmd: &mut Command, needle: &str) {
    let out = cmd.assert().failure().get_output().clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "stderr: {stderr}");
    assert!(
        stderr.contains(needle),
        "stderr should mention {needle:?}: {stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn init_sets_up_the_community_and_status_shows_it() {
    let db = db();
    tend(&db)
        .args([
            "init",
            "--name",
            "Field Nurses",
            "--purpose",
            "Share what works",
            "--launch",
            "2026-01-15",
        ])
        .assert()
        .success();
    let status = json(tend(&db).args(["status", "--json"]));
    assert_eq!(status["community"]["name"], "Field Nurses");
    assert_eq!(status["community"]["launch_date"], "2026-01-15");
    assert_eq!(status["members_total"], 0);
}

#[tokio::test]
async fn status_counts_activities_by_kind_bots_apart_and_contributors() {
    let db = db();
    demo(&db);
    let status = json(tend(&db).args(["status", "--json"]));
    // The same counts read another way: the text-shaped `activities` view, row by row.
    let store = tend::Store::open(&db.path).await.unwrap();
    let rows: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT a.kind, a.member_id, m.is_bot FROM activities a JOIN members m ON m.id = a.member_id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let mut by_kind = std::collections::BTreeMap::<String, i64>::new();
    let mut contributors = std::collections::HashSet::new();
    let mut bots = 0;
    for (kind, member, bot) in rows {
        if bot {
            bots += 1;
            continue;
        }
        *by_kind.entry(kind.clone()).or_default() += 1;
        if kind == "post" || kind == "reply" {
            contributors.insert(member);
        }
    }
    assert!(bots > 0, "the demo has a digest bot");
    let shown: std::collections::BTreeMap<String, i64> =
        serde_json::from_value(status["activities_by_kind"].clone()).unwrap();
    assert_eq!(shown, by_kind);
    assert_eq!(status["bot_activities"], bots);
    assert_eq!(status["contributors"], contributors.len() as i64);
    assert_eq!(
        status["activities_total"],
        by_kind.values().sum::<i64>() + bots
    );
}

#[test]
fn the_demo_fills_the_roster_and_the_list_filters_it() {
    let db = db();
    demo(&db);
    let all = json(tend(&db).args(["members", "list", "--json"]));
    assert_eq!(all.as_array().unwrap().len(), 80);
    let facilitators = json(tend(&db).args(["members", "list", "--role", "facilitator", "--json"]));
    assert_eq!(facilitators.as_array().unwrap().len(), 3);
    let country = all[0]["country"].as_str().unwrap().to_string();
    let by_country = json(tend(&db).args(["members", "list", "--country", &country, "--json"]));
    assert!(by_country
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["country"] == country.as_str()));
    let text = tend(&db)
        .args(["members", "list"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&text).contains("80 members"));
    // `--if-empty` leaves a populated database alone.
    tend(&db).args(["demo", "--if-empty"]).assert().success();
    assert_eq!(
        json(tend(&db).args(["members", "list", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        80
    );
}

#[test]
fn a_role_set_from_the_cli_is_kept() {
    let db = db();
    demo(&db);
    let all = json(tend(&db).args(["members", "list", "--role", "member", "--json"]));
    let id = all[5]["id"].as_str().unwrap().to_string();
    tend(&db)
        .args([
            "members",
            "set",
            &id,
            "--role",
            "champion",
            "--country",
            "Chile",
            "--notes",
            "Hosts the Santiago circle",
        ])
        .assert()
        .success();
    let shown = json(tend(&db).args(["members", "show", &id, "--json"]));
    assert_eq!(shown["role"], "champion");
    assert_eq!(shown["country"], "Chile");
    assert_eq!(shown["notes"], "Hosts the Santiago circle");
    assert!(!shown["identities"].as_array().unwrap().is_empty());
    // A unique prefix of the id works too.
    let short = json(tend(&db).args(["members", "show", &id[..8], "--json"]));
    assert_eq!(short["id"], id.as_str());
}

#[test]
fn an_unknown_role_is_one_clear_line_and_changes_nothing() {
    let db = db();
    demo(&db);
    let before = json(tend(&db).args(["members", "list", "--json"]));
    let id = before[0]["id"].as_str().unwrap().to_string();
    fails_with(
        tend(&db).args([
            "members",
            "set",
            &id,
            "--role",
            "boss",
            "--country",
            "Chile",
        ]),
        "unknown role 'boss'",
    );
    fails_with(
        tend(&db).args(["members", "list", "--role", "boss"]),
        "unknown role 'boss'",
    );
    assert_eq!(json(tend(&db).args(["members", "list", "--json"])), before);
}

#[test]
fn a_missing_member_is_one_clear_line_and_changes_nothing() {
    let db = db();
    demo(&db);
    let before = json(tend(&db).args(["members", "list", "--json"]));
    let missing = "00000000-0000-7000-8000-000000000000";
    fails_with(
        tend(&db).args(["members", "show", missing]),
        "no member with id",
    );
    fails_with(
        tend(&db).args(["members", "set", missing, "--role", "leader"]),
        "no member with id",
    );
    assert_eq!(json(tend(&db).args(["members", "list", "--json"])), before);
}

#[test]
fn an_unwritable_database_path_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let bad = file.join("tend.db");
    let mut cmd = Command::cargo_bin("tend").unwrap();
    cmd.env_remove("TEND_DB")
        .arg("--db")
        .arg(&bad)
        .args(["members", "list"]);
    fails_with(&mut cmd, "cannot open the database");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn tend_db_in_the_environment_chooses_the_database() {
    let db = db();
    demo(&db);
    let mut cmd = Command::cargo_bin("tend").unwrap();
    cmd.env("TEND_DB", &db.path)
        .args(["members", "list", "--json"]);
    assert_eq!(json(&mut cmd).as_array().unwrap().len(), 80);
}

#[test]
fn a_demo_on_a_populated_database_is_refused() {
    let db = db();
    demo(&db);
    fails_with(tend(&db).args(["demo"]), "already holds a community");
}

#[tokio::test]
async fn bench_import_runs_every_step_and_prints_figures() {
    let db = db();
    let dir = tempfile::tempdir().unwrap();
    let lines = json(
        tend(&db)
            .args([
                "bench", "import", "--slack", "3000", "--mbox", "300", "--json", "--dir",
            ])
            .arg(dir.path()),
    );
    let names: Vec<&str> = lines
        .as_array()
        .expect("an array of figures")
        .iter()
        .map(|l| l["name"].as_str().unwrap_or_default())
        .collect();
    let perceval = [
        "perceval parsing the same mbox (parse only)",
        "mbox import, times faster than perceval",
    ];
    let ours = [
        "generate Slack export",
        "import Slack export",
        "peak memory of the Slack import",
        "database per activity (3300 activities)",
        "first health computation, share of the import's time",
        "bare SQLite insert of as many minimal rows",
        "import rate as a share of the bare insert's",
        "change records at the next sync (if syncing)",
        "database per activity, once synced",
        "a second laptop takes it from a shared folder",
        "database per activity on that laptop",
        "import mbox",
    ];
    // perceval's two lines follow where it is installed.
    assert!(
        names == ours || names == [&ours[..], &perceval[..]].concat(),
        "{names:?}"
    );
    for l in lines.as_array().unwrap() {
        assert!(l["value"].as_f64().unwrap_or(0.0) > 0.0, "{l}");
    }
    // The bare insert wrote as many rows as the Slack import did: 3,000 messages and a
    // reaction on every tenth.
    let bare = tend::Store::open(&dir.path().join("bare.db"))
        .await
        .unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bare")
        .fetch_one(bare.pool())
        .await
        .unwrap();
    assert_eq!(rows, 3_300);
}

#[test]
fn a_folder_with_a_cut_file_says_so_and_fails_with_strict() {
    let db = db();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/discourse/discourse_api-fixtures");
    let dir = tempfile::tempdir().unwrap();
    let topic = std::fs::read(corpus.join("topic.json")).unwrap();
    std::fs::write(dir.path().join("topic.json"), &topic).unwrap();
    std::fs::write(
        dir.path().join("latest.json"),
        &std::fs::read(corpus.join("latest.json")).unwrap()[..200],
    )
    .unwrap();
    let out = tend(&db)
        .arg("import")
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .clone();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        stdout.contains("could not be read") && stdout.contains("latest.json"),
        "{stdout}"
    );
    assert!(
        stderr.contains("was not read") && stderr.contains("--strict"),
        "{stderr}"
    );
    let strict = tend(&db)
        .arg("import")
        .arg("--strict")
        .arg(dir.path())
        .assert()
        .failure()
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&strict.stderr).contains("was not read"));
}

#[test]
fn a_whatsapp_chat_imports_from_the_command_line_with_a_date_order() {
    let db = db();
    let chat =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/chats/ambiguous.txt");
    let out = tend(&db)
        .args(["import", "--date-order", "mdy"])
        .arg(&chat)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("whatsapp ") && stdout.contains("→ WhatsApp: 3 added"),
        "{stdout}"
    );
    tend(&db)
        .args(["import", "--date-order", "ymd"])
        .arg(&chat)
        .assert()
        .failure();
}

#[test]
fn a_wrong_path_and_a_bad_file_are_said_in_words() {
    let db = db();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("export.zip");
    fails_with(
        tend(&db).arg("import").arg(&missing),
        &format!("There is no file or folder at {}", missing.display()),
    );
    let noise: Vec<u8> = (0u32..2048)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    std::fs::write(&missing, noise).unwrap();
    let out = tend(&db)
        .arg("import")
        .arg(&missing)
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("holds random bytes, not a ZIP archive") && !stderr.contains("os error"),
        "{stderr}"
    );
    // A folder of two exports imports both, one line each.
    let folder = tempfile::tempdir().unwrap();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for f in [
        "chats/WhatsApp Chat - Field team.txt",
        "teams/meetingAttendanceReport(Field practice call).csv",
    ] {
        let from = fixtures.join(f);
        std::fs::copy(&from, folder.path().join(from.file_name().unwrap())).unwrap();
    }
    let out = tend(&db)
        .arg("import")
        .arg(folder.path())
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.lines().any(|l| l.starts_with("whatsapp "))
            && stdout.lines().any(|l| l.starts_with("attendance ")),
        "{stdout}"
    );
}

#[test]
fn an_empty_database_says_what_to_do_and_a_first_import_starts_the_community() {
    let db = db();
    for cmd in [["health"], ["today"]] {
        let out = tend(&db)
            .args(cmd)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.contains("This database is empty") && text.contains("tend import"),
            "{text}"
        );
    }
    let chat = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/chats/telegram/result.json");
    let out = tend(&db)
        .arg("import")
        .arg(&chat)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("started the community “Telegram”"));
    let health = tend(&db)
        .arg("health")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8_lossy(&health).contains("members"),
        "health runs once there is a community"
    );
    // Importing again starts nothing new.
    let again = tend(&db)
        .arg("import")
        .arg(&chat)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8_lossy(&again).contains("started the community"));
}

#[test]
fn the_roster_and_one_members_data_are_exported() {
    let db = db();
    demo(&db);
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("members.csv");
    let listed = json(tend(&db).args(["members", "list", "--role", "member", "--json"]));
    tend(&db)
        .args(["members", "list", "--role", "member", "--csv"])
        .arg(&csv_path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(
        rows[0],
        r#""name","role","country","organisation","language","joined_at","last_active_at","activities""#
    );
    assert_eq!(rows.len() - 1, listed.as_array().unwrap().len());
    let id = listed[0]["id"].as_str().unwrap().to_string();
    let out = dir.path().join("member.json");
    tend(&db)
        .args(["members", "export", &id, "--out"])
        .arg(&out)
        .assert()
        .success();
    let held: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(held["member"]["id"], listed[0]["id"]);
    assert_eq!(
        held["activities"].as_array().unwrap().len() as i64,
        listed[0]["activity_count"].as_i64().unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn the_default_plan_is_read_in_french_and_spanish() {
    let db = db();
    demo(&db);
    for (lang, title) in [
        ("fr", "S'accorder sur la raison d'être"),
        ("es", "Acordar el propósito"),
        ("en", "Agree the purpose"),
    ] {
        let v = json(tend(&db).args(["plan", "--json", "--lang", lang]));
        let step = v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"]["id"] == "purpose")
            .unwrap();
        assert!(
            step["step"]["title"].as_str().unwrap().starts_with(title),
            "{lang}: {step}"
        );
    }
    // The calendar too.
    let dir = tempfile::tempdir().unwrap();
    let ics = dir.path().join("plan.ics");
    tend(&db)
        .args(["plan", "ics", "--lang", "es", "--out"])
        .arg(&ics)
        .assert()
        .success();
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(
        text.contains("SUMMARY:Acordar el propósito y el alcance")
            && !text.contains("SUMMARY:Agree the purpose"),
        "{text}"
    );
}

#[test]
fn a_bare_sync_uses_the_saved_folder_and_a_missing_one_has_its_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tend.db");
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let tend = |args: &[&str]| {
        let mut c = Command::cargo_bin("tend").unwrap();
        c.arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("TEND_SYNC_PASSPHRASE");
        c.assert()
    };
    tend(&["init", "--name", "CoP"]).success();
    // The subcommands of `tend sync` stay what they are (not a sync).
    let named = tend(&["sync", "name", "Kisumu office"]).success();
    assert!(String::from_utf8_lossy(&named.get_output().stdout).contains("Kisumu office"));
    let status = tend(&["sync", "status", "--json"]).success();
    let status: Value = serde_json::from_slice(&status.get_output().stdout).unwrap();
    assert_eq!(status["name"], "Kisumu office");
    // Nothing saved yet: said plainly.
    let out = tend(&["sync"]).failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("choose a shared folder or a hub first"),
        "{err}"
    );
    // Saved as the app saves it, then a bare `tend sync` goes there.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = tend::Store::open(&db).await.unwrap();
        let input = tend::sync::config::SyncConfigInput {
            folder: shared.display().to_string(),
            ..Default::default()
        };
        tend::sync::config::set(&store, &input).await.unwrap();
        store.close().await;
    });
    let out = tend(&["sync", "--json"]).success();
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(
        report["transport"]
            .as_str()
            .unwrap_or("")
            .contains("shared"),
        "{report}"
    );
    // The folder unplugged: its own code and words.
    std::fs::remove_dir_all(&shared).unwrap();
    let out = tend(&["sync"]).failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("is not a folder — create it, connect the drive"),
        "{err}"
    );
    // What `tend sync` says on stderr given this passphrase file.
    let refused = |file: &std::path::Path| {
        let out = tend(&[
            "sync",
            "--folder",
            ".",
            "--passphrase-file",
            file.to_str().unwrap(),
        ])
        .failure();
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    // An empty passphrase file is named.
    let empty = dir.path().join("pass.txt");
    std::fs::write(&empty, "\n").unwrap();
    let err = refused(&empty);
    assert!(err.contains("pass.txt is empty"), "{err}");
    // A file far larger than a passphrase is refused before it is read.
    let big = dir.path().join("big.txt");
    std::fs::write(&big, vec![b'x'; 10_000]).unwrap();
    let err = refused(&big);
    assert!(
        err.contains("10000 bytes, more than the 4096 bytes"),
        "{err}"
    );
    // A link is not followed, even to a good passphrase file.
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "a long team passphrase\n").unwrap();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&good, &link).unwrap();
    let err = refused(&link);
    assert!(err.contains("links are not followed"), "{err}");
}

#[test]
fn a_sealed_change_file_without_the_passphrase_is_skipped_with_the_cli_hint() {
    let (sealed, bare) = (db(), db());
    demo(&sealed);
    let shared = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let pass = keys.path().join("pass.txt");
    std::fs::write(&pass, "our long team words\n").unwrap();
    let folder = shared.path().to_str().unwrap();
    tend(&sealed)
        .env_remove("TEND_SYNC_PASSPHRASE")
        .args(["sync", "--folder", folder, "--passphrase-file"])
        .arg(&pass)
        .assert()
        .success();
    let out = tend(&bare)
        .env_remove("TEND_SYNC_PASSPHRASE")
        .args(["sync", "--folder", folder])
        .assert()
        .success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        said.contains("sealed with a team passphrase this laptop has not been given — give it with --passphrase-file"),
        "{said}"
    );
}

/// #28: a hub password in `--hub` would be readable by every account on the computer
/// (`ps`): it is refused, without being shown, with the ways to give it instead.
#[test]
fn a_hub_password_on_the_command_line_is_refused_without_showing_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(dir.path().join("t.db"))
        .args(["sync", "--hub", "postgres://tend:pw-9f3a@127.0.0.1:1/tend"])
        .env_remove("TEND_SYNC_HUB")
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(!stderr.contains("pw-9f3a"), "{stderr}");
    for way in [
        "--hub-password-file",
        "TEND_SYNC_HUB_PASSWORD",
        "postgres://tend:***@",
    ] {
        assert!(stderr.contains(way), "{way}: {stderr}");
    }
    // Given from a file, the password is used (and shown nowhere) as the hub is tried.
    let pw = dir.path().join("pw.txt");
    std::fs::write(&pw, "pw-9f3a\n").unwrap();
    let out = assert_cmd::Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(dir.path().join("t.db"))
        .args([
            "sync",
            "--hub",
            "postgres://tend@127.0.0.1:1/tend",
            "--hub-password-file",
        ])
        .arg(&pw)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("cannot reach the hub") && !stderr.contains("pw-9f3a"),
        "{stderr}"
    );
}
