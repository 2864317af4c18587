-- A group whose members (of it or any subgroup) must use a second factor, set on the group page by its admins or its
-- VO's admins (issue 17), beside tessera.mfa.required-groups in the configuration.
-- H2 rebuilds a table to add a column and initialises its Java triggers on the temporary copy (whose name and
-- columns they would keep): drop the trigger around the change and create it again on the table itself (as V24).
DROP TRIGGER vo_group_sync_update;
ALTER TABLE vo_group ADD COLUMN mfa_required BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TRIGGER vo_group_sync_update AFTER UPDATE ON vo_group FOR EACH ROW CALL 'eu.tessera.db.h2.SyncEventTrigger';
