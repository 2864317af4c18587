package eu.tessera.server.oauth2.exchange;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Spring's token-exchange request parser (each parameter of RFC 8693 section 2.1, duplicates refused), with
 * an unsupported token type reported as {@code invalid_request} as section 2.2.2 lists it.
 */
public final class TokenExchangeRequestConverter implements AuthenticationConverter {

    private final AuthenticationConverter delegate;

    public TokenExchangeRequestConverter(AuthenticationConverter delegate) {
        this.delegate = delegate;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        try {
            return delegate.convert(request);
        } catch (OAuth2AuthenticationException e) {
            if ("unsupported_token_type".equals(e.getError().getErrorCode())) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                        e.getError().getDescription(), e.getError().getUri()));
            }
            throw e;
        }
    }
}
