package eu.tessera.server.oauth2.scope;

import eu.tessera.policy.PolicyException;
import eu.tessera.policy.scope.ClientScopeMatcher;
import eu.tessera.policy.scope.ScopePolicy;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.group.BeyondVoException;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.server.group.GroupPaths;
import eu.tessera.server.group.VoAdmins;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Scope policies a VO's admins manage themselves (issue 18), within limits a global admin sets per VO: a VO admin's
 * policy applies to a group of their VO (never to an account, never to everyone), matches by EQ or PATH (a regular
 * expression could reach past the limits), and a PERMIT names scopes covered by the VO's limits
 * ({@code storage.read:/cms} covers {@code storage.read:/cms/data}; no limits: the VO's admins may only DENY). Global
 * admins are not limited.
 */
@Service
public class VoScopePolicies {

    private final JdbcTemplate jdbc;
    private final VoAdmins vos;
    private final GroupAdmin groups;
    private final AuditLog audit;
    private final Clock clock;

    private final ScopePolicyService policies;

    public VoScopePolicies(JdbcTemplate jdbc, VoAdmins vos, GroupAdmin groups, AuditLog audit, Clock clock,
            ScopePolicyService policies) {
        this.policies = policies;
        this.jdbc = jdbc;
        this.vos = vos;
        this.groups = groups;
        this.audit = audit;
        this.clock = clock;
    }

    /** The scopes the VO's admins may permit; empty: none (they may only deny). */
    public List<String> limits(String voGroupId) {
        return jdbc.queryForList("select scopes from vo_scope_limit where vo_group_id = ?", String.class, voGroupId)
                .stream().findFirst().map(VoScopePolicies::split).orElse(List.of());
    }

    /** Sets the VO's limits (global admins): WLCG or plain scopes separated by spaces; empty removes them. */
    @Transactional
    public void setLimits(String voGroupId, String scopes, String actor) {
        List<String> list = split(scopes == null ? "" : scopes);
        if (String.join(" ", list).length() > 4000) {
            throw new IllegalArgumentException("limits: at most 4000 characters");
        }
        for (String scope : list) {
            try {
                ClientScopeMatcher.of(List.of(scope)).grant(List.of(scope));
            } catch (PolicyException e) {
                throw new IllegalArgumentException("limits: " + e.getMessage());
            }
            if (scope.startsWith("iam:") || scope.startsWith("scim:")) {
                throw new IllegalArgumentException("limits: " + scope + " is for global admins only");
            }
        }
        jdbc.update("delete from vo_scope_limit where vo_group_id = ?", voGroupId);
        if (!list.isEmpty()) {
            jdbc.update("insert into vo_scope_limit (vo_group_id, scopes, updated_at, updated_by) values (?, ?, ?, ?)",
                    voGroupId, String.join(" ", list), Timestamp.from(clock.instant()), actor);
        }
        audit.record("vo.scope_limits", actor, voGroupId, Map.of("scopes", String.join(" ", list)));
    }

    /**
     * The VO (its group) whose admin {@code adminId} may create, change or delete {@code policy}.
     *
     * @throws BeyondVoException naming what goes past the admin's VO or its limits
     */
    public GroupAdmin.Group check(String adminId, ScopePolicy policy) {
        if (policy.groupId() == null) {
            throw new BeyondVoException("a VO admin's policy applies to a group of their VO (not to an account or everyone)");
        }
        GroupAdmin.Group group = groups.find(policy.groupId())
                .orElseThrow(() -> new IllegalArgumentException("group: no group " + policy.groupId()));
        GroupAdmin.Group vo = vos.voOf(group.path()).filter(v -> vos.administers(adminId, v.path()))
                .orElseThrow(() -> new BeyondVoException("the group " + group.path() + " is not in a VO you administer"));
        if (policy.matching() == ScopePolicy.Matching.REGEXP) {
            throw new BeyondVoException("VO admins' policies match scopes by EQ or PATH, not REGEXP");
        }
        if (policy.rule() == ScopePolicy.Rule.PERMIT) {
            if (policy.scopes().isEmpty()) {
                throw new BeyondVoException("a VO admin's PERMIT names its scopes (an empty list would permit every scope)");
            }
            List<String> limits = limits(vo.id());
            for (String scope : policy.scopes()) {
                try {
                    ClientScopeMatcher.of(limits).grant(List.of(scope));
                } catch (PolicyException e) {
                    throw new BeyondVoException("the VO " + vo.path() + " may permit only " + (limits.isEmpty()
                            ? "nothing (no limits are set: ask a global admin)" : String.join(" ", limits))
                            + "; " + scope + " is beyond that");
                }
            }
        }
        return vo;
    }

    /** Whether the policy is one of the VOs {@code adminId} administers (by its group). */
    public boolean administers(String adminId, ScopePolicy policy) {
        return policy.groupId() != null && groups.find(policy.groupId())
                .map(group -> vos.administers(adminId, group.path())).orElse(false);
    }

    /** A policy of a VO's group, for its page. */
    public record Row(long id, String rule, String matching, String group, List<String> scopes, String description) {
    }

    /** The policies of the VO's groups, for its page. */
    public List<Row> rows(String voPath) {
        return ofVo(policies.findAll(), voPath).stream().map(record -> {
            ScopePolicy policy = record.toPolicy();
            return new Row(record.getId(), policy.rule().name(), policy.matching().name(),
                    groups.find(policy.groupId()).map(GroupAdmin.Group::path).orElse(""), policy.scopes(),
                    record.getDescription());
        }).toList();
    }

    /** The policies of the VO's groups. */
    public List<ScopePolicyRecord> ofVo(List<ScopePolicyRecord> all, String voPath) {
        return all.stream().filter(record -> Optional.ofNullable(record.toPolicy().groupId())
                .flatMap(groups::find).map(g -> GroupPaths.isWithin(g.path(), voPath)).orElse(false)).toList();
    }

    private static List<String> split(String scopes) {
        return Arrays.stream(scopes.strip().split("\\s+")).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
