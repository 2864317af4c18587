package eu.tessera.server.oauth2.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Server-generated client secrets and registration tokens (256 bits of entropy) and their SHA-256 hashes.
 * A fast hash suffices for high-entropy values and keeps client authentication in microseconds
 * (DESIGN.md "Tokens"); user passwords use an adaptive hash instead.
 */
public final class ClientSecrets {

    /** Prefix that marks a stored SHA-256 hash for the delegating password encoder. */
    public static final String SHA256_ID = "sha256";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientSecrets() {
    }

    /** A new random secret, URL-safe base64 without padding. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex SHA-256 of the value. */
    public static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The stored form of a secret: {@code {sha256}<hex>}. */
    public static String storedHash(String secret) {
        return "{" + SHA256_ID + "}" + sha256(secret);
    }

    /** Constant-time comparison of two hex hashes. */
    public static boolean hashesEqual(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
