package eu.tessera.server.login;

import eu.tessera.server.account.Account;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.login.local.AccountUserDetails;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;

/**
 * Logs an account in after a login that is not the password form (certificate, external provider): the same
 * principal as a password login (the account id, its roles), a new session id, the {@code login.success} audit
 * event with the method, and the way back to where the login started.
 */
@Component
public class SessionLogin {

    private final AuditLog audit;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final HttpSessionRequestCache requests = new HttpSessionRequestCache();

    public SessionLogin(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * Logs {@code account} in on this request's session.
     *
     * @param method {@code x509}, {@code oidc} or {@code saml} (audited; sets the authentication factor)
     * @return where to send the browser next
     */
    public String logIn(Account account, String method, Map<String, String> details, HttpServletRequest request,
            HttpServletResponse response) {
        return logIn(account, method, details, false, request, response);
    }

    /**
     * The same; {@code externalMfa} when the external provider or IdP said it used a second factor that Tessera
     * counts (REFEDS MFA, an {@code acr}/{@code amr} the provider's settings name): the session then holds two
     * factors and is not asked for its own.
     */
    public String logIn(Account account, String method, Map<String, String> details, boolean externalMfa,
            HttpServletRequest request, HttpServletResponse response) {
        List<GrantedAuthority> authorities = eu.tessera.server.account.AccountRoles.sessionRoles(account.isAdmin(),
                account.isReader());
        // the factor and its time, as a password login records them (the ID token's auth_time comes from it)
        String factor = switch (method) {
            case "x509" -> FactorGrantedAuthority.X509_AUTHORITY;
            case "saml" -> FactorGrantedAuthority.SAML_RESPONSE_AUTHORITY;
            default -> FactorGrantedAuthority.AUTHORIZATION_CODE_AUTHORITY;
        };
        authorities.add(FactorGrantedAuthority.withAuthority(factor).issuedAt(java.time.Instant.now()).build());
        if (externalMfa) {
            authorities.add(FactorGrantedAuthority.withAuthority(
                    eu.tessera.server.login.mfa.SecondFactor.EXTERNAL_MFA_AUTHORITY)
                    .issuedAt(java.time.Instant.now()).build());
        }
        AccountUserDetails user = new AccountUserDetails(account.getId(), account.getUsername(), "", true,
                authorities);
        if (request.getSession(false) != null) {
            request.changeSessionId();   // no session fixation
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, authorities));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        Map<String, String> event = new LinkedHashMap<>();
        event.put("method", method);
        event.putAll(details);
        audit.record("login.success", account.getId(), account.getId(), event);
        SavedRequest saved = requests.getRequest(request, response);
        return saved != null ? saved.getRedirectUrl() : "/account";
    }
}
