-- The acceptable use policy, versioned: the highest version is in force. A signature counts for the version it
-- was given for, until expires_at (null: it does not expire). Reminder state per signature.
CREATE TABLE aup (
    version                 INTEGER       NOT NULL PRIMARY KEY,
    aup_text                VARCHAR(65536),
    url                     VARCHAR(2048),
    signature_validity_days INTEGER       NOT NULL,
    reminder_days           VARCHAR(64)   NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by              VARCHAR(255)
);

CREATE TABLE aup_signature (
    account_id         VARCHAR(36) NOT NULL PRIMARY KEY,
    aup_version        INTEGER     NOT NULL,
    signed_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at         TIMESTAMP WITH TIME ZONE,
    last_reminder_days INTEGER,
    expiry_notified    BOOLEAN     NOT NULL DEFAULT FALSE,
    CONSTRAINT aup_signature_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
