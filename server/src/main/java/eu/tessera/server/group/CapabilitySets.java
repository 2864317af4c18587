package eu.tessera.server.group;

import eu.tessera.policy.InvalidScopeException;
import eu.tessera.policy.scope.ComputeScope;
import eu.tessera.policy.scope.StorageScope;
import eu.tessera.policy.scope.WlcgScope;
import eu.tessera.server.audit.AuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * WLCG capability sets (Common JWT Profile v1.2+, section 3.3 "Group-Based Capability Selection"): the capabilities a
 * global admin or the group's VO admin attached to a group. A member who asks for
 * {@code wlcg.capabilityset:<group path>} gets all of them in the access token's {@code scope}; {@code {username}}
 * in a storage path becomes the member's username ({@code storage.create:/dune/home/{username}}).
 */
@Service
public class CapabilitySets {

    public static final String USERNAME = "{username}";
    private static final int MAX_CAPABILITIES = 50;

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Clock clock;

    public CapabilitySets(JdbcTemplate jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** The capabilities attached to a group (as entered), if any. */
    public Optional<String> of(String groupId) {
        return jdbc.query("select capabilities from capability_set where group_id = ?",
                rs -> rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty(), groupId);
    }

    /** The group paths that have a capability set (discovery lists {@code wlcg.capabilityset:<path>} for each). */
    public List<String> groupPaths() {
        return jdbc.queryForList("select g.path from capability_set c join vo_group g on g.id = c.group_id order by "
                + "g.path", String.class);
    }

    /** The set's capabilities for a member, {@code {username}} filled in; empty when the group has no set. */
    public Optional<List<String>> expand(String groupPath, String username) {
        return jdbc.query("select c.capabilities from capability_set c join vo_group g on g.id = c.group_id where "
                + "g.path = ?", rs -> rs.next() ? Optional.of(List.of(rs.getString(1).split(" "))
                .stream().map(c -> c.replace(USERNAME, username)).toList()) : Optional.<List<String>>empty(),
                groupPath);
    }

    /**
     * Sets (or, when {@code capabilities} is blank, removes) a group's capability set.
     *
     * @throws GroupAdmin.GroupException 400 naming the first capability that is not a storage or compute scope
     */
    @Transactional
    public void set(String groupId, String capabilities, String actor) {
        List<String> normalized = normalize(capabilities);
        if (normalized.isEmpty()) {
            if (jdbc.update("delete from capability_set where group_id = ?", groupId) > 0) {
                audit.record("group.capabilities_removed", actor, groupId, Map.of());
            }
            return;
        }
        String value = String.join(" ", normalized);
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.update("update capability_set set capabilities = ?, updated_at = ? where group_id = ?", value, now,
                groupId) == 0) {
            jdbc.update("insert into capability_set (group_id, capabilities, updated_at) values (?, ?, ?)", groupId,
                    value, now);
        }
        audit.record("group.capabilities_set", actor, groupId, Map.of("capabilities", value));
    }

    /** Storage and compute scopes only, valid per the WLCG profile, without duplicates, in the order given. */
    static List<String> normalize(String capabilities) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String token : (capabilities == null ? "" : capabilities).trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            WlcgScope parsed;
            try {
                // {username} stands for a path component; checked as one
                parsed = WlcgScope.parse(token.replace(USERNAME, "username"));
            } catch (InvalidScopeException e) {
                throw new GroupAdmin.GroupException(400, "not a valid capability: " + token + " (" + e.getMessage()
                        + ")");
            }
            if (!(parsed instanceof StorageScope) && !(parsed instanceof ComputeScope)) {
                throw new GroupAdmin.GroupException(400, "not a capability: " + token + " (storage.* and compute.* "
                        + "scopes only)");
            }
            out.add(token);
        }
        if (out.size() > MAX_CAPABILITIES) {
            throw new GroupAdmin.GroupException(400, "at most " + MAX_CAPABILITIES + " capabilities in a set");
        }
        return new ArrayList<>(out);
    }
}
