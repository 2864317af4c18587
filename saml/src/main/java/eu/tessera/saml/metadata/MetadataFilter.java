package eu.tessera.saml.metadata;

import java.util.Set;

/**
 * Which IdPs of a metadata source are offered: optionally only those asserting SIRTFI or REFEDS R&amp;S, never those
 * on the deny list, and, if the allow list is not empty, only those on it.
 */
public record MetadataFilter(boolean requireSirtfi, boolean requireResearchAndScholarship, Set<String> allow,
        Set<String> deny) {

    public static final MetadataFilter NONE = new MetadataFilter(false, false, Set.of(), Set.of());

    public MetadataFilter {
        allow = allow == null ? Set.of() : Set.copyOf(allow);
        deny = deny == null ? Set.of() : Set.copyOf(deny);
    }

    public boolean accepts(IdentityProvider idp) {
        return !deny.contains(idp.entityId()) && (allow.isEmpty() || allow.contains(idp.entityId()))
                && (!requireSirtfi || idp.entityCategories().contains(IdentityProvider.SIRTFI))
                && (!requireResearchAndScholarship
                        || idp.entityCategories().contains(IdentityProvider.RESEARCH_AND_SCHOLARSHIP));
    }
}
