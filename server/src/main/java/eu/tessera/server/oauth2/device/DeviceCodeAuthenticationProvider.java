package eu.tessera.server.oauth2.device;

import eu.tessera.server.oauth2.authorization.JpaAuthorizationService;
import eu.tessera.server.oauth2.token.TokenIssuer;
import java.security.Principal;
import java.time.Duration;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
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

    private static final OAuth2TokenType DEVICE_CODE = new OAuth2TokenType(OAuth2ParameterNames.DEVICE_CODE);
    private final JpaAuthorizationService authorizations;
    private final TokenIssuer issuer;

    public DeviceCodeAuthenticationProvider(JpaAuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
        this.authorizations = authorizations;
        this.issuer = new TokenIssuer(tokens);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2DeviceCodeAuthenticationToken request = (OAuth2DeviceCodeAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient registered = client.getRegisteredClient();
        switch (authorizations.pollDevice(request.getDeviceCode(), registered.getId(), ENFORCED)) {
            case UNKNOWN -> throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
            case OTHER_CLIENT -> {
                // a code presented by another client is burnt
                OAuth2Authorization stolen = authorizations.findByToken(request.getDeviceCode(), DEVICE_CODE);
                if (stolen != null) {
                    authorizations.save(OAuth2Authorization.from(stolen)
                            .invalidate(stolen.getToken(OAuth2DeviceCode.class).getToken()).build());
                }
                throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
            }
            case EXPIRED -> throw error("expired_token", null);
            case TOO_FAST -> throw error("slow_down", "polling too fast: wait at least " + INTERVAL.toSeconds()
                    + " s more between requests");
            case PENDING -> throw error("authorization_pending", null);
            case DECIDED -> {
                // the user decided: load the authorization
            }
        }
        OAuth2Authorization authorization = authorizations.findByToken(request.getDeviceCode(), DEVICE_CODE);
        if (authorization == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
        }
        OAuth2Authorization.Token<OAuth2DeviceCode> deviceCode = authorization.getToken(OAuth2DeviceCode.class);
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

        TokenIssuer.Issued issued = issuer.issue(context, updated, authorization.getAuthorizedScopes(),
                registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN), null,
                authorization.getAuthorizedScopes().contains("openid"));
        authorizations.save(updated.build());
        return new OAuth2AccessTokenAuthenticationToken(registered, client, issued.accessToken(),
                issued.refreshToken(), issued.additionalParameters());
    }

    private static OAuth2AuthenticationException error(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, ERROR_URI));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2DeviceCodeAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
