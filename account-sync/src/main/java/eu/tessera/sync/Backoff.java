package eu.tessera.sync;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt n waits a random time between half and all of
 * {@code min(max, base * 2^(n-1))}, so retries of many accounts after an outage spread out.
 */
public record Backoff(Duration base, Duration max) {

    public Backoff {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max");
        }
    }

    /** The delay before the next attempt after {@code attempts} failures (1 or more). */
    public Duration delay(int attempts) {
        long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(Math.max(attempts - 1, 0), 30));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
