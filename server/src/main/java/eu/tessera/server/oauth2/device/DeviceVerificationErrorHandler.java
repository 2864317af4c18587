package eu.tessera.server.oauth2.device;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * A failed device verification sends the user back to the code-entry page with a friendly message: denied
 * when they refused consent, otherwise "code not valid or expired". The operator log gets the error code.
 */
public final class DeviceVerificationErrorHandler implements AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(DeviceVerificationErrorHandler.class);

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        String code = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode()
                : exception.getClass().getSimpleName();
        log.info("device verification failed: {} ({})", code, exception.getMessage());
        response.sendRedirect(request.getContextPath()
                + (OAuth2ErrorCodes.ACCESS_DENIED.equals(code) ? "/device?denied" : "/device?error"));
    }
}
