//! The embedded SQLite store: where it lives, how it is opened, and its migrations.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::error::{Error, Result};

/// The environment variable that overrides the database path.
pub const DB_ENV: &str = "TEND_DB";

/// Values kept per store by type.
type Kept = std::collections::HashMap<std::any::TypeId, Arc<dyn std::any::Any + Send + Sync>>;

/// An open Tend database with its schema up to date.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    clock_offset_ms: Arc<AtomicI64>,
    /// What modules above keep per store (the health index), by type: the store does not
    /// know them.
    kept: Arc<std::sync::Mutex<Kept>>,
    secrets: Arc<crate::secrets::Vault>,
    sync_turn: Arc<tokio::sync::Mutex<()>>,
}

/// The default database path: `$XDG_DATA_HOME/tend/tend.db` (Linux:
/// `~/.local/share/tend/tend.db`), or `./tend.db` where the OS has no data directory.
pub fn default_path() -> PathBuf {
    dirs::data_dir()
        .map(|d| d.join("tend").join("tend.db"))
        .unwrap_or_else(|| PathBuf::from("tend.db"))
}

/// Makes the database's folder (mode 700 when Tend creates it, or when it is Tend's own
/// data folder) and the database file (mode 600) private to this account before SQLite
/// opens it, tightening those an older Tend made readable by every account.
fn private_files(path: &Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        let existed = parent.exists();
        std::fs::create_dir_all(parent)?;
        let own = default_path().parent() == Some(parent);
        if !existed || own {
            crate::secrets::set_mode(parent, 0o700)?;
        }
    }
    if !path.exists() {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(path)?;
    }
    crate::secrets::set_mode(path, 0o600)
}

