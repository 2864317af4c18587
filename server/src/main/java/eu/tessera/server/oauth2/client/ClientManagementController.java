package eu.tessera.server.oauth2.client;

import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Client management as INDIGO IAM serves it ({@code ClientManagementAPIController}, {@code /iam/api/clients},
 * IAM 1.12): the list ({@code startIndex}, {@code count}, and Tessera's {@code search} over id and name) in IAM's
 * {@code ListResponseDTO}, the client in {@code RegisteredClientDTO}'s snake_case fields (the secret only in the
 * answers that create or rotate it), create, update, delete, {@code POST /{clientId}/secret},
 * {@code PATCH /{clientId}/enable|disable} and the owner. {@code iam:admin.read} reads, {@code iam:admin.write}
 * changes (ApiSecurityConfig). Errors are problem+json with IAM's {@code error} member.
 */
@RestController
public class ClientManagementController {

    static final String BASE = "/iam/api/clients";

    private final ClientService clients;
    private final AccountRepository accounts;
    private final AuditLog audit;
    private final TesseraProperties properties;

    public ClientManagementController(ClientService clients, AccountRepository accounts, AuditLog audit,
            TesseraProperties properties) {
        this.clients = clients;
        this.accounts = accounts;
        this.audit = audit;
        this.properties = properties;
    }

    /** A refused request, with its HTTP status. */
    static final class ManagementException extends RuntimeException {
        final HttpStatus status;

        ManagementException(HttpStatus status, String message) {
            super(message);
            this.status = status;
        }
    }

    @GetMapping(BASE)
    public Map<String, Object> list(@RequestParam(defaultValue = "1") int startIndex,
            @RequestParam(defaultValue = "10") int count, @RequestParam(required = false) String search) {
        if (startIndex < 1 || count < 0 || count > 100) {
            throw new ManagementException(HttpStatus.BAD_REQUEST, "startIndex must be at least 1 and count between "
                    + "0 and 100");
        }
        ClientService.Page page = clients.page(search, startIndex - 1, count);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalResults", page.total());
        out.put("itemsPerPage", page.clients().size());
        out.put("startIndex", startIndex);
        out.put("Resources", page.clients().stream().map(this::dto).toList());
        return out;
    }

    @GetMapping(BASE + "/{clientId}")
    public Map<String, Object> get(@PathVariable String clientId) {
        return dto(require(clientId));
    }

    @PostMapping(BASE)
    public ResponseEntity<Map<String, Object>> create(@RequestBody Map<String, Object> body,
            @AuthenticationPrincipal Jwt token) {
        ClientMetadata metadata = metadata(body);
        boolean pkce = requirePkce(body);
        String requested = body.get("client_id") instanceof String id && !id.isBlank() ? id.strip() : null;
        if (requested != null && clients.findByClientId(requested).isPresent()) {
            throw new ManagementException(HttpStatus.CONFLICT, "a client with id " + requested + " exists");
        }
        ClientService.Created created = clients.create(metadata.toSpec(requested, false));
        OAuthClient client = clients.describe(created.client(), description(body), contacts(body));
        if (pkce && !metadata.authMethod().equals("none")) {
            client = clients.setRequirePkce(client, true);
        }
        audit.record("client.created", token.getSubject(), client.getClientId(), Map.of("via", "client management"));
        Map<String, Object> dto = dto(client);
        if (created.secret() != null) {
            dto.put("client_secret", created.secret());   // shown once
        }
        dto.put("registration_access_token", created.registrationToken());
        return ResponseEntity.status(HttpStatus.CREATED).body(dto);
    }

