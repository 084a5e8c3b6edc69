-- Onboarding kits: templates edited in the app, and the kits made (who, when, for whom).

CREATE TABLE kit_templates (
    name        TEXT NOT NULL,
    lang        TEXT NOT NULL,
    body        TEXT NOT NULL,          -- the TOML text
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (name, lang)
);

CREATE TABLE kits (
    id          TEXT PRIMARY KEY NOT NULL,
    made_at     TEXT NOT NULL,
    template    TEXT NOT NULL,
    lang        TEXT NOT NULL,
    audience    TEXT NOT NULL,          -- JSON: {"kind": "member" | "cohort", "value": …}
    recipient   TEXT NOT NULL,          -- as written in the kit
    members     INTEGER NOT NULL,       -- how many members it is for
    format      TEXT NOT NULL,          -- html | pdf | md | zip | txt
    path        TEXT NOT NULL
);
CREATE INDEX kits_made_at ON kits(made_at);
