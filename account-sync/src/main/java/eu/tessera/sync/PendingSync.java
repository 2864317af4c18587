package eu.tessera.sync;

import java.time.Instant;

/**
 * An account waiting to be synchronized to one target: the events about it, coalesced.
 *
 * @param lastEventId the newest event included; delivery only completes the row if no newer event arrived
 * @param attempts    failed deliveries so far
 */
public record PendingSync(String target, String accountId, String username, String kinds, Instant firstEventAt,
        long lastEventId, int attempts) {
}
