package eu.tessera.server.oauth2.scope;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Applies the scope policies to an authorization request once the user is known: scopes the account may not
 * get are removed before consent, so the consent page, the code and the token response's {@code scope} all
 * show exactly what is granted (nothing is dropped silently).
 */
public final class ScopePolicyAuthorizationRequestConverter implements AuthenticationConverter {

    private final AuthenticationConverter delegate;
    private final ScopePolicyService policies;

    public ScopePolicyAuthorizationRequestConverter(AuthenticationConverter delegate, ScopePolicyService policies) {
        this.delegate = delegate;
        this.policies = policies;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        Authentication converted = delegate.convert(request);
        if (!(converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken token)
                || !(token.getPrincipal() instanceof Authentication user) || !user.isAuthenticated()
                || user instanceof AnonymousAuthenticationToken || token.getScopes().isEmpty()) {
            return converted;
        }
        var decision = policies.decide(user.getName(), token.getScopes());
        if (decision.denied().isEmpty()) {
            return converted;
        }
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(token.getAuthorizationUri(), token.getClientId(),
                user, token.getRedirectUri(), token.getState(), new LinkedHashSet<>(decision.granted()),
                token.getAdditionalParameters());
    }
}
