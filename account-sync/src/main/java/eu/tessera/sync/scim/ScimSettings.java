package eu.tessera.sync.scim;

import eu.tessera.sync.AccountState;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One SCIM 2.0 push target (RFC 7643/7644).
 *
 * @param name          target name (unique)
 * @param url           the SCIM base, e.g. {@code https://other.example.org/scim}
 * @param groups        accounts in these groups (or below) are pushed, with their memberships in these subtrees;
 *                      empty: every account and group
 * @param adoptExisting take over a user of the same userName that has no externalId
 */
public record ScimSettings(String name, URI url, List<String> groups, boolean adoptExisting) {

    public ScimSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    boolean inScope(AccountState account) {
        return account.status() != AccountState.Status.REMOVED && account.inAnyGroup(groups);
    }

    /** Whether a group (a path with leading slash) is one this target mirrors. */
    boolean groupInScope(String path) {
        return groups.isEmpty() || groups.stream().anyMatch(prefix -> AccountState.within(path, prefix));
    }
}
