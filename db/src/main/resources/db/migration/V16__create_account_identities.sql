-- External identities linked to accounts (login through an OpenID Connect provider; SAML later): the issuer (or
-- IdP entity id) and the subject there. One external identity belongs to at most one account.
CREATE TABLE account_identity (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    account_id  VARCHAR(36)   NOT NULL,
    type        VARCHAR(8)    NOT NULL,
    provider    VARCHAR(64)   NOT NULL,
    issuer      VARCHAR(1024) NOT NULL,
    subject     VARCHAR(1024) NOT NULL,
    email       VARCHAR(320),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_login_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT account_identity_uk UNIQUE (type, issuer, subject),
    CONSTRAINT account_identity_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX account_identity_account_ix ON account_identity (account_id);

-- A registration started after an external login carries that identity; approval links it to the new account.
ALTER TABLE registration_request ADD COLUMN identity_type VARCHAR(8);
ALTER TABLE registration_request ADD COLUMN identity_provider VARCHAR(64);
ALTER TABLE registration_request ADD COLUMN identity_issuer VARCHAR(1024);
ALTER TABLE registration_request ADD COLUMN identity_subject VARCHAR(1024);
