package eu.tessera.server.oauth2;

import java.util.List;
import java.util.Map;

/**
 * What both discovery documents (RFC 8414 {@code /.well-known/oauth-authorization-server} and OpenID Connect
 * Discovery {@code /.well-known/openid-configuration}) say about Tessera beyond Spring's defaults: every scope it
 * issues (clients such as oidc-agent's {@code --scope max} build their request from {@code scopes_supported}), and
 * only the client authentication methods and token bindings that work through every grant it serves. Spring
 * advertises mutual-TLS and JWT client authentication, certificate-bound tokens and DPoP by default; Tessera's
 * clients register with {@code client_secret_basic}, {@code client_secret_post} or {@code none} only, its main
 * port asks for no client certificates, and its own refresh, device and exchange grants bind no token to a key,
 * so those leave discovery.
 */
public final class DiscoveryMetadata {

    /**
     * The scopes Tessera issues; storage scopes in their base form (WLCG profile: a request may narrow the path),
     * the WLCG group scope without a group (a request may name one: {@code wlcg.groups:/vo/group}).
     */
    public static final List<String> SCOPES = List.of("openid", "profile", "email", "offline_access", "wlcg.groups",
            "eduperson_entitlement", "storage.read:/", "storage.create:/", "storage.modify:/", "storage.stage:/",
            "storage.poll:/", "compute.read", "compute.create", "compute.modify", "compute.cancel", "scim:read",
            "scim:write", "iam:admin.read", "iam:admin.write");

    /** Token endpoint: confidential clients' secret in Basic or the body; public clients (PKCE, device) none. */
    public static final List<String> TOKEN_AUTH_METHODS = List.of("client_secret_basic", "client_secret_post",
            "none");

    /** Introspection and revocation need a confidential client. */
    public static final List<String> CONFIDENTIAL_AUTH_METHODS = List.of("client_secret_basic", "client_secret_post");

    private static final List<String> UNSUPPORTED = List.of("tls_client_certificate_bound_access_tokens",
            "dpop_signing_alg_values_supported");

    private DiscoveryMetadata() {
    }

    /** Rewrites the claims of a discovery document being built. */
    public static void apply(Map<String, Object> claims) {
        apply(claims, List.of());
    }

    /**
     * The same, listing {@code wlcg.capabilityset:<group>} for each group with a capability set (WLCG profile
     * section 3.3), after the bare {@code wlcg.capabilityset}.
     */
    public static void apply(Map<String, Object> claims, List<String> capabilitySetGroups) {
        List<String> scopes = new java.util.ArrayList<>(SCOPES);
        scopes.add("wlcg.capabilityset");
        capabilitySetGroups.forEach(group -> scopes.add("wlcg.capabilityset:" + group));
        claims.put("scopes_supported", scopes);
        claims.put("token_endpoint_auth_methods_supported", TOKEN_AUTH_METHODS);
        claims.put("introspection_endpoint_auth_methods_supported", CONFIDENTIAL_AUTH_METHODS);
        claims.put("revocation_endpoint_auth_methods_supported", CONFIDENTIAL_AUTH_METHODS);
        // ID tokens' acr: REFEDS MFA when a second factor was given; acr_values with MFA alone makes a session step up
        claims.put("acr_values_supported", eu.tessera.server.login.mfa.AuthenticationMethods.ACR_VALUES_SUPPORTED);
        UNSUPPORTED.forEach(claims::remove);
    }
}
