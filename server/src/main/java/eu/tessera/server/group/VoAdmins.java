package eu.tessera.server.group;

import eu.tessera.server.audit.AuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The VOs of an instance and their admins (issue 18): a VO is a group marked as one; its VO admins do, for that
 * group's subtree only, what global admins do with groups (members, requests, subgroups, managers, labels, end
 * times) and see nothing outside it. Only global admins mark VOs and appoint VO admins (audited).
 */
@Service
public class VoAdmins {

    /** A VO: its root group, and its admins by id and username. */
    public record Vo(String groupId, String path, List<Map<String, Object>> admins) {
    }

    /** A VO's figures: distinct members of its groups, registrations and group requests waiting for its admins. */
    public record Stats(String groupId, String path, int members, int pendingRegistrations,
            int pendingGroupRequests) {
    }

    private final JdbcTemplate jdbc;
    private final GroupAdmin groups;
    private final AuditLog audit;
    private final Clock clock;

    public VoAdmins(JdbcTemplate jdbc, GroupAdmin groups, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.groups = groups;
        this.audit = audit;
        this.clock = clock;
    }

    /** Whether the account is an admin of a VO that is this group or contains it. */
    public boolean administers(String accountId, String groupPath) {
        Integer count = jdbc.queryForObject("select count(*) from vo_admin a join vo_group g on g.id = a.group_id "
                + "where a.account_id = ? and " + GroupPaths.within("?", "g.path"), Integer.class, accountId,
                groupPath, groupPath);
        return count != null && count > 0;
    }

    /** Whether a group is one of its VO's default groups (joined by registrations approved for the VO). */
    public boolean isDefault(String groupId) {
        Integer count = jdbc.queryForObject("select count(*) from vo_default_group where group_id = ?", Integer.class,
                groupId);
        return count != null && count > 0;
    }

    /**
     * Makes a group of a VO one of its default groups, or not (audited).
     *
     * @throws GroupAdmin.GroupException 409 when the group is in no VO or is the VO's own group (always joined)
     */
    @Transactional
    public void setDefault(String groupId, boolean isDefault, String actor) {
        GroupAdmin.Group group = groups.require(groupId);
        if (!isDefault) {
            if (jdbc.update("delete from vo_default_group where group_id = ?", group.id()) > 0) {
                audit.record("vo.default_group_removed", actor, group.id(), Map.of("path", group.path()));
            }
            return;
        }
        GroupAdmin.Group vo = voOf(group.path()).orElseThrow(() -> new GroupAdmin.GroupException(409,
                group.path() + " is in no VO"));
        if (vo.id().equals(group.id())) {
            throw new GroupAdmin.GroupException(409, "new members join the VO's own group anyway");
        }
        if (!isDefault(group.id())) {
            jdbc.update("insert into vo_default_group (group_id, created_at) values (?, ?)", group.id(),
                    Timestamp.from(clock.instant()));
            audit.record("vo.default_group_added", actor, group.id(), Map.of("path", group.path()));
        }
    }

    /** The ids of a VO's default groups (inside its subtree). */
    public List<String> defaultGroups(String voGroupId) {
        GroupAdmin.Group vo = groups.require(voGroupId);
        return jdbc.queryForList("select g.id from vo_default_group d join vo_group g on g.id = d.group_id where "
                + GroupPaths.within("g.path", "?") + " and g.id <> ? order by g.path", String.class, vo.path(),
                vo.path(), vo.path(), vo.id());
    }

    /** Whether {@code adminId} administers a VO that {@code accountId} is a member of (any group of it). */
    public boolean administersMember(String adminId, String accountId) {
        Integer count = jdbc.queryForObject("select count(*) from vo_admin a join vo_group v on v.id = a.group_id "
                + "join vo_group g on " + GroupPaths.within("g.path", "v.path") + " "
                + "join membership m on m.group_id = g.id where a.account_id = ? and m.account_id = ?", Integer.class,
                adminId, accountId);
        return count != null && count > 0;
    }

    /** The ids of the VOs' groups the account administers. */
    public List<String> administeredIds(String accountId) {
        return administeredBy(accountId).stream().map(GroupAdmin.Group::id).toList();
    }

