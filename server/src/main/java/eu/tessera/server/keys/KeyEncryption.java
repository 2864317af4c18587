package eu.tessera.server.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM encryption of secrets at rest (private keys, TOTP secrets), with a key derived from
 * {@code tessera.keys.encryption-secret} and the purpose, so that each kind of secret has its own key.
 */
public final class KeyEncryption {

    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String purpose;

    /**
     * The encryption for {@code purpose} with the configured {@code tessera.keys.encryption-secret}, or the built-in
     * development secret when it is not set (as for the signing keys, which warn about it at start).
     */
    public static KeyEncryption configured(String encryptionSecret, String purpose) {
        return new KeyEncryption(encryptionSecret == null || encryptionSecret.isBlank() ? SigningKeyService.DEV_SECRET
                : encryptionSecret, purpose);
    }

    KeyEncryption(String secret) {
        this(secret, "tessera-signing-key-encryption");
    }

    /**
     * @param secret  {@code tessera.keys.encryption-secret}, or the development secret when it is not set
     * @param purpose what is encrypted (part of the key derivation)
     */
    public KeyEncryption(String secret, String purpose) {
        this.purpose = purpose;
        try {
            byte[] derived = MessageDigest.getInstance("SHA-256")
                    .digest((purpose + "\0" + secret).getBytes(StandardCharsets.UTF_8));
            this.key = new SecretKeySpec(derived, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String encrypt(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt (" + purpose + ")", e);
        }
    }

    /** @throws IllegalStateException when the secret is not the one the key was encrypted with */
    public String decrypt(String encoded) {
        try {
            byte[] in = Base64.getDecoder().decode(encoded);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, IV_BYTES));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cannot decrypt a stored secret (" + purpose + "): is tessera.keys.encryption-secret the one it "
                            + "was created with?",
                    e);
        }
    }
}
