package eu.tessera.server.web;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.oauth2.client.ClientMetadata;
import eu.tessera.server.oauth2.client.ClientService;
import eu.tessera.server.oauth2.client.OAuthClient;
import eu.tessera.server.oauth2.client.OAuthClientRepository;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * "My clients" ({@code /account/clients}): a member registers OAuth clients for their own tools with the same rules
 * as anonymous dynamic registration (user-delegated grants only, consent always asked, no admin or SCIM scopes),
 * sees the secret once, lists and deletes the clients they registered. Others' clients are not shown or touched.
 */
@Controller
public class MyClientsController {

    private static final String DEFAULT_SCOPES = "openid profile email offline_access wlcg.groups";

    /** A client row as the page shows it. */
    public record ClientView(String clientId, String name, String grantTypes, String redirectUris, String scopes,
            boolean publicClient, String created) {
    }

    private final OAuthClientRepository clients;
    private final ClientService service;
    private final AuditLog audit;

    public MyClientsController(OAuthClientRepository clients, ClientService service, AuditLog audit) {
        this.clients = clients;
        this.service = service;
        this.audit = audit;
    }

    private List<ClientView> mine(String accountId) {
        return clients.findByOwnerAccountIdOrderByCreatedAt(accountId).stream().map(c -> new ClientView(
                c.getClientId(), c.getClientName(), String.join(", ", c.getGrantTypes()),
                String.join(" ", c.getRedirectUris()), String.join(" ", c.getScopes()), c.getSecretHash() == null,
                c.getCreatedAt().toString())).toList();
    }

    @GetMapping("/account/clients")
    public String page(Authentication user, Model model) {
        model.addAttribute("clients", mine(user.getName()));
        if (!model.containsAttribute("scope")) {
            model.addAttribute("scope", DEFAULT_SCOPES);
        }
        return "clients";
    }

    @PostMapping("/account/clients")
    @Transactional
    public String register(Authentication user, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String redirectUris,
            @RequestParam(name = "grant", required = false) List<String> grants,
            @RequestParam(defaultValue = "") String scope, @RequestParam(defaultValue = "false") boolean publicClient,
            Model model, HttpServletResponse response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_name", name.strip());
        List<String> uris = Arrays.stream(redirectUris.split("[\\s]+")).filter(u -> !u.isBlank()).toList();
        body.put("redirect_uris", uris);
        List<String> grantTypes = new ArrayList<>(grants == null ? List.of() : grants);
        if (grantTypes.isEmpty()) {
            return refuse("Choose at least one way your tool gets tokens.", name, redirectUris, scope, model,
                    response, user);
        }
        grantTypes.add("refresh_token");
        body.put("grant_types", grantTypes);
        body.put("scope", scope.strip());
        body.put("token_endpoint_auth_method", publicClient ? "none" : "client_secret_basic");
        if (name.isBlank()) {
            return refuse("Give the client a name.", name, redirectUris, scope, model, response, user);
        }
        ClientMetadata metadata;
        try {
            metadata = ClientMetadata.parse(body, false);
        } catch (ClientMetadata.InvalidMetadataException e) {
            return refuse(e.getMessage(), name, redirectUris, scope, model, response, user);
        }
        ClientService.Created created = service.create(metadata.toSpec(null, false));
        OAuthClient client = created.client();
        client.setOwnerAccountId(user.getName());
        clients.save(client);
        audit.record("client.registered", user.getName(), client.getClientId(), Map.of("via", "account page",
                "grants", grantTypes));
        model.addAttribute("createdId", client.getClientId());
        model.addAttribute("createdSecret", created.secret());
        response.setHeader("Cache-Control", "no-store");
        return page(user, model);
    }

    private String refuse(String message, String name, String redirectUris, String scope, Model model,
            HttpServletResponse response, Authentication user) {
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        model.addAttribute("error", message);
        model.addAttribute("name", name);
        model.addAttribute("redirectUris", redirectUris);
        model.addAttribute("scope", scope);
        return page(user, model);
    }

    @PostMapping("/account/clients/{clientId}/delete")
    @Transactional
    public String delete(Authentication user, @PathVariable String clientId,
            @RequestParam(defaultValue = "") String confirmed, HttpServletResponse response, Model model) {
        OAuthClient client = clients.findByClientId(clientId).orElse(null);
        if (client == null || !user.getName().equals(client.getOwnerAccountId())) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            model.addAttribute("error", "You have no client " + clientId + ".");
            return page(user, model);
        }
        if (!Confirmation.CONFIRMED.equals(confirmed)) {
            return Confirmation.page(model, "Delete client " + clientId + "?", "Delete your client " + clientId
                    + "? It can no longer get tokens, and its refresh tokens are gone.", "Delete",
                    "/account/clients/" + clientId + "/delete", Map.of(), "/account/clients");
        }
        service.delete(client);
        audit.record("client.deleted", user.getName(), clientId, Map.of("via", "account page"));
        return "redirect:/account/clients?deleted";
    }
}
