-- SSH public keys of an account (INDIGO IAM's sshKeys, read by services that provision logins to VMs and
-- notebooks through SCIM). One key belongs to at most one account: the fingerprint (SHA-256 of the key blob,
-- standard Base64 as IAM stores it) is unique. The label is at most 36 characters, IAM's limit.
CREATE TABLE account_ssh_key (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    account_id  VARCHAR(36)   NOT NULL,
    label       VARCHAR(36)   NOT NULL,
    key_value   VARCHAR(3072) NOT NULL,
    fingerprint VARCHAR(48)   NOT NULL,
    is_primary  BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT account_ssh_key_fingerprint_uk UNIQUE (fingerprint),
    CONSTRAINT account_ssh_key_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX account_ssh_key_account_ix ON account_ssh_key (account_id);
