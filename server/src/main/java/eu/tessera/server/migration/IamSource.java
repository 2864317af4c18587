package eu.tessera.server.migration;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an INDIGO IAM (1.x) over HTTPS with a bearer token ({@code scim:read iam:admin.read}), through the APIs IAM
 * documents and its dashboard uses: {@code /scim/Users} and {@code /scim/Groups} (paged, 100 at a time, with the
 * {@code urn:indigo-dc:scim:schemas:IndigoUser} extension: certificates, oidcIds, samlIds, labels, attributes,
 * aupSignatureTime, endTime), {@code /iam/group/{id}/labels}, {@code /iam/group/{id}/group-managers},
 * {@code /iam/account/find/byauthority?authority=ROLE_ADMIN|ROLE_READER}, {@code /iam/aup},
 * {@code /iam/scope_policies}, {@code /iam/api/exchange/policies} and {@code /iam/api/clients} with their owners.
 * A group labelled {@code wlcg.optional-group} is optional, as IAM's WLCG profile treats it.
 */
public class IamSource {

    static final String INDIGO_USER = "urn:indigo-dc:scim:schemas:IndigoUser";
    static final String INDIGO_GROUP = "urn:indigo-dc:scim:schemas:IndigoGroup";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAGE = 100;

    private final String base;
    private final String token;
    private final HttpClient http;

