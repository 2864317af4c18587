package eu.tessera.server.web;

import eu.tessera.server.aup.VoAupService;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.server.oauth2.exchange.ExchangePolicyService;
import eu.tessera.server.oauth2.scope.VoScopePolicies;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * What the page of a VO's group shows of the VO's own rules (issue 18), which {@link VoPageController} changes: its
 * AUP addendum, its scope policies and limits, its token-exchange policies and the clients it may permit.
 */
@Component
public class VoPageModel {

    private final VoAupService addenda;
    private final VoScopePolicies scopePolicies;
    private final ExchangePolicyService exchanges;

    public VoPageModel(VoAupService addenda, VoScopePolicies scopePolicies, ExchangePolicyService exchanges) {
        this.addenda = addenda;
        this.scopePolicies = scopePolicies;
        this.exchanges = exchanges;
    }

    /** Adds the VO's rules to the page model: policies only for the VO's admins, nothing for a group that is no VO. */
    public void addTo(Model model, GroupAdmin.Group group, boolean isVo, boolean admin) {
        model.addAttribute("voAddendum", isVo ? addenda.current(group.id()).orElse(null) : null);
        model.addAttribute("voPolicies", isVo && admin ? scopePolicies.rows(group.path()) : List.of());
        model.addAttribute("voLimits", isVo ? String.join(" ", scopePolicies.limits(group.id())) : "");
        model.addAttribute("voExchanges", isVo && admin ? exchanges.findAll().stream()
                .filter(r -> group.id().equals(r.getVoGroupId())).map(r -> r.toPolicy()).toList() : List.of());
        model.addAttribute("voExchangeClients", isVo ? String.join(" ", exchanges.limits(group.id())) : "");
    }
}
