package eu.tessera.policy.scope;

import eu.tessera.policy.InvalidScopeException;

/**
 * One scope value, classified by the WLCG Common JWT Profile (v1.0 claims, v1.3 semantics, section 2.2.1 and 3.1).
 * {@link #parse(String)} is the only way in: it rejects what the profile forbids, so a value of this type is valid.
 */
public sealed interface WlcgScope permits StorageScope, ComputeScope, GroupScope, CapabilitySetScope, PlainScope {

    /** Longest scope value accepted; WLCG paths are short and INDIGO IAM caps scopes at 255 characters. */
    int MAX_LENGTH = 512;

    /** The scope as it appears on the wire. */
    String value();

    /**
     * Parses one scope token (RFC 6749 section 3.3 {@code scope-token}).
     *
     * @throws InvalidScopeException when the token is malformed, a storage scope lacks a valid path,
     *                               or a compute scope carries one
     */
    static WlcgScope parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidScopeException(String.valueOf(value), "empty scope");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidScopeException(value.substring(0, 32) + "...", "scope longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
            if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) {
                throw new InvalidScopeException(value, "illegal character in scope");
            }
        }
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon);
        String argument = colon < 0 ? null : value.substring(colon + 1);
        if (name.startsWith(StorageScope.PREFIX)) {
            return StorageScope.of(value, name, argument);
        }
        if (name.startsWith(ComputeScope.PREFIX)) {
            return ComputeScope.of(value, name, argument);
        }
        if (name.equals(GroupScope.NAME)) {
            return GroupScope.of(value, argument);
        }
        if (name.equals(CapabilitySetScope.NAME)) {
            return CapabilitySetScope.of(value, argument);
        }
        return new PlainScope(value);
    }

    /**
     * Whether a client registered for this scope may be granted {@code requested}.
     * Storage paths narrow per path component (WLCG v1.3 section 2.2.1); a bare {@code wlcg.groups} covers
     * every group scope; everything else must be equal.
     */
    boolean covers(WlcgScope requested);
}
