package eu.tessera.server.keys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A JWS signing key; the private JWK is stored encrypted ({@link KeyEncryption}). */
@Entity
@Table(name = "signing_key")
public class SigningKey {

    /** Life cycle: published ahead (NEXT), signing (ACTIVE), still published (PREVIOUS), gone (RETIRED). */
    public enum Status { NEXT, ACTIVE, PREVIOUS, RETIRED }

    @Id
    private String kid;
    @Column(nullable = false)
    private String algorithm;
    @Column(nullable = false)
    private String publicJwk;
    @Column(nullable = false)
    private String privateKeyEnc;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Status status;
    @Column(nullable = false)
    private Instant createdAt;
    private Instant retiredAt;

    protected SigningKey() {
    }

    public SigningKey(String kid, String algorithm, String publicJwk, String privateKeyEnc, Status status,
            Instant now) {
        this.kid = kid;
        this.algorithm = algorithm;
        this.publicJwk = publicJwk;
        this.privateKeyEnc = privateKeyEnc;
        this.status = status;
        this.createdAt = now;
    }

    public String getKid() {
        return kid;
    }

    public String getAlgorithm() {
        return algorithm;
    }

    public String getPublicJwk() {
        return publicJwk;
    }

    public String getPrivateKeyEnc() {
        return privateKeyEnc;
    }

    public Status getStatus() {
        return status;
    }

    public void setStatus(Status status, Instant now) {
        this.status = status;
        if (status == Status.RETIRED) {
            this.retiredAt = now;
        }
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
