package eu.tessera.policy.scope;

import eu.tessera.policy.InvalidScopeException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which requested scopes a client may be granted from the scopes it is registered for
 * (RFC 6749 section 3.3; storage paths narrowed per component as WLCG profile v1.3 section 2.2.1 requires).
 */
public final class ClientScopeMatcher {

    private final List<WlcgScope> registered;

    private ClientScopeMatcher(List<WlcgScope> registered) {
        this.registered = registered;
    }

    /** A matcher for one client's registered scopes; registered values that do not parse are ignored. */
    public static ClientScopeMatcher of(Collection<String> registeredScopes) {
        List<WlcgScope> parsed = new ArrayList<>(registeredScopes.size());
        for (String scope : registeredScopes) {
            try {
                parsed.add(WlcgScope.parse(scope));
            } catch (InvalidScopeException ignored) {
                // a registration that predates a grammar change must not make the client unusable
            }
        }
        return new ClientScopeMatcher(List.copyOf(parsed));
    }

    /**
     * The requested scopes in request order without duplicates, each checked against the registration.
     *
     * @throws InvalidScopeException for the first scope that is malformed or not covered
     */
    public List<WlcgScope> grant(Collection<String> requested) {
        Set<String> seen = new LinkedHashSet<>();
        List<WlcgScope> granted = new ArrayList<>(requested.size());
        for (String value : requested) {
            if (!seen.add(value)) {
                continue;
            }
            WlcgScope scope = WlcgScope.parse(value);
            if (!covers(scope)) {
                throw new InvalidScopeException(value, "scope not allowed for this client: " + value);
            }
            granted.add(scope);
        }
        return granted;
    }

    /** Whether any registered scope covers the requested one. */
    public boolean covers(WlcgScope requested) {
        for (WlcgScope scope : registered) {
            if (scope.covers(requested)) {
                return true;
            }
        }
        return false;
    }
}
