package eu.tessera.server.oauth2.token;

import eu.tessera.server.account.AccountStatusCache;
import eu.tessera.server.config.TesseraProperties;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.authentication.AuthenticationProvider;

/**
 * Token introspection (RFC 7662) for the clients allowed to introspect. An access token is judged from the
 * JWT, the deny-list and cached account and client status, with no database read; a refresh token is looked
 * up. Anything not valid gets {@code {"active": false}} and nothing else (RFC 7662 section 2.2).
 */
public final class TokenIntrospectionAuthenticationProvider implements AuthenticationProvider {

    /** Token claims copied into the response besides the standard ones: the profiles' group claims. */
    private static final List<String> GROUP_CLAIMS = List.of(WlcgClaimNames.GROUPS, WlcgClaimNames.ENTITLEMENT,
            WlcgClaimNames.IAM_GROUPS, WlcgClaimNames.VERSION);
    private static final Set<String> ADMIN_SCOPES = Set.of("iam:admin.read", "iam:admin.write");

    private final AccessTokenVerifier accessTokens;
    private final OAuth2AuthorizationService authorizations;
    private final RegisteredClientRepository clients;
    private final AccountStatusCache accounts;
    private final TesseraProperties properties;
    private final Clock clock;

    public TokenIntrospectionAuthenticationProvider(AccessTokenVerifier accessTokens,
            OAuth2AuthorizationService authorizations, RegisteredClientRepository clients,
            AccountStatusCache accounts, TesseraProperties properties, Clock clock) {
        this.accessTokens = accessTokens;
        this.authorizations = authorizations;
        this.clients = clients;
        this.accounts = accounts;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2TokenIntrospectionAuthenticationToken request = (OAuth2TokenIntrospectionAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken caller) || !caller.isAuthenticated()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        if (!mayIntrospect(caller)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
                    "this client is not allowed to introspect tokens", null));
        }
        String token = request.getToken();
        String hint = request.getTokenTypeHint();
        OAuth2TokenIntrospection claims = null;
        if (!OAuth2TokenType.REFRESH_TOKEN.getValue().equals(hint)) {
            claims = accessTokenClaims(token).orElse(null);
        }
        if (claims == null) {
            claims = refreshTokenClaims(token).orElseGet(() -> OAuth2TokenIntrospection.builder().build());
        }
        return new OAuth2TokenIntrospectionAuthenticationToken(token, caller, claims);
    }

    private boolean mayIntrospect(OAuth2ClientAuthenticationToken caller) {
        RegisteredClient client = caller.getRegisteredClient();
        TesseraProperties.Introspection settings = properties.introspection();
        return client.getScopes().stream().anyMatch(ADMIN_SCOPES::contains)
                || settings.clients().contains(client.getClientId())
                || settings.allowConfidentialClients()
                        && !ClientAuthenticationMethod.NONE.equals(caller.getClientAuthenticationMethod());
    }

    private Optional<OAuth2TokenIntrospection> accessTokenClaims(String token) {
        Optional<AccessTokenVerifier.VerifiedToken> verified = accessTokens.verify(token);
        if (verified.isEmpty()) {
            return Optional.empty();
        }
        AccessTokenVerifier.VerifiedToken jwt = verified.get();
        if (clients.findByClientId(jwt.clientId()) == null) {
            return Optional.empty();
        }
        String username = null;
        if (!jwt.subject().equals(jwt.clientId())) {
            Optional<AccountStatusCache.AccountStatus> account = accounts.status(jwt.subject());
            if (account.isEmpty() || !account.get().usable()) {
                return Optional.empty();
            }
            username = account.get().username();
        }
        Map<String, Object> source = jwt.claims();
        OAuth2TokenIntrospection.Builder builder = OAuth2TokenIntrospection.builder(true)
                .tokenType("Bearer")
                .clientId(jwt.clientId())
                .subject(jwt.subject())
                .issuer(properties.issuer())
                .id(jwt.jti())
                .issuedAt(jwt.issuedAt())
                .expiresAt(jwt.expiresAt())
                .scopes(scopes -> scopes.addAll(jwt.scopes()));
        if (source.get("nbf") instanceof java.time.Instant nbf) {
            builder.notBefore(nbf);
        }
        Object aud = source.get("aud");
        if (aud instanceof String single) {
            builder.audience(single);
        } else if (aud instanceof List<?> list) {
            builder.audiences(audiences -> list.forEach(a -> audiences.add(String.valueOf(a))));
        }
        if (username != null) {
            builder.username(username);
        }
        for (String name : GROUP_CLAIMS) {
            if (source.containsKey(name)) {
                builder.claim(name, source.get(name));
            }
        }
        return Optional.of(builder.build());
    }

    private Optional<OAuth2TokenIntrospection> refreshTokenClaims(String token) {
        OAuth2Authorization authorization = authorizations.findByToken(token, OAuth2TokenType.REFRESH_TOKEN);
        if (authorization == null || authorization.getRefreshToken() == null) {
            return Optional.empty();
        }
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        if (!refresh.getToken().getTokenValue().equals(token) || !refresh.isActive()
                || refresh.getToken().getExpiresAt() != null
                && !refresh.getToken().getExpiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        Optional<AccountStatusCache.AccountStatus> account = accounts.status(authorization.getPrincipalName());
        if (client == null || account.isEmpty() || !account.get().usable()) {
            return Optional.empty();
        }
        OAuth2TokenIntrospection.Builder builder = OAuth2TokenIntrospection.builder(true)
                .tokenType("refresh_token")
                .clientId(client.getClientId())
                .subject(authorization.getPrincipalName())
                .username(account.get().username())
                .issuer(properties.issuer())
                .issuedAt(refresh.getToken().getIssuedAt())
                .scopes(scopes -> scopes.addAll(authorization.getAuthorizedScopes()));
        if (refresh.getToken().getExpiresAt() != null) {
            builder.expiresAt(refresh.getToken().getExpiresAt());
        }
        return Optional.of(builder.build());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2TokenIntrospectionAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
