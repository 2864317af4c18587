package eu.tessera.server.oauth2.client;

import eu.tessera.server.config.TesseraProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client's own token lifetimes, in seconds; 0 means the server default. Each is capped by a server-wide maximum:
 * access tokens and ID tokens by {@code tessera.tokens.max-access-token-ttl}, refresh tokens by
 * {@code max-refresh-token-ttl}, device codes by {@link #MAX_DEVICE_CODE} (RFC 8628 device codes are short-lived).
 * The wire names are INDIGO IAM's client fields.
 */
public record TokenLifetimes(int accessToken, int refreshToken, int idToken, int deviceCode) {

    public static final TokenLifetimes DEFAULT = new TokenLifetimes(0, 0, 0, 0);
    public static final Duration MAX_DEVICE_CODE = Duration.ofMinutes(30);

    static final String ACCESS = "access_token_validity_seconds";
    static final String REFRESH = "refresh_token_validity_seconds";
    static final String ID = "id_token_validity_seconds";
    static final String DEVICE = "device_code_validity_seconds";

    public TokenLifetimes {
        if (accessToken < 0 || refreshToken < 0 || idToken < 0 || deviceCode < 0) {
            throw new IllegalArgumentException("token lifetimes are not negative");
        }
    }

    /** Whether any lifetime differs from the server default. */
    public boolean custom() {
        return !equals(DEFAULT);
    }

    /** The lifetimes tokens of a client get: its own, or the default, never above the maximum. */
    public record Effective(Duration accessToken, Duration refreshToken, Duration idToken, Duration deviceCode) {

        /** As registration metadata (RFC 7591 extension fields). */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put(ACCESS, accessToken.toSeconds());
            json.put(REFRESH, refreshToken.toSeconds());
            json.put(ID, idToken.toSeconds());
            json.put(DEVICE, deviceCode.toSeconds());
            return json;
        }
    }

    public Effective effective(TesseraProperties.Tokens tokens) {
        return new Effective(cap(accessToken, tokens.accessTokenTtl(), tokens.maxAccessTokenTtl()),
                cap(refreshToken, tokens.refreshTokenTtl(), tokens.maxRefreshTokenTtl()),
                cap(idToken, tokens.idTokenTtl(), tokens.maxAccessTokenTtl()),
                cap(deviceCode, tokens.deviceCodeTtl(), MAX_DEVICE_CODE));
    }

    /**
     * The first lifetime above its maximum, as a message naming the field and the maximum, or null.
     */
    public String aboveMaximum(TesseraProperties.Tokens tokens) {
        Map<String, long[]> checks = new LinkedHashMap<>();
        checks.put(ACCESS, new long[] {accessToken, tokens.maxAccessTokenTtl().toSeconds()});
        checks.put(REFRESH, new long[] {refreshToken, tokens.maxRefreshTokenTtl().toSeconds()});
        checks.put(ID, new long[] {idToken, tokens.maxAccessTokenTtl().toSeconds()});
        checks.put(DEVICE, new long[] {deviceCode, MAX_DEVICE_CODE.toSeconds()});
        for (Map.Entry<String, long[]> check : checks.entrySet()) {
            if (check.getValue()[0] > check.getValue()[1]) {
                return check.getKey() + " may be at most " + check.getValue()[1] + " on this server";
            }
        }
        return null;
    }

    private static Duration cap(int seconds, Duration fallback, Duration max) {
        Duration wanted = seconds > 0 ? Duration.ofSeconds(seconds) : fallback;
        return wanted.compareTo(max) > 0 ? max : wanted;
    }
}
