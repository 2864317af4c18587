package eu.tessera.sync.scim;

import eu.tessera.sync.AccountState;
import eu.tessera.sync.Catalogue;
import eu.tessera.sync.Credentials;
import eu.tessera.sync.HttpTransport;
import eu.tessera.sync.Json;
import eu.tessera.sync.Operation;
import eu.tessera.sync.SyncException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SCIM 2.0 push target: a user is found by {@code externalId} (Tessera's account id), created or replaced when its
 * userName, name, email or active flag differ, and its memberships in the mirrored groups added or removed with
 * group PATCH; groups are created when missing (parents first, named by path without the leading slash as INDIGO
 * IAM and Tessera do). A user removed from Tessera, or out of the mirrored groups, is deleted there.
 */
public final class ScimCatalogue implements Catalogue {

    private static final String SCIM = "application/scim+json";
    private static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private final ScimSettings settings;
    private final HttpTransport http;
    private final Credentials credentials;
    private final Map<String, String> groupIds = new ConcurrentHashMap<>();

    public ScimCatalogue(ScimSettings settings, HttpTransport http, Credentials credentials) {
        this.settings = settings;
        this.http = http;
        this.credentials = credentials;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<Operation> synchronize(AccountState desired, boolean dryRun) throws SyncException {
        String label = desired.username() != null ? desired.username() : desired.id();
        ScimUser actual = find(desired);
        List<Operation> operations = new ArrayList<>();
        if (!settings.inScope(desired)) {
            if (actual != null && desired.id().equals(actual.externalId())) {
                operations.add(new Operation(label, "delete user", actual.id()));
                if (!dryRun) {
                    HttpTransport.Response response = call("DELETE", "Users/" + actual.id(), null);
                    expect("delete user " + label, response, 204, 200, 404);
                }
            }
            return operations;
        }
        Map<String, Object> resource = resource(desired);
        String userId;
        Set<String> present;
        if (actual == null) {
            operations.add(new Operation(label, "create user", desired.username()));
            if (dryRun) {
                userId = null;
            } else {
                HttpTransport.Response response = call("POST", "Users", Json.write(resource));
                if (response.status() == 409) {
                    throw new SyncException("the SCIM server already has a user named " + desired.username()
                            + " that Tessera did not create", true);
                }
                expect("create user " + label, response, 201);
                userId = String.valueOf(Json.parseObject(response.body()).get("id"));
            }
            present = Set.of();
        } else {
            userId = actual.id();
            if (!same(desired, actual)) {
                operations.add(new Operation(label, "update user", describe(desired, actual)));
                if (!dryRun) {
                    HttpTransport.Response response = call("PUT", "Users/" + userId, Json.write(resource));
                    expect("update user " + label, response, 200);
                }
            }
            present = new LinkedHashSet<>(actual.groups());
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String group : desired.groups()) {
            if (settings.groupInScope(group)) {
                wanted.add(group);
            }
        }
        for (String group : present) {
            if (settings.groupInScope(group) && !wanted.contains(group)) {
                operations.add(new Operation(label, "remove from group", group));
                if (!dryRun) {
                    String groupId = groupId(group, false);
                    if (groupId != null) {
                        patchMembers(groupId, "remove", userId, label, group);
                    }
                }
            }
        }
        for (String group : wanted) {
            if (!present.contains(group)) {
                operations.add(new Operation(label, "add to group", group));
                if (!dryRun) {
                    patchMembers(groupId(group, true), "add", userId, label, group);
                }
            }
        }
        return operations;
    }

    @Override
    public List<AccountState> orphans(Set<String> knownIds) throws SyncException {
        List<AccountState> orphans = new ArrayList<>();
        int start = 1;
        while (true) {
            Map<String, Object> page = list("Users?filter=" + encode("externalId pr") + "&startIndex=" + start
                    + "&count=200");
            List<?> resources = page.get("Resources") instanceof List<?> l ? l : List.of();
            for (Object item : resources) {
                if (item instanceof Map<?, ?> user && user.get("externalId") instanceof String externalId
                        && !knownIds.contains(externalId)) {
                    orphans.add(AccountState.removed(externalId, String.valueOf(user.get("userName"))));
                }
            }
            long total = page.get("totalResults") instanceof Number n ? n.longValue() : 0;
            start += resources.size();
            if (resources.isEmpty() || start > total) {
                return orphans;
            }
        }
    }

    private void patchMembers(String groupId, String op, String userId, String label, String group)
            throws SyncException {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("op", op);
        if (op.equals("add")) {
            operation.put("path", "members");
            operation.put("value", List.of(Map.of("value", userId)));
        } else {
            operation.put("path", "members[value eq \"" + userId + "\"]");
        }
        HttpTransport.Response response = call("PATCH", "Groups/" + groupId,
                Json.write(Map.of("schemas", List.of(PATCH_SCHEMA), "Operations", List.of(operation))));
        if (response.status() == 404) {
            groupIds.remove(group);   // deleted there meanwhile: found or created again on the next attempt
        }
        expect(op + " " + label + " in group " + group, response, 200, 204);
    }

    /** The target's id of a group, created with its parents when {@code create} and missing. */
    private String groupId(String path, boolean create) throws SyncException {
        String cached = groupIds.get(path);
        if (cached != null) {
            return cached;
        }
        String displayName = path.substring(1);
        Map<String, Object> page = list("Groups?filter=" + encode("displayName eq " + quote(displayName)));
        if (page.get("Resources") instanceof List<?> found && !found.isEmpty()
                && found.get(0) instanceof Map<?, ?> group) {
            String id = String.valueOf(group.get("id"));
            groupIds.put(path, id);
            return id;
        }
        if (!create) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            groupId(path.substring(0, slash), true);
        }
        HttpTransport.Response response = call("POST", "Groups", Json.write(Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), "displayName", displayName)));
        if (response.status() == 409) {
            groupIds.remove(path);
            return groupId(path, false);   // created meanwhile by another worker
        }
        expect("create group " + path, response, 201);
        String id = String.valueOf(Json.parseObject(response.body()).get("id"));
        groupIds.put(path, id);
        return id;
    }

    private ScimUser find(AccountState desired) throws SyncException {
        ScimUser byExternalId = first(list("Users?filter=" + encode("externalId eq " + quote(desired.id()))));
        if (byExternalId != null || desired.username() == null) {
            return byExternalId;
        }
        ScimUser byName = first(list("Users?filter=" + encode("userName eq " + quote(desired.username()))));
        if (byName == null) {
            return null;
        }
        if (byName.externalId() != null || !settings.adoptExisting()) {
            if (!settings.inScope(desired)) {
                return null;   // not ours: leave it alone
            }
            throw new SyncException("the SCIM server already has a user named " + desired.username()
                    + " that Tessera did not create", true);
        }
        return byName;
    }

    private static ScimUser first(Map<String, Object> page) {
        if (!(page.get("Resources") instanceof List<?> resources) || resources.isEmpty()
                || !(resources.get(0) instanceof Map<?, ?> user)) {
            return null;
        }
        Map<?, ?> name = user.get("name") instanceof Map<?, ?> n ? n : Map.of();
        String email = null;
        if (user.get("emails") instanceof List<?> emails) {
            for (Object item : emails) {
                if (item instanceof Map<?, ?> entry && entry.get("value") instanceof String value
                        && (email == null || Boolean.TRUE.equals(entry.get("primary")))) {
                    email = value;
                }
            }
        }
        List<String> groups = new ArrayList<>();
        if (user.get("groups") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> group && group.get("display") instanceof String display) {
                    groups.add(display.startsWith("/") ? display : "/" + display);
                }
            }
        }
        return new ScimUser(String.valueOf(user.get("id")), (String) user.get("userName"),
                user.get("externalId") instanceof String e ? e : null, (String) name.get("givenName"),
                (String) name.get("familyName"), email, !Boolean.FALSE.equals(user.get("active")), groups);
    }

    private static Map<String, Object> resource(AccountState desired) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("schemas", List.of(USER_SCHEMA));
        user.put("userName", desired.username());
        user.put("externalId", desired.id());
        Map<String, Object> name = new LinkedHashMap<>();
        if (desired.givenName() != null) {
            name.put("givenName", desired.givenName());
        }
        if (desired.familyName() != null) {
            name.put("familyName", desired.familyName());
        }
        user.put("name", name);
        if (desired.email() != null) {
            user.put("emails", List.of(Map.of("value", desired.email(), "primary", true)));
        }
        user.put("active", desired.status() == AccountState.Status.ACTIVE);
        return user;
    }

    private static boolean same(AccountState desired, ScimUser actual) {
        return Objects.equals(desired.username(), actual.userName()) && desired.id().equals(actual.externalId())
                && Objects.equals(desired.givenName(), actual.givenName())
                && Objects.equals(desired.familyName(), actual.familyName())
                && Objects.equals(desired.email(), actual.email())
                && (desired.status() == AccountState.Status.ACTIVE) == actual.active();
    }

    private static String describe(AccountState desired, ScimUser actual) {
        List<String> fields = new ArrayList<>();
        if (!Objects.equals(desired.username(), actual.userName())) {
            fields.add("userName");
        }
        if (!desired.id().equals(actual.externalId())) {
            fields.add("externalId");
        }
        if (!Objects.equals(desired.givenName(), actual.givenName())
                || !Objects.equals(desired.familyName(), actual.familyName())) {
            fields.add("name");
        }
        if (!Objects.equals(desired.email(), actual.email())) {
            fields.add("email");
        }
        if ((desired.status() == AccountState.Status.ACTIVE) != actual.active()) {
            fields.add("active=" + (desired.status() == AccountState.Status.ACTIVE));
        }
        return String.join(", ", fields);
    }

    private Map<String, Object> list(String pathAndQuery) throws SyncException {
        HttpTransport.Response response = call("GET", pathAndQuery, null);
        if (response.status() != 200) {
            throw HttpTransport.unexpected("GET " + pathAndQuery.substring(0, pathAndQuery.indexOf('?')), response);
        }
        try {
            return Json.parseObject(response.body());
        } catch (IllegalArgumentException e) {
            throw new SyncException("the SCIM server answered a list that is not a JSON object", false);
        }
    }

    private static void expect(String what, HttpTransport.Response response, int... accepted) throws SyncException {
        for (int status : accepted) {
            if (response.status() == status) {
                return;
            }
        }
        throw HttpTransport.unexpected(what, response);
    }

    private HttpTransport.Response call(String method, String path, String body) throws SyncException {
        return credentials.send(token -> send(method, path, body, token));
    }

    private HttpTransport.Response send(String method, String path, String body, String token) throws SyncException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", SCIM);
        if (body != null) {
            headers.put("Content-Type", SCIM);
        }
        String root = settings.url().toString().endsWith("/") ? settings.url().toString() : settings.url() + "/";
        return http.send(method, URI.create(root + path), body, headers);
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
