-- IdPs an admin marked trusted at run time (besides tessera.saml.trusted-idps): their unknown users get an account
-- just in time instead of registering.
CREATE TABLE saml_trusted_idp (
    entity_id  VARCHAR(1024) NOT NULL PRIMARY KEY,
    added_by   VARCHAR(255)  NOT NULL,
    added_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
