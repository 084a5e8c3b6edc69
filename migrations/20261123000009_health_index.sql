-- Participation health reads each member's contributions by kind and time (first and last
-- contribution, active months): a covering index lets SQLite answer from the index alone.
CREATE INDEX activities_member_kind_time ON activities(member_id, kind, occurred_at);
