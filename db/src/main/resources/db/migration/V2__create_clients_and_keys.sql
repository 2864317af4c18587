-- OAuth clients (secrets stored as SHA-256 hashes) and JWS signing keys (private part encrypted).
CREATE TABLE oauth_client (
    id                        VARCHAR(36)   NOT NULL PRIMARY KEY,
    client_id                 VARCHAR(128)  NOT NULL,
    secret_hash               VARCHAR(128),
    client_name               VARCHAR(255)  NOT NULL,
    auth_methods              VARCHAR(255)  NOT NULL,
    grant_types               VARCHAR(1024) NOT NULL,
    redirect_uris             VARCHAR(8192) NOT NULL,
    post_logout_redirect_uris VARCHAR(8192) NOT NULL,
    scopes                    VARCHAR(8192) NOT NULL,
    token_profile             VARCHAR(16)   NOT NULL,
    access_token_ttl_seconds  INTEGER       NOT NULL,
    refresh_token_ttl_seconds INTEGER       NOT NULL,
    require_consent           BOOLEAN       NOT NULL,
    registration_token_hash   VARCHAR(128),
    dynamically_registered    BOOLEAN       NOT NULL DEFAULT FALSE,
    active                    BOOLEAN       NOT NULL DEFAULT TRUE,
    created_at                TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT oauth_client_client_id_uk UNIQUE (client_id)
);

CREATE TABLE signing_key (
    kid             VARCHAR(64)    NOT NULL PRIMARY KEY,
    algorithm       VARCHAR(16)    NOT NULL,
    public_jwk      VARCHAR(4096)  NOT NULL,
    private_key_enc VARCHAR(8192)  NOT NULL,
    status          VARCHAR(16)    NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    retired_at      TIMESTAMP WITH TIME ZONE
);
