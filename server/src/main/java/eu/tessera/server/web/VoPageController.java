package eu.tessera.server.web;

import eu.tessera.server.account.AccountRoles;
import eu.tessera.server.aup.AupService;
import eu.tessera.server.aup.VoAupService;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.server.group.VoAdmins;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import java.util.List;

/**
 * What a VO's admins decide for their VO on the VO group's page, besides its groups (issue 18):
 * <ul>
 *   <li>{@code POST /manage/groups/{id}/aup}: publish a version of the VO's addendum to the acceptable use policy
 *       ({@code action=publish}: text or URL, signature validity, reminder days) or withdraw it
 *       ({@code action=withdraw});</li>
 *   <li>{@code POST /manage/groups/{id}/scope-policies}: add a scope policy for a group of the VO
 *       ({@code action=add}: rule, group path, matching, scopes), delete one ({@code action=delete}, {@code policy}),
 *       within the VO's limits, which only a global admin sets ({@code action=limits}, {@code scopes}).</li>
 * </ul>
 * The VO's admins or a global admin; anyone else 403, nothing changed.
 */
@Controller
public class VoPageController {

    private final GroupAdmin groups;
    private final VoAdmins vos;
    private final VoAupService addenda;
    private final eu.tessera.server.oauth2.scope.ScopePolicyService policies;
    private final eu.tessera.server.oauth2.scope.VoScopePolicies voPolicies;
    private final eu.tessera.server.oauth2.exchange.ExchangePolicyService exchanges;

    public VoPageController(GroupAdmin groups, VoAdmins vos, VoAupService addenda,
            eu.tessera.server.oauth2.scope.ScopePolicyService policies,
            eu.tessera.server.oauth2.scope.VoScopePolicies voPolicies,
            eu.tessera.server.oauth2.exchange.ExchangePolicyService exchanges) {
        this.exchanges = exchanges;
        this.groups = groups;
        this.vos = vos;
        this.addenda = addenda;
        this.policies = policies;
        this.voPolicies = voPolicies;
    }

