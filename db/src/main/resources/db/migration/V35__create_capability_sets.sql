-- WLCG capability sets (profile v1.2+, section 3.3; issue 18): the capabilities attached to a group, granted to its
-- members who ask for wlcg.capabilityset:<group path>. Space-separated storage.* and compute.* scopes; {username}
-- in a storage path stands for the member's username.
CREATE TABLE capability_set (
    group_id     VARCHAR(36)   NOT NULL PRIMARY KEY,
    capabilities VARCHAR(4000) NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT capability_set_group_fk FOREIGN KEY (group_id) REFERENCES vo_group (id) ON DELETE CASCADE
);
