-- Per-VO addenda to the acceptable use policy (issue 18): a VO's admins publish versions of their own, with their
-- own signature validity and reminders. Members sign the VO's version in force besides the common AUP; until they
-- do, tokens leave out the VO's groups (and what policies grant through them) and the AA refuses the VO's ACs.
CREATE TABLE vo_aup (
    vo_group_id             VARCHAR(36)   NOT NULL,
    version                 INTEGER       NOT NULL,
    aup_text                VARCHAR(65536),
    url                     VARCHAR(2048),
    signature_validity_days INTEGER       NOT NULL,
    reminder_days           VARCHAR(64)   NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by              VARCHAR(255),
    CONSTRAINT vo_aup_pk PRIMARY KEY (vo_group_id, version),
    CONSTRAINT vo_aup_vo_fk FOREIGN KEY (vo_group_id) REFERENCES vo (group_id) ON DELETE CASCADE
);

CREATE TABLE vo_aup_signature (
    vo_group_id        VARCHAR(36) NOT NULL,
    account_id         VARCHAR(36) NOT NULL,
    aup_version        INTEGER     NOT NULL,
    signed_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at         TIMESTAMP WITH TIME ZONE,
    last_reminder_days INTEGER,
    expiry_notified    BOOLEAN     NOT NULL DEFAULT FALSE,
    CONSTRAINT vo_aup_signature_pk PRIMARY KEY (vo_group_id, account_id),
    CONSTRAINT vo_aup_signature_vo_fk FOREIGN KEY (vo_group_id) REFERENCES vo (group_id) ON DELETE CASCADE,
    CONSTRAINT vo_aup_signature_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX vo_aup_signature_account_ix ON vo_aup_signature (account_id);

-- the addendum version accepted on the registration form, signed when the request is approved
ALTER TABLE registration_request ADD COLUMN vo_aup_version INTEGER;
