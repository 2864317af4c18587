package eu.tessera.server.oauth2.exchange;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Spring's token-exchange request parser (each parameter of RFC 8693 section 2.1, duplicates refused), extended
 * to accept {@code requested_token_type} refresh_token, and with an unsupported token type reported as
 * {@code invalid_request} as section 2.2.2 lists it.
 */
public final class TokenExchangeRequestConverter implements AuthenticationConverter {

    private final AuthenticationConverter delegate;

    public TokenExchangeRequestConverter(AuthenticationConverter delegate) {
        this.delegate = delegate;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (!TokenExchangeAuthenticationProvider.GRANT.equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
            return null;
        }
        // section 2.2.2: an unacceptable resource is invalid_target
        String[] resources = request.getParameterValues(OAuth2ParameterNames.RESOURCE);
        if (resources != null) {
            for (String resource : resources) {
                if (!isAbsoluteWithoutFragment(resource)) {
                    throw new OAuth2AuthenticationException(new OAuth2Error("invalid_target",
                            "resource must be an absolute URI without a fragment", null));
                }
            }
        }
        String[] requested = request.getParameterValues(OAuth2ParameterNames.REQUESTED_TOKEN_TYPE);
        boolean refresh = requested != null && requested.length == 1
                && TokenExchangeAuthenticationProvider.REFRESH_TOKEN_TYPE.equals(requested[0]);
        try {
            Authentication converted = delegate.convert(refresh ? asAccessTokenRequest(request) : request);
            if (refresh && converted instanceof OAuth2TokenExchangeAuthenticationToken token) {
                return new OAuth2TokenExchangeAuthenticationToken(TokenExchangeAuthenticationProvider.REFRESH_TOKEN_TYPE,
                        token.getSubjectToken(), token.getSubjectTokenType(), (Authentication) token.getPrincipal(),
                        token.getActorToken(), token.getActorTokenType(), token.getResources(), token.getAudiences(),
                        token.getScopes(), token.getAdditionalParameters());
            }
            return converted;
        } catch (OAuth2AuthenticationException e) {
            if ("unsupported_token_type".equals(e.getError().getErrorCode())) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                        e.getError().getDescription(), e.getError().getUri()));
            }
            throw e;
        }
    }

    private static boolean isAbsoluteWithoutFragment(String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            return uri.isAbsolute() && uri.getFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** The same request, asking for an access token, so Spring's parser validates everything else. */
    private static HttpServletRequest asAccessTokenRequest(HttpServletRequest request) {
        Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
        parameters.put(OAuth2ParameterNames.REQUESTED_TOKEN_TYPE,
                new String[] {TokenExchangeAuthenticationProvider.ACCESS_TOKEN_TYPE});
        return new HttpServletRequestWrapper(request) {
            @Override
            public Map<String, String[]> getParameterMap() {
                return parameters;
            }

            @Override
            public String[] getParameterValues(String name) {
                return parameters.get(name);
            }

            @Override
            public String getParameter(String name) {
                String[] values = parameters.get(name);
                return values == null || values.length == 0 ? null : values[0];
            }
        };
    }
}
