package eu.tessera.server.oauth2.consent;

import org.springframework.data.jpa.repository.JpaRepository;

/** Consents by (client, user). */
public interface ConsentRecordRepository extends JpaRepository<ConsentRecord, ConsentRecord.Key> {
}
