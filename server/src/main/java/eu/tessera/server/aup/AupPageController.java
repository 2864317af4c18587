package eu.tessera.server.aup;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The signing page: {@link AupEnforcementFilter} sends signed-in users here when they must sign; signing returns
 * them to where they were going (the authorization or device request).
 */
@Controller
public class AupPageController {

    private final AupService aup;
    private final VoAupService addenda;
    private final Clock clock;
    private final HttpSessionRequestCache requests = AupEnforcementFilter.requestCache();

    /** A VO addendum as the member sees it. */
    public record MemberAddendum(String voGroupId, String voPath, AupService.Aup aup, AupService.Signature signature,
            boolean mustSign) {
    }

    public AupPageController(AupService aup, VoAupService addenda, Clock clock) {
        this.aup = aup;
        this.addenda = addenda;
        this.clock = clock;
    }

    @GetMapping("/aup")
    public String page(Authentication user, Model model) {
        model.addAttribute("aup", aup.current().orElse(null));
        model.addAttribute("mustSign", aup.mustSign(user.getName()));
        model.addAttribute("signature", aup.signature(user.getName()).orElse(null));
        java.util.List<String> unsigned = addenda.unsignedVoPaths(user.getName());
        model.addAttribute("addenda", addenda.ofMember(user.getName()).stream().map(a -> new MemberAddendum(
                a.voGroupId(), a.voPath(), a.aup(), addenda.signature(a.voGroupId(), user.getName())
                        .filter(s -> s.version() == a.aup().version()).orElse(null),
                unsigned.contains(a.voPath()))).toList());
        return "aup";
    }

    /** Signs the common AUP, or with {@code vo} the addendum of that VO (of which the account is a member). */
    @PostMapping("/aup")
    public String sign(Authentication user, @org.springframework.web.bind.annotation.RequestParam(required = false)
            String vo, HttpServletRequest request, HttpServletResponse response) {
        if (vo == null) {
            aup.sign(user.getName(), clock.instant(), user.getName());
        } else if (addenda.ofMember(user.getName()).stream().anyMatch(a -> a.voGroupId().equals(vo))) {
            addenda.sign(vo, user.getName(), clock.instant(), user.getName());
        } else {
            throw new org.springframework.web.server.ResponseStatusException(
                    org.springframework.http.HttpStatus.BAD_REQUEST, "No addendum of one of your VOs to sign");
        }
        if (aup.mustSign(user.getName()) || !addenda.toSign(user.getName()).isEmpty()) {
            return "redirect:/aup";   // more to sign before going on
        }
        SavedRequest saved = requests.getRequest(request, response);
        if (saved != null) {
            requests.removeRequest(request, response);
            return "redirect:" + saved.getRedirectUrl();
        }
        return "redirect:/aup?signed";
    }
}
