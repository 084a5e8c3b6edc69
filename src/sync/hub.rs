//! The PostgreSQL hub, for teams that outgrow a shared folder. The hub only stores segments
//! (the same bytes as the folder's files, sealed when a passphrase is given) in one table;
//! every laptop applies them with the same rule, so the hub never decides a conflict.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};
use std::str::FromStr;

use super::segment::{self, Keys};
use super::{Offered, SyncReport, SCHEMA};
use crate::error::{Error, Result};
use crate::store::Store;

const TABLE: &str = "CREATE TABLE IF NOT EXISTS tend_segments (
    device     TEXT NOT NULL,
    first_seq  BIGINT NOT NULL,
    last_seq   BIGINT NOT NULL,
    body       BYTEA NOT NULL,
    pushed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (device, first_seq)
)";

/// The hub's address without its password, for messages and the Sync view.
pub fn transport(url: &str) -> String {
    match PgConnectOptions::from_str(url) {
        Ok(o) => format!(
            "hub:postgres://{}@{}:{}/{}",
            o.get_username(),
            o.get_host(),
            o.get_port(),
            o.get_database().unwrap_or("")
        ),
        Err(_) => "hub:(invalid address)".into(),
    }
}

async fn connect(url: &str) -> Result<PgPool> {
    let shown = transport(url);
    let options = PgConnectOptions::from_str(url).map_err(|e| {
        Error::sync(format!(
            "the hub's address is not a PostgreSQL address (postgres://user:password@host/db): {e}"
        ))
    })?;
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|e| Error::sync(format!("cannot reach {shown}: {e}")))?;
    sqlx::query(TABLE)
        .execute(&pool)
        .await
        .map_err(|e| Error::sync(format!("{shown}: cannot create the hub's table: {e}")))?;
    Ok(pool)
}

fn pg(shown: &str) -> impl Fn(sqlx::Error) -> Error + '_ {
    move |e| Error::sync(format!("{shown}: {e}"))
}

/// Syncs this laptop through the hub at `url`: pushes its new records, pulls the others'.
pub async fn sync(store: &Store, url: &str, passphrase: Option<&str>) -> Result<SyncReport> {
    let key = transport(url);
    let pool = connect(url).await?;
    let mut keys = Keys::new(passphrase);
    let mut report = SyncReport {
        transport: key.clone(),
        ..SyncReport::default()
    };
    let mut device = super::prepare(store).await?;
    let sent = super::exported(store, &key).await?;
    let on_hub: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(last_seq), 0) FROM tend_segments WHERE device = $1",
    )
    .bind(&device)
    .fetch_one(&pool)
    .await
    .map_err(pg(&key))?;
    if on_hub > sent {
        device = super::rekey(store, sent).await?;
        report.notices.push(format!(
            "another laptop pushed as this one (the hub has its changes up to {on_hub}, this laptop sent {sent}: a copied data folder?) — this laptop is now device {device}"
        ));
    }
    push(store, &pool, &key, &device, &mut keys, &mut report).await?;
    pull(store, &pool, &key, &device, &mut keys, &mut report).await?;
    super::finish(store, &mut report, device).await?;
    pool.close().await;
    Ok(report)
}

async fn push(
    store: &Store,
    pool: &PgPool,
    key: &str,
    device: &str,
    keys: &mut Keys,
    report: &mut SyncReport,
) -> Result<()> {
    let salt = super::salt(store).await?;
    for run in super::outgoing(store, device, super::exported(store, key).await?).await? {
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            continue;
        };
        let bytes = segment::encode(&run, SCHEMA, keys, &salt)?;
        sqlx::query("INSERT INTO tend_segments (device, first_seq, last_seq, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .bind(device)
            .bind(first.seq)
            .bind(last.seq)
            .bind(bytes)
            .execute(pool)
            .await
            .map_err(pg(key))?;
        super::mark_sent(store, key, last.seq).await?;
        report.sent += run.len() as u64;
    }
    Ok(())
}

async fn pull(
    store: &Store,
    pool: &PgPool,
    key: &str,
    device: &str,
    keys: &mut Keys,
    report: &mut SyncReport,
) -> Result<()> {
    let devices: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT device FROM tend_segments WHERE device <> $1 ORDER BY device",
    )
    .bind(device)
    .fetch_all(pool)
    .await
    .map_err(pg(key))?;
    for peer in devices {
        let at = super::cursor(store, &peer).await?;
        let rows = sqlx::query("SELECT first_seq, last_seq, body FROM tend_segments WHERE device = $1 AND last_seq > $2 ORDER BY first_seq")
            .bind(&peer)
            .bind(at)
            .fetch_all(pool)
            .await
            .map_err(pg(key))?;
        let offered = rows
            .iter()
            .map(|r| {
                let first: i64 = r.try_get("first_seq")?;
                Ok(Offered {
                    name: format!("hub row {peer}/{first}"),
                    first,
                    last: r.try_get("last_seq")?,
                    bytes: r.try_get("body")?,
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
            .map_err(pg(key))?;
        super::ingest(store, &peer, offered, keys, report).await?;
    }
    Ok(())
}