    /**
     * {@code POST /manage/groups/{id}/exchange-policies}: the VO's token-exchange policies ({@code action=add}: rule,
     * origin client id (blank: any), destination client id; {@code action=delete}, {@code policy}); the clients the
     * VO's admins may permit as destinations are set by a global admin ({@code action=limits}, {@code clients}).
     */
    @PostMapping("/manage/groups/{id}/exchange-policies")
    public String exchanges(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "PERMIT") String rule,
            @RequestParam(defaultValue = "") String origin, @RequestParam(defaultValue = "") String destination,
            @RequestParam(defaultValue = "") String clients, @RequestParam(defaultValue = "0") long policy,
            Model model, HttpServletResponse response) {
        GroupAdmin.Group vo = groups.find(id).filter(g -> vos.isVo(g.id())).orElse(null);
        if (vo == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such VO", "There is no VO " + id + ".",
                    "/account", "Your account");
        }
        String back = "/manage/groups/" + vo.id();
        boolean global = user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(AccountRoles.ADMIN));
        if (!global && !vos.administers(user.getName(), vo.path())) {
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Not allowed",
                    "Only the admins of the VO " + vo.path() + " manage its exchange policies.", "/account",
                    "Your account");
        }
        try {
            switch (action) {
                case "limits" -> {
                    if (!global) {
                        throw new eu.tessera.server.group.BeyondVoException(
                                "only global admins set the clients a VO may permit");
                    }
                    exchanges.setLimits(vo.id(), clients, user.getName());
                }
                case "add" -> {
                    eu.tessera.policy.exchange.ExchangePolicy created = new eu.tessera.policy.exchange.ExchangePolicy(0,
                            eu.tessera.policy.exchange.ExchangePolicy.Rule.valueOf(rule), side(origin),
                            side(destination));
                    if (!global) {
                        exchanges.checkForVo(vo.id(), created);
                    }
                    exchanges.create(created, "by the admins of " + vo.path(), vo.id());
                }
                case "delete" -> {
                    boolean own = exchanges.findAll().stream().anyMatch(r -> r.getId() == policy
                            && vo.id().equals(r.getVoGroupId()));
                    if (!own) {
                        throw new IllegalArgumentException("policy: not an exchange policy of " + vo.path());
                    }
                    exchanges.delete(policy);
                }
                default -> throw new IllegalArgumentException("add or delete a policy");
            }
        } catch (eu.tessera.server.group.BeyondVoException e) {
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Not allowed", e.getMessage(), back,
                    vo.path());
        } catch (IllegalArgumentException e) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Not changed", e.getMessage(), back,
                    vo.path());
        }
        return "redirect:" + back + "?changed";
    }

    private static eu.tessera.policy.exchange.ExchangePolicy.ClientMatch side(String clientId) {
        return clientId.isBlank()
                ? new eu.tessera.policy.exchange.ExchangePolicy.ClientMatch(
                        eu.tessera.policy.exchange.ExchangePolicy.MatchType.ANY, null)
                : new eu.tessera.policy.exchange.ExchangePolicy.ClientMatch(
                        eu.tessera.policy.exchange.ExchangePolicy.MatchType.BY_ID, clientId.strip());
    }

    @PostMapping("/manage/groups/{id}/scope-policies")
    public String policies(Authentication user, @PathVariable String id, @RequestParam(defaultValue = "") String action,
            @RequestParam(defaultValue = "PERMIT") String rule, @RequestParam(defaultValue = "") String group,
            @RequestParam(defaultValue = "EQ") String matching, @RequestParam(defaultValue = "") String scopes,
            @RequestParam(defaultValue = "0") long policy, Model model, HttpServletResponse response) {
        GroupAdmin.Group vo = groups.find(id).filter(g -> vos.isVo(g.id())).orElse(null);
        if (vo == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such VO", "There is no VO " + id + ".",
                    "/account", "Your account");
        }
        String back = "/manage/groups/" + vo.id();
        boolean global = user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(AccountRoles.ADMIN));
        if (!global && !vos.administers(user.getName(), vo.path())) {
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Not allowed",
                    "Only the admins of the VO " + vo.path() + " manage its scope policies.", "/account",
                    "Your account");
        }
        try {
            switch (action) {
                case "limits" -> {
                    if (!global) {
                        throw new eu.tessera.server.group.BeyondVoException(
                                "only global admins set what a VO's admins may permit");
                    }
                    voPolicies.setLimits(vo.id(), scopes, user.getName());
                }
                case "add" -> {
                    String path = group.isBlank() ? vo.path() : group.strip();
                    GroupAdmin.Group target = groups.find(path.startsWith("/") ? path : "/" + path)
                            .filter(g -> eu.tessera.server.group.GroupPaths.isWithin(g.path(), vo.path()))
                            .orElseThrow(() -> new IllegalArgumentException("group: " + path + " is not a group of "
                                    + vo.path()));
                    eu.tessera.policy.scope.ScopePolicy created = new eu.tessera.policy.scope.ScopePolicy(0,
                            eu.tessera.policy.scope.ScopePolicy.Rule.valueOf(rule),
                            eu.tessera.policy.scope.ScopePolicy.Matching.valueOf(matching), null, target.id(),
                            java.util.Arrays.stream(scopes.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList());
                    if (!global) {
                        voPolicies.check(user.getName(), created);
                    }
                    policies.save(null, created, "by the admins of " + vo.path());
                }
                case "delete" -> {
                    var record = policies.find(policy).filter(r -> voPolicies.ofVo(List.of(r), vo.path()).size() == 1)
                            .orElseThrow(() -> new IllegalArgumentException("policy: not a policy of " + vo.path()));
                    policies.delete(record.getId());
                }
                default -> throw new IllegalArgumentException("add or delete a policy");
            }
        } catch (eu.tessera.server.group.BeyondVoException e) {
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Not allowed", e.getMessage(), back,
                    vo.path());
        } catch (IllegalArgumentException e) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Not changed", e.getMessage(), back,
                    vo.path());
        }
        return "redirect:" + back + "?changed";
    }

    @PostMapping("/manage/groups/{id}/aup")
    public String change(Authentication user, @PathVariable String id, @RequestParam(defaultValue = "") String action,
            @RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "") String url,
            @RequestParam(defaultValue = "365") String validity,
            @RequestParam(defaultValue = "30,15,1") String reminders, Model model, HttpServletResponse response) {
        GroupAdmin.Group group = groups.find(id).orElse(null);
        String back = group == null ? "/account" : "/manage/groups/" + group.id();
        if (group == null || !vos.isVo(group.id())) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such VO", "There is no VO " + id + ".",
                    "/account", "Your account");
        }
        boolean admin = user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(AccountRoles.ADMIN))
                || vos.administers(user.getName(), group.path());
        if (!admin) {
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Not allowed",
                    "Only the admins of the VO " + group.path() + " publish its addendum.", "/account", "Your account");
        }
        if (action.equals("withdraw")) {
            addenda.withdraw(group.id(), user.getName());
            return "redirect:" + back + "?changed";
        }
        if (!action.equals("publish")) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Unknown change",
                    "Publish or withdraw the addendum.", back, group.path());
        }
        try {
            addenda.publish(group.id(), text, url, Integer.parseInt(validity.strip()), AupService.parseDays(reminders),
                    user.getName());
        } catch (NumberFormatException e) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Not published",
                    "Validity and reminders are numbers of days.", back, group.path());
        } catch (IllegalArgumentException e) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Not published", e.getMessage(), back,
                    group.path());
        }
        return "redirect:" + back + "?changed";
    }
}
