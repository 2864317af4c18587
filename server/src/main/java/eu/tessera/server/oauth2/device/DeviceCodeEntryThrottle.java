package eu.tessera.server.oauth2.device;

import eu.tessera.server.login.local.LoginThrottle;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Refuses user-code verification from an address that entered too many wrong codes (RFC 8628 section 5.1:
 * user codes are guessable without rate limiting). Wraps the verification request converter.
 */
public final class DeviceCodeEntryThrottle implements AuthenticationConverter {

    /** Error code that sends the user to the "too many attempts" page. */
    static final String THROTTLED = "tessera_throttled";

    private final AuthenticationConverter delegate;
    private final LoginThrottle throttle;

    public DeviceCodeEntryThrottle(AuthenticationConverter delegate, LoginThrottle throttle) {
        this.delegate = delegate;
        this.throttle = throttle;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        Authentication converted = delegate.convert(request);
        if (converted != null && throttle.isDeviceCodeEntryLocked(request.getRemoteAddr())) {
            throw new OAuth2AuthenticationException(new OAuth2Error(THROTTLED,
                    "too many wrong codes from this address", null));
        }
        return converted;
    }
}
