package eu.tessera.server.web;

import eu.tessera.policy.exchange.ExchangePolicy;
import eu.tessera.policy.scope.ScopePolicy;
import eu.tessera.server.account.AccountRoles;
import eu.tessera.server.aup.AupService;
import eu.tessera.server.aup.VoAupService;
import eu.tessera.server.group.BeyondVoException;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.server.group.GroupPaths;
import eu.tessera.server.group.VoAdmins;
import eu.tessera.server.oauth2.exchange.ExchangePolicyService;
import eu.tessera.server.oauth2.scope.ScopePolicyService;
import eu.tessera.server.oauth2.scope.VoScopePolicies;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * What a VO's admins decide for their VO on the VO group's page, besides its groups (issue 18):
 * <ul>
 *   <li>{@code POST /manage/groups/{id}/aup}: publish a version of the VO's addendum to the acceptable use policy
 *       ({@code action=publish}: text or URL, signature validity, reminder days) or withdraw it
 *       ({@code action=withdraw});</li>
 *   <li>{@code POST /manage/groups/{id}/scope-policies}: add a scope policy for a group of the VO
 *       ({@code action=add}: rule, group path, matching, scopes), delete one ({@code action=delete}, {@code policy}),
 *       within the VO's limits, which only a global admin sets ({@code action=limits}, {@code scopes});</li>
 *   <li>{@code POST /manage/groups/{id}/exchange-policies}: the VO's token-exchange policies ({@code action=add}:
 *       rule, origin client id (blank: any), destination client id; {@code action=delete}, {@code policy}); the
 *       clients the VO's admins may permit as destinations are set by a global admin ({@code action=limits},
 *       {@code clients}).</li>
 * </ul>
 * The VO's admins or a global admin; anyone else 403, nothing changed; a request past the VO's limits 403 with the
 * reason, bad input 400.
 */
@Controller
public class VoPageController {

    /** A change to the VO {@code vo}, by a global admin ({@code global}) or one of the VO's admins. */
    @FunctionalInterface
    private interface Change {
        void apply(GroupAdmin.Group vo, boolean global);
    }

    private final GroupAdmin groups;
    private final VoAdmins vos;
    private final VoAupService addenda;
    private final ScopePolicyService policies;
    private final VoScopePolicies voPolicies;
    private final ExchangePolicyService exchanges;

    public VoPageController(GroupAdmin groups, VoAdmins vos, VoAupService addenda, ScopePolicyService policies,
            VoScopePolicies voPolicies, ExchangePolicyService exchanges) {
        this.groups = groups;
        this.vos = vos;
        this.addenda = addenda;
        this.policies = policies;
        this.voPolicies = voPolicies;
        this.exchanges = exchanges;
    }

