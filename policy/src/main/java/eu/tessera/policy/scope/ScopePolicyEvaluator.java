package eu.tessera.policy.scope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which requested scopes an account may get under the VO's scope policies. Tiers: the account's own
 * policies, then those of its groups, then the default ones; the most specific tier that says anything about a
 * scope decides it, and within a tier DENY beats PERMIT. A scope no policy speaks of is denied (seed a default
 * "permit all" policy for an open VO). Policies are compiled once: lookups by account and group id, exact
 * scopes in hash sets, so one decision costs microseconds even with many thousands of policies.
 */
public final class ScopePolicyEvaluator {

    /** The outcome for one request: the scopes granted (request order) and those denied. */
    public record Decision(List<String> granted, List<String> denied) {
    }

    private enum Verdict { NONE, PERMIT, DENY }

    /** The compiled policies of one subject (an account, a group, or the default). */
    private static final class Tier {
        final Set<String> permitExact = new java.util.HashSet<>();
        final Set<String> denyExact = new java.util.HashSet<>();
        boolean permitAll;
        boolean denyAll;
        final List<StorageScope> permitPaths = new ArrayList<>();
        final List<StorageScope> denyPaths = new ArrayList<>();
        final List<Pattern> permitPatterns = new ArrayList<>();
        final List<Pattern> denyPatterns = new ArrayList<>();

        void add(ScopePolicy policy) {
            boolean permit = policy.rule() == ScopePolicy.Rule.PERMIT;
            if (policy.scopes().isEmpty()) {
                if (permit) {
                    permitAll = true;
                } else {
                    denyAll = true;
                }
                return;
            }
            for (String scope : policy.scopes()) {
                switch (policy.matching()) {
                    case EQ -> (permit ? permitExact : denyExact).add(scope);
                    case PATH -> (permit ? permitPaths : denyPaths).add((StorageScope) WlcgScope.parse(scope));
                    case REGEXP -> (permit ? permitPatterns : denyPatterns).add(Pattern.compile(scope));
                }
            }
        }

        boolean matches(boolean deny, String scope, WlcgScope parsed) {
            if (deny ? denyAll : permitAll) {
                return true;
            }
            if ((deny ? denyExact : permitExact).contains(scope)) {
                return true;
            }
            if (parsed != null) {
                for (StorageScope path : deny ? denyPaths : permitPaths) {
                    if (path.covers(parsed)) {
                        return true;
                    }
                }
            }
            for (Pattern pattern : deny ? denyPatterns : permitPatterns) {
                if (pattern.matcher(scope).matches()) {
                    return true;
                }
            }
            return false;
        }

        Verdict verdict(String scope, WlcgScope parsed) {
            if (matches(true, scope, parsed)) {
                return Verdict.DENY;
            }
            return matches(false, scope, parsed) ? Verdict.PERMIT : Verdict.NONE;
        }
    }

    private final Map<String, Tier> accounts = new HashMap<>();
    private final Map<String, Tier> groups = new HashMap<>();
    private final Tier defaults = new Tier();

    private ScopePolicyEvaluator(Collection<ScopePolicy> policies) {
        for (ScopePolicy policy : policies) {
            Tier tier = policy.accountId() != null ? accounts.computeIfAbsent(policy.accountId(), k -> new Tier())
                    : policy.groupId() != null ? groups.computeIfAbsent(policy.groupId(), k -> new Tier())
                    : defaults;
            tier.add(policy);
        }
    }

    /** Compiles a set of policies. */
    public static ScopePolicyEvaluator of(Collection<ScopePolicy> policies) {
        return new ScopePolicyEvaluator(policies);
    }

    /**
     * @param accountId the account the token is for
     * @param groupIds  the ids of every group it is a member of
     * @param requested the requested scopes, in request order
     */
    public Decision decide(String accountId, Collection<String> groupIds, Collection<String> requested) {
        Tier account = accounts.get(accountId);
        List<Tier> memberTiers = new ArrayList<>();
        for (String groupId : groupIds) {
            Tier tier = groups.get(groupId);
            if (tier != null) {
                memberTiers.add(tier);
            }
        }
        List<String> granted = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (String scope : new LinkedHashSet<>(requested)) {
            WlcgScope parsed = parseQuietly(scope);
            Verdict verdict = account == null ? Verdict.NONE : account.verdict(scope, parsed);
            if (verdict == Verdict.NONE) {
                for (Tier tier : memberTiers) {
                    Verdict groupVerdict = tier.verdict(scope, parsed);
                    if (groupVerdict == Verdict.DENY) {
                        verdict = Verdict.DENY;
                        break;
                    }
                    if (groupVerdict == Verdict.PERMIT) {
                        verdict = Verdict.PERMIT;
                    }
                }
            }
            if (verdict == Verdict.NONE) {
                verdict = defaults.verdict(scope, parsed);
            }
            (verdict == Verdict.PERMIT ? granted : denied).add(scope);
        }
        return new Decision(granted, denied);
    }

    private static WlcgScope parseQuietly(String scope) {
        try {
            return WlcgScope.parse(scope);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
