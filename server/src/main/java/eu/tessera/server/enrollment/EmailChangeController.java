package eu.tessera.server.enrollment;

import eu.tessera.server.web.MessagePage;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Setting or changing one's email address on {@code /account}: a confirmation link goes to the new address; the
 * link opens a page whose button confirms (a GET changes nothing, so mail scanners that open links do not).
 */
@Controller
public class EmailChangeController {

    private final EmailChanges changes;

    public EmailChangeController(EmailChanges changes) {
        this.changes = changes;
    }

    @PostMapping("/account/email")
    public String request(Authentication user, @RequestParam(defaultValue = "") String email, Model model,
            HttpServletResponse response) {
        return switch (changes.request(user.getName(), email)) {
            case SENT -> MessagePage.show(model, response, HttpStatus.OK, "Check your mailbox", "We sent a link to "
                    + email.strip() + ". Your account uses that address once you open the link.", "/account",
                    "Back to your account");
            case INVALID -> MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Not an email address",
                    "Enter an email address such as jane@example.org.", "/account", "Back to your account");
            case TAKEN -> MessagePage.show(model, response, HttpStatus.CONFLICT, "Address not available",
                    "Another account uses this address. Use another one, or ask the administrators.", "/account",
                    "Back to your account");
            case MAIL_OFF -> MessagePage.show(model, response, HttpStatus.SERVICE_UNAVAILABLE, "Mail is off",
                    "This service cannot send mail yet (an administrator has to configure it), so it cannot "
                    + "confirm a new address.", "/account", "Back to your account");
        };
    }

    @GetMapping("/account/email/confirm")
    public String confirmPage(@RequestParam(defaultValue = "") String token, Model model) {
        model.addAttribute("token", token);
        return "email-confirm";
    }

    @PostMapping("/account/email/confirm")
    public String confirm(@RequestParam(defaultValue = "") String token, Model model, HttpServletResponse response) {
        return switch (changes.confirm(token)) {
            case CHANGED -> MessagePage.show(model, response, HttpStatus.OK, "Address confirmed",
                    "Your account now uses this address.", "/account", "Your account");
            case EXPIRED -> MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Link expired",
                    "This link has expired: ask for a new one on your account page.", "/account", "Your account");
            case TAKEN -> MessagePage.show(model, response, HttpStatus.CONFLICT, "Address not available",
                    "Another account took this address meanwhile.", "/account", "Your account");
            case UNKNOWN -> MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Link not valid",
                    "This link is not valid or was already used.", "/account", "Your account");
        };
    }
}
