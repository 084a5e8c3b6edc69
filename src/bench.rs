//! `tend bench import`: generates a large synthetic Slack export and mbox, imports them
//! into a fresh store, and reports messages per second and peak memory, beside the rate of
//! a bare SQLite bulk insert of the same number of rows (the physical limit).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite};

use crate::import::{self, ImportError, ImportOptions, Silent};
use crate::store::Store;
use crate::{ids, time};

/// Sizes of the benchmark.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    /// Messages in the Slack export.
    pub slack_messages: u64,
    /// Messages in the mbox.
    pub mbox_messages: u64,
    /// Where to write the generated files and databases.
    pub dir: PathBuf,
}

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct BenchLine {
    /// What was measured.
    pub name: String,
    /// Messages (or rows) processed.
    pub messages: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Messages per second.
    pub per_second: f64,
    /// Peak resident memory of the process so far, in MiB (Linux), 0 where unknown.
    pub peak_mib: f64,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Peak resident set size (VmHWM) in MiB.
pub fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

const USERS: u64 = 2000;
const CHANNELS: u64 = 20;
const PER_DAY_FILE: u64 = 1000;
const T0: u64 = 1_700_000_000;

/// Writes a Slack export folder of `messages` messages: a quarter are thread replies, a
/// tenth carry a reaction.
pub fn generate_slack(dir: &Path, messages: u64) -> Result<(), ImportError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut users = String::from("[");
    for u in 0..USERS {
        let sep = if u == 0 { "" } else { "," };
        users.push_str(&format!(
            r#"{sep}{{"id":"U{u:06}","name":"user{u}","team_id":"TBENCH","profile":{{"real_name":"User {u}","email":"user{u}@example.org"}}}}"#
        ));
    }
    users.push(']');
    std::fs::write(dir.join("users.json"), users).map_err(io(dir))?;
    let channels: Vec<String> = (0..CHANNELS)
        .map(|c| format!(r#"{{"id":"C{c:04}","name":"channel-{c}"}}"#))
        .collect();
    std::fs::write(
        dir.join("channels.json"),
        format!("[{}]", channels.join(",")),
    )
    .map_err(io(dir))?;
    let mut written = 0;
    let mut file_no = 0;
    while written < messages {
        let channel = file_no % CHANNELS;
        let day = file_no / CHANNELS;
        let folder = dir.join(format!("channel-{channel}"));
        std::fs::create_dir_all(&folder).map_err(io(&folder))?;
        let path = folder.join(format!(
            "2024-{:02}-{:02}.json",
            1 + day / 28 % 12,
            1 + day % 28
        ));
        let mut out = BufWriter::new(File::create(&path).map_err(io(&path))?);
        let n = PER_DAY_FILE.min(messages - written);
        let base = T0 + file_no * 86_400;
        write!(out, "[").map_err(io(&path))?;
        for i in 0..n {
            let ts = format!("{}.{:06}", base + i * 60, i);
            let user = (i * 7919 + file_no * 31) % USERS;
            let thread = if i % 4 == 3 {
                format!(r#","thread_ts":"{}.{:06}""#, base + (i - 3) * 60, i - 3)
            } else {
                String::new()
            };
            let reaction = if i % 10 == 0 {
                format!(
                    r#","reactions":[{{"name":"+1","users":["U{:06}"],"count":1}}]"#,
                    (user + 1) % USERS
                )
            } else {
                String::new()
            };
            let sep = if i == 0 { "" } else { "," };
            write!(out, r#"{sep}{{"type":"message","user":"U{user:06}","text":"message {i}","ts":"{ts}"{thread}{reaction}}}"#).map_err(io(&path))?;
        }
        write!(out, "]").map_err(io(&path))?;
        out.flush().map_err(io(&path))?;
        written += n;
        file_no += 1;
    }
    Ok(())
}

/// Writes an mbox of `messages` messages from 500 senders, a third of them replies.
pub fn generate_mbox(path: &Path, messages: u64) -> Result<(), ImportError> {
    let mut out = BufWriter::new(File::create(path).map_err(io(path))?);
    for i in 0..messages {
        let sender = i % 500;
        let when = chrono::DateTime::from_timestamp((T0 + i * 300) as i64, 0).unwrap_or_default();
        let date = when.format("%a, %d %b %Y %H:%M:%S +0000");
        let reply = if i % 3 == 2 {
            format!("In-Reply-To: <m{}@bench>\n", i - 1)
        } else {
            String::new()
        };
        write!(
            out,
            "From sender{sender}@example.org {}\nFrom: Sender {sender} <sender{sender}@example.org>\nDate: {date}\nSubject: Topic {}\nMessage-ID: <m{i}@bench>\n{reply}\nBody of message {i}.\n\n",
            when.format("%a %b %e %H:%M:%S %Y"),
            i / 3
        )
        .map_err(io(path))?;
    }
    out.flush().map_err(io(path))
}

fn line(name: &str, messages: u64, started: Instant) -> BenchLine {
    let seconds = started.elapsed().as_secs_f64();
    BenchLine {
        name: name.into(),
        messages,
        seconds,
        per_second: messages as f64 / seconds.max(1e-9),
        peak_mib: peak_mib(),
    }
}

/// Inserts `rows` activity rows straight into a fresh store, in batches, in one transaction.
async fn bare_insert(dir: &Path, rows: u64) -> Result<(), ImportError> {
    let store = Store::open(&dir.join("bare.db")).await?;
    let mut tx = store.pool().begin().await?;
    let source = ids::derived(&["source", "bench"]);
    let member = ids::derived(&["member", "bench"]);
    sqlx::query("INSERT INTO sources (id, kind, name, created_at) VALUES (?, 'csv', 'bench', ?)")
        .bind(&source)
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO members (id, display_name, created_at, updated_at) VALUES (?, 'b', '', '')",
    )
    .bind(&member)
    .execute(&mut *tx)
    .await?;
    let mut i = 0;
    while i < rows {
        let n = 256.min(rows - i);
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO activities (id, source_id, external_id, member_id, kind, occurred_at) ",
        );
        q.push_values(i..i + n, |mut b, k| {
            let ext = format!("m{k}");
            b.push_bind(ids::derived(&["activity", &source, &ext]))
                .push_bind(&source)
                .push_bind(ext)
                .push_bind(&member)
                .push_bind("post")
                .push_bind("2024-01-01T00:00:00Z");
        });
        q.build().execute(&mut *tx).await?;
        i += n;
    }
    tx.commit().await?;
    store.close().await;
    Ok(())
}

/// Runs the whole benchmark.
pub async fn run(cfg: &BenchConfig) -> Result<Vec<BenchLine>, ImportError> {
    let mut lines = Vec::new();
    let slack = cfg.dir.join("slack-export");
    let started = Instant::now();
    generate_slack(&slack, cfg.slack_messages)?;
    lines.push(line("generate Slack export", cfg.slack_messages, started));

    let store = Store::open(&cfg.dir.join("bench.db")).await?;
    let started = Instant::now();
    import::import_path(&store, &slack, &ImportOptions::default(), &Silent).await?;
    lines.push(line("import Slack export", cfg.slack_messages, started));
    // The import leaves its rows' change records to the next sync; what that costs, once.
    let started = Instant::now();
    crate::sync::prepare(&store).await?;
    lines.push(line(
        "change records at the next sync (if syncing)",
        cfg.slack_messages,
        started,
    ));

    let started = Instant::now();
    bare_insert(&cfg.dir, cfg.slack_messages).await?;
    lines.push(line(
        "bare SQLite bulk insert (same row count)",
        cfg.slack_messages,
        started,
    ));

    let mbox = cfg.dir.join("list.mbox");
    generate_mbox(&mbox, cfg.mbox_messages)?;
    let started = Instant::now();
    import::import_path(&store, &mbox, &ImportOptions::default(), &Silent).await?;
    lines.push(line("import mbox", cfg.mbox_messages, started));
    store.close().await;
    Ok(lines)
}
