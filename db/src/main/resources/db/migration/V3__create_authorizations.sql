-- User authorizations (code flow), refresh-token families, consents and the revocation deny-list.
-- Token values are never stored: codes, state and refresh tokens as SHA-256 hashes, access tokens by jti.
CREATE TABLE oauth_authorization (
    id                   VARCHAR(36)    NOT NULL PRIMARY KEY,
    client_id            VARCHAR(36)    NOT NULL,
    principal_name       VARCHAR(128)   NOT NULL,
    grant_type           VARCHAR(128)   NOT NULL,
    authorized_scopes    VARCHAR(8192)  NOT NULL,
    attributes           VARCHAR(65536) NOT NULL,
    state_hash           VARCHAR(64),
    code_hash            VARCHAR(64),
    code_issued_at       TIMESTAMP WITH TIME ZONE,
    code_expires_at      TIMESTAMP WITH TIME ZONE,
    code_invalidated     BOOLEAN        NOT NULL DEFAULT FALSE,
    access_jti           VARCHAR(64),
    access_issued_at     TIMESTAMP WITH TIME ZONE,
    access_expires_at    TIMESTAMP WITH TIME ZONE,
    access_scopes        VARCHAR(8192),
    id_token_hash        VARCHAR(64),
    id_token_value       VARCHAR(16384),
    id_token_claims      VARCHAR(16384),
    id_token_issued_at   TIMESTAMP WITH TIME ZONE,
    id_token_expires_at  TIMESTAMP WITH TIME ZONE,
    revoked              BOOLEAN        NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT oauth_authorization_client_fk FOREIGN KEY (client_id) REFERENCES oauth_client (id) ON DELETE CASCADE
);
CREATE INDEX oauth_authorization_code_ix ON oauth_authorization (code_hash);
CREATE INDEX oauth_authorization_state_ix ON oauth_authorization (state_hash);
CREATE INDEX oauth_authorization_id_token_ix ON oauth_authorization (id_token_hash);
CREATE INDEX oauth_authorization_principal_ix ON oauth_authorization (principal_name);

CREATE TABLE refresh_token (
    token_hash       VARCHAR(64)  NOT NULL PRIMARY KEY,
    authorization_id VARCHAR(36)  NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    issued_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    rotated_at       TIMESTAMP WITH TIME ZONE,
    CONSTRAINT refresh_token_authorization_fk FOREIGN KEY (authorization_id) REFERENCES oauth_authorization (id) ON DELETE CASCADE
);
CREATE INDEX refresh_token_authorization_ix ON refresh_token (authorization_id);

CREATE TABLE oauth_consent (
    client_id      VARCHAR(36)   NOT NULL,
    principal_name VARCHAR(128)  NOT NULL,
    authorities    VARCHAR(8192) NOT NULL,
    CONSTRAINT oauth_consent_pk PRIMARY KEY (client_id, principal_name)
);

CREATE TABLE revoked_token (
    jti        VARCHAR(64) NOT NULL PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX revoked_token_expires_ix ON revoked_token (expires_at);
