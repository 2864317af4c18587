package eu.tessera.server.oauth2.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Client metadata of RFC 7591 section 2, parsed from a registration request and checked.
 * {@link #parse(Map, boolean)} and {@link #toJson(OAuthClient)} form the request/response pair.
 */
public record ClientMetadata(String clientName, Set<String> redirectUris, Set<String> postLogoutRedirectUris,
        String authMethod, Set<String> grantTypes, Set<String> scopes, TokenProfile profile,
        TokenLifetimes lifetimes) {

    public static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** Grants a client may get without an admin token (user-delegated only). */
    static final Set<String> USER_DELEGATED = Set.of("authorization_code", "refresh_token", DEVICE_CODE);
    static final Set<String> KNOWN_GRANTS = Set.of("authorization_code", "refresh_token", DEVICE_CODE,
            "client_credentials", TOKEN_EXCHANGE);
    static final Set<String> AUTH_METHODS = Set.of("client_secret_basic", "client_secret_post", "none");
    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "vbscript", "file");

    /** A registration request that cannot be accepted, with its RFC 7591 section 3.2.2 error code. */
    public static final class InvalidMetadataException extends RuntimeException {
        private final String error;

        InvalidMetadataException(String error, String description) {
            super(description);
            this.error = error;
        }

        public String error() {
            return error;
        }
    }

    /**
     * @param privileged whether the caller presented an admin token; without one only user-delegated grants
     *                   and no admin or SCIM scopes are allowed
     */
    public static ClientMetadata parse(Map<String, Object> body, boolean privileged) {
        String name = string(body, "client_name");
        if (name != null && (name.isBlank() || name.length() > 255)) {
            throw invalid("client_name must be 1 to 255 characters");
        }
        Set<String> grants = strings(body, "grant_types", Set.of("authorization_code"));
        for (String grant : grants) {
            if (!KNOWN_GRANTS.contains(grant)) {
                throw invalid("unsupported grant type " + grant);
            }
            if (!privileged && !USER_DELEGATED.contains(grant)) {
                throw invalid("grant type " + grant + " needs a registration with an admin token");
            }
        }
        String method = string(body, "token_endpoint_auth_method");
        method = method == null ? "client_secret_basic" : method;
        if (!AUTH_METHODS.contains(method)) {
            throw invalid("unsupported token_endpoint_auth_method " + method);
        }
        if (method.equals("none") && !grants.stream().allMatch(USER_DELEGATED::contains)) {
            throw invalid("a public client may only use user-delegated grants");
        }
        Set<String> responseTypes = strings(body, "response_types", Set.of());
        for (String responseType : responseTypes) {
            if (!responseType.equals("code")) {
                throw invalid("unsupported response type " + responseType + " (only code)");
            }
        }
        Set<String> redirects = uris(body, "redirect_uris");
        if (grants.contains("authorization_code") && redirects.isEmpty()) {
            throw new InvalidMetadataException("invalid_redirect_uri", "authorization_code needs redirect_uris");
        }
        Set<String> postLogout = uris(body, "post_logout_redirect_uris");
        String scope = string(body, "scope");
        Set<String> scopes = new LinkedHashSet<>(scope == null || scope.isBlank() ? List.of("openid")
                : Arrays.asList(scope.trim().split(" +")));
        for (String value : scopes) {
            if (value.length() > 512) {
                throw invalid("scope value too long");
            }
            if (!privileged && (value.startsWith("iam:") || value.startsWith("scim:"))) {
                throw invalid("scope " + value + " needs a registration with an admin token");
            }
        }
        TokenProfile profile = TokenProfile.WLCG;
        String profileName = string(body, "token_profile");
        if (profileName != null) {
            try {
                profile = TokenProfile.fromWireName(profileName.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid("token_profile must be wlcg, aarc or iam");
            }
        }
        return new ClientMetadata(name, redirects, postLogout, method, grants, scopes, profile,
                lifetimes(body, privileged));
    }

    /** Per-client token lifetimes (INDIGO IAM's field names): only an admin registration sets them. */
    private static TokenLifetimes lifetimes(Map<String, Object> body, boolean privileged) {
        int[] values = new int[4];
        String[] names = {TokenLifetimes.ACCESS, TokenLifetimes.REFRESH, TokenLifetimes.ID, TokenLifetimes.DEVICE};
        for (int i = 0; i < names.length; i++) {
            Object value = body.get(names[i]);
            if (value == null) {
                continue;
            }
            if (!(value instanceof Integer seconds) || seconds < 1) {
                throw invalid(names[i] + " must be a positive number of seconds");
            }
            if (!privileged) {
                throw invalid(names[i] + " needs a registration with an admin token");
            }
            values[i] = seconds;
        }
        return new TokenLifetimes(values[0], values[1], values[2], values[3]);
    }

    /** The spec for a new or updated client. */
    public ClientSpec toSpec(String clientId, boolean dynamicallyRegistered) {
        boolean publicClient = authMethod.equals("none");
        return new ClientSpec(clientId, null, clientName, publicClient, Set.of(authMethod), grantTypes, redirectUris,
                postLogoutRedirectUris, scopes, profile, true, dynamicallyRegistered, lifetimes);
    }

    /** The registered metadata as returned by RFC 7591 section 3.2.1 and RFC 7592 section 3. */
    public static Map<String, Object> toJson(OAuthClient client) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("client_id", client.getClientId());
        json.put("client_id_issued_at", client.getCreatedAt().getEpochSecond());
        json.put("client_name", client.getClientName());
        json.put("redirect_uris", new ArrayList<>(client.getRedirectUris()));
        json.put("post_logout_redirect_uris", new ArrayList<>(client.getPostLogoutRedirectUris()));
        json.put("grant_types", new ArrayList<>(client.getGrantTypes()));
        json.put("response_types", client.getGrantTypes().contains("authorization_code") ? List.of("code") : List.of());
        json.put("token_endpoint_auth_method", client.getAuthMethods().iterator().next());
        json.put("scope", String.join(" ", client.getScopes()));
        json.put("token_profile", client.getTokenProfile().wireName());
        return json;
    }

    private static InvalidMetadataException invalid(String description) {
        return new InvalidMetadataException("invalid_client_metadata", description);
    }

    private static String string(Map<String, Object> body, String name) {
        Object value = body.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw invalid(name + " must be a string");
        }
        return s;
    }

    private static Set<String> strings(Map<String, Object> body, String name, Set<String> fallback) {
        Object value = body.get(name);
        if (value == null) {
            return new LinkedHashSet<>(fallback);
        }
        if (!(value instanceof List<?> list) || list.size() > 50) {
            throw invalid(name + " must be an array of at most 50 strings");
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object item : list) {
            if (!(item instanceof String s) || s.isBlank() || s.length() > 2048 || s.contains(" ")) {
                throw invalid(name + " must contain non-empty strings without spaces");
            }
            out.add(s);
        }
        return out;
    }

    private static Set<String> uris(Map<String, Object> body, String name) {
        Set<String> values = strings(body, name, Set.of());
        for (String value : values) {
            try {
                URI uri = new URI(value);
                if (!uri.isAbsolute() || uri.getFragment() != null
                        || FORBIDDEN_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                    throw new InvalidMetadataException("invalid_redirect_uri",
                            name + " must be absolute URIs without fragment: " + value);
                }
            } catch (URISyntaxException e) {
                throw new InvalidMetadataException("invalid_redirect_uri", name + " contains an invalid URI");
            }
        }
        return values;
    }
}