    /** Finds the VO, checks who asks, applies the change and answers as the page shows it. */
    private String change(Authentication user, String id, String what, Model model, HttpServletResponse response,
            Change change) {
        GroupAdmin.Group vo = groups.find(id).filter(g -> vos.isVo(g.id())).orElse(null);
        if (vo == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such VO", "There is no VO " + id + ".",
                    "/account", "Your account");
        }
        String back = "/manage/groups/" + vo.id();
        boolean global = user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(AccountRoles.ADMIN));
        if (!global && !vos.administers(user.getName(), vo.path())) {
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Not allowed",
                    "Only the admins of the VO " + vo.path() + " decide its " + what + ".", "/account",
                    "Your account");
        }
        try {
            change.apply(vo, global);
        } catch (BeyondVoException e) {
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Not allowed", e.getMessage(), back,
                    vo.path());
        } catch (IllegalArgumentException e) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Not changed", e.getMessage(), back,
                    vo.path());
        }
        return "redirect:" + back + "?changed";
    }

    private static void requireGlobal(boolean global, String what) {
        if (!global) {
            throw new BeyondVoException("only global admins set " + what);
        }
    }

    @PostMapping("/manage/groups/{id}/aup")
    public String addendum(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "") String text,
            @RequestParam(defaultValue = "") String url, @RequestParam(defaultValue = "365") String validity,
            @RequestParam(defaultValue = "30,15,1") String reminders, Model model, HttpServletResponse response) {
        return change(user, id, "addendum to the acceptable use policy", model, response, (vo, global) -> {
            switch (action) {
                case "withdraw" -> addenda.withdraw(vo.id(), user.getName());
                case "publish" -> {
                    int days;
                    List<Integer> reminderDays;
                    try {
                        days = Integer.parseInt(validity.strip());
                        reminderDays = AupService.parseDays(reminders);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("Validity and reminders are numbers of days.");
                    }
                    addenda.publish(vo.id(), text, url, days, reminderDays, user.getName());
                }
                default -> throw new IllegalArgumentException("Publish or withdraw the addendum.");
            }
        });
    }

    @PostMapping("/manage/groups/{id}/scope-policies")
    public String scopePolicies(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "PERMIT") String rule,
            @RequestParam(defaultValue = "") String group, @RequestParam(defaultValue = "EQ") String matching,
            @RequestParam(defaultValue = "") String scopes, @RequestParam(defaultValue = "0") long policy,
            Model model, HttpServletResponse response) {
        return change(user, id, "scope policies", model, response, (vo, global) -> {
            switch (action) {
                case "limits" -> {
                    requireGlobal(global, "what a VO's admins may permit");
                    voPolicies.setLimits(vo.id(), scopes, user.getName());
                }
                case "add" -> {
                    String path = group.isBlank() ? vo.path() : group.strip();
                    GroupAdmin.Group target = groups.find(path.startsWith("/") ? path : "/" + path)
                            .filter(g -> GroupPaths.isWithin(g.path(), vo.path()))
                            .orElseThrow(() -> new IllegalArgumentException("group: " + path + " is not a group of "
                                    + vo.path()));
                    ScopePolicy created = new ScopePolicy(0, ScopePolicy.Rule.valueOf(rule),
                            ScopePolicy.Matching.valueOf(matching), null, target.id(),
                            Arrays.stream(scopes.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList());
                    if (!global) {
                        voPolicies.check(user.getName(), created);
                    }
                    policies.save(null, created, "by the admins of " + vo.path());
                }
                case "delete" -> policies.delete(policies.find(policy)
                        .filter(r -> voPolicies.ofVo(List.of(r), vo.path()).size() == 1)
                        .orElseThrow(() -> new IllegalArgumentException("policy: not a policy of " + vo.path()))
                        .getId());
                default -> throw new IllegalArgumentException("add or delete a policy");
            }
        });
    }

    @PostMapping("/manage/groups/{id}/exchange-policies")
    public String exchangePolicies(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "PERMIT") String rule,
            @RequestParam(defaultValue = "") String origin, @RequestParam(defaultValue = "") String destination,
            @RequestParam(defaultValue = "") String clients, @RequestParam(defaultValue = "0") long policy,
            Model model, HttpServletResponse response) {
        return change(user, id, "exchange policies", model, response, (vo, global) -> {
            switch (action) {
                case "limits" -> {
                    requireGlobal(global, "the clients a VO may permit");
                    exchanges.setLimits(vo.id(), clients, user.getName());
                }
                case "add" -> {
                    ExchangePolicy created = new ExchangePolicy(0, ExchangePolicy.Rule.valueOf(rule), side(origin),
                            side(destination));
                    if (!global) {
                        exchanges.checkForVo(vo.id(), created);
                    }
                    exchanges.create(created, "by the admins of " + vo.path(), vo.id());
                }
                case "delete" -> {
                    if (exchanges.findAll().stream().noneMatch(r -> r.getId() == policy
                            && vo.id().equals(r.getVoGroupId()))) {
                        throw new IllegalArgumentException("policy: not an exchange policy of " + vo.path());
                    }
                    exchanges.delete(policy);
                }
                default -> throw new IllegalArgumentException("add or delete a policy");
            }
        });
    }

    private static ExchangePolicy.ClientMatch side(String clientId) {
        return clientId.isBlank() ? new ExchangePolicy.ClientMatch(ExchangePolicy.MatchType.ANY, null)
                : new ExchangePolicy.ClientMatch(ExchangePolicy.MatchType.BY_ID, clientId.strip());
    }
}
