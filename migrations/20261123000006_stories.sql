-- Value-creation stories (after Wenger-Trayner) that facilitators collect for the sponsor
-- report: what members did with what they learnt.
CREATE TABLE stories (
    id          TEXT PRIMARY KEY NOT NULL,
    told_on     TEXT NOT NULL,              -- YYYY-MM-DD
    tag         TEXT NOT NULL CHECK (tag IN ('immediate', 'potential', 'applied', 'realised', 'reframing')),
    member_id   TEXT REFERENCES members(id) ON DELETE SET NULL,
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    text        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX stories_told_on ON stories(told_on);
