-- The SAML assertion consumer (issue 6). A Response arrives by a cross-site POST, which carries no SameSite=Lax
-- session cookie: the validated result is kept with its request and picked up by the browser's own session on the
-- redirect that follows (a top-level GET, which does carry it).
ALTER TABLE saml_request ADD COLUMN validated_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE saml_request ADD COLUMN login_result VARCHAR(200000);

-- Assertion IDs seen, until the assertion could no longer be presented: one-time use shared by all instances.
CREATE TABLE saml_assertion_seen (
    id            VARCHAR(256)  NOT NULL PRIMARY KEY,
    idp_entity_id VARCHAR(1024) NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX saml_assertion_seen_expires_ix ON saml_assertion_seen (expires_at);

-- account_identity.attribute: V20 in db/vendor (H2 must re-create that table's sync triggers around the change).
ALTER TABLE registration_request ADD COLUMN identity_attribute VARCHAR(128);
