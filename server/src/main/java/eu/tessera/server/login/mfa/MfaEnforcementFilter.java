package eu.tessera.server.login.mfa;

import eu.tessera.server.login.local.AccountUserDetails;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The second factor after every first factor (password, X.509, external OpenID provider, SAML): a browser session
 * whose account has an authenticator goes no further than {@code /login/mfa} until a code was entered; one whose
 * account must have a second factor by policy ({@code tessera.mfa.*}) and has none, or whose client asked for it
 * ({@code acr_values=https://refeds.org/profile/mfa}), is taken to enrolment ({@code /account/mfa}). The request is
 * saved and resumed afterwards. Other requests of such a session are refused (403).
 *
 * <p>On the authorization server's chain it guards the pages a session reaches there (authorize, consent, device
 * verification); machine endpoints carry no session.
 */
public class MfaEnforcementFilter extends OncePerRequestFilter {

    /** Reachable before the second factor: the login pages, sign-out, static files, the error page. */
    private static final Set<String> OPEN = Set.of("/login", "/login/mfa", "/logout", "/error", "/favicon.ico",
            "/login/webauthn", "/webauthn/authenticate/options");
    /** Setting up a first second factor: an authenticator app or a passkey. */
    private static final Set<String> ENROLMENT = Set.of("/account/mfa", "/account/mfa/totp",
            "/account/mfa/totp/confirm", "/webauthn/register/options", "/webauthn/register");

    private final MfaService mfa;
    private final Set<String> guarded;
    private final HttpSessionRequestCache requests = SecondFactor.requestCache();

    /**
     * @param guarded the paths to guard, or null for all (the browser pages' chain)
     */
    public MfaEnforcementFilter(MfaService mfa, Set<String> guarded) {
        this.mfa = mfa;
        this.guarded = guarded;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getServletPath();
        if (guarded != null) {
            return !guarded.contains(path);
        }
        return OPEN.contains(path) || path.startsWith("/css/") || path.startsWith("/js/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user == null || !user.isAuthenticated() || !(user.getPrincipal() instanceof AccountUserDetails)
                || SecondFactor.present(user)) {
            chain.doFilter(request, response);
            return;
        }
        String account = user.getName();
        if (mfa.enrolled(account)) {
            stop(request, response, "/login/mfa");
            return;
        }
        boolean adminOrReader = eu.tessera.server.account.AccountRoles.adminOrReader(user);
        boolean stepUp = "/authorize".equals(request.getServletPath())
                && AuthenticationMethods.asksForMfa(request.getParameter("acr_values"));
        if ((stepUp || mfa.required(account, adminOrReader)) && !ENROLMENT.contains(request.getServletPath())) {
            stop(request, response, stepUp ? "/account/mfa?stepup" : "/account/mfa?required");
            return;
        }
        chain.doFilter(request, response);
    }

    private void stop(HttpServletRequest request, HttpServletResponse response, String page) throws IOException {
        if ("GET".equals(request.getMethod())) {
            requests.saveRequest(request, response);
            response.sendRedirect(request.getContextPath() + page);
        } else {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "a second factor is needed first");
        }
    }
}
