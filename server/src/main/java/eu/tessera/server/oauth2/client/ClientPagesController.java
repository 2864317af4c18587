package eu.tessera.server.oauth2.client;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.web.Confirmation;
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
 * per client to edit it (PKCE, token lifetimes included), rotate its secret (after confirming), disable or enable it,
 * set or remove its owner, and see the day it last got a token. The same rules as dynamic registration by an
 * admin ({@link ClientMetadata}).
 */
@Controller
public class ClientPagesController {

    static final List<String> GRANTS = List.of("authorization_code", "refresh_token", ClientMetadata.DEVICE_CODE,
            "client_credentials", ClientMetadata.TOKEN_EXCHANGE);

    private final ClientService clients;
    private final AuditLog audit;
    private final eu.tessera.server.account.AccountRepository accounts;
    private final eu.tessera.server.config.TesseraProperties properties;

    public ClientPagesController(ClientService clients, AuditLog audit,
            eu.tessera.server.account.AccountRepository accounts, eu.tessera.server.config.TesseraProperties properties) {
        this.clients = clients;
        this.audit = audit;
        this.accounts = accounts;
        this.properties = properties;
    }

    /** The form's fields, kept when the form comes back with an error; lifetimes in seconds, empty: default. */
    public record Form(String name, String description, List<String> grants, String redirectUris, String scope,
            String authMethod, String profile, String contacts, boolean requirePkce, String access, String refresh,
            String idToken, String deviceCode) {

        static Form empty() {
            return new Form("", "", List.of("authorization_code", "refresh_token"), "", "openid profile",
                    "client_secret_basic", "wlcg", "", false, "", "", "", "");
        }

        static Form of(OAuthClient client) {
            TokenLifetimes own = client.getLifetimes();
            return new Form(client.getClientName(), client.getClientDescription() == null ? ""
                    : client.getClientDescription(), new ArrayList<>(client.getGrantTypes()),
                    String.join("\n", client.getRedirectUris()), String.join(" ", client.getScopes()),
                    client.getAuthMethods().iterator().next(), client.getTokenProfile().wireName(),
                    String.join(", ", client.getContacts()), client.isRequirePkce(), seconds(own.accessToken()),
                    seconds(own.refreshToken()), seconds(own.idToken()), seconds(own.deviceCode()));
        }

        private static String seconds(int value) {
            return value > 0 ? Integer.toString(value) : "";
        }

        Map<String, Object> registration() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("client_name", name.isBlank() ? null : name.strip());
            body.put("grant_types", grants);
            body.put("redirect_uris", lines(redirectUris));
            body.put("scope", scope);
            body.put("token_endpoint_auth_method", authMethod);
            body.put("token_profile", profile);
            lifetime(body, TokenLifetimes.ACCESS, access, "access token");
            lifetime(body, TokenLifetimes.REFRESH, refresh, "refresh token");
            lifetime(body, TokenLifetimes.ID, idToken, "ID token");
            lifetime(body, TokenLifetimes.DEVICE, deviceCode, "device code");
            return body;
        }

        private static void lifetime(Map<String, Object> body, String field, String text, String what) {
            if (text == null || text.isBlank()) {
                return;
            }
            try {
                body.put(field, Integer.valueOf(text.strip()));
            } catch (NumberFormatException e) {
                throw new ClientMetadata.InvalidMetadataException("invalid_client_metadata", "the " + what
                        + " lifetime is a whole number of seconds, or empty for the server default");
            }
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
            @RequestParam(defaultValue = "false") boolean requirePkce, @RequestParam(defaultValue = "") String access,
            @RequestParam(defaultValue = "") String refresh, @RequestParam(defaultValue = "") String idToken,
            @RequestParam(defaultValue = "") String deviceCode, Model model, HttpServletResponse response) {
        Form form = new Form(name, description, grants == null ? List.of() : grants, redirectUris, scope, authMethod,
                profile, contacts, requirePkce, access, refresh, idToken, deviceCode);
        try {
            ClientMetadata metadata = checked(form);
            Set<String> contactSet = form.contactSet();
            ClientService.Created created = clients.create(metadata.toSpec(null, false));
            OAuthClient client = clients.describe(created.client(), description.isBlank() ? null
                    : description.strip(), contactSet);
            if (requirePkce && !authMethod.equals("none")) {
                client = clients.setRequirePkce(client, true);
            }
            audit.record("client.created", user.getName(), client.getClientId(), Map.of("via", "admin page"));
            model.addAttribute("client", client);
            model.addAttribute("secret", created.secret());
            return "admin/client-created";
        } catch (ClientMetadata.InvalidMetadataException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return form(model, form, null, e.getMessage());
        }
    }