/// The path to use: the explicit one, else `TEND_DB`, else [`default_path`].
pub fn resolve_path(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    match std::env::var_os(DB_ENV) {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => default_path(),
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Store> {
        let open_err = |source: Box<dyn std::error::Error + Send + Sync>| Error::Open {
            path: path.to_path_buf(),
            source,
        };
        private_files(path).map_err(|e| open_err(Box::new(e)))?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .page_size(PAGE_BYTES)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 64 MiB of page cache: imports insert into B-trees keyed by random UUIDs, and
            // SQLite's 2 MiB default turns that into disk thrash past a few 100k rows.
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory")
            // What is deleted or overwritten is zeroed in the file, not left in free space
            // for anyone with a copy of it to read (an erased member, a moved secret).
            .pragma("secure_delete", "ON");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .after_connect(read_only)
            .after_release(checks_back_on)
            .connect_with(options)
            .await
            .map_err(|e| open_err(Box::new(e)))?;
        // The WAL and its index appear on first use: tighten them too (SQLite gives them
        // the database file's mode, but files of an older Tend may be there already).
        for suffix in ["-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let _ = crate::secrets::set_mode(Path::new(&name), 0o600);
        }
        let vault = crate::secrets::Vault::beside(path);
        let (store, migrated) = Self::migrated(pool, vault, Some(path)).await?;
        let moved = store.move_secrets_out().await?;
        if migrated || moved || !store.wiped().await? {
            store.wipe_free_pages().await?;
        }
        Ok(store)
    }

    /// Moves secrets an older Tend kept in the settings table into the vault; whether it
    /// moved any.
    async fn move_secrets_out(&self) -> Result<bool> {
        let mut moved = false;
        for key in crate::secrets::FORMERLY_SETTINGS {
            let value: Option<String> =
                sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await?;
            if let Some(v) = value {
                self.secrets.set(key, Some(&v))?;
                // Never synced (settings sync only the shared playbook): no change record.
                sqlx::query("DELETE FROM settings WHERE key = ?")
                    .bind(key)
                    .execute(&mut *self.local_writer().await?)
                    .await?;
                moved = true;
            }
        }
        Ok(moved)
    }

    /// Whether this database's free pages were wiped since Tend began zeroing what it
    /// deletes (`secure_delete`): until then, what an older Tend deleted (a merged member's
    /// row, a secret it moved out) may still lie in them. Kept as SQLite's `user_version`,
    /// which nothing else uses.
    async fn wiped(&self) -> Result<bool> {
        let version: i64 = sqlx::query_scalar("PRAGMA user_version")
            .fetch_one(&self.pool)
            .await?;
        Ok(version >= WIPED_VERSION)
    }

    /// Rewrites the database file without free pages (`VACUUM`) and empties the write-ahead
    /// log into it, so that nothing deleted or overwritten before (an erased member's data,
    /// secrets an older Tend kept) stays in the file's bytes. Run after an erasure and after
    /// an upgrade; it takes about as long as copying the file once. The copy is built in a
    /// temporary file, not in memory. If a reader holds the log, it is emptied when the
    /// last connection closes.
    pub async fn wipe_free_pages(&self) -> Result<()> {
        let mut conn = self.local_writer().await?;
        sqlx::query("PRAGMA temp_store = FILE")
            .execute(&mut *conn)
            .await?;
        let vacuumed = sqlx::query("VACUUM").execute(&mut *conn).await;
        sqlx::query("PRAGMA temp_store = MEMORY")
            .execute(&mut *conn)
            .await?;
        vacuumed?;
        sqlx::query(&format!("PRAGMA user_version = {WIPED_VERSION}"))
            .execute(&mut *conn)
            .await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Where this store keeps its secrets (never in the database).
    pub fn secrets(&self) -> &crate::secrets::Vault {
        &self.secrets
    }

    /// A private in-memory database, for tests.
    pub async fn open_in_memory() -> Result<Store> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        // One connection: every connection to `:memory:` is a database of its own.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(read_only)
            .after_release(checks_back_on)
            .connect_with(options)
            .await?;
        Ok(
            Self::migrated(pool, crate::secrets::Vault::in_memory(), None)
                .await?
                .0,
        )
    }

    /// Applies pending migrations on one connection with foreign-key checks off: a migration
    /// that rebuilds a table (new table, copy, drop, rename, as SQLite documents) must not
    /// let the drop's implicit delete touch the rows that refer to it, and the pragma is
    /// ignored inside the transaction sqlx runs each migration in. Each migration checks
    /// what it copies itself. Says whether any migration ran (a table rebuilt or dropped
    /// leaves its old pages free).
    async fn migrated(
        pool: SqlitePool,
        secrets: crate::secrets::Vault,
        file: Option<&Path>,
    ) -> Result<(Store, bool)> {
        let migrated = {
            let mut conn = pool.acquire().await?;
            sqlx::query("PRAGMA query_only = OFF; PRAGMA foreign_keys = OFF")
                .execute(&mut *conn)
                .await?;
            let before = applied_versions(&mut conn).await?;
            let migrator = sqlx::migrate!("./migrations");
            refuse_newer(&migrator, &before, file)?;
            if let Some(path) = file {
                keep_copy(&mut conn, &migrator, &before, path).await?;
            }
            let ran = migrator.run(&mut *conn).await;
            sqlx::query("PRAGMA foreign_keys = ON")
                .execute(&mut *conn)
                .await?;
            ran?;
            applied_versions(&mut conn).await?.len() != before.len()
        };
        let store = Store {
            pool,
            clock_offset_ms: Arc::new(AtomicI64::new(0)),
            kept: Arc::default(),
            secrets: Arc::new(secrets),
            sync_turn: Arc::default(),
        };
        Ok((store, migrated))
    }

    /// Waits for any other team sync of this database in this process to finish, and holds
    /// the turn until the guard drops: two syncs at once (the app's *Save* and *Sync now*,
    /// or the watch loop) would each see the other's fresh segment as a stranger's.
    pub async fn sync_turn(&self) -> tokio::sync::OwnedMutexGuard<()> {
        self.sync_turn.clone().lock_owned().await
    }

    /// This laptop's wall clock in Unix milliseconds, as team sync reads it.
    pub fn wall_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis() + self.clock_offset_ms.load(Ordering::Relaxed)
    }

    /// Puts this store's sync clock `ms` off the real time: simulates a laptop whose clock
    /// is wrong (`tend sync --clock-offset`, and the tests).
    pub fn set_clock_offset_ms(&self, ms: i64) {
        self.clock_offset_ms.store(ms, Ordering::Relaxed);
    }

    /// A write transaction, begun `IMMEDIATE`: it takes the write lock at once, so an edit
    /// that reads before it writes waits for a sync running beside it instead of failing.
    /// Only sync itself and the demo's removal use it bare: every other change to a synced
    /// table goes through `sync::capture::Edit`, which owns one of these.
    pub(crate) async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with(WRITE_BEGIN).await?)
    }

    /// A write transaction like [`Store::write`] with foreign-key checks off, for an import
    /// that keeps its references right itself and checks them before it commits: with them
    /// on, SQLite copies every page a multi-row INSERT touches into a statement journal, in
    /// case the statement must be undone alone. Its page cache is 256 MiB instead of 64, as
    /// a large import inserts into six B-trees keyed by random ids. The connection gets the
    /// checks and the usual cache back when it returns to the pool (`after_release`),
    /// whether the transaction committed or not.
    pub(crate) async fn write_unchecked(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with(UNCHECKED_BEGIN).await?)
    }

    /// The `T` kept for this store, made with `T::default()` the first time (the health
    /// index's cache, `health::load`).
    pub(crate) fn kept<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let slot = kept
            .entry(std::any::TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()));
        // The entry for T's TypeId always holds a T.
        Arc::clone(slot)
            .downcast::<T>()
            .unwrap_or_else(|_| Arc::new(T::default()))
    }

    /// The connection pool, for reading: its connections are read-only (`query_only`), so a
    /// write through it fails with "attempt to write a readonly database" instead of
    /// silently skipping team sync's capture.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A connection that may write, for this laptop's own tables: sync state, the import
    /// history, settings the team does not share (and, in tests and benchmarks, setting up a
    /// situation). Synced tables are written only through `sync::capture::Edit`; the capture
    /// audit catches a change to one made here. Read-only again when it returns to the pool.
    pub async fn local_writer(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("PRAGMA query_only = OFF")
            .execute(&mut *conn)
            .await?;
        Ok(conn)
    }

    /// Closes every connection, flushing the write-ahead log.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// Page size of a new database: a 1M-message Slack import ran 8% faster on 16 KiB pages than
