//! The PostgreSQL hub, for teams that outgrow a shared folder. The hub only stores segments
//! (the same bytes as the folder's files, sealed when a passphrase is given) in one table;
//! every laptop applies them with the same rule, so the hub never decides a conflict.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};
use std::str::FromStr;

use super::segment::{self, Keys};
use super::{Body, Offered, Skipped, SyncReport, SCHEMA};
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
    let mut report = SyncReport {
        transport: key.clone(),
        ..SyncReport::default()
    };
    let mut device = super::prepare(store).await?;
    let sent = super::exported(store, &key).await?;
    if let Some(on_hub) = copied(store, &pool, &key, &device, sent, &mut keys, &mut report).await? {
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

/// The last sequence number of an authentic row under this laptop's device id that this
/// laptop did not push (a copied data folder). Once the team seals, a row that does not
/// open with the passphrase is a stranger's: set aside, it never makes this laptop re-key.
async fn copied(
    store: &Store,
    pool: &PgPool,
    key: &str,
    device: &str,
    sent: i64,
    keys: &mut Keys,
    report: &mut SyncReport,
) -> Result<Option<i64>> {
    let rows = sqlx::query(
        "SELECT first_seq, last_seq, CASE WHEN octet_length(body) <= $3 THEN body END AS body
         FROM tend_segments WHERE device = $1 AND last_seq > $2 ORDER BY first_seq LIMIT 16",
    )
    .bind(device)
    .bind(sent)
    .bind(crate::limits::MAX_SEGMENT_BYTES as i64)
    .fetch_all(pool)
    .await
    .map_err(pg(key))?;
    let own_key = super::signing::own_key(store)?;
    for r in &rows {
        let last: i64 = r.try_get("last_seq").map_err(pg(key))?;
        if !keys.sealing() {
            return Ok(Some(last));
        }
        let first: i64 = r.try_get("first_seq").map_err(pg(key))?;
        let body: Option<Vec<u8>> = r.try_get("body").map_err(pg(key))?;
        let opened = body
            .ok_or(segment::Problem::Refused("too large".into()))
            .and_then(|b| segment::decode(&b, keys));
        match opened {
            Ok((h, _))
                if h.device == device
                    && (h.first, h.last) == (first, last)
                    && super::written_by_a_copy(&h, &own_key) =>
            {
                return Ok(Some(last))
            }
            Ok(_) => {}
            Err(problem) => report
                .skipped
                .push(Skipped::new(format!("hub row {device}/{first}"), &problem)),
        }
    }
    Ok(None)
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
        // A row larger than a segment may be is named, never fetched.
        let rows = sqlx::query(
            "SELECT first_seq, last_seq, CASE WHEN octet_length(body) <= $3 THEN body END AS body
             FROM tend_segments WHERE device = $1 AND last_seq > $2 ORDER BY first_seq, last_seq LIMIT $4",
        )
        .bind(&peer)
        .bind(at)
        .bind(crate::limits::MAX_SEGMENT_BYTES as i64)
        .bind(crate::limits::MAX_SEGMENTS_PER_PEER as i64)
        .fetch_all(pool)
        .await
        .map_err(pg(key))?;
        let mut offered = Vec::new();
        for r in &rows {
            let first: i64 = r.try_get("first_seq").map_err(pg(key))?;
            let name = format!("hub row {peer}/{first}");
            let Some(bytes) = r.try_get::<Option<Vec<u8>>, _>("body").map_err(pg(key))? else {
                let problem = segment::Problem::Refused(format!(
                    "larger than the {} bytes a change file may hold",
                    crate::limits::MAX_SEGMENT_BYTES
                ));
                report.skipped.push(Skipped::new(name, &problem));
                continue;
            };
            offered.push(Offered {
                name,
                first,
                last: r.try_get("last_seq").map_err(pg(key))?,
                body: Body::Bytes(bytes),
            });
        }
        super::ingest(store, &peer, offered, keys, report).await?;
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
