package eu.tessera.server.account;

import eu.tessera.voms.pki.DistinguishedNames;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Links X.509 certificates to accounts: subject and issuer are normalized to one canonical DN form (RFC 2253 and
 * OpenSSL slash form give the same certificate); the same subject under another issuer is another certificate;
 * a certificate belongs to at most one account.
 */
@Service
public class CertificateLinks {

    private static final int MAX_LABEL = 255;
    private static final int MAX_PEM = 20_000;
    /** RFC 3820 ProxyCertInfo: marks a proxy certificate. */
    private static final String PROXY_CERT_INFO = "1.3.6.1.5.5.7.1.14";


    private final AccountCertificateRepository certificates;
    private final Clock clock;
    private final eu.tessera.server.audit.AuditLog audit;
    private final ExternalIdentities identities;

    public CertificateLinks(AccountCertificateRepository certificates, Clock clock,
            eu.tessera.server.audit.AuditLog audit, ExternalIdentities identities) {
        this.audit = audit;
        this.identities = identities;
        this.certificates = certificates;
        this.clock = clock;
    }

    public List<AccountCertificate> of(String accountId) {
        return certificates.findByAccountIdOrderByCreatedAt(accountId);
    }

    /** Links a certificate given by its DNs. */
    @Transactional
    public AccountCertificate link(String accountId, String subject, String issuer, String label, String pem,
            String actor) {
        String subjectDn;
        String issuerDn;
        try {
            subjectDn = DistinguishedNames.canonical(subject);
        } catch (IllegalArgumentException e) {
            throw new LinkException("subjectDn: " + e.getMessage(), false);
        }
        try {
            issuerDn = DistinguishedNames.canonical(issuer);
        } catch (IllegalArgumentException e) {
            throw new LinkException("issuerDn: " + e.getMessage(), false);
        }
        if (label != null && label.length() > MAX_LABEL) {
            throw new LinkException("label: longer than " + MAX_LABEL + " characters", false);
        }
        Optional<AccountCertificate> existing = certificates.findBySubjectDnAndIssuerDn(subjectDn, issuerDn);
        if (existing.isPresent()) {
            throw new LinkException(existing.get().getAccountId().equals(accountId)
                    ? "this certificate is already linked to the account"
                    : "this certificate is linked to another account", true);
        }
        try {
            AccountCertificate saved = certificates.saveAndFlush(
                    new AccountCertificate(accountId, subjectDn, issuerDn, label, pem, clock.instant()));
            audit.record("certificate.linked", actor, accountId, java.util.Map.of("subject", subjectDn,
                    "issuer", issuerDn));
            return saved;
        } catch (DataIntegrityViolationException e) {
            throw new LinkException("this certificate is linked to another account", true);
        }
    }

    /**
     * Links the end-entity certificate given as PEM (the API and the account page both take an upload this way).
     *
     * @throws LinkException when the text is not one PEM certificate, is a proxy, or is already linked
     */
    @Transactional
    public AccountCertificate linkPem(String accountId, String pem, String label, String actor) {
        if (pem.length() > MAX_PEM) {
            throw new LinkException("pem: too long", false);
        }
        X509Certificate certificate;
        try {
            certificate = eu.tessera.server.voms.PemFiles.certificateFromHeader(pem);
        } catch (java.security.cert.CertificateException e) {
            throw new LinkException("pem: not a PEM certificate", false);
        }
        if (certificate.getExtensionValue(PROXY_CERT_INFO) != null) {
            throw new LinkException("pem: a proxy certificate; link the end-entity certificate", false);
        }
        return link(accountId, certificate, label, pem.strip(), actor);
    }

    /** The subject and issuer of a PEM certificate, canonical. */
    public String[] names(String pem) {
        try {
            X509Certificate certificate = eu.tessera.server.voms.PemFiles.certificateFromHeader(pem);
            return new String[] {DistinguishedNames.canonical(certificate.getSubjectX500Principal()),
                DistinguishedNames.canonical(certificate.getIssuerX500Principal())};
        } catch (java.security.cert.CertificateException e) {
            throw new LinkException("pem: not a PEM certificate", false);
        }
    }

    /** Links a certificate: its end-entity subject and issuer. */
    @Transactional
    public AccountCertificate link(String accountId, X509Certificate certificate, String label, String pem,
            String actor) {
        return link(accountId, DistinguishedNames.canonical(certificate.getSubjectX500Principal()),
                DistinguishedNames.canonical(certificate.getIssuerX500Principal()), label, pem, actor);
    }

    /**
     * The account holder unlinks one of their certificates; refused when it is their last way to log in (no password
     * and no other certificate).
     *
     * @throws LinkException (conflict) when it is the last way to log in
     */
    @Transactional
    public boolean unlinkOwn(String accountId, String certificateId) {
        boolean mine = of(accountId).stream().anyMatch(c -> c.getId().equals(certificateId));
        if (mine && identities.waysToLogIn(accountId) <= 1) {
            throw new LinkException("This certificate is the only way to log in to your account: set a password or "
                    + "link another certificate first.", true);
        }
        return unlink(accountId, certificateId, accountId);
    }

    /** Unlinks one of the account's certificates; false when it has no such certificate. */
    @Transactional
    public boolean unlink(String accountId, String certificateId, String actor) {
        Optional<AccountCertificate> certificate = certificates.findById(certificateId)
                .filter(c -> c.getAccountId().equals(accountId));
        certificate.ifPresent(c -> {
            certificates.delete(c);
            audit.record("certificate.unlinked", actor, accountId, java.util.Map.of("subject", c.getSubjectDn(),
                    "issuer", c.getIssuerDn()));
        });
        return certificate.isPresent();
    }
}
