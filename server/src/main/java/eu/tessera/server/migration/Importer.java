package eu.tessera.server.migration;

import eu.tessera.server.account.AccountAttribute;
import eu.tessera.server.account.AccountAttributeRepository;
import eu.tessera.server.account.AccountLabels;
import eu.tessera.server.account.AccountLifecycle;
import eu.tessera.server.account.AccountProfiles;
import eu.tessera.server.account.AccountRoles;
import eu.tessera.server.account.CertificateLinks;
import eu.tessera.server.account.LinkException;
import eu.tessera.server.account.SshKeys;
import eu.tessera.server.account.ExternalIdentities;
import eu.tessera.server.aup.AupService;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.voms.pki.DistinguishedNames;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies what was read from the old service through Tessera's own services (every change checked and audited as
 * an admin's would be, actor {@value #ACTOR}), idempotently: what is already as at the source is left alone, so a
 * second run with nothing changed writes nothing, and a VO can run both services side by side and import again
 * until the switch. Each account is one transaction, so a run killed halfway and started again completes without
 * duplicates. A dry run does everything in one transaction and rolls it back.
 *
 * <p>Memberships and group managers follow the source exactly (added, end time changed, removed). Certificates,
 * external identities, labels, attributes and roles are only added or updated: what a member linked in Tessera during
 * the parallel run is never taken away by an import.
 */
@Service
public class Importer {

    public static final String ACTOR = "tessera-import";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AccountProfiles profiles;
    private final AccountLifecycle lifecycle;
    private final AccountRoles roles;
    private final GroupAdmin groups;
    private final CertificateLinks certificates;
    private final ExternalIdentities identities;
    private final AccountLabels labels;
    private final AccountAttributeRepository attributes;
    private final AupService aup;
    private final TesseraProperties properties;
    private final Clock clock;
    private final eu.tessera.server.audit.AuditLog audit;
    private final eu.tessera.server.api.ScopePolicyJson scopePolicyJson;
    private final eu.tessera.server.oauth2.scope.ScopePolicyService scopePolicies;
    private final eu.tessera.server.oauth2.client.ClientService clients;
    private final eu.tessera.server.oauth2.exchange.ExchangePolicyService exchangePolicies;
    private final SshKeys sshKeys;

    public Importer(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AccountProfiles profiles,
            AccountLifecycle lifecycle, AccountRoles roles, GroupAdmin groups, CertificateLinks certificates,
            ExternalIdentities identities, AccountLabels labels, AccountAttributeRepository attributes, AupService aup,
            TesseraProperties properties, Clock clock, eu.tessera.server.audit.AuditLog audit,
            eu.tessera.server.api.ScopePolicyJson scopePolicyJson,
            eu.tessera.server.oauth2.scope.ScopePolicyService scopePolicies,
            eu.tessera.server.oauth2.client.ClientService clients,
            eu.tessera.server.oauth2.exchange.ExchangePolicyService exchangePolicies, SshKeys sshKeys) {
        this.exchangePolicies = exchangePolicies;
        this.sshKeys = sshKeys;
        this.audit = audit;
        this.scopePolicyJson = scopePolicyJson;
        this.scopePolicies = scopePolicies;
        this.clients = clients;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.profiles = profiles;
        this.lifecycle = lifecycle;
        this.roles = roles;
        this.groups = groups;
        this.certificates = certificates;
        this.identities = identities;
        this.labels = labels;
        this.attributes = attributes;
        this.aup = aup;
        this.properties = properties;
        this.clock = clock;
    }

    /** Imports {@code data}; a dry run writes nothing and reports what it would have done. */
    public ImportReport run(String source, SourceData.Snapshot data, boolean dryRun) {
        ImportReport report = new ImportReport(source, dryRun, clock.instant());
        data.problems().forEach(p -> report.refused("source", p.contains(":") ? p.substring(0, p.indexOf(':')) : p,
                p.contains(":") ? p.substring(p.indexOf(':') + 1).strip() : "unreadable"));
        if (dryRun) {
            transactions.executeWithoutResult(status -> {
                apply(data, report);
                status.setRollbackOnly();
            });
        } else {
            apply(data, report);
        }
        report.finish(clock.instant());
        return report;
    }

