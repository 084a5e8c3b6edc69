-- The import writes activities without CHECK constraints (issue #15). SQLite writes a
-- multi-row `INSERT OR IGNORE` into a table with CHECK constraints through a statement
-- journal (every page it touches copied first): measured on the import's own batches,
-- 95-104k rows/s with the two checks, 143-178k without. The checks held what the code
-- already guarantees: the writer's id is a `[u8; 16]` and its kind an `ActivityKind`
-- code; sync writes through the view `activities`, whose insert refuses an id that is not
-- a UUID and whose kind lookup leaves NULL for an unknown kind, which NOT NULL refuses.
--
-- It gains `put_by`: the change record (`sync_log.rowid`) of the bulk record that put the
-- row, if one did. An import's activities travel between laptops as bulk records of many
-- rows (`sync::bulk`), not one record each: the row's winning put is then the newer of its
-- `sync_cells` entry and this record, with no cell of its own.
--
-- The table is rebuilt the way SQLite documents (new table, copy, drop, rename); the view
-- and its triggers are dropped first and made again as they were.

DROP VIEW activities;

CREATE TABLE activity_new (
    n         INTEGER PRIMARY KEY,
    gid       BLOB NOT NULL UNIQUE,      -- 16 bytes
    source    INTEGER NOT NULL REFERENCES keys(n),
    member    INTEGER NOT NULL REFERENCES keys(n),
    identity  INTEGER REFERENCES keys(n),
    space     INTEGER REFERENCES keys(n),
    kind      INTEGER NOT NULL,          -- activity_kinds.code
    at        INTEGER NOT NULL,          -- Unix seconds, UTC
    root      INTEGER,                   -- the thread's first activity (n), if known here
    parent    INTEGER,                   -- what it answers (n), if known here
    title     TEXT,
    body      TEXT,
    put_by    INTEGER                    -- sync_log.rowid of the bulk record that put it
);
INSERT INTO activity_new (n, gid, source, member, identity, space, kind, at, root, parent, title, body)
    SELECT n, gid, source, member, identity, space, kind, at, root, parent, title, body
    FROM activity ORDER BY n;
DROP TABLE activity;
ALTER TABLE activity_new RENAME TO activity;

CREATE INDEX activity_member_at ON activity(member, at);
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
    SELECT RAISE(ABORT, 'an activity id must be a UUID')
        WHERE length(unhex(replace(NEW.id, '-', ''))) IS NOT 16;
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
