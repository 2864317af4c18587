package eu.tessera.server.oauth2.token;

import eu.tessera.policy.GroupNotEntitledException;
import eu.tessera.policy.InvalidScopeException;
import eu.tessera.policy.scope.CapabilitySetScope;
import eu.tessera.policy.scope.WlcgGroupSelector;
import eu.tessera.policy.scope.WlcgScope;
import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.group.GroupDirectory;
import eu.tessera.server.group.GroupMemberships;
import eu.tessera.server.oauth2.client.JpaRegisteredClientRepository;
import eu.tessera.server.oauth2.client.TokenProfile;
import eu.tessera.server.oauth2.exchange.TokenExchangeFacts;
import eu.tessera.server.oauth2.scope.ScopePolicyService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * Shapes access and ID tokens to the client's profile (DESIGN.md "Tokens"; WLCG profile v1.0 claims with
 * v1.3 semantics; RFC 9068 {@code typ: at+jwt}): {@code aud} from {@code audience}/{@code resource} or the
 * WLCG "any" audience, backdated {@code nbf}, space-separated {@code scope}, {@code client_id}, {@code jti},
 * and the group claim of the profile in the order of the request.
 */
@Component
public class WlcgAccessTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final AccountRepository accounts;
    private final GroupDirectory groups;
    private final ProfileClaimsMapper mapper;
    private final ScopePolicyService scopePolicies;
    private final TesseraProperties properties;
    private final Clock clock;
    private final eu.tessera.server.aup.AupService aup;
    private final eu.tessera.server.oauth2.client.ClientUsage usage;
    private final eu.tessera.server.group.CapabilitySets capabilitySets;

    public WlcgAccessTokenCustomizer(AccountRepository accounts, GroupDirectory groups, ProfileClaimsMapper mapper,
            ScopePolicyService scopePolicies, TesseraProperties properties, Clock clock,
            eu.tessera.server.aup.AupService aup, eu.tessera.server.oauth2.client.ClientUsage usage,
            eu.tessera.server.group.CapabilitySets capabilitySets) {
        this.capabilitySets = capabilitySets;
        this.aup = aup;
        this.usage = usage;
        this.scopePolicies = scopePolicies;
        this.accounts = accounts;
        this.groups = groups;
        this.mapper = mapper;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
        boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
        if (!accessToken && !idToken) {
            return;
        }
        TokenProfile profile = TokenProfile.fromWireName(context.getRegisteredClient().getClientSettings()
                .getSetting(JpaRegisteredClientRepository.TOKEN_PROFILE_SETTING));
        JwtClaimsSet.Builder claims = context.getClaims();
        mapper.fixedClaims(profile).forEach(claims::claim);
        List<String> scopes = orderedScopes(context);
        // the generator defaults access tokens to RS256; sign with the configured key type
        context.getJwsHeader().algorithm(SignatureAlgorithm.from(properties.keys().algorithm()));
        if (accessToken) {
            usage.record(context.getRegisteredClient().getClientId());   // the client's last-used day, in memory
            context.getJwsHeader().type("at+jwt");
            Instant now = clock.instant();
            claims.notBefore(now.minus(properties.tokens().notBeforeSkew()));
            claims.id(UUID.randomUUID().toString());
            claims.claim(WlcgClaimNames.CLIENT_ID, context.getRegisteredClient().getClientId());
            if (scopes.isEmpty()) {
                claims.claims(c -> c.remove(WlcgClaimNames.SCOPE));
            } else {
                claims.claim(WlcgClaimNames.SCOPE, String.join(" ", scopes));
            }
            TokenExchangeFacts exchange = context.getAuthorization() == null ? null
                    : context.getAuthorization().getAttribute(TokenExchangeFacts.ATTRIBUTE);
            List<String> audience = exchange != null ? exchange.audiences() : audience(context);
            claims.audience(audience.isEmpty() ? List.of(RequestedAudience.WLCG_ANY) : audience);
            if (exchange != null && exchange.act() != null) {
                claims.claim("act", exchange.act());
            }
            // as INDIGO IAM's access tokens (every profile): acr when the user logged in with MFA, so that a service
            // can ask for it (refreshed tokens keep it: the authorization keeps the session's factors)
            if (eu.tessera.server.login.mfa.AuthenticationMethods.amr(context.getPrincipal().getAuthorities())
                    .contains("mfa")) {
                claims.claim("acr", eu.tessera.server.login.mfa.AuthenticationMethods.ACR_MFA);
            }
        }
        if (idToken) {
            Instant now = clock.instant();
            java.time.Duration idTokenTtl = context.getRegisteredClient().getTokenSettings().getSetting(
                    eu.tessera.server.oauth2.client.JpaRegisteredClientRepository.ID_TOKEN_TTL_SETTING);
            claims.issuedAt(now).expiresAt(now.plus(idTokenTtl != null ? idTokenTtl : properties.tokens().idTokenTtl()));
            // how the user logged in (the session's factors, kept by the authorization for refreshed ID tokens)
            var factors = context.getPrincipal().getAuthorities();
            List<String> amr = eu.tessera.server.login.mfa.AuthenticationMethods.amr(factors);
            if (!amr.isEmpty()) {
                claims.claim("amr", amr);
            }
            claims.claim("acr", eu.tessera.server.login.mfa.AuthenticationMethods.acr(factors));
        }
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                || AuthorizationGrantType.TOKEN_EXCHANGE.equals(context.getAuthorizationGrantType())
                && accounts.findById(context.getPrincipal().getName()).isEmpty()) {
            // a client's own token (also when exchanged): no account, no groups
            return;
        }
        Account account = accounts.findById(context.getPrincipal().getName())
                .filter(a -> a.isUsable(clock.instant()))
                .orElseThrow(() -> new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                        "the account is not active", null)));
        if (aup.mustSign(account.getId())) {
            // every user-bound token (code, refresh, device, exchange) waits for the AUP signature
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "the acceptable use policy must be signed at " + properties.baseUrl() + "/aup", null));
        }
        if (accessToken && (AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())
                || AuthorizationGrantType.DEVICE_CODE.equals(context.getAuthorizationGrantType())
                || AuthorizationGrantType.TOKEN_EXCHANGE.equals(context.getAuthorizationGrantType()))) {
            // the code flow filters scopes before consent; here the scopes are fixed, so a scope the policies
            // deny (now, or since the user authorized) is an error that names it, never silently dropped
            List<String> denied = scopePolicies.decide(account.getId(), scopes).denied();
            if (!denied.isEmpty()) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                        "not permitted by the scope policies: " + String.join(" ", denied)
                                + "; ask for a narrower scope", null));
            }
        }
        if (accessToken && scopes.stream().anyMatch(s -> s.startsWith(CapabilitySetScope.NAME))) {
            claims.claim(WlcgClaimNames.SCOPE, String.join(" ", withCapabilities(scopes, account)));
        }
        addGroups(profile, scopes, account, claims);
    }

    /**
     * The scopes with each {@code wlcg.capabilityset:<group>} replaced by the capabilities of that group's set, in
     * place (WLCG profile section 3.3). When one set is asked for: {@code access_denied} for a group the account is
     * not entitled to (optional memberships count), {@code invalid_scope} for a group without a set. When several
     * are (a client asking for every scope discovery lists), those are left out instead.
     */
    private List<String> withCapabilities(List<String> scopes, Account account) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        GroupMemberships memberships = null;
        boolean several = scopes.stream().filter(s -> s.startsWith(CapabilitySetScope.NAME + ":")).count() > 1;
        for (String scope : scopes) {
            if (!scope.startsWith(CapabilitySetScope.NAME)) {
                out.add(scope);
                continue;
            }
            if (!scope.startsWith(CapabilitySetScope.NAME + ":")) {
                continue;   // the bare scope names no set
            }
            String group = scope.substring(CapabilitySetScope.NAME.length() + 1);
            memberships = memberships != null ? memberships : groups.membershipsOf(account.getId());
            Optional<List<String>> capabilities = capabilitySets.expand(group, account.getUsername());
            if (!memberships.entitledGroups().contains(group)) {
                if (several) {
                    continue;
                }
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED,
                        "not a member of " + group + ", whose capability set was requested", null));
            }
            if (capabilities.isEmpty() && !several) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                        "no capability set for " + group, null));
            }
            capabilities.ifPresent(out::addAll);
        }
        return new ArrayList<>(out);
    }

    private void addGroups(TokenProfile profile, List<String> scopes, Account account, JwtClaimsSet.Builder claims) {
        List<WlcgScope> parsed = new ArrayList<>(scopes.size());
        for (String scope : scopes) {
            try {
                parsed.add(WlcgScope.parse(scope));
            } catch (InvalidScopeException e) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                        e.getMessage(), null));
            }
        }
        GroupMemberships memberships = groups.membershipsOf(account.getId());
        List<String> selected;
        try {
            selected = WlcgGroupSelector.select(parsed, memberships.defaultGroups(), memberships.entitledGroups());
        } catch (GroupNotEntitledException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED,
                    "not a member of the requested group " + e.group(), null));
        }
        // INDIGO IAM's eduperson_entitlement scope: the AARC entitlements whatever the client's profile
        boolean entitlements = scopes.contains(WlcgClaimNames.ENTITLEMENT) && profile != TokenProfile.AARC;
        if (selected == null) {
            if (profile == TokenProfile.WLCG) {
                if (entitlements) {
                    mapper.addGroupClaims(TokenProfile.AARC, memberships.defaultGroups(), account.getUsername(),
                            claims::claim);
                }
                return;
            }
            selected = memberships.defaultGroups();
        }
        mapper.addGroupClaims(profile, selected, account.getUsername(), claims::claim);
        if (entitlements) {
            mapper.addGroupClaims(TokenProfile.AARC, selected, account.getUsername(), claims::claim);
        }
    }

    private static List<String> orderedScopes(JwtEncodingContext context) {
        String raw = null;
        OAuth2AuthorizationRequest request = context.getAuthorization() == null ? null
                : context.getAuthorization().getAttribute(OAuth2AuthorizationRequest.class.getName());
        if (request != null) {
            raw = RequestedScopeOrder.from(request.getAdditionalParameters());
        }
        return RequestedScopeOrder.order(context.getAuthorizedScopes(), raw);
    }

    private static List<String> audience(JwtEncodingContext context) {
        if (context.getAuthorizationGrant() instanceof OAuth2AuthorizationGrantAuthenticationToken grant) {
            List<String> requested = RequestedAudience.from(grant.getAdditionalParameters());
            if (!requested.isEmpty()) {
                return requested;
            }
        }
        OAuth2AuthorizationRequest request = context.getAuthorization() == null ? null
                : context.getAuthorization().getAttribute(OAuth2AuthorizationRequest.class.getName());
        return request == null ? List.of() : RequestedAudience.from(request.getAdditionalParameters());
    }

}
