//! `tend bench import`: generates a large synthetic Slack export and mbox, imports them
//! into a fresh store, and reports messages per second and peak memory, beside the cost of
//! their change records at the next sync and the rate of a bare SQLite insert of the rows
//! the import wrote (the physical limit).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::import::{self, ImportError, ImportOptions, Silent};
use crate::store::Store;

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
    /// Peak resident memory of the process during this step, in MiB (Linux), 0 where
    /// unknown.
    pub peak_mib: f64,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Starts measuring peak memory afresh (Linux: resets VmHWM to the present size), so that
/// a step's peak is its own, not an earlier step's memory that the allocator kept.
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
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

/// Copies the activities an import wrote into `from` to a fresh store, 256 rows a
/// statement in one transaction begun as an import's is: the same rows, the same schema,
/// the same batches, without reading any export.
async fn bare_insert(dir: &Path, from: &Path) -> Result<(), ImportError> {
    let store = Store::open(&dir.join("bare.db")).await?;
    let mut conn = store.pool().acquire().await?;
    sqlx::query("ATTACH DATABASE ? AS src")
        .bind(from.display().to_string())
        .execute(&mut *conn)
        .await?;
    let last: i64 = sqlx::query_scalar("SELECT IFNULL(MAX(rowid), 0) FROM src.activities")
        .fetch_one(&mut *conn)
        .await?;
    let mut tx = sqlx::Connection::begin_with(&mut *conn, crate::store::UNCHECKED_BEGIN).await?;
    for low in (0..last).step_by(256) {
        sqlx::query(
            "INSERT OR IGNORE INTO activities SELECT * FROM src.activities WHERE rowid > ? AND rowid <= ? ORDER BY rowid",
        )
        .bind(low)
        .bind(low + 256)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    sqlx::query("DETACH DATABASE src")
        .execute(&mut *conn)
        .await?;
    drop(conn);
    store.close().await;
    Ok(())
}

/// Runs the whole benchmark.
pub async fn run(cfg: &BenchConfig) -> Result<Vec<BenchLine>, ImportError> {
    let mut lines = Vec::new();
    let slack = cfg.dir.join("slack-export");
    reset_peak();
    let started = Instant::now();
    generate_slack(&slack, cfg.slack_messages)?;
    lines.push(line("generate Slack export", cfg.slack_messages, started));

    let store = Store::open(&cfg.dir.join("bench.db")).await?;
    reset_peak();
    let started = Instant::now();
    import::import_path(&store, &slack, &ImportOptions::default(), &Silent).await?;
    lines.push(line("import Slack export", cfg.slack_messages, started));
    // The import leaves its rows' change records to the next sync; what that costs, once.
    reset_peak();
    let started = Instant::now();
    crate::sync::prepare(&store).await?;
    lines.push(line(
        "change records at the next sync (if syncing)",
        cfg.slack_messages,
        started,
    ));

    reset_peak();
    let started = Instant::now();
    // Counted per message, as the import is: the rows those messages became.
    bare_insert(&cfg.dir, &cfg.dir.join("bench.db")).await?;
    lines.push(line(
        "bare SQLite insert of those rows",
        cfg.slack_messages,
        started,
    ));

    let mbox = cfg.dir.join("list.mbox");
    generate_mbox(&mbox, cfg.mbox_messages)?;
    reset_peak();
    let started = Instant::now();
    import::import_path(&store, &mbox, &ImportOptions::default(), &Silent).await?;
    lines.push(line("import mbox", cfg.mbox_messages, started));
    store.close().await;
    Ok(lines)
}
