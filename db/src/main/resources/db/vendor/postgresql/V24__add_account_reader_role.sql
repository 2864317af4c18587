-- The reader role (INDIGO IAM 1.12's ROLE_READER): read-only access to the administration pages and APIs.
ALTER TABLE account ADD COLUMN reader BOOLEAN NOT NULL DEFAULT FALSE;
