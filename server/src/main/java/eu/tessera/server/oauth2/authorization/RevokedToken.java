package eu.tessera.server.oauth2.authorization;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A revoked access token's {@code jti}, kept until the token would have expired anyway. */
@Entity
@Table(name = "revoked_token")
public class RevokedToken {

    @Id
    String jti;
    @Column(nullable = false)
    Instant expiresAt;

    protected RevokedToken() {
    }

    RevokedToken(String jti, Instant expiresAt) {
        this.jti = jti;
        this.expiresAt = expiresAt;
    }
}
