package eu.tessera.sync.rucio;

import java.util.List;
import java.util.Map;

/**
 * What Rucio holds for one account name.
 *
 * @param exists     false when Rucio answered AccountNotFound
 * @param status     ACTIVE, SUSPENDED or DELETED
 * @param identities the account's identities
 * @param attributes the account's attributes, values as text (empty for an inactive account: Rucio hides them)
 */
public record RucioAccount(String name, boolean exists, String type, String status, String email,
        List<Identity> identities, Map<String, String> attributes) {

    /** An identity: its type ({@code OIDC}, {@code X509}, {@code USERPASS}, ...) and key. */
    public record Identity(String type, String identity) {
    }

    public RucioAccount {
        identities = identities == null ? List.of() : List.copyOf(identities);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** Whether Rucio holds the account as ACTIVE: only then does it list its identities and attributes. */
    public boolean active() {
        return exists && (status == null || "ACTIVE".equalsIgnoreCase(status));
    }

    static RucioAccount missing(String name) {
        return new RucioAccount(name, false, null, null, null, List.of(), Map.of());
    }
}
