package eu.tessera.server.oauth2.authorization;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Refresh tokens by family. */
public interface RefreshTokenRecordRepository extends JpaRepository<RefreshTokenRecord, String> {

    List<RefreshTokenRecord> findByAuthorizationId(String authorizationId);
}
