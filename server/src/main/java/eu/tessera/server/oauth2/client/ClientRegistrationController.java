package eu.tessera.server.oauth2.client;

import eu.tessera.server.config.AuthorizationServerConfig;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.oauth2.token.AccessTokenVerifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dynamic client registration (RFC 7591) and management (RFC 7592). With an access token carrying
 * {@code iam:admin.write} any client can be registered; without a token (as oidc-agent does) only a client for
 * user-delegated grants, always asking the user's consent. Each client gets a registration access token,
 * stored hashed, for reading, updating and deleting it.
 */
@RestController
public class ClientRegistrationController {

    private static final String ADMIN_WRITE = "iam:admin.write";

    private final ClientService clients;
    private final AccessTokenVerifier tokens;
    private final TesseraProperties properties;

    public ClientRegistrationController(ClientService clients, AccessTokenVerifier tokens,
            TesseraProperties properties) {
        this.clients = clients;
        this.tokens = tokens;
        this.properties = properties;
    }

    @PostMapping(path = AuthorizationServerConfig.REGISTER, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> register(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody Map<String, Object> body) {
        boolean privileged = false;
        if (authorization != null) {
            Optional<AccessTokenVerifier.VerifiedToken> token = bearer(authorization).flatMap(tokens::verify);
            if (token.isEmpty()) {
                return error(HttpStatus.UNAUTHORIZED, "invalid_token", "the access token is not valid");
            }
            if (!token.get().scopes().contains(ADMIN_WRITE)) {
                return error(HttpStatus.FORBIDDEN, "insufficient_scope", "registration with a token needs "
                        + ADMIN_WRITE);
            }
            privileged = true;
        } else if (!properties.registration().anonymousEnabled()) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_token", "registration needs an admin access token");
        }
        ClientMetadata metadata = ClientMetadata.parse(body, privileged);
        String tooLong = metadata.lifetimes().aboveMaximum(properties.tokens());
        if (tooLong != null) {
            return error(HttpStatus.BAD_REQUEST, "invalid_client_metadata", tooLong);
        }
        ClientService.Created created = clients.create(metadata.toSpec(null, !privileged));
        Map<String, Object> json = metadata(created.client());
        if (created.secret() != null) {
            json.put("client_secret", created.secret());
            json.put("client_secret_expires_at", 0);
        }
        json.put("registration_access_token", created.registrationToken());
        json.put("registration_client_uri", clientUri(created.client()));
        return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore()).body(json);
    }

    @GetMapping(AuthorizationServerConfig.REGISTER + "/{clientId}")
    public ResponseEntity<Map<String, Object>> read(@PathVariable String clientId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Optional<OAuthClient> client = authorized(clientId, authorization);
        if (client.isEmpty()) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_token", "registration access token not valid for client");
        }
        Map<String, Object> json = metadata(client.get());
        json.put("registration_client_uri", clientUri(client.get()));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(json);
    }

    @PutMapping(path = AuthorizationServerConfig.REGISTER + "/{clientId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> update(@PathVariable String clientId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody Map<String, Object> body) {
        Optional<OAuthClient> client = authorized(clientId, authorization);
        if (client.isEmpty()) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_token", "registration access token not valid for client");
        }
        Object requestedId = body.get("client_id");
        if (requestedId != null && !clientId.equals(requestedId)) {
            return error(HttpStatus.BAD_REQUEST, "invalid_client_metadata", "client_id does not match");
        }
        OAuthClient existing = client.get();
        ClientMetadata metadata = ClientMetadata.parse(body, !existing.isDynamicallyRegistered());
        String tooLong = metadata.lifetimes().aboveMaximum(properties.tokens());
        if (tooLong != null) {
            return error(HttpStatus.BAD_REQUEST, "invalid_client_metadata", tooLong);
        }
        if (metadata.authMethod().equals("none") != existing.getAuthMethods().contains("none")) {
            return error(HttpStatus.BAD_REQUEST, "invalid_client_metadata",
                    "a client cannot change between public and confidential");
        }
        OAuthClient updated = clients.update(existing, metadata.toSpec(clientId, existing.isDynamicallyRegistered()));
        Map<String, Object> json = metadata(updated);
        json.put("registration_client_uri", clientUri(updated));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(json);
    }

    @DeleteMapping(AuthorizationServerConfig.REGISTER + "/{clientId}")
    public ResponseEntity<?> delete(@PathVariable String clientId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Optional<OAuthClient> client = authorized(clientId, authorization);
        if (client.isEmpty()) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_token", "registration access token not valid for client");
        }
        clients.delete(client.get());
        return ResponseEntity.noContent().build();
    }

    /** The registered metadata with the lifetimes the client's tokens get (its own or the server's, capped). */
    private Map<String, Object> metadata(OAuthClient client) {
        Map<String, Object> json = new LinkedHashMap<>(ClientMetadata.toJson(client));
        json.putAll(client.getLifetimes().effective(properties.tokens()).toJson());
        return json;
    }

    @ExceptionHandler(ClientMetadata.InvalidMetadataException.class)
    ResponseEntity<Map<String, Object>> invalidMetadata(ClientMetadata.InvalidMetadataException e) {
        return error(HttpStatus.BAD_REQUEST, e.error(), e.getMessage());
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class})
    ResponseEntity<Map<String, Object>> unreadable(Exception e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_client_metadata", "the request body must be a JSON object");
    }

    private Optional<OAuthClient> authorized(String clientId, String authorization) {
        Optional<String> token = bearer(authorization);
        if (token.isEmpty() || clientId.length() > 128) {
            return Optional.empty();
        }
        String hash = ClientSecrets.sha256(token.get());
        return clients.findByClientId(clientId).filter(c -> c.getRegistrationTokenHash() != null
                && ClientSecrets.hashesEqual(c.getRegistrationTokenHash(), hash));
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private String clientUri(OAuthClient client) {
        return properties.baseUrl() + AuthorizationServerConfig.REGISTER + "/" + client.getClientId();
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String description) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).cacheControl(CacheControl.noStore());
        if (status == HttpStatus.UNAUTHORIZED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"" + code + "\"");
        }
        return builder.body(Map.of("error", code, "error_description", description));
    }
}
