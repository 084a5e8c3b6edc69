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

-- Each device's signing key (Ed25519, base64), pinned the first time a sealed segment of
-- it is read: a later segment under that device id must carry the same key and a valid
-- signature, so nobody, not even a teammate holding the passphrase, writes as another.
CREATE TABLE sync_signers (
    device      TEXT PRIMARY KEY NOT NULL,
    public_key  TEXT NOT NULL,
    pinned_at   TEXT NOT NULL
) WITHOUT ROWID;
