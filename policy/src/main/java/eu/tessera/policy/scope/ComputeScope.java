package eu.tessera.policy.scope;

import eu.tessera.policy.InvalidScopeException;
import java.util.Set;

/** A compute capability, {@code compute.create} (WLCG profile section 2.2.1); compute scopes take no path. */
public record ComputeScope(String value) implements WlcgScope {

    static final String PREFIX = "compute.";

    /** The four compute capabilities of the profile. */
    public static final Set<String> CAPABILITIES =
            Set.of("compute.read", "compute.modify", "compute.create", "compute.cancel");

    static ComputeScope of(String value, String name, String argument) {
        if (!CAPABILITIES.contains(name)) {
            throw new InvalidScopeException(value, "unknown compute capability " + name);
        }
        if (argument != null) {
            throw new InvalidScopeException(value, "compute scopes take no path");
        }
        return new ComputeScope(value);
    }

    @Override
    public boolean covers(WlcgScope requested) {
        return requested.value().equals(value);
    }
}
