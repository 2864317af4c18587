package eu.tessera.server.oauth2.authorization;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One refresh token of a family (its authorization), stored as a SHA-256 hash. */
@Entity
@Table(name = "refresh_token")
public class RefreshTokenRecord {

    /** ACTIVE until used; ROTATED after use (grace period); REVOKED when its family is revoked. */
    public enum Status { ACTIVE, ROTATED, REVOKED }

    @Id
    String tokenHash;
    @Column(nullable = false)
    String authorizationId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    Status status;
    @Column(nullable = false)
    Instant issuedAt;
    @Column(nullable = false)
    Instant expiresAt;
    Instant rotatedAt;

    protected RefreshTokenRecord() {
    }

    RefreshTokenRecord(String tokenHash, String authorizationId, Instant issuedAt, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.authorizationId = authorizationId;
        this.status = Status.ACTIVE;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    public Status getStatus() {
        return status;
    }

    public String getAuthorizationId() {
        return authorizationId;
    }
}
