package eu.tessera.policy.exchange;

import java.util.Collection;
import java.util.List;

/**
 * Decides whether a client (destination) may exchange a token issued to another client (origin): among the
 * policies that match both, the most specific wins (rank: by id 2, by scope 1, any 0, origin plus destination);
 * at equal rank DENY wins; no matching policy means no exchange.
 */
public final class ExchangePolicyEvaluator {

    private final List<ExchangePolicy> policies;

    private ExchangePolicyEvaluator(Collection<ExchangePolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    public static ExchangePolicyEvaluator of(Collection<ExchangePolicy> policies) {
        return new ExchangePolicyEvaluator(policies);
    }

    /** Whether {@code destination} may exchange tokens issued to {@code origin}. */
    public boolean permits(ExchangeClient origin, ExchangeClient destination) {
        return decision(origin, destination).orElse(false);
    }

    /** What the policies say of the exchange: PERMIT true, DENY false, empty when no policy matches. */
    public java.util.Optional<Boolean> decision(ExchangeClient origin, ExchangeClient destination) {
        int bestRank = -1;
        boolean permit = false;
        for (ExchangePolicy policy : policies) {
            if (!policy.origin().matches(origin) || !policy.destination().matches(destination)) {
                continue;
            }
            int rank = policy.rank();
            boolean isPermit = policy.rule() == ExchangePolicy.Rule.PERMIT;
            if (rank > bestRank) {
                bestRank = rank;
                permit = isPermit;
            } else if (rank == bestRank && !isPermit) {
                permit = false;
            }
        }
        return bestRank < 0 ? java.util.Optional.empty() : java.util.Optional.of(permit);
    }
}
