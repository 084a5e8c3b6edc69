//! The PostgreSQL hub, for teams that outgrow a shared folder. The hub only stores segments
//! (the same bytes as the folder's files, sealed when a passphrase is given) in one table;
//! every laptop applies them with the same rule, so the hub never decides a conflict.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;

use super::segment::{self, Keys};
use super::{Body, Budget, Offered, SyncReport, SCHEMA};
use crate::error::SyncError;
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

/// A hub address as it may be shown: a password in it replaced by `***`, even in an
/// address that does not parse.
pub fn redacted(url: &str) -> String {
    // Without a scheme ("ana:pw@host/db"), the user and password start the text.
    let start = url.find("://").map_or(0, |i| i + 3);
    let Some(at) = url[start..].rfind('@').map(|i| start + i) else {
        return url.to_string();
    };
    match url[start..at].find(':').map(|i| start + i) {
        Some(colon) => format!("{}:***{}", &url[..colon], &url[at..]),
        None => url.to_string(),
    }
}

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
    let options = PgConnectOptions::from_str(url).map_err(|e| SyncError::HubAddress {
        given: redacted(url),
        reason: format!(": {}", redacted(&e.to_string())),
    })?;
    // TLS unless the address itself says `sslmode=disable` (sqlx's default, `prefer`, would
    // send the password in clear to a server that refuses TLS).
    let options = if url.contains("sslmode=") {
        options
    } else {
        options.ssl_mode(sqlx::postgres::PgSslMode::Require)
    };
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|e| SyncError::HubUnreachable {
            hub: shown.clone(),
            reason: e.to_string(),
        })?;
    sqlx::query(TABLE)
        .execute(&pool)
        .await
        .map_err(|e| SyncError::Hub {
            hub: shown.clone(),
            doing: "create its table",
            reason: e.to_string(),
        })?;
    Ok(pool)
}

fn pg(shown: &str) -> impl Fn(sqlx::Error) -> Error + '_ {
    move |e| {
        SyncError::Hub {
            hub: shown.to_string(),
            doing: "exchange records",
            reason: e.to_string(),
        }
        .into()
    }
}

/// Syncs this laptop through the hub at `url`: pushes its new records, pulls the others'.
pub async fn sync(store: &Store, url: &str, passphrase: Option<&str>) -> Result<SyncReport> {
    let _turn = store.sync_turn().await;
    let key = transport(url);
    let pool = connect(url).await?;
    let mut keys = Keys::new(passphrase);
    let mut budget = Budget::default();
    let mut report = SyncReport {
        transport: key.clone(),
        ..SyncReport::default()
    };
    let mut device = super::own_device(store, &key, &mut report).await?;
    let sent = super::exported(store, &key).await?;
    let hub = Hub {
        pool: &pool,
        key: &key,
    };
    let copy = copied(
        store,
        &hub,
        &device,
        sent,
        &mut keys,
        &mut report,
        &mut budget,
    )
    .await?;
    if let Some(on_hub) = copy {
        device = super::rekey(store, sent).await?;
        report.notices.push(format!(
            "another laptop pushed as this one (the hub has changes up to {on_hub} signed with this laptop's key that it did not make: a copied data folder?) — this laptop is now device {device}"
        ));
    }
    push(store, &pool, &key, &device, &mut keys, &mut report).await?;
    pull(store, &hub, &device, &mut keys, &mut report, &mut budget).await?;
    super::finish(store, &mut report, device, &budget).await?;
    pool.close().await;
    Ok(report)
}

/// The hub one sync talks to, and how it is named in messages.
struct Hub<'a> {
    pool: &'a PgPool,
    key: &'a str,
}

/// A hub row of segments, fetched only when its turn comes (a sync never holds more than
/// one row's bytes at a time).
pub struct Row {
    pool: PgPool,
    key: String,
    device: String,
    first: i64,
}

impl Row {
    /// The row's bytes, or why not (too large, gone, the hub unreachable).
    pub(crate) async fn fetch(&self) -> std::result::Result<Vec<u8>, segment::Problem> {
        let body: Option<Option<Vec<u8>>> = sqlx::query_scalar(
            "SELECT CASE WHEN octet_length(body) <= $3 THEN body END FROM tend_segments
             WHERE device = $1 AND first_seq = $2",
        )
        .bind(&self.device)
        .bind(self.first)
        .bind(crate::limits::MAX_SEGMENT_BYTES as i64)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| segment::Problem::Refused(format!("{}: {e}", self.key)))?;
        match body {
            Some(Some(bytes)) => Ok(bytes),
            Some(None) => Err(segment::Problem::Refused(format!(
                "larger than the {} bytes a change file may hold",
                crate::limits::MAX_SEGMENT_BYTES
            ))),
            None => Err(segment::Problem::Incomplete),
        }
    }
}

