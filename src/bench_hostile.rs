//! `tend bench hostile`: the hostile inputs of the trust round, at full size, each timed
//! with its peak memory beside what it cost before the limits: archive and mailbox bombs,
//! a Viva export with wide headers, millions of bad records, a Slack export of 80,000 day
//! files, a sync folder of 300 segments sealed with different salts, one jammed by a
//! stranger's junk files and folders, kits and reports
//! naming members by the worst names allowed (and by names stored before names had a
//! rule), and attendance reports a million columns wide.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use crate::bench::{peak_mib, reset_peak};
use crate::import::{self, ImportOptions, Silent};
use crate::store::Store;

/// One hostile input and what reading it cost.
#[derive(Debug, Clone, Serialize)]
pub struct HostileLine {
    /// The input.
    pub name: String,
    /// Wall-clock seconds to read it (not to make it).
    pub seconds: f64,
    /// Peak resident memory while reading it, in MiB.
    pub peak_mib: f64,
    /// What Tend did with it.
    pub outcome: String,
    /// What the same input cost before the limits, as measured when the issue was filed.
    pub before: &'static str,
    /// What it may cost ("600 MB, 30 s"), where the issue set a bound; empty elsewhere.
    pub limit: &'static str,
}

fn io_err(e: impl std::fmt::Display) -> crate::Error {
    crate::error::DocumentError::encode("bench's hostile input", e).into()
}

