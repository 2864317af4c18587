package eu.tessera.server.sync;

import eu.tessera.sync.CreationLedger;
import eu.tessera.sync.OutboxStore;
import eu.tessera.sync.PendingSync;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sync outbox on Tessera's database: {@code sync_event} (written by triggers, V14), {@code sync_pending} (per
 * target and account, leased while delivered) and {@code sync_creation} (the creation ledger). Safe with several
 * instances: ingestion locks the events it moves, claims are conditional updates.
 */
@Component
public class JdbcOutboxStore implements OutboxStore, CreationLedger {

    /** A parked (or pending) row as shown to admins. */
    public record Row(String target, String accountId, String username, String kinds, Instant firstEventAt,
            String status, int attempts, Instant nextAttemptAt, String lastError, Instant updatedAt) {
    }

    private record Event(long id, String accountId, String username, String kind, Instant at) {
    }

    private static final int KINDS_MAX = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private volatile String lockClause;

    public JdbcOutboxStore(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    private String lockClause() {
        if (lockClause == null) {
            String product = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName());
            // PostgreSQL: instances ingest different events side by side; H2 runs as one embedded instance.
            lockClause = product != null && product.toLowerCase().contains("postgres") ? " for update skip locked"
                    : " for update";
        }
        return lockClause;
    }

    @Override
    public int ingest(List<String> targets, int limit) {
        Integer moved = transactions.execute(status -> {
            List<Event> events = jdbc.query("select id, account_id, username, kind, created_at from sync_event "
                    + "order by id limit " + limit + lockClause(), (rs, n) -> new Event(rs.getLong(1),
                    rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant()));
            if (events.isEmpty()) {
                return 0;
            }
            Map<String, List<Event>> byAccount = new LinkedHashMap<>();
            events.forEach(event -> byAccount.computeIfAbsent(event.accountId(), k -> new ArrayList<>()).add(event));
            Instant now = clock.instant();
            for (String target : targets) {
                byAccount.forEach((account, list) -> upsert(target, account, list, now));
            }
            for (int from = 0; from < events.size(); from += 500) {
                List<Event> chunk = events.subList(from, Math.min(events.size(), from + 500));
                jdbc.update("delete from sync_event where id in (" + "?,".repeat(chunk.size() - 1) + "?)",
                        chunk.stream().map(Event::id).toArray());
            }
            return events.size();
        });
        return moved == null ? 0 : moved;
    }

    private void upsert(String target, String accountId, List<Event> events, Instant now) {
        String username = null;
        Set<String> kinds = new LinkedHashSet<>();
        for (Event event : events) {
            username = event.username() != null ? event.username() : username;
            kinds.add(event.kind());
        }
        long lastId = events.get(events.size() - 1).id();
        for (int attempt = 0; attempt < 3; attempt++) {
            List<String[]> current = jdbc.query("select kinds, status, username from sync_pending where target = ? "
                    + "and account_id = ? for update", (rs, n) -> new String[] {rs.getString(1), rs.getString(2),
                    rs.getString(3)}, target, accountId);
            if (current.isEmpty()) {
                try {
                    jdbc.update("insert into sync_pending (target, account_id, username, kinds, first_event_at, "
                            + "last_event_id, status, attempts, next_attempt_at, updated_at) values "
                            + "(?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)", target, accountId, username,
                            join(new LinkedHashSet<>(), kinds), Timestamp.from(events.get(0).at()), lastId,
                            Timestamp.from(now), Timestamp.from(now));
                    return;
                } catch (DuplicateKeyException raced) {
                    continue;   // another instance inserted it: update instead
                }
            }
            Set<String> merged = new LinkedHashSet<>(List.of(current.get(0)[0].split(",")));
            boolean parked = "PARKED".equals(current.get(0)[1]);
            // A new change to a parked account is tried afresh: it may be the change that fixes it.
            jdbc.update("update sync_pending set username = ?, kinds = ?, last_event_id = ?, status = 'PENDING', "
                    + "attempts = " + (parked ? "0" : "attempts") + ", next_attempt_at = "
                    + (parked ? "?" : "next_attempt_at") + ", updated_at = ? where target = ? and account_id = ?",
                    parked ? new Object[] {username != null ? username : current.get(0)[2], join(merged, kinds),
                            lastId, Timestamp.from(now), Timestamp.from(now), target, accountId}
                            : new Object[] {username != null ? username : current.get(0)[2], join(merged, kinds),
                            lastId, Timestamp.from(now), target, accountId});
            return;
        }
        throw new IllegalStateException("sync: could not record pending change of " + accountId);
    }

    private static String join(Set<String> merged, Set<String> kinds) {
        merged.addAll(kinds);
        String text = String.join(",", merged);
        return text.length() <= KINDS_MAX ? text : text.substring(0, KINDS_MAX);
    }

