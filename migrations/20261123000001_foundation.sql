-- Tend's foundation schema. Applied migrations are never edited: later changes come as
-- new files. Global ids are UUID text (v7 for rows made here, v5 from natural keys for
-- imported rows) so that two laptops importing the same export make the same rows.
-- Times are UTC, RFC 3339 text with a 'Z' suffix and second precision, so they sort as text.

CREATE TABLE community (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    purpose     TEXT NOT NULL DEFAULT '',
    launch_date TEXT NOT NULL,           -- YYYY-MM-DD, day 0 of the 90-day plan
    created_at  TEXT NOT NULL
);

-- The roles of the practice literature (leader, facilitator, member, sponsor, champion).
CREATE TABLE roles (
    name        TEXT PRIMARY KEY NOT NULL,
    rank        INTEGER NOT NULL,
    description TEXT NOT NULL
);
INSERT INTO roles (name, rank, description) VALUES
    ('leader',      1, 'Holds the purpose and the relationship with the sponsor'),
    ('facilitator', 2, 'Welcomes, connects and keeps conversations going'),
    ('champion',    3, 'Experienced member who helps newcomers and models the practice'),
    ('sponsor',     4, 'Gives the community time, money and recognition'),
    ('member',      5, 'Takes part: asks, answers, shares');

CREATE TABLE members (
    id            TEXT PRIMARY KEY NOT NULL,
    display_name  TEXT NOT NULL,
    email         TEXT,
    role          TEXT NOT NULL DEFAULT 'member' REFERENCES roles(name),
    country       TEXT,
    organisation  TEXT,
    language      TEXT,
    joined_at     TEXT,
    is_bot        INTEGER NOT NULL DEFAULT 0 CHECK (is_bot IN (0, 1)),
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX members_role ON members(role);
CREATE INDEX members_country ON members(country);

-- Where data came from: one row per imported workspace, forum, list or file family.
CREATE TABLE sources (
    id          TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,          -- slack | discourse | mbox | attendance | viva | csv | demo
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (kind, name)
);

-- One person's account in one source.
CREATE TABLE identities (
    id           TEXT PRIMARY KEY NOT NULL,
    source_id    TEXT NOT NULL REFERENCES sources(id),
    external_id  TEXT NOT NULL,
    handle       TEXT,
    email        TEXT,
    member_id    TEXT NOT NULL REFERENCES members(id),
    UNIQUE (source_id, external_id)
);
CREATE INDEX identities_member ON identities(member_id);

-- Channels, categories and lists.
CREATE TABLE spaces (
    id           TEXT PRIMARY KEY NOT NULL,
    source_id    TEXT NOT NULL REFERENCES sources(id),
    external_id  TEXT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('channel', 'category', 'list', 'event')),
    UNIQUE (source_id, external_id)
);

CREATE TABLE activities (
    id              TEXT PRIMARY KEY NOT NULL,
    source_id       TEXT NOT NULL REFERENCES sources(id),
    external_id     TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members(id),
    space_id        TEXT REFERENCES spaces(id),
    kind            TEXT NOT NULL CHECK (kind IN ('post', 'reply', 'reaction', 'attendance', 'join')),
    occurred_at     TEXT NOT NULL,
    thread_root_id  TEXT REFERENCES activities(id),
    parent_id       TEXT REFERENCES activities(id),
    title           TEXT,
    UNIQUE (source_id, external_id)
);
CREATE INDEX activities_member_time ON activities(member_id, occurred_at);
CREATE INDEX activities_time ON activities(occurred_at);
CREATE INDEX activities_thread ON activities(thread_root_id);
