package eu.tessera.server.migration;

import eu.tessera.server.voms.PemFiles;
import eu.tessera.voms.pki.CaDirectory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a VOMS-Admin VO through its read-only REST API (VOMS-Admin 3.x {@code apiv2}, documented in
 * italiangrid/voms "VOMS Admin REST API documentation" 3.8.1 and {@code VOMSUserJSON}):
 * {@code GET <base>/apiv2/users?startIndex=<0-based>&pageSize=<n>} answering {@code {count, startIndex, pageSize,
 * result: [user]}}, each user with id, name, surname, emailAddress, creationTime, endTime, suspended, certificates
 * (subjectString, issuerString in the OpenSSL slash form, suspended), fqans, attributes, aupAcceptanceRecords
 * (lastAcceptanceDate); dates without an offset (the server's time, taken as UTC). Authenticated with an X.509 proxy
 * (or certificate and key in one PEM file, as X509_USER_PROXY) and the {@code X-VOMS-CSRF-GUARD} header; the server
 * is trusted through an IGTF CA directory.
 *
 * <p>As INDIGO IAM's voms-importer does: every account carries the label {@code voms.<vo>.id} with its VOMS id, so a
 * re-run finds it (Tessera also derives the account id from it), its username is {@code user.<id>}, groups keep their
 * paths, and a role becomes an optional group ({@code /vo/g/Role=r} -> {@code /vo/g/r}). Suspended certificates are
 * not moved.
 */
public class VomsAdminSource {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAGE = 100;

    private final String base;
    private final String vo;
    private final HttpClient http;
    private final String usernameAttribute;
    private final List<String> usernameProblems = new ArrayList<>();

    public VomsAdminSource(String baseUrl, String vo, Path credential, Path caDirectory) {
        this(baseUrl, vo, credential, caDirectory, null);
    }

    /**
     * @param usernameAttribute the VOMS generic attribute whose value becomes the username (e.g. {@code nickname}, as
     *                          voms-importer's {@code --username-attr}); {@code user.<VOMS id>} when it is null, the
     *                          user has no such attribute, or its value is no username Tessera accepts (reported)
     */
    public VomsAdminSource(String baseUrl, String vo, Path credential, Path caDirectory, String usernameAttribute) {
        this.base = baseUrl.replaceAll("/+$", "");
        this.vo = vo;
        this.usernameAttribute = usernameAttribute == null || usernameAttribute.isBlank() ? null
                : usernameAttribute.strip();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NEVER).sslContext(tls(credential, caDirectory)).build();
    }

    /** The client's TLS: its proxy (or certificate) chain and key, and the CAs of the IGTF directory. */
    private static SSLContext tls(Path credential, Path caDirectory) {
        try {
            List<X509Certificate> chain = PemFiles.certificates(credential);
            PrivateKey key = PemFiles.privateKey(credential);
            if (chain.isEmpty()) {
                throw new ImportException(credential + " holds no certificate");
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate ca : CaDirectory.load(caDirectory).all()) {
                anchors.setCertificateEntry("ca" + n++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (IOException e) {
            throw new ImportException("cannot read the credential or the CA directory: " + e.getMessage());
        } catch (java.security.GeneralSecurityException e) {
            throw new ImportException("cannot use the credential " + credential + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> page(int start) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/apiv2/users?startIndex=" + start
                + "&pageSize=" + PAGE)).timeout(Duration.ofSeconds(60)).header("X-VOMS-CSRF-GUARD", "y")
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ImportException("cannot reach " + base + " (" + e.getMessage() + "): is the URL "
                    + "https://<host>:8443/voms/<vo>, and does the VO accept this proxy's certificate?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImportException("interrupted");
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new ImportException(base + " answered " + response.statusCode() + ": the proxy's certificate "
                    + "needs read access to the VO's users (a VO admin's)");
        }
        if (response.statusCode() != 200) {
            throw new ImportException(base + "/apiv2/users answered " + response.statusCode());
        }
        try {
            return JSON.readValue(response.body(), Map.class);
        } catch (RuntimeException e) {
            throw new ImportException(base + "/apiv2/users did not answer JSON");
        }
    }

    @SuppressWarnings("unchecked")
    public SourceData.Snapshot read() {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int start = 0; ; start += PAGE) {
            Map<String, Object> page = page(start);
            List<Map<String, Object>> result = (List<Map<String, Object>>) page.getOrDefault("result", List.of());
            users.addAll(result);
            int count = ((Number) page.getOrDefault("count", 0)).intValue();
            if (result.isEmpty() || start + result.size() >= count) {
                break;
            }
        }
        List<String> problems = new ArrayList<>();
        Map<String, Boolean> groups = new LinkedHashMap<>();   // path -> optional
        groups.put("/" + vo, false);
        List<SourceData.Account> accounts = new ArrayList<>();
        for (Map<String, Object> user : users) {
            try {
                accounts.add(account(user, groups));
            } catch (RuntimeException e) {
                problems.add("user " + user.get("id") + ": " + e.getMessage());
            }
        }
        problems.addAll(usernameProblems);
        List<SourceData.Group> list = new ArrayList<>();
        groups.forEach((path, optional) -> list.add(new SourceData.Group(path, path, optional,
                optional ? List.of(new SourceData.Label(null, "voms.role", null)) : List.of())));
        list.sort(Comparator.comparing(SourceData.Group::path));
        return new SourceData.Snapshot(accounts, list, Map.of(), Set.of(), Set.of(), null, List.of(), List.of(),
                List.of(), problems);
    }

    /** The Tessera id of a VOMS user: stable across runs, from the VO and the VOMS id. */
    public static String accountId(String vo, Object vomsId) {
        return UUID.nameUUIDFromBytes(("voms-admin:" + vo + ":" + vomsId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    @SuppressWarnings("unchecked")
    private SourceData.Account account(Map<String, Object> user, Map<String, Boolean> groups) {
        Object id = user.get("id");
        if (!(id instanceof Number)) {
            throw new IllegalArgumentException("no numeric id");
        }
        long vomsId = ((Number) id).longValue();
        List<SourceData.Certificate> certificates = new ArrayList<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) user.getOrDefault("certificates", List.of())) {
            if (Boolean.TRUE.equals(c.get("suspended"))) {
                continue;   // a certificate suspended in VOMS-Admin does not move
            }
            certificates.add(new SourceData.Certificate((String) c.get("subjectString"), (String) c.get("issuerString"),
                    null, null));
        }
        Set<String> paths = new LinkedHashSet<>();
        for (Object fqan : (List<Object>) user.getOrDefault("fqans", List.of())) {
            String text = String.valueOf(fqan);
            if (!text.startsWith("/" + vo) || text.contains("Role=NULL")) {
                continue;
            }
            boolean role = text.contains("/Role=");
            String path = text.replace("/Role=", "/").replaceAll("/Capability=.*$", "");
            addWithParents(groups, path, role);
            paths.add(path);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map<String, Object> a : (List<Map<String, Object>>) user.getOrDefault("attributes", List.of())) {
            attributes.put((String) a.get("name"), (String) a.get("value"));
        }
        Instant signed = null;
        for (Map<String, Object> r : (List<Map<String, Object>>) user.getOrDefault("aupAcceptanceRecords",
                List.of())) {
            Instant at = date(r.get("lastAcceptanceDate"));
            if (at != null && (signed == null || at.isAfter(signed))) {
                signed = at;
            }
        }
        return new SourceData.Account(accountId(vo, vomsId), username(vomsId, attributes), (String) user.get("name"),
                (String) user.get("surname"), (String) user.get("emailAddress"),
                !Boolean.TRUE.equals(user.get("suspended")), date(user.get("creationTime")), date(user.get("endTime")),
                signed, certificates, List.of(), List.of(new SourceData.Label(null, "voms." + vo + ".id",
                String.valueOf(vomsId))), attributes, paths.stream().map(p -> new SourceData.Membership(p, null))
                .toList(), List.of());
    }

    private String username(long vomsId, Map<String, String> attributes) {
        String fallback = "user." + vomsId;
        if (usernameAttribute == null) {
            return fallback;
        }
        String value = attributes.get(usernameAttribute);
        if (value == null || value.isBlank()) {
            usernameProblems.add("user " + vomsId + ": no attribute " + usernameAttribute + "; imported as " + fallback);
            return fallback;
        }
        if (!eu.tessera.server.account.AccountProfiles.validUsername(value.strip())) {
            usernameProblems.add("user " + vomsId + ": attribute " + usernameAttribute + " is not a username Tessera "
                    + "accepts (2 to 128 of letters, digits and . _ @ -); imported as " + fallback);
            return fallback;
        }
        return value.strip();
    }

    private static void addWithParents(Map<String, Boolean> groups, String path, boolean optional) {
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            addWithParents(groups, path.substring(0, slash), false);
        }
        groups.merge(path, optional, (a, b) -> a || b);
    }

    /** VOMS-Admin's dates: ISO-8601 without an offset (the server's clock, taken as UTC), or with one. */
    static Instant date(Object value) {
        if (value instanceof String text && !text.isBlank() && !text.matches(".*([+-]\\d{2}:?\\d{2}|Z)$")) {
            return LocalDateTime.parse(text.strip()).toInstant(ZoneOffset.UTC);
        }
        return eu.tessera.server.api.IamDates.parse(value, "date");
    }
}