    public IamSource(String baseUrl, String token) {
        this.base = baseUrl.replaceAll("/+$", "");
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** One GET answered with JSON; a status other than 200 (or 404 when {@code missingOk}) is an error. */
    Object get(String path, boolean missingOk) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json, application/scim+json")
                .GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ImportException("cannot reach " + base + path + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImportException("interrupted");
        }
        if (missingOk && response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new ImportException(base + path + " answered " + response.statusCode() + ": the token needs the "
                    + "scopes scim:read and iam:admin.read (an IAM admin's client)");
        }
        if (response.statusCode() != 200) {
            throw new ImportException(base + path + " answered " + response.statusCode());
        }
        try {
            return JSON.readValue(response.body(), Object.class);
        } catch (RuntimeException e) {
            throw new ImportException(base + path + " did not answer JSON");
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> pages(String path) {
        List<Map<String, Object>> all = new ArrayList<>();
        int start = 1;
        while (true) {
            Map<String, Object> page = (Map<String, Object>) get(path + (path.contains("?") ? "&" : "?")
                    + "startIndex=" + start + "&count=" + PAGE, false);
            List<Map<String, Object>> resources = (List<Map<String, Object>>) page.getOrDefault("Resources",
                    List.of());
            all.addAll(resources);
            int total = ((Number) page.getOrDefault("totalResults", 0)).intValue();
            start += resources.size();
            if (resources.isEmpty() || start > total) {
                return all;
            }
        }
    }

    @SuppressWarnings("unchecked")
    public SourceData.Snapshot read() {
        List<String> problems = new ArrayList<>();
        // groups first: a user's groups are named by id
        Map<String, Map<String, Object>> rawGroups = new LinkedHashMap<>();
        for (Map<String, Object> group : pages("/scim/Groups")) {
            rawGroups.put((String) group.get("id"), group);
        }
        Map<String, String> paths = new HashMap<>();
        List<SourceData.Group> groups = new ArrayList<>();
        for (Map<String, Object> group : rawGroups.values()) {
            String id = (String) group.get("id");
            String path = path(id, rawGroups, new HashSet<>());
            if (path == null) {
                problems.add("group " + group.get("displayName") + " (" + id + "): its parent group is missing");
                continue;
            }
            paths.put(id, path);
            List<SourceData.Label> labels = labels(get("/iam/group/" + id + "/labels", true));
            boolean optional = labels.stream().anyMatch(l -> l.prefix() == null && l.name().equals("wlcg.optional-group"));
            groups.add(new SourceData.Group(id, path, optional, labels));
        }
        groups.sort(Comparator.comparing(SourceData.Group::path));
        Map<String, Set<String>> managers = new HashMap<>();
        for (SourceData.Group group : groups) {
            Object answer = get("/iam/group/" + group.sourceId() + "/group-managers", true);
            Set<String> ids = new HashSet<>();
            if (answer instanceof List<?> list) {
                list.forEach(m -> {
                    if (m instanceof Map<?, ?> manager && manager.get("id") instanceof String managerId) {
                        ids.add(managerId);
                    }
                });
            }
            if (!ids.isEmpty()) {
                managers.put(group.path(), ids);
            }
        }
        List<SourceData.Account> accounts = new ArrayList<>();
        for (Map<String, Object> user : pages("/scim/Users")) {
            try {
                accounts.add(account(user, paths));
            } catch (RuntimeException e) {
                problems.add("account " + user.get("userName") + " (" + user.get("id") + "): " + e.getMessage());
            }
        }
        Set<String> admins = authority("ROLE_ADMIN");
        Set<String> readers = authority("ROLE_READER");
        SourceData.Aup aup = null;
        Object rawAup = get("/iam/aup", true);
        if (rawAup instanceof Map<?, ?> a) {
            List<Integer> reminders = new ArrayList<>();
            if (a.get("aupRemindersInDays") instanceof String text) {
                for (String day : text.split(",")) {
                    if (!day.isBlank()) {
                        reminders.add(Integer.parseInt(day.strip()));
                    }
                }
            }
            aup = new SourceData.Aup((String) a.get("text"), (String) a.get("url"),
                    a.get("signatureValidityInDays") instanceof Number n ? n.intValue() : 0, reminders);
        }
        // scope policies in IAM's JSON; a group is named by IAM's id, which becomes its path here
        Map<String, String> byId = new HashMap<>();
        groups.forEach(g -> byId.put(g.sourceId(), g.path()));
        List<Map<String, Object>> policies = new ArrayList<>();
        if (get("/iam/scope_policies", true) instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> policy = new LinkedHashMap<>((Map<String, Object>) item);
                if (policy.get("group") instanceof Map<?, ?> group) {
                    String path = byId.get(String.valueOf(group.get("uuid")));
                    policy.put("group", path == null ? Map.of("name", String.valueOf(group.get("name")))
                            : Map.of("name", path.substring(1)));
                }
                policies.add(policy);
            }
        }
        List<SourceData.Client> clients = new ArrayList<>();
        for (Map<String, Object> client : pages("/iam/api/clients")) {
            String clientId = (String) client.get("client_id");
            String owner = null;
            if (get("/iam/api/clients/" + encode(clientId) + "/owners", true) instanceof Map<?, ?> owners
                    && owners.get("Resources") instanceof List<?> resources && !resources.isEmpty()
                    && resources.get(0) instanceof Map<?, ?> first) {
                owner = (String) first.get("id");
            }
            clients.add(new SourceData.Client(clientId, client, (String) client.get("client_secret"), owner));
        }
        List<Map<String, Object>> exchanges = new ArrayList<>();
        if (get("/iam/api/exchange/policies", true) instanceof List<?> list) {
            list.forEach(item -> exchanges.add((Map<String, Object>) item));
        }
        return new SourceData.Snapshot(accounts, groups, managers, admins, readers, aup, policies, exchanges, clients,
                problems);
    }

    private Set<String> authority(String authority) {
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> user : pages("/iam/account/find/byauthority?authority=" + authority)) {
            ids.add((String) user.get("id"));
        }
        return ids;
    }

    /** The group's path from its parents (IAM names are full paths too; the parent chain is authoritative). */
    @SuppressWarnings("unchecked")
    private static String path(String id, Map<String, Map<String, Object>> groups, Set<String> seen) {
        Map<String, Object> group = groups.get(id);
        if (group == null || !seen.add(id)) {
            return null;
        }
        String display = (String) group.get("displayName");
        String own = display.contains("/") ? display.substring(display.lastIndexOf('/') + 1) : display;
        Map<String, Object> indigo = (Map<String, Object>) group.get(INDIGO_GROUP);
        Map<String, Object> parent = indigo == null ? null : (Map<String, Object>) indigo.get("parentGroup");
        if (parent == null || parent.get("value") == null) {
            return "/" + own;
        }
        String parentPath = path((String) parent.get("value"), groups, seen);
        return parentPath == null ? null : parentPath + "/" + own;
    }

