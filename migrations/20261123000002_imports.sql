-- Importing real exports: normalised e-mails for identity matching, message bodies only
-- where a source opts in, the import history, and the memory of merge decisions.

ALTER TABLE identities ADD COLUMN email_norm TEXT;
ALTER TABLE identities ADD COLUMN display_name TEXT;
CREATE INDEX identities_email_norm ON identities(email_norm);

-- Privacy by default: bodies are kept only for sources where someone turned this on.
ALTER TABLE sources ADD COLUMN keep_bodies INTEGER NOT NULL DEFAULT 0 CHECK (keep_bodies IN (0, 1));
ALTER TABLE activities ADD COLUMN body TEXT;

-- One row per file or folder imported (or tried), newest last.
CREATE TABLE imports (
    id            TEXT PRIMARY KEY NOT NULL,
    path          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    kind          TEXT,
    source_id     TEXT REFERENCES sources(id),
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    added         INTEGER NOT NULL DEFAULT 0,
    present       INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    detail        TEXT NOT NULL DEFAULT ''   -- JSON: skip reasons, or the error
);
CREATE INDEX imports_hash ON imports(content_hash, status);

-- Two members someone said are not the same person: never suggested again.
CREATE TABLE not_same_person (
    member_a    TEXT NOT NULL REFERENCES members(id),
    member_b    TEXT NOT NULL REFERENCES members(id),
    decided_at  TEXT NOT NULL,
    PRIMARY KEY (member_a, member_b),
    CHECK (member_a < member_b)
);

-- Merges, so that each can be undone: the identities that moved, and where from.
CREATE TABLE member_merges (
    id          TEXT PRIMARY KEY NOT NULL,
    kept_id     TEXT NOT NULL REFERENCES members(id),
    merged_id   TEXT NOT NULL,
    merged_row  TEXT NOT NULL,   -- JSON of the merged member's row, to restore it
    identities  TEXT NOT NULL,   -- JSON array of identity ids that moved
    merged_at   TEXT NOT NULL,
    undone_at   TEXT
);
ALTER TABLE activities ADD COLUMN identity_id TEXT REFERENCES identities(id);
CREATE INDEX activities_identity ON activities(identity_id);
