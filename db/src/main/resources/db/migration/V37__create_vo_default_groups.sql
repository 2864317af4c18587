-- Groups of a VO that a registration approved for the VO joins besides the VO's own group (issue 18: "applies that
-- VO's default groups"), chosen on each group's page by the VO's admins or the global admins.
CREATE TABLE vo_default_group (
    group_id   VARCHAR(36) NOT NULL PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT vo_default_group_fk FOREIGN KEY (group_id) REFERENCES vo_group (id) ON DELETE CASCADE
);
