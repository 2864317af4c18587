-- Accounts, the group tree and memberships. One migration set for PostgreSQL and H2 (PostgreSQL mode).
CREATE TABLE account (
    id              VARCHAR(36)  NOT NULL PRIMARY KEY,
    username        VARCHAR(128) NOT NULL,
    password_hash   VARCHAR(255),
    email           VARCHAR(320),
    given_name      VARCHAR(255),
    family_name     VARCHAR(255),
    admin           BOOLEAN      NOT NULL DEFAULT FALSE,
    service_account BOOLEAN      NOT NULL DEFAULT FALSE,
    active          BOOLEAN      NOT NULL DEFAULT TRUE,
    end_time        TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT account_username_uk UNIQUE (username)
);
CREATE INDEX account_email_ix ON account (email);

CREATE TABLE vo_group (
    id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    path       VARCHAR(512) NOT NULL,
    name       VARCHAR(128) NOT NULL,
    parent_id  VARCHAR(36),
    optional   BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT vo_group_path_uk UNIQUE (path),
    CONSTRAINT vo_group_parent_fk FOREIGN KEY (parent_id) REFERENCES vo_group (id)
);

CREATE TABLE membership (
    account_id VARCHAR(36) NOT NULL,
    group_id   VARCHAR(36) NOT NULL,
    optional   BOOLEAN     NOT NULL DEFAULT FALSE,
    end_time   TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT membership_pk PRIMARY KEY (account_id, group_id),
    CONSTRAINT membership_account_fk FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE,
    CONSTRAINT membership_group_fk FOREIGN KEY (group_id) REFERENCES vo_group (id) ON DELETE CASCADE
);
CREATE INDEX membership_group_ix ON membership (group_id);

-- Failed-login counters per account and per address, shared by every instance.
CREATE TABLE login_throttle (
    throttle_key VARCHAR(200) NOT NULL PRIMARY KEY,
    failures     INTEGER      NOT NULL,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_until TIMESTAMP WITH TIME ZONE
);
