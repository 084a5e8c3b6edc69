-- An import looks for a member with a new account's e-mail among members entered by hand
-- (`lower(email)`): without this index that was a scan of every member per new account,
-- quadratic in a workspace's size.
CREATE INDEX IF NOT EXISTS members_email_lower ON members(lower(email));
