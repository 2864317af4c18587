package eu.tessera.server.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Public keys Tessera publishes beside its own without ever signing with them ({@code tessera.keys.additional-jwks}):
 * after a VO moves here under its old issuer URL, the old service's keys, so that the tokens it issued still verify
 * at relying parties until they expire. Only the public parts are kept, whatever the file holds.
 */
public final class AdditionalKeys {

    private AdditionalKeys() {
    }

    /** The public keys of the JWKS file, or none when no file is configured. */
    public static List<JWK> load(String file) {
        if (file == null || file.isBlank()) {
            return List.of();
        }
        try {
            JWKSet set = JWKSet.parse(Files.readString(Path.of(file.strip())));
            List<JWK> keys = set.getKeys().stream().map(JWK::toPublicJWK).toList();
            for (JWK key : keys) {
                if (key.getKeyID() == null) {
                    throw new IllegalStateException("tessera.keys.additional-jwks: every key needs a kid (" + file + ")");
                }
            }
            return keys;
        } catch (IOException e) {
            throw new IllegalStateException("tessera.keys.additional-jwks: cannot read " + file + ": " + e.getMessage());
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("tessera.keys.additional-jwks: " + file + " is not a JWKS: "
                    + e.getMessage());
        }
    }
}
