-- PKCE required for a confidential client too (public clients always need it), and the day a client last got a
-- token (a date, as INDIGO IAM's client_last_used keeps it; written at most once a day per client and instance).
ALTER TABLE oauth_client ADD COLUMN require_pkce BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE oauth_client ADD COLUMN last_used_on DATE;
