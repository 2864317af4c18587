package eu.tessera.server.login.local;

import eu.tessera.server.config.TesseraProperties;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Slows password guessing (DESIGN.md "Security baseline"): after {@code max-failures-per-account} failures for
 * one username, or {@code max-failures-per-address} from one address, within the failure window, further
 * attempts are refused for the lock duration. Counters live in the database, so every instance enforces them.
 */
@Service
public class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final LoginThrottleRepository records;
    private final TesseraProperties.Login settings;
    private final Clock clock;
    private final org.springframework.transaction.support.TransactionTemplate separately;

    public LoginThrottle(LoginThrottleRepository records, TesseraProperties properties, Clock clock,
            org.springframework.transaction.PlatformTransactionManager transactions) {
        this.separately = new org.springframework.transaction.support.TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(
                org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.records = records;
        this.settings = properties.login();
        this.clock = clock;
    }

    static String accountKey(String username) {
        return "account:" + username;
    }

    static String addressKey(String address) {
        return "address:" + address;
    }

    @Transactional(readOnly = true)
    public boolean isLocked(String username, String address) {
        Instant now = clock.instant();
        return locked(accountKey(username), now) || locked(addressKey(address), now);
    }

    private boolean locked(String key, Instant now) {
        return records.findById(key).map(r -> r.lockedUntil != null && r.lockedUntil.isAfter(now)).orElse(false);
    }

    public void recordFailure(String username, String address) {
        counted(accountKey(username), settings.maxFailuresPerAccount());
        counted(addressKey(address), settings.maxFailuresPerAddress());
    }

    /**
     * Counts a failure in its own transaction (it stays when the caller's rolls back). Two first failures for one
     * key at once both insert its row: the loser's insert fails on the key, and it counts again on the row the
     * winner made, instead of answering the login with an error.
     */
    private void counted(String key, int max) {
        for (int attempt = 0;; attempt++) {
            try {
                separately.executeWithoutResult(status -> count(key, max, clock.instant()));
                return;
            } catch (org.springframework.dao.DataIntegrityViolationException
                    | org.springframework.orm.ObjectOptimisticLockingFailureException e) {
                if (attempt == 2) {
                    throw e;
                }
            }
        }
    }

    private void count(String key, int max, Instant now) {
        LoginThrottleRecord record = records.findById(key).orElseGet(() -> new LoginThrottleRecord(key, now));
        if (record.windowStart.plus(settings.failureWindow()).isBefore(now)) {
            record.failures = 0;
            record.windowStart = now;
        }
        record.failures++;
        if (record.failures >= max) {
            record.lockedUntil = now.plus(settings.lockDuration());
            record.failures = 0;
            record.windowStart = now;
            log.warn("throttled {} until {}", key.startsWith("account:") || key.startsWith("mfa:") ? "an account" : key,
                    record.lockedUntil);
        }
        records.save(record);
    }

    /** Whether an address has entered too many wrong device user codes (RFC 8628 section 5.1). */
    @Transactional(readOnly = true)
    public boolean isDeviceCodeEntryLocked(String address) {
        return locked(deviceKey(address), clock.instant());
    }

    /** Counts a wrong user code entered from an address; locked like a login after as many failures. */
    public void recordDeviceCodeFailure(String address) {
        counted(deviceKey(address), settings.maxFailuresPerAddress());
    }

    static String deviceKey(String address) {
        return "device:" + address;
    }

    /**
     * Whether second-factor codes for an account, or codes from an address, are refused for now: guessing a 6-digit
     * code is throttled like guessing a password (the same limits, its own per-account counter).
     */
    @Transactional(readOnly = true)
    public boolean isSecondFactorLocked(String accountId, String address) {
        Instant now = clock.instant();
        return locked(secondFactorKey(accountId), now) || locked(addressKey(address), now);
    }

    /** Counts a wrong (or replayed) second-factor code. */
    public void recordSecondFactorFailure(String accountId, String address) {
        counted(secondFactorKey(accountId), settings.maxFailuresPerAccount());
        counted(addressKey(address), settings.maxFailuresPerAddress());
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordSecondFactorSuccess(String accountId) {
        records.deleteById(secondFactorKey(accountId));
    }

    static String secondFactorKey(String accountId) {
        return "mfa:" + accountId;
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordSuccess(String username) {
        records.deleteById(accountKey(username));
    }
}
