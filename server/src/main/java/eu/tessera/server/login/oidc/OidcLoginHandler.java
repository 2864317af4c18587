package eu.tessera.server.login.oidc;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.account.ExternalIdentities;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.config.TesseraProperties.Oidc.Provider;
import eu.tessera.server.group.Membership;
import eu.tessera.server.group.MembershipRepository;
import eu.tessera.server.group.VoGroupRepository;
import eu.tessera.server.login.SessionLogin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What happens after a login at an external OpenID provider (the ID token already validated by Spring Security:
 * signature from the provider's JWKS, issuer, audience, expiry, nonce). The provider's own authentication never
 * stays in the session: the identity (issuer, subject) is looked up and, if linked to a usable account, that account
 * is logged in as with a password. A link started from the account page links the identity instead. An unknown
 * identity creates an account at once for a trusted provider, and otherwise is told how to register or link.
 * Missing required claims refuse the login.
 */
@Component
public class OidcLoginHandler implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    /** Session attribute: the account that asked to link the identity of the coming login. */
    public static final String LINK_ACCOUNT = "tessera.oidc.link-account";
    /** Session attribute: the problem to show on {@code /login/external}. */
    public static final String PROBLEM = "tessera.login.problem";

    private final OidcProviders providers;
    private final ExternalIdentities identities;
    private final AccountRepository accounts;
    private final VoGroupRepository groups;
    private final MembershipRepository memberships;
    private final SessionLogin sessions;
    private final AuditLog audit;
    private final TesseraProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public OidcLoginHandler(OidcProviders providers, ExternalIdentities identities, AccountRepository accounts,
            VoGroupRepository groups, MembershipRepository memberships, SessionLogin sessions, AuditLog audit,
            TesseraProperties properties, TransactionTemplate transactions, Clock clock) {
        this.providers = providers;
        this.identities = identities;
        this.accounts = accounts;
        this.groups = groups;
        this.memberships = memberships;
        this.sessions = sessions;
        this.audit = audit;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
        OidcUser user = (OidcUser) token.getPrincipal();
        Provider provider = providers.provider(token.getAuthorizedClientRegistrationId()).orElseThrow();
        String issuer = String.valueOf(user.getIssuer());
        String subject = user.getSubject();
        HttpSession session = request.getSession();
        String linkingAccount = (String) session.getAttribute(LINK_ACCOUNT);
        session.removeAttribute(LINK_ACCOUNT);
        forget(request, response);   // the provider's authentication never stays

        String missing = missingClaim(provider, user.getClaims());
        if (missing != null) {
            audit.record("login.failure", "anonymous", null, Map.of("method", "oidc", "provider", provider.name(),
                    "reason", "required claim " + missing));
            problem(request, response, "Your " + label(provider) + " account does not have what this service "
                    + "requires (" + missing + ").");
            return;
        }
        if (linkingAccount != null) {
            Account account = accounts.findById(linkingAccount).orElse(null);
            if (account == null) {
                problem(request, response, "Your session ended; log in again to link the identity.");
                return;
            }
            try {
                identities.link(account.getId(), "OIDC", provider.name(), issuer, subject, user.getEmail(),
                        account.getId());
            } catch (eu.tessera.server.account.LinkException e) {
                sessions.logIn(account, "session", Map.of(), request, response);
                problem(request, response, e.getMessage());
                return;
            }
            sessions.logIn(account, "oidc", Map.of("provider", provider.name(), "linked", "true"), request,
                    response);
            response.sendRedirect("/account?identityLinked");
            return;
        }
        Optional<ExternalIdentities.Identity> identity = identities.find("OIDC", issuer, subject);
        if (identity.isEmpty() && provider.trusted()) {
            try {
                identity = Optional.ofNullable(createJustInTime(provider, user, issuer, subject));
            } catch (org.springframework.dao.DataIntegrityViolationException | eu.tessera.server.account.LinkException raced) {
                problem(request, response, "Your account is being created by another login; try again.");
                return;
            }
            if (identity.isEmpty()) {
                problem(request, response, "Your " + label(provider) + " account gives no email address, which an "
                        + "account here needs. Register instead.");
                return;
            }
        }
        if (identity.isEmpty()) {
            audit.record("login.unknown_identity", "anonymous", null, Map.of("provider", provider.name()));
            Object username = user.getClaims().get(provider.usernameClaim());
            session.setAttribute(PendingIdentity.SESSION, new PendingIdentity(provider.name(), label(provider), issuer,
                    subject, user.getEmail(), user.getGivenName(), user.getFamilyName(),
                    username instanceof String text ? text : null));
            problem(request, response, "Your " + label(provider) + " account is not linked to an account here. If "
                    + "you have one, log in another way and link it on your account page; otherwise register.");
            return;
        }
        Account account = accounts.findById(identity.get().accountId()).orElse(null);
        if (account == null || account.isServiceAccount() || !account.isUsable(clock.instant())) {
            audit.record("login.failure", identity.get().accountId(), identity.get().accountId(), Map.of("method",
                    "oidc", "reason", "account not usable"));
            problem(request, response, "The account linked to your " + label(provider)
                    + " account is suspended or expired.");
            return;
        }
        identities.loggedIn(identity.get().id());
        String next = sessions.logIn(account, "oidc", Map.of("provider", provider.name()), request, response);
        response.sendRedirect(next);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        String code = exception instanceof OAuth2AuthenticationException oauth
                ? oauth.getError().getErrorCode() : "login_failed";
        audit.record("login.failure", "anonymous", null, Map.of("method", "oidc", "reason", code));
        problem(request, response, "The login with the external provider failed (" + code + "). Try again or "
                + "log in another way.");
    }

    private ExternalIdentities.Identity createJustInTime(Provider provider, OidcUser user, String issuer,
            String subject) {
        String email = user.getEmail();
        if (email == null || email.isBlank()) {
            return null;
        }
        return transactions.execute(status -> {
            Instant now = clock.instant();
            Account account = accounts.saveAndFlush(new Account(freeUsername(provider, user), email,
                    user.getGivenName(), user.getFamilyName(), now));
            for (String path : properties.enrollment().defaultGroups()) {
                groups.findByPath(path.strip()).ifPresent(group ->
                        memberships.save(new Membership(account.getId(), group.getId(), false, now)));
            }
            audit.record("account.created_just_in_time", account.getId(), account.getId(), Map.of("provider",
                    provider.name(), "username", account.getUsername()));
            return identities.link(account.getId(), "OIDC", provider.name(), issuer, subject, email,
                    account.getId());
        });
    }

    private String freeUsername(Provider provider, OidcUser user) {
        Object claim = user.getClaims().get(provider.usernameClaim());
        String base = claim instanceof String text && !text.isBlank() ? text
                : user.getEmail().substring(0, user.getEmail().indexOf('@') > 0 ? user.getEmail().indexOf('@')
                        : user.getEmail().length());
        base = base.replaceAll("[^A-Za-z0-9._@-]", "_");
        if (base.length() < 2) {
            base = "user_" + base;
        }
        base = base.length() > 120 ? base.substring(0, 120) : base;
        String candidate = base;
        for (int i = 2; accounts.findByUsername(candidate).isPresent(); i++) {
            candidate = base + "-" + i;
        }
        return candidate;
    }

    static String missingClaim(Provider provider, Map<String, Object> claims) {
        for (String requirement : provider.requiredClaims()) {
            int equals = requirement.indexOf('=');
            String name = requirement.substring(0, equals).strip();
            String value = requirement.substring(equals + 1).strip();
            Object actual = claims.get(name);
            boolean ok = actual instanceof Collection<?> list ? list.stream().anyMatch(v -> value.equals(
                    String.valueOf(v))) : actual != null && value.equals(String.valueOf(actual));
            if (!ok) {
                return name + "=" + value;
            }
        }
        return null;
    }

    private static String label(Provider provider) {
        return provider.displayName() != null ? provider.displayName() : provider.name();
    }

    private static void forget(HttpServletRequest request, HttpServletResponse response) {
        SecurityContextHolder.clearContext();
        new HttpSessionSecurityContextRepository().saveContext(SecurityContextHolder.createEmptyContext(), request,
                response);
    }

    private static void problem(HttpServletRequest request, HttpServletResponse response, String message)
            throws IOException {
        request.getSession().setAttribute(PROBLEM, message);
        response.sendRedirect("/login/external");
    }
}
