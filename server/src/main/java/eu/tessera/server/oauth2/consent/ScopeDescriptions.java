package eu.tessera.server.oauth2.consent;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a scope lets a client do, in words a member understands, for the consent page (the technical name is shown
 * beside). Storage and compute scopes follow the WLCG Common JWT Profile (section 3.3: read, create without
 * overwriting, modify including delete, stage from tape, poll staging); group scopes the WLCG and AARC profiles.
 */
final class ScopeDescriptions {

    private static final Map<String, String> FIXED = Map.ofEntries(
            Map.entry("openid", "Sign you in with your account"),
            Map.entry("profile", "See your name and username"),
            Map.entry("email", "See your email address"),
            Map.entry("offline_access", "Keep access while you are away, until you revoke it on your account page"),
            Map.entry("wlcg.groups", "See the groups you belong to"),
            Map.entry("eduperson_entitlement", "See the groups you belong to, as entitlements"),
            Map.entry("compute.read", "See your compute jobs"),
            Map.entry("compute.create", "Submit compute jobs for you"),
            Map.entry("compute.modify", "Change your compute jobs"),
            Map.entry("compute.cancel", "Cancel your compute jobs"),
            Map.entry("scim:read", "Read the accounts and groups of the VO"),
            Map.entry("scim:write", "Change the accounts and groups of the VO"),
            Map.entry("iam:admin.read", "Read the VO's administration data"),
            Map.entry("iam:admin.write", "Administer the VO"));

    private static final Map<String, String> STORAGE = Map.of(
            "storage.read", "Read data under %s",
            "storage.create", "Upload new data under %s (not overwrite)",
            "storage.modify", "Change and delete data under %s",
            "storage.stage", "Bring data under %s from tape to disk",
            "storage.poll", "Follow the staging of data under %s");

    private ScopeDescriptions() {
    }

    /** The words for a scope; a scope Tessera has none for is shown as it is. */
    static String describe(String scope) {
        String fixed = FIXED.get(scope);
        if (fixed != null) {
            return fixed;
        }
        if (scope.startsWith("wlcg.groups:")) {
            return "Act with your membership in " + scope.substring("wlcg.groups:".length());
        }
        int colon = scope.indexOf(':');
        if (colon > 0 && STORAGE.containsKey(scope.substring(0, colon))) {
            String path = scope.substring(colon + 1);
            return String.format(STORAGE.get(scope.substring(0, colon)), path.equals("/") ? "/ (everywhere)" : path);
        }
        return scope;
    }

    /** Descriptions of several scopes, by scope. */
    static Map<String, String> describeAll(Collection<String> scopes) {
        Map<String, String> out = new LinkedHashMap<>();
        scopes.forEach(scope -> out.put(scope, describe(scope)));
        return out;
    }
}
