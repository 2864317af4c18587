package eu.tessera.policy.scope;

import eu.tessera.policy.InvalidScopeException;
import java.util.regex.Pattern;

/**
 * {@code wlcg.groups} (the default groups) or {@code wlcg.groups:/vo/sub} (one group, possibly optional),
 * WLCG profile section 3.1. {@code group} is null for the bare scope.
 */
public record GroupScope(String value, String group) implements WlcgScope {

    /** The scope name, also the claim name. */
    public static final String NAME = "wlcg.groups";

    /** Group grammar of the profile: {@code group ::= '/' groupname | group '/' groupname}. */
    private static final Pattern GROUP = Pattern.compile("(/[a-zA-Z0-9][a-zA-Z0-9_.-]*)+");

    static GroupScope of(String value, String argument) {
        if (argument == null) {
            return new GroupScope(value, null);
        }
        if (!GROUP.matcher(argument).matches()) {
            throw new InvalidScopeException(value, "malformed group in wlcg.groups scope");
        }
        return new GroupScope(value, argument);
    }

    /** Whether this is the bare {@code wlcg.groups} scope. */
    public boolean isDefaultGroups() {
        return group == null;
    }

    @Override
    public boolean covers(WlcgScope requested) {
        return requested instanceof GroupScope other && (group == null || group.equals(other.group));
    }
}
