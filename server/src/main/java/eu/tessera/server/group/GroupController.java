package eu.tessera.server.group;

import eu.tessera.server.api.ProblemDetails;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Groups, members, managers and membership requests (JSON, problem+json errors). Admin tokens
 * ({@code iam:admin.read}/{@code iam:admin.write}) act on every group; a group manager's own token acts on the
 * members and requests of the groups it manages, and nowhere else; any user token asks for groups under
 * {@code /iam/me/group-requests}.
 */
@RestController
public class GroupController {

    private static final String READ = "SCOPE_iam:admin.read";
    private static final String WRITE = "SCOPE_iam:admin.write";

    private final GroupAdmin groups;
    private final GroupRequests requests;
    private final VoAdmins vos;

    public GroupController(GroupAdmin groups, GroupRequests requests, VoAdmins vos) {
        this.groups = groups;
        this.requests = requests;
        this.vos = vos;
    }

    private static boolean has(Jwt token, String authority) {
        Object scope = token.getClaims().get("scope");
        String wanted = authority.substring("SCOPE_".length());
        return scope instanceof String s && List.of(s.split(" ")).contains(wanted)
                || scope instanceof List<?> list && list.contains(wanted);
    }

    private static boolean adminRead(Jwt token) {
        return has(token, READ) || has(token, WRITE);
    }

    /** Admin write, or a manager of the group or an admin of its VO (by their own user token). */
    private void requireManager(Jwt token, String groupId) {
        if (!has(token, WRITE) && !groups.isManager(token.getSubject(), groupId)
                && !vos.administers(token.getSubject(), groups.require(groupId).path())) {
            throw new GroupAdmin.GroupException(403, "only admins, managers of this group and admins of its VO may "
                    + "do this");
        }
    }

    @GetMapping("/iam/group")
    public ResponseEntity<?> list(@RequestParam(required = false) String path) {
        if (path != null) {
            return ResponseEntity.ok(groups.require(path));
        }
        return ResponseEntity.ok(groups.all());
    }

    @PostMapping("/iam/group")
    public ResponseEntity<?> create(@RequestBody Map<String, Object> body) {
        GroupAdmin.Group created = groups.create(string(body, "name"), string(body, "parent"),
                bool(body, "optional", false));
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @GetMapping("/iam/group/{id}")
    public ResponseEntity<?> get(@PathVariable String id) {
        GroupAdmin.Group group = groups.require(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", group.id());
        out.put("path", group.path());
        out.put("name", group.name());
        out.put("parentId", group.parentId());
        out.put("optional", group.optional());
        out.put("labels", groups.properties(group.id(), "LABEL"));
        out.put("attributes", groups.properties(group.id(), "ATTRIBUTE"));
        out.put("managers", groups.managers(group.id()));
        return ResponseEntity.ok(out);
    }

    @PutMapping("/iam/group/{id}")
    public ResponseEntity<?> update(@PathVariable String id, @RequestBody Map<String, Object> body) {
        Boolean optional = body.containsKey("optional") ? bool(body, "optional", false) : null;
        return ResponseEntity.ok(groups.update(id, string(body, "name"), string(body, "parent"), optional));
    }

    @DeleteMapping("/iam/group/{id}")
    public ResponseEntity<?> delete(@PathVariable String id) {
        groups.delete(id);
        return ResponseEntity.noContent().build();
    }

    /**
     * Labels and attributes as INDIGO IAM lists them: {@code [{"name","value"}]}, labels with their {@code prefix}
     * (IAM's {@code LabelDTO}; stored as {@code prefix/name}).
     */
    @GetMapping("/iam/group/{id}/{kind:labels|attributes}")
    public ResponseEntity<?> properties(@PathVariable String id, @PathVariable String kind) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        groups.properties(groups.require(id).id(), kind(kind)).forEach((name, value) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            int slash = name.lastIndexOf('/');
            if (kind.equals("labels") && slash > 0) {
                item.put("prefix", name.substring(0, slash));
                item.put("name", name.substring(slash + 1));
            } else {
                item.put("name", name);
            }
            if (value != null && !value.isEmpty()) {
                item.put("value", value);
            }
            out.add(item);
        });
        return ResponseEntity.ok(out);
    }

    @PutMapping("/iam/group/{id}/{kind:labels|attributes}")
    public ResponseEntity<?> setProperty(@PathVariable String id, @PathVariable String kind,
            @RequestBody Map<String, Object> body) {
        String name = string(body, "name");
        String prefix = kind.equals("labels") ? string(body, "prefix") : null;
        if (prefix != null && !prefix.isBlank()) {
            try {
                eu.tessera.server.account.AccountLabels.checked(prefix, name, null);   // IAM's label rules
            } catch (IllegalArgumentException e) {
                throw new GroupAdmin.GroupException(400, e.getMessage());
            }
            name = prefix.strip() + "/" + name;
        }
        String value = string(body, "value");
        groups.setProperty(id, kind(kind), name, value == null ? "" : value);
        return ResponseEntity.ok(groups.properties(groups.require(id).id(), kind(kind)));
    }

    @DeleteMapping("/iam/group/{id}/{kind:labels|attributes}")
    public ResponseEntity<?> removeProperty(@PathVariable String id, @PathVariable String kind,
            @RequestParam String name, @RequestParam(required = false) String prefix) {
        String stored = prefix == null || prefix.isBlank() || !kind.equals("labels") ? name : prefix.strip() + "/"
                + name;
        return groups.removeProperty(id, kind(kind), stored) ? ResponseEntity.noContent().build()
                : ProblemDetails.of(HttpStatus.NOT_FOUND, "no " + kind + " " + stored);
    }

