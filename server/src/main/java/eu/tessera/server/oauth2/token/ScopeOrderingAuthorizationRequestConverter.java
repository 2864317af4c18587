package eu.tessera.server.oauth2.token;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Wraps the authorization-request converter to remember the raw {@code scope} parameter, whose order the
 * WLCG group claim follows ({@link RequestedScopeOrder}). A client-supplied value under the same key is replaced.
 */
public final class ScopeOrderingAuthorizationRequestConverter implements AuthenticationConverter {

    private final AuthenticationConverter delegate;

    public ScopeOrderingAuthorizationRequestConverter(AuthenticationConverter delegate) {
        this.delegate = delegate;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        Authentication converted = delegate.convert(request);
        if (!(converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken token)) {
            return converted;
        }
        Map<String, Object> parameters = new LinkedHashMap<>(token.getAdditionalParameters());
        parameters.remove(RequestedScopeOrder.PARAMETER);
        String scope = request.getParameter(OAuth2ParameterNames.SCOPE);
        if (scope != null) {
            parameters.put(RequestedScopeOrder.PARAMETER, scope);
        }
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(token.getAuthorizationUri(), token.getClientId(),
                (Authentication) token.getPrincipal(), token.getRedirectUri(), token.getState(), token.getScopes(),
                parameters);
    }
}
