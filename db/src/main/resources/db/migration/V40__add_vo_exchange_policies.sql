-- Token-exchange policies of a VO (issue 18): written by the VO's admins, they apply to exchanges of tokens of the
-- VO's members: a DENY narrows what the global policies permit, a PERMIT adds an exchange towards one of the clients
-- a global admin allowed the VO (vo_exchange_limit). Null vo_group_id: a global policy, as before.
ALTER TABLE exchange_policy ADD COLUMN vo_group_id VARCHAR(36);
ALTER TABLE exchange_policy ADD CONSTRAINT exchange_policy_vo_fk FOREIGN KEY (vo_group_id) REFERENCES vo (group_id)
    ON DELETE CASCADE;

CREATE TABLE vo_exchange_limit (
    vo_group_id VARCHAR(36)   NOT NULL PRIMARY KEY,
    client_ids  VARCHAR(4000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  VARCHAR(255),
    CONSTRAINT vo_exchange_limit_vo_fk FOREIGN KEY (vo_group_id) REFERENCES vo (group_id) ON DELETE CASCADE
);
