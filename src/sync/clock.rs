//! This laptop's identity for sync and its hybrid logical clock (HLC).
//!
//! A clock value is `(unix milliseconds << 16) | counter`: it follows the wall clock, never
//! goes back, and moves past every clock this laptop has applied, so an edit made after
//! seeing another laptop's edit always wins over it, whatever the two wall clocks say.

use sqlx::SqliteConnection;

use crate::error::Result;
use crate::ids;

/// How far ahead of this laptop's wall clock a remote clock may be before its changes are
/// held back (quarantined) instead of applied: five minutes.
pub const SKEW_LIMIT_MS: i64 = 5 * 60 * 1000;

/// The clock value at wall time `ms` with counter 0.
pub fn at_ms(ms: i64) -> i64 {
    ms.max(0) << 16
}

/// The wall time of a clock value, in Unix milliseconds.
pub fn millis(hlc: i64) -> i64 {
    hlc >> 16
}

/// The next clock value after `last` at wall time `wall_ms`.
pub fn next(last: i64, wall_ms: i64) -> i64 {
    at_ms(wall_ms).max(last + 1)
}

/// This laptop as sync knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Its device id (a UUIDv7 made the first time it synced or edited).
    pub id: String,
    /// The last sequence number it gave a change.
    pub seq: i64,
    /// The last clock value it issued or applied.
    pub hlc: i64,
}

/// This laptop's device row, made on first use.
pub async fn device(conn: &mut SqliteConnection) -> Result<Device> {
    sqlx::query(
        "INSERT INTO sync_device (one, device_id) VALUES (1, ?) ON CONFLICT(one) DO NOTHING",
    )
    .bind(ids::new_id())
    .execute(&mut *conn)
    .await?;
    let (id, seq, hlc): (String, i64, i64) =
        sqlx::query_as("SELECT device_id, seq, hlc FROM sync_device WHERE one = 1")
            .fetch_one(&mut *conn)
            .await?;
    Ok(Device { id, seq, hlc })
}

/// Saves the device's last sequence number and clock.
pub async fn save(conn: &mut SqliteConnection, d: &Device) -> Result<()> {
    sqlx::query("UPDATE sync_device SET device_id = ?, seq = ?, hlc = ? WHERE one = 1")
        .bind(&d.id)
        .bind(d.seq)
        .bind(d.hlc)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Moves the clock past a remote clock value this laptop applied.
pub async fn observe(conn: &mut SqliteConnection, remote: i64) -> Result<()> {
    sqlx::query("UPDATE sync_device SET hlc = MAX(hlc, ?) WHERE one = 1")
        .bind(remote)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_follows_the_wall_and_never_goes_back() {
        let a = next(0, 1_000);
        assert_eq!(millis(a), 1_000);
        let b = next(a, 1_000);
        assert!(b > a && millis(b) == 1_000);
        // The wall went back an hour: the clock does not.
        let c = next(b, 1_000 - 3_600_000);
        assert!(c > b);
        assert_eq!(next(c, 5_000), at_ms(5_000));
    }
}
