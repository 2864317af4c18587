package eu.tessera.server.login.mfa;

import eu.tessera.server.login.local.AccountUserDetails;
import eu.tessera.server.web.MessagePage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The second-factor pages: {@code /login/mfa} (the code after the first factor), {@code /account/mfa} (set up an
 * authenticator app from a QR code the server draws, confirm it with a first code, get recovery codes; remove it;
 * renew the codes) and the administrators' reset on an account's page.
 */
@Controller
public class MfaController {

    private final MfaService mfa;
    private final Clock clock;
    private final eu.tessera.server.login.passkey.PasskeyCredentials passkeys;
    private final eu.tessera.server.audit.AuditLog audit;

    public MfaController(MfaService mfa, Clock clock, eu.tessera.server.login.passkey.PasskeyCredentials passkeys,
            eu.tessera.server.audit.AuditLog audit) {
        this.passkeys = passkeys;
        this.audit = audit;
        this.mfa = mfa;
        this.clock = clock;
    }

    @GetMapping("/login/mfa")
    public String codePage(Authentication user, Model model) {
        if (SecondFactor.present(user)) {
            return "redirect:/account";
        }
        if (!mfa.enrolled(user.getName())) {
            return "redirect:/account/mfa";
        }
        return showCodePage(user, model);
    }

    private String showCodePage(Authentication user, Model model) {
        model.addAttribute("totp", mfa.totpEnrolled(user.getName()));
        model.addAttribute("passkeys", passkeys.count(user.getName()) > 0);
        return "mfa-login";
    }

    @PostMapping("/login/mfa")
    public String code(Authentication user, @RequestParam(defaultValue = "") String code, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        if (SecondFactor.present(user)) {
            return "redirect:/account";
        }
        MfaService.Outcome outcome = mfa.verify(user.getName(), code, request.getRemoteAddr());
        if (outcome == MfaService.Outcome.NOT_ENROLLED) {
            if (!mfa.enrolled(user.getName())) {
                return "redirect:/account/mfa";
            }
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("error", "Your account has no authenticator app: use your passkey.");
            return showCodePage(user, model);
        }
        if (outcome.accepted()) {
            SecondFactor.add(outcome == MfaService.Outcome.TOTP ? SecondFactor.TOTP_AUTHORITY
                    : SecondFactor.RECOVERY_CODE_AUTHORITY, clock.instant(), request, response);
            if (outcome == MfaService.Outcome.RECOVERY_CODE) {
                request.getSession().setAttribute("TESSERA_MFA_RECOVERY_USED", Boolean.TRUE);
            }
            return "redirect:" + SecondFactor.resume(request, response);
        }
        response.setStatus(switch (outcome) {
            case MALFORMED -> HttpStatus.BAD_REQUEST.value();
            case LOCKED -> HttpStatus.TOO_MANY_REQUESTS.value();
            default -> HttpStatus.UNAUTHORIZED.value();
        });
        model.addAttribute("error", switch (outcome) {
            case MALFORMED -> "Enter the 6 digits your authenticator app shows, or one of your recovery codes "
                    + "(16 letters and digits).";
            case LOCKED -> "Too many wrong codes. Try again later.";
            case REPLAYED -> "That code was already used. Wait for your app to show the next one.";
            default -> "That code is not right. Check that your phone's time is correct and try the current code.";
        });
        return showCodePage(user, model);
    }

