package eu.tessera.server.group;

import java.util.List;
import java.util.Set;

/**
 * The groups one account may put in a token: default groups in the VO's order (by path, parents first) and
 * every group it may request explicitly (default and optional memberships).
 */
public record GroupMemberships(List<String> defaultGroups, Set<String> entitledGroups) {

    public static final GroupMemberships NONE = new GroupMemberships(List.of(), Set.of());
}
