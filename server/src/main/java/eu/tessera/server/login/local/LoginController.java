package eu.tessera.server.login.local;

import eu.tessera.server.config.TesseraProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The local username/password login page. */
@Controller
public class LoginController {

    private final TesseraProperties properties;

    public LoginController(TesseraProperties properties) {
        this.properties = properties;
    }

    @GetMapping("/login")
    public String login(Model model) {
        model.addAttribute("organisation", properties.organisationName());
        model.addAttribute("x509", properties.x509().loginEnabled());
        model.addAttribute("providers", properties.oidc().providers());
        model.addAttribute("saml", properties.saml().sp().configured() && !properties.saml().metadata().isEmpty());
        model.addAttribute("x509Url", properties.x509().pageUrl(properties.issuer(), "/login/x509"));
        return "login";
    }
}
