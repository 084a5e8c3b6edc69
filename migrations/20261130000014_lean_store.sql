-- The lean store (issue #15). Activities are kept as narrow rows of `activity`: the global
-- id as 16 bytes (the UUIDv5 of the source and the source's own id, which it replaces as
-- the idempotency key), members, identities, spaces and sources as local integers
-- (`keys`), other activities by their row, the kind as a small code (`activity_kinds`),
-- the time as Unix seconds. Two indexes beside the keys: (member, at) for the member
-- page, merges and erasure, and the thread of the rows that have one. The view
-- `activities` shows the old text shape, translated, for sync (which names rows by global
-- id) and the rarer reads; its INSTEAD OF triggers translate writes back. A link to an
-- activity not here yet (sync can bring a reply before its thread) waits in
-- `activity_links`. `Store::migrated` runs migrations with foreign-key checks off.

-- A local integer for every global id an activity names: members, identities, spaces and
-- sources. Never deleted, so a member removed and put back (a merge undone, a sync
-- tombstone overtaken) keeps its number and its activities.
CREATE TABLE keys (
    n   INTEGER PRIMARY KEY,
    id  TEXT NOT NULL UNIQUE
);
INSERT OR IGNORE INTO keys (id) SELECT id FROM sources ORDER BY rowid;
INSERT OR IGNORE INTO keys (id) SELECT id FROM members ORDER BY rowid;
INSERT OR IGNORE INTO keys (id) SELECT id FROM identities ORDER BY rowid;
INSERT OR IGNORE INTO keys (id) SELECT id FROM spaces ORDER BY rowid;
CREATE TRIGGER sources_key AFTER INSERT ON sources BEGIN
    INSERT OR IGNORE INTO keys (id) VALUES (NEW.id);
END;
CREATE TRIGGER members_key AFTER INSERT ON members BEGIN
    INSERT OR IGNORE INTO keys (id) VALUES (NEW.id);
END;
CREATE TRIGGER identities_key AFTER INSERT ON identities BEGIN
    INSERT OR IGNORE INTO keys (id) VALUES (NEW.id);
END;
CREATE TRIGGER spaces_key AFTER INSERT ON spaces BEGIN
    INSERT OR IGNORE INTO keys (id) VALUES (NEW.id);
END;

-- The kinds of activity and their codes (`model::ActivityKind::code` says the same; a
-- test holds them together).
CREATE TABLE activity_kinds (
    code INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO activity_kinds (code, name) VALUES
    (0, 'post'), (1, 'reply'), (2, 'reaction'), (3, 'attendance'), (4, 'join');

CREATE TABLE activity (
    n         INTEGER PRIMARY KEY,
    gid       BLOB NOT NULL UNIQUE CHECK (length(gid) = 16),
    source    INTEGER NOT NULL REFERENCES keys(n),
    member    INTEGER NOT NULL REFERENCES keys(n),
    identity  INTEGER REFERENCES keys(n),
    space     INTEGER REFERENCES keys(n),
    kind      INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 4),
    at        INTEGER NOT NULL,          -- Unix seconds, UTC
    root      INTEGER,                   -- the thread's first activity (n), if known here
    parent    INTEGER,                   -- what it answers (n), if known here
    title     TEXT,
    body      TEXT
);
INSERT INTO activity (n, gid, source, member, identity, space, kind, at, title, body)
    SELECT a.rowid, unhex(replace(a.id, '-', '')), s.n, m.n, i.n, p.n, k.code,
           unixepoch(a.occurred_at), a.title, a.body
    FROM activities a
    JOIN keys s ON s.id = a.source_id
    JOIN keys m ON m.id = a.member_id
    JOIN activity_kinds k ON k.name = a.kind
    LEFT JOIN keys i ON i.id = a.identity_id
    LEFT JOIN keys p ON p.id = a.space_id
    ORDER BY a.rowid;
UPDATE activity SET
    root = (SELECT r.n FROM activities o JOIN activity r ON r.gid = unhex(replace(o.thread_root_id, '-', ''))
            WHERE o.rowid = activity.n),
    parent = (SELECT r.n FROM activities o JOIN activity r ON r.gid = unhex(replace(o.parent_id, '-', ''))
              WHERE o.rowid = activity.n);

-- Links to activities not here yet, by global id, resolved as they arrive.
CREATE TABLE activity_links (
    n       INTEGER PRIMARY KEY,         -- the activity waiting
    root    BLOB,
    parent  BLOB
);

DROP TABLE activities;

CREATE INDEX activity_member_at ON activity(member, at);
-- The replies and reactions of a thread (unanswered questions, a kit's resources): only
-- rows in a thread are in it.
CREATE INDEX activity_root ON activity(root) WHERE root IS NOT NULL;

-- The old shape, for sync and the rarer reads. `rowid` is the activity's `n`.
CREATE VIEW activities AS SELECT
    a.n AS rowid,
    CASE WHEN a.gid IS NOT NULL THEN lower(substr(hex(a.gid), 1, 8) || '-' || substr(hex(a.gid), 9, 4)
        || '-' || substr(hex(a.gid), 13, 4) || '-' || substr(hex(a.gid), 17, 4) || '-' || substr(hex(a.gid), 21)) END AS id,
    s.id AS source_id,
    m.id AS member_id,
    i.id AS identity_id,
    p.id AS space_id,
    k.name AS kind,
    strftime('%Y-%m-%dT%H:%M:%SZ', a.at, 'unixepoch') AS occurred_at,
    CASE WHEN r.gid IS NOT NULL THEN lower(substr(hex(r.gid), 1, 8) || '-' || substr(hex(r.gid), 9, 4)
        || '-' || substr(hex(r.gid), 13, 4) || '-' || substr(hex(r.gid), 17, 4) || '-' || substr(hex(r.gid), 21)) END AS thread_root_id,
    CASE WHEN q.gid IS NOT NULL THEN lower(substr(hex(q.gid), 1, 8) || '-' || substr(hex(q.gid), 9, 4)
        || '-' || substr(hex(q.gid), 13, 4) || '-' || substr(hex(q.gid), 17, 4) || '-' || substr(hex(q.gid), 21)) END AS parent_id,
    a.title AS title,
    a.body AS body,
    a.gid AS gid
FROM activity a
JOIN keys s ON s.n = a.source
JOIN keys m ON m.n = a.member
JOIN activity_kinds k ON k.code = a.kind
LEFT JOIN keys i ON i.n = a.identity
LEFT JOIN keys p ON p.n = a.space
LEFT JOIN activity r ON r.n = a.root
LEFT JOIN activity q ON q.n = a.parent;

-- Writes through the view. A name that matches nothing leaves NULL, which the NOT NULL
-- columns refuse; a thread or parent not here yet waits in `activity_links`.
CREATE TRIGGER activities_insert INSTEAD OF INSERT ON activities BEGIN
    INSERT INTO activity (gid, source, member, identity, space, kind, at, root, parent, title, body)
    VALUES (
        unhex(replace(NEW.id, '-', '')),
        (SELECT n FROM keys WHERE id = NEW.source_id),
        (SELECT n FROM keys WHERE id = NEW.member_id),
        (SELECT n FROM keys WHERE id = NEW.identity_id),
        (SELECT n FROM keys WHERE id = NEW.space_id),
        (SELECT code FROM activity_kinds WHERE name = NEW.kind),
        unixepoch(NEW.occurred_at),
        (SELECT n FROM activity WHERE gid = unhex(replace(NEW.thread_root_id, '-', ''))),
        (SELECT n FROM activity WHERE gid = unhex(replace(NEW.parent_id, '-', ''))),
        NEW.title, NEW.body);
    INSERT INTO activity_links (n, root, parent)
        SELECT a.n,
               CASE WHEN a.root IS NULL THEN unhex(replace(NEW.thread_root_id, '-', '')) END,
               CASE WHEN a.parent IS NULL THEN unhex(replace(NEW.parent_id, '-', '')) END
        FROM activity a WHERE a.gid = unhex(replace(NEW.id, '-', ''))
          AND ((a.root IS NULL AND NEW.thread_root_id IS NOT NULL)
            OR (a.parent IS NULL AND NEW.parent_id IS NOT NULL));
END;

-- Thread and parent are looked up again only when they change (sync never changes them;
-- an unchanged link still waiting stays waiting).
CREATE TRIGGER activities_update INSTEAD OF UPDATE ON activities BEGIN
    UPDATE activity SET
        source = (SELECT n FROM keys WHERE id = NEW.source_id),
        member = (SELECT n FROM keys WHERE id = NEW.member_id),
        identity = (SELECT n FROM keys WHERE id = NEW.identity_id),
        space = (SELECT n FROM keys WHERE id = NEW.space_id),
        kind = (SELECT code FROM activity_kinds WHERE name = NEW.kind),
        at = unixepoch(NEW.occurred_at),
        root = CASE WHEN NEW.thread_root_id IS OLD.thread_root_id THEN root
               ELSE (SELECT n FROM activity WHERE gid = unhex(replace(NEW.thread_root_id, '-', ''))) END,
        parent = CASE WHEN NEW.parent_id IS OLD.parent_id THEN parent
                 ELSE (SELECT n FROM activity WHERE gid = unhex(replace(NEW.parent_id, '-', ''))) END,
        title = NEW.title,
        body = NEW.body
    WHERE n = OLD.rowid;
    DELETE FROM activity_links WHERE n = OLD.rowid
        AND (NEW.thread_root_id IS NOT OLD.thread_root_id OR NEW.parent_id IS NOT OLD.parent_id);
    INSERT INTO activity_links (n, root, parent)
        SELECT a.n,
               CASE WHEN a.root IS NULL THEN unhex(replace(NEW.thread_root_id, '-', '')) END,
               CASE WHEN a.parent IS NULL THEN unhex(replace(NEW.parent_id, '-', '')) END
        FROM activity a WHERE a.n = OLD.rowid
          AND (NEW.thread_root_id IS NOT OLD.thread_root_id OR NEW.parent_id IS NOT OLD.parent_id)
          AND ((a.root IS NULL AND NEW.thread_root_id IS NOT NULL)
            OR (a.parent IS NULL AND NEW.parent_id IS NOT NULL));
END;

CREATE TRIGGER activities_delete INSTEAD OF DELETE ON activities BEGIN
    DELETE FROM activity WHERE n = OLD.rowid;
    DELETE FROM activity_links WHERE n = OLD.rowid;
END;
