-- Client management (INDIGO IAM's /iam/api/clients): a description, contacts, and who enabled or disabled a client
-- when.
ALTER TABLE oauth_client ADD COLUMN client_description VARCHAR(1024);
ALTER TABLE oauth_client ADD COLUMN contacts VARCHAR(2048);
ALTER TABLE oauth_client ADD COLUMN status_changed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE oauth_client ADD COLUMN status_changed_by VARCHAR(255);
