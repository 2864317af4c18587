package eu.tessera.server.login.x509;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.account.CertificateLinks;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.login.SessionLogin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import eu.tessera.server.web.MessagePage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * {@code GET /login/x509}: logs in the account linked to the request's valid client certificate (a new session,
 * audited as {@code login.success} with method x509), then back to where the login started. An unlinked, invalid,
 * missing certificate or an unusable account gets a page saying so. {@code POST /account/certificates/link-current}
 * links the certificate of the request to the logged-in account.
 */
@Controller
public class X509LoginController {

    private final ObjectProvider<X509Login> logins;
    private final AccountRepository accounts;
    private final CertificateLinks links;
    private final AuditLog audit;
    private final Clock clock;
    private final SessionLogin sessions;

    public X509LoginController(ObjectProvider<X509Login> logins, AccountRepository accounts, CertificateLinks links,
            AuditLog audit, Clock clock, SessionLogin sessions) {
        this.sessions = sessions;
        this.logins = logins;
        this.accounts = accounts;
        this.links = links;
        this.audit = audit;
        this.clock = clock;
    }


    @GetMapping("/login/x509")
    public String login(HttpServletRequest request, HttpServletResponse response, Model model) {
        X509Login login = logins.getIfAvailable();
        if (login == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "Certificate login is off",
                    "This service does not offer login with a certificate.");
        }
        X509Login.Outcome outcome = login.authenticate(request);
        if (outcome instanceof X509Login.NoCertificate) {
            return MessagePage.show(model, response, HttpStatus.UNAUTHORIZED, "No certificate",
                    "Your browser did not present a client certificate. Import your certificate into the browser "
                            + "and choose it when asked.");
        }
        if (outcome instanceof X509Login.Invalid invalid) {
            audit.record("login.failure", "anonymous", null, Map.of("method", "x509", "reason", invalid.reason()));
            return MessagePage.show(model, response, HttpStatus.UNAUTHORIZED, "Certificate not accepted",
                    "Your certificate was not accepted: " + invalid.reason());
        }
        X509Login.Valid valid = (X509Login.Valid) outcome;
        if (valid.accountId() == null) {
            model.addAttribute("link", "/registration");
            model.addAttribute("linkText", "Register");
            return MessagePage.show(model, response, HttpStatus.UNAUTHORIZED, "Certificate not linked",
                    "The certificate " + valid.chain().subject() + " is not linked to an account here. Log in "
                            + "another way and link it on your account page, or register.");
        }
        Account account = accounts.findById(valid.accountId()).orElse(null);
        if (account == null || account.isServiceAccount() || !account.isUsable(clock.instant())) {
            audit.record("login.failure", valid.accountId(), valid.accountId(), Map.of("method", "x509",
                    "reason", "account not usable"));
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Account not usable",
                    "The account linked to this certificate is suspended or expired.");
        }
        return "redirect:" + sessions.logIn(account, "x509", Map.of("subject", valid.chain().subject()), request,
                response);
    }

    @PostMapping("/account/certificates/link-current")
    public String linkCurrent(Authentication user, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        X509Login login = logins.getIfAvailable();
        X509Login.Outcome outcome = login == null ? new X509Login.NoCertificate() : login.authenticate(request);
        if (!(outcome instanceof X509Login.Valid valid)) {
            String reason = outcome instanceof X509Login.Invalid invalid ? invalid.reason()
                    : "your browser presented no certificate";
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Certificate not linked",
                    "No certificate was linked: " + reason + ".");
        }
        if (valid.accountId() != null) {
            boolean mine = valid.accountId().equals(user.getName());
            return MessagePage.show(model, response, mine ? HttpStatus.OK : HttpStatus.CONFLICT,
                    mine ? "Already linked" : "Certificate not linked", mine
                            ? "This certificate is already linked to your account."
                            : "This certificate is linked to another account.");
        }
        try {
            links.link(user.getName(), valid.chain().subject(), valid.chain().issuer(), "linked from the account page",
                    null, user.getName());
        } catch (eu.tessera.server.account.LinkException e) {
            return MessagePage.show(model, response, e.conflict() ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST,
                    "Certificate not linked", e.getMessage());
        }
        return "redirect:/account?linked";
    }
}
