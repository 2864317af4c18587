package eu.tessera.sync.rucio;

import eu.tessera.sync.Credentials;
import eu.tessera.sync.HttpTransport;
import eu.tessera.sync.SyncException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Rucio userpass login ({@code GET /auth/userpass} with {@code X-Rucio-Account}, {@code X-Rucio-Username} and
 * {@code X-Rucio-Password}); the token is reused until a minute before {@code X-Rucio-Auth-Token-Expires}.
 */
public final class RucioUserpass implements Credentials {

    private static final DateTimeFormatter EXPIRES = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss z",
            Locale.ENGLISH);

    private final HttpTransport http;
    private final URI url;
    private final String account;
    private final String username;
    private final String password;
    private final String vo;
    private final Clock clock;
    private String token;
    private Instant expires = Instant.MIN;

    public RucioUserpass(HttpTransport http, URI url, String account, String username, String password, String vo,
            Clock clock) {
        this.http = http;
        this.url = url;
        this.account = account;
        this.username = username;
        this.password = password;
        this.vo = vo;
        this.clock = clock;
    }

    @Override
    public synchronized String token(boolean renew) throws SyncException {
        if (!renew && token != null && clock.instant().isBefore(expires)) {
            return token;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Rucio-Account", account);
        headers.put("X-Rucio-Username", username);
        headers.put("X-Rucio-Password", password);
        if (vo != null) {
            headers.put("X-Rucio-VO", vo);
        }
        HttpTransport.Response response = http.send("GET", RucioCatalogue.resolve(url, "auth/userpass"), null,
                headers);
        String issued = response.header("X-Rucio-Auth-Token");
        if (response.status() != 200 || issued == null) {
            throw new SyncException("Rucio userpass login as " + account + " refused: HTTP " + response.status(),
                    false);
        }
        token = issued;
        expires = expiry(response.header("X-Rucio-Auth-Token-Expires"));
        return token;
    }

    private Instant expiry(String header) {
        Instant fallback = clock.instant().plus(Duration.ofMinutes(30));
        if (header == null) {
            return fallback;
        }
        try {
            return ZonedDateTime.parse(header.strip(), EXPIRES).toInstant().minus(Duration.ofMinutes(1));
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
