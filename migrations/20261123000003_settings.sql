-- Settings of this laptop's Tend (e.g. the drop folder): key/value text.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY NOT NULL,
    value  TEXT NOT NULL
);