/// on SQLite's 4 KiB (9.0 s against 9.8 s, three runs each; the file within 0.5%), as each
/// random-keyed index insert splits and rebalances fewer pages. A database made with
/// other pages keeps them (WAL mode fixes the size).
pub(crate) const PAGE_BYTES: u32 = 16384;

/// How [`Store::write_unchecked`] begins its transaction.
pub(crate) const UNCHECKED_BEGIN: &str =
    "PRAGMA query_only = OFF; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -262144; BEGIN IMMEDIATE";

/// The `user_version` of a database whose free pages were wiped by [`Store::wipe_free_pages`].
const WIPED_VERSION: i64 = 1;

/// How many migrations the database has applied (none before the first).
async fn applied_versions(conn: &mut sqlx::SqliteConnection) -> Result<Vec<i64>> {
    let table = "SELECT COUNT(*) FROM sqlite_master WHERE name = '_sqlx_migrations'";
    let exists: i64 = sqlx::query_scalar(table).fetch_one(&mut *conn).await?;
    if exists == 0 {
        return Ok(Vec::new());
    }
    Ok(
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// Refuses a database a newer Tend brought to a schema this one does not know, before
/// anything touches it.
fn refuse_newer(
    migrator: &sqlx::migrate::Migrator,
    applied: &[i64],
    file: Option<&Path>,
) -> Result<()> {
    let known: Vec<i64> = migrator.iter().map(|m| m.version).collect();
    match applied.iter().find(|v| !known.contains(v)) {
        Some(version) => Err(Error::NewerDatabase {
            path: file.map(Path::to_path_buf).unwrap_or_default(),
            version: *version,
        }),
        None => Ok(()),
    }
}

/// The copy kept of a database before this Tend migrates it: `<database>.before-<version>`.
pub fn copy_before_upgrade(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".before-{}", env!("CARGO_PKG_VERSION")));
    PathBuf::from(name)
}

