package eu.tessera.server.oauth2.client;

import org.springframework.security.crypto.password.PasswordEncoder;

/** Matches a high-entropy client secret against its stored SHA-256 hash in constant time. */
final class Sha256SecretEncoder implements PasswordEncoder {

    @Override
    public String encode(CharSequence rawPassword) {
        return ClientSecrets.sha256(rawPassword.toString());
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        return ClientSecrets.hashesEqual(ClientSecrets.sha256(rawPassword.toString()), encodedPassword);
    }
}
