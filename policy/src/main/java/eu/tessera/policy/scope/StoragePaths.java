package eu.tessera.policy.scope;

import eu.tessera.policy.InvalidScopeException;

/** Validation and per-component prefix matching of storage scope paths (WLCG profile v1.3 section 2.2.1). */
final class StoragePaths {

    private StoragePaths() {
    }

    static void check(String scope, String path) {
        if (path.charAt(0) != '/') {
            throw new InvalidScopeException(scope, "storage path must be absolute");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '?' || c == '#') {
                throw new InvalidScopeException(scope, "storage path must not contain a query or fragment");
            }
            if (c == '%') {
                if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
                    throw new InvalidScopeException(scope, "invalid percent-encoding in storage path");
                }
                int decoded = Integer.parseInt(path.substring(i + 1, i + 3), 16);
                if (decoded == '.' || decoded == '/' || decoded == '\\' || decoded == '%' || decoded < 0x20) {
                    throw new InvalidScopeException(scope, "encoded traversal in storage path");
                }
            }
        }
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidScopeException(scope, "path traversal in storage path");
            }
            if (segment.isEmpty() && !last) {
                throw new InvalidScopeException(scope, "empty segment in storage path");
            }
        }
    }

    /**
     * {@code granted} covers {@code requested} when requested equals it or lies below it, compared per
     * path component: {@code /escape} covers {@code /escape/cms}, not {@code /escapeX}. A granted path with a
     * trailing slash covers only what lies strictly below it.
     */
    static boolean covers(String granted, String requested) {
        if (granted.equals("/") || granted.equals(requested)) {
            return true;
        }
        if (granted.endsWith("/")) {
            return requested.startsWith(granted) && requested.length() > granted.length();
        }
        return requested.startsWith(granted) && requested.charAt(granted.length()) == '/';
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
