-- Trust in team sync that nobody can jam (issue 28).
--
-- Files of the shared folder and hub rows that are not a device's genuine changes (junk, a
-- forgery, a file sealed with another passphrase, a copy of this laptop's own file) are
-- remembered by where they are and their stamp (size, time, passphrase), so each is read
-- once and never again holds a place in any device's sequence. A row goes once the device's
-- changes have passed it.
CREATE TABLE sync_junk (
    place   TEXT PRIMARY KEY NOT NULL,   -- the file ('<device>/<name>') or hub row
    stamp   TEXT NOT NULL,               -- what it was when read: a new file is read again
    device  TEXT NOT NULL,
    last    INTEGER NOT NULL             -- the last change its name claimed
) WITHOUT ROWID;
CREATE INDEX sync_junk_device ON sync_junk(device, last);

-- A record refused by validation is final: kept small (its key and reason, its value
-- dropped) and never read again; records held for a clock or a newer Tend keep theirs.
ALTER TABLE sync_refused ADD COLUMN final INTEGER NOT NULL DEFAULT 0;

-- Two keys that signed changes under one device id: the one pinned and each other one,
-- shown to the user with the laptops they belong to instead of chosen silently.
CREATE TABLE sync_key_conflicts (
    device      TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    place       TEXT NOT NULL,           -- the file or hub row that carried it
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (device, public_key)
) WITHOUT ROWID;