/// A Slack export ZIP with one user and one channel, opened at its one day file
/// (`general/2016-01-01.json`) for the caller to write.
fn slack_zip_at_day_file(path: &Path) -> crate::Result<zip::ZipWriter<std::fs::File>> {
    let file = std::fs::File::create(path).map_err(io_err)?;
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    for (name, body) in [
        ("users.json", &br#"[{"id":"U1","name":"ana"}]"#[..]),
        ("channels.json", &br#"[{"id":"C1","name":"general"}]"#[..]),
        ("general/2016-01-01.json", &b""[..]),
    ] {
        zip.start_file(name, opts).map_err(io_err)?;
        zip.write_all(body).map_err(io_err)?;
    }
    Ok(zip)
}

/// Writes a Slack export ZIP whose one day file is `day` repeated `times`, between `[` and
/// `tail`.
fn slack_bomb(path: &Path, day: &[u8], times: u64, tail: &[u8]) -> crate::Result<()> {
    let mut zip = slack_zip_at_day_file(path)?;
    zip.write_all(b"[").map_err(io_err)?;
    let block: Vec<u8> = day.repeat(64 << 10);
    let mut left = times;
    while left > 0 {
        let n = left.min(64 << 10);
        zip.write_all(&block[..(n as usize * day.len())])
            .map_err(io_err)?;
        left -= n;
    }
    zip.write_all(tail).map_err(io_err)?;
    zip.finish().map_err(io_err)?;
    Ok(())
}

/// A Slack export ZIP whose one day file holds `n` messages with unreadable time stamps
/// (numbered, so the file compresses like real data and passes the ratio check).
fn slack_records(path: &Path, n: u64) -> crate::Result<()> {
    let mut zip = slack_zip_at_day_file(path)?;
    let mut day = std::io::BufWriter::new(&mut zip);
    day.write_all(b"[").map_err(io_err)?;
    for i in 0..n {
        let sep = if i == 0 { "" } else { "," };
        let noise = blake3::hash(&i.to_le_bytes()).to_hex();
        write!(day, r#"{sep}{{"user":"U1","ts":"bad-{}"}}"#, &noise[..12]).map_err(io_err)?;
    }
    day.write_all(b"]").map_err(io_err)?;
    day.flush().map_err(io_err)?;
    drop(day);
    zip.finish().map_err(io_err)?;
    Ok(())
}

/// Imports `path` into a fresh store and says what happened.
async fn import_once(path: &Path, name: &str, before: &'static str) -> HostileLine {
    let store = match Store::open_in_memory().await {
        Ok(s) => s,
        Err(e) => return line(name, 0.0, format!("no store: {e}"), before),
    };
    reset_peak();
    let started = Instant::now();
    let outcome = match import::import_path(&store, path, &ImportOptions::default(), &Silent).await
    {
        Ok(r) => {
            let first = r.skipped.first().map(|s| s.reason.as_str()).unwrap_or("");
            // The reason proper, after the file's name.
            let mut first = first.rsplit(" — ").next().unwrap_or(first).to_string();
            crate::limits::truncate_chars(&mut first, 100);
            format!(
                "imported {} activities; {} skip lines kept: {first}",
                r.added,
                r.skipped.len()
            )
        }
        Err(e) => {
            let mut text = e.to_string();
            crate::limits::truncate_chars(&mut text, 120);
            format!("refused: {text}")
        }
    };
    line(name, started.elapsed().as_secs_f64(), outcome, before)
}

fn line(name: &str, seconds: f64, outcome: String, before: &'static str) -> HostileLine {
    HostileLine {
        name: name.to_string(),
        seconds,
        peak_mib: peak_mib(),
        outcome,
        before,
        limit: "",
    }
}

/// A gzipped mailbox holding one message of `gib` GiB between two small ones.
fn mbox_bomb(path: &Path, gib: u64) -> crate::Result<()> {
    let file = std::fs::File::create(path).map_err(io_err)?;
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let message = |id: &str| {
        format!("From a@example.org Mon Jan  4 10:00:00 2016\nFrom: a@example.org\nMessage-ID: <{id}@x>\nDate: Mon, 4 Jan 2016 10:00:00 +0000\nSubject: {id}\n\n")
    };
    gz.write_all(message("first").as_bytes()).map_err(io_err)?;
    gz.write_all(message("huge").as_bytes()).map_err(io_err)?;
    let block = ("x".repeat(1023) + "\n").repeat(1 << 10);
    for _ in 0..(gib << 10) {
        gz.write_all(block.as_bytes()).map_err(io_err)?;
    }
    gz.write_all(b"\n\n").map_err(io_err)?;
    gz.write_all(message("last").as_bytes()).map_err(io_err)?;
    gz.finish().map_err(io_err)?;
    Ok(())
}

/// A Viva Engage export whose Messages.csv has `cols` wide columns and `rows` rows.
fn viva_wide(dir: &Path, cols: usize, rows: usize) -> crate::Result<()> {
    std::fs::create_dir_all(dir).map_err(io_err)?;
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(dir.join("Messages.csv")).map_err(io_err)?);
    let mut header = String::from("id,thread_id,sender_id,created_at");
    for c in 0..cols {
        header.push_str(&format!(",extra_column_{c:05}_{}", "w".repeat(80)));
    }
    writeln!(f, "{header}").map_err(io_err)?;
    let filler = ",v".repeat(cols);
    for r in 0..rows {
        writeln!(f, "{r},{r},7,2019-01-15T14:31:44Z{filler}").map_err(io_err)?;
    }
    f.flush().map_err(io_err)
}

/// A Slack export folder of `files` one-message day files over 200 channels.
fn slack_many_days(dir: &Path, files: usize) -> crate::Result<()> {
    std::fs::create_dir_all(dir).map_err(io_err)?;
    std::fs::write(dir.join("users.json"), r#"[{"id":"U1","name":"ana"}]"#).map_err(io_err)?;
    let channels: Vec<String> = (0..200)
        .map(|c| format!(r#"{{"id":"C{c}","name":"ch{c}"}}"#))
        .collect();
    std::fs::write(
        dir.join("channels.json"),
        format!("[{}]", channels.join(",")),
    )
    .map_err(io_err)?;
    for i in 0..files {
        let folder = dir.join(format!("ch{}", i % 200));
        std::fs::create_dir_all(&folder).map_err(io_err)?;
        let day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new((i / 200) as u64)))
            .unwrap_or_default();
        let ts = 946_684_800 + i as u64 * 60;
        std::fs::write(
            folder.join(format!("{day}.json")),
            format!(r#"[{{"type":"message","user":"U1","text":"hi","ts":"{ts}.000100"}}]"#),
        )
        .map_err(io_err)?;
    }
    Ok(())
}

/// 300 segments of one device, each sealed with its own salt, in a shared folder.
async fn salted_folder(shared: &Path) -> crate::Result<String> {
    use crate::sync::apply::Change;
    use crate::sync::segment::{self, Keys};
    let device = "01930000-0000-7000-8000-0000000a1700";
    let dir = shared.join(device);
    std::fs::create_dir_all(&dir).map_err(io_err)?;
    for seq in 1..=300i64 {
        let c = Change {
            device: device.into(),
            seq,
            hlc: (chrono::Utc::now().timestamp_millis() << 16) + seq,
            base: 0,
            tbl: "members".into(),
            row_key: "nobody".into(),
            col: "notes".into(),
            value: "\"x\"".into(),
            schema: crate::sync::SCHEMA,
        };
        let salt = crate::sync::crypto::random::<16>();
        let bytes = segment::encode(
            &[c],
            crate::sync::SCHEMA,
            &mut Keys::new(Some("bench words")),
            &salt,
            None,
        )?;
        let name = format!("{seq:012}-{seq:012}-{:08x}.tseg", seq);
        std::fs::write(dir.join(name), bytes).map_err(io_err)?;
    }
    Ok(device.to_string())
}

/// What a kit or the report may cost, whatever the names in it (issue 28).
const DOCUMENT_LIMIT: &str = "600 MB, 30 s";

/// What an attendance report may cost to import, however wide (issue 28).
const IMPORT_LIMIT: &str = "400 MB";

/// The header of the attendance reports below, and one attendee's cells.
const ATTENDANCE_HEAD: &str =
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)";
const ATTENDEE: &str = "Ana,ana@example.org,11/19/2021 9:54:15 AM,11/19/2021 10:54:15 AM,60";

/// A Zoom participant report whose header and three attendee rows run to `columns`
/// columns.
fn attendance_wide(path: &Path, columns: usize) -> crate::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).map_err(io_err)?);
    write!(f, "{ATTENDANCE_HEAD}").map_err(io_err)?;
    for c in 0..columns {
        write!(f, ",extra {c:07}").map_err(io_err)?;
    }
    for who in ["ana", "bo", "cy"] {
        write!(f, "\n{}", ATTENDEE.replace("ana", who)).map_err(io_err)?;
        for c in 0..columns {
            write!(f, ",{c}").map_err(io_err)?;
        }
    }
    writeln!(f).map_err(io_err)?;
    f.flush().map_err(io_err)
}

