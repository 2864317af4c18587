package eu.tessera.server.oauth2.token;

import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Refresh tokens for public clients in the authorization-code grant. Spring Authorization Server's code provider
 * never issues one to a client authenticated with {@code none}; RFC 9700 section 4.14.2 allows it when refresh
 * tokens are rotated with reuse detection, which Tessera's are, and INDIGO IAM and Keycloak issue them. After the
 * code redemption, a public client allowed the refresh grant that was granted {@code offline_access} gets one,
 * recorded on the same authorization (so the family, rotation and revocation apply as to any other).
 */
public final class PublicClientRefreshTokens implements AuthenticationProvider {

    private final AuthenticationProvider codeProvider;
    private final OAuth2AuthorizationService authorizations;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;

    public PublicClientRefreshTokens(AuthenticationProvider codeProvider, OAuth2AuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
        this.codeProvider = codeProvider;
        this.authorizations = authorizations;
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Authentication result = codeProvider.authenticate(authentication);
        if (!(result instanceof OAuth2AccessTokenAuthenticationToken issued) || issued.getRefreshToken() != null
                || !(issued.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)
                || !ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod())
                || !issued.getRegisteredClient().getAuthorizationGrantTypes().contains(
                        AuthorizationGrantType.REFRESH_TOKEN)
                || !issued.getAccessToken().getScopes().contains(OfflineAccessRefreshTokenGenerator.OFFLINE_ACCESS)) {
            return result;
        }
        OAuth2Authorization authorization = authorizations.findByToken(issued.getAccessToken().getTokenValue(),
                OAuth2TokenType.ACCESS_TOKEN);
        if (authorization == null) {
            return result;
        }
        OAuth2Token generated = tokens.generate(DefaultOAuth2TokenContext.builder()
                .registeredClient(issued.getRegisteredClient())
                .principal(authorization.getAttribute(java.security.Principal.class.getName()))
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorization(authorization)
                .authorizedScopes(authorization.getAuthorizedScopes())
                .tokenType(OAuth2TokenType.REFRESH_TOKEN)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrant(authentication)
                .build());
        if (!(generated instanceof OAuth2RefreshToken refreshToken)) {
            return result;
        }
        authorizations.save(OAuth2Authorization.from(authorization).refreshToken(refreshToken).build());
        Map<String, Object> additional = issued.getAdditionalParameters();
        return new OAuth2AccessTokenAuthenticationToken(issued.getRegisteredClient(), client, issued.getAccessToken(),
                refreshToken, additional);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return codeProvider.supports(authentication);
    }
}
