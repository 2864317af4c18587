package eu.tessera.sync;

import java.time.Instant;
import java.util.List;

/** The outbox and per-target delivery state (implemented by the server on its database). */
public interface OutboxStore {

    /**
     * Moves up to {@code limit} committed events into the pending rows of every target (coalesced per account) and
     * removes them from the outbox, in one transaction.
     *
     * @return how many events were moved
     */
    int ingest(List<String> targets, int limit);

    /** Claims up to {@code limit} due pending rows of the target until {@code leaseUntil}. */
    List<PendingSync> claim(String target, int limit, Instant now, Instant leaseUntil);

    /** The target has the account's state: completes the row unless a newer event arrived meanwhile. */
    void delivered(PendingSync item);

    /** A failed attempt: counted, retried at {@code nextAttempt}. */
    void retryLater(PendingSync item, String error, Instant nextAttempt);

    /** Given up until an admin retries (or a new change arrives). */
    void park(PendingSync item, String error);

    /** Counts per target for metrics and the admin page. */
    Stats stats(String target);

    /**
     * Pending and parked counts and the oldest waiting change of one target.
     *
     * @param oldestPending when the oldest pending (not parked) change happened; null when none
     */
    record Stats(long pending, long parked, Instant oldestPending) {
    }
}
