-- Second factors of an account (issue 17). An account has at most one TOTP authenticator (RFC 6238): its shared
-- secret AES-256-GCM encrypted like the signing keys (tessera.keys.encryption-secret); confirmed_at stays null
-- until the member has entered a first code. last_step is the time step of the last code accepted: a code is
-- accepted only by the UPDATE that raises it, so a code is used once across every instance sharing the database.
CREATE TABLE account_totp (
    account_id   VARCHAR(36)  NOT NULL PRIMARY KEY,
    secret       VARCHAR(200) NOT NULL,
    confirmed_at TIMESTAMP WITH TIME ZONE,
    last_step    BIGINT       NOT NULL DEFAULT 0,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT account_totp_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);

-- One-time recovery codes, stored as SHA-256 hex of the code (80 random bits each); used_at set when used.
CREATE TABLE account_recovery_code (
    account_id VARCHAR(36) NOT NULL,
    code_hash  VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT account_recovery_code_pk PRIMARY KEY (account_id, code_hash),
    CONSTRAINT account_recovery_code_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
