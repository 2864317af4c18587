-- Device authorization grant (RFC 8628): device and user codes stored as SHA-256 hashes, and the time of
-- the last poll (slow_down is decided from it on every instance).
ALTER TABLE oauth_authorization ADD COLUMN device_code_hash VARCHAR(64);
ALTER TABLE oauth_authorization ADD COLUMN device_code_issued_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE oauth_authorization ADD COLUMN device_code_expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE oauth_authorization ADD COLUMN device_code_invalidated BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE oauth_authorization ADD COLUMN device_last_poll_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE oauth_authorization ADD COLUMN user_code_hash VARCHAR(64);
ALTER TABLE oauth_authorization ADD COLUMN user_code_issued_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE oauth_authorization ADD COLUMN user_code_expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE oauth_authorization ADD COLUMN user_code_invalidated BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX oauth_authorization_device_code_ix ON oauth_authorization (device_code_hash);
CREATE INDEX oauth_authorization_user_code_ix ON oauth_authorization (user_code_hash);
