-- H2: linked external identities are sync events too (see V13/V14).
CREATE TRIGGER account_identity_sync_insert AFTER INSERT ON account_identity FOR EACH ROW
    CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER account_identity_sync_delete AFTER DELETE ON account_identity FOR EACH ROW
    CALL 'eu.tessera.db.h2.SyncEventTrigger';
