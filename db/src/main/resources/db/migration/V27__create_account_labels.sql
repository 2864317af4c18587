-- Account labels as INDIGO IAM has them: an optional prefix (a domain name; '' for none), a name and an optional
-- value. VO scripts and importers mark accounts with them (e.g. voms.<vo>.id) and find accounts by them.
CREATE TABLE account_label (
    account_id  VARCHAR(36)  NOT NULL,
    prefix      VARCHAR(256) DEFAULT '' NOT NULL,
    name        VARCHAR(64)  NOT NULL,
    label_value VARCHAR(64),
    CONSTRAINT account_label_pk PRIMARY KEY (account_id, prefix, name),
    CONSTRAINT account_label_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX account_label_name_ix ON account_label (prefix, name, label_value);
