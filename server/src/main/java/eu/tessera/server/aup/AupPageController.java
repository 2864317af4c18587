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
    private final Clock clock;
    private final HttpSessionRequestCache requests = AupEnforcementFilter.requestCache();

    public AupPageController(AupService aup, Clock clock) {
        this.aup = aup;
        this.clock = clock;
    }

    @GetMapping("/aup")
    public String page(Authentication user, Model model) {
        model.addAttribute("aup", aup.current().orElse(null));
        model.addAttribute("mustSign", aup.mustSign(user.getName()));
        model.addAttribute("signature", aup.signature(user.getName()).orElse(null));
        return "aup";
    }

    @PostMapping("/aup")
    public String sign(Authentication user, HttpServletRequest request, HttpServletResponse response) {
        aup.sign(user.getName(), clock.instant(), user.getName());
        SavedRequest saved = requests.getRequest(request, response);
        if (saved != null) {
            requests.removeRequest(request, response);
            return "redirect:" + saved.getRedirectUrl();
        }
        return "redirect:/aup?signed";
    }
}
