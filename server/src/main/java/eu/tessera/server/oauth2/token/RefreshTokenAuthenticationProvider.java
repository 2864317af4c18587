package eu.tessera.server.oauth2.token;

import eu.tessera.policy.InvalidScopeException;
import eu.tessera.policy.scope.ClientScopeMatcher;
import java.security.Principal;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * The refresh-token grant (RFC 6749 section 6) with WLCG down-scoping: a requested scope must be covered by the
 * family's scopes, and a storage scope may narrow a granted path ({@code oidc-token -s storage.read:/escape/cms}
 * with {@code storage.read:/escape} granted), never widen it. The family keeps its scopes; the refresh token is
 * rotated on every use (the store handles grace and reuse detection); an ID token is issued when openid was
 * granted.
 */
public final class RefreshTokenAuthenticationProvider implements AuthenticationProvider {

    private final OAuth2AuthorizationService authorizations;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;

    public RefreshTokenAuthenticationProvider(OAuth2AuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
        this.authorizations = authorizations;
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
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

        OAuth2TokenContext accessContext = context.tokenType(OAuth2TokenType.ACCESS_TOKEN).build();
        OAuth2Token generated = tokens.generate(accessContext);
        if (!(generated instanceof Jwt jwt)) {
            throw serverError("access token");
        }
        OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                jwt.getTokenValue(), jwt.getIssuedAt(), jwt.getExpiresAt(), scopes);
        updated.token(accessToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                jwt.getClaims()));

        OAuth2Token refresh = tokens.generate(context.tokenType(OAuth2TokenType.REFRESH_TOKEN)
                .authorization(updated.build()).build());
        OAuth2RefreshToken refreshToken = refresh instanceof OAuth2RefreshToken rotated ? rotated
                : authorization.getRefreshToken().getToken();
        updated.refreshToken(refreshToken);

        Map<String, Object> additional = new HashMap<>();
        if (familyScopes.contains("openid")) {
            OAuth2Token id = tokens.generate(context.tokenType(new OAuth2TokenType(OidcParameterNames.ID_TOKEN))
                    .authorization(updated.build()).build());
            if (!(id instanceof Jwt idJwt)) {
                throw serverError("ID token");
            }
            OidcIdToken idToken = new OidcIdToken(idJwt.getTokenValue(), idJwt.getIssuedAt(), idJwt.getExpiresAt(),
                    idJwt.getClaims());
            updated.token(idToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                    idToken.getClaims()));
            additional.put(OidcParameterNames.ID_TOKEN, idToken.getTokenValue());
        }
        authorizations.save(updated.build());
        return new OAuth2AccessTokenAuthenticationToken(registered, client, accessToken, refreshToken, additional);
    }

    private static OAuth2AuthenticationException serverError(String what) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR,
                "could not generate the " + what, null));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2RefreshTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
