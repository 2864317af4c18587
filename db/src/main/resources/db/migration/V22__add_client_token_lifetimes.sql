-- Per-client ID-token and device-code lifetimes in seconds (0: the server default), beside the access- and
-- refresh-token lifetimes of V2.
ALTER TABLE oauth_client ADD COLUMN id_token_ttl_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE oauth_client ADD COLUMN device_code_ttl_seconds INTEGER NOT NULL DEFAULT 0;
