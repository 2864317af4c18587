-- The account that registered a client on its self-service page ("my clients"); null for clients registered by
-- admins, configuration or anonymous dynamic registration. The client stays when its owner is removed.
ALTER TABLE oauth_client ADD COLUMN owner_account_id VARCHAR(36);
CREATE INDEX oauth_client_owner_ix ON oauth_client (owner_account_id);
