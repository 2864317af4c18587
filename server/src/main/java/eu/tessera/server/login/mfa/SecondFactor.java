package eu.tessera.server.login.mfa;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * The second factor of a browser session: an authentication factor authority ({@link FactorGrantedAuthority}, with
 * its time) added to the session's authentication after a TOTP or recovery code, beside the first factor's
 * (password, X.509, OIDC, SAML). Authorizations keep the factors, so ID tokens issued later (refresh) say the same.
 */
public final class SecondFactor {

    public static final String TOTP_AUTHORITY = "FACTOR_TOTP";
    public static final String RECOVERY_CODE_AUTHORITY = "FACTOR_RECOVERY_CODE";
    /** The external provider or IdP of the first factor authenticated the user with MFA (counted per source). */
    public static final String EXTERNAL_MFA_AUTHORITY = "FACTOR_EXTERNAL_MFA";
    /** What a member removes with their authenticator app: the factors it gave this session. */
    private static final Set<String> APP_FACTORS = Set.of(TOTP_AUTHORITY, RECOVERY_CODE_AUTHORITY);
    private static final HttpSessionSecurityContextRepository CONTEXTS = new HttpSessionSecurityContextRepository();

    private SecondFactor() {
    }

    /** Where the request that needed the second factor waits (resumed after it). */
    static HttpSessionRequestCache requestCache() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setSessionAttrName("TESSERA_MFA_SAVED_REQUEST");
        cache.setMatchingRequestParameterName(null);
        return cache;
    }

    /** Whether the session used two different factors (a password and a code, a passkey that verified the user). */
    public static boolean present(Authentication authentication) {
        return authentication != null && AuthenticationMethods.amr(authentication.getAuthorities()).contains("mfa");
    }

    /**
     * Whether the request waiting for this login (an authorization) asked for MFA with {@code acr_values}: the
     * external provider or IdP is then asked for it too.
     */
    public static boolean waitingRequestAsksForMfa(HttpServletRequest request, HttpServletResponse response) {
        for (HttpSessionRequestCache cache : List.of(requestCache(), new HttpSessionRequestCache())) {
            var saved = cache.getRequest(request, response);
            String[] acr = saved == null ? null : saved.getParameterValues("acr_values");
            if (acr != null && acr.length > 0 && AuthenticationMethods.asksForMfa(acr[0])) {
                return true;
            }
        }
        return false;
    }

    /** Where the browser goes after a login step: the request that needed the second factor, the one that needed
     * the login, or the account page. */
    public static String resume(HttpServletRequest request, HttpServletResponse response) {
        HttpSessionRequestCache mfa = requestCache();
        var saved = mfa.getRequest(request, response);
        if (saved != null) {
            mfa.removeRequest(request, response);
            return saved.getRedirectUrl();
        }
        saved = new HttpSessionRequestCache().getRequest(request, response);
        return saved != null ? saved.getRedirectUrl() : "/account";
    }

    /** Adds {@code factor} to the session's authentication, under a new session id. */
    static void add(String factor, Instant now, HttpServletRequest request, HttpServletResponse response) {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        List<GrantedAuthority> authorities = new ArrayList<>(current.getAuthorities());
        authorities.add(FactorGrantedAuthority.withAuthority(factor).issuedAt(now).build());
        replace(current, authorities, request, response);
    }

    /** Takes the second factors out of the session's authentication (after the member removed them). */
    static void drop(HttpServletRequest request, HttpServletResponse response) {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        List<GrantedAuthority> authorities = new ArrayList<>(current.getAuthorities());
        authorities.removeIf(a -> APP_FACTORS.contains(a.getAuthority()));
        replace(current, authorities, request, response);
    }

    private static void replace(Authentication current, List<GrantedAuthority> authorities, HttpServletRequest request,
            HttpServletResponse response) {
        UsernamePasswordAuthenticationToken upgraded = UsernamePasswordAuthenticationToken.authenticated(
                current.getPrincipal(), null, authorities);
        upgraded.setDetails(current.getDetails());
        if (request.getSession(false) != null) {
            request.changeSessionId();   // a new privilege level, a new session id
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(upgraded);
        SecurityContextHolder.setContext(context);
        CONTEXTS.saveContext(context, request, response);
    }
}