    @Override
    public List<PendingSync> claim(String target, int limit, Instant now, Instant leaseUntil) {
        List<PendingSync> due = jdbc.query("select account_id, username, kinds, first_event_at, last_event_id, "
                + "attempts from sync_pending where target = ? and status = 'PENDING' and next_attempt_at <= ? and "
                + "(leased_until is null or leased_until < ?) order by first_event_at limit " + limit,
                (rs, n) -> new PendingSync(target, rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getLong(5), rs.getInt(6)),
                target, Timestamp.from(now), Timestamp.from(now));
        List<PendingSync> claimed = new ArrayList<>();
        for (PendingSync item : due) {
            int updated = jdbc.update("update sync_pending set leased_until = ? where target = ? and account_id = ? "
                    + "and status = 'PENDING' and (leased_until is null or leased_until < ?)",
                    Timestamp.from(leaseUntil), target, item.accountId(), Timestamp.from(now));
            if (updated == 1) {
                claimed.add(item);
            }
        }
        return claimed;
    }

    @Override
    public void delivered(PendingSync item) {
        int deleted = jdbc.update("delete from sync_pending where target = ? and account_id = ? and last_event_id = ?",
                item.target(), item.accountId(), item.lastEventId());
        if (deleted == 0) {
            // a newer change arrived while this one was delivered: deliver again, from a fresh count
            jdbc.update("update sync_pending set leased_until = null, attempts = 0, last_error = null, "
                    + "next_attempt_at = ? where target = ? and account_id = ?", Timestamp.from(clock.instant()),
                    item.target(), item.accountId());
        }
    }

    @Override
    public void retryLater(PendingSync item, String error, Instant nextAttempt) {
        jdbc.update("update sync_pending set attempts = ?, next_attempt_at = ?, leased_until = null, last_error = ?, "
                + "updated_at = ? where target = ? and account_id = ?", item.attempts() + 1,
                Timestamp.from(nextAttempt), truncate(error), Timestamp.from(clock.instant()), item.target(),
                item.accountId());
    }

    @Override
    public void park(PendingSync item, String error) {
        jdbc.update("update sync_pending set status = 'PARKED', attempts = ?, leased_until = null, last_error = ?, "
                + "updated_at = ? where target = ? and account_id = ?", item.attempts() + 1, truncate(error),
                Timestamp.from(clock.instant()), item.target(), item.accountId());
    }

    @Override
    public Stats stats(String target) {
        long[] counts = new long[2];
        Instant[] oldest = new Instant[1];
        jdbc.query("select status, count(*), min(first_event_at) from sync_pending where target = ? group by status",
                rs -> {
                    if ("PARKED".equals(rs.getString(1))) {
                        counts[1] = rs.getLong(2);
                    } else {
                        counts[0] = rs.getLong(2);
                        oldest[0] = rs.getTimestamp(3).toInstant();
                    }
                }, target);
        return new Stats(counts[0], counts[1], oldest[0]);
    }

    /** Outbox events not yet moved to targets (with sync disabled they only age). */
    public long unprocessedEvents() {
        Long count = jdbc.queryForObject("select count(*) from sync_event", Long.class);
        return count == null ? 0 : count;
    }

    /** Drops events older than {@code before} (sync disabled: nobody will deliver them). */
    public int purgeEvents(Instant before) {
        return jdbc.update("delete from sync_event where created_at < ?", Timestamp.from(before));
    }

    /** Rows of a target with the given status, oldest first. */
    public List<Row> rows(String target, String status, int offset, int limit) {
        return jdbc.query("select target, account_id, username, kinds, first_event_at, status, attempts, "
                + "next_attempt_at, last_error, updated_at from sync_pending where target = ? and status = ? "
                + "order by first_event_at, account_id limit " + limit + " offset " + offset,
                (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getInt(7),
                        rs.getTimestamp(8).toInstant(), rs.getString(9), rs.getTimestamp(10).toInstant()),
                target, status);
    }

    /** Puts parked rows back in the queue (one account, or all of the target when {@code accountId} is null). */
    public int retryParked(String target, String accountId) {
        Timestamp now = Timestamp.from(clock.instant());
        if (accountId == null) {
            return jdbc.update("update sync_pending set status = 'PENDING', attempts = 0, next_attempt_at = ?, "
                    + "updated_at = ? where target = ? and status = 'PARKED'", now, now, target);
        }
        return jdbc.update("update sync_pending set status = 'PENDING', attempts = 0, next_attempt_at = ?, "
                + "updated_at = ? where target = ? and account_id = ? and status = 'PARKED'", now, now, target,
                accountId);
    }

    @Override
    public void intend(String target, String name, String accountId) {
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.update("update sync_creation set account_id = ?, created_at = ? where target = ? and name = ?",
                accountId, now, target, name) == 0) {
            try {
                jdbc.update("insert into sync_creation (target, name, account_id, created_at) values (?, ?, ?, ?)",
                        target, name, accountId, now);
            } catch (DuplicateKeyException raced) {
                jdbc.update("update sync_creation set account_id = ?, created_at = ? where target = ? and name = ?",
                        accountId, now, target, name);
            }
        }
    }

    @Override
    public Optional<String> intendedFor(String target, String name) {
        return jdbc.queryForList("select account_id from sync_creation where target = ? and name = ?", String.class,
                target, name).stream().findFirst();
    }

    private static String truncate(String error) {
        String text = String.valueOf(error);
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }
}
