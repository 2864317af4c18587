package eu.tessera.server.login.oidc;

import eu.tessera.server.account.ExternalIdentities;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import eu.tessera.server.web.MessagePage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * External identities on the account page: {@code POST /account/identities/link/{provider}} starts a login at the
 * provider whose identity is then linked to the logged-in account; {@code POST /account/identities/{id}/unlink}
 * unlinks one (not the last way to log in). {@code /login/external} explains a refused external login.
 */
@Controller
public class OidcLinkController {

    private final OidcProviders providers;
    private final ExternalIdentities identities;

    public OidcLinkController(OidcProviders providers, ExternalIdentities identities) {
        this.providers = providers;
        this.identities = identities;
    }

    @PostMapping("/account/identities/link/{provider}")
    public String link(Authentication user, @PathVariable String provider, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        if (providers.provider(provider).isEmpty()) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "Unknown provider",
                    "There is no provider " + provider + ".");
        }
        request.getSession().setAttribute(eu.tessera.server.login.ExternalLogins.LINK_ACCOUNT, user.getName());
        return "redirect:/oauth2/authorization/" + provider;
    }

    @PostMapping("/account/identities/{id}/unlink")
    public String unlink(Authentication user, @PathVariable String id, HttpServletResponse response, Model model) {
        try {
            if (!identities.unlinkOwn(user.getName(), id)) {
                return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "Not linked", "You have no such identity.");
            }
        } catch (eu.tessera.server.account.LinkException e) {
            return MessagePage.show(model, response, HttpStatus.CONFLICT, "Not unlinked", e.getMessage());
        }
        return "redirect:/account?identityUnlinked";
    }

    /** Reached only when the provider is unknown or cannot be reached (the login filter passed the request on). */
    @GetMapping("/oauth2/authorization/{provider}")
    public String unavailable(@PathVariable String provider, HttpServletResponse response, Model model) {
        model.addAttribute("link", "/login");
        model.addAttribute("linkText", "Back to the login page");
        return providers.provider(provider).isEmpty()
                ? MessagePage.show(model, response, HttpStatus.NOT_FOUND, "Unknown provider",
                        "There is no provider " + provider + ".")
                : MessagePage.show(model, response, HttpStatus.SERVICE_UNAVAILABLE, "Provider unavailable",
                        "The provider cannot be reached now. Try again later or log in another way.");
    }

    @GetMapping("/login/external")
    public String problem(HttpServletRequest request, HttpServletResponse response, Model model) {
        HttpSession session = request.getSession(false);
        Object problem = session == null ? null : session.getAttribute(eu.tessera.server.login.ExternalLogins.PROBLEM);
        if (session != null) {
            session.removeAttribute(eu.tessera.server.login.ExternalLogins.PROBLEM);
        }
        if (session != null && session.getAttribute(PendingIdentity.SESSION) instanceof PendingIdentity pending) {
            model.addAttribute("link", "/registration");
            model.addAttribute("linkText", "Register with your " + pending.providerName() + " account");
        } else {
            model.addAttribute("link", "/login");
            model.addAttribute("linkText", "Back to the login page");
        }
        return MessagePage.show(model, response, HttpStatus.UNAUTHORIZED, "Login not completed",
                problem != null ? problem.toString() : "No external login is in progress.");
    }

}
