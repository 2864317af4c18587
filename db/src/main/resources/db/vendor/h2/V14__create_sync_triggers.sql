-- H2 (the embedded evaluation database): the sync outbox triggers of V13, as Java triggers
-- (eu.tessera.db.h2.SyncEventTrigger, in this jar) with the same events as the PostgreSQL functions.
CREATE TRIGGER account_sync_insert AFTER INSERT ON account FOR EACH ROW CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER account_sync_update AFTER UPDATE ON account FOR EACH ROW CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER account_sync_delete AFTER DELETE ON account FOR EACH ROW CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER membership_sync_insert AFTER INSERT ON membership FOR EACH ROW
    CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER membership_sync_delete AFTER DELETE ON membership FOR EACH ROW
    CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER account_certificate_sync_insert AFTER INSERT ON account_certificate FOR EACH ROW
    CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER account_certificate_sync_delete AFTER DELETE ON account_certificate FOR EACH ROW
    CALL 'eu.tessera.db.h2.SyncEventTrigger';
CREATE TRIGGER vo_group_sync_update AFTER UPDATE ON vo_group FOR EACH ROW CALL 'eu.tessera.db.h2.SyncEventTrigger';
