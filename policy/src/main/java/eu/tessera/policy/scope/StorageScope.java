package eu.tessera.policy.scope;

import eu.tessera.policy.InvalidScopeException;
import java.util.Set;

/**
 * A storage capability with its path, {@code storage.read:/escape/cms} (WLCG profile section 2.2.1).
 * The path is absolute, has no {@code .} or {@code ..} segment, no empty segment and no percent-encoded
 * dot, slash, backslash or percent (encoded traversal).
 */
public record StorageScope(String value, String capability, String path) implements WlcgScope {

    static final String PREFIX = "storage.";

    /** Capabilities of WLCG profile v1.3 ({@code storage.poll} is new in v1.3). */
    public static final Set<String> CAPABILITIES =
            Set.of("storage.read", "storage.create", "storage.modify", "storage.stage", "storage.poll");

    static StorageScope of(String value, String capability, String path) {
        if (!CAPABILITIES.contains(capability)) {
            throw new InvalidScopeException(value, "unknown storage capability " + capability);
        }
        if (path == null || path.isEmpty()) {
            throw new InvalidScopeException(value, "storage scope without a path");
        }
        StoragePaths.check(value, path);
        return new StorageScope(value, capability, path);
    }

    @Override
    public boolean covers(WlcgScope requested) {
        return requested instanceof StorageScope other
                && capability.equals(other.capability)
                && StoragePaths.covers(path, other.path);
    }
}
