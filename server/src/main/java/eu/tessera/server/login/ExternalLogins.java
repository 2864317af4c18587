package eu.tessera.server.login;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.account.ExternalIdentities;
import eu.tessera.server.account.LinkException;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.group.Membership;
import eu.tessera.server.group.MembershipRepository;
import eu.tessera.server.group.VoGroupRepository;
import eu.tessera.server.login.oidc.PendingIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What happens after a login at an external identity provider (an OpenID provider or a SAML IdP), once the
 * provider's answer has been validated: the identity is linked to the account that asked for it (a link started from
 * the account page), or looked up and, if linked to a usable account, that account is logged in as with a password.
 * An unknown identity gets an account at once from a trusted provider, and otherwise is kept in the session so that
 * registration is prefilled and linked on approval. Refusals are explained on {@code /login/external}.
 */
@Component
public class ExternalLogins {

    /** Session attribute: the account that asked to link the identity of the coming external login. */
    public static final String LINK_ACCOUNT = "tessera.external.link-account";
    /** Session attribute: the problem to show on {@code /login/external}. */
    public static final String PROBLEM = "tessera.login.problem";

    /**
     * A validated external identity.
     *
     * @param type      {@code OIDC} or {@code SAML}
     * @param provider  the provider's name as the identity records it (OIDC registration, IdP display name)
     * @param label     the provider's name for people
     * @param issuer    OIDC issuer or SAML IdP entity ID
     * @param subject   the user's identifier there
     * @param attribute which attribute named the user (SAML), else null
     * @param trusted   unknown users get an account just in time
     * @param method    {@code oidc} or {@code saml} (audit, authentication factor)
     * @param details   audited with the login
     */
    public record ExternalUser(String type, String provider, String label, String issuer, String subject,
            String attribute, String email, String givenName, String familyName, String username, boolean trusted,
            String method, Map<String, String> details, boolean mfa) {
    }

