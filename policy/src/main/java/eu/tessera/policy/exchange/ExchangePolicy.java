package eu.tessera.policy.exchange;

import java.util.Objects;

/**
 * Which client may exchange tokens of which client (INDIGO IAM's model): PERMIT or DENY, for an origin (the
 * client the subject token was issued to) and a destination (the exchanging client), each matched as any
 * client, by client id, or by a scope the client is registered for.
 */
public record ExchangePolicy(long id, Rule rule, ClientMatch origin, ClientMatch destination) {

    /** What a policy says. */
    public enum Rule { PERMIT, DENY }

    /** How a client is matched; the more specific, the higher the rank. */
    public enum MatchType {
        ANY(0), BY_SCOPE(1), BY_ID(2);

        final int rank;

        MatchType(int rank) {
            this.rank = rank;
        }
    }

    /**
     * One side of a policy.
     *
     * @throws IllegalArgumentException naming the field when a BY_ID or BY_SCOPE match has no parameter
     */
    public record ClientMatch(MatchType type, String matchParam) {
        public ClientMatch {
            Objects.requireNonNull(type, "type");
            if (type != MatchType.ANY && (matchParam == null || matchParam.isBlank() || matchParam.length() > 255)) {
                throw new IllegalArgumentException("matchParam: required (1 to 255 characters) for " + type);
            }
            if (type == MatchType.ANY) {
                matchParam = null;
            }
        }

        boolean matches(ExchangeClient client) {
            return switch (type) {
                case ANY -> true;
                case BY_ID -> client.clientId().equals(matchParam);
                case BY_SCOPE -> client.scopes().contains(matchParam);
            };
        }
    }

    public ExchangePolicy {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(origin, "originClient");
        Objects.requireNonNull(destination, "destinationClient");
    }

    int rank() {
        return origin.type().rank + destination.type().rank;
    }
}
