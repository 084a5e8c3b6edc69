//! `tend bench import`: generates a large synthetic Slack export and mbox, imports them
//! into a fresh store, and prints each figure beside its target (issue #15): messages per
//! second against a bare bulk insert of as many minimal rows into SQLite (the physical
//! limit), bytes of database per activity before and after a sync, the first health
//! computation against the import's time, peak memory, and the mbox import against
//! GrimoireLab's perceval parsing the same file, when perceval is installed. Figures are
//! printed, never asserted.

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

/// One measured figure, beside its target.
#[derive(Debug, Clone, Serialize)]
pub struct BenchLine {
    /// What was measured.
    pub name: String,
    /// Messages (or rows) processed, where the figure is a rate.
    pub messages: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// The figure.
    pub value: f64,
    /// Its unit: `msgs/s`, `bytes/activity`, `×`, `s`.
    pub unit: String,
    /// The target, if the figure has one.
    pub target: Option<Target>,
    /// Peak resident memory of the process during this step, in MiB (Linux), 0 where
    /// unknown.
    pub peak_mib: f64,
}

/// A figure's target.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Target {
    /// The bound.
    pub bound: f64,
    /// Whether the figure must reach it (`true`) or stay under it.
    pub at_least: bool,
}

impl Target {
    /// At least `bound`.
    pub fn at_least(bound: f64) -> Option<Target> {
        Some(Target {
            bound,
            at_least: true,
        })
    }

    /// At most `bound`.
    pub fn at_most(bound: f64) -> Option<Target> {
        Some(Target {
            bound,
            at_least: false,
        })
    }

    /// Whether `value` meets it.
    pub fn met(&self, value: f64) -> bool {
        if self.at_least {
            value >= self.bound
        } else {
            value <= self.bound
        }
    }
}

impl BenchLine {
    /// The line as printed: the figure, the target and whether it was met.
    pub fn render(&self) -> String {
        let target = match self.target {
            Some(t) => format!(
                "target {} {:<9} {}",
                if t.at_least { "≥" } else { "≤" },
                figure(t.bound),
                if t.met(self.value) { "ok" } else { "MISSED" }
            ),
            None => String::new(),
        };
        format!(
            "{:<52} {:>11} {:<15} {:>8.2} s  peak {:>6.0} MiB  {target}",
            self.name,
            figure(self.value),
            self.unit,
            self.seconds,
            self.peak_mib
        )
    }
}

/// A number as printed: thousands grouped, two decimals below 10.
fn figure(v: f64) -> String {
    if v.abs() < 10.0 {
        return format!("{v:.2}");
    }
    let digits = format!("{:.0}", v);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 && c != '-' {
            out.push(',');
        }
        out.push(c);
    }
    out
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

/// A rate line: `messages` in the time since `started`.
fn rate(name: &str, messages: u64, started: Instant, target: Option<Target>) -> BenchLine {
    let seconds = started.elapsed().as_secs_f64();
    BenchLine {
        name: name.into(),
        messages,
        seconds,
        value: messages as f64 / seconds.max(1e-9),
        unit: "msgs/s".into(),
        target,
        peak_mib: peak_mib(),
    }
}

/// A line of another figure (its peak memory: the process's since the last [`reset_peak`]).
pub(crate) fn other(
    name: &str,
    value: f64,
    unit: &str,
    seconds: f64,
    target: Option<Target>,
) -> BenchLine {
    BenchLine {
        name: name.into(),
        messages: 0,
        seconds,
        value,
        unit: unit.into(),
        target,
        peak_mib: peak_mib(),
    }
}

/// Removes the database at `path` and its WAL files, left by an earlier run in the same
/// `--dir`: an import into them would measure a re-import, which adds nothing.
fn fresh(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}

/// Inserts `rows` minimal activity-shaped rows (a plain table of a few columns with one
/// unique index) into a fresh database in one transaction, 256 a statement: what SQLite
/// itself can do, the reference for the import's rate.
async fn bare_insert(dir: &Path, rows: u64) -> Result<(), ImportError> {
    let path = dir.join("bare.db");
    fresh(&path);
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        // The store's page size, so both sides of the ratio write alike.
        .page_size(crate::store::PAGE_BYTES)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
    let mut conn = sqlx::ConnectOptions::connect(&options).await?;
    sqlx::query(
        "CREATE TABLE bare (n INTEGER PRIMARY KEY, gid BLOB NOT NULL UNIQUE, member INTEGER NOT NULL,
         kind INTEGER NOT NULL, at INTEGER NOT NULL)",
    )
    .execute(&mut conn)
    .await?;
    let mut tx = sqlx::Connection::begin(&mut conn).await?;
    for low in (0..rows).step_by(256) {
        let mut q: sqlx::QueryBuilder<sqlx::Sqlite> =
            sqlx::QueryBuilder::new("INSERT INTO bare (gid, member, kind, at) ");
        q.push_values(low..(low + 256).min(rows), |mut b, i| {
            let gid = crate::ids::derived_bytes(&["bare", &i.to_string()]);
            b.push_bind(gid.to_vec())
                .push_bind((i % 2000) as i64)
                .push_bind((i % 3) as i64)
                .push_bind((T0 + i * 60) as i64);
        });
        q.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    sqlx::Connection::close(conn).await?;
    Ok(())
}

