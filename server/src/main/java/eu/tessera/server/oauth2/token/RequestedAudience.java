package eu.tessera.server.oauth2.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;

/**
 * The {@code aud} of a token: the {@code audience} (RFC 8693) and {@code resource} (RFC 8707) parameters,
 * or the WLCG "any" audience when neither is given (WLCG profile section 2.1.1).
 */
public final class RequestedAudience {

    /** WLCG profile: the audience accepted by any relying party. */
    public static final String WLCG_ANY = "https://wlcg.cern.ch/jwt/v1/any";
    private static final int MAX_AUDIENCES = 10;
    private static final int MAX_LENGTH = 2048;

    private RequestedAudience() {
    }

    /**
     * Audiences from request parameters; empty when none was requested.
     *
     * @throws OAuth2AuthenticationException {@code invalid_target} for a resource that is not an absolute URI
     *                                       without fragment, or for too many or too long values
     */
    public static List<String> from(Map<String, Object> parameters) {
        Set<String> audiences = new LinkedHashSet<>();
        for (String value : values(parameters.get("audience"))) {
            // oidc-agent 4 sends several audiences space-separated in one parameter
            for (String audience : value.trim().split(" +")) {
                if (!audience.isEmpty()) {
                    audiences.add(check(audience));
                }
            }
        }
        for (String resource : values(parameters.get("resource"))) {
            try {
                URI uri = new URI(resource);
                if (!uri.isAbsolute() || uri.getFragment() != null) {
                    throw invalidTarget("resource must be an absolute URI without a fragment");
                }
            } catch (URISyntaxException e) {
                throw invalidTarget("resource is not a valid URI");
            }
            audiences.add(check(resource));
        }
        if (audiences.size() > MAX_AUDIENCES) {
            throw invalidTarget("too many audiences");
        }
        return new ArrayList<>(audiences);
    }

    private static String check(String audience) {
        if (audience.length() > MAX_LENGTH) {
            throw invalidTarget("audience too long");
        }
        return audience;
    }

    private static List<String> values(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof String[] array) {
            return List.of(array);
        }
        return List.of();
    }

    static OAuth2AuthenticationException invalidTarget(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error("invalid_target", description, null));
    }
}
