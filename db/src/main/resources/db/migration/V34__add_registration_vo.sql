-- The VO a registration asks to join (issue 18): its admins are mailed, see it in their inbox and decide it; the
-- new account joins the VO's group on approval. Null on instances without VOs.
ALTER TABLE registration_request ADD COLUMN vo_group_id VARCHAR(36);
ALTER TABLE registration_request ADD CONSTRAINT registration_request_vo_fk FOREIGN KEY (vo_group_id)
    REFERENCES vo_group (id) ON DELETE SET NULL;
