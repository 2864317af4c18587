package eu.tessera.server.oauth2.device;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import eu.tessera.server.login.local.LoginThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * A failed device verification sends the user back to the code-entry page with a friendly message: denied
 * when they refused consent, throttled after too many wrong codes from one address, otherwise "code not valid
 * or expired". The operator log gets the error code.
 */
public final class DeviceVerificationErrorHandler implements AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(DeviceVerificationErrorHandler.class);

    private final LoginThrottle throttle;

    public DeviceVerificationErrorHandler(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        String code = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode()
                : exception.getClass().getSimpleName();
        log.info("device verification failed: {} ({})", code, exception.getMessage());
        if (OAuth2ErrorCodes.INVALID_GRANT.equals(code)) {
            // an unknown or expired user code: count it against the address (user codes are short)
            throttle.recordDeviceCodeFailure(request.getRemoteAddr());
        }
        String page = switch (code) {
            case OAuth2ErrorCodes.ACCESS_DENIED -> "/device?denied";
            case DeviceCodeEntryThrottle.THROTTLED -> "/device?throttled";
            default -> "/device?error";
        };
        response.sendRedirect(request.getContextPath() + page);
    }
}
