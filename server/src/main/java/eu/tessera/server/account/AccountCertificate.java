package eu.tessera.server.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An X.509 certificate linked to an account, by canonical subject and issuer DN (one account per certificate). */
@Entity
@Table(name = "account_certificate")
public class AccountCertificate {

    @Id
    private String id;
    @Column(nullable = false)
    private String accountId;
    @Column(nullable = false)
    private String subjectDn;
    @Column(nullable = false)
    private String issuerDn;
    private String label;
    private String pem;
    @Column(nullable = false)
    private Instant createdAt;

    protected AccountCertificate() {
    }

    public AccountCertificate(String accountId, String subjectDn, String issuerDn, String label, String pem,
            Instant now) {
        this.id = UUID.randomUUID().toString();
        this.accountId = accountId;
        this.subjectDn = subjectDn;
        this.issuerDn = issuerDn;
        this.label = label;
        this.pem = pem;
        this.createdAt = now;
    }

    public String getId() {
        return id;
    }

    public String getAccountId() {
        return accountId;
    }

    public String getSubjectDn() {
        return subjectDn;
    }

    public String getIssuerDn() {
        return issuerDn;
    }

    public String getLabel() {
        return label;
    }

    public String getPem() {
        return pem;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
