package eu.tessera.policy.scope;

import eu.tessera.policy.InvalidScopeException;
import java.util.regex.Pattern;

/**
 * {@code wlcg.capabilityset:/vo/group} (WLCG profile v1.2+, section 3.3 "Group-Based Capability Selection"): the
 * capabilities attached to that group, for a member of it. The parameter has the grammar of a group; a client
 * registered for the bare {@code wlcg.capabilityset} may ask for any set. {@code group} is null for the bare scope.
 */
public record CapabilitySetScope(String value, String group) implements WlcgScope {

    public static final String NAME = "wlcg.capabilityset";

    private static final Pattern GROUP = Pattern.compile("(/[a-zA-Z0-9][a-zA-Z0-9_.-]*)+");

    static CapabilitySetScope of(String value, String argument) {
        if (argument == null) {
            return new CapabilitySetScope(value, null);
        }
        if (!GROUP.matcher(argument).matches()) {
            throw new InvalidScopeException(value, "malformed group in wlcg.capabilityset scope");
        }
        return new CapabilitySetScope(value, argument);
    }

    @Override
    public boolean covers(WlcgScope requested) {
        return requested instanceof CapabilitySetScope other && (group == null || group.equals(other.group));
    }
}