/// Sends `store`'s records to a shared folder and has a fresh laptop take them: how fast,
/// and what its database costs per activity.
async fn second_laptop(cfg: &BenchConfig, store: &Store) -> Result<Vec<BenchLine>, ImportError> {
    let shared = cfg.dir.join("shared");
    let _ = std::fs::remove_dir_all(&shared);
    std::fs::create_dir_all(&shared).map_err(io(&shared))?;
    crate::sync::folder::sync(store, &shared, None).await?;
    let db = cfg.dir.join("laptop-b.db");
    fresh(&db);
    let other_laptop = Store::open(&db).await?;
    reset_peak();
    let started = Instant::now();
    crate::sync::folder::sync(&other_laptop, &shared, None).await?;
    let took = rate(
        "a second laptop takes it from a shared folder",
        cfg.slack_messages,
        started,
        None,
    );
    let (bytes, _) = bytes_per_activity(&other_laptop, &db).await?;
    other_laptop.close().await;
    let size = other(
        "database per activity on that laptop",
        bytes,
        "bytes/activity",
        0.0,
        Target::at_most(240.0),
    );
    Ok(vec![took, size])
}

/// Bytes of `store`'s database file per activity, after a WAL checkpoint.
async fn bytes_per_activity(store: &Store, path: &Path) -> Result<(f64, i64), ImportError> {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *store.local_writer().await?)
        .await?;
    let acts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity")
        .fetch_one(store.pool())
        .await?;
    let bytes = std::fs::metadata(path).map_err(io(path))?.len();
    Ok((bytes as f64 / acts.max(1) as f64, acts))
}

/// Seconds perceval (GrimoireLab) takes to parse `mbox`, if it is installed.
fn perceval_seconds(mbox: &Path) -> Option<f64> {
    let dir = mbox.parent()?.join("perceval-mbox");
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::copy(mbox, dir.join("list.mbox")).ok()?;
    let script = "import sys, time\nfrom perceval.backends.core.mbox import MBox\n\
        t = time.perf_counter()\nn = sum(1 for _ in MBox('bench', sys.argv[1]).fetch())\n\
        print(time.perf_counter() - t, n)";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&dir)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().next()?.parse().ok()
}

/// Runs the whole benchmark.
pub async fn run(cfg: &BenchConfig) -> Result<Vec<BenchLine>, ImportError> {
    let mut lines = Vec::new();
    let slack = cfg.dir.join("slack-export");
    reset_peak();
    let started = Instant::now();
    generate_slack(&slack, cfg.slack_messages)?;
    lines.push(rate(
        "generate Slack export",
        cfg.slack_messages,
        started,
        None,
    ));

    let db = cfg.dir.join("bench.db");
    fresh(&db);
    let store = Store::open(&db).await?;
    reset_peak();
    let started = Instant::now();
    import::import_path(&store, &slack, &ImportOptions::default(), &Silent).await?;
    let import = rate(
        "import Slack export",
        cfg.slack_messages,
        started,
        Target::at_least(100_000.0),
    );
    lines.push(other(
        "peak memory of the Slack import",
        import.peak_mib,
        "MiB",
        import.seconds,
        Target::at_most(400.0),
    ));
    let (import_rate, import_seconds) = (import.value, import.seconds);
    lines.insert(1, import);

    let (bytes, acts) = bytes_per_activity(&store, &db).await?;
    lines.push(other(
        &format!("database per activity ({acts} activities)"),
        bytes,
        "bytes/activity",
        0.0,
        Target::at_most(120.0),
    ));

    reset_peak();
    let started = Instant::now();
    let lens = crate::health::Lens::whole(crate::health::Period::days_to(crate::time::today(), 30));
    crate::health::compute(&store, &lens).await?;
    let health = started.elapsed().as_secs_f64();
    lines.push(other(
        "first health computation, share of the import's time",
        health / import_seconds.max(1e-9),
        "× import time",
        health,
        Target::at_most(0.2),
    ));

    reset_peak();
    let started = Instant::now();
    bare_insert(&cfg.dir, acts.max(0) as u64).await?;
    // Counted per message, as the import is: as many rows as those messages became.
    let bare = rate(
        "bare SQLite insert of as many minimal rows",
        cfg.slack_messages,
        started,
        None,
    );
    lines.push(other(
        "import rate as a share of the bare insert's",
        import_rate / bare.value.max(1e-9),
        "×",
        0.0,
        Target::at_least(0.5),
    ));
    lines.insert(lines.len() - 1, bare);

    // The import leaves its rows' change records to the next sync; what that costs, once.
    reset_peak();
    let started = Instant::now();
    crate::sync::prepare(&store).await?;
    lines.push(rate(
        "change records at the next sync (if syncing)",
        cfg.slack_messages,
        started,
        None,
    ));
    let (synced, _) = bytes_per_activity(&store, &db).await?;
    lines.push(other(
        "database per activity, once synced",
        synced,
        "bytes/activity",
        0.0,
        Target::at_most(240.0),
    ));
    lines.extend(second_laptop(cfg, &store).await?);
    store.close().await;

    let mbox = cfg.dir.join("list.mbox");
    generate_mbox(&mbox, cfg.mbox_messages)?;
    let mbox_db = cfg.dir.join("mbox.db");
    fresh(&mbox_db);
    let store = Store::open(&mbox_db).await?;
    reset_peak();
    let started = Instant::now();
    import::import_path(&store, &mbox, &ImportOptions::default(), &Silent).await?;
    let mbox_line = rate("import mbox", cfg.mbox_messages, started, None);
    let ours = mbox_line.seconds;
    lines.push(mbox_line);
    store.close().await;
    if let Some(theirs) = perceval_seconds(&mbox) {
        lines.push(other(
            "perceval parsing the same mbox (parse only)",
            cfg.mbox_messages as f64 / theirs.max(1e-9),
            "msgs/s",
            theirs,
            None,
        ));
        lines.push(other(
            "mbox import, times faster than perceval",
            theirs / ours.max(1e-9),
            "×",
            0.0,
            Target::at_least(25.0),
        ));
    }
    Ok(lines)
}
