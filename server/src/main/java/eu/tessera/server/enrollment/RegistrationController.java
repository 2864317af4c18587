package eu.tessera.server.enrollment;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.group.VoAdmins;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import eu.tessera.server.login.oidc.PendingIdentity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The public enrollment pages: registration form (username availability as you type and on submit), email
 * confirmation, setting a password through a mailed link, and asking for a reset link. Plain forms with CSRF,
 * working without JavaScript. Answers never reveal whether an email address or account exists.
 */
@Controller
public class RegistrationController {

    private final RegistrationService registrations;
    private final PasswordLinks passwords;
    private final TesseraProperties properties;
    private final eu.tessera.server.aup.AupService aup;
    private final eu.tessera.server.aup.VoAupService addenda;
    private final eu.tessera.server.group.VoAdmins vos;

    public RegistrationController(RegistrationService registrations, PasswordLinks passwords,
            TesseraProperties properties, eu.tessera.server.aup.AupService aup, eu.tessera.server.group.VoAdmins vos,
            eu.tessera.server.aup.VoAupService addenda) {
        this.addenda = addenda;
        this.vos = vos;
        this.aup = aup;
        this.registrations = registrations;
        this.passwords = passwords;
        this.properties = properties;
    }

    @GetMapping("/registration")
    public String form(@org.springframework.web.bind.annotation.RequestParam(defaultValue = "") String vo, Model model,
            HttpServletResponse response, jakarta.servlet.http.HttpSession session) {
        String closed = closed(model, response);
        if (closed != null) {
            return closed;
        }
        PendingIdentity pending = pending(session);
        if (pending != null) {   // prefilled from the external login
            return showForm(model, new RegistrationService.Form(nullToEmpty(pending.username()),
                    nullToEmpty(pending.email()), nullToEmpty(pending.givenName()), nullToEmpty(pending.familyName()),
                    "", false, vo), Map.of(), pending);
        }
        return showForm(model, new RegistrationService.Form("", "", "", "", "", false, vo), Map.of(), null);
    }

    /** The page saying why registration is closed, or null when it is open. */
    private String closed(Model model, HttpServletResponse response) {
        if (!properties.enrollment().enabled()) {
            return message(model, response, HttpStatus.NOT_FOUND, "Registration closed",
                    "This service does not take registrations.", true);
        }
        if (!properties.mail().enabled()) {
            // without mail no address can be confirmed and no password link sent: say so instead of pretending
            return message(model, response, HttpStatus.SERVICE_UNAVAILABLE, "Registration is not open yet",
                    "This service cannot send mail yet, so it cannot confirm your address or send you the link to "
                    + "set your password. Ask the administrators of " + properties.organisationName() + " to "
                    + "register you, or try again later. (Administrators: configure mail, tessera.mail.enabled and "
                    + "spring.mail.*, as the README describes.)", true);
        }
        return null;
    }

