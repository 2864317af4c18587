package eu.tessera.sync;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OAuth 2.0 client-credentials token (RFC 6749 section 4.4) from a token endpoint, typically Tessera's own
 * or the target Tessera's: reused until 30 seconds before {@code expires_in}, renewed when the catalogue refuses it.
 */
public final class ClientCredentialsToken implements Credentials {

    private final HttpTransport http;
    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final String audience;
    private final Clock clock;
    private String token;
    private Instant expires = Instant.MIN;

    /**
     * @param scope    space-separated scopes to ask for, or null
     * @param audience the {@code audience} parameter (RFC 8707 style, as Tessera accepts it), or null
     */
    public ClientCredentialsToken(HttpTransport http, URI tokenEndpoint, String clientId, String clientSecret,
            String scope, String audience, Clock clock) {
        this.http = http;
        this.tokenEndpoint = tokenEndpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.audience = audience;
        this.clock = clock;
    }

    @Override
    public synchronized String token(boolean renew) throws SyncException {
        if (!renew && token != null && clock.instant().isBefore(expires)) {
            return token;
        }
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (scope != null && !scope.isBlank()) {
            form.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        if (audience != null && !audience.isBlank()) {
            form.append("&audience=").append(URLEncoder.encode(audience, StandardCharsets.UTF_8));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                        + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        HttpTransport.Response response = http.send("POST", tokenEndpoint, form.toString(), headers);
        Map<String, Object> body;
        try {
            body = Json.parseObject(response.body());
        } catch (IllegalArgumentException e) {
            throw new SyncException("token endpoint " + HttpTransport.path(tokenEndpoint) + " answered HTTP "
                    + response.status() + " without JSON", false);
        }
        if (response.status() != 200 || !(body.get("access_token") instanceof String issued)) {
            throw new SyncException("token endpoint refused client " + clientId + ": " + body.get("error"), false);
        }
        long lifetime = body.get("expires_in") instanceof Number n ? n.longValue() : 300;
        token = issued;
        expires = clock.instant().plus(Duration.ofSeconds(Math.max(lifetime - 30, 1)));
        return token;
    }
}
