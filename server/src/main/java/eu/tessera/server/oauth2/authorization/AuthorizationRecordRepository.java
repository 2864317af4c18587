package eu.tessera.server.oauth2.authorization;

import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** Authorizations by hashed code, state and ID token. */
public interface AuthorizationRecordRepository extends JpaRepository<AuthorizationRecord, String> {

    Optional<AuthorizationRecord> findByCodeHash(String codeHash);

    java.util.List<AuthorizationRecord> findByPrincipalNameAndRevokedFalse(String principalName);

    Optional<AuthorizationRecord> findByStateHash(String stateHash);

    Optional<AuthorizationRecord> findByIdTokenHash(String idTokenHash);

    Optional<AuthorizationRecord> findByDeviceCodeHash(String deviceCodeHash);

    Optional<AuthorizationRecord> findByUserCodeHash(String userCodeHash);

    /** What a device poll needs to know, without loading the authorization (bench/device-poll.sh). */
    record DeviceState(String id, String clientId, Instant expiresAt, boolean deviceCodeInvalidated, boolean revoked,
            boolean userCodeInvalidated) {
    }

    @Query("select new eu.tessera.server.oauth2.authorization.AuthorizationRecordRepository$DeviceState(a.id,"
            + " a.clientId, a.deviceCodeExpiresAt, a.deviceCodeInvalidated, a.revoked, a.userCodeInvalidated)"
            + " from AuthorizationRecord a where a.deviceCodeHash = :hash")
    Optional<DeviceState> findDeviceState(String hash);

    /** Records a poll of the device code when the last one is at least an interval old; 0 when it is not. */
    @Modifying
    @Query("update AuthorizationRecord a set a.deviceLastPollAt = :now where a.deviceCodeHash = :hash and "
            + "(a.deviceLastPollAt is null or a.deviceLastPollAt <= :due)")
    int recordPollIfDue(String hash, Instant now, Instant due);

    /** Records a poll of the device code, due or not. */
    @Modifying
    @Query("update AuthorizationRecord a set a.deviceLastPollAt = :now where a.deviceCodeHash = :hash")
    int recordPoll(String hash, Instant now);

    @Modifying
    @Query("delete from AuthorizationRecord a where a.expiresAt < :now")
    int deleteExpired(Instant now);
}
