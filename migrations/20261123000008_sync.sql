-- Team sync. Every change to shared data is also a change record in `sync_log`, written in
-- the same transaction as the row by `sync::capture` (no triggers). A record sets one column
-- (`col` = the column), puts a whole row (`col` = '*', value = JSON object) or deletes it
-- (`col` = '-', a tombstone kept for good). Records from every device are kept for good: the
-- values that lost a conflict stay visible in the history.

-- This laptop: its device id, the last sequence number it used (gap-free) and the last
-- hybrid logical clock it issued or saw. One row.
CREATE TABLE sync_device (
    one         INTEGER PRIMARY KEY CHECK (one = 1),
    device_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL DEFAULT 0,
    hlc         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sync_log (
    device      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    hlc         INTEGER NOT NULL,          -- (unix ms << 16) | counter
    base        INTEGER NOT NULL DEFAULT 0, -- the cell's clock the editor saw: 0 for none
    tbl         TEXT NOT NULL,
    row_key     TEXT NOT NULL,
    col         TEXT NOT NULL,
    value       TEXT NOT NULL,             -- JSON
    schema      INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'applied' CHECK (state IN ('applied', 'held')),
    received_at TEXT NOT NULL,
    PRIMARY KEY (device, seq)
);
CREATE INDEX sync_log_row ON sync_log(tbl, row_key, col);
CREATE INDEX sync_log_held ON sync_log(state) WHERE state = 'held';

-- The winning record of every cell ('*' for the row's put, '-' for its tombstone).
CREATE TABLE sync_cells (
    tbl         TEXT NOT NULL,
    row_key     TEXT NOT NULL,
    col         TEXT NOT NULL,
    hlc         INTEGER NOT NULL,
    device      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (tbl, row_key, col)
) WITHOUT ROWID;

-- How far this laptop's own records went out through each transport (a folder or a hub).
CREATE TABLE sync_exports (
    transport   TEXT PRIMARY KEY NOT NULL,
    seq         INTEGER NOT NULL,
    synced_at   TEXT NOT NULL
);

-- Segment files this laptop wrote into a shared folder: any other file in its own
-- sub-folder means another laptop uses the same device id (a copied data directory).
CREATE TABLE sync_files (
    transport   TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (transport, name)
);

-- What the last sync of each transport saw (devices, skipped files), for the Sync view.
CREATE TABLE sync_runs (
    transport   TEXT PRIMARY KEY NOT NULL,
    ran_at      TEXT NOT NULL,
    report      TEXT NOT NULL              -- JSON of sync::SyncReport
);