/// `device`'s rows that hold changes after `at`, as offers to read (their bytes are fetched
/// when needed): first the ones that continue the sequence now, the latest start first (the
/// genuine next row starts right after `at`), then the later ones; rows whose numbers no
/// segment could have are never offered. At most
/// [`crate::limits::MAX_SEGMENT_READS_PER_SYNC`] of each.
async fn offers(hub: &Hub<'_>, device: &str, at: i64) -> Result<Vec<Offered>> {
    let limit = crate::limits::MAX_SEGMENT_READS_PER_SYNC as i64;
    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "(SELECT first_seq, last_seq, octet_length(body)::BIGINT, pushed_at::TEXT FROM tend_segments
          WHERE device = $1 AND last_seq > $2 AND first_seq >= 1 AND first_seq <= last_seq
            AND first_seq <= $2 + 1 ORDER BY first_seq DESC LIMIT $3)
         UNION ALL
         (SELECT first_seq, last_seq, octet_length(body)::BIGINT, pushed_at::TEXT FROM tend_segments
          WHERE device = $1 AND first_seq > $2 + 1 AND first_seq <= last_seq
          ORDER BY first_seq LIMIT $3)",
    )
    .bind(device)
    .bind(at)
    .bind(limit)
    .fetch_all(hub.pool)
    .await
    .map_err(pg(hub.key))?;
    Ok(rows
        .into_iter()
        .map(|(first, last, size, pushed)| Offered {
            name: format!("hub row {device}/{first}"),
            first,
            last,
            size: size.max(0) as u64,
            stamp: format!("{size}:{pushed}"),
            body: Body::Hub(Row {
                pool: hub.pool.clone(),
                key: hub.key.to_string(),
                device: device.to_string(),
                first,
            }),
        })
        .collect())
}

/// The last sequence number of a row under this laptop's device id, after what it pushed,
/// that a copy of this laptop wrote (see [`super::ingest::find_copy`]).
async fn copied(
    store: &Store,
    hub: &Hub<'_>,
    device: &str,
    sent: i64,
    keys: &mut Keys,
    report: &mut SyncReport,
    budget: &mut Budget,
) -> Result<Option<i64>> {
    let offered = offers(hub, device, sent).await?;
    let copy = super::ingest::find_copy(store, device, offered, keys, report, budget).await?;
    Ok(copy.map(|(_, last)| last))
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
    let signer = super::signing::own_key(store)?;
    for run in super::outgoing(store, device, super::exported(store, key).await?).await? {
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            continue;
        };
        let bytes = segment::encode(&run, SCHEMA, keys, &salt, Some(&signer))?;
        let pushed = sqlx::query("INSERT INTO tend_segments (device, first_seq, last_seq, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .bind(device)
            .bind(first.seq)
            .bind(last.seq)
            .bind(&bytes)
            .execute(pool)
            .await
            .map_err(pg(key))?;
        if pushed.rows_affected() == 0 {
            replace_forged(pool, key, device, &run, &bytes, keys).await?;
        }
        super::mark_sent(store, key, last.seq).await?;
        report.sent += run.len() as u64;
    }
    Ok(())
}

/// A row already holds this laptop's device id and first sequence number. This laptop is
/// the only writer of its id (a copy was re-keyed before pushing), so a row that does not
/// open to these very records was put there by someone else: it is replaced, so a stranger
/// cannot keep this laptop's changes off the hub by taking their place first.
async fn replace_forged(
    pool: &PgPool,
    key: &str,
    device: &str,
    run: &[super::apply::Change],
    bytes: &[u8],
    keys: &mut Keys,
) -> Result<()> {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return Ok(());
    };
    let there: Option<Vec<u8>> = sqlx::query_scalar(
        "SELECT CASE WHEN octet_length(body) <= $3 THEN body END FROM tend_segments WHERE device = $1 AND first_seq = $2",
    )
    .bind(device)
    .bind(first.seq)
    .bind(crate::limits::MAX_SEGMENT_BYTES as i64)
    .fetch_optional(pool)
    .await
    .map_err(pg(key))?
    .flatten();
    let ours = there
        .as_deref()
        .and_then(|b| segment::decode(b, keys).ok())
        .is_some_and(|(_, changes)| changes == run);
    if !ours {
        sqlx::query("UPDATE tend_segments SET last_seq = $3, body = $4, pushed_at = now() WHERE device = $1 AND first_seq = $2")
            .bind(device)
            .bind(first.seq)
            .bind(last.seq)
            .bind(bytes)
            .execute(pool)
            .await
            .map_err(pg(key))?;
    }
    Ok(())
}

async fn pull(
    store: &Store,
    hub: &Hub<'_>,
    device: &str,
    keys: &mut Keys,
    report: &mut SyncReport,
    budget: &mut Budget,
) -> Result<()> {
    let known = super::known_devices(store).await?;
    let mut devices: Vec<(bool, String)> =
        sqlx::query_scalar("SELECT DISTINCT device FROM tend_segments WHERE device <> $1 LIMIT $2")
            .bind(device)
            .bind(crate::limits::MAX_HUB_DEVICES as i64)
            .fetch_all(hub.pool)
            .await
            .map_err(pg(hub.key))?
            .into_iter()
            .map(|d: String| (!known.contains(&d), d))
            .collect();
    devices.sort();
    for (_, peer) in devices {
        let at = super::cursor(store, &peer).await?;
        let offered = offers(hub, &peer, at).await?;
        super::ingest(store, &peer, offered, keys, report, budget).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_shown_address_never_carries_its_password() {
        use super::redacted;
        assert_eq!(
            redacted("postgres://ana:s3cret@hub.example.org/tend"),
            "postgres://ana:***@hub.example.org/tend"
        );
        assert_eq!(
            redacted("postgres://ana:p@ss@host:99999/x"),
            "postgres://ana:***@host:99999/x"
        );
        assert_eq!(redacted("postgres://host/db"), "postgres://host/db");
        assert_eq!(redacted("not an address"), "not an address");
        assert_eq!(redacted("tend:pw@host/db"), "tend:***@host/db");
    }
}
