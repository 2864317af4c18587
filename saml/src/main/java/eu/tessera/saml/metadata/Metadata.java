package eu.tessera.saml.metadata;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A verified metadata source's IdPs, indexed by entity ID, with the source's validUntil.
 */
public final class Metadata {

    private final Map<String, IdentityProvider> byEntityId = new LinkedHashMap<>();
    private final Instant validUntil;

    public Metadata(Collection<IdentityProvider> idps, Instant validUntil) {
        idps.forEach(idp -> byEntityId.put(idp.entityId(), idp));
        this.validUntil = validUntil;
    }

    public Optional<IdentityProvider> find(String entityId) {
        return Optional.ofNullable(byEntityId.get(entityId));
    }

    public int size() {
        return byEntityId.size();
    }

    public Instant validUntil() {
        return validUntil;
    }

    public List<IdentityProvider> all() {
        return List.copyOf(byEntityId.values());
    }

    /** IdPs whose display name or domain contains {@code text} (case-insensitive), at most {@code limit}. */
    public List<IdentityProvider> search(String text, int limit) {
        String needle = text.toLowerCase(Locale.ROOT).strip();
        return byEntityId.values().stream().filter(idp -> needle.isEmpty()
                || idp.displayNames().values().stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).contains(needle))
                || idp.domains().stream().anyMatch(d -> d.toLowerCase(Locale.ROOT).contains(needle))
                || idp.entityId().toLowerCase(Locale.ROOT).contains(needle)).limit(limit).toList();
    }
}
