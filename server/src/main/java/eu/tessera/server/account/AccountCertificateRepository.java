package eu.tessera.server.account;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Certificates linked to accounts. */
public interface AccountCertificateRepository extends JpaRepository<AccountCertificate, String> {

    Optional<AccountCertificate> findBySubjectDnAndIssuerDn(String subjectDn, String issuerDn);

    List<AccountCertificate> findByAccountIdOrderByCreatedAt(String accountId);
}
