-- X.509 certificates linked to accounts (VOMS AA, X.509 login). Subject and issuer are stored in one canonical
-- form (OpenSSL slash form); the same subject under different issuers is a different certificate, and one
-- certificate belongs to at most one account.
CREATE TABLE account_certificate (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    account_id  VARCHAR(36)   NOT NULL,
    subject_dn  VARCHAR(2048) NOT NULL,
    issuer_dn   VARCHAR(2048) NOT NULL,
    label       VARCHAR(255),
    pem         TEXT,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT account_certificate_uk UNIQUE (subject_dn, issuer_dn),
    CONSTRAINT account_certificate_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX account_certificate_account_ix ON account_certificate (account_id);

-- Free-form account attributes (name -> value); issued as VOMS generic attributes.
CREATE TABLE account_attribute (
    account_id VARCHAR(36)  NOT NULL,
    name       VARCHAR(64)  NOT NULL,
    attr_value VARCHAR(1024) NOT NULL,
    CONSTRAINT account_attribute_pk PRIMARY KEY (account_id, name),
    CONSTRAINT account_attribute_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