    @PutMapping(BASE + "/{clientId}")
    public Map<String, Object> update(@PathVariable String clientId, @RequestBody Map<String, Object> body,
            @AuthenticationPrincipal Jwt token) {
        OAuthClient existing = require(clientId);
        ClientMetadata metadata = metadata(body);
        boolean pkce = requirePkce(body);
        if (metadata.authMethod().equals("none") != existing.getAuthMethods().contains("none")) {
            throw new ManagementException(HttpStatus.BAD_REQUEST, "a client cannot change between public and "
                    + "confidential");
        }
        OAuthClient updated = clients.update(existing, metadata.toSpec(clientId, existing.isDynamicallyRegistered()));
        updated = clients.describe(updated, description(body), contacts(body));
        if (!metadata.authMethod().equals("none")) {
            updated = clients.setRequirePkce(updated, pkce);   // PUT replaces: absent means not required
        }
        audit.record("client.updated", token.getSubject(), clientId, Map.of("via", "client management"));
        return dto(updated);
    }

    @DeleteMapping(BASE + "/{clientId}")
    public ResponseEntity<Void> delete(@PathVariable String clientId, @AuthenticationPrincipal Jwt token) {
        clients.delete(require(clientId));
        audit.record("client.deleted", token.getSubject(), clientId, Map.of("via", "client management"));
        return ResponseEntity.noContent().build();
    }

    @PostMapping(BASE + "/{clientId}/secret")
    public ResponseEntity<Map<String, Object>> rotate(@PathVariable String clientId,
            @AuthenticationPrincipal Jwt token) {
        OAuthClient client = require(clientId);
        if (client.getAuthMethods().contains("none")) {
            throw new ManagementException(HttpStatus.BAD_REQUEST, "a public client has no secret");
        }
        String secret = clients.rotateSecret(client);
        audit.record("client.secret_rotated", token.getSubject(), clientId, Map.of());
        Map<String, Object> dto = dto(client);
        dto.put("client_secret", secret);   // shown once; the old secret no longer works
        return ResponseEntity.status(HttpStatus.CREATED).body(dto);
    }

    @PatchMapping(BASE + "/{clientId}/{status:enable|disable}")
    public Map<String, Object> status(@PathVariable String clientId, @PathVariable String status,
            @AuthenticationPrincipal Jwt token) {
        boolean active = status.equals("enable");
        OAuthClient client = clients.setActive(require(clientId), active, token.getSubject());
        audit.record(active ? "client.enabled" : "client.disabled", token.getSubject(), clientId, Map.of());
        return dto(client);
    }

