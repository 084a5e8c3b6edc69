-- Erasure: a member's personal fields and identities can be removed while their activities
-- stay, under an anonymous placeholder, so the numbers stay right. An erased identity keeps
-- only its id (a hash of source and external id), so re-importing the same export finds it
-- and adds nothing personal back.
ALTER TABLE members ADD COLUMN erased_at TEXT;
ALTER TABLE identities ADD COLUMN erased INTEGER NOT NULL DEFAULT 0 CHECK (erased IN (0, 1));
