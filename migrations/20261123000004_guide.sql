-- The facilitator's guide: progress on the 90-day plan, edited playbooks, the stages of
-- development the community was placed in, hand-set onboarding stages, and what was done or
-- snoozed on the Today list.

-- A playbook someone copied and edited in the app (the shipped default is not stored).
CREATE TABLE playbooks (
    name        TEXT PRIMARY KEY NOT NULL,
    body        TEXT NOT NULL,          -- the TOML text
    updated_at  TEXT NOT NULL
);

-- Progress on one step of the active playbook; steps without a row are open.
CREATE TABLE plan_progress (
    step_id     TEXT PRIMARY KEY NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'done', 'skipped')),
    owner       TEXT REFERENCES roles(name),   -- reassigned owner, if any
    note        TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',      -- why it was skipped
    updated_at  TEXT NOT NULL
);

-- Where the community stood, after Wenger: one row per check, kept as history.
CREATE TABLE stage_checks (
    id          TEXT PRIMARY KEY NOT NULL,
    checked_on  TEXT NOT NULL,         -- YYYY-MM-DD
    stage       TEXT NOT NULL CHECK (stage IN ('potential', 'coalescing', 'maturing', 'stewardship', 'transformation')),
    note        TEXT NOT NULL DEFAULT ''
);

-- An onboarding stage set by hand; it wins over the evidence until cleared.
CREATE TABLE onboarding_overrides (
    member_id   TEXT PRIMARY KEY NOT NULL REFERENCES members(id),
    stage       TEXT NOT NULL CHECK (stage IN ('invited', 'joined', 'welcomed', 'introduced', 'first_contribution', 'regular', 'champion')),
    note        TEXT NOT NULL DEFAULT '',
    set_at      TEXT NOT NULL
);

-- Today's actions someone marked done (for good) or snoozed (until a day).
CREATE TABLE action_marks (
    key         TEXT PRIMARY KEY NOT NULL,   -- e.g. welcome:<member id>, answer:<activity id>
    status      TEXT NOT NULL CHECK (status IN ('done', 'snoozed')),
    until       TEXT,                        -- YYYY-MM-DD, for snoozed
    updated_at  TEXT NOT NULL
);
