package eu.tessera.server.oauth2.authorization;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** The access-token deny-list. */
public interface RevokedTokenRepository extends JpaRepository<RevokedToken, String> {

    @Query("select r.jti from RevokedToken r where r.expiresAt > :now")
    List<String> findLiveJtis(Instant now);

    @Modifying
    @Query("delete from RevokedToken r where r.expiresAt < :now")
    int deleteExpired(Instant now);
}
