package eu.tessera.server.aup;

import eu.tessera.server.audit.AuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The acceptable use policy (AUP): versions, signatures and whether an account must sign (again). A signature
 * counts for the version in force when it was given and expires after the version's signature validity
 * (0 days: never). Publishing a new version asks everyone to sign again; admins can ask one account to.
 * Service accounts never sign. Token issuance and the VOMS AA ask {@link #mustSign(String)} on every request;
 * the answer is cached for {@value #CACHE_SECONDS} s per account.
 */
@Service
public class AupService {

    static final long CACHE_SECONDS = 2;

    /** An AUP version. */
    public record Aup(int version, String text, String url, int signatureValidityDays, List<Integer> reminderDays,
            Instant createdAt) {
    }

    /** An account's signature. */
    public record Signature(int version, Instant signedAt, Instant expiresAt) {
    }

    private record Cached(Optional<Instant> value, Instant until) {
    }

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final java.util.Map<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    public AupService(JdbcTemplate jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    private static final String SELECT = "select version, aup_text, url, signature_validity_days, reminder_days, "
            + "created_at from aup ";
    private static final org.springframework.jdbc.core.RowMapper<Aup> ROW = (rs, n) -> new Aup(rs.getInt(1),
            rs.getString(2), rs.getString(3), rs.getInt(4), parseDays(rs.getString(5)),
            rs.getTimestamp(6).toInstant());

    /** The version in force, if the VO has an AUP. */
    public Optional<Aup> current() {
        return jdbc.query(SELECT + "order by version desc limit 1", ROW).stream().findFirst();
    }

    public static List<Integer> parseDays(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.stream(text.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf).sorted((a, b) -> b - a).toList();
    }

    /** Publishes a new version; everyone signs it at their next login or token request. */
    @Transactional
    public Aup publish(String text, String url, int validityDays, List<Integer> reminderDays, String actor) {
        validate(text, url, validityDays, reminderDays);
        int version = current().map(a -> a.version() + 1).orElse(1);
        jdbc.update("insert into aup (version, aup_text, url, signature_validity_days, reminder_days, created_at, "
                + "created_by) values (?, ?, ?, ?, ?, ?, ?)", version, blankToNull(text), blankToNull(url), validityDays,
                String.join(",", reminderDays.stream().map(String::valueOf).toList()),
                Timestamp.from(clock.instant()), actor);
        cache.clear();
        currentCached = null;
        audit.record("aup.published", actor, String.valueOf(version), Map.of("signatureValidityDays", validityDays));
        return current().orElseThrow();
    }

    /** Checks a version about to be published (the common AUP's or a VO's addendum). */
    static void validate(String text, String url, int validityDays, List<Integer> reminderDays) {
        if ((text == null || text.isBlank()) && (url == null || url.isBlank())) {
            throw new IllegalArgumentException("text or url is required");
        }
        if (text != null && text.length() > 65536) {
            throw new IllegalArgumentException("text: at most 65536 characters");
        }
        if (url != null && !url.isBlank() && (url.length() > 2048 || !url.matches("https?://\\S+"))) {
            throw new IllegalArgumentException("url: an http(s) URL");
        }
        if (validityDays < 0 || validityDays > 3650) {
            throw new IllegalArgumentException("signatureValidityDays: between 0 (never expires) and 3650");
        }
        if (reminderDays.stream().anyMatch(d -> d == null || d < 1 || d > 365) || reminderDays.size() > 10) {
            throw new IllegalArgumentException("reminderDays: up to 10 numbers of days between 1 and 365");
        }
    }

    /** Withdraws the AUP altogether (all versions): nobody needs to sign any more. */
    @Transactional
    public boolean withdraw(String actor) {
        int removed = jdbc.update("delete from aup");
        jdbc.update("delete from aup_signature");
        cache.clear();
        currentCached = null;
        if (removed > 0) {
            audit.record("aup.withdrawn", actor, null, Map.of());
        }
        return removed > 0;
    }

    public Optional<Signature> signature(String accountId) {
        return jdbc.query("select aup_version, signed_at, expires_at from aup_signature where account_id = ?",
                (rs, n) -> new Signature(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()), accountId)
                .stream().findFirst();
    }

    /**
     * When the account's signature stops counting: empty when it need not sign (no AUP, service account, or a
     * signature that never expires); {@link Instant#EPOCH} when it has not signed the version in force.
     */
    public Optional<Instant> signatureExpiry(String accountId) {
        Instant now = clock.instant();
        Cached cached = cache.get(accountId);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.value();
        }
        Optional<Instant> value = computeExpiry(accountId);
        if (cache.size() > 100_000) {
            cache.clear();
        }
        cache.put(accountId, new Cached(value, now.plusSeconds(CACHE_SECONDS)));
        return value;
    }

    private volatile Optional<Aup> currentCached;
    private volatile Instant currentUntil = Instant.EPOCH;

    private Optional<Aup> currentCached() {
        Instant now = clock.instant();
        if (currentCached == null || !currentUntil.isAfter(now)) {
            currentCached = current();
            currentUntil = now.plusSeconds(CACHE_SECONDS);
        }
        return currentCached;
    }

    private Optional<Instant> computeExpiry(String accountId) {
        Optional<Aup> aup = currentCached();
        if (aup.isEmpty()) {
            return Optional.empty();
        }
        Boolean service = jdbc.query("select service_account from account where id = ?", (rs, n) -> rs.getBoolean(1),
                accountId).stream().findFirst().orElse(false);
        if (service) {
            return Optional.empty();
        }
        Optional<Signature> signature = signature(accountId);
        if (signature.isEmpty() || signature.get().version() != aup.get().version()) {
            return Optional.of(Instant.EPOCH);
        }
        return Optional.ofNullable(signature.get().expiresAt());
    }

    /** Whether the account must sign before it gets user-bound tokens or VOMS ACs. */
    public boolean mustSign(String accountId) {
        return signatureExpiry(accountId).map(expiry -> !expiry.isAfter(clock.instant())).orElse(false);
    }

    /** Records a signature of the version in force, given at {@code signedAt}. */
    @Transactional
    public Optional<Signature> sign(String accountId, Instant signedAt, String actor) {
        return record(accountId, current(), signedAt, actor);
    }

    /**
     * Records a signature of a given version (accepted on the registration form), with that version's validity;
     * nothing when the version no longer exists (the AUP was withdrawn).
     */
    @Transactional
    public Optional<Signature> signVersion(String accountId, int version, Instant signedAt, String actor) {
        return record(accountId, jdbc.query(SELECT + "where version = ?", ROW, version).stream().findFirst(),
                signedAt, actor);
    }

    private Optional<Signature> record(String accountId, Optional<Aup> aup, Instant signedAt, String actor) {
        if (aup.isEmpty()) {
            return Optional.empty();
        }
        Instant expires = aup.get().signatureValidityDays() == 0 ? null
                : signedAt.plus(Duration.ofDays(aup.get().signatureValidityDays()));
        jdbc.update("delete from aup_signature where account_id = ?", accountId);
        jdbc.update("insert into aup_signature (account_id, aup_version, signed_at, expires_at, expiry_notified) "
                + "values (?, ?, ?, ?, false)", accountId, aup.get().version(), Timestamp.from(signedAt),
                expires == null ? null : Timestamp.from(expires));
        cache.remove(accountId);
        audit.record("aup.signed", actor, accountId, Map.of("version", aup.get().version()));
        return signature(accountId);
    }

    /** Asks an account to sign again (admin): its signature is removed. */
    @Transactional
    public boolean requestSignature(String accountId, String actor) {
        int removed = jdbc.update("delete from aup_signature where account_id = ?", accountId);
        cache.remove(accountId);
        audit.record("aup.signature_requested", actor, accountId, Map.of());
        return removed > 0;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