    private final ExternalIdentities identities;
    private final AccountRepository accounts;
    private final VoGroupRepository groups;
    private final MembershipRepository memberships;
    private final SessionLogin sessions;
    private final AuditLog audit;
    private final TesseraProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public ExternalLogins(ExternalIdentities identities, AccountRepository accounts, VoGroupRepository groups,
            MembershipRepository memberships, SessionLogin sessions, AuditLog audit, TesseraProperties properties,
            TransactionTemplate transactions, Clock clock) {
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

    /**
     * Completes the login (or link) of {@code user} and sends the browser on.
     *
     * @param missing the provider's requirement the user does not meet (refuses the login), or null
     */
    public void complete(ExternalUser user, String missing, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        HttpSession session = request.getSession();
        String linkingAccount = (String) session.getAttribute(LINK_ACCOUNT);
        session.removeAttribute(LINK_ACCOUNT);
        forget(request, response);   // no earlier authentication stays
        if (missing != null) {
            audit.record("login.failure", "anonymous", null, Map.of("method", user.method(), "provider",
                    user.provider(), "reason", "required " + missing));
            problem(request, response, "Your " + user.label() + " account does not have what this service "
                    + "requires (" + missing + ").");
            return;
        }
        if (linkingAccount != null) {
            link(user, linkingAccount, request, response);
            return;
        }
        Optional<ExternalIdentities.Identity> identity = identities.find(user.type(), user.issuer(), user.subject());
        if (identity.isEmpty() && user.trusted()) {
            try {
                identity = Optional.ofNullable(createJustInTime(user));
            } catch (DataIntegrityViolationException | LinkException raced) {
                problem(request, response, "Your account is being created by another login; try again.");
                return;
            }
            if (identity.isEmpty()) {
                problem(request, response, "Your " + user.label() + " account gives no email address, which an "
                        + "account here needs. Register instead.");
                return;
            }
        }
        if (identity.isEmpty()) {
            audit.record("login.unknown_identity", "anonymous", null, Map.of("method", user.method(), "provider",
                    user.provider()));
            session.setAttribute(PendingIdentity.SESSION, new PendingIdentity(user.type(), user.provider(),
                    user.label(), user.issuer(), user.subject(), user.attribute(), user.email(), user.givenName(),
                    user.familyName(), user.username()));
            problem(request, response, "Your " + user.label() + " account is not linked to an account here. If "
                    + "you have one, log in another way and link it on your account page; otherwise register.");
            return;
        }
        Account account = accounts.findById(identity.get().accountId()).orElse(null);
        if (account == null || account.isServiceAccount() || !account.isUsable(clock.instant())) {
            audit.record("login.failure", identity.get().accountId(), identity.get().accountId(), Map.of("method",
                    user.method(), "reason", "account not usable"));
            problem(request, response, "The account linked to your " + user.label()
                    + " account is suspended or expired.");
            return;
        }
        identities.loggedIn(identity.get().id());
        String next = sessions.logIn(account, user.method(), details(user, false), user.mfa(), request, response);
        response.sendRedirect(next);
    }

    private void link(ExternalUser user, String accountId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Account account = accounts.findById(accountId).orElse(null);
        if (account == null) {
            problem(request, response, "Your session ended; log in again to link the identity.");
            return;
        }
        try {
            identities.link(account.getId(), user.type(), user.provider(), user.issuer(), user.subject(),
                    user.attribute(), user.email(), account.getId());
        } catch (LinkException e) {
            sessions.logIn(account, "session", Map.of(), request, response);
            problem(request, response, e.getMessage());
            return;
        }
        sessions.logIn(account, user.method(), details(user, true), user.mfa(), request, response);
        response.sendRedirect("/account?identityLinked");
    }

    private static Map<String, String> details(ExternalUser user, boolean linked) {
        Map<String, String> details = new LinkedHashMap<>(user.details());
        details.put("provider", user.provider());
        if (user.mfa()) {
            details.put("mfa", "true");   // the provider's MFA counted as the second factor
        }
        if (linked) {
            details.put("linked", "true");
        }
        return details;
    }

    private ExternalIdentities.Identity createJustInTime(ExternalUser user) {
        String email = user.email();
        if (email == null || email.isBlank()) {
            return null;
        }
        return transactions.execute(status -> {
            Instant now = clock.instant();
            Account account = accounts.saveAndFlush(new Account(freeUsername(user), email, user.givenName(),
                    user.familyName(), now));
            for (String path : properties.enrollment().defaultGroups()) {
                groups.findByPath(path.strip()).ifPresent(group ->
                        memberships.save(new Membership(account.getId(), group.getId(), false, now)));
            }
            audit.record("account.created_just_in_time", account.getId(), account.getId(), Map.of("method",
                    user.method(), "provider", user.provider(), "username", account.getUsername()));
            return identities.link(account.getId(), user.type(), user.provider(), user.issuer(), user.subject(),
                    user.attribute(), email, account.getId());
        });
    }

    private String freeUsername(ExternalUser user) {
        String email = user.email();
        String base = user.username() != null && !user.username().isBlank() ? user.username()
                : email.substring(0, email.indexOf('@') > 0 ? email.indexOf('@') : email.length());
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

    private static void forget(HttpServletRequest request, HttpServletResponse response) {
        SecurityContextHolder.clearContext();
        new HttpSessionSecurityContextRepository().saveContext(SecurityContextHolder.createEmptyContext(), request,
                response);
    }

    /**
     * The first of a provider's {@code name=value} requirements the user does not meet (a multi-valued claim or
     * attribute meets it when one of its values is {@code value}), or null when all are met.
     *
     * @param values the user's values of a name (empty when it has none)
     */
    public static String firstUnmet(List<String> requirements, Function<String, Collection<?>> values) {
        for (String requirement : requirements) {
            int equals = requirement.indexOf('=');
            String name = requirement.substring(0, equals).strip();
            String value = requirement.substring(equals + 1).strip();
            if (values.apply(name).stream().noneMatch(v -> value.equals(String.valueOf(v)))) {
                return name + "=" + value;
            }
        }
        return null;
    }

    /** Sends the browser to {@code /login/external}, which explains {@code message}. */
    public static void problem(HttpServletRequest request, HttpServletResponse response, String message)
            throws IOException {
        request.getSession().setAttribute(PROBLEM, message);
        response.sendRedirect("/login/external");
    }
}
