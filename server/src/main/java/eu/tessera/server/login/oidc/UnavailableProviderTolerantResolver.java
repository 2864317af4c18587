package eu.tessera.server.login.oidc;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * Spring Security answers a login at an unknown provider, or one whose discovery fails, with a bare 500. This
 * resolver lets such a request through to {@link OidcLinkController}, which explains it on a page instead. It also
 * asks the provider for MFA ({@code acr_values=https://refeds.org/profile/mfa}) when the provider's settings say so
 * or the authorization waiting for this login asked Tessera for it.
 */
public class UnavailableProviderTolerantResolver implements OAuth2AuthorizationRequestResolver {

    private final OAuth2AuthorizationRequestResolver delegate;
    private final java.util.function.Predicate<String> requestMfa;

    /** @param requestMfa whether a provider (by registration id) is always asked for MFA */
    public UnavailableProviderTolerantResolver(OAuth2AuthorizationRequestResolver delegate,
            java.util.function.Predicate<String> requestMfa) {
        this.delegate = delegate;
        this.requestMfa = requestMfa;
    }

    @Override
    public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
        try {
            return withMfa(request, delegate.resolve(request));
        } catch (IllegalArgumentException unavailable) {
            return null;
        }
    }

    @Override
    public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String clientRegistrationId) {
        try {
            return withMfa(request, delegate.resolve(request, clientRegistrationId));
        } catch (IllegalArgumentException unavailable) {
            return null;
        }
    }

    private OAuth2AuthorizationRequest withMfa(HttpServletRequest request, OAuth2AuthorizationRequest resolved) {
        if (resolved == null) {
            return null;
        }
        Object registration = resolved.getAttributes().get(
                org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames.REGISTRATION_ID);
        boolean ask = registration instanceof String id && requestMfa.test(id)
                || eu.tessera.server.login.mfa.SecondFactor.waitingRequestAsksForMfa(request, null);
        return !ask ? resolved : OAuth2AuthorizationRequest.from(resolved).additionalParameters(parameters ->
                parameters.put("acr_values", eu.tessera.server.login.mfa.AuthenticationMethods.ACR_MFA)).build();
    }
}
