package eu.tessera.server.scim;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountLifecycle;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * SCIM 2.0 Users (RFC 7643/7644) as INDIGO IAM serves them, with its {@code urn:indigo-dc:scim:schemas:IndigoUser}
 * extension (oidcIds, samlIds, certificates, sshKeys) that the Rucio sync scripts read: list with filter and
 * startIndex/count paging (ordered by userName, one query per page plus one each for groups, identities,
 * certificates and SSH keys), read, create, replace, patch ({@code active}, names, emails, IAM's certificate and
 * SSH key operations), delete; ETags and If-Match; SCIM error bodies.
 * {@code scim:read} reads, {@code scim:write} writes; {@code /scim/Me} is the caller's own account.
 */
@RestController
public class ScimUsersController {

    private static final Map<String, String> FILTERABLE = Map.of("id", "a.id", "externalid", "a.external_id",
            "username", "a.username",
            "emails", "a.email", "emails.value", "a.email", "displayname",
            "(coalesce(a.given_name, '') || ' ' || coalesce(a.family_name, ''))", "name.givenname", "a.given_name",
            "name.familyname", "a.family_name", "active", "bool:a.active");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{1,127}");
    private static final String COLUMNS = "a.id, a.username, a.email, a.given_name, a.family_name, a.active, "
            + "a.created_at, a.updated_at, a.service_account, a.external_id";

    private record Row(String id, String username, String email, String givenName, String familyName,
            boolean active, Instant created, Instant updated, boolean service, String externalId) {
    }

    private final JdbcTemplate jdbc;
    private final AccountRepository accounts;
    private final AccountLifecycle lifecycle;
    private final AuditLog audit;
    private final TesseraProperties properties;
    private final Clock clock;

    private final eu.tessera.server.account.AccountRoles roles;
    private final eu.tessera.server.account.CertificateLinks certificateLinks;
    private final eu.tessera.server.account.SshKeys sshKeys;