/// A Zoom participant report whose one attendee row goes on with `bytes` commas.
fn attendance_commas(path: &Path, bytes: usize) -> crate::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).map_err(io_err)?);
    write!(f, "{ATTENDANCE_HEAD}\n{ATTENDEE}").map_err(io_err)?;
    let block = vec![b','; 1 << 20];
    for _ in 0..bytes >> 20 {
        f.write_all(&block).map_err(io_err)?;
    }
    writeln!(f).map_err(io_err)?;
    f.flush().map_err(io_err)
}

/// The worst name the rule for names lets in: `chars` characters, each letter carrying the
/// most combining marks kept.
fn worst_allowed_name(chars: usize) -> String {
    let marks: &[char] = &('\u{0300}'..='\u{036F}').collect::<Vec<_>>();
    let letter = crate::limits::MAX_MARKS_PER_BASE + 1;
    (0..chars / letter)
        .flat_map(|i| {
            let base = char::from(b'a' + (i % 26) as u8);
            std::iter::once(base).chain(
                (0..crate::limits::MAX_MARKS_PER_BASE)
                    .map(move |m| marks[(i * 7 + m) % marks.len()]),
            )
        })
        .collect()
}

/// A demo community whose members `which` (an SQL condition on `members`) are all named
/// `name`, written straight into the database as one from before the rule would hold it.
async fn named_community(
    until: chrono::NaiveDate,
    which: &str,
    name: &str,
) -> crate::Result<Store> {
    let store = Store::open_in_memory().await?;
    let cfg = crate::demo::DemoConfig {
        members: 120,
        months: 3,
        seed: 7,
        until,
        ..crate::demo::DemoConfig::default()
    };
    crate::demo::generate(&store, &cfg).await?;
    let mut conn = store.local_writer().await?;
    // `which` is one of this file's fixed conditions.
    sqlx::query(&format!(
        "UPDATE members SET display_name = ?, preferred_name = NULL WHERE {which}"
    ))
    .bind(name)
    .execute(&mut *conn)
    .await?;
    drop(conn);
    Ok(store)
}