    @GetMapping("/account/mfa")
    public String page(Authentication user, Model model, HttpServletRequest request) {
        String id = user.getName();
        model.addAttribute("passkeyList", passkeys.of(id));
        model.addAttribute("mfaSession", SecondFactor.present(user));
        java.time.Instant enrolledAt = mfa.enrolledAt(id).orElse(null);
        model.addAttribute("enrolledAt", enrolledAt);
        model.addAttribute("enrolledAtText", enrolledAt == null ? null : java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC).format(enrolledAt));
        model.addAttribute("codesLeft", mfa.recoveryCodesLeft(id));
        model.addAttribute("required", mfa.required(id, eu.tessera.server.account.AccountRoles.adminOrReader(user)));
        model.addAttribute("pending", mfa.pendingTotp(id, username(user)).orElse(null));
        var session = request.getSession(false);
        model.addAttribute("recoveryUsed", session != null
                && session.getAttribute("TESSERA_MFA_RECOVERY_USED") != null);
        return "mfa";
    }

    @PostMapping("/account/mfa/totp")
    public String start(Authentication user, Model model, HttpServletRequest request, HttpServletResponse response) {
        try {
            mfa.startTotp(user.getName(), username(user));
        } catch (IllegalStateException e) {
            return MessagePage.show(model, response, HttpStatus.CONFLICT, "Already set up",
                    "Your account already has an authenticator app. Remove it first to set up another.",
                    "/account/mfa", "Two-factor authentication");
        }
        return "redirect:/account/mfa#setup";
    }

    @PostMapping("/account/mfa/totp/confirm")
    public String confirm(Authentication user, @RequestParam(defaultValue = "") String code, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        String id = user.getName();
        if (mfa.pendingTotp(id, username(user)).isEmpty()) {
            return "redirect:/account/mfa";
        }
        if (!Totp.wellFormed(code.replace(" ", "").strip())) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("setupError", "Enter the 6 digits your app shows for this account.");
            return page(user, model, request);
        }
        Optional<List<String>> codes = mfa.confirmTotp(id, code, request.getRemoteAddr());
        if (codes.isEmpty()) {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            model.addAttribute("setupError", "That code is not right (or there were too many tries). Check that "
                    + "the app shows this account and that your phone's time is correct.");
            return page(user, model, request);
        }
        // the member has just shown the authenticator works: this session counts it as its second factor
        if (!SecondFactor.present(user)) {
            SecondFactor.add(SecondFactor.TOTP_AUTHORITY, clock.instant(), request, response);
        }
        model.addAttribute("codes", codes.get());
        model.addAttribute("next", SecondFactor.resume(request, response));
        return "mfa-codes";
    }

    @PostMapping("/account/mfa/recovery-codes")
    public String renew(Authentication user, Model model, HttpServletRequest request, HttpServletResponse response) {
        if (!mfa.totpEnrolled(user.getName())) {
            return "redirect:/account/mfa";
        }
        model.addAttribute("codes", mfa.renewRecoveryCodes(user.getName()));
        model.addAttribute("next", "/account/mfa");
        request.getSession().removeAttribute("TESSERA_MFA_RECOVERY_USED");
        return "mfa-codes";
    }

    @PostMapping("/account/mfa/remove")
    public String remove(Authentication user, HttpServletRequest request, HttpServletResponse response) {
        mfa.removeTotp(user.getName());
        SecondFactor.drop(request, response);
        return "redirect:/account/mfa?removed";
    }

    /** The member removes one of their passkeys. */
    @PostMapping("/account/mfa/passkeys/remove")
    public String removePasskey(Authentication user, @RequestParam(defaultValue = "") String id, Model model,
            HttpServletResponse response) {
        if (!passkeys.remove(user.getName(), id)) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such passkey",
                    "Your account has no such passkey.", "/account/mfa", "Two-factor authentication");
        }
        audit.record("mfa.removed", user.getName(), user.getName(), java.util.Map.of("factor", "passkey"));
        return "redirect:/account/mfa?passkeyRemoved";
    }

    /** An administrator removes an account's second factors (the member lost the phone and the codes). */
    @PostMapping("/admin/accounts/{id}/mfa/reset")
    public String reset(Authentication user, @PathVariable String id, Model model, HttpServletResponse response) {
        if (!mfa.reset(id, user.getName())) {
            return MessagePage.show(model, response, HttpStatus.CONFLICT, "Nothing to reset",
                    "This account has no authenticator or recovery codes.", "/admin/accounts/" + id, "The account");
        }
        return "redirect:/admin/accounts/" + id + "?mfaReset";
    }

    private static String username(Authentication user) {
        return user.getPrincipal() instanceof AccountUserDetails details ? details.getDisplayUsername()
                : user.getName();
    }
}
