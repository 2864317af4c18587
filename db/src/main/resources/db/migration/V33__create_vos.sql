-- Several VOs in one Tessera (issue 18): a VO is a group marked as one (usually a top-level group, e.g. /cms),
-- with its own VO admins, who administer that group's subtree only. Global admins (account.admin) still see all.
CREATE TABLE vo (
    group_id   VARCHAR(36) NOT NULL PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT vo_group_fk FOREIGN KEY (group_id) REFERENCES vo_group (id) ON DELETE CASCADE
);

CREATE TABLE vo_admin (
    group_id   VARCHAR(36) NOT NULL,
    account_id VARCHAR(36) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT vo_admin_pk PRIMARY KEY (group_id, account_id),
    CONSTRAINT vo_admin_vo_fk FOREIGN KEY (group_id) REFERENCES vo (group_id) ON DELETE CASCADE,
    CONSTRAINT vo_admin_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX vo_admin_account_ix ON vo_admin (account_id);
