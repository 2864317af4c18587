package eu.tessera.policy.exchange;

import java.util.Set;

/** A client as exchange policies see it: its id and registered scopes. */
public record ExchangeClient(String clientId, Set<String> scopes) {
}