    /** The VOs the account administers, by root path. */
    public List<GroupAdmin.Group> administeredBy(String accountId) {
        return jdbc.query("select g.id, g.path, g.name, g.parent_id, g.optional from vo_admin a join vo_group g on "
                + "g.id = a.group_id where a.account_id = ? order by g.path", (rs, n) -> new GroupAdmin.Group(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)), accountId);
    }

    /** The VOs the account is a member of now (of the VO's group or one below it). */
    public List<GroupAdmin.Group> vosOf(String accountId) {
        return jdbc.query("select g.id, g.path, g.name, g.parent_id, g.optional from vo v join vo_group g on g.id = "
                + "v.group_id where exists (select 1 from membership m join vo_group mg on mg.id = m.group_id where "
                + "m.account_id = ? and (m.end_time is null or m.end_time > ?) and "
                + GroupPaths.within("mg.path", "g.path") + ") order by g.path", (rs, n) -> new GroupAdmin.Group(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)), accountId,
                java.sql.Timestamp.from(clock.instant()));
    }

    /** The VO a group is (or is in), if any: the nearest marked group on its path. */
    public Optional<GroupAdmin.Group> voOf(String groupPath) {
        return jdbc.query("select g.id, g.path, g.name, g.parent_id, g.optional from vo v join vo_group g on g.id = "
                + "v.group_id where " + GroupPaths.within("?", "g.path") + " order by length(g.path) desc", (rs, n) -> new GroupAdmin.Group(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getBoolean(5)), groupPath, groupPath).stream().findFirst();
    }

    public boolean isVo(String groupId) {
        Integer count = jdbc.queryForObject("select count(*) from vo where group_id = ?", Integer.class, groupId);
        return count != null && count > 0;
    }

    /** Every VO with its admins. */
    public List<Vo> all() {
        return jdbc.query("select g.id, g.path from vo v join vo_group g on g.id = v.group_id order by g.path",
                (rs, n) -> new Vo(rs.getString(1), rs.getString(2), admins(rs.getString(1))));
    }

    /** Every VO's figures. */
    public List<Stats> stats() {
        return jdbc.query("select g.id, g.path from vo v join vo_group g on g.id = v.group_id order by g.path",
                (rs, n) -> stats(rs.getString(1), rs.getString(2)));
    }

    /** One VO's figures. */
    public Stats stats(String groupId, String path) {
        String subtree = GroupPaths.within("g.path", "?");
        Integer members = jdbc.queryForObject("select count(distinct m.account_id) from membership m join vo_group g "
                + "on g.id = m.group_id where " + subtree, Integer.class, path, path, path);
        Integer requests = jdbc.queryForObject("select count(*) from group_request r join vo_group g on g.id = "
                + "r.group_id where r.status = 'PENDING' and " + subtree, Integer.class, path, path, path);
        Integer registrations = jdbc.queryForObject("select count(*) from registration_request where status = "
                + "'CONFIRMED' and vo_group_id = ?", Integer.class, groupId);
        return new Stats(groupId, path, members == null ? 0 : members, registrations == null ? 0 : registrations,
                requests == null ? 0 : requests);
    }

    public List<Map<String, Object>> admins(String groupId) {
        return jdbc.queryForList("select a.id, a.username from vo_admin v join account a on a.id = v.account_id "
                + "where v.group_id = ? order by a.username", groupId);
    }

    /** Marks a group as a VO (global admins). VOs do not nest: no VO inside or above another. */
    @Transactional
    public void mark(String groupId, String actor) {
        GroupAdmin.Group group = groups.require(groupId);
        if (isVo(group.id())) {
            return;
        }
        // another VO above it (its path within the other's) or below it
        Integer nested = jdbc.queryForObject("select count(*) from vo v join vo_group g on g.id = v.group_id where "
                + GroupPaths.within("?", "g.path") + " or " + GroupPaths.within("g.path", "?"), Integer.class,
                group.path(), group.path(), group.path(), group.path(), group.path());
        if (nested != null && nested > 0) {
            throw new GroupAdmin.GroupException(409, group.path() + " is inside or above another VO; VOs do not nest");
        }
        jdbc.update("insert into vo (group_id, created_at) values (?, ?)", group.id(), Timestamp.from(clock.instant()));
        audit.record("vo.created", actor, group.id(), Map.of("path", group.path()));
    }

    /** Unmarks a VO (its admins lose their powers; the groups stay). */
    @Transactional
    public void unmark(String groupId, String actor) {
        GroupAdmin.Group group = groups.require(groupId);
        if (jdbc.update("delete from vo where group_id = ?", group.id()) > 0) {
            audit.record("vo.removed", actor, group.id(), Map.of("path", group.path()));
        }
    }

    /**
     * Suspension from a VO: the account leaves every group of the VO and stops managing any (its other VOs and its
     * account are untouched); how many memberships went.
     */
    @Transactional
    public int removeFromVo(String voGroupId, String accountId, String actor) {
        GroupAdmin.Group vo = groups.require(voGroupId);
        String subtree = "select id from vo_group where " + GroupPaths.within("path", "?");
        jdbc.update("delete from group_manager where account_id = ? and group_id in (" + subtree + ")", accountId,
                vo.path(), vo.path(), vo.path());
        int removed = jdbc.update("delete from membership where account_id = ? and group_id in (" + subtree + ")",
                accountId, vo.path(), vo.path(), vo.path());
        audit.record("vo.member_removed", actor, accountId, Map.of("vo", vo.path(), "memberships", removed));
        return removed;
    }

    @Transactional
    public void addAdmin(String groupId, String accountId, String actor) {
        GroupAdmin.Group group = groups.require(groupId);
        if (!isVo(group.id())) {
            throw new GroupAdmin.GroupException(409, group.path() + " is not a VO");
        }
        if (jdbc.queryForObject("select count(*) from account where id = ?", Integer.class, accountId) == 0) {
            throw new GroupAdmin.GroupException(404, "no account " + accountId);
        }
        if (jdbc.queryForObject("select count(*) from vo_admin where group_id = ? and account_id = ?", Integer.class,
                group.id(), accountId) == 0) {
            jdbc.update("insert into vo_admin (group_id, account_id, created_at) values (?, ?, ?)", group.id(),
                    accountId, Timestamp.from(clock.instant()));
            audit.record("vo.admin_added", actor, group.id(), Map.of("account", accountId));
        }
    }

    @Transactional
    public void removeAdmin(String groupId, String accountId, String actor) {
        GroupAdmin.Group group = groups.require(groupId);
        if (jdbc.update("delete from vo_admin where group_id = ? and account_id = ?", group.id(), accountId) > 0) {
            audit.record("vo.admin_removed", actor, group.id(), Map.of("account", accountId));
        }
    }
}
