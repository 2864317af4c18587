package eu.tessera.server.oauth2.consent;

import eu.tessera.server.login.local.AccountUserDetails;
import eu.tessera.server.oauth2.scope.ScopePolicyService;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The consent page of the authorization endpoint: lists the scopes the client asks for, new ones first. */
@Controller
public class ConsentController {

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationConsentService consents;
    private final ScopePolicyService policies;

    public ConsentController(RegisteredClientRepository clients, OAuth2AuthorizationConsentService consents,
            ScopePolicyService policies) {
        this.clients = clients;
        this.consents = consents;
        this.policies = policies;
    }

    @GetMapping("/oauth2/consent")
    public String consent(Principal principal, Model model,
            @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "scope", required = false, defaultValue = "") String scope,
            @RequestParam(name = "state", required = false) String state,
            @RequestParam(name = "user_code", required = false) String userCode) {
        RegisteredClient client = clientId == null ? null : clients.findByClientId(clientId);
        if (client == null || state == null) {
            model.addAttribute("status", 400);
            model.addAttribute("message", "This consent request is not valid. Start again from the application.");
            return "error";
        }
        OAuth2AuthorizationConsent previous = consents.findById(client.getId(), principal.getName());
        Set<String> approved = previous == null ? Set.of() : previous.getScopes();
        List<String> toApprove = new ArrayList<>();
        List<String> alreadyApproved = new ArrayList<>();
        // openid is not a permission to grant: it is kept (the device flow does not add it back itself)
        model.addAttribute("openid", Arrays.asList(scope.split(" ")).contains(OidcScopes.OPENID));
        // the device flow's scopes reach this page unfiltered: what the scope policies deny is shown, not offered
        Set<String> denied = Set.copyOf(policies.decide(principal.getName(),
                new LinkedHashSet<>(Arrays.asList(scope.split(" ")))).denied());
        List<String> notPermitted = new ArrayList<>();
        for (String requested : new LinkedHashSet<>(Arrays.asList(scope.split(" ")))) {
            if (requested.isEmpty() || requested.equals(OidcScopes.OPENID)) {
                continue;
            }
            if (denied.contains(requested)) {
                notPermitted.add(requested);
                continue;
            }
            (approved.contains(requested) ? alreadyApproved : toApprove).add(requested);
        }
        model.addAttribute("notPermittedScopes", notPermitted);
        model.addAttribute("clientId", clientId);
        model.addAttribute("clientName", client.getClientName());
        model.addAttribute("state", state);
        model.addAttribute("userCode", userCode);
        model.addAttribute("scopes", toApprove);
        java.util.List<String> all = new java.util.ArrayList<>(toApprove);
        all.addAll(alreadyApproved);
        all.addAll(notPermitted);
        model.addAttribute("descriptions", ScopeDescriptions.describeAll(all));
        model.addAttribute("previouslyApprovedScopes", alreadyApproved);
        model.addAttribute("username", principal instanceof Authentication auth
                && auth.getPrincipal() instanceof AccountUserDetails user ? user.getDisplayUsername() : "");
        return "consent";
    }
}
