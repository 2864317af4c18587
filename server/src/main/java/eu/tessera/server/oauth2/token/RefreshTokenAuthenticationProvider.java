package eu.tessera.server.oauth2.token;

import eu.tessera.policy.InvalidScopeException;
import eu.tessera.policy.scope.ClientScopeMatcher;
import eu.tessera.server.oauth2.authorization.JpaAuthorizationService;
import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * The refresh-token grant (RFC 6749 section 6) with WLCG down-scoping: a requested scope must be covered by the
 * family's scopes, and a storage scope may narrow a granted path ({@code oidc-token -s storage.read:/escape/cms}
 * with {@code storage.read:/escape} granted), never widen it. The family keeps its scopes; the refresh token is
 * rotated on every use (the store handles grace and reuse detection); an ID token is issued when openid was
 * granted.
 */
public final class RefreshTokenAuthenticationProvider implements AuthenticationProvider {

    private final JpaAuthorizationService authorizations;
    private final TokenIssuer issuer;

    public RefreshTokenAuthenticationProvider(JpaAuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
        this.authorizations = authorizations;
        this.issuer = new TokenIssuer(tokens);
    }

    /** The whole grant in one transaction (bench/refresh.sh: one commit instead of six). */
    @Override
    public Authentication authenticate(Authentication authentication) {
        return authorizations.inOneTransaction(() -> refresh(authentication));
    }

    private Authentication refresh(Authentication authentication) {
        OAuth2RefreshTokenAuthenticationToken request = (OAuth2RefreshTokenAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient registered = client.getRegisteredClient();
        OAuth2Authorization authorization = authorizations.findByToken(request.getRefreshToken(),
                OAuth2TokenType.REFRESH_TOKEN);
        // section 5.2: invalid, expired, revoked, or issued to another client
        if (authorization == null || !registered.getId().equals(authorization.getRegisteredClientId())
                || !authorization.getRefreshToken().isActive()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
        }
        if (!registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT);
        }
        // section 6: the scope MUST NOT include any scope not originally granted; omitted = as granted
        Set<String> familyScopes = authorization.getAuthorizedScopes();
        Set<String> scopes = request.getScopes().isEmpty() ? familyScopes : new LinkedHashSet<>(request.getScopes());
        try {
            ClientScopeMatcher.of(familyScopes).grant(scopes);
        } catch (InvalidScopeException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                    "not granted to this refresh token: " + e.scope(), null));
        }

        DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
                .registeredClient(registered)
                .principal(authorization.getAttribute(Principal.class.getName()))
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorization(authorization)
                .authorizedScopes(scopes)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .authorizationGrant(request);
        OAuth2Authorization.Builder updated = OAuth2Authorization.from(authorization);

        TokenIssuer.Issued issued = issuer.issue(context, updated, scopes, true,
                authorization.getRefreshToken().getToken(), familyScopes.contains("openid"));
        authorizations.save(updated.build());
        return new OAuth2AccessTokenAuthenticationToken(registered, client, issued.accessToken(),
                issued.refreshToken(), issued.additionalParameters());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2RefreshTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
