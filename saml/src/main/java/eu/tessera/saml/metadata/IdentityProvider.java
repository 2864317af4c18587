package eu.tessera.saml.metadata;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Tessera keeps of one IdP's metadata (the DOM is dropped after indexing).
 *
 * @param displayNames        mdui:DisplayName by language (else the organization's display name, under "")
 * @param domains             mdui:DomainHint and shibmd:Scope values, for discovery by domain
 * @param ssoRedirect         SingleSignOnService location for the HTTP-Redirect binding; null when none
 * @param signingCertificates certificates of KeyDescriptors for signing (or without use)
 * @param entityCategories    entity-category and assurance-certification values (REFEDS R&amp;S, SIRTFI, ...)
 */
public record IdentityProvider(String entityId, Map<String, String> displayNames, Set<String> domains,
        String ssoRedirect, List<X509Certificate> signingCertificates, Set<String> entityCategories) {

    public static final String RESEARCH_AND_SCHOLARSHIP = "http://refeds.org/category/research-and-scholarship";
    public static final String SIRTFI = "https://refeds.org/sirtfi";

    public IdentityProvider {
        displayNames = Map.copyOf(displayNames);
        domains = Set.copyOf(domains);
        signingCertificates = List.copyOf(signingCertificates);
        entityCategories = Set.copyOf(entityCategories);
    }

    /**
     * This IdP named {@code name} when its metadata gives it no name at all (an IdP outside eduGAIN often has no
     * {@code mdui:DisplayName}), so that pages do not show its entity ID; otherwise unchanged.
     */
    public IdentityProvider namedIfNameless(String name) {
        if (name == null || name.isBlank() || !displayNames.isEmpty()) {
            return this;
        }
        return new IdentityProvider(entityId, Map.of("en", name.strip()), domains, ssoRedirect, signingCertificates,
                entityCategories);
    }

    /** The English display name, else any, else the entity ID. */
    public String displayName() {
        return displayNames.getOrDefault("en", displayNames.values().stream().findFirst().orElse(entityId));
    }
}
