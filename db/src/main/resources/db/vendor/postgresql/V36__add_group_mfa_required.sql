-- A group whose members (of it or any subgroup) must use a second factor, set on the group page by its admins or its
-- VO's admins (issue 17), beside tessera.mfa.required-groups in the configuration.
ALTER TABLE vo_group ADD COLUMN mfa_required BOOLEAN NOT NULL DEFAULT FALSE;
