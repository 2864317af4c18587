package eu.tessera.server.oauth2.client;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * RFC 6749 section 2.3: "The client MUST NOT use more than one authentication method in each request." Runs before
 * Spring's client authentication converters (which would take the first method they find and ignore the rest):
 * HTTP Basic, {@code client_secret} in the body and a {@code client_assertion} (RFC 7523) together are
 * {@code invalid_request}. Otherwise it converts nothing and the next converter decides.
 */
public final class SingleAuthenticationMethodConverter implements AuthenticationConverter {

    @Override
    public Authentication convert(HttpServletRequest request) {
        int methods = 0;
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        // a Basic user with an empty password is a public client naming itself (oidc-agent), not a secret
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                && PublicClientGrantAuthenticationConverter.emptyPasswordBasicUser(authorization) == null) {
            methods++;
        }
        String secret = request.getParameter("client_secret");
        if (secret != null && !secret.isEmpty()) {
            methods++;
        }
        if (request.getParameter("client_assertion") != null) {
            methods++;
        }
        if (methods > 1) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "use one client authentication method per request (RFC 6749 section 2.3)", null));
        }
        return null;
    }
}
