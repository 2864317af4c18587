package eu.tessera.server.web;

import eu.tessera.policy.scope.ScopePolicy;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.oauth2.client.ClientService;
import eu.tessera.server.oauth2.client.OAuthClientRepository;
import eu.tessera.server.oauth2.scope.ScopePolicyService;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Admin pages for clients ({@code /admin/clients}: list, delete; registration stays at {@code /register}) and
 * scope policies ({@code /admin/scope-policies}: list, add for everyone, a group or an account, delete).
 */
@Controller
public class PolicyClientPagesController {

    private final OAuthClientRepository clients;
    private final ClientService clientService;
    private final ScopePolicyService policies;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final eu.tessera.server.account.AccountRepository accounts;

    private final eu.tessera.server.config.TesseraProperties properties;

    public PolicyClientPagesController(OAuthClientRepository clients, ClientService clientService,
            ScopePolicyService policies, JdbcTemplate jdbc, AuditLog audit,
            eu.tessera.server.account.AccountRepository accounts,
            eu.tessera.server.config.TesseraProperties properties) {
        this.properties = properties;
        this.accounts = accounts;
        this.clients = clients;
        this.clientService = clientService;
        this.policies = policies;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** Clients, 50 a page, searched in client id and name, with state, last use and owner. */
    @GetMapping("/admin/clients")
    public String clients(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "1") int page,
            Model model) {
        int size = 50;
        var first = clientService.page(q, 0, 0);
        int pages = Math.max(1, (first.total() + size - 1) / size);
        int current = Math.min(Math.max(page, 1), pages);
        var shown = clientService.page(q, (current - 1) * size, size).clients();
        java.util.Map<String, String> owners = new java.util.HashMap<>();
        shown.stream().map(c -> c.getOwnerAccountId()).filter(java.util.Objects::nonNull).distinct()
                .forEach(id -> accounts.findById(id).ifPresent(a -> owners.put(id, a.getUsername())));
        model.addAttribute("clients", shown);
        model.addAttribute("owners", owners);
        model.addAttribute("q", q);
        model.addAttribute("total", first.total());
        model.addAttribute("page", current);
        model.addAttribute("pages", pages);
        return "admin/clients";
    }

    /** A client's own token lifetimes; an empty field is the server default; above a maximum is refused. */
    @PostMapping("/admin/clients/{clientId}/lifetimes")
    public String lifetimes(@org.springframework.web.bind.annotation.PathVariable String clientId,
            @RequestParam(defaultValue = "") String access, @RequestParam(defaultValue = "") String refresh,
            @RequestParam(defaultValue = "") String idToken, @RequestParam(defaultValue = "") String deviceCode,
            Model model, jakarta.servlet.http.HttpServletResponse response,
            org.springframework.security.core.Authentication user) {
        var client = clientService.findByClientId(clientId).orElse(null);
        String error = null;
        eu.tessera.server.oauth2.client.TokenLifetimes lifetimes = null;
        if (client == null) {
            response.setStatus(404);
            error = "There is no client " + clientId + ".";
        } else {
            try {
                lifetimes = new eu.tessera.server.oauth2.client.TokenLifetimes(seconds(access), seconds(refresh),
                        seconds(idToken), seconds(deviceCode));
                error = lifetimes.aboveMaximum(properties.tokens());
            } catch (IllegalArgumentException e) {
                error = "Lifetimes are whole positive numbers of seconds, or empty for the server default.";
            }
            if (error != null) {
                response.setStatus(400);
            }
        }
        if (error != null) {
            model.addAttribute("error", error);
            return clients("", 1, model);
        }
        clientService.setLifetimes(client, lifetimes);
        audit.record("client.lifetimes_set", user.getName(), clientId, java.util.Map.of("access",
                lifetimes.accessToken(), "refresh", lifetimes.refreshToken(), "idToken", lifetimes.idToken(),
                "deviceCode", lifetimes.deviceCode()));
        return "redirect:/admin/clients?saved";
    }

    private static int seconds(String text) {
        if (text.isBlank()) {
            return 0;
        }
        int value = Integer.parseInt(text.strip());   // NumberFormatException is an IllegalArgumentException
        if (value < 1) {
            throw new IllegalArgumentException("not positive");
        }
        return value;
    }

    @PostMapping("/admin/clients")
    public String deleteClient(@RequestParam(defaultValue = "") String clientId,
            @RequestParam(defaultValue = "") String confirmed, Model model) {
        if (!Confirmation.CONFIRMED.equals(confirmed) && clientService.findByClientId(clientId).isPresent()) {
            return Confirmation.page(model, "Delete client " + clientId + "?", "Delete client " + clientId
                    + "? It can no longer get tokens, and its refresh tokens and consents are gone.", "Delete",
                    "/admin/clients", Map.of("clientId", clientId), "/admin/clients");
        }
        clientService.findByClientId(clientId).ifPresent(client -> {
            clientService.delete(client);
            audit.record("client.deleted", clientId, Map.of("via", "admin page"));
        });
        return "redirect:/admin/clients?deleted";
    }

    @GetMapping("/admin/scope-policies")
    public String policies(Model model) {
        model.addAttribute("policies", policies.findAll());
        model.addAttribute("groups", jdbc.queryForList("select id, path from vo_group order by path"));
        return "admin/scope-policies";
    }

    @PostMapping("/admin/scope-policies")
    public String changePolicy(@RequestParam(defaultValue = "") String action,
            @RequestParam(defaultValue = "") String id, @RequestParam(defaultValue = "PERMIT") String rule,
            @RequestParam(defaultValue = "EQ") String matching, @RequestParam(defaultValue = "") String group,
            @RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String scopes,
            @RequestParam(defaultValue = "") String description, Model model, HttpServletResponse response) {
        try {
            if (action.equals("delete")) {
                policies.delete(Long.parseLong(id));
                return "redirect:/admin/scope-policies?deleted";
            }
            String accountId = null;
            if (!username.isBlank()) {
                List<String> ids = jdbc.queryForList("select id from account where username = ?", String.class,
                        username.strip());
                if (ids.isEmpty()) {
                    throw new IllegalArgumentException("account: no account " + username.strip());
                }
                accountId = ids.get(0);
            }
            List<String> list = Arrays.stream(scopes.split("\\s+")).filter(s -> !s.isBlank()).toList();
            policies.save(null, new ScopePolicy(0, ScopePolicy.Rule.valueOf(rule.toUpperCase(Locale.ROOT)),
                    ScopePolicy.Matching.valueOf(matching.toUpperCase(Locale.ROOT)), accountId,
                    group.isBlank() ? null : group, list), description.isBlank() ? null : description);
        } catch (IllegalArgumentException e) {
            response.setStatus(400);
            model.addAttribute("error", e.getMessage());
            return policies(model);
        }
        return "redirect:/admin/scope-policies?saved";
    }
}