    /** The registration rules of an admin registration, the description's length and the lifetimes' maxima. */
    private ClientMetadata checked(Form form) {
        ClientMetadata metadata = ClientMetadata.parse(form.registration(), true);
        if (form.description().length() > 1024) {
            throw new ClientMetadata.InvalidMetadataException("invalid_client_metadata",
                    "the description may have at most 1024 characters");
        }
        String tooLong = metadata.lifetimes().aboveMaximum(properties.tokens());
        if (tooLong != null) {
            throw new ClientMetadata.InvalidMetadataException("invalid_client_metadata", tooLong);
        }
        return metadata;
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
            @RequestParam(defaultValue = "false") boolean requirePkce, @RequestParam(defaultValue = "") String access,
            @RequestParam(defaultValue = "") String refresh, @RequestParam(defaultValue = "") String idToken,
            @RequestParam(defaultValue = "") String deviceCode, @RequestParam(defaultValue = "") String username,
            @RequestParam(defaultValue = "") String confirmed, Model model, HttpServletResponse response) {
        OAuthClient client = clients.findByClientId(clientId).orElse(null);
        if (client == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such client",
                    "There is no client " + clientId + ".", "/admin/clients", "All clients");
        }
        String back = "/admin/clients/" + clientId;
        switch (action) {
            case "rotate" -> {
                if (client.getAuthMethods().contains("none")) {
                    return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "No secret",
                            "A public client has no secret.", back, "Back");
                }
                if (!Confirmation.CONFIRMED.equals(confirmed)) {
                    return Confirmation.page(model, "Give " + client.getClientName() + " a new secret?",
                            "The current secret stops working at once: the service using it gets no tokens until it "
                            + "is configured with the new one.", "New secret", back, Map.of("action", "rotate"),
                            back);
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
                return "redirect:" + back + "?" + action + "d";
            }
            case "owner" -> {
                var owner = accounts.findByUsername(username.strip()).orElse(null);
                if (owner == null) {
                    return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "Owner not set",
                            "There is no account " + username.strip() + ".", back, "Back to the client");
                }
                clients.setOwner(client, owner.getId());
                audit.record("client.owner_set", user.getName(), clientId, Map.of("owner", owner.getId(), "via",
                        "admin page"));
                return "redirect:" + back + "?owner";
            }
            case "unowner" -> {
                if (client.getOwnerAccountId() != null) {
                    String previous = client.getOwnerAccountId();
                    clients.setOwner(client, null);
                    audit.record("client.owner_removed", user.getName(), clientId, Map.of("owner", previous, "via",
                            "admin page"));
                }
                return "redirect:" + back + "?owner";
            }
            case "save" -> {
                Form form = new Form(name, description, grants == null ? List.of() : grants, redirectUris, scope,
                        client.getAuthMethods().iterator().next(), profile, contacts, requirePkce, access, refresh,
                        idToken, deviceCode);
                try {
                    ClientMetadata metadata = checked(form);
                    Set<String> contactSet = form.contactSet();
                    OAuthClient updated = clients.update(client, metadata.toSpec(clientId,
                            client.isDynamicallyRegistered()));
                    updated = clients.describe(updated, description.isBlank() ? null : description.strip(),
                            contactSet);
                    if (!client.getAuthMethods().contains("none")) {
                        clients.setRequirePkce(updated, requirePkce);
                    }
                    audit.record("client.updated", user.getName(), clientId, Map.of("via", "admin page"));
                    return "redirect:" + back + "?saved";
                } catch (ClientMetadata.InvalidMetadataException e) {
                    response.setStatus(HttpStatus.BAD_REQUEST.value());
                    return form(model, form, client, e.getMessage());
                }
            }
            default -> {
                return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Nothing changed",
                        "Unknown action.", back, "Back to the client");
            }
        }
    }

    private String form(Model model, Form form, OAuthClient client, String error) {
        model.addAttribute("form", form);
        model.addAttribute("client", client);
        model.addAttribute("error", error);
        model.addAttribute("grants", GRANTS);
        model.addAttribute("owner", client == null || client.getOwnerAccountId() == null ? null
                : accounts.findById(client.getOwnerAccountId()).map(a -> a.getUsername()).orElse("a removed account"));
        model.addAttribute("maxAccess", properties.tokens().maxAccessTokenTtl().toSeconds());
        model.addAttribute("maxRefresh", properties.tokens().maxRefreshTokenTtl().toSeconds());
        model.addAttribute("maxDevice", TokenLifetimes.MAX_DEVICE_CODE.toSeconds());
        return "admin/client";
    }
}
