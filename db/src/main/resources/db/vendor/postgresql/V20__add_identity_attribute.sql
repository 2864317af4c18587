-- Which attribute named a SAML identity (eduPersonUniqueId, subject-id, ...); null for OpenID identities.
ALTER TABLE account_identity ADD COLUMN attribute VARCHAR(128);
