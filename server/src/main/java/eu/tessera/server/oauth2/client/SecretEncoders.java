package eu.tessera.server.oauth2.client;

import java.util.Map;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The one password encoder: new user passwords with bcrypt; stored values carry their scheme as a prefix, so
 * {@code {sha256}} client secrets and {@code {bcrypt}} passwords are matched by the right algorithm, and a
 * client secret hash is never "upgraded" to bcrypt (which would cost milliseconds per token request).
 */
public final class SecretEncoders implements PasswordEncoder {

    private static final String SHA256_PREFIX = "{" + ClientSecrets.SHA256_ID + "}";

    private final DelegatingPasswordEncoder delegate;

    private SecretEncoders(DelegatingPasswordEncoder delegate) {
        this.delegate = delegate;
    }

    public static PasswordEncoder delegating() {
        Map<String, PasswordEncoder> encoders = Map.of(
                "bcrypt", new BCryptPasswordEncoder(),
                ClientSecrets.SHA256_ID, new Sha256SecretEncoder());
        return new SecretEncoders(new DelegatingPasswordEncoder("bcrypt", encoders));
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (encodedPassword == null || rawPassword == null) {
            return false;
        }
        return delegate.matches(rawPassword, encodedPassword);
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return encodedPassword != null && !encodedPassword.startsWith(SHA256_PREFIX)
                && delegate.upgradeEncoding(encodedPassword);
    }
}
