-- An account's new email address waits here until its owner opens the link mailed to it; the AUP version a
-- registrant accepted on the form becomes the first signature of that version.
CREATE TABLE email_change (
    token_hash VARCHAR(64)  NOT NULL PRIMARY KEY,
    account_id VARCHAR(36)  NOT NULL,
    email      VARCHAR(320) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT email_change_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX email_change_account_ix ON email_change (account_id);

ALTER TABLE registration_request ADD COLUMN aup_version INTEGER;