    private static String kind(String path) {
        return path.equals("labels") ? "LABEL" : "ATTRIBUTE";
    }

    @GetMapping("/iam/group/{id}/members")
    public ResponseEntity<?> members(@PathVariable String id, @AuthenticationPrincipal Jwt token) {
        GroupAdmin.Group group = groups.require(id);
        if (!adminRead(token)) {
            requireManager(token, group.id());
        }
        return ResponseEntity.ok(groups.members(group.id()));
    }

    @PostMapping("/iam/group/{id}/members/{accountId}")
    public ResponseEntity<?> addMember(@PathVariable String id, @PathVariable String accountId,
            @RequestBody(required = false) Map<String, Object> body, @AuthenticationPrincipal Jwt token) {
        GroupAdmin.Group group = groups.require(id);
        requireManager(token, group.id());
        Map<String, Object> options = body == null ? Map.of() : body;
        Instant endTime = null;
        String end = string(options, "endTime");
        if (end != null) {
            try {
                endTime = Instant.parse(end);
            } catch (DateTimeParseException e) {
                return ProblemDetails.of(HttpStatus.BAD_REQUEST, "endTime: an ISO-8601 instant");
            }
        }
        Boolean optional = options.containsKey("optional") ? bool(options, "optional", false) : null;
        groups.addMember(group.id(), accountId, optional, endTime, token.getSubject());
        return ResponseEntity.status(HttpStatus.CREATED).body(groups.members(group.id()));
    }

    @DeleteMapping("/iam/group/{id}/members/{accountId}")
    public ResponseEntity<?> removeMember(@PathVariable String id, @PathVariable String accountId,
            @AuthenticationPrincipal Jwt token) {
        GroupAdmin.Group group = groups.require(id);
        requireManager(token, group.id());
        return groups.removeMember(group.id(), accountId, token.getSubject()) ? ResponseEntity.noContent().build()
                : ProblemDetails.of(HttpStatus.NOT_FOUND, "account " + accountId + " is not a member of " + group.path());
    }

    @GetMapping("/iam/group/{id}/managers")
    public ResponseEntity<?> managers(@PathVariable String id) {
        return ResponseEntity.ok(groups.managers(groups.require(id).id()));
    }

    @PostMapping("/iam/group/{id}/managers/{accountId}")
    public ResponseEntity<?> addManager(@PathVariable String id, @PathVariable String accountId,
            @AuthenticationPrincipal Jwt token) {
        groups.addManager(id, accountId, token.getSubject());
        return ResponseEntity.status(HttpStatus.CREATED).body(groups.managers(groups.require(id).id()));
    }

    @DeleteMapping("/iam/group/{id}/managers/{accountId}")
    public ResponseEntity<?> removeManager(@PathVariable String id, @PathVariable String accountId,
            @AuthenticationPrincipal Jwt token) {
        return groups.removeManager(id, accountId, token.getSubject()) ? ResponseEntity.noContent().build()
                : ProblemDetails.of(HttpStatus.NOT_FOUND, "account " + accountId + " does not manage this group");
    }

    @PostMapping("/iam/me/group-requests")
    public ResponseEntity<?> ask(@RequestBody Map<String, Object> body, @AuthenticationPrincipal Jwt token) {
        String group = string(body, "group");
        if (group == null) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "group: the path or id of the group");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(requests.submit(token.getSubject(), group,
                string(body, "reason")));
    }

    @GetMapping("/iam/me/group-requests")
    public ResponseEntity<?> mine(@AuthenticationPrincipal Jwt token) {
        return ResponseEntity.ok(requests.of(token.getSubject()));
    }

    @GetMapping("/iam/group-requests")
    public ResponseEntity<?> pending(@RequestParam(required = false) String status,
            @AuthenticationPrincipal Jwt token) {
        String filter = status == null ? null : status.toUpperCase(Locale.ROOT);
        if (filter != null && !List.of("PENDING", "APPROVED", "REJECTED").contains(filter)) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "status must be PENDING, APPROVED or REJECTED");
        }
        return ResponseEntity.ok(requests.list(filter, adminRead(token) ? null : token.getSubject()));
    }

    @PostMapping("/iam/group-requests/{id}/{decision:approve|reject}")
    public ResponseEntity<?> decide(@PathVariable String id, @PathVariable String decision,
            @RequestBody(required = false) Map<String, Object> body, @AuthenticationPrincipal Jwt token) {
        GroupRequests.Request request = requests.find(id)
                .orElseThrow(() -> new GroupAdmin.GroupException(404, "no group request " + id));
        requireManager(token, request.groupId());
        return ResponseEntity.ok(requests.decide(id, decision.equals("approve"), token.getSubject(),
                body == null ? null : string(body, "reason")));
    }

    private static String string(Map<String, Object> body, String name) {
        Object value = body.get(name);
        if (value != null && !(value instanceof String)) {
            throw new GroupAdmin.GroupException(400, name + ": a string");
        }
        return (String) value;
    }

    private static boolean bool(Map<String, Object> body, String name, boolean fallback) {
        Object value = body.get(name);
        if (value != null && !(value instanceof Boolean)) {
            throw new GroupAdmin.GroupException(400, name + ": true or false");
        }
        return value == null ? fallback : (Boolean) value;
    }

    @ExceptionHandler(GroupAdmin.GroupException.class)
    ResponseEntity<ProblemDetail> refused(GroupAdmin.GroupException e) {
        return ProblemDetails.of(HttpStatus.valueOf(e.status()), e.getMessage());
    }


}
