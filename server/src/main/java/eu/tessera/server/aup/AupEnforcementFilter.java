package eu.tessera.server.aup;

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
 * Sends a signed-in user whose AUP signature is missing or expired, or who has not signed the addendum of one of
 * their VOs ({@link VoAupService}), to {@code /aup} before an authorization,
 * consent or device-verification page goes on (the request is saved and resumed after signing). Tokens are
 * refused at the token endpoint too ({@code WlcgAccessTokenCustomizer}), so no user-bound token escapes.
 */
public class AupEnforcementFilter extends OncePerRequestFilter {

    private static final Set<String> GUARDED = Set.of("/authorize", "/oauth2/consent", "/device", "/device/verify",
            "/");

    private final AupService aup;
    private final VoAupService addenda;
    private final HttpSessionRequestCache requests = requestCache();

    public AupEnforcementFilter(AupService aup, VoAupService addenda) {
        this.aup = aup;
        this.addenda = addenda;
    }

    static HttpSessionRequestCache requestCache() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setSessionAttrName("TESSERA_AUP_SAVED_REQUEST");
        cache.setMatchingRequestParameterName(null);
        return cache;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !GUARDED.contains(request.getServletPath());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user != null && user.isAuthenticated() && user.getPrincipal()
                instanceof org.springframework.security.core.userdetails.UserDetails && (aup.mustSign(user.getName())
                || !addenda.toSign(user.getName()).isEmpty())) {
            if ("GET".equals(request.getMethod())) {
                requests.saveRequest(request, response);
            }
            response.sendRedirect(request.getContextPath() + "/aup");
            return;
        }
        chain.doFilter(request, response);
    }
}