    @GetMapping(BASE + "/{clientId}/owners")
    public Map<String, Object> owners(@PathVariable String clientId) {
        OAuthClient client = require(clientId);
        List<Map<String, Object>> owners = new ArrayList<>();
        if (client.getOwnerAccountId() != null) {
            accounts.findById(client.getOwnerAccountId()).ifPresent(a -> owners.add(Map.of("id", a.getId(),
                    "userName", a.getUsername())));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalResults", owners.size());
        out.put("itemsPerPage", owners.size());
        out.put("startIndex", 1);
        out.put("Resources", owners);
        return out;
    }

    @PostMapping(BASE + "/{clientId}/owners/{accountId}")
    public ResponseEntity<Void> addOwner(@PathVariable String clientId, @PathVariable String accountId,
            @AuthenticationPrincipal Jwt token) {
        OAuthClient client = require(clientId);
        if (accounts.findById(accountId).isEmpty()) {
            throw new ManagementException(HttpStatus.NOT_FOUND, "No account found for id '" + accountId + "'");
        }
        clients.setOwner(client, accountId);
        audit.record("client.owner_set", token.getSubject(), clientId, Map.of("owner", accountId));
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    @DeleteMapping(BASE + "/{clientId}/owners/{accountId}")
    public ResponseEntity<Void> removeOwner(@PathVariable String clientId, @PathVariable String accountId,
            @AuthenticationPrincipal Jwt token) {
        OAuthClient client = require(clientId);
        if (accountId.equals(client.getOwnerAccountId())) {
            clients.setOwner(client, null);
            audit.record("client.owner_removed", token.getSubject(), clientId, Map.of("owner", accountId));
        }
        return ResponseEntity.noContent().build();
    }

    private ClientMetadata metadata(Map<String, Object> body) {
        Map<String, Object> registration = new LinkedHashMap<>(body);
        registration.remove("client_id");
        try {
            ClientMetadata metadata = ClientMetadata.parse(registration, true);
            String tooLong = metadata.lifetimes().aboveMaximum(properties.tokens());
            if (tooLong != null) {
                throw new ManagementException(HttpStatus.BAD_REQUEST, tooLong);
            }
            return metadata;
        } catch (ClientMetadata.InvalidMetadataException e) {
            throw new ManagementException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /** IAM's {@code code_challenge_method}: S256 requires PKCE; empty or absent does not; plain is refused. */
    private static boolean requirePkce(Map<String, Object> body) {
        Object method = body.get("code_challenge_method");
        if (method == null || method instanceof String text && text.isBlank()) {
            return false;
        }
        if ("S256".equals(method)) {
            return true;
        }
        throw new ManagementException(HttpStatus.BAD_REQUEST, "code_challenge_method: S256, or empty for none "
                + "(plain is not allowed, RFC 9700 section 2.1.1)");
    }

    private static String description(Map<String, Object> body) {
        Object value = body.get("client_description");
        if (value != null && (!(value instanceof String text) || text.length() > 1024)) {
            throw new ManagementException(HttpStatus.BAD_REQUEST, "client_description: at most 1024 characters");
        }
        return value == null || ((String) value).isBlank() ? null : ((String) value).strip();
    }

    private static Set<String> contacts(Map<String, Object> body) {
        Object value = body.get("contacts");
        if (value == null) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof String email) || !email.contains("@") || email.contains(" ")
                        || email.length() > 320) {
                    throw new ManagementException(HttpStatus.BAD_REQUEST, "contacts: a list of email addresses");
                }
                out.add(email);
            }
            return out;
        }
        throw new ManagementException(HttpStatus.BAD_REQUEST, "contacts: a list of email addresses");
    }

    private OAuthClient require(String clientId) {
        return clients.findByClientId(clientId).orElseThrow(() -> new ManagementException(HttpStatus.NOT_FOUND,
                "Client '" + clientId + "' not found"));
    }

    /** IAM's RegisteredClientDTO fields (snake_case; empty ones left out, as IAM's NON_EMPTY does). */
    private Map<String, Object> dto(OAuthClient client) {
        Map<String, Object> dto = new LinkedHashMap<>(ClientMetadata.toJson(client));
        dto.putAll(client.getLifetimes().effective(properties.tokens()).toJson());
        if (client.getClientDescription() != null) {
            dto.put("client_description", client.getClientDescription());
        }
        if (!client.getContacts().isEmpty()) {
            dto.put("contacts", new ArrayList<>(client.getContacts()));
        }
        dto.put("dynamically_registered", client.isDynamicallyRegistered());
        dto.put("created_at", client.getCreatedAt().toString());
        dto.put("active", client.isActive());
        if (client.getStatusChangedAt() != null) {
            dto.put("status_changed_on", client.getStatusChangedAt().toString());
            dto.put("status_changed_by", client.getStatusChangedBy());
        }
        if (client.getAuthMethods().contains("none") || client.isRequirePkce()) {
            dto.put("code_challenge_method", "S256");   // PKCE required: always for public clients
        }
        if (client.getLastUsedOn() != null) {
            dto.put("last_used", client.getLastUsedOn().toString());   // a day, as IAM's client_last_used
        }
        return dto;
    }

    @ExceptionHandler(ManagementException.class)
    ResponseEntity<ProblemDetail> refused(ManagementException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status, e.getMessage());
        problem.setProperty("error", e.getMessage());
        return ResponseEntity.status(e.status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(Exception e) {
        return refused(new ManagementException(HttpStatus.BAD_REQUEST, "the body must be a JSON object"));
    }
}
