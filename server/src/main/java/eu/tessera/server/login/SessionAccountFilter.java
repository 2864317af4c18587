package eu.tessera.server.login;

import eu.tessera.server.account.AccountStatusCache;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.login.local.AccountUserDetails;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a browser session whose account was suspended, expired or removed, or that holds the admin or reader role
 * the account no longer has, on every instance: the session's account is checked on each request through
 * {@link AccountStatusCache} (so within {@code tessera.tokens.client-cache-ttl} of the change). The session is
 * invalidated (Spring Session deletes it from the shared store), the browser sent to the login page, anything
 * else answered 401.
 */
public class SessionAccountFilter extends OncePerRequestFilter {

    private final AccountStatusCache accounts;
    private final AuditLog audit;

    public SessionAccountFilter(AccountStatusCache accounts, AuditLog audit) {
        this.accounts = accounts;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user != null && user.isAuthenticated() && user.getPrincipal() instanceof AccountUserDetails details) {
            String reason = reason(details, accounts.status(details.getUsername()));
            if (reason != null) {
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                SecurityContextHolder.clearContext();
                audit.record("session.ended", "tessera", details.getUsername(), Map.of("reason", reason));
                String accept = request.getHeader("Accept");
                if ("GET".equals(request.getMethod()) && accept != null && accept.contains("text/html")) {
                    response.sendRedirect(request.getContextPath() + "/login?ended");
                } else {
                    response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                }
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** Why the session may not go on, or null. */
    static String reason(AccountUserDetails user, Optional<AccountStatusCache.AccountStatus> status) {
        if (status.isEmpty()) {
            return "account removed";
        }
        if (!status.get().usable()) {
            return "account suspended or expired";
        }
        boolean sessionAdmin = user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
        boolean sessionReader = user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_READER"));
        if (sessionAdmin && !status.get().admin()) {
            return "admin role removed";
        }
        return sessionReader && !status.get().reader() ? "reader role removed" : null;
    }
}
