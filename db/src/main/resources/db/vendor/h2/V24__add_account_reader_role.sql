-- The reader role (INDIGO IAM 1.12's ROLE_READER): read-only access to the administration pages and APIs.
-- H2 rebuilds a table to add a column and initialises its Java triggers on the temporary copy (whose name and
-- columns they would keep): drop them around the change and create them again on the table itself.
DROP TRIGGER account_sync_insert;
DROP TRIGGER account_sync_update;
DROP TRIGGER account_sync_delete;
ALTER TABLE account ADD COLUMN reader BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TRIGGER account_sync_insert AFTER INSERT ON account FOR EACH ROW CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER account_sync_update AFTER UPDATE ON account FOR EACH ROW CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER account_sync_delete AFTER DELETE ON account FOR EACH ROW CALL 'eu.tessera.db.h2.SyncEventTrigger';
