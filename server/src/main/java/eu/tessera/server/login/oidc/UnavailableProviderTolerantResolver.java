package eu.tessera.server.login.oidc;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * Spring Security answers a login at an unknown provider, or one whose discovery fails, with a bare 500. This
 * resolver lets such a request through to {@link OidcLinkController}, which explains it on a page instead.
 */
public class UnavailableProviderTolerantResolver implements OAuth2AuthorizationRequestResolver {

    private final OAuth2AuthorizationRequestResolver delegate;

    public UnavailableProviderTolerantResolver(OAuth2AuthorizationRequestResolver delegate) {
        this.delegate = delegate;
    }

    @Override
    public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
        try {
            return delegate.resolve(request);
        } catch (IllegalArgumentException unavailable) {
            return null;
        }
    }

    @Override
    public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String clientRegistrationId) {
        try {
            return delegate.resolve(request, clientRegistrationId);
        } catch (IllegalArgumentException unavailable) {
            return null;
        }
    }
}
