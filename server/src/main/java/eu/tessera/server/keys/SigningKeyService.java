package eu.tessera.server.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import eu.tessera.server.config.TesseraProperties;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Persisted signing keys with rotation and overlap (DESIGN.md "Tokens"): one ACTIVE key signs; a NEXT key is
 * published ahead so relying parties have it cached before it signs; the PREVIOUS key stays published until
 * tokens it signed have expired. Keys are held in memory and reloaded every minute, so a rotation done by
 * one instance reaches the others within a minute.
 */
@Service
public class SigningKeyService {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyService.class);
    static final String DEV_SECRET = "tessera-development-secret-change-me";

    /** What this instance signs with and publishes. */
    public record KeySet(JWK active, List<JWK> published) {
    }

    private final SigningKeyRepository keys;
    private final TesseraProperties properties;
    private final Clock clock;
    private final KeyEncryption encryption;
    private volatile KeySet current;

    public SigningKeyService(SigningKeyRepository keys, TesseraProperties properties, Clock clock) {
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
        String secret = properties.keys().encryptionSecret();
        if (secret == null || secret.isBlank()) {
            log.warn("tessera.keys.encryption-secret (TESSERA_KEYS_ENCRYPTION_SECRET) is not set: signing keys are "
                    + "encrypted with a built-in development secret. Set it in production.");
            secret = DEV_SECRET;
        }
        this.encryption = new KeyEncryption(secret);
    }

    /** The keys in use; created on first start. */
    public KeySet keySet() {
        KeySet set = current;
        if (set == null) {
            synchronized (this) {
                if (current == null) {
                    ensureKeys();
                }
                set = current;
            }
        }
        return set;
    }

    /** Creates the first keys, rotates when the active key is older than the rotation period, reloads. */
    @Transactional
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    public synchronized void ensureKeys() {
        Instant now = clock.instant();
        String algorithm = properties.keys().algorithm();
        List<SigningKey> live = keys.findByStatusIn(List.of(SigningKey.Status.NEXT, SigningKey.Status.ACTIVE,
                SigningKey.Status.PREVIOUS));
        SigningKey active = only(live, SigningKey.Status.ACTIVE);
        if (active != null && !active.getAlgorithm().equals(algorithm)) {
            log.info("signing algorithm changed to {}: rotating keys", algorithm);
            rotate(live, null, now);
            live = keys.findByStatusIn(List.of(SigningKey.Status.ACTIVE, SigningKey.Status.PREVIOUS));
        } else if (active == null) {
            keys.save(generate(SigningKey.Status.ACTIVE, now));
            log.info("created the first {} signing key", algorithm);
        } else if (active.getCreatedAt().plus(properties.keys().rotationPeriod()).isBefore(now)) {
            rotate(live, only(live, SigningKey.Status.NEXT), now);
            log.info("rotated the signing key");
        }
        live = keys.findByStatusIn(List.of(SigningKey.Status.NEXT, SigningKey.Status.ACTIVE,
                SigningKey.Status.PREVIOUS));
        if (only(live, SigningKey.Status.NEXT) == null) {
            keys.save(generate(SigningKey.Status.NEXT, now));
            live = keys.findByStatusIn(List.of(SigningKey.Status.NEXT, SigningKey.Status.ACTIVE,
                    SigningKey.Status.PREVIOUS));
        }
        current = load(live);
    }

    private void rotate(List<SigningKey> live, SigningKey next, Instant now) {
        for (SigningKey key : live) {
            if (key.getStatus() == SigningKey.Status.PREVIOUS) {
                key.setStatus(SigningKey.Status.RETIRED, now);
            } else if (key.getStatus() == SigningKey.Status.ACTIVE) {
                key.setStatus(SigningKey.Status.PREVIOUS, now);
            } else if (key.getStatus() == SigningKey.Status.NEXT && next == null) {
                key.setStatus(SigningKey.Status.RETIRED, now);
            }
        }
        if (next != null && next.getAlgorithm().equals(properties.keys().algorithm())) {
            next.setStatus(SigningKey.Status.ACTIVE, now);
        } else {
            if (next != null) {
                next.setStatus(SigningKey.Status.RETIRED, now);
            }
            keys.save(generate(SigningKey.Status.ACTIVE, now));
        }
        keys.flush();
    }

    private static SigningKey only(List<SigningKey> keys, SigningKey.Status status) {
        return keys.stream().filter(k -> k.getStatus() == status)
                .max(Comparator.comparing(SigningKey::getCreatedAt)).orElse(null);
    }

    private KeySet load(List<SigningKey> live) {
        JWK active = null;
        List<JWK> published = new ArrayList<>();
        live.sort(Comparator.comparing(SigningKey::getCreatedAt).reversed());
        for (SigningKey key : live) {
            try {
                JWK jwk = JWK.parse(encryption.decrypt(key.getPrivateKeyEnc()));
                published.add(jwk);
                if (key.getStatus() == SigningKey.Status.ACTIVE && active == null) {
                    active = jwk;
                }
            } catch (ParseException e) {
                throw new IllegalStateException("stored signing key " + key.getKid() + " is not a JWK", e);
            }
        }
        return new KeySet(active, List.copyOf(published));
    }

    private SigningKey generate(SigningKey.Status status, Instant now) {
        String algorithm = properties.keys().algorithm();
        String kid = UUID.randomUUID().toString();
        try {
            JWK jwk = algorithm.equals("ES256")
                    ? new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
                            .algorithm(JWSAlgorithm.ES256).generate()
                    : new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE)
                            .algorithm(JWSAlgorithm.RS256).generate();
            return new SigningKey(kid, algorithm, jwk.toPublicJWK().toJSONString(),
                    encryption.encrypt(jwk.toJSONString()), status, now);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }
}