    public ScimUsersController(JdbcTemplate jdbc, AccountRepository accounts, AccountLifecycle lifecycle,
            AuditLog audit, TesseraProperties properties, Clock clock,
            eu.tessera.server.account.AccountRoles roles, eu.tessera.server.account.CertificateLinks certificateLinks,
            eu.tessera.server.account.SshKeys sshKeys) {
        this.roles = roles;
        this.sshKeys = sshKeys;
        this.certificateLinks = certificateLinks;
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/scim/Users")
    public ResponseEntity<Object> list(@RequestParam(required = false) String filter,
            @RequestParam(required = false) Integer startIndex, @RequestParam(required = false) Integer count) {
        ScimSupport.Page<Row> page = ScimSupport.page(jdbc, filter, FILTERABLE, "account a",
                "select " + COLUMNS + " from account a", "a.username", startIndex, count, (rs, n) -> row(rs));
        return ResponseEntity.ok().contentType(ScimSupport.SCIM)
                .body(ScimSupport.list(page.total(), page.startIndex(), render(page.rows())));
    }

    /**
     * SCIM users whose account (alias {@code a}) meets {@code condition}, ordered by username, as a SCIM list:
     * INDIGO IAM's {@code /iam/account/find/*} answers ({@code ListResponseDTO<ScimUser>}).
     */
    public Map<String, Object> find(String condition, List<Object> args, Integer startIndex, Integer count) {
        int[] page = ScimSupport.paging(startIndex, count);
        Long total = jdbc.queryForObject("select count(*) from account a where " + condition, Long.class,
                args.toArray());
        List<Object> pageArgs = new java.util.ArrayList<>(args);
        pageArgs.add(page[1]);
        pageArgs.add(page[0] - 1);
        List<Row> rows = page[1] == 0 ? List.of() : jdbc.query("select " + COLUMNS + " from account a where "
                + condition + " order by a.username limit ? offset ?", (rs, n) -> row(rs), pageArgs.toArray());
        return ScimSupport.list(total == null ? 0 : total, page[0], render(rows));
    }

    @GetMapping("/scim/Users/{id}")
    public ResponseEntity<Object> get(@PathVariable String id,
            @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        Row row = find(id);
        String etag = ScimSupport.etag(row.updated());
        if (etag.equals(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().contentType(ScimSupport.SCIM).eTag(etag).body(render(List.of(row)).get(0));
    }

    @GetMapping("/scim/Me")
    public ResponseEntity<Object> me(@AuthenticationPrincipal Jwt token) {
        if (accounts.findById(token.getSubject()).isEmpty()) {
            throw new ScimException(404, null, "the token is not a user's token");
        }
        return get(token.getSubject(), null);
    }

    @PostMapping("/scim/Users")
    @Transactional
    public ResponseEntity<Object> create(@RequestBody Map<String, Object> body) {
        String username = string(body, "userName");
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new ScimException(400, "invalidValue", "userName: 2 to 128 letters, digits, '.', '_', '@' or '-'");
        }
        if (accounts.findByUsername(username).isPresent()) {
            throw new ScimException(409, "uniqueness", "userName " + username + " is taken");
        }
        Map<String, Object> name = map(body, "name");
        Account account = accounts.saveAndFlush(new Account(username, primaryEmail(body),
                string(name, "givenName"), string(name, "familyName"), clock.instant()));
        String externalId = externalId(body);
        if (externalId != null) {
            jdbc.update("update account set external_id = ? where id = ?", externalId, account.getId());
        }
        if (Boolean.FALSE.equals(body.get("active"))) {
            lifecycle.suspend(account.getId(), AuditLog.currentActor(), "created inactive through SCIM");
        }
        audit.record("scim.user_created", account.getId(), Map.of("userName", username));
        Row row = find(account.getId());
        return ResponseEntity.created(ScimSupport.location(properties.baseUrl(), "Users", row.id()))
                .contentType(ScimSupport.SCIM).eTag(ScimSupport.etag(row.updated())).body(render(List.of(row)).get(0));
    }

    @PutMapping("/scim/Users/{id}")
    @Transactional
    public ResponseEntity<Object> replace(@PathVariable String id, @RequestBody Map<String, Object> body,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        Row row = find(id);
        ScimSupport.checkIfMatch(ifMatch, row.updated());
        String username = string(body, "userName");
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new ScimException(400, "invalidValue", "userName: 2 to 128 letters, digits, '.', '_', '@' or '-'");
        }
        if (!username.equals(row.username()) && accounts.findByUsername(username).isPresent()) {
            throw new ScimException(409, "uniqueness", "userName " + username + " is taken");
        }
        Map<String, Object> name = map(body, "name");
        jdbc.update("update account set username = ?, email = ?, given_name = ?, family_name = ?, external_id = ?, "
                + "updated_at = ? where id = ?", username, primaryEmail(body), string(name, "givenName"),
                string(name, "familyName"), externalId(body), Timestamp.from(clock.instant()), id);
        applyActive(id, row.active(), body.get("active"));
        audit.record("scim.user_replaced", id, Map.of("userName", username));
        return get(id, null);
    }

    @PatchMapping("/scim/Users/{id}")
    @Transactional
    public ResponseEntity<Object> patch(@PathVariable String id, @RequestBody Map<String, Object> body,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        Row row = find(id);
        ScimSupport.checkIfMatch(ifMatch, row.updated());
        for (Map<String, Object> operation : operations(body)) {
            String op = String.valueOf(operation.get("op")).toLowerCase();
            Object path = operation.get("path");
            Object value = operation.get("value");
            // (indigo-iam/voms-importer sends path "certificates" with the same value)
            if ((path == null || INDIGO_PATHS.contains(path)) && value instanceof Map<?, ?> extension
                    && extension.size() == 1 && extension.get(ScimSupport.INDIGO_USER) instanceof Map<?, ?> indigo
                    && !indigo.isEmpty() && INDIGO_LISTS.containsAll(indigo.keySet())) {
                // INDIGO IAM's operations on X.509 certificates (link, unlink) and SSH keys (add, remove)
                if (indigo.containsKey("certificates")) {
                    patchCertificates(id, op, indigo.get("certificates"));
                }
                if (indigo.containsKey("sshKeys")) {
                    patchSshKeys(id, op, indigo.get("sshKeys"));
                }
                continue;
            }
            if (!op.equals("replace") && !op.equals("add")) {
                throw new ScimException(400, "invalidSyntax", "Users support the add and replace operations, and "
                        + "remove for " + ScimSupport.INDIGO_USER + " certificates and sshKeys");
            }
            Map<String, Object> values = new HashMap<>();
            if (path == null && value instanceof Map<?, ?> map) {
                map.forEach((k, v) -> values.put(String.valueOf(k), v));
            } else if (path instanceof String p) {
                values.put(p, value);
            } else {
                throw new ScimException(400, "invalidPath", "a path or an object value is needed");
            }
            for (Map.Entry<String, Object> entry : values.entrySet()) {
                switch (entry.getKey()) {
                    case "active" -> applyActive(id, find(id).active(), entry.getValue());
                    case "name.givenName" -> column(id, "given_name", entry.getValue());
                    case "name.familyName" -> column(id, "family_name", entry.getValue());
                    case "name" -> {
                        if (!(entry.getValue() instanceof Map<?, ?> name)) {
                            throw new ScimException(400, "invalidValue", "name: an object");
                        }
                        if (name.containsKey("givenName")) {
                            column(id, "given_name", name.get("givenName"));
                        }
                        if (name.containsKey("familyName")) {
                            column(id, "family_name", name.get("familyName"));
                        }
                    }
                    case "emails" -> column(id, "email", primaryEmail(Map.of("emails", entry.getValue())));
                    default -> throw new ScimException(400, "invalidPath", "cannot change " + entry.getKey());
                }
            }
        }
        audit.record("scim.user_patched", id, Map.of());
        return get(id, null);
    }

    /** A PATCH value that must be a list of objects (IAM's certificates, sshKeys); a SCIM 400 otherwise. */
    private static List<Map<?, ?>> objects(Object value, String name) {
        if (!(value instanceof List<?> list)) {
            throw new ScimException(400, "invalidValue", name + ": a list");
        }
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> object)) {
                throw new ScimException(400, "invalidValue", name + ": a list of objects");
            }
            out.add(object);
        }
        return out;
    }

    /** The lists of IAM's IndigoUser extension a PATCH may add to or remove from. */
    private static final java.util.Set<String> INDIGO_LISTS = java.util.Set.of("certificates", "sshKeys");
    /** The paths such a PATCH names (indigo-iam/voms-importer sends path "certificates" with the same value). */
    private static final java.util.Set<Object> INDIGO_PATHS = java.util.Set.of("certificates", "sshKeys",
            ScimSupport.INDIGO_USER + ".certificates", ScimSupport.INDIGO_USER + ":certificates",
            ScimSupport.INDIGO_USER + ".sshKeys", ScimSupport.INDIGO_USER + ":sshKeys", ScimSupport.INDIGO_USER);

    /**
     * Adds ({@code add}, {@code replace}) or removes ({@code remove}) SSH keys given as IAM's {@code ScimSshKey}:
     * {@code value} (the public key) and {@code display} (the label) to add; {@code value} or {@code fingerprint} to
     * remove. Adding a key the account has changes nothing; one of another account is a 409.
     */
    private void patchSshKeys(String id, String op, Object value) {
        String actor = AuditLog.currentActor();
        for (Map<?, ?> key : objects(value, "sshKeys")) {
            String text = key.get("value") instanceof String v ? v : null;
            String fingerprint = key.get("fingerprint") instanceof String f ? f : null;
            String label = key.get("display") instanceof String d ? d : null;
            try {
                if (op.equals("add") || op.equals("replace")) {
                    sshKeys.add(id, label, text, Boolean.TRUE.equals(key.get("primary")), actor);
                } else if (op.equals("remove")) {
                    if (text == null && fingerprint == null) {
                        throw new ScimException(400, "invalidValue", "sshKeys: value or fingerprint to remove");
                    }
                    sshKeys.remove(id, text != null ? eu.tessera.server.account.SshKeys.parse(text).fingerprint()
                            : fingerprint, actor);
                } else {
                    throw new ScimException(400, "invalidSyntax", "sshKeys: add, replace or remove");
                }
            } catch (eu.tessera.server.account.LinkException e) {
                throw new ScimException(e.conflict() ? 409 : 400, e.conflict() ? "uniqueness" : "invalidValue",
                        "sshKeys: " + e.getMessage());
            }
        }
    }

    /**
     * Links ({@code add}, {@code replace}) or unlinks ({@code remove}) certificates given as IAM's
     * {@code ScimX509Certificate}: {@code pemEncodedCertificate}, or {@code subjectDn} and {@code issuerDn} (either DN
     * form), with an optional {@code display} label. Adding one the account already has changes nothing; one linked
     * to another account is a 409.
     */
    private void patchCertificates(String id, String op, Object value) {
        String actor = AuditLog.currentActor();
        for (Map<?, ?> certificate : objects(value, "certificates")) {
            String pem = certificate.get("pemEncodedCertificate") instanceof String text ? text : null;
            String subject = certificate.get("subjectDn") instanceof String text ? text : null;
            String issuer = certificate.get("issuerDn") instanceof String text ? text : null;
            String label = certificate.get("display") instanceof String text ? text : null;
            try {
                if (pem == null && (subject == null || issuer == null)) {
                    throw new eu.tessera.server.account.LinkException("a certificate needs pemEncodedCertificate, or "
                            + "subjectDn and issuerDn", false);
                }
                if (op.equals("add") || op.equals("replace")) {
                    String[] names = pem != null ? certificateLinks.names(pem) : new String[] {subject, issuer};
                    String s = eu.tessera.voms.pki.DistinguishedNames.canonical(names[0]);
                    String i = eu.tessera.voms.pki.DistinguishedNames.canonical(names[1]);
                    if (certificateLinks.of(id).stream().anyMatch(c -> c.getSubjectDn().equals(s)
                            && c.getIssuerDn().equals(i))) {
                        continue;   // idempotent: an importer re-running adds what is there
                    }
                    if (pem != null) {
                        certificateLinks.linkPem(id, pem, label, actor);
                    } else {
                        certificateLinks.link(id, subject, issuer, label, null, actor);
                    }
                } else if (op.equals("remove")) {
                    String[] names = pem != null ? certificateLinks.names(pem) : new String[] {subject, issuer};
                    String s = eu.tessera.voms.pki.DistinguishedNames.canonical(names[0]);
                    String i = eu.tessera.voms.pki.DistinguishedNames.canonical(names[1]);
                    certificateLinks.of(id).stream().filter(c -> c.getSubjectDn().equals(s) && c.getIssuerDn().equals(i))
                            .forEach(c -> certificateLinks.unlink(id, c.getId(), actor));
                } else {
                    throw new ScimException(400, "invalidSyntax", "certificates: add, replace or remove");
                }
            } catch (eu.tessera.server.account.LinkException e) {
                throw new ScimException(e.conflict() ? 409 : 400, e.conflict() ? "uniqueness" : "invalidValue",
                        e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ScimException(400, "invalidValue", "certificates: subjectDn, issuerDn: " + e.getMessage());
            }
        }
    }

    @DeleteMapping("/scim/Users/{id}")
    @Transactional
    public ResponseEntity<Object> delete(@PathVariable String id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        Row row = find(id);
        ScimSupport.checkIfMatch(ifMatch, row.updated());
        refuseSelf(id, "remove");
        jdbc.update("delete from account where id = ?", id);
        audit.record("scim.user_deleted", id, Map.of("userName", row.username()));
        return ResponseEntity.noContent().build();
    }

    /**
     * RFC 7644 section 3.12: 403, the operation is not permitted for this caller (an admin on their own account);
     * 409 when it would leave no active admin.
     */
    private void refuseSelf(String id, String what) {
        try {
            AccountLifecycle.refuseSelf(id, AuditLog.currentActor(), what);
            roles.requireAnotherActiveAdmin(id, what);
        } catch (AccountLifecycle.SelfActionException e) {
            throw new ScimException(403, null, e.getMessage());
        } catch (eu.tessera.server.account.AccountRoles.RoleException e) {
            throw new ScimException(e.status(), null, e.getMessage());
        }
    }

    private void applyActive(String id, boolean current, Object active) {
        if (active == null) {
            return;
        }
        if (!(active instanceof Boolean wanted)) {
            throw new ScimException(400, "invalidValue", "active: true or false");
        }
        if (wanted && !current) {
            lifecycle.restore(id, AuditLog.currentActor());
        } else if (!wanted && current) {
            refuseSelf(id, "suspend");
            lifecycle.suspend(id, AuditLog.currentActor(), "suspended through SCIM");
        }
        jdbc.update("update account set updated_at = ? where id = ?", Timestamp.from(clock.instant()), id);
    }

    private void column(String id, String column, Object value) {
        if (value != null && !(value instanceof String)) {
            throw new ScimException(400, "invalidValue", column + ": a string");
        }
        if (value != null && ((String) value).length() > 255) {
            throw new ScimException(400, "invalidValue", column + ": at most 255 characters");
        }
        jdbc.update("update account set " + column + " = ?, updated_at = ? where id = ?", value,
                Timestamp.from(clock.instant()), id);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> operations(Map<String, Object> body) {
        Object schemas = body.get("schemas");
        if (!(schemas instanceof List<?> list) || !list.contains(ScimSupport.PATCH)) {
            throw new ScimException(400, "invalidSyntax", "a PatchOp message is expected");
        }
        // RFC 7644 names it "Operations"; INDIGO IAM's clients send "operations"
        Object operations = body.containsKey("Operations") ? body.get("Operations") : body.get("operations");
        if (!(operations instanceof List<?> ops) || ops.isEmpty() || ops.stream().anyMatch(o -> !(o instanceof Map))) {
            throw new ScimException(400, "invalidSyntax", "Operations: a non-empty list of operations");
        }
        return (List<Map<String, Object>>) operations;
    }

    private static String primaryEmail(Map<String, Object> body) {
        Object emails = body.get("emails");
        if (emails == null) {
            return null;
        }
        if (!(emails instanceof List<?> list)) {
            throw new ScimException(400, "invalidValue", "emails: a list");
        }
        String first = null;
        for (Object email : list) {
            if (!(email instanceof Map<?, ?> map) || !(map.get("value") instanceof String value)
                    || !value.matches("[^@\\s<>]+@[^@\\s<>]+") || value.length() > 320) {
                throw new ScimException(400, "invalidValue", "emails: objects with a valid address in value");
            }
            if (first == null || Boolean.TRUE.equals(map.get("primary"))) {
                first = value;
            }
        }
        return first;
    }

    private static String string(Map<String, Object> body, String key) {
        Object value = body == null ? null : body.get(key);
        if (value != null && !(value instanceof String)) {
            throw new ScimException(400, "invalidValue", key + ": a string");
        }
        if (value != null && ((String) value).length() > 255) {
            throw new ScimException(400, "invalidValue", key + ": at most 255 characters");
        }
        return (String) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new ScimException(400, "invalidValue", key + ": an object");
        }
        return (Map<String, Object>) value;
    }

    /** SCIM externalId (RFC 7643 section 3.1): the provisioning client's identifier, at most 255 characters. */
    private static String externalId(Map<String, Object> body) {
        String externalId = string(body, "externalId");
        if (externalId != null && (externalId.isBlank() || externalId.length() > 255)) {
            throw new ScimException(400, "invalidValue", "externalId: 1 to 255 characters");
        }
        return externalId;
    }

    private Row find(String id) {
        return jdbc.query("select " + COLUMNS + " from account a where a.id = ?", (rs, n) -> row(rs), id).stream()
                .findFirst().orElseThrow(() -> new ScimException(404, null, "no user " + id));
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBoolean(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(), rs.getBoolean(9),
                rs.getString(10));
    }

    /** Users with their groups, identities, certificates and SSH keys, one query each for the whole page. */
    private List<Map<String, Object>> render(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        String in = String.join(",", Collections.nCopies(rows.size(), "?"));
        Object[] ids = rows.stream().map(Row::id).toArray();
        Map<String, List<Map<String, Object>>> groups = new HashMap<>();
        jdbc.query("select m.account_id, g.id, g.path from membership m join vo_group g on g.id = m.group_id where "
                + "m.account_id in (" + in + ") and (m.end_time is null or m.end_time > ?) order by g.path", rs -> {
                    Map<String, Object> group = new LinkedHashMap<>();
                    group.put("value", rs.getString(2));
                    group.put("display", rs.getString(3).substring(1));
                    group.put("$ref", properties.baseUrl() + "/scim/Groups/" + rs.getString(2));
                    groups.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(group);
                }, append(ids, Timestamp.from(clock.instant())));
        Map<String, List<Map<String, Object>>> oidcIds = new HashMap<>();
        jdbc.query("select account_id, issuer, subject from account_identity where type = 'OIDC' and account_id in ("
                + in + ") order by created_at", rs -> {
                    Map<String, Object> identity = new LinkedHashMap<>();
                    identity.put("issuer", rs.getString(2));
                    identity.put("subject", rs.getString(3));
                    oidcIds.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(identity);
                }, ids);
        Map<String, List<Map<String, Object>>> samlIds = new HashMap<>();
        jdbc.query("select account_id, issuer, subject, attribute from account_identity where type = 'SAML' and "
                + "account_id in (" + in + ") order by created_at", rs -> {
                    Map<String, Object> identity = new LinkedHashMap<>();   // IAM's shape
                    identity.put("idpId", rs.getString(2));
                    identity.put("userId", rs.getString(3));
                    identity.put("attributeId", rs.getString(4) == null ? null
                            : eu.tessera.saml.SamlAttributes.resolve(rs.getString(4)));
                    samlIds.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(identity);
                }, ids);
        Map<String, List<Map<String, Object>>> certificates = new HashMap<>();
        jdbc.query("select account_id, subject_dn, issuer_dn, label, created_at from account_certificate where "
                + "account_id in (" + in + ") order by created_at", rs -> {
                    Map<String, Object> certificate = new LinkedHashMap<>();
                    certificate.put("subjectDn", rs.getString(2));
                    certificate.put("issuerDn", rs.getString(3));
                    certificate.put("display", rs.getString(4));
                    certificate.put("created", rs.getTimestamp(5).toInstant().toString());
                    certificates.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(certificate);
                }, ids);
        Map<String, List<Map<String, Object>>> keys = new HashMap<>();
        sshKeys.of(rows.stream().map(Row::id).toList()).forEach((account, list) -> keys.put(account, list.stream()
                .map(ScimUsersController::sshKey).toList()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("schemas", List.of(ScimSupport.USER, ScimSupport.INDIGO_USER));
            user.put("id", row.id());
            user.put("userName", row.username());
            if (row.externalId() != null) {
                user.put("externalId", row.externalId());
            }
            Map<String, Object> name = new LinkedHashMap<>();
            name.put("givenName", row.givenName());
            name.put("familyName", row.familyName());
            String formatted = ((row.givenName() == null ? "" : row.givenName()) + " "
                    + (row.familyName() == null ? "" : row.familyName())).strip();
            name.put("formatted", formatted);
            user.put("name", name);
            user.put("displayName", formatted.isEmpty() ? row.username() : formatted);
            user.put("active", row.active());
            if (row.email() != null) {
                Map<String, Object> email = new LinkedHashMap<>();
                email.put("value", row.email());
                email.put("type", "work");
                email.put("primary", true);
                user.put("emails", List.of(email));
            }
            user.put("groups", groups.getOrDefault(row.id(), List.of()));
            Map<String, Object> indigo = new LinkedHashMap<>();
            indigo.put("oidcIds", oidcIds.getOrDefault(row.id(), List.of()));
            indigo.put("samlIds", samlIds.getOrDefault(row.id(), List.of()));
            indigo.put("certificates", certificates.getOrDefault(row.id(), List.of()));
            indigo.put("sshKeys", keys.getOrDefault(row.id(), List.of()));
            indigo.put("serviceAccount", row.service());
            user.put(ScimSupport.INDIGO_USER, indigo);
            user.put("meta", ScimSupport.meta("User", row.created(), row.updated(),
                    properties.baseUrl() + "/scim/Users/" + row.id()));
            out.add(user);
        }
        return out;
    }

    /** IAM's ScimSshKey. */
    private static Map<String, Object> sshKey(eu.tessera.server.account.SshKeys.Key key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("display", key.label());
        out.put("primary", key.primary());
        out.put("value", key.value());
        out.put("fingerprint", key.fingerprint());
        out.put("created", key.created().toString());
        out.put("lastModified", key.updated().toString());
        return out;
    }

    private static Object[] append(Object[] values, Object last) {
        Object[] out = java.util.Arrays.copyOf(values, values.length + 1);
        out[values.length] = last;
        return out;
    }

}
