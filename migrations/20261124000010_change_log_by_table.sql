-- Participation health keeps the community in memory and reads it again only when members,
-- spaces or activities changed: the newest change record of a table, found by this index in
-- one lookup (entries are ordered by table, then rowid).
CREATE INDEX sync_log_tbl ON sync_log(tbl);
