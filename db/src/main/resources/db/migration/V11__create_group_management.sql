-- Group managers (they decide membership requests for their groups), group labels and attributes, and
-- membership requests: PENDING -> APPROVED | REJECTED.
CREATE TABLE group_manager (
    group_id   VARCHAR(36) NOT NULL,
    account_id VARCHAR(36) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT group_manager_pk PRIMARY KEY (group_id, account_id),
    CONSTRAINT group_manager_group_fk FOREIGN KEY (group_id) REFERENCES vo_group (id) ON DELETE CASCADE,
    CONSTRAINT group_manager_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX group_manager_account_ix ON group_manager (account_id);

CREATE TABLE group_property (
    group_id   VARCHAR(36)   NOT NULL,
    kind       VARCHAR(16)   NOT NULL,
    name       VARCHAR(64)   NOT NULL,
    prop_value VARCHAR(1024) NOT NULL,
    CONSTRAINT group_property_pk PRIMARY KEY (group_id, kind, name),
    CONSTRAINT group_property_group_fk FOREIGN KEY (group_id) REFERENCES vo_group (id) ON DELETE CASCADE
);

CREATE TABLE group_request (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    account_id      VARCHAR(36)   NOT NULL,
    group_id        VARCHAR(36)   NOT NULL,
    reason          VARCHAR(2000),
    status          VARCHAR(16)   NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_at      TIMESTAMP WITH TIME ZONE,
    decided_by      VARCHAR(255),
    decision_reason VARCHAR(2000),
    CONSTRAINT group_request_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE,
    CONSTRAINT group_request_group_fk FOREIGN KEY (group_id) REFERENCES vo_group (id) ON DELETE CASCADE
);
CREATE INDEX group_request_status_ix ON group_request (status, group_id);
CREATE INDEX group_request_account_ix ON group_request (account_id);
