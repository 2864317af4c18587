package eu.tessera.server.oauth2.client;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.web.MessagePage;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Clients in the administration pages: create one with every registration field (the secret shown once), and a page
 * per client to edit it, rotate its secret, disable or enable it. The same rules as dynamic registration by an
 * admin ({@link ClientMetadata}).
 */
@Controller
public class ClientPagesController {

    static final List<String> GRANTS = List.of("authorization_code", "refresh_token", ClientMetadata.DEVICE_CODE,
            "client_credentials", ClientMetadata.TOKEN_EXCHANGE);

    private final ClientService clients;
    private final AuditLog audit;

    public ClientPagesController(ClientService clients, AuditLog audit) {
        this.clients = clients;
        this.audit = audit;
    }

    /** The form's fields, kept when the form comes back with an error. */
    public record Form(String name, String description, List<String> grants, String redirectUris, String scope,
            String authMethod, String profile, String contacts) {

        static Form empty() {
            return new Form("", "", List.of("authorization_code", "refresh_token"), "", "openid profile",
                    "client_secret_basic", "wlcg", "");
        }

        static Form of(OAuthClient client) {
            return new Form(client.getClientName(), client.getClientDescription() == null ? ""
                    : client.getClientDescription(), new ArrayList<>(client.getGrantTypes()),
                    String.join("\n", client.getRedirectUris()), String.join(" ", client.getScopes()),
                    client.getAuthMethods().iterator().next(), client.getTokenProfile().wireName(),
                    String.join(", ", client.getContacts()));
        }

        Map<String, Object> registration() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("client_name", name.isBlank() ? null : name.strip());
            body.put("grant_types", grants);
            body.put("redirect_uris", lines(redirectUris));
            body.put("scope", scope);
            body.put("token_endpoint_auth_method", authMethod);
            body.put("token_profile", profile);
            return body;
        }

        Set<String> contactSet() {
            Set<String> out = new LinkedHashSet<>();
            for (String email : contacts.split("[,\\s]+")) {
                if (!email.isBlank()) {
                    if (!email.contains("@") || email.length() > 320) {
                        throw new ClientMetadata.InvalidMetadataException("invalid_client_metadata",
                                "contacts: email addresses, separated by commas");
                    }
                    out.add(email.strip());
                }
            }
            return out;
        }

        private static List<String> lines(String text) {
            return Arrays.stream(text.split("\\R")).map(String::strip).filter(line -> !line.isEmpty()).toList();
        }
    }

    @GetMapping("/admin/clients/new")
    public String newClient(Model model) {
        return form(model, Form.empty(), null, null);
    }

    @PostMapping("/admin/clients/new")
    public String create(Authentication user, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String description,
            @RequestParam(name = "grant", required = false) List<String> grants,
            @RequestParam(defaultValue = "") String redirectUris, @RequestParam(defaultValue = "") String scope,
            @RequestParam(defaultValue = "client_secret_basic") String authMethod,
            @RequestParam(defaultValue = "wlcg") String profile, @RequestParam(defaultValue = "") String contacts,
            Model model, HttpServletResponse response) {
        Form form = new Form(name, description, grants == null ? List.of() : grants, redirectUris, scope, authMethod,
                profile, contacts);
        try {
            ClientMetadata metadata = ClientMetadata.parse(form.registration(), true);
            Set<String> contactSet = form.contactSet();
            if (description.length() > 1024) {
                throw new ClientMetadata.InvalidMetadataException("invalid_client_metadata",
                        "the description may have at most 1024 characters");
            }
            ClientService.Created created = clients.create(metadata.toSpec(null, false));
            clients.describe(created.client(), description.isBlank() ? null : description.strip(), contactSet);
            audit.record("client.created", user.getName(), created.client().getClientId(), Map.of("via", "admin page"));
            model.addAttribute("client", created.client());
            model.addAttribute("secret", created.secret());
            return "admin/client-created";
        } catch (ClientMetadata.InvalidMetadataException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return form(model, form, null, e.getMessage());
        }
    }

    @GetMapping("/admin/clients/{clientId}")
    public String page(@PathVariable String clientId, Model model, HttpServletResponse response) {
        OAuthClient client = clients.findByClientId(clientId).orElse(null);
        if (client == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such client",
                    "There is no client " + clientId + ".", "/admin/clients", "All clients");
        }
        return form(model, Form.of(client), client, null);
    }

    @PostMapping("/admin/clients/{clientId}")
    public String change(Authentication user, @PathVariable String clientId,
            @RequestParam(defaultValue = "save") String action, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String description,
            @RequestParam(name = "grant", required = false) List<String> grants,
            @RequestParam(defaultValue = "") String redirectUris, @RequestParam(defaultValue = "") String scope,
            @RequestParam(defaultValue = "wlcg") String profile, @RequestParam(defaultValue = "") String contacts,
            Model model, HttpServletResponse response) {
        OAuthClient client = clients.findByClientId(clientId).orElse(null);
        if (client == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such client",
                    "There is no client " + clientId + ".", "/admin/clients", "All clients");
        }
        switch (action) {
            case "rotate" -> {
                if (client.getAuthMethods().contains("none")) {
                    return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "No secret",
                            "A public client has no secret.", "/admin/clients/" + clientId, "Back");
                }
                String secret = clients.rotateSecret(client);
                audit.record("client.secret_rotated", user.getName(), clientId, Map.of("via", "admin page"));
                model.addAttribute("client", client);
                model.addAttribute("secret", secret);
                return "admin/client-created";
            }
            case "enable", "disable" -> {
                clients.setActive(client, action.equals("enable"), user.getName());
                audit.record("client." + action + "d", user.getName(), clientId, Map.of("via", "admin page"));
                return "redirect:/admin/clients/" + clientId + "?" + action + "d";
            }
            default -> {
                Form form = new Form(name, description, grants == null ? List.of() : grants, redirectUris, scope,
                        client.getAuthMethods().iterator().next(), profile, contacts);
                try {
                    ClientMetadata metadata = ClientMetadata.parse(form.registration(), true);
                    Set<String> contactSet = form.contactSet();
                    OAuthClient updated = clients.update(client, metadata.toSpec(clientId,
                            client.isDynamicallyRegistered()));
                    clients.describe(updated, description.isBlank() ? null : description.strip(), contactSet);
                    audit.record("client.updated", user.getName(), clientId, Map.of("via", "admin page"));
                    return "redirect:/admin/clients/" + clientId + "?saved";
                } catch (ClientMetadata.InvalidMetadataException e) {
                    response.setStatus(HttpStatus.BAD_REQUEST.value());
                    return form(model, form, client, e.getMessage());
                }
            }
        }
    }

    private String form(Model model, Form form, OAuthClient client, String error) {
        model.addAttribute("form", form);
        model.addAttribute("client", client);
        model.addAttribute("error", error);
        model.addAttribute("grants", GRANTS);
        return "admin/client";
    }
}
