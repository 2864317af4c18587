package eu.tessera.server.oauth2.scope;

import org.springframework.data.jpa.repository.JpaRepository;

/** Stored scope policies. */
public interface ScopePolicyRecordRepository extends JpaRepository<ScopePolicyRecord, Long> {
}