/// Builds the kit of the last month's newcomers and the report of the last 30 days as PDF,
/// each timed with its peak memory.
async fn pdfs(
    store: &Store,
    until: chrono::NaiveDate,
    what: &str,
    before: [&'static str; 2],
) -> crate::Result<Vec<HostileLine>> {
    use crate::kit::{self, Audience, KitRequest};
    let req = KitRequest {
        template: None,
        audience: Audience::Cohort(until.format("%Y-%m").to_string()),
        lang: None,
        drop_resources: Vec::new(),
    };
    reset_peak();
    let started = Instant::now();
    let kit = kit::build(store, &req, until).await?;
    let pdf = kit::export::bytes(&kit, kit::export::Format::Pdf)?;
    let mut kit_line = line(
        &format!("kit PDF, {what}"),
        started.elapsed().as_secs_f64(),
        format!("{} KB", pdf.len() >> 10),
        before[0],
    );
    kit_line.limit = DOCUMENT_LIMIT;
    let lens = crate::health::Lens::whole(crate::health::Period::days_to(until, 30));
    reset_peak();
    let started = Instant::now();
    let report = crate::report::build(store, &lens, &Default::default()).await?;
    let pdf = crate::report::pdf::render(&report)?;
    let mut report_line = line(
        &format!("report PDF, {what}"),
        started.elapsed().as_secs_f64(),
        format!("{} KB", pdf.len() >> 10),
        before[1],
    );
    report_line.limit = DOCUMENT_LIMIT;
    Ok(vec![kit_line, report_line])
}

/// Kits and reports naming every member by the worst name allowed, and a community
/// whose leader, facilitators, sponsor and champions were named with 20,000 combining
/// marks before names had a rule (an old database, or a teammate's old laptop).
async fn documents_of_hostile_names() -> crate::Result<Vec<HostileLine>> {
    let until = crate::time::today() - chrono::Days::new(1);
    let allowed = worst_allowed_name(crate::limits::MAX_NAME_CHARS);
    let store = named_community(until, "1 = 1", &allowed).await?;
    let mut out = pdfs(
        &store,
        until,
        "every member named with 200 characters of the most marks allowed",
        ["—", "—"],
    )
    .await?;
    store.close().await;
    let marks: String = std::iter::repeat_n('\u{0301}', 20_000).collect();
    let which = "role IN ('leader', 'facilitator', 'sponsor', 'champion')";
    let store = named_community(until, which, &marks).await?;
    out.extend(
        pdfs(
            &store,
            until,
            "names of 20,000 combining marks stored before the rule",
            [
                "one such name: 6.4 GB; four, through sync: 13.6 GB, 29 s",
                "one such name: 3.2 GB",
            ],
        )
        .await?,
    );
    store.close().await;
    Ok(out)
}

/// A shared folder where one laptop published a small community, jammed by a stranger with
/// 10,001 one-byte files named as that laptop's next changes and 20,000 empty folders.
async fn jammed_folder(shared: &Path) -> crate::Result<()> {
    std::fs::create_dir_all(shared).map_err(io_err)?;
    let laptop = Store::open_in_memory().await?;
    let cfg = crate::demo::DemoConfig {
        members: 40,
        months: 2,
        ..Default::default()
    };
    crate::demo::generate(&laptop, &cfg).await?;
    let r = crate::sync::folder::sync(&laptop, shared, None).await?;
    let next = crate::sync::status::status(&laptop).await?.changes + 1;
    for i in 0..10_001i64 {
        let name = format!("{next:012}-{:012}-{i:08x}.tseg", next + i % 3);
        std::fs::write(shared.join(&r.device).join(name), b"x").map_err(io_err)?;
    }
    for i in 0..20_000 {
        std::fs::create_dir(shared.join(format!("0000-{i:05}"))).map_err(io_err)?;
    }
    laptop.close().await;
    Ok(())
}

/// A new laptop syncing twice with a jammed folder ([`jammed_folder`]).
async fn jammed_syncs(shared: &Path) -> crate::Result<Vec<HostileLine>> {
    jammed_folder(shared).await?;
    let store = Store::open_in_memory().await?;
    let mut out = Vec::new();
    for round in ["first", "second"] {
        reset_peak();
        let started = Instant::now();
        let r = crate::sync::folder::sync(&store, shared, None).await?;
        let members = crate::members::list(&store, &Default::default())
            .await?
            .len();
        out.push(line(
            &format!(
                "sync folder jammed by 10,001 junk files and 20,000 empty folders ({round} sync)"
            ),
            started.elapsed().as_secs_f64(),
            format!(
                "{members} members arrived; {} lines of set-aside files",
                r.skipped.len()
            ),
            "the laptop's changes never arrived; 10,000 lines each sync",
        ));
    }
    store.close().await;
    Ok(out)
}

/// Makes every hostile input under `dir` (GiB-sized ones of `gib` GiB) and reads each.
pub async fn run(dir: &Path, gib: u64) -> crate::Result<Vec<HostileLine>> {
    std::fs::create_dir_all(dir).map_err(io_err)?;
    let mut out = Vec::new();
    let zip = dir.join("day-bomb.zip");
    slack_bomb(&zip, b"0,", gib << 29, b"0]")?;
    let name = format!("Slack ZIP, one day file of {gib} GiB of [0,0,…]");
    out.push(
        import_once(
            &zip,
            &name,
            "10 GiB: read until memory ran out; 64 MB: aborted at 3 GB",
        )
        .await,
    );
    let zip = dir.join("skips.zip");
    slack_records(&zip, 1_900_000)?;
    out.push(
        import_once(
            &zip,
            "Slack ZIP, 1.9 million bad records",
            "4 million skips stored whole: a 633 MB database, `tend imports` 3 GB",
        )
        .await,
    );
    let mbox = dir.join("bomb.mbox.gz");
    mbox_bomb(&mbox, gib)?;
    let name = format!("mbox.gz, one message of {gib} GiB");
    out.push(
        import_once(
            &mbox,
            &name,
            "10 GiB message: aborted on a 4 GiB allocation",
        )
        .await,
    );
    let viva = dir.join("viva-wide");
    viva_wide(&viva, 2_000, 20_000)?;
    out.push(
        import_once(
            &viva,
            "Viva Engage, 2,000 wide columns × 20,000 rows",
            "1.7 GB (the header copied into every row)",
        )
        .await,
    );
    let slack = dir.join("slack-80k");
    slack_many_days(&slack, 80_000)?;
    out.push(
        import_once(
            &slack,
            "Slack folder, 80,000 day files in 200 channels",
            "32 s matching channels to day files",
        )
        .await,
    );
    out.extend(documents_of_hostile_names().await?);
    let wide = dir.join("attendance-wide.csv");
    attendance_wide(&wide, 1_000_000)?;
    let mut l = import_once(
        &wide,
        "attendance CSV, 1,000,000 columns (60 MB)",
        "1.57 GB",
    )
    .await;
    l.limit = IMPORT_LIMIT;
    out.push(l);
    let commas = dir.join("attendance-commas.csv");
    attendance_commas(&commas, 126 << 20)?;
    let mut l = import_once(&commas, "attendance CSV, 126 MiB of commas", "3.38 GB").await;
    l.limit = IMPORT_LIMIT;
    out.push(l);
    let shared = dir.join("shared");
    salted_folder(&shared).await?;
    // As after a restart: no key derived yet (making the folder derived every one).
    crate::sync::segment::forget_cached_keys();
    let store = Store::open_in_memory().await?;
    for round in ["first", "second"] {
        reset_peak();
        let started = Instant::now();
        let r = crate::sync::folder::sync(&store, &shared, Some("bench words")).await?;
        out.push(line(
            &format!("sync folder, 300 segments with 300 salts ({round} sync)"),
            started.elapsed().as_secs_f64(),
            format!(
                "applied {}, {} set aside for a later sync",
                r.applied,
                r.skipped.len()
            ),
            "7 s every sync (Argon2 per salt, keys cached within one sync)",
        ));
    }
    out.extend(jammed_syncs(&dir.join("jammed")).await?);
    Ok(out)
}
