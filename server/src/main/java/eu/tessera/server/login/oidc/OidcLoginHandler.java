package eu.tessera.server.login.oidc;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties.Oidc.Provider;
import eu.tessera.server.login.ExternalLogins;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;

/**
 * What happens after a login at an external OpenID provider (the ID token already validated by Spring Security:
 * signature from the provider's JWKS, issuer, audience, expiry, nonce). The provider's own authentication never
 * stays in the session: the identity (issuer, subject) goes to {@link ExternalLogins}, which links, logs in, creates
 * the account just in time (trusted providers) or prepares registration. Missing required claims refuse the login.
 */
@Component
public class OidcLoginHandler implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private final OidcProviders providers;
    private final ExternalLogins logins;
    private final AuditLog audit;

    public OidcLoginHandler(OidcProviders providers, ExternalLogins logins, AuditLog audit) {
        this.providers = providers;
        this.logins = logins;
        this.audit = audit;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
        OidcUser user = (OidcUser) token.getPrincipal();
        Provider provider = providers.provider(token.getAuthorizedClientRegistrationId()).orElseThrow();
        Object username = user.getClaims().get(provider.usernameClaim());
        logins.complete(new ExternalLogins.ExternalUser("OIDC", provider.name(), label(provider),
                String.valueOf(user.getIssuer()), user.getSubject(), null, user.getEmail(), user.getGivenName(),
                user.getFamilyName(), username instanceof String text ? text : null, provider.trusted(), "oidc",
                Map.of(), countsAsMfa(provider, user.getClaims())), missingClaim(provider, user.getClaims()), request,
                response);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        String code = exception instanceof OAuth2AuthenticationException oauth
                ? oauth.getError().getErrorCode() : "login_failed";
        audit.record("login.failure", "anonymous", null, Map.of("method", "oidc", "reason", code));
        ExternalLogins.problem(request, response, "The login with the external provider failed (" + code
                + "). Try again or log in another way.");
    }

    /** Whether the provider's ID token says it used MFA in a way its settings count ({@code acr} or {@code amr}). */
    static boolean countsAsMfa(Provider provider, Map<String, Object> claims) {
        if (claims.get("acr") instanceof String acr && provider.mfaAcrValues().contains(acr)) {
            return true;
        }
        return claims.get("amr") instanceof Collection<?> amr
                && amr.stream().map(String::valueOf).anyMatch(provider.mfaAmrValues()::contains);
    }

    static String missingClaim(Provider provider, Map<String, Object> claims) {
        return ExternalLogins.firstUnmet(provider.requiredClaims(), name -> {
            Object actual = claims.get(name);
            return actual instanceof Collection<?> list ? list : actual == null ? List.of() : List.of(actual);
        });
    }

    private static String label(Provider provider) {
        return provider.displayName() != null ? provider.displayName() : provider.name();
    }
}