    private static PendingIdentity pending(jakarta.servlet.http.HttpSession session) {
        return session != null && session.getAttribute(PendingIdentity.SESSION) instanceof PendingIdentity p ? p : null;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private String showForm(Model model, RegistrationService.Form form, Map<String, String> errors,
            PendingIdentity pending) {
        model.addAttribute("external", pending == null ? null : pending.providerName());
        model.addAttribute("organisation", properties.organisationName());
        model.addAttribute("aupUrl", properties.enrollment().aupUrl());
        model.addAttribute("aup", aup.current().orElse(null));   // the text the admins published, shown in full
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        List<VoAdmins.Vo> all = vos.all();
        model.addAttribute("vos", all);
        // the VOs' addenda: the chosen VO's (?vo= or the form sent back), else every VO's, each under its VO
        String chosen = form.vo() == null ? "" : form.vo().strip();
        List<eu.tessera.server.aup.VoAupService.Addendum> addenda = this.addenda.inForce().stream()
                .filter(a -> all.stream().anyMatch(v -> v.groupId().equals(a.voGroupId()))).toList();
        List<eu.tessera.server.aup.VoAupService.Addendum> shown = addenda.stream().filter(a -> chosen.equals(
                a.voGroupId()) || chosen.equals(a.voPath()) || ("/" + chosen).equals(a.voPath())).toList();
        model.addAttribute("addenda", shown.isEmpty() ? addenda : shown);
        return "registration";
    }

    @PostMapping("/registration")
    public String submit(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String givenName, @RequestParam(defaultValue = "") String familyName,
            @RequestParam(defaultValue = "") String notes, @RequestParam(defaultValue = "false") boolean aup,
            @RequestParam(defaultValue = "") String vo, @RequestParam(defaultValue = "false") boolean voAup,
            Model model, HttpServletResponse response,
            jakarta.servlet.http.HttpSession session) {
        String closed = closed(model, response);
        if (closed != null) {
            return closed;
        }
        RegistrationService.Form form = new RegistrationService.Form(username.strip(), email, givenName, familyName,
                notes, aup, vo, voAup);
        PendingIdentity pending = pending(session);
        try {
            registrations.submit(form, pending == null ? null : new RegistrationService.External(pending.type(),
                    pending.provider(), pending.issuer(), pending.subject(), pending.attribute()));
        } catch (RegistrationService.FormException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return showForm(model, form, e.errors(), pending);
        }
        if (pending != null) {
            session.removeAttribute(PendingIdentity.SESSION);
        }
        return message(model, response, HttpStatus.OK, "Check your mailbox", "We sent a confirmation link to the address you "
                + "gave. Open it to confirm your registration; an administrator then reviews your request.", false);
    }

    /** As-you-type availability check: {@code {"available": bool, "message": ".."}}. */
    @GetMapping("/registration/available")
    @ResponseBody
    public ResponseEntity<Map<String, Object>> available(@RequestParam(defaultValue = "") String username) {
        Map<String, Object> out = new LinkedHashMap<>();
        var problem = registrations.usernameProblem(username.strip());
        out.put("available", problem.isEmpty());
        out.put("message", problem.orElse("Available."));
        return ResponseEntity.ok(out);
    }

    @GetMapping("/registration/confirm")
    public String confirmPage(@RequestParam(defaultValue = "") String token, Model model, HttpServletResponse response) {
        model.addAttribute("token", token);
        return "registration-confirm";
    }

    @PostMapping("/registration/confirm")
    public String confirm(@RequestParam(defaultValue = "") String token, Model model, HttpServletResponse response) {
        return switch (registrations.confirm(token)) {
            case CONFIRMED -> message(model, response, HttpStatus.OK, "Address confirmed", "Thank you. An administrator will "
                    + "review your request; you will get a mail with the decision.", false);
            case ALREADY_CONFIRMED -> message(model, response, HttpStatus.OK, "Already confirmed",
                    "This registration was already confirmed.", false);
            case EXPIRED -> message(model, response, HttpStatus.BAD_REQUEST, "Link expired",
                    "This confirmation link has expired. Please register again.", true);
            case UNKNOWN -> message(model, response, HttpStatus.BAD_REQUEST, "Unknown link",
                    "This confirmation link is not valid. Check that you copied it completely.", true);
        };
    }

    @GetMapping("/reset-password")
    public String resetPage(@RequestParam(defaultValue = "") String token, Model model, HttpServletResponse response) {
        if (!passwords.valid(token)) {
            return message(model, response, HttpStatus.BAD_REQUEST, "Link not valid", "This link has expired or was already "
                    + "used. Ask for a new one.", true, "/forgot-password", "Ask for a new link");
        }
        model.addAttribute("token", token);
        model.addAttribute("min", PasswordLinks.MIN_PASSWORD);
        return "reset-password";
    }

    @PostMapping("/reset-password")
    public String reset(@RequestParam(defaultValue = "") String token, @RequestParam(defaultValue = "") String password,
            @RequestParam(defaultValue = "") String repeated, Model model, HttpServletResponse response) {
        PasswordLinks.Outcome outcome = passwords.use(token, password, repeated);
        return switch (outcome) {
            case SET -> message(model, response, HttpStatus.OK, "Password set", "Your password is set. You can sign in now.",
                    false, "/login", "Sign in");
            case INVALID_LINK -> message(model, response, HttpStatus.BAD_REQUEST, "Link not valid", "This link has expired or "
                    + "was already used. Ask for a new one.", true, "/forgot-password", "Ask for a new link");
            case WEAK_PASSWORD, MISMATCH -> {
                model.addAttribute("token", token);
                model.addAttribute("min", PasswordLinks.MIN_PASSWORD);
                response.setStatus(HttpStatus.BAD_REQUEST.value());
                model.addAttribute("error", outcome == PasswordLinks.Outcome.MISMATCH
                        ? "The two passwords differ."
                        : "Use between " + PasswordLinks.MIN_PASSWORD + " and " + PasswordLinks.MAX_PASSWORD
                                + " characters.");
                yield "reset-password";
            }
        };
    }

    @GetMapping("/forgot-password")
    public String forgotPage() {
        return "forgot-password";
    }

    @PostMapping("/forgot-password")
    public String forgot(@RequestParam(defaultValue = "") String account, Model model, HttpServletResponse response) {
        passwords.requestReset(account);
        return message(model, response, HttpStatus.OK, "Check your mailbox", "If this matches an account, we sent a link to "
                + "its email address to set a new password.", false);
    }

    private String message(Model model, HttpServletResponse response, HttpStatus status, String title,
            String message, boolean error) {
        return message(model, response, status, title, message, error, null, null);
    }

    private String message(Model model, HttpServletResponse response, HttpStatus status, String title,
            String message, boolean error, String link, String linkText) {
        response.setStatus(status.value());
        model.addAttribute("title", title);
        model.addAttribute("message", message);
        model.addAttribute("error", error);
        model.addAttribute("link", link);
        model.addAttribute("linkText", linkText);
        return "message";
    }
}