    private void apply(SourceData.Snapshot data, ImportReport report) {
        importAup(data.aup(), report);
        Set<String> groupPaths = importGroups(data.groups(), report);
        Set<String> imported = new HashSet<>();
        for (SourceData.Account account : data.accounts()) {
            try {
                transactions.executeWithoutResult(status -> importAccount(account, groupPaths, report));
                imported.add(account.id());
            } catch (RuntimeException e) {
                report.refused("accounts", account.username(), message(e));
            }
        }
        importManagers(data.managers(), groupPaths, imported, report);
        importRoles(data.admins(), AccountRoles.ADMIN, imported, report);
        importRoles(data.readers(), AccountRoles.READER, imported, report);
        importScopePolicies(data.scopePolicies(), report);
        importExchangePolicies(data.exchangePolicies(), report);
        importClients(data.clients(), imported, report);
    }

    /**
     * Token-exchange policies: one with the same rule and client matches is already here. IAM's per-policy
     * {@code scopePolicies} have no counterpart here, so such a policy is refused rather than imported wider than
     * it was.
     */
    private void importExchangePolicies(List<Map<String, Object>> source, ImportReport report) {
        for (Map<String, Object> body : source) {
            String key = body.getOrDefault("description", body.get("id")) + "";
            if (body.get("scopePolicies") instanceof List<?> scoped && !scoped.isEmpty()) {
                report.refused("exchanges", key, "it limits scopes (scopePolicies), which Tessera's exchange policies "
                        + "do not; recreate it with scope policies for the destination client");
                continue;
            }
            try {
                eu.tessera.policy.exchange.ExchangePolicy policy =
                        eu.tessera.server.api.ExchangePolicyController.parse(body);
                boolean present = exchangePolicies.findAll().stream().map(r -> r.toPolicy()).anyMatch(p ->
                        p.rule() == policy.rule() && p.origin().equals(policy.origin())
                        && p.destination().equals(policy.destination()));
                if (present) {
                    report.unchanged("exchanges", key);
                } else {
                    transactions.executeWithoutResult(status -> exchangePolicies.create(policy,
                            body.get("description") instanceof String d ? d : null));
                    report.created("exchanges", key);
                }
            } catch (RuntimeException e) {
                report.refused("exchanges", key, message(e));
            }
        }
    }

    /** A policy is already there when one with the same rule, matching, account or group and scopes is. */
    private void importScopePolicies(List<Map<String, Object>> source, ImportReport report) {
        for (Map<String, Object> body : source) {
            String key = body.getOrDefault("description", body.get("id")) + "";
            try {
                eu.tessera.policy.scope.ScopePolicy policy = scopePolicyJson.parse(body);
                boolean present = scopePolicies.findAll().stream().map(r -> r.toPolicy()).anyMatch(p -> p.rule()
                        == policy.rule() && p.matching() == policy.matching()
                        && Objects.equals(p.accountId(), policy.accountId()) && Objects.equals(p.groupId(),
                        policy.groupId()) && new HashSet<>(p.scopes()).equals(new HashSet<>(policy.scopes())));
                if (present) {
                    report.unchanged("policies", key);
                } else {
                    transactions.executeWithoutResult(status -> scopePolicies.save(null, policy,
                            body.get("description") instanceof String d ? d : null));
                    report.created("policies", key);
                }
            } catch (RuntimeException e) {
                report.refused("policies", key, message(e));
            }
        }
    }

