package eu.tessera.server.oauth2.device;

import eu.tessera.server.oauth2.authorization.JpaAuthorizationService;
import java.time.Duration;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationToken;

/**
 * The device-code grant (RFC 8628 section 3.4) with polling discipline: a client that polls sooner than the
 * interval gets {@code slow_down} (section 3.5) before the grant is evaluated; the rest
 * ({@code authorization_pending}, {@code access_denied}, {@code expired_token}) is Spring Authorization
 * Server's provider.
 */
public final class DeviceCodePollingProvider implements AuthenticationProvider {

    /** The polling interval clients are told (RFC 8628 default) and the tolerance for timer jitter. */
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration ENFORCED = INTERVAL.minusSeconds(1);

    private final AuthenticationProvider delegate;
    private final JpaAuthorizationService authorizations;

    public DeviceCodePollingProvider(AuthenticationProvider delegate, JpaAuthorizationService authorizations) {
        this.delegate = delegate;
        this.authorizations = authorizations;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2DeviceCodeAuthenticationToken request = (OAuth2DeviceCodeAuthenticationToken) authentication;
        if (authorizations.pollTooFast(request.getDeviceCode(), ENFORCED)) {
            throw new OAuth2AuthenticationException(new OAuth2Error("slow_down",
                    "polling too fast: wait at least " + INTERVAL.toSeconds() + " s more between requests",
                    "https://datatracker.ietf.org/doc/html/rfc8628#section-3.5"));
        }
        return delegate.authenticate(authentication);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2DeviceCodeAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
