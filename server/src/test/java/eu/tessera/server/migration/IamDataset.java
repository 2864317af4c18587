package eu.tessera.server.migration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Realistic data of an INDIGO IAM VO for the import tests: {@code n} accounts (user0000 ...) in a 4-level group tree
 * (/escape, its experiments, analysis/production, production/disk and tape), an optional group
 * ({@code wlcg.optional-group}), group labels and managers, suspended and expired accounts, certificates (several per
 * account, one subject shared by two issuers), OpenID and SAML identities, labels, attributes, AUP signatures, an
 * admin and a reader; and broken rows: a duplicate email, a certificate subject that is no DN, a group whose parent
 * is missing and a username Tessera refuses. Mutable, so tests change it between runs as a live IAM would change.
 */
public final class IamDataset {

    public record Label(String prefix, String name, String value) {
    }

    public record Certificate(String subject, String issuer, String pem, String label) {
    }

    /** IAM's ScimSshKey: label ({@code display}), the OpenSSH public key line, primary. */
    public record SshKey(String label, String value, boolean primary) {
    }

    /** A new Ed25519 public key line as ssh-keygen writes it (RFC 8709: string "ssh-ed25519", string key). */
    public static String ed25519(String comment) {
        try {
            byte[] spki = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()
                    .getEncoded();
            byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
            java.nio.ByteBuffer blob = java.nio.ByteBuffer.allocate(4 + type.length + 4 + raw.length);
            blob.putInt(type.length).put(type).putInt(raw.length).put(raw);
            return "ssh-ed25519 " + java.util.Base64.getEncoder().encodeToString(blob.array()) + " " + comment;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Group {
        final String id;
        final String name;        // IAM's full name, without the leading slash
        final String parentId;
        final List<Label> labels = new ArrayList<>();
        final Set<String> managers = new HashSet<>();

        Group(String id, String name, String parentId) {
            this.id = id;
            this.name = name;
            this.parentId = parentId;
        }

        public String path() {
            return "/" + name;
        }
    }

    public static final class User {
        final String id;
        String username;
        String givenName;
        String familyName;
        String email;
        boolean active = true;
        Instant created;
        Instant endTime;
        Instant aupSignatureTime;
        final List<String> groups = new ArrayList<>();
        final List<Certificate> certificates = new ArrayList<>();
        final List<SshKey> sshKeys = new ArrayList<>();
        final List<String[]> oidcIds = new ArrayList<>();
        final List<String[]> samlIds = new ArrayList<>();
        final List<Label> labels = new ArrayList<>();
        final Map<String, String> attributes = new LinkedHashMap<>();
        final Set<String> authorities = new HashSet<>();

        User(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public String username() {
            return username;
        }
    }

    public static final String CA1 = "CN=Example Grid CA,O=Example,DC=org";
    public static final String CA2 = "CN=Other Grid CA,O=Other,DC=net";
    public static final String OIDC_ISSUER = "https://login.example.org";
    public static final String SAML_IDP = "https://idp.example.org/idp/shibboleth";

    final List<Group> groups = new ArrayList<>();
    /** Scope policies and clients in IAM's JSON (ScopePolicyDTO, RegisteredClientDTO), owners by client id. */
    final List<Map<String, Object>> scopePolicies = new ArrayList<>();
    final List<Map<String, Object>> clients = new ArrayList<>();
    final List<Map<String, Object>> exchangePolicies = new ArrayList<>();
    final Map<String, String> clientOwners = new LinkedHashMap<>();
    final List<User> users = new ArrayList<>();
    String aupText = "Use the VO's resources fairly and for its research only.";
    int aupValidityDays = 365;

    static String id(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public Group group(String id) {
        return groups.stream().filter(g -> g.id.equals(id)).findFirst().orElse(null);
    }

    public Group groupByPath(String path) {
        return groups.stream().filter(g -> g.path().equals(path)).findFirst().orElse(null);
    }

    public User user(String username) {
        return users.stream().filter(u -> u.username.equals(username)).findFirst().orElseThrow();
    }

    private Group add(String name, Group parent) {
        Group group = new Group(id("group:" + name), name, parent == null ? null : parent.id);
        groups.add(group);
        return group;
    }

    /** The paths of the user's groups at the source. */
    public Set<String> paths(User user) {
        Set<String> paths = new HashSet<>();
        user.groups.forEach(id -> paths.add(group(id).path()));
        return paths;
    }

    /** Whether the group is optional (labelled {@code wlcg.optional-group}). */
    public boolean optional(String groupId) {
        return group(groupId).labels.stream().anyMatch(l -> l.prefix() == null && l.name().equals("wlcg.optional-group"));
    }

    public static IamDataset generate(int n, String tag) {
        IamDataset d = new IamDataset();
        Group root = d.add(tag, null);
        root.labels.add(new Label("cern.ch", "experiment-class", "escape"));
        List<Group[]> experiments = new ArrayList<>();
        for (String experiment : List.of("atlas", "cms", "lofar")) {
            Group e = d.add(tag + "/" + experiment, root);
            Group analysis = d.add(e.name + "/analysis", e);
            Group production = d.add(e.name + "/production", e);
            Group disk = d.add(production.name + "/disk", production);
            d.add(production.name + "/tape", production);
            experiments.add(new Group[] {e, analysis, production, disk});
        }
        Group pilot = d.add(tag + "/cms/pilot", d.groupByPath("/" + tag + "/cms"));
        pilot.labels.add(new Label(null, "wlcg.optional-group", null));
        // broken: the parent is not in the list IAM returns (a group whose parent row is missing)
        d.groups.add(new Group(id("group:orphan"), tag + "/ghost/orphan", id("group:ghost")));

        Instant base = Instant.parse("2021-03-01T09:00:00Z");
        for (int i = 0; i < n; i++) {
            User u = new User(id("user:" + tag + ":" + i));
            u.username = String.format("%s%04d", tag, i);
            u.givenName = "Given" + i;
            u.familyName = "Family" + i;
            u.email = u.username + "@example.org";
            u.created = base.plus(Duration.ofHours(i));
            Group[] e = experiments.get(i % 3);
            u.groups.add(root.id);
            u.groups.add(e[0].id);
            if (i % 5 == 0) {
                u.groups.add(e[1].id);
            }
            if (i % 7 == 0) {
                u.groups.add(e[2].id);
                if (i % 14 == 0) {
                    u.groups.add(e[3].id);
                }
            }
            if (i % 3 == 1 && i % 13 == 0) {
                u.groups.add(pilot.id);
            }
            if (i % 50 == 49) {
                u.active = false;   // suspended at the source
            }
            if (i % 60 == 1) {
                u.endTime = Instant.parse("2025-06-30T00:00:00Z");   // expired
            } else if (i % 9 == 0) {
                u.endTime = Instant.parse("2028-12-31T00:00:00Z");
            }
            if (i % 2 == 0) {
                u.aupSignatureTime = Instant.parse("2026-01-05T10:00:00Z").plus(Duration.ofMinutes(i));
            }
            if (i % 4 == 0) {
                u.certificates.add(new Certificate("CN=User " + i + ",OU=Users,O=Example,DC=org", CA1, null,
                        "grid"));
                if (i % 8 == 0) {   // the same subject from a second CA
                    u.certificates.add(new Certificate("/DC=org/O=Example/OU=Users/CN=User " + i, "/DC=net/O=Other"
                            + "/CN=Other Grid CA", null, "second CA"));
                }
            }
            if (i % 5 == 3) {   // an SSH key, every fifth a second one
                u.sshKeys.add(new SshKey("laptop", ed25519(u.username + "@laptop"), true));
                if (i % 25 == 3) {
                    u.sshKeys.add(new SshKey("a label longer than IAM's thirty-six characters", ed25519("cluster"),
                            false));
                }
            }
            if (i % 6 == 0) {
                u.oidcIds.add(new String[] {OIDC_ISSUER, "sub-" + i});
            }
            if (i % 10 == 0) {
                u.samlIds.add(new String[] {SAML_IDP, "u" + i + "@example.org", "urn:oid:1.3.6.1.4.1.5923.1.1.1.13"});
            }
            u.labels.add(new Label("voms.escape.eu", "id", String.valueOf(1000 + i)));
            if (i % 3 == 0) {
                u.attributes.put("nationality", i % 2 == 0 ? "IT" : "FR");
            }
            d.users.add(u);
        }
        d.user(String.format("%s%04d", tag, 0)).authorities.add("ROLE_ADMIN");
        d.user(String.format("%s%04d", tag, 1)).authorities.add("ROLE_READER");
        for (Group[] e : experiments) {   // the first member of each experiment manages it
            d.users.stream().filter(u -> u.groups.contains(e[0].id)).findFirst().ifPresent(u -> e[0].managers.add(u.id));
        }
        // IAM seeds "Default Permit ALL"; a group DENY with a PATH matcher; an account PERMIT
        d.scopePolicies.add(new LinkedHashMap<>(Map.of("id", 1, "description", "Default Permit ALL", "rule", "PERMIT",
                "matchingPolicy", "EQ", "scopes", List.of())));
        d.scopePolicies.add(new LinkedHashMap<>(Map.of("id", 2, "description", tag + " lofar no modify", "rule", "DENY",
                "matchingPolicy", "PATH", "scopes", List.of("storage.modify:/"), "group", Map.of("uuid",
                d.groupByPath("/" + tag + "/lofar").id, "name", tag + "/lofar"))));
        d.scopePolicies.add(new LinkedHashMap<>(Map.of("id", 3, "description", tag + " admin modifies", "rule",
                "PERMIT", "matchingPolicy", "EQ", "scopes", List.of("storage.modify:/"), "account", Map.of("uuid",
                d.users.get(0).id, "username", d.users.get(0).username))));
        d.clients.add(new LinkedHashMap<>(Map.of("client_id", tag + "-rucio", "client_secret", "rucio-secret-" + tag,
                "client_name", "Rucio sync", "grant_types", List.of("client_credentials"), "scope",
                "openid profile storage.read:/", "token_endpoint_auth_method", "client_secret_basic",
                "access_token_validity_seconds", 900, "contacts", List.of("ops@example.org"), "active", true)));
        d.clients.add(new LinkedHashMap<>(Map.of("client_id", tag + "-jupyter", "client_name", "JupyterHub",
                "grant_types", List.of("authorization_code", "refresh_token"), "redirect_uris",
                List.of("https://jupyter.example.org/hub/oauth_callback"), "scope", "openid profile wlcg.groups",
                "token_endpoint_auth_method", "client_secret_basic", "active", true)));
        d.clients.add(new LinkedHashMap<>(Map.of("client_id", tag + "-agent", "client_name", "oidc-agent",
                "grant_types", List.of("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"), "scope",
                "openid offline_access wlcg.groups", "token_endpoint_auth_method", "none", "active", true)));
        d.clients.add(new LinkedHashMap<>(Map.of("client_id", tag + "-legacy", "client_name", "legacy script",
                "grant_types", List.of("password"), "scope", "openid", "token_endpoint_auth_method",
                "client_secret_basic", "active", true)));
        d.clientOwners.put(tag + "-jupyter", d.users.get(0).id);
        // IAM's ExchangePolicyDTO: its seeded "Allow all exchanges", a BY_ID one, one limiting scopes
        d.exchangePolicies.add(Map.of("id", 1, "description", "Allow all exchanges", "rule", "PERMIT", "originClient",
                Map.of("type", "ANY"), "destinationClient", Map.of("type", "ANY"), "scopePolicies", List.of()));
        d.exchangePolicies.add(Map.of("id", 2, "description", tag + " rucio to fts", "rule", "PERMIT",
                "originClient", Map.of("type", "BY_ID", "matchParam", tag + "-rucio"), "destinationClient",
                Map.of("type", "BY_ID", "matchParam", tag + "-fts"), "scopePolicies", List.of()));
        d.exchangePolicies.add(Map.of("id", 3, "description", tag + " scoped", "rule", "PERMIT", "originClient",
                Map.of("type", "ANY"), "destinationClient", Map.of("type", "BY_SCOPE", "matchParam", "storage.read:/"),
                "scopePolicies", List.of(Map.of("rule", "PERMIT", "type", "EQ", "matchParam", "storage.read:/"))));
        // broken rows
        d.users.get(99).email = d.users.get(98).email;                         // a duplicate email
        d.users.get(100).certificates.add(new Certificate("not a DN at all", CA1, null, "bad"));
        d.users.get(101).username = "bad user!";                               // Tessera refuses the username
        d.users.get(102).sshKeys.add(new SshKey("old", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDtrunc", false));
        d.users.get(104).sshKeys.add(d.users.get(103).sshKeys.get(0));       // one key on two accounts
        return d;
    }
}