/// Before this Tend migrates a database an older one made, keeps a copy of it as it was
/// ([`copy_before_upgrade`], mode 600; an existing copy is never overwritten): going back
/// is copying it over the database and opening it with the older Tend.
async fn keep_copy(
    conn: &mut sqlx::SqliteConnection,
    migrator: &sqlx::migrate::Migrator,
    applied: &[i64],
    path: &Path,
) -> Result<()> {
    let pending = migrator.iter().any(|m| !applied.contains(&m.version));
    let copy = copy_before_upgrade(path);
    if applied.is_empty() || !pending || copy.exists() {
        return Ok(());
    }
    sqlx::query("VACUUM INTO ?")
        .bind(copy.to_string_lossy().to_string())
        .execute(&mut *conn)
        .await?;
    crate::secrets::set_mode(&copy, 0o600).map_err(|e| Error::Open {
        path: copy.clone(),
        source: Box::new(e),
    })?;
    without_secrets(&copy).await
}

/// Takes out of a kept copy the secrets an older Tend stored in its settings (they move to
/// the keyring on upgrade; the copy must not keep them in clear): the older Tend asks for
/// them again if the copy is ever put back.
async fn without_secrets(copy: &Path) -> Result<()> {
    use sqlx::{ConnectOptions, Connection};
    let mut c = SqliteConnectOptions::new()
        .filename(copy)
        .pragma("secure_delete", "ON")
        .connect()
        .await?;
    let has_settings: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'settings'")
            .fetch_one(&mut c)
            .await?;
    if has_settings > 0 {
        for key in crate::secrets::FORMERLY_SETTINGS {
            sqlx::query("DELETE FROM settings WHERE key = ?")
                .bind(key)
                .execute(&mut c)
                .await?;
        }
        sqlx::query("VACUUM").execute(&mut c).await?;
    }
    c.close().await?;
    Ok(())
}

/// How [`Store::write`] begins its transaction.
const WRITE_BEGIN: &str = "PRAGMA query_only = OFF; BEGIN IMMEDIATE";

/// What every connection returning to the pool is set back to: [`Store::open`]'s settings,
/// read-only.
const RELEASED: [&str; 3] = [
    "PRAGMA foreign_keys = ON",
    "PRAGMA cache_size = -65536",
    "PRAGMA query_only = ON",
];

/// Makes a new connection read-only: a write must ask for its connection
/// ([`Store::write`], [`Store::local_writer`]), so one through [`Store::pool`] fails at
/// once instead of skipping team sync's capture.
fn read_only(
    conn: &mut sqlx::SqliteConnection,
    _meta: sqlx::pool::PoolConnectionMetadata,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = std::result::Result<(), sqlx::Error>> + Send + '_>,
> {
    Box::pin(async move {
        sqlx::query("PRAGMA query_only = ON")
            .execute(&mut *conn)
            .await?;
        Ok(())
    })
}

/// Turns foreign-key checks back on, and the page cache back to 64 MiB, in a connection
/// returning to the pool (see [`Store::write_unchecked`]); keeps the connection.
fn checks_back_on(
    conn: &mut sqlx::SqliteConnection,
    _meta: sqlx::pool::PoolConnectionMetadata,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = std::result::Result<bool, sqlx::Error>> + Send + '_>,
> {
    Box::pin(async move {
        for pragma in RELEASED {
            sqlx::query(pragma).execute(&mut *conn).await?;
        }
        Ok(true)
    })
}
