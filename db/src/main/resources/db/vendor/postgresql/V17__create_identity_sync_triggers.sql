-- PostgreSQL: linked external identities are sync events too (see V13/V14).
CREATE TRIGGER account_identity_sync_event AFTER INSERT OR DELETE ON account_identity
    FOR EACH ROW EXECUTE FUNCTION sync_identity_event();
