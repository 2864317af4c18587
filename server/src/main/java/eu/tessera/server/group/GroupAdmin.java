package eu.tessera.server.group;

import eu.tessera.server.audit.AuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Changes to the group tree and its memberships: create, rename, move (paths of the whole subtree follow),
 * delete (only empty of subgroups), mark optional, labels and attributes, members (a direct add resolves a
 * pending request) and managers. Every change is audited.
 */
@Service
public class GroupAdmin {

    /** A group as the API shows it. */
    public record Group(String id, String path, String name, String parentId, boolean optional) {
    }

    /** A refused change; {@code status} is the HTTP status that fits it. */
    public static class GroupException extends RuntimeException {
        private final int status;

        public GroupException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern PROPERTY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}");

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Clock clock;

    public GroupAdmin(JdbcTemplate jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Group> all() {
        return jdbc.query("select id, path, name, parent_id, optional from vo_group order by path",
                (rs, n) -> new Group(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5)));
    }

    public Optional<Group> find(String idOrPath) {
        return jdbc.query("select id, path, name, parent_id, optional from vo_group where id = ? or path = ?",
                (rs, n) -> new Group(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5)), idOrPath, idOrPath).stream().findFirst();
    }

    public Group require(String idOrPath) {
        return find(idOrPath).orElseThrow(() -> new GroupException(404, "no group " + idOrPath));
    }

    @Transactional
    public Group create(String name, String parent, boolean optional) {
        checkName(name);
        String parentId = null;
        String path = "/" + name;
        if (parent != null && !parent.isBlank()) {
            Group parentGroup = require(parent);
            parentId = parentGroup.id();
            path = parentGroup.path() + "/" + name;
        }
        if (find(path).isPresent()) {
            throw new GroupException(409, "the group " + path + " exists");
        }
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into vo_group (id, path, name, parent_id, optional, created_at) values (?, ?, ?, ?, ?, ?)",
                id, path, name, parentId, optional, Timestamp.from(clock.instant()));
        audit.record("group.created", id, Map.of("path", path, "optional", optional));
        return require(id);
    }

    /** Renames and/or moves a group (new parent, or "" for the root level) and/or changes its optional flag. */
    @Transactional
    public Group update(String idOrPath, String newName, String newParent, Boolean optional) {
        Group group = require(idOrPath);
        String name = newName == null ? group.name() : newName;
        checkName(name);
        String parentId = group.parentId();
        String parentPath = group.path().substring(0, group.path().lastIndexOf('/'));
        if (newParent != null) {
            if (newParent.isBlank()) {
                parentId = null;
                parentPath = "";
            } else {
                Group parent = require(newParent);
                if (GroupPaths.isWithin(parent.path(), group.path())) {
                    throw new GroupException(400, "a group cannot move under itself");
                }
                parentId = parent.id();
                parentPath = parent.path();
            }
        }
        String newPath = parentPath + "/" + name;
        if (!newPath.equals(group.path())) {
            if (find(newPath).isPresent()) {
                throw new GroupException(409, "the group " + newPath + " exists");
            }
            // the subtree follows: every descendant's path gets the new prefix
            List<Group> subtree = jdbc.query("select id, path, name, parent_id, optional from vo_group where path = ? "
                    + "or path like ?", (rs, n) -> new Group(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getString(4), rs.getBoolean(5)), group.path(), group.path() + "/%");
            for (Group member : subtree) {
                jdbc.update("update vo_group set path = ? where id = ?",
                        newPath + member.path().substring(group.path().length()), member.id());
            }
            jdbc.update("update vo_group set name = ?, parent_id = ? where id = ?", name, parentId, group.id());
            audit.record("group.moved", group.id(), Map.of("from", group.path(), "to", newPath));
        }
        if (optional != null && optional != group.optional()) {
            jdbc.update("update vo_group set optional = ? where id = ?", optional, group.id());
            audit.record("group.optional_changed", group.id(), Map.of("optional", optional));
        }
        return require(group.id());
    }

    @Transactional
    public void delete(String idOrPath) {
        Group group = require(idOrPath);
        Integer children = jdbc.queryForObject("select count(*) from vo_group where parent_id = ?", Integer.class,
                group.id());
        if (children > 0) {
            throw new GroupException(409, "the group " + group.path() + " has subgroups; delete or move them first");
        }
        jdbc.update("delete from scope_policy where group_id = ?", group.id());
        jdbc.update("delete from vo_group where id = ?", group.id());
        audit.record("group.deleted", group.id(), Map.of("path", group.path()));
    }

    /** Labels or attributes ({@code kind} LABEL or ATTRIBUTE) of a group. */
    public Map<String, String> properties(String groupId, String kind) {
        Map<String, String> out = new LinkedHashMap<>();
        jdbc.query("select name, prop_value from group_property where group_id = ? and kind = ? order by name",
                rs -> {
                    out.put(rs.getString(1), rs.getString(2));
                }, groupId, kind);
        return out;
    }

    /** Whether members of the group (or of a subgroup) must use a second factor. */
    public boolean mfaRequired(String idOrPath) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select mfa_required from vo_group where id = ?",
                Boolean.class, require(idOrPath).id()));
    }

    /** Requires (or stops requiring) a second factor of the group's members and its subgroups' (audited). */
    @Transactional
    public void setMfaRequired(String idOrPath, boolean required, String actor) {
        Group group = require(idOrPath);
        if (jdbc.update("update vo_group set mfa_required = ? where id = ? and mfa_required <> ?", required,
                group.id(), required) > 0) {
            audit.record("group.mfa_required", actor, group.id(), Map.of("path", group.path(), "required", required));
        }
    }

    @Transactional
    public void setProperty(String idOrPath, String kind, String name, String value) {
        Group group = require(idOrPath);
        if (name == null || !PROPERTY.matcher(name).matches()) {
            throw new GroupException(400, "name: 1 to 64 letters, digits, '.', '_', ':', '/' or '-'");
        }
        if (value == null || value.length() > 1024) {
            throw new GroupException(400, "value: required, at most 1024 characters");
        }
        jdbc.update("delete from group_property where group_id = ? and kind = ? and name = ?", group.id(), kind, name);
        jdbc.update("insert into group_property (group_id, kind, name, prop_value) values (?, ?, ?, ?)", group.id(),
                kind, name, value);
        audit.record("group." + kind.toLowerCase() + "_set", group.id(), Map.of("name", name));
    }

    @Transactional
    public boolean removeProperty(String idOrPath, String kind, String name) {
        Group group = require(idOrPath);
        int removed = jdbc.update("delete from group_property where group_id = ? and kind = ? and name = ?",
                group.id(), kind, name);
        if (removed > 0) {
            audit.record("group." + kind.toLowerCase() + "_removed", group.id(), Map.of("name", name));
        }
        return removed > 0;
    }

    /** Members: account id, username, optional, end time. */
    public List<Map<String, Object>> members(String groupId) {
        return jdbc.query("select a.id, a.username, m.optional, m.end_time from membership m join account a on "
                + "a.id = m.account_id where m.group_id = ? order by a.username", (rs, n) -> {
                    Map<String, Object> member = new LinkedHashMap<>();
                    member.put("id", rs.getString(1));
                    member.put("username", rs.getString(2));
                    member.put("optional", rs.getBoolean(3));
                    member.put("endTime", rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()
                            .toString());
                    return member;
                }, groupId);
    }

    /** One member row of a group page. */
    public record Member(String id, String username, String name, String email, boolean optional, Instant endTime) {
    }

    /** Above this many members a page walks the username index instead of sorting every member. */
    static final int LARGE_GROUP = 2_000;

    /**
     * One page of a group's direct members ordered by username, matching {@code query} (a part of the username,
     * name or email, any case) when it is not blank. A small group, or a search, is joined and sorted; the pages
     * of a large group (e.g. the VO's root group with 100,000 members) are read along the username index, probing
     * the membership key, so such a page costs what a page of the accounts list costs.
     */
    public List<Member> members(String groupId, String query, int offset, int limit) {
        return members(groupId, query, offset, limit, null);
    }

    /** The same, with the group's direct member count when the caller has it (no second count). */
    public List<Member> members(String groupId, String query, int offset, int limit, Integer directMembers) {
        Object[] args = memberArgs(groupId, query, offset, limit);
        String sql;
        if ((query == null || query.isBlank())
                && (directMembers != null ? directMembers : countMembers(groupId, "")) > LARGE_GROUP) {
            sql = "select a.id, a.username, a.given_name, a.family_name, a.email, "
                    + "(select m.optional from membership m where m.account_id = a.id and m.group_id = ?), "
                    + "(select m.end_time from membership m where m.account_id = a.id and m.group_id = ?) "
                    + "from account a where exists (select 1 from membership m where m.account_id = a.id and "
                    + "m.group_id = ?)" + memberFilter(query) + " order by a.username offset ? rows fetch next ? rows only";
            Object[] three = new Object[args.length + 2];
            three[0] = groupId;
            three[1] = groupId;
            System.arraycopy(args, 0, three, 2, args.length);
            args = three;
        } else {
            sql = "select a.id, a.username, a.given_name, a.family_name, a.email, m.optional, m.end_time "
                    + "from membership m join account a on a.id = m.account_id where m.group_id = ?"
                    + memberFilter(query) + " order by a.username offset ? rows fetch next ? rows only";
        }
        return jdbc.query(sql, (rs, n) -> {
            String name = ((rs.getString(3) == null ? "" : rs.getString(3)) + " "
                    + (rs.getString(4) == null ? "" : rs.getString(4))).strip();
            Timestamp end = rs.getTimestamp(7);
            return new Member(rs.getString(1), rs.getString(2), name, rs.getString(5), rs.getBoolean(6),
                    end == null ? null : end.toInstant());
        }, args);
    }

    /** How many direct members match {@code query}; without one, counted on the membership index alone. */
    public int countMembers(String groupId, String query) {
        if (query == null || query.isBlank()) {
            return jdbc.queryForObject("select count(*) from membership where group_id = ?", Integer.class, groupId);
        }
        Object[] args = memberArgs(groupId, query, 0, 0);
        return jdbc.queryForObject("select count(*) from membership m join account a on a.id = m.account_id where "
                + "m.group_id = ?" + memberFilter(query), Integer.class,
                java.util.Arrays.copyOf(args, args.length - 2));
    }

    private static String memberFilter(String query) {
        return query == null || query.isBlank() ? "" : " and (lower(a.username) like ? escape '\\' or lower(a.email) like ? escape '\\' or "
                + "lower(coalesce(a.given_name, '') || ' ' || coalesce(a.family_name, '')) like ? escape '\\')";
    }

    private static Object[] memberArgs(String groupId, String query, int offset, int limit) {
        if (query == null || query.isBlank()) {
            return new Object[] {groupId, offset, limit};
        }
        String like = "%" + query.strip().toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\")
                .replace("%", "\\%").replace("_", "\\_") + "%";
        return new Object[] {groupId, like, like, like, offset, limit};
    }

    /** Direct member counts of every group that has members, by group id, in one query. */
    public Map<String, Integer> memberCounts() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        jdbc.query("select group_id, count(*) from membership group by group_id",
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> counts.put(rs.getString(1), rs.getInt(2)));
        return counts;
    }

    public List<Group> children(String groupId) {
        return jdbc.query("select id, path, name, parent_id, optional from vo_group where parent_id = ? order by name",
                (rs, n) -> new Group(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5)), groupId);
    }

    /** Changes the end time of an existing membership (null: no end); false when the account is no member. */
    @Transactional
    public boolean setMemberEndTime(String idOrPath, String accountId, Instant endTime, String actor) {
        Group group = require(idOrPath);
        int changed = jdbc.update("update membership set end_time = ? where account_id = ? and group_id = ?",
                endTime == null ? null : Timestamp.from(endTime), accountId, group.id());
        if (changed > 0) {
            audit.record("group.member_end_time_changed", actor, group.id(), Map.of("account", accountId,
                    "endTime", endTime == null ? "none" : endTime.toString()));
        }
        return changed > 0;
    }

    /** Adds a member (optional when the group is, unless said); resolves the account's pending request. */
    @Transactional
    public void addMember(String idOrPath, String accountId, Boolean optional, Instant endTime, String actor) {
        Group group = require(idOrPath);
        requireAccount(accountId);
        Instant now = clock.instant();
        boolean isOptional = optional == null ? group.optional() : optional;
        jdbc.update("delete from membership where account_id = ? and group_id = ?", accountId, group.id());
        jdbc.update("insert into membership (account_id, group_id, optional, end_time, created_at) values "
                + "(?, ?, ?, ?, ?)", accountId, group.id(), isOptional, endTime == null ? null : Timestamp.from(endTime),
                Timestamp.from(now));
        int resolved = jdbc.update("update group_request set status = 'APPROVED', decided_at = ?, decided_by = ?, "
                + "decision_reason = 'added directly' where account_id = ? and group_id = ? and status = 'PENDING'",
                Timestamp.from(now), actor, accountId, group.id());
        audit.record("group.member_added", actor, group.id(), Map.of("account", accountId, "optional", isOptional,
                "resolvedRequests", resolved));
    }

    @Transactional
    public boolean removeMember(String idOrPath, String accountId, String actor) {
        Group group = require(idOrPath);
        int removed = jdbc.update("delete from membership where account_id = ? and group_id = ?", accountId,
                group.id());
        if (removed > 0) {
            audit.record("group.member_removed", actor, group.id(), Map.of("account", accountId));
        }
        return removed > 0;
    }

    public List<Map<String, Object>> managers(String groupId) {
        return jdbc.query("select a.id, a.username from group_manager g join account a on a.id = g.account_id "
                + "where g.group_id = ? order by a.username", (rs, n) -> Map.<String, Object>of("id", rs.getString(1),
                "username", rs.getString(2)), groupId);
    }

    /** The groups an account manages, by path. */
    public List<Group> managedBy(String accountId) {
        return jdbc.query("select g.id, g.path, g.name, g.parent_id, g.optional from group_manager m join vo_group g "
                + "on g.id = m.group_id where m.account_id = ? order by g.path", (rs, n) -> new Group(rs.getString(1),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)), accountId);
    }

    public boolean isManager(String accountId, String groupId) {
        return jdbc.queryForObject("select count(*) from group_manager where account_id = ? and group_id = ?",
                Integer.class, accountId, groupId) > 0;
    }

    @Transactional
    public void addManager(String idOrPath, String accountId, String actor) {
        Group group = require(idOrPath);
        requireAccount(accountId);
        if (!isManager(accountId, group.id())) {
            jdbc.update("insert into group_manager (group_id, account_id, created_at) values (?, ?, ?)", group.id(),
                    accountId, Timestamp.from(clock.instant()));
            audit.record("group.manager_added", actor, group.id(), Map.of("account", accountId));
        }
    }

    @Transactional
    public boolean removeManager(String idOrPath, String accountId, String actor) {
        Group group = require(idOrPath);
        int removed = jdbc.update("delete from group_manager where group_id = ? and account_id = ?", group.id(),
                accountId);
        if (removed > 0) {
            audit.record("group.manager_removed", actor, group.id(), Map.of("account", accountId));
        }
        return removed > 0;
    }

    private void requireAccount(String accountId) {
        Integer found = jdbc.queryForObject("select count(*) from account where id = ?", Integer.class, accountId);
        if (found == 0) {
            throw new GroupException(404, "no account " + accountId);
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new GroupException(400, "name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit");
        }
    }
}
