package eu.tessera.server.login.local;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Failed-login counter for one account or one address. */
@Entity
@Table(name = "login_throttle")
public class LoginThrottleRecord {

    @Id
    String throttleKey;
    @Column(nullable = false)
    int failures;
    @Column(nullable = false)
    Instant windowStart;
    Instant lockedUntil;

    protected LoginThrottleRecord() {
    }

    LoginThrottleRecord(String throttleKey, Instant now) {
        this.throttleKey = throttleKey;
        this.windowStart = now;
    }
}
