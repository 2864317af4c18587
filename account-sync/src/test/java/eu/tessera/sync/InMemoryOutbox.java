package eu.tessera.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outbox and directory ports in memory, with the semantics of the server's database implementation. */
final class InMemoryOutbox implements OutboxStore, AccountDirectory, CreationLedger {

    private final Map<String, String> intents = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void intend(String target, String name, String accountId) {
        intents.put(target + "/" + name, accountId);
    }

    @Override
    public Optional<String> intendedFor(String target, String name) {
        return Optional.ofNullable(intents.get(target + "/" + name));
    }

    private record Event(long id, String accountId, String username, String kind, Instant at) {
    }

    static final class Row {
        PendingSync item;
        String status = "PENDING";
        Instant next = Instant.MIN;
        Instant leased = Instant.MIN;
        String error;
    }

    private final List<Event> events = new ArrayList<>();
    final Map<String, Row> rows = new LinkedHashMap<>();
    final Map<String, AccountState> accounts = new java.util.TreeMap<>();
    private long sequence;

    synchronized void change(AccountState account, String kind) {
        if (account.status() == AccountState.Status.REMOVED) {
            accounts.remove(account.id());
        } else {
            accounts.put(account.id(), account);
        }
        events.add(new Event(++sequence, account.id(), account.username(), kind, Instant.now()));
    }

    @Override
    public synchronized int ingest(List<String> targets, int limit) {
        List<Event> batch = new ArrayList<>(events.subList(0, Math.min(limit, events.size())));
        for (Event event : batch) {
            for (String target : targets) {
                Row row = rows.computeIfAbsent(target + "/" + event.accountId(), k -> new Row());
                PendingSync old = row.item;
                row.item = new PendingSync(target, event.accountId(),
                        event.username() != null ? event.username() : old != null ? old.username() : null,
                        old == null ? event.kind() : old.kinds() + "," + event.kind(),
                        old == null ? event.at() : old.firstEventAt(), event.id(), old == null ? 0 : old.attempts());
                if (row.status.equals("PARKED")) {
                    row.status = "PENDING";
                    row.item = new PendingSync(target, row.item.accountId(), row.item.username(), row.item.kinds(),
                            row.item.firstEventAt(), row.item.lastEventId(), 0);
                    row.next = Instant.MIN;
                }
            }
        }
        events.removeAll(batch);
        return batch.size();
    }

    @Override
    public synchronized List<PendingSync> claim(String target, int limit, Instant now, Instant leaseUntil) {
        List<PendingSync> claimed = new ArrayList<>();
        for (Row row : rows.values()) {
            if (claimed.size() < limit && row.item.target().equals(target) && row.status.equals("PENDING")
                    && !row.next.isAfter(now) && row.leased.isBefore(now)) {
                row.leased = leaseUntil;
                claimed.add(row.item);
            }
        }
        return claimed;
    }

    private Row row(PendingSync item) {
        return rows.get(item.target() + "/" + item.accountId());
    }

    @Override
    public synchronized void delivered(PendingSync item) {
        Row row = row(item);
        if (row != null && row.item.lastEventId() == item.lastEventId()) {
            rows.remove(item.target() + "/" + item.accountId());
        } else if (row != null) {
            row.leased = Instant.MIN;
        }
    }

    @Override
    public synchronized void retryLater(PendingSync item, String error, Instant nextAttempt) {
        Row row = row(item);
        row.item = new PendingSync(item.target(), item.accountId(), row.item.username(), row.item.kinds(),
                row.item.firstEventAt(), row.item.lastEventId(), item.attempts() + 1);
        row.next = nextAttempt;
        row.leased = Instant.MIN;
        row.error = error;
    }

    @Override
    public synchronized void park(PendingSync item, String error) {
        Row row = row(item);
        row.item = new PendingSync(item.target(), item.accountId(), row.item.username(), row.item.kinds(),
                row.item.firstEventAt(), row.item.lastEventId(), item.attempts() + 1);
        row.status = "PARKED";
        row.leased = Instant.MIN;
        row.error = error;
    }

    @Override
    public synchronized Stats stats(String target) {
        long pending = rows.values().stream().filter(r -> r.status.equals("PENDING")).count();
        long parked = rows.values().stream().filter(r -> r.status.equals("PARKED")).count();
        return new Stats(pending, parked, null);
    }

    @Override
    public synchronized Optional<AccountState> find(String accountId) {
        return Optional.ofNullable(accounts.get(accountId));
    }

    @Override
    public synchronized List<AccountState> page(String afterId, int limit) {
        return accounts.values().stream().filter(a -> afterId == null || a.id().compareTo(afterId) > 0).limit(limit)
                .toList();
    }
}
