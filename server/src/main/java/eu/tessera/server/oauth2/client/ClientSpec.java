package eu.tessera.server.oauth2.client;

import java.util.Set;

/**
 * What a new client asks for.
 *
 * @param clientId   requested id, or null to have one generated
 * @param secret     a secret to set (bootstrap from configuration only), or null to generate one; ignored for
 *                   public clients
 * @param publicClient true for a client without secret ({@code token_endpoint_auth_method=none}); PKCE is then
 *                   required
 * @param lifetimes  the client's own token lifetimes ({@link TokenLifetimes#DEFAULT}: the server's)
 */
public record ClientSpec(String clientId, String secret, String clientName, boolean publicClient,
        Set<String> authMethods, Set<String> grantTypes, Set<String> redirectUris, Set<String> postLogoutRedirectUris,
        Set<String> scopes, TokenProfile profile, boolean requireConsent, boolean dynamicallyRegistered,
        TokenLifetimes lifetimes) {

    public ClientSpec {
        lifetimes = lifetimes == null ? TokenLifetimes.DEFAULT : lifetimes;
    }

    /** A spec with the server's token lifetimes. */
    public ClientSpec(String clientId, String secret, String clientName, boolean publicClient, Set<String> authMethods,
            Set<String> grantTypes, Set<String> redirectUris, Set<String> postLogoutRedirectUris, Set<String> scopes,
            TokenProfile profile, boolean requireConsent, boolean dynamicallyRegistered) {
        this(clientId, secret, clientName, publicClient, authMethods, grantTypes, redirectUris, postLogoutRedirectUris,
                scopes, profile, requireConsent, dynamicallyRegistered, TokenLifetimes.DEFAULT);
    }
}
