package eu.tessera.server.login.oidc;

import java.io.Serializable;

/**
 * An external identity (OpenID Connect or SAML) that logged in but is linked to no account, kept in the session so that a registration
 * started from it is prefilled and, once approved, linked to the new account.
 */
public record PendingIdentity(String type, String provider, String providerName, String issuer, String subject,
        String attribute, String email, String givenName, String familyName, String username)
        implements Serializable {

    /** Session attribute holding it. */
    public static final String SESSION = "tessera.oidc.pending-identity";
}
