package eu.tessera.server.migration;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an import reads from the old service, independent of its API: accounts (their ids become Tessera's ids, so
 * tokens keep the same {@code sub}), groups by path, memberships, managers, roles and the AUP.
 */
public final class SourceData {

    private SourceData() {
    }

    /** A certificate: subject and issuer as the source gives them (either DN form), PEM when it has one. */
    public record Certificate(String subject, String issuer, String pem, String label) {
    }

    /** An external identity: {@code OIDC} (issuer, subject) or {@code SAML} (IdP entity id, user id, attribute). */
    public record Identity(String type, String issuer, String subject, String attribute) {
    }

    /** A label as INDIGO IAM has them. */
    public record Label(String prefix, String name, String value) {
    }

    /** An SSH public key as INDIGO IAM's ScimSshKey has it: label ({@code display}), key, primary. */
    public record SshKey(String label, String value, boolean primary) {
    }

    /** A membership: the group's path and its end time (null: the source does not say; Tessera's is kept). */
    public record Membership(String groupPath, Instant endTime) {
    }

    /** An account. */
    public record Account(String id, String username, String givenName, String familyName, String email,
            boolean active, Instant created, Instant endTime, Instant aupSignatureTime, List<Certificate> certificates,
            List<Identity> identities, List<Label> labels, Map<String, String> attributes,
            List<Membership> memberships, List<SshKey> sshKeys) {
    }

    /** A group: its path ({@code /escape/atlas}), whether it is optional (a role), its labels. */
    public record Group(String sourceId, String path, boolean optional, List<Label> labels) {
    }

    /** The AUP in force at the source. */
    public record Aup(String text, String url, int signatureValidityDays, List<Integer> reminderDays) {
    }

    /** A client: its registration in INDIGO IAM's JSON (RegisteredClientDTO), its secret when readable, its owner. */
    public record Client(String clientId, Map<String, Object> registration, String secret, String ownerId) {
    }

    /**
     * Everything read; {@code problems} are rows the reader could not make sense of (each becomes a refused line in
     * the report).
     */
    public record Snapshot(List<Account> accounts, List<Group> groups, Map<String, Set<String>> managers,
            Set<String> admins, Set<String> readers, Aup aup, List<Map<String, Object>> scopePolicies,
            List<Map<String, Object>> exchangePolicies, List<Client> clients, List<String> problems) {
    }
}
