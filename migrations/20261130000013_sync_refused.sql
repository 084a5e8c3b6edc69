-- Why a record from another laptop is held back: it failed validation (a role that is not
-- a role, a required field empty, a setting that stays on each laptop) or a constraint of
-- the table it names. The record stays in sync_log with state 'held'; its reason is here,
-- for `tend sync status` and the Sync view. A record that applies later loses its row.
CREATE TABLE sync_refused (
    device  TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    reason  TEXT NOT NULL,
    PRIMARY KEY (device, seq)
) WITHOUT ROWID;
