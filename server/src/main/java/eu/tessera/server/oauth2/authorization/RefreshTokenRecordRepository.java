package eu.tessera.server.oauth2.authorization;

import java.util.List;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.JpaRepository;

/** Refresh tokens by family. */
public interface RefreshTokenRecordRepository extends JpaRepository<RefreshTokenRecord, String> {

    List<RefreshTokenRecord> findByAuthorizationId(String authorizationId);

    /** Marks the family's active token(s) rotated: one statement, whatever the family's length. */
    @Modifying(flushAutomatically = true)
    @Query("update RefreshTokenRecord t set t.status = eu.tessera.server.oauth2.authorization.RefreshTokenRecord.Status"
            + ".ROTATED, t.rotatedAt = :now where t.authorizationId = :authorizationId"
            + " and t.status = eu.tessera.server.oauth2.authorization.RefreshTokenRecord.Status.ACTIVE")
    int rotateActive(String authorizationId, java.time.Instant now);
}
