package eu.tessera.server.oauth2.token;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spring Authorization Server keeps scopes in hash sets; the WLCG group claim needs the request order
 * (profile section 3.1). The raw {@code scope} parameter is kept under {@link #PARAMETER} in the authorization
 * request and used to order the granted scopes.
 */
public final class RequestedScopeOrder {

    /** Additional-parameter key holding the raw {@code scope} value of the original request. */
    public static final String PARAMETER = "tessera.scope_order";

    private RequestedScopeOrder() {
    }

    /** The granted scopes, in the order of {@code rawScope}, followed by any not in it. */
    public static List<String> order(Collection<String> granted, String rawScope) {
        Set<String> remaining = new LinkedHashSet<>(granted);
        List<String> ordered = new ArrayList<>(granted.size());
        if (rawScope != null) {
            for (String scope : Arrays.asList(rawScope.split(" "))) {
                if (remaining.remove(scope)) {
                    ordered.add(scope);
                }
            }
        }
        List<String> rest = new ArrayList<>(remaining);
        rest.sort(null);
        ordered.addAll(rest);
        return ordered;
    }

    /** The raw scope string stored in additional parameters, if any. */
    public static String from(Map<String, Object> additionalParameters) {
        Object value = additionalParameters == null ? null : additionalParameters.get(PARAMETER);
        return value instanceof String s ? s : null;
    }
}
