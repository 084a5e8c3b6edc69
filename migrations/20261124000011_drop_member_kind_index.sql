-- Participation health and the guide now read activities from memory; no query uses this
-- index any more, and every import paid for it (one more B-tree per activity).
DROP INDEX IF EXISTS activities_member_kind_time;
