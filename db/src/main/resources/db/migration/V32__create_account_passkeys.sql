-- Passkeys (WebAuthn credentials) of an account (issue 17). An account's WebAuthn user handle is random (64 bytes,
-- base64url, as the specification asks: no personal data); it is what an authenticator returns with a passkey login.
-- A credential stores what verifying its assertions needs: the COSE public key, the signature counter, the flags
-- and transports, and the attestation it was registered with. The label is the member's name for it ("YubiKey").
CREATE TABLE account_passkey_user (
    account_id  VARCHAR(36) NOT NULL PRIMARY KEY,
    user_handle VARCHAR(100) NOT NULL,
    CONSTRAINT account_passkey_user_handle_uk UNIQUE (user_handle),
    CONSTRAINT account_passkey_user_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);

CREATE TABLE account_passkey (
    credential_id   VARCHAR(1400) NOT NULL PRIMARY KEY,
    account_id      VARCHAR(36)   NOT NULL,
    label           VARCHAR(64)   NOT NULL,
    public_key      VARCHAR(2000) NOT NULL,
    signature_count BIGINT        NOT NULL,
    uv_initialized  BOOLEAN       NOT NULL,
    backup_eligible BOOLEAN       NOT NULL,
    backup_state    BOOLEAN       NOT NULL,
    transports      VARCHAR(200)  NOT NULL,
    attestation_object      VARCHAR(65536) NOT NULL,
    attestation_client_data VARCHAR(65536) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT account_passkey_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX account_passkey_account_ix ON account_passkey (account_id);
