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

    public LoginThrottle(LoginThrottleRepository records, TesseraProperties properties, Clock clock) {
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

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordFailure(String username, String address) {
        Instant now = clock.instant();
        count(accountKey(username), settings.maxFailuresPerAccount(), now);
        count(addressKey(address), settings.maxFailuresPerAddress(), now);
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
            log.warn("throttled {} until {}", key.startsWith("account:") ? "an account" : key,
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
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordDeviceCodeFailure(String address) {
        count(deviceKey(address), settings.maxFailuresPerAddress(), clock.instant());
    }

    static String deviceKey(String address) {
        return "device:" + address;
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordSuccess(String username) {
        records.deleteById(accountKey(username));
    }
}
