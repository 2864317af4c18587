package eu.tessera.server.web;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.login.local.AccountUserDetails;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The landing page after a direct login: the admin dashboard for admins and readers, links for everyone. */
@Controller
public class HomeController {

    private final TesseraProperties properties;
    private final Dashboard dashboard;
    private final eu.tessera.server.group.GroupAdmin groups;

    public HomeController(TesseraProperties properties, Dashboard dashboard, eu.tessera.server.group.GroupAdmin groups) {
        this.properties = properties;
        this.dashboard = dashboard;
        this.groups = groups;
    }

    @GetMapping("/")
    public String home(@AuthenticationPrincipal AccountUserDetails user, Model model) {
        model.addAttribute("organisation", properties.organisationName());
        model.addAttribute("username", user == null ? "" : user.getDisplayUsername());
        model.addAttribute("issuer", properties.issuer());
        // each role sees the links it can use
        java.util.Set<String> roles = new java.util.HashSet<>();
        if (user != null) {
            user.getAuthorities().forEach(a -> roles.add(a.getAuthority()));
        }
        model.addAttribute("isAdmin", roles.contains("ROLE_ADMIN"));
        model.addAttribute("isReader", roles.contains("ROLE_READER"));
        if (roles.contains("ROLE_ADMIN") || roles.contains("ROLE_READER")) {
            dashboard.fill(model);
        }
        model.addAttribute("organisation", properties.organisationName());
        model.addAttribute("managed", user == null ? java.util.List.of() : groups.managedBy(user.getUsername()));
        return "home";
    }
}
