package eu.tessera.server.migration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * A STAND-IN for INDIGO IAM's read API (IAM cannot run here: its build needs CNAF's private Maven repository),
 * answering as IAM 1.12 does (indigo-iam/iam v1.12.0: {@code ScimUserProvisioning}, {@code ScimGroupProvisioning},
 * {@code ScimUser}/{@code ScimIndigoUser}/{@code ScimGroup} models, {@code FindAccountController},
 * {@code GroupManagerController}, {@code AccountLabelsController}/group labels, {@code AupController}):
 * <ul>
 * <li>every call needs {@code Authorization: Bearer <token>}; another token is 401 (IAM answers 401 for an unknown
 * token and 403 for a token without {@code scim:read}/{@code iam:admin.read}: both are refusals here);</li>
 * <li>SCIM lists ({@code application/scim+json}, {@code ListResponse}) honour {@code startIndex} (1-based) and
 * {@code count}, which IAM caps at 100 ({@code ScimControllerSupport.SCIM_USER_MAX_PAGE_SIZE} and
 * {@code SCIM_GROUP_MAX_PAGE_SIZE}); the user list leaves out {@code pemEncodedCertificate}, as IAM's
 * {@code ScimUserController.listUsers} filters it out ({@code pemEncodedCertificateFilter});</li>
 * <li>users carry {@code urn:indigo-dc:scim:schemas:IndigoUser} (oidcIds, samlIds, certificates with subjectDn,
 * issuerDn, pemEncodedCertificate, display, sshKeys with display, primary and value, labels, attributes,
 * aupSignatureTime, endTime) and {@code groups} with
 * the group ids; dates are ISO-8601 with an offset, as IAM's Jackson configuration writes {@code java.util.Date};</li>
 * <li>groups carry {@code displayName} (IAM's full name without a leading slash) and {@code IndigoGroup.parentGroup};</li>
 * <li>{@code /iam/group/{id}/labels} and {@code /group-managers} (a list of SCIM users), {@code /iam/account/find/
 * byauthority}, {@code /iam/aup} (404 when the VO has none).</li>
 * </ul>
 * The data ({@link IamDataset}) can change between runs, as the real IAM's would during a parallel run.
 */
public final class IamStandIn implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter IAM_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.ofHours(1));
    static final int MAX_COUNT = 100;

    private final HttpServer server;
    private final String token;
    private volatile IamDataset data;
    final AtomicInteger requests = new AtomicInteger();
    final Map<String, Integer> byPath = new ConcurrentHashMap<>();

    public IamStandIn(IamDataset data, String token) throws IOException {
        this(data, token, 0);
    }

    public IamStandIn(IamDataset data, String token, int port) throws IOException {
        this.data = data;
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void data(IamDataset data) {
        this.data = data;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static String date(Instant instant) {
        return instant == null ? null : IAM_DATE.format(instant);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        byPath.merge(path.replaceAll("[0-9a-f-]{36}", "{id}"), 1, Integer::sum);
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        try {
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, Map.of("error", "invalid_token", "error_description", "Invalid access token"));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, Map.of("error", "method not allowed"));
                return;
            }
            IamDataset d = data;
            if (path.equals("/scim/Users")) {
                send(exchange, 200, list(d.users.stream().map(u -> withoutPem(user(u, d))).toList(), query));
            } else if (path.equals("/scim/Groups")) {
                send(exchange, 200, list(d.groups.stream().map(g -> group(g, d)).toList(), query));
            } else if (path.matches("/iam/group/[^/]+/labels")) {
                IamDataset.Group group = d.group(path.split("/")[3]);
                if (group == null) {
                    send(exchange, 404, Map.of("error", "Group not found"));
                } else {
                    send(exchange, 200, group.labels.stream().map(IamStandIn::label).toList());
                }
            } else if (path.matches("/iam/group/[^/]+/group-managers")) {
                IamDataset.Group group = d.group(path.split("/")[3]);
                if (group == null) {
                    send(exchange, 404, Map.of("error", "Group not found"));
                } else {
                    send(exchange, 200, d.users.stream().filter(u -> group.managers.contains(u.id))
                            .map(u -> user(u, d)).toList());
                }
            } else if (path.equals("/iam/account/find/byauthority")) {
                String authority = query.getOrDefault("authority", "");
                send(exchange, 200, list(d.users.stream().filter(u -> u.authorities.contains(authority))
                        .map(u -> user(u, d)).toList(), query));
            } else if (path.equals("/iam/scope_policies")) {
                send(exchange, 200, d.scopePolicies);
            } else if (path.equals("/iam/api/exchange/policies")) {
                send(exchange, 200, d.exchangePolicies);
            } else if (path.equals("/iam/api/clients")) {
                // IAM's ClientManagementAPIController: a ListResponseDTO of RegisteredClientDTO (startIndex, count)
                send(exchange, 200, list(d.clients, query));
            } else if (path.matches("/iam/api/clients/[^/]+/owners")) {
                String clientId = URLDecoder.decode(path.split("/")[4], StandardCharsets.UTF_8);
                String owner = d.clientOwners.get(clientId);
                send(exchange, 200, list(owner == null ? List.of() : d.users.stream().filter(u -> u.id.equals(owner))
                        .map(u -> user(u, d)).toList(), query));
            } else if (path.equals("/iam/aup")) {
                if (d.aupText == null) {
                    send(exchange, 404, Map.of("error", "AUP is not defined for this organization"));
                } else {
                    Map<String, Object> aup = new LinkedHashMap<>();
                    aup.put("url", null);
                    aup.put("text", d.aupText);
                    aup.put("signatureValidityInDays", d.aupValidityDays);
                    aup.put("aupRemindersInDays", "30,15,1");
                    aup.put("creationTime", date(Instant.parse("2020-01-01T00:00:00Z")));
                    aup.put("lastUpdateTime", date(Instant.parse("2020-01-01T00:00:00Z")));
                    send(exchange, 200, aup);
                }
            } else {
                send(exchange, 404, Map.of("error", "not found"));
            }
        } catch (RuntimeException e) {
            send(exchange, 500, Map.of("error", String.valueOf(e)));
        }
    }

    private static Map<String, Object> list(List<Map<String, Object>> all, Map<String, String> query) {
        int start = Math.max(1, Integer.parseInt(query.getOrDefault("startIndex", "1")));
        int count = Math.min(MAX_COUNT, Math.max(0, Integer.parseInt(query.getOrDefault("count",
                String.valueOf(MAX_COUNT)))));
        List<Map<String, Object>> page = start > all.size() ? List.of()
                : all.subList(start - 1, Math.min(all.size(), start - 1 + count));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalResults", all.size());
        out.put("itemsPerPage", page.size());
        out.put("startIndex", start);
        out.put("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:ListResponse"));
        out.put("Resources", page);
        return out;
    }

    private static Map<String, Object> label(IamDataset.Label label) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (label.prefix() != null) {
            out.put("prefix", label.prefix());
        }
        out.put("name", label.name());
        if (label.value() != null) {
            out.put("value", label.value());
        }
        return out;
    }

    static Map<String, Object> user(IamDataset.User u, IamDataset d) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:indigo-dc:scim:schemas:IndigoUser"));
        user.put("id", u.id);
        user.put("meta", Map.of("created", date(u.created), "lastModified", date(u.created), "location",
                "https://iam.example.org/scim/Users/" + u.id, "resourceType", "User"));
        user.put("userName", u.username);
        user.put("name", Map.of("givenName", u.givenName, "familyName", u.familyName, "formatted",
                u.givenName + " " + u.familyName));
        user.put("displayName", u.givenName + " " + u.familyName);
        user.put("active", u.active);
        user.put("emails", List.of(Map.of("type", "work", "value", u.email, "primary", true)));
        List<Map<String, Object>> groups = new ArrayList<>();
        for (String groupId : u.groups) {
            IamDataset.Group group = d.group(groupId);
            groups.add(Map.of("value", groupId, "display", group == null ? "?" : group.name, "$ref",
                    "https://iam.example.org/scim/Groups/" + groupId));
        }
        user.put("groups", groups);
        Map<String, Object> indigo = new LinkedHashMap<>();
        indigo.put("oidcIds", u.oidcIds.stream().map(o -> Map.of("issuer", o[0], "subject", o[1])).toList());
        indigo.put("samlIds", u.samlIds.stream().map(s -> Map.of("idpId", s[0], "userId", s[1], "attributeId", s[2]))
                .toList());
        List<Map<String, Object>> certificates = new ArrayList<>();
        for (IamDataset.Certificate c : u.certificates) {
            Map<String, Object> certificate = new LinkedHashMap<>();
            certificate.put("primary", certificates.isEmpty());
            certificate.put("subjectDn", c.subject());
            certificate.put("issuerDn", c.issuer());
            if (c.pem() != null) {
                certificate.put("pemEncodedCertificate", c.pem());
            }
            certificate.put("display", c.label());
            certificate.put("created", date(u.created));
            certificate.put("lastModified", date(u.created));
            certificate.put("hasProxyCertificate", false);
            certificates.add(certificate);
        }
        indigo.put("certificates", certificates);
        // ScimSshKey as SshKeyConverter.dtoFromEntity writes it (indigo-iam/iam e998e438f); the fingerprint as
        // RSAPublicKeyUtils makes it: SHA-256 of the Base64-decoded second word, standard Base64 (IAM checks nothing
        // more, so a cut-short key is stored and served)
        indigo.put("sshKeys", u.sshKeys.stream().map(k -> {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("display", k.label());
            key.put("primary", k.primary());
            key.put("value", k.value());
            key.put("fingerprint", iamFingerprint(k.value()));
            key.put("created", date(u.created));
            key.put("lastModified", date(u.created));
            return key;
        }).toList());
        indigo.put("labels", u.labels.stream().map(IamStandIn::label).toList());
        indigo.put("attributes", u.attributes.entrySet().stream().map(e -> Map.of("name", e.getKey(), "value",
                e.getValue())).toList());
        if (u.aupSignatureTime != null) {
            indigo.put("aupSignatureTime", date(u.aupSignatureTime));
        }
        if (u.endTime != null) {
            indigo.put("endTime", date(u.endTime));
        }
        indigo.put("serviceAccount", false);
        user.put("urn:indigo-dc:scim:schemas:IndigoUser", indigo);
        return user;
    }

    /** A user as IAM's list shows it: certificates without their PEM. */
    @SuppressWarnings("unchecked")
    private static String iamFingerprint(String value) {
        String[] parts = value.split("\\s");
        try {
            return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(java.util.Base64.getDecoder().decode(parts.length > 1 ? parts[1] : parts[0])));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> withoutPem(Map<String, Object> user) {
        Map<String, Object> indigo = (Map<String, Object>) user.get("urn:indigo-dc:scim:schemas:IndigoUser");
        ((List<Map<String, Object>>) indigo.get("certificates")).forEach(c -> c.remove("pemEncodedCertificate"));
        return user;
    }

    static Map<String, Object> group(IamDataset.Group g, IamDataset d) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group",
                "urn:indigo-dc:scim:schemas:IndigoGroup"));
        group.put("id", g.id);
        group.put("meta", Map.of("created", date(Instant.parse("2020-01-01T00:00:00Z")), "resourceType", "Group",
                "location", "https://iam.example.org/scim/Groups/" + g.id));
        group.put("displayName", g.name);
        Map<String, Object> indigo = new LinkedHashMap<>();
        if (g.parentId != null) {
            IamDataset.Group parent = d.group(g.parentId);
            Map<String, Object> parentGroup = new LinkedHashMap<>();
            parentGroup.put("display", parent == null ? "?" : parent.name);
            parentGroup.put("value", g.parentId);
            parentGroup.put("$ref", "https://iam.example.org/scim/Groups/" + g.parentId);
            indigo.put("parentGroup", parentGroup);
        }
        group.put("urn:indigo-dc:scim:schemas:IndigoGroup", indigo);
        group.put("members", List.of());   // IAM lists members here too; the importer reads them from the users
        return group;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", exchange.getRequestURI().getPath().startsWith("/scim")
                ? "application/scim+json;charset=UTF-8" : "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
