package eu.tessera.policy.scope;

import eu.tessera.policy.GroupNotEntitledException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes the ordered {@code wlcg.groups} claim from the group scopes of a request
 * (WLCG profile v1.3 section 3.1): explicitly requested groups in request order; the default groups at the
 * position of the bare {@code wlcg.groups} scope, which is implied at the end when only explicit groups are
 * requested; no duplicates; optional groups only when requested; a group the user lacks is refused.
 */
public final class WlcgGroupSelector {

    private WlcgGroupSelector() {
    }

    /**
     * @param scopes         the granted scopes, in request order
     * @param defaultGroups  the user's default groups, in the VO's order
     * @param entitledGroups every group the user may ask for (default and optional memberships)
     * @return the claim value, or {@code null} when no group scope was granted
     * @throws GroupNotEntitledException for a requested group the user is not a member of
     */
    public static List<String> select(Collection<? extends WlcgScope> scopes, List<String> defaultGroups,
            Set<String> entitledGroups) {
        Set<String> claim = new LinkedHashSet<>();
        boolean anyGroupScope = false;
        boolean defaultsAdded = false;
        for (WlcgScope scope : scopes) {
            if (!(scope instanceof GroupScope group)) {
                continue;
            }
            anyGroupScope = true;
            if (group.isDefaultGroups()) {
                if (!defaultsAdded) {
                    claim.addAll(defaultGroups);
                    defaultsAdded = true;
                }
            } else {
                if (!entitledGroups.contains(group.group())) {
                    throw new GroupNotEntitledException(group.group());
                }
                claim.add(group.group());
            }
        }
        if (!anyGroupScope) {
            return null;
        }
        if (!defaultsAdded) {
            claim.addAll(defaultGroups);
        }
        return new ArrayList<>(claim);
    }
}
