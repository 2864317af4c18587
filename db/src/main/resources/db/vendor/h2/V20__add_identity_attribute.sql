-- Which attribute named a SAML identity (eduPersonUniqueId, subject-id, ...); null for OpenID identities.
-- H2 rebuilds a table to add a column and initialises its Java triggers on the temporary copy (whose name and
-- columns they would keep): drop them around the change and create them again on the table itself.
DROP TRIGGER account_identity_sync_insert;
DROP TRIGGER account_identity_sync_delete;
ALTER TABLE account_identity ADD COLUMN attribute VARCHAR(128);
CREATE TRIGGER account_identity_sync_insert AFTER INSERT ON account_identity FOR EACH ROW
    CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER account_identity_sync_delete AFTER DELETE ON account_identity FOR EACH ROW
    CALL 'eu.tessera.db.h2.SyncEventTrigger';
