package eu.tessera.server.oauth2.authorization;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One user authorization (a code flow and its refresh-token family). Token values are not stored: the code,
 * state and ID token by SHA-256 hash, the access token by {@code jti}.
 */
@Entity
@org.hibernate.annotations.DynamicUpdate   // a refresh changes the access-token columns only
@Table(name = "oauth_authorization")
public class AuthorizationRecord {

    @Id
    String id;
    @Column(nullable = false)
    String clientId;
    @Column(nullable = false)
    String principalName;
    @Column(nullable = false)
    String grantType;
    @Column(nullable = false)
    String authorizedScopes;
    @Column(nullable = false)
    String attributes;
    String stateHash;
    String codeHash;
    Instant codeIssuedAt;
    Instant codeExpiresAt;
    boolean codeInvalidated;
    String accessJti;
    Instant accessIssuedAt;
    Instant accessExpiresAt;
    String accessScopes;
    String idTokenHash;
    String idTokenValue;
    String idTokenClaims;
    Instant idTokenIssuedAt;
    Instant idTokenExpiresAt;
    String deviceCodeHash;
    Instant deviceCodeIssuedAt;
    Instant deviceCodeExpiresAt;
    boolean deviceCodeInvalidated;
    Instant deviceLastPollAt;
    String userCodeHash;
    Instant userCodeIssuedAt;
    Instant userCodeExpiresAt;
    boolean userCodeInvalidated;
    boolean revoked;
    @Column(nullable = false)
    Instant createdAt;
    @Column(nullable = false)
    Instant expiresAt;

    protected AuthorizationRecord() {
    }

    AuthorizationRecord(String id, Instant now) {
        this.id = id;
        this.createdAt = now;
    }

    public String getId() {
        return id;
    }

    public boolean isRevoked() {
        return revoked;
    }
}
