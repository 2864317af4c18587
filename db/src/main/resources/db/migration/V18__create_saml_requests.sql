-- SAML AuthnRequests sent and not yet answered, shared by all instances: the Response's InResponseTo must name one,
-- and it is consumed once (no replay of a response to the same request).
CREATE TABLE saml_request (
    id            VARCHAR(64)   NOT NULL PRIMARY KEY,
    idp_entity_id VARCHAR(1024) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    consumed_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX saml_request_expires_ix ON saml_request (expires_at);
