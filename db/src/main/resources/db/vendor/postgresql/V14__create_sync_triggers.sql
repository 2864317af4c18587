-- PostgreSQL: the sync outbox triggers (see V13). Cascaded deletes (an account or a group removed) fire the
-- membership and certificate triggers too, so every affected account gets an event.
CREATE FUNCTION sync_account_event() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO sync_event (account_id, username, kind) VALUES (NEW.id, NEW.username, 'account.created');
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO sync_event (account_id, username, kind) VALUES (OLD.id, OLD.username, 'account.removed');
    ELSIF OLD.active IS DISTINCT FROM NEW.active OR OLD.lifecycle_state IS DISTINCT FROM NEW.lifecycle_state THEN
        INSERT INTO sync_event (account_id, username, kind) VALUES (NEW.id, NEW.username, 'account.status');
    ELSIF OLD.username IS DISTINCT FROM NEW.username OR OLD.email IS DISTINCT FROM NEW.email
            OR OLD.given_name IS DISTINCT FROM NEW.given_name OR OLD.family_name IS DISTINCT FROM NEW.family_name
            OR OLD.service_account IS DISTINCT FROM NEW.service_account THEN
        INSERT INTO sync_event (account_id, username, kind) VALUES (NEW.id, NEW.username, 'account.updated');
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER account_sync_event AFTER INSERT OR UPDATE OR DELETE ON account
    FOR EACH ROW EXECUTE FUNCTION sync_account_event();

CREATE FUNCTION sync_membership_event() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO sync_event (account_id, kind) VALUES (NEW.account_id, 'membership.added');
    ELSE
        INSERT INTO sync_event (account_id, kind) VALUES (OLD.account_id, 'membership.removed');
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER membership_sync_event AFTER INSERT OR DELETE ON membership
    FOR EACH ROW EXECUTE FUNCTION sync_membership_event();

CREATE FUNCTION sync_identity_event() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO sync_event (account_id, kind) VALUES (NEW.account_id, 'identity.linked');
    ELSE
        INSERT INTO sync_event (account_id, kind) VALUES (OLD.account_id, 'identity.unlinked');
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER account_certificate_sync_event AFTER INSERT OR DELETE ON account_certificate
    FOR EACH ROW EXECUTE FUNCTION sync_identity_event();

-- A renamed or moved group changes the group names of all its members.
CREATE FUNCTION sync_group_event() RETURNS trigger AS $$
BEGIN
    IF OLD.path IS DISTINCT FROM NEW.path THEN
        INSERT INTO sync_event (account_id, kind) SELECT account_id, 'group.renamed' FROM membership
            WHERE group_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER vo_group_sync_event AFTER UPDATE ON vo_group
    FOR EACH ROW EXECUTE FUNCTION sync_group_event();
