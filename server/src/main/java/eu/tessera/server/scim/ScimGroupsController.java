package eu.tessera.server.scim;

import eu.tessera.server.account.AccountRoles;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.group.GroupAdmin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * SCIM 2.0 Groups: {@code displayName} is the group's path without the leading slash ({@code escape/cms}, as
 * INDIGO IAM names nested groups), the parent in {@code urn:indigo-dc:scim:schemas:IndigoGroup}; list with filter
 * and paging, read, create, delete, and PATCH of members ({@code add}/{@code remove} on {@code members}, or
 * {@code members[value eq "id"]}). The version (ETag) changes with every membership change.
 *
 * <p>A VO's admins use these with their own token (no {@code scim:*} scope) for their VO's groups (issue 18): read
 * one, change its members, create a subgroup in the VO, delete a group below the VO's own; anything outside their
 * VO, or the list of all groups, answers 403 with a SCIM error and changes nothing.
 */
@RestController
public class ScimGroupsController {

    private static final Map<String, String> FILTERABLE = Map.of("id", "g.id", "displayname",
            "substring(g.path, 2)");
    private static final Pattern MEMBER_PATH = Pattern.compile("members\\[value eq \"([^\"]+)\"\\]");

    private record Row(String id, String path, String parentId, Instant created, Instant modified) {
    }

    private final JdbcTemplate jdbc;
    private final GroupAdmin groups;
    private final AuditLog audit;
    private final TesseraProperties properties;
    private final eu.tessera.server.group.VoAdmins vos;

    public ScimGroupsController(JdbcTemplate jdbc, GroupAdmin groups, AuditLog audit, TesseraProperties properties,
            eu.tessera.server.group.VoAdmins vos) {
        this.vos = vos;
        this.jdbc = jdbc;
        this.groups = groups;
        this.audit = audit;
        this.properties = properties;
    }

    private static final String SELECT = "select g.id, g.path, g.parent_id, g.created_at, "
            + "coalesce((select max(m.created_at) from membership m where m.group_id = g.id), g.created_at) "
            + "from vo_group g";


    /**
     * Without {@code scim:write} ({@code scim:read} for reading), the token's account must administer the VO the
     * group {@code path} is in.
     */
    private void requireVoAdmin(Authentication token, String path, boolean write) {
        boolean scoped = write ? AccountRoles.hasAny(token, "SCOPE_scim:write")
                : AccountRoles.hasAny(token, "SCOPE_scim:read", "SCOPE_scim:write");
        if (!scoped && (path == null || !vos.administers(token.getName(), path))) {
            throw new ScimException(403, null, write ? "changing this group needs scim:write or the admin of its VO"
                    : "reading this group needs scim:read or the admin of its VO");
        }
    }

    @GetMapping("/scim/Groups")
    public ResponseEntity<Object> list(@RequestParam(required = false) String filter,
            @RequestParam(required = false) Integer startIndex, @RequestParam(required = false) Integer count,
            Authentication token) {
        requireVoAdmin(token, null, false);
        ScimSupport.Page<Row> page = ScimSupport.page(jdbc, filter, FILTERABLE, "vo_group g", SELECT, "g.path",
                startIndex, count, (rs, n) -> row(rs));
        return ResponseEntity.ok().contentType(ScimSupport.SCIM)
                .body(ScimSupport.list(page.total(), page.startIndex(), render(page.rows())));
    }

    /**
     * SCIM groups (without members) whose row (alias {@code g}) meets {@code condition}, ordered by path: INDIGO
     * IAM's {@code /iam/group/find/*} answers.
     */
    public Map<String, Object> find(String condition, List<Object> args, Integer startIndex, Integer count) {
        int[] page = ScimSupport.paging(startIndex, count);
        Long total = jdbc.queryForObject("select count(*) from vo_group g where " + condition, Long.class,
                args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page[1]);
        pageArgs.add(page[0] - 1);
        List<Row> rows = page[1] == 0 ? List.of() : jdbc.query(SELECT + " where " + condition
                + " order by g.path limit ? offset ?", (rs, n) -> row(rs), pageArgs.toArray());
        return ScimSupport.list(total == null ? 0 : total, page[0], render(rows, false));
    }

