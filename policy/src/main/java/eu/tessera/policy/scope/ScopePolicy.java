package eu.tessera.policy.scope;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One scope policy (INDIGO IAM's model): PERMIT or DENY the listed scopes, matched exactly ({@code EQ}), by
 * storage path ({@code PATH}, per path component) or by regular expression ({@code REGEXP}), for one account,
 * one group, or everyone. An empty scope list matches every scope.
 *
 * @param id        the policy's id
 * @param rule      PERMIT or DENY
 * @param matching  how {@code scopes} are compared with a requested scope
 * @param accountId the account it applies to, or null
 * @param groupId   the group it applies to (its members), or null; neither: the default policy
 * @param scopes    the scopes it speaks of; empty = all
 */
public record ScopePolicy(long id, Rule rule, Matching matching, String accountId, String groupId,
        List<String> scopes) {

    /** What a policy says. */
    public enum Rule { PERMIT, DENY }

    /** How a policy's scopes are matched. */
    public enum Matching { EQ, PATH, REGEXP }

    /** Longest policy scope (as INDIGO IAM). */
    public static final int MAX_SCOPE_LENGTH = 255;

    /** @throws IllegalArgumentException naming the field that is invalid */
    public ScopePolicy {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(matching, "matchingPolicy");
        if (accountId != null && groupId != null) {
            throw new IllegalArgumentException("account and group: a policy applies to one or the other");
        }
        scopes = List.copyOf(scopes == null ? List.of() : scopes);
        if (scopes.isEmpty() && matching != Matching.EQ) {
            throw new IllegalArgumentException("scopes: PATH and REGEXP policies need at least one scope");
        }
        for (String scope : scopes) {
            if (scope == null || scope.isEmpty() || scope.length() > MAX_SCOPE_LENGTH) {
                throw new IllegalArgumentException("scopes: each scope must be 1 to 255 characters");
            }
            if (matching == Matching.REGEXP) {
                try {
                    Pattern.compile(scope);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("scopes: invalid regular expression " + scope);
                }
            }
            if (matching == Matching.PATH && !(WlcgScope.parse(scope) instanceof StorageScope)) {
                throw new IllegalArgumentException("scopes: a PATH policy needs storage scopes with a path: " + scope);
            }
        }
    }
}