    @SuppressWarnings("unchecked")
    private static SourceData.Account account(Map<String, Object> user, Map<String, String> groupPaths) {
        String id = (String) user.get("id");
        String username = (String) user.get("userName");
        if (id == null || username == null) {
            throw new IllegalArgumentException("no id or userName");
        }
        Map<String, Object> name = (Map<String, Object>) user.getOrDefault("name", Map.of());
        String email = null;
        if (user.get("emails") instanceof List<?> emails && !emails.isEmpty()) {
            for (Object e : emails) {
                if (e instanceof Map<?, ?> m && (email == null || Boolean.TRUE.equals(m.get("primary")))) {
                    email = (String) m.get("value");
                }
            }
        }
        Map<String, Object> meta = (Map<String, Object>) user.getOrDefault("meta", Map.of());
        Map<String, Object> indigo = (Map<String, Object>) user.getOrDefault(INDIGO_USER, Map.of());
        List<SourceData.Certificate> certificates = new ArrayList<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) indigo.getOrDefault("certificates", List.of())) {
            certificates.add(new SourceData.Certificate((String) c.get("subjectDn"), (String) c.get("issuerDn"),
                    (String) c.get("pemEncodedCertificate"), (String) c.get("display")));
        }
        List<SourceData.SshKey> sshKeys = new ArrayList<>();
        for (Map<String, Object> k : (List<Map<String, Object>>) indigo.getOrDefault("sshKeys", List.of())) {
            sshKeys.add(new SourceData.SshKey((String) k.get("display"), (String) k.get("value"),
                    Boolean.TRUE.equals(k.get("primary"))));
        }
        List<SourceData.Identity> identities = new ArrayList<>();
        for (Map<String, Object> o : (List<Map<String, Object>>) indigo.getOrDefault("oidcIds", List.of())) {
            identities.add(new SourceData.Identity("OIDC", (String) o.get("issuer"), (String) o.get("subject"), null));
        }
        for (Map<String, Object> s : (List<Map<String, Object>>) indigo.getOrDefault("samlIds", List.of())) {
            identities.add(new SourceData.Identity("SAML", (String) s.get("idpId"), (String) s.get("userId"),
                    (String) s.get("attributeId")));
        }
        List<SourceData.Label> labels = labels(indigo.get("labels"));
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map<String, Object> a : (List<Map<String, Object>>) indigo.getOrDefault("attributes", List.of())) {
            attributes.put((String) a.get("name"), (String) a.get("value"));
        }
        List<SourceData.Membership> memberships = new ArrayList<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) user.getOrDefault("groups", List.of())) {
            String path = groupPaths.get((String) g.get("value"));
            if (path != null) {
                memberships.add(new SourceData.Membership(path, null));
            }
        }
        return new SourceData.Account(id, username, (String) name.get("givenName"), (String) name.get("familyName"),
                email, !Boolean.FALSE.equals(user.get("active")), instant(meta.get("created")),
                instant(indigo.get("endTime")), instant(indigo.get("aupSignatureTime")), certificates, identities,
                labels, attributes, memberships, sshKeys);
    }

    @SuppressWarnings("unchecked")
    private static List<SourceData.Label> labels(Object raw) {
        List<SourceData.Label> labels = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> l) {
                    labels.add(new SourceData.Label((String) l.get("prefix"), (String) l.get("name"),
                            (String) l.get("value")));
                }
            }
        }
        return labels;
    }

    /** IAM's dates: epoch milliseconds or ISO-8601 with an offset. */
    static Instant instant(Object value) {
        return eu.tessera.server.api.IamDates.parse(value, "date");
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
