-- What a VO's admins may permit with scope policies of their own (issue 18): set by a global admin per VO; a VO
-- admin's PERMIT policy must be for a group of the VO and its scopes covered by these (storage paths narrow).
CREATE TABLE vo_scope_limit (
    vo_group_id VARCHAR(36)   NOT NULL PRIMARY KEY,
    scopes      VARCHAR(4000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  VARCHAR(255),
    CONSTRAINT vo_scope_limit_vo_fk FOREIGN KEY (vo_group_id) REFERENCES vo (group_id) ON DELETE CASCADE
);
