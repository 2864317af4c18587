package eu.tessera.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns outbox events into catalogue changes: {@link #ingest()} moves committed events to the targets' pending
 * rows; {@link #deliver(Catalogue)} claims due rows and, for each account, reads its current state and lets the
 * catalogue repair the difference. Delivery is at least once and idempotent; one account is handled by one worker
 * at a time per target (one pending row per target and account, leased), so changes apply in order. A row that
 * fails {@code maxAttempts} times, or fails permanently, is parked.
 */
public final class SyncEngine {

    private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

    /**
     * Delivery settings.
     *
     * @param maxAttempts failed attempts before a row is parked
     * @param batch       rows claimed per round and target
     * @param lease       how long a claimed row is reserved for this worker
     * @param concurrency accounts synchronized in parallel per target
     */
    public record Settings(int maxAttempts, Backoff backoff, int batch, Duration lease, int concurrency) {
        public Settings {
            if (maxAttempts < 1 || batch < 1 || concurrency < 1) {
                throw new IllegalArgumentException("max attempts, batch and concurrency must be positive");
            }
        }
    }

    /** Counters since start, per target (the database holds pending and parked counts). */
    public static final class Counters {
        public final AtomicLong delivered = new AtomicLong();
        public final AtomicLong failedAttempts = new AtomicLong();
        public final AtomicLong parked = new AtomicLong();
        public final AtomicLong operations = new AtomicLong();
    }

    /**
     * What a reconciliation found and did.
     *
     * @param operationCounts operations per action, e.g. {@code add identity -> 12}
     * @param operations      the first operations, for display (at most 500)
     * @param failures        accounts that could not be reconciled, with the reason
     */
    public record Report(String target, boolean dryRun, int accountsChecked, int accountsChanged,
            Map<String, Integer> operationCounts, List<Operation> operations, List<String> failures,
            Duration elapsed) {
    }

    private static final int REPORTED_OPERATIONS = 500;

    private final OutboxStore store;
    private final AccountDirectory directory;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, Counters> counters = new java.util.concurrent.ConcurrentHashMap<>();

    public SyncEngine(OutboxStore store, AccountDirectory directory, Settings settings, Clock clock) {
        this.store = store;
        this.directory = directory;
        this.settings = settings;
        this.clock = clock;
    }

    public Counters counters(String target) {
        return counters.computeIfAbsent(target, t -> new Counters());
    }

    /** Moves committed events to every target's pending rows until the outbox is empty. */
    public int ingest(List<String> targets) {
        int total = 0;
        int moved;
        do {
            moved = store.ingest(targets, 1000);
            total += moved;
        } while (moved == 1000);
        return total;
    }

    /** One delivery round for a target; returns how many accounts were brought in line. */
    public int deliver(Catalogue catalogue) {
        Instant now = clock.instant();
        List<PendingSync> due = store.claim(catalogue.name(), settings.batch(), now, now.plus(settings.lease()));
        if (due.isEmpty()) {
            return 0;
        }
        Counters count = counters(catalogue.name());
        List<Boolean> results = parallel(due, item -> deliverOne(catalogue, item, count));
        return (int) results.stream().filter(Boolean::booleanValue).count();
    }

    private boolean deliverOne(Catalogue catalogue, PendingSync item, Counters count) {
        try {
            Optional<AccountState> state = directory.find(item.accountId());
            List<Operation> done = catalogue.synchronize(
                    state.orElseGet(() -> AccountState.removed(item.accountId(), item.username())), false);
            store.delivered(item);
            count.delivered.incrementAndGet();
            count.operations.addAndGet(done.size());
            if (!done.isEmpty()) {
                log.info("sync {}: {} ({}): {}", catalogue.name(), item.username(), item.kinds(), done);
            }
            return true;
        } catch (SyncException | RuntimeException e) {
            String error = e instanceof SyncException ? e.getMessage() : "unexpected: " + e;
            int attempts = item.attempts() + 1;
            count.failedAttempts.incrementAndGet();
            if (e instanceof SyncException se && se.permanent() || attempts >= settings.maxAttempts()) {
                store.park(item, error);
                count.parked.incrementAndGet();
                log.warn("sync {}: account {} parked after {} attempt(s): {}", catalogue.name(), item.accountId(),
                        attempts, error);
            } else {
                Duration delay = settings.backoff().delay(attempts);
                store.retryLater(item, error, clock.instant().plus(delay));
                log.info("sync {}: account {} failed (attempt {}), retrying in {} ms: {}", catalogue.name(),
                        item.accountId(), attempts, delay.toMillis(), error);
            }
            return false;
        }
    }

    /**
     * Compares every Tessera account with the catalogue and repairs the drift (or, with {@code dryRun}, only
     * reports it); accounts the catalogue holds for Tessera that Tessera no longer has are removed there.
     */
    public Report reconcile(Catalogue catalogue, boolean dryRun) {
        Instant start = clock.instant();
        Map<String, Integer> actionCounts = new LinkedHashMap<>();
        List<Operation> shown = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Set<String> known = new HashSet<>();
        int checked = 0;
        int changed = 0;
        String after = null;
        while (true) {
            List<AccountState> page = directory.page(after, 500);
            if (page.isEmpty()) {
                break;
            }
            after = page.get(page.size() - 1).id();
            page.forEach(account -> known.add(account.id()));
            List<Object> results = parallel(page, account -> reconcileOne(catalogue, account, dryRun));
            for (Object result : results) {
                checked++;
                changed += collect(result, actionCounts, shown, failures);
            }
        }
        try {
            List<AccountState> orphans = catalogue.orphans(known);
            for (Object result : parallel(orphans, account -> reconcileOne(catalogue, account, dryRun))) {
                checked++;
                changed += collect(result, actionCounts, shown, failures);
            }
        } catch (SyncException e) {
            failures.add("listing the catalogue's accounts: " + e.getMessage());
        }
        Report report = new Report(catalogue.name(), dryRun, checked, changed, actionCounts, shown, failures,
                Duration.between(start, clock.instant()));
        log.info("sync {}: reconciliation{} checked {} accounts, {} changed, {} failed, in {} ms", catalogue.name(),
                dryRun ? " (dry run)" : "", checked, changed, failures.size(), report.elapsed().toMillis());
        return report;
    }

    private Object reconcileOne(Catalogue catalogue, AccountState account, boolean dryRun) {
        try {
            return catalogue.synchronize(account, dryRun);
        } catch (SyncException | RuntimeException e) {
            return (account.username() != null ? account.username() : account.id()) + ": " + e.getMessage();
        }
    }

    @SuppressWarnings("unchecked")
    private static int collect(Object result, Map<String, Integer> actionCounts, List<Operation> shown,
            List<String> failures) {
        if (result instanceof String failure) {
            failures.add(failure);
            return 0;
        }
        List<Operation> operations = (List<Operation>) result;
        for (Operation operation : operations) {
            actionCounts.merge(operation.action(), 1, Integer::sum);
            if (shown.size() < REPORTED_OPERATIONS) {
                shown.add(operation);
            }
        }
        return operations.isEmpty() ? 0 : 1;
    }

    private <T, R> List<R> parallel(List<T> items, java.util.function.Function<T, R> work) {
        if (settings.concurrency() == 1 || items.size() <= 1) {
            return items.stream().map(work).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.concurrency(), items.size()),
                runnable -> {
                    Thread thread = new Thread(runnable, "tessera-sync-worker");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sync interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sync worker failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
