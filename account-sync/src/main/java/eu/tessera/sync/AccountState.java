package eu.tessera.sync;

import java.util.List;
import java.util.Objects;

/**
 * What Tessera says about one account at delivery time: the state every catalogue is brought in line with.
 * Catalogues never see events, only this, so a replayed or coalesced event converges on the same result.
 *
 * @param id           Tessera's account id, also the {@code sub} of its tokens
 * @param username     the username (the catalogue account name is derived from it)
 * @param groups       group paths the account is a member of, e.g. {@code /escape/atlas}
 * @param certificates linked X.509 certificate subjects
 */
public record AccountState(String id, String username, String email, String givenName, String familyName,
        Status status, boolean serviceAccount, List<String> groups, List<Certificate> certificates) {

    /** Where the account is: only ACTIVE accounts are provisioned. */
    public enum Status { ACTIVE, SUSPENDED, REMOVED }

    /**
     * A linked certificate subject in the two spellings catalogues use.
     *
     * @param slash   OpenSSL slash form, most significant first ({@code /DC=org/DC=example/CN=Jane})
     * @param rfc2253 RFC 2253 form, least significant first ({@code CN=Jane,DC=example,DC=org})
     */
    public record Certificate(String slash, String rfc2253) {
        public Certificate {
            Objects.requireNonNull(slash, "slash");
            Objects.requireNonNull(rfc2253, "rfc2253");
        }
    }

    public AccountState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        groups = groups == null ? List.of() : List.copyOf(groups);
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
    }

    /** An account that no longer exists in Tessera (only its id and last username are known). */
    public static AccountState removed(String id, String username) {
        return new AccountState(id, username, null, null, null, Status.REMOVED, false, List.of(), List.of());
    }

    /** Whether the account is a member of one of {@code prefixes} or of a group below one; all when empty. */
    public boolean inAnyGroup(List<String> prefixes) {
        if (prefixes.isEmpty()) {
            return true;
        }
        return groups.stream().anyMatch(group -> prefixes.stream().anyMatch(prefix -> within(group, prefix)));
    }

    /** Whether {@code group} is {@code prefix} or below it. */
    public static boolean within(String group, String prefix) {
        return group.equals(prefix) || group.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }
}
