-- Names people recognise (issue 27). A source keeps its key (`name`: the Slack team id, a
-- list's id, what `--source` said), which ids derive from and re-imports match on; `label`
-- is what a person calls it (the workspace or list name, else the file or folder name as
-- the user chose it), shown wherever the source is named. A member's `preferred_name` is
-- the name they go by (Slack's display name, or typed by a facilitator): greetings use it,
-- else the full name, never a guessed first word.
ALTER TABLE sources ADD COLUMN label TEXT;
ALTER TABLE members ADD COLUMN preferred_name TEXT;
