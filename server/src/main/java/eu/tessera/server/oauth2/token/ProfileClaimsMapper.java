package eu.tessera.server.oauth2.token;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.oauth2.client.TokenProfile;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.stereotype.Component;

/**
 * Maps an account's selected groups to the group claims of a token profile: {@code wlcg.groups} (WLCG),
 * {@code eduperson_entitlement} URNs (AARC-G069: {@code <ns>:group:<vo>:<sub>#<authority>}), or INDIGO IAM's
 * {@code groups} (names without the leading slash).
 */
@Component
public class ProfileClaimsMapper {

    private final String namespace;
    private final String authority;
    private final String organisationName;

    public ProfileClaimsMapper(TesseraProperties properties) {
        String host = URI.create(properties.issuer()).getHost();
        this.authority = host == null ? "tessera" : host;
        String configured = properties.tokens().aarcNamespace();
        this.namespace = configured == null || configured.isBlank() ? "urn:geant:" + authority : configured;
        this.organisationName = properties.organisationName();
    }

    /** Adds the profile's group and identity claims to {@code claims}. */
    public void addGroupClaims(TokenProfile profile, List<String> groups, String username,
            BiConsumer<String, Object> claims) {
        switch (profile) {
            case WLCG -> claims.accept(WlcgClaimNames.GROUPS, groups);
            case AARC -> claims.accept(WlcgClaimNames.ENTITLEMENT, groups.stream().map(this::entitlement).toList());
            case IAM -> {
                claims.accept(WlcgClaimNames.IAM_GROUPS, groups.stream().map(g -> g.substring(1)).toList());
                claims.accept(WlcgClaimNames.PREFERRED_USERNAME, username);
                claims.accept(WlcgClaimNames.ORGANISATION_NAME, organisationName);
            }
        }
    }

    /** AARC-G069 entitlement for a group path: {@code /escape/cms} -> {@code <ns>:group:escape:cms#<authority>}. */
    String entitlement(String group) {
        return namespace + ":group:" + group.substring(1).replace('/', ':') + "#" + authority;
    }

    /** Claims a profile always carries. */
    public Map<String, Object> fixedClaims(TokenProfile profile) {
        return profile == TokenProfile.WLCG ? Map.of(WlcgClaimNames.VERSION, WlcgClaimNames.VERSION_VALUE) : Map.of();
    }
}