    @GetMapping("/scim/Groups/{id}")
    public ResponseEntity<Object> get(@PathVariable String id,
            @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch, Authentication token) {
        Row row = find(id);
        requireVoAdmin(token, row.path(), false);
        String etag = version(row);
        if (etag.equals(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().contentType(ScimSupport.SCIM).eTag(etag).body(render(List.of(row)).get(0));
    }

    @PostMapping("/scim/Groups")
    @Transactional
    public ResponseEntity<Object> create(@RequestBody Map<String, Object> body, Authentication token) {
        Object displayName = body.get("displayName");
        if (!(displayName instanceof String name) || name.isBlank() || name.length() > 500) {
            throw new ScimException(400, "invalidValue", "displayName: the group path, e.g. escape/newgroup");
        }
        String path = "/" + name.strip().replaceAll("^/+", "");
        int slash = path.lastIndexOf('/');
        String parent = slash == 0 ? null : path.substring(0, slash);
        String shortName = path.substring(slash + 1);
        if (body.get(ScimSupport.INDIGO_GROUP) instanceof Map<?, ?> indigo && indigo.get("parentGroup") != null) {
            // INDIGO IAM's way: displayName is the new group's own name, parentGroup.value the parent's id
            if (!(indigo.get("parentGroup") instanceof Map<?, ?> parentGroup)
                    || !(parentGroup.get("value") instanceof String parentId) || parentId.isBlank()) {
                throw new ScimException(400, "invalidValue", "parentGroup: an object with the parent's id as value");
            }
            if (groups.find(parentId).filter(g -> g.id().equals(parentId)).isEmpty()) {
                throw new ScimException(400, "invalidValue", "parentGroup: no group " + parentId);
            }
            if (name.contains("/")) {
                throw new ScimException(400, "invalidValue", "displayName: the new group's own name (no '/') when "
                        + "parentGroup is given");
            }
            parent = parentId;
            shortName = name.strip();
        }
        // a VO admin creates below a group of their VO (never a top-level group)
        requireVoAdmin(token, parent == null ? null : groups.find(parent).map(GroupAdmin.Group::path).orElse(null),
                true);
        GroupAdmin.Group created;
        try {
            created = groups.create(shortName, parent, false);
        } catch (GroupAdmin.GroupException e) {
            throw new ScimException(e.status(), e.status() == 409 ? "uniqueness" : "invalidValue", e.getMessage());
        }
        if (body.get("members") != null) {
            // RFC 7643 section 4.2: members given at creation; an unknown one refuses the whole request (the
            // transaction rolls back: no group is left behind)
            addMembers(created.id(), body.get("members"));
        }
        Row row = find(created.id());
        return ResponseEntity.created(ScimSupport.location(properties.baseUrl(), "Groups", row.id()))
                .contentType(ScimSupport.SCIM).eTag(version(row)).body(render(List.of(row)).get(0));
    }

    @PatchMapping("/scim/Groups/{id}")
    @Transactional
    public ResponseEntity<Object> patch(@PathVariable String id, @RequestBody Map<String, Object> body,
            @RequestHeader(value = "If-Match", required = false) String ifMatch, Authentication token) {
        Row row = find(id);
        requireVoAdmin(token, row.path(), true);
        if (ifMatch != null && !ifMatch.isBlank() && !ifMatch.strip().equals("*")
                && !ifMatch.strip().equals(version(row))) {
            throw new ScimException(412, null, "the group changed: its version is " + version(row));
        }
        for (Map<String, Object> operation : ScimUsersController.operations(body)) {
            String op = String.valueOf(operation.get("op")).toLowerCase();
            String path = operation.get("path") instanceof String p ? p : null;
            if (op.equals("add") && "members".equals(path)) {
                addMembers(id, operation.get("value"));
            } else if (op.equals("remove") && path != null) {
                Matcher matcher = MEMBER_PATH.matcher(path);
                if (matcher.matches()) {
                    groups.removeMember(id, matcher.group(1), AuditLog.currentActor());
                } else if ("members".equals(path) && operation.get("value") != null) {
                    for (String member : memberIds(operation.get("value"))) {
                        groups.removeMember(id, member, AuditLog.currentActor());
                    }
                } else {
                    throw new ScimException(400, "invalidPath", "remove members or members[value eq \"id\"]");
                }
            } else {
                throw new ScimException(400, "invalidPath", "Groups support add and remove on members");
            }
        }
        return get(id, null, token);
    }

    @DeleteMapping("/scim/Groups/{id}")
    public ResponseEntity<Object> delete(@PathVariable String id, Authentication token) {
        Row row = find(id);
        requireVoAdmin(token, row.path(), true);
        if (!AccountRoles.hasAny(token, "SCOPE_scim:write") && vos.isVo(row.id())) {
            throw new ScimException(403, null, "only global admins delete the VO's own group");
        }
        try {
            groups.delete(id);
        } catch (GroupAdmin.GroupException e) {
            throw new ScimException(e.status(), null, e.getMessage());
        }
        return ResponseEntity.noContent().build();
    }

    private void addMembers(String groupId, Object value) {
        for (String member : memberIds(value)) {
            try {
                groups.addMember(groupId, member, null, null, AuditLog.currentActor());
            } catch (GroupAdmin.GroupException e) {
                throw new ScimException(e.status() == 404 ? 400 : e.status(), "invalidValue", e.getMessage());
            }
        }
    }

    private static List<String> memberIds(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new ScimException(400, "invalidValue", "members: a list of {\"value\": user id}");
        }
        List<String> ids = new ArrayList<>();
        for (Object member : list) {
            if (!(member instanceof Map<?, ?> map) || !(map.get("value") instanceof String id)) {
                throw new ScimException(400, "invalidValue", "members: a list of {\"value\": user id}");
            }
            ids.add(id);
        }
        return ids;
    }

    private Row find(String id) {
        return jdbc.query(SELECT + " where g.id = ?", (rs, n) -> row(rs), id).stream().findFirst()
                .orElseThrow(() -> new ScimException(404, null, "no group " + id));
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5).toInstant());
    }

    /** The version: the latest membership change, and the member count (a removal changes it too). */
    private String version(Row row) {
        Integer members = jdbc.queryForObject("select count(*) from membership where group_id = ?", Integer.class,
                row.id());
        return "W/\"" + row.modified().toEpochMilli() + "-" + members + "\"";
    }

    private List<Map<String, Object>> render(List<Row> rows) {
        return render(rows, true);
    }

    /** Groups as SCIM resources; without members for INDIGO IAM's finders, which leave them out. */
    private List<Map<String, Object>> render(List<Row> rows, boolean withMembers) {
        if (rows.isEmpty()) {
            return List.of();
        }
        String in = String.join(",", Collections.nCopies(rows.size(), "?"));
        Map<String, List<Map<String, Object>>> members = new HashMap<>();
        if (withMembers) {
            jdbc.query("select m.group_id, a.id, a.username from membership m join account a on a.id = m.account_id "
                    + "where m.group_id in (" + in + ") order by a.username", rs -> {
                        Map<String, Object> member = new LinkedHashMap<>();
                        member.put("value", rs.getString(2));
                        member.put("display", rs.getString(3));
                        member.put("$ref", properties.baseUrl() + "/scim/Users/" + rs.getString(2));
                        members.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(member);
                    }, rows.stream().map(Row::id).toArray());
        }
        Map<String, String> paths = new HashMap<>();
        rows.forEach(row -> paths.put(row.id(), row.path()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("schemas", List.of(ScimSupport.GROUP, ScimSupport.INDIGO_GROUP));
            group.put("id", row.id());
            group.put("displayName", row.path().substring(1));
            if (withMembers) {
                group.put("members", members.getOrDefault(row.id(), List.of()));
            }
            Map<String, Object> indigo = new LinkedHashMap<>();
            if (row.parentId() != null) {
                String parentPath = row.path().substring(0, row.path().lastIndexOf('/'));
                Map<String, Object> parent = new LinkedHashMap<>();
                parent.put("value", row.parentId());
                parent.put("display", parentPath.substring(1));
                parent.put("$ref", properties.baseUrl() + "/scim/Groups/" + row.parentId());
                indigo.put("parentGroup", parent);
            }
            group.put(ScimSupport.INDIGO_GROUP, indigo);
            Map<String, Object> meta = ScimSupport.meta("Group", row.created(), row.modified(),
                    properties.baseUrl() + "/scim/Groups/" + row.id());
            meta.put("version", version(row));
            group.put("meta", meta);
            out.add(group);
        }
        return out;
    }

}
