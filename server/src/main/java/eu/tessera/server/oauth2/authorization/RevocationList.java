package eu.tessera.server.oauth2.authorization;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The deny-list of revoked access tokens (by {@code jti}). Checked in memory on every validation; reloaded
 * from the database every 5 seconds, so a revocation made on another instance is seen within 5 seconds.
 */
@Service
public class RevocationList {

    private final RevokedTokenRepository revoked;
    private final Clock clock;
    private volatile Set<String> jtis = ConcurrentHashMap.newKeySet();

    public RevocationList(RevokedTokenRepository revoked, Clock clock) {
        this.revoked = revoked;
        this.clock = clock;
    }

    /** Puts a token on the deny-list until its expiry. */
    @Transactional
    public void revoke(String jti, Instant expiresAt) {
        if (jti == null) {
            return;
        }
        Instant until = expiresAt != null ? expiresAt : clock.instant().plusSeconds(6 * 3600);
        if (!revoked.existsById(jti)) {
            revoked.save(new RevokedToken(jti, until));
        }
        jtis.add(jti);
    }

    public boolean isRevoked(String jti) {
        return jti != null && jtis.contains(jti);
    }

    @Scheduled(fixedDelayString = "PT5S")
    @Transactional
    public void reload() {
        Instant now = clock.instant();
        revoked.deleteExpired(now);
        Set<String> fresh = ConcurrentHashMap.newKeySet();
        fresh.addAll(revoked.findLiveJtis(now));
        jtis = fresh;
    }
}
