package eu.tessera.server.oauth2.device;

import eu.tessera.server.oauth2.authorization.JpaAuthorizationService;
import java.security.Principal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * The device-code grant (RFC 8628 section 3.4-3.5): {@code slow_down} for a client that polls sooner than the
 * interval, {@code authorization_pending} until the user decides, {@code access_denied}, {@code expired_token};
 * then an access token, a refresh token only when {@code offline_access} was granted, and an ID token for
 * {@code openid}. (Spring Authorization Server's provider insists on a refresh token for every client allowed
 * the refresh grant, and has no slow_down.)
 */
public final class DeviceCodeAuthenticationProvider implements AuthenticationProvider {

    /** The polling interval clients are told (RFC 8628 default) and the tolerance for timer jitter. */
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration ENFORCED = INTERVAL.minusSeconds(1);
    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc8628#section-3.5";

    private final JpaAuthorizationService authorizations;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;

    public DeviceCodeAuthenticationProvider(JpaAuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
        this.authorizations = authorizations;
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2DeviceCodeAuthenticationToken request = (OAuth2DeviceCodeAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient registered = client.getRegisteredClient();
        OAuth2Authorization authorization = authorizations.findByToken(request.getDeviceCode(),
                new OAuth2TokenType(OAuth2ParameterNames.DEVICE_CODE));
        if (authorization == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
        }
        OAuth2Authorization.Token<OAuth2DeviceCode> deviceCode = authorization.getToken(OAuth2DeviceCode.class);
        OAuth2Authorization.Token<OAuth2UserCode> userCode = authorization.getToken(OAuth2UserCode.class);
        if (!registered.getId().equals(authorization.getRegisteredClientId())) {
            authorizations.save(OAuth2Authorization.from(authorization).invalidate(deviceCode.getToken()).build());
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
        }
        if (deviceCode.isExpired()) {
            throw error("expired_token", null);
        }
        if (authorizations.pollTooFast(request.getDeviceCode(), ENFORCED)) {
            throw error("slow_down", "polling too fast: wait at least " + INTERVAL.toSeconds()
                    + " s more between requests");
        }
        if (!userCode.isInvalidated()) {
            throw error("authorization_pending", null);
        }
        if (deviceCode.isInvalidated()) {
            // the user denied, or the code was already exchanged
            throw error(OAuth2ErrorCodes.ACCESS_DENIED, null);
        }

        DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
                .registeredClient(registered)
                .principal(authorization.getAttribute(Principal.class.getName()))
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorization(authorization)
                .authorizedScopes(authorization.getAuthorizedScopes())
                .authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
                .authorizationGrant(request);
        // the device code is used once
        OAuth2Authorization.Builder updated = OAuth2Authorization.from(authorization).invalidate(deviceCode.getToken());

        OAuth2Token generated = tokens.generate(context.tokenType(OAuth2TokenType.ACCESS_TOKEN).build());
        if (!(generated instanceof Jwt jwt)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR,
                    "could not generate the access token", null));
        }
        OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                jwt.getTokenValue(), jwt.getIssuedAt(), jwt.getExpiresAt(), authorization.getAuthorizedScopes());
        updated.token(accessToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                jwt.getClaims()));

        OAuth2RefreshToken refreshToken = null;
        if (registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)
                && tokens.generate(context.tokenType(OAuth2TokenType.REFRESH_TOKEN).build())
                        instanceof OAuth2RefreshToken refresh) {
            refreshToken = refresh;
            updated.refreshToken(refreshToken);
        }
        Map<String, Object> additional = new HashMap<>();
        if (authorization.getAuthorizedScopes().contains("openid")) {
            OAuth2Token id = tokens.generate(context.tokenType(new OAuth2TokenType(OidcParameterNames.ID_TOKEN))
                    .authorization(updated.build()).build());
            if (id instanceof Jwt idJwt) {
                OidcIdToken idToken = new OidcIdToken(idJwt.getTokenValue(), idJwt.getIssuedAt(),
                        idJwt.getExpiresAt(), idJwt.getClaims());
                updated.token(idToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                        idToken.getClaims()));
                additional.put(OidcParameterNames.ID_TOKEN, idToken.getTokenValue());
            }
        }
        authorizations.save(updated.build());
        return new OAuth2AccessTokenAuthenticationToken(registered, client, accessToken, refreshToken, additional);
    }

    private static OAuth2AuthenticationException error(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, ERROR_URI));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2DeviceCodeAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