    /**
     * Clients with their ids; a secret the source could not give is generated and put in the report (the only
     * place it appears: the report file is readable by its owner only). A client already here is left as it is.
     */
    private void importClients(List<SourceData.Client> source, Set<String> imported, ImportReport report) {
        for (SourceData.Client client : source) {
            String key = client.clientId();
            if (key == null || key.isBlank()) {
                report.refused("clients", "?", "no client_id");
                continue;
            }
            if (clients.findByClientId(key).isPresent()) {
                report.unchanged("clients", key);
                continue;
            }
            try {
                Map<String, Object> body = new java.util.LinkedHashMap<>(client.registration());
                for (String field : List.of("client_id", "client_secret", "registration_access_token",
                        "client_description", "contacts", "created_at", "active", "dynamically_registered",
                        "client_id_issued_at", "client_secret_expires_at")) {
                    body.remove(field);
                }
                eu.tessera.server.oauth2.client.ClientMetadata metadata =
                        eu.tessera.server.oauth2.client.ClientMetadata.parse(body, true);
                eu.tessera.server.oauth2.client.ClientSpec spec = metadata.toSpec(key, false);
                boolean generated = !spec.publicClient() && (client.secret() == null || client.secret().isBlank());
                String secret = spec.publicClient() ? null : generated
                        ? eu.tessera.server.oauth2.client.ClientSecrets.generate() : client.secret();
                eu.tessera.server.oauth2.client.ClientSpec withSecret = new eu.tessera.server.oauth2.client.ClientSpec(
                        spec.clientId(), secret, spec.clientName(), spec.publicClient(), spec.authMethods(),
                        spec.grantTypes(), spec.redirectUris(), spec.postLogoutRedirectUris(), spec.scopes(),
                        spec.profile(), spec.requireConsent(), false, spec.lifetimes());
                transactions.executeWithoutResult(status -> {
                    var created = clients.create(withSecret);
                    Object description = client.registration().get("client_description");
                    Set<String> contacts = new java.util.LinkedHashSet<>();
                    if (client.registration().get("contacts") instanceof List<?> list) {
                        list.forEach(c -> contacts.add(String.valueOf(c)));
                    }
                    var described = clients.describe(created.client(), description instanceof String d ? d : null,
                            contacts);
                    if (client.ownerId() != null && imported.contains(client.ownerId())) {
                        clients.setOwner(described, client.ownerId());
                    }
                    if (Boolean.FALSE.equals(client.registration().get("active"))) {
                        clients.setActive(described, false, ACTOR);
                    }
                    audit.record("client.created", ACTOR, key, Map.of("via", "import"));
                });
                report.created("clients", key);
                if (generated) {
                    report.secret(key, secret);
                }
            } catch (RuntimeException e) {
                report.refused("clients", key, message(e));
            }
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void importAup(SourceData.Aup source, ImportReport report) {
        if (source == null) {
            return;
        }
        if (aup.current().isPresent()) {
            report.unchanged("aup", "in force");   // Tessera's own AUP wins; publishing a version is an admin's act
            return;
        }
        transactions.executeWithoutResult(status -> aup.publish(source.text(), source.url(),
                source.signatureValidityDays(), source.reminderDays(), ACTOR));
        report.created("aup", "version 1");
    }

    /** Creates the missing groups parents first, sets optional flags and labels; returns the paths that exist. */
    private Set<String> importGroups(List<SourceData.Group> source, ImportReport report) {
        Set<String> ok = new HashSet<>();
        for (SourceData.Group group : source.stream().sorted((a, b) -> a.path().compareTo(b.path())).toList()) {
            String path = group.path();
            String parent = path.lastIndexOf('/') == 0 ? null : path.substring(0, path.lastIndexOf('/'));
            if (parent != null && !ok.contains(parent)) {
                report.refused("groups", path, "its parent " + parent + " was not imported");
                continue;
            }
            try {
                transactions.executeWithoutResult(status -> {
                    var existing = groups.find(path).filter(g -> g.path().equals(path));
                    boolean changed = false;
                    if (existing.isEmpty()) {
                        groups.create(path.substring(path.lastIndexOf('/') + 1), parent, group.optional());
                        report.created("groups", path);
                    } else if (existing.get().optional() != group.optional()) {
                        groups.update(existing.get().id(), null, null, group.optional());
                        changed = true;
                    }
                    String id = groups.require(path).id();
                    Map<String, String> current = groups.properties(id, "LABEL");
                    for (SourceData.Label label : group.labels()) {
                        if (label.prefix() == null && label.name().equals("wlcg.optional-group")) {
                            continue;   // that is the optional flag
                        }
                        AccountLabels.checked(label.prefix(), label.name(), label.value());
                        String name = label.prefix() == null ? label.name() : label.prefix() + "/" + label.name();
                        String value = label.value() == null ? "" : label.value();
                        if (!value.equals(current.get(name))) {
                            groups.setProperty(id, "LABEL", name, value);
                            changed = true;
                        }
                    }
                    if (existing.isPresent()) {
                        if (changed) {
                            report.updated("groups", path);
                        } else {
                            report.unchanged("groups", path);
                        }
                    }
                });
                ok.add(path);
            } catch (RuntimeException e) {
                report.refused("groups", path, message(e));
            }
        }
        return ok;
    }

    private void importAccount(SourceData.Account source, Set<String> groupPaths, ImportReport report) {
        String id = source.id();
        String who = source.username();
        List<Map<String, Object>> rows = jdbc.queryForList("select username, email, active, end_time from account "
                + "where id = ?", id);
        boolean created = rows.isEmpty();
        if (created) {
            List<String> holder = jdbc.queryForList("select id from account where username = ?", String.class,
                    source.username() == null ? "" : source.username().strip());
            if (!holder.isEmpty()) {
                throw new IllegalArgumentException("the username is taken by another account (" + holder.get(0)
                        + ")");
            }
            boolean passwordHolder = source.identities().isEmpty() && source.certificates().isEmpty();
            profiles.importAccount(id, source.username(), source.givenName(), source.familyName(), source.email(),
                    source.created(), passwordHolder && properties.mail().enabled(), ACTOR);
            report.created("accounts", who);
        } else {
            int changes = profiles.update(id, source.username(), nullToBlank(source.givenName()),
                    nullToBlank(source.familyName()), nullToBlank(source.email()), ACTOR);
            Map<String, Object> row = rows.get(0);
            Instant end = row.get("end_time") == null ? null : ((Timestamp) row.get("end_time")).toInstant();
            if (changes > 0 || !Objects.equals(end, source.endTime()) || (Boolean) row.get("active") != source.active()) {
                report.updated("accounts", who);
            } else {
                report.unchanged("accounts", who);
            }
        }
        lifecycle.setImportedState(id, source.active(), ACTOR);
        Timestamp currentEnd = jdbc.queryForObject("select end_time from account where id = ?", Timestamp.class, id);
        if (!Objects.equals(currentEnd == null ? null : currentEnd.toInstant(), source.endTime())) {
            lifecycle.setEndTime(id, source.endTime(), ACTOR);
        }
        importCertificates(source, report);
        importIdentities(source, report);
        importSshKeys(source, report);
        importLabels(source, report);
        importAttributes(source, report);
        importMemberships(source, groupPaths, report);
        importSignature(source, report);
    }

    private static String nullToBlank(String value) {
        return value == null ? "" : value;
    }

    private void importCertificates(SourceData.Account source, ImportReport report) {
        for (SourceData.Certificate certificate : source.certificates()) {
            String key = source.username() + " " + certificate.subject();
            String subject;
            String issuer;
            try {
                if (certificate.subject() == null && certificate.pem() != null) {
                    String[] names = certificates.names(certificate.pem());
                    subject = names[0];
                    issuer = names[1];
                } else {
                    subject = DistinguishedNames.canonical(certificate.subject());
                    issuer = DistinguishedNames.canonical(certificate.issuer());
                }
            } catch (RuntimeException e) {
                report.refused("certificates", key, "not a DN: " + message(e));
                continue;
            }
            List<String> holders = jdbc.queryForList("select account_id from account_certificate where subject_dn = ? "
                    + "and issuer_dn = ?", String.class, subject, issuer);
            if (holders.contains(source.id())) {
                report.unchanged("certificates", key);
            } else if (!holders.isEmpty()) {
                report.refused("certificates", key, "linked to another account (" + holders.get(0) + ")");
            } else {
                certificates.link(source.id(), subject, issuer, certificate.label(), certificate.pem(), ACTOR);
                report.created("certificates", key);
            }
        }
    }

    private void importIdentities(SourceData.Account source, ImportReport report) {
        for (SourceData.Identity identity : source.identities()) {
            String key = source.username() + " " + identity.type() + " " + identity.issuer();
            if (identity.issuer() == null || identity.subject() == null || identity.issuer().length() > 1024
                    || identity.subject().length() > 1024) {
                report.refused("identities", key, "an identity needs an issuer and a subject (at most 1024 characters)");
                continue;
            }
            var existing = identities.find(identity.type(), identity.issuer(), identity.subject());
            if (existing.isPresent()) {
                if (existing.get().accountId().equals(source.id())) {
                    report.unchanged("identities", key);
                } else {
                    report.refused("identities", key, "linked to another account (" + existing.get().accountId() + ")");
                }
                continue;
            }
            identities.link(source.id(), identity.type(), provider(identity), identity.issuer(), identity.subject(),
                    identity.attribute(), null, ACTOR);
            report.created("identities", key);
        }
    }

    /** SSH keys: added when missing (by fingerprint); one that does not parse or is another account's is refused. */
    private void importSshKeys(SourceData.Account source, ImportReport report) {
        List<SshKeys.Key> current = sshKeys.of(source.id());
        for (SourceData.SshKey key : source.sshKeys()) {
            String name = source.username() + " " + (key.label() == null ? "key" : key.label());
            try {
                SshKeys.Parsed parsed = SshKeys.parse(key.value());
                if (current.stream().anyMatch(k -> k.fingerprint().equals(parsed.fingerprint()))) {
                    report.unchanged("sshKeys", name);
                    continue;
                }
                var owner = sshKeys.owner(parsed.fingerprint());
                if (owner.isPresent()) {
                    report.refused("sshKeys", name, "belongs to another account (" + owner.get() + ")");
                    continue;
                }
                String label = SshKeys.validLabel(key.label()) ? key.label() : null;
                sshKeys.add(source.id(), label, key.value(), key.primary(), ACTOR);
                report.created("sshKeys", name);
            } catch (LinkException e) {
                report.refused("sshKeys", name, e.getMessage());
            }
        }
    }

    /** The configured OpenID provider with that issuer, or a name from the issuer (SAML: the IdP's entity id). */
    private String provider(SourceData.Identity identity) {
        if (identity.type().equals("OIDC")) {
            for (var provider : properties.oidc().providers()) {
                if (provider.issuer() != null && provider.issuer().toString().replaceAll("/$", "")
                        .equals(identity.issuer().replaceAll("/$", ""))) {
                    return provider.name();
                }
            }
        }
        String name = identity.issuer().replaceFirst("^https?://", "");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private void importLabels(SourceData.Account source, ImportReport report) {
        if (source.labels().isEmpty()) {
            return;
        }
        Map<String, String> current = new HashMap<>();
        labels.of(source.id()).forEach(l -> current.put(l.prefix() + "/" + l.name(), l.value()));
        for (SourceData.Label label : source.labels()) {
            String key = source.username() + " " + (label.prefix() == null ? "" : label.prefix() + "/") + label.name();
            AccountLabels.Label checked;
            try {
                checked = AccountLabels.checked(label.prefix(), label.name(), label.value());
            } catch (IllegalArgumentException e) {
                report.refused("labels", key, e.getMessage());
                continue;
            }
            String k = checked.prefix() + "/" + checked.name();
            if (current.containsKey(k) && Objects.equals(current.get(k), checked.value())) {
                report.unchanged("labels", key);
            } else {
                labels.set(source.id(), checked, ACTOR);
                if (current.containsKey(k)) {
                    report.updated("labels", key);
                } else {
                    report.created("labels", key);
                }
            }
        }
    }

    private void importAttributes(SourceData.Account source, ImportReport report) {
        for (Map.Entry<String, String> attribute : source.attributes().entrySet()) {
            String key = source.username() + " " + attribute.getKey();
            String name = attribute.getKey();
            String value = attribute.getValue();
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}") || value == null || value.isEmpty()
                    || value.length() > 1024) {
                report.refused("attributes", key, "a name of 1 to 64 letters, digits, '.', '_' or '-' and a value of "
                        + "1 to 1024 characters");
                continue;
            }
            var existing = attributes.findById(new AccountAttribute.Key(source.id(), name));
            if (existing.isPresent() && existing.get().getValue().equals(value)) {
                report.unchanged("attributes", key);
                continue;
            }
            AccountAttribute row = existing.orElseGet(() -> new AccountAttribute(source.id(), name, value));
            row.setValue(value);
            attributes.save(row);
            audit.record("account.attribute_set", ACTOR, source.id(), Map.of("name", name));
            if (existing.isPresent()) {
                report.updated("attributes", key);
            } else {
                report.created("attributes", key);
            }
        }
    }

    private void importMemberships(SourceData.Account source, Set<String> groupPaths, ImportReport report) {
        Map<String, Instant> wanted = new HashMap<>();
        for (SourceData.Membership membership : source.memberships()) {
            if (!groupPaths.contains(membership.groupPath())) {
                report.refused("memberships", source.username() + " " + membership.groupPath(), "the group was not "
                        + "imported");
                continue;
            }
            wanted.put(membership.groupPath(), membership.endTime());
        }
        Map<String, Instant> current = new HashMap<>();
        jdbc.query("select g.path, m.end_time from membership m join vo_group g on g.id = m.group_id where "
                + "m.account_id = ?", (org.springframework.jdbc.core.RowCallbackHandler) rs -> current.put(
                rs.getString(1), rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()), source.id());
        for (Map.Entry<String, Instant> membership : wanted.entrySet()) {
            String key = source.username() + " " + membership.getKey();
            if (!current.containsKey(membership.getKey())) {
                groups.addMember(membership.getKey(), source.id(), null, membership.getValue(), ACTOR);
                report.created("memberships", key);
            } else if (membership.getValue() != null
                    && !Objects.equals(current.get(membership.getKey()), membership.getValue())) {
                // null: the source does not say (neither IAM's API nor VOMS-Admin's gives membership end times), so an
                // end time set in Tessera during the parallel run stays
                groups.setMemberEndTime(membership.getKey(), source.id(), membership.getValue(), ACTOR);
                report.updated("memberships", key);
            } else {
                report.unchanged("memberships", key);
            }
        }
        for (String path : current.keySet()) {
            if (!wanted.containsKey(path)) {
                groups.removeMember(path, source.id(), ACTOR);
                report.removed("memberships", source.username() + " " + path);
            }
        }
    }

    private void importSignature(SourceData.Account source, ImportReport report) {
        if (source.aupSignatureTime() == null || aup.current().isEmpty()) {
            return;
        }
        var signature = aup.signature(source.id());
        if (signature.isPresent() && signature.get().version() == aup.current().get().version()
                && Math.abs(signature.get().signedAt().toEpochMilli() - source.aupSignatureTime().toEpochMilli()) < 1000) {
            report.unchanged("signatures", source.username());
            return;
        }
        aup.sign(source.id(), source.aupSignatureTime(), ACTOR);
        if (signature.isPresent()) {
            report.updated("signatures", source.username());
        } else {
            report.created("signatures", source.username());
        }
    }

    private void importManagers(Map<String, Set<String>> managers, Set<String> groupPaths, Set<String> imported,
            ImportReport report) {
        for (String path : groupPaths) {
            Set<String> wanted = new HashSet<>(managers.getOrDefault(path, Set.of()));
            wanted.retainAll(imported);
            try {
                transactions.executeWithoutResult(status -> {
                    String id = groups.require(path).id();
                    Set<String> current = new HashSet<>();
                    groups.managers(id).forEach(m -> current.add((String) m.get("id")));
                    for (String account : wanted) {
                        if (current.contains(account)) {
                            report.unchanged("managers", path + " " + account);
                        } else {
                            groups.addManager(id, account, ACTOR);
                            report.created("managers", path + " " + account);
                        }
                    }
                    for (String account : current) {
                        if (imported.contains(account) && !wanted.contains(account)) {
                            groups.removeManager(id, account, ACTOR);
                            report.removed("managers", path + " " + account);
                        }
                    }
                });
            } catch (RuntimeException e) {
                report.refused("managers", path, message(e));
            }
        }
    }

    private void importRoles(Set<String> holders, String authority, Set<String> imported, ImportReport report) {
        for (String account : holders) {
            if (!imported.contains(account)) {
                continue;
            }
            String key = account + " " + authority;
            if (roles.authorities(account).contains(authority)) {
                report.unchanged("roles", key);
                continue;
            }
            try {
                transactions.executeWithoutResult(status -> roles.grant(account, authority, ACTOR));
                report.created("roles", key);
            } catch (RuntimeException e) {
                report.refused("roles", key, message(e));
            }
        }
    }
}
