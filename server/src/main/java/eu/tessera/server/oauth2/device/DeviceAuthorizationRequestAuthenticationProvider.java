package eu.tessera.server.oauth2.device;

import eu.tessera.policy.InvalidScopeException;
import eu.tessera.policy.scope.ClientScopeMatcher;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * The device authorization request (RFC 8628 section 3.1-3.2). Unlike Spring Authorization Server's own
 * provider it accepts {@code openid} (oidc-agent asks for it) and narrows storage paths like every other grant
 * ({@link ClientScopeMatcher}). Device codes have 256 bits of entropy; user codes are 8 characters from the
 * 20 consonants {@code BCDFGHJKLMNPQRSTVWXZ} (section 6.1), shown as {@code XXXX-XXXX}.
 */
public final class DeviceAuthorizationRequestAuthenticationProvider implements AuthenticationProvider {

    static final String USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OAuth2AuthorizationService authorizations;
    private final Clock clock;

    public DeviceAuthorizationRequestAuthenticationProvider(OAuth2AuthorizationService authorizations, Clock clock) {
        this.authorizations = authorizations;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2DeviceAuthorizationRequestAuthenticationToken request =
                (OAuth2DeviceAuthorizationRequestAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient registered = client.getRegisteredClient();
        // section 3.1: the client must be allowed the device grant
        if (!registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.DEVICE_CODE)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
                    "the client is not registered for the device code grant", null));
        }
        Set<String> scopes = new LinkedHashSet<>(request.getScopes());
        try {
            ClientScopeMatcher.of(registered.getScopes()).grant(scopes);
        } catch (InvalidScopeException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, e.getMessage(),
                    null));
        }
        Instant now = clock.instant();
        Instant expires = now.plus(registered.getTokenSettings().getDeviceCodeTimeToLive());
        OAuth2DeviceCode deviceCode = new OAuth2DeviceCode(deviceCode(), now, expires);
        OAuth2UserCode userCode = new OAuth2UserCode(userCode(), now, expires);
        authorizations.save(OAuth2Authorization.withRegisteredClient(registered)
                .principalName(client.getName())
                .authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
                .token(deviceCode)
                .token(userCode)
                .attribute(OAuth2ParameterNames.SCOPE, scopes)
                .build());
        return new OAuth2DeviceAuthorizationRequestAuthenticationToken(client, scopes, deviceCode, userCode);
    }

    private static String deviceCode() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String userCode() {
        StringBuilder code = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                code.append('-');
            }
            code.append(USER_CODE_ALPHABET.charAt(RANDOM.nextInt(USER_CODE_ALPHABET.length())));
        }
        return code.toString();
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2DeviceAuthorizationRequestAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
