package eu.tessera.server.account;

import eu.tessera.server.config.TesseraProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Whether an account may still use its tokens, cached per instance for
 * {@code tessera.tokens.client-cache-ttl} so that token validation (introspection) needs no database read on
 * the happy path; a suspension is seen within that bound (by tokens and by browser sessions alike).
 */
@Component
public class AccountStatusCache {

    /** What token and session validation need to know of an account. */
    public record AccountStatus(String username, boolean usable, boolean admin, boolean reader) {
    }

    private record Entry(Optional<AccountStatus> status, Instant expiresAt) {
    }

    private final AccountRepository accounts;
    private final TesseraProperties properties;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public AccountStatusCache(AccountRepository accounts, TesseraProperties properties, Clock clock) {
        this.accounts = accounts;
        this.properties = properties;
        this.clock = clock;
    }

    /** The account's status, or empty when there is no such account. */
    public Optional<AccountStatus> status(String accountId) {
        Instant now = clock.instant();
        Entry entry = cache.get(accountId);
        if (entry != null && entry.expiresAt().isAfter(now)) {
            return entry.status();
        }
        Optional<AccountStatus> status = accounts.findById(accountId)
                .map(a -> new AccountStatus(a.getUsername(), a.isUsable(now), a.isAdmin(),
                        a.isReader()));
        if (cache.size() > 100_000) {
            cache.clear();
        }
        cache.put(accountId, new Entry(status, now.plus(properties.tokens().clientCacheTtl())));
        return status;
    }
}
