package eu.tessera.server.oauth2.exchange;

import org.springframework.data.jpa.repository.JpaRepository;

/** Stored token-exchange policies. */
public interface ExchangePolicyRecordRepository extends JpaRepository<ExchangePolicyRecord, Long> {
}
