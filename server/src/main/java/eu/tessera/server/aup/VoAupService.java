package eu.tessera.server.aup;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.group.GroupPaths;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-VO addenda to the acceptable use policy (issue 18): each VO's admins publish versions of their own (own
 * signature validity and reminders), shown beside the common AUP. A member of a VO whose addendum in force they have
 * not signed (or whose signature expired) gets tokens without the VO's groups, and nothing policies grant through
 * them, and no VOMS AC for the VO; their next sign-in asks them to sign it. Service accounts never sign.
 *
 * <p>The addenda in force are read at most every {@value AupService#CACHE_SECONDS} s, an account's signatures per
 * account as long: an instance without addenda answers the token path from memory.
 */
@Service
public class VoAupService {

    /** A VO's addendum in force. */
    public record Addendum(String voGroupId, String voPath, AupService.Aup aup) {
    }

    private record Cached<T>(T value, Instant until) {
    }

    private static final String SELECT = "select version, aup_text, url, signature_validity_days, reminder_days, "
            + "created_at from vo_aup ";
    private static final RowMapper<AupService.Aup> ROW = (rs, n) -> new AupService.Aup(rs.getInt(1),
            rs.getString(2), rs.getString(3), rs.getInt(4), AupService.parseDays(rs.getString(5)),
            rs.getTimestamp(6).toInstant());

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private volatile Cached<List<Addendum>> inForce;
    private final Map<String, Cached<Map<String, Optional<Instant>>>> signatures = new ConcurrentHashMap<>();

    private final eu.tessera.server.group.VoAdmins vos;

    public VoAupService(JdbcTemplate jdbc, AuditLog audit, Clock clock, eu.tessera.server.group.VoAdmins vos) {
        this.vos = vos;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** The version of the VO's addendum in force, if it has one. */
    public Optional<AupService.Aup> current(String voGroupId) {
        return jdbc.query(SELECT + "where vo_group_id = ? order by version desc limit 1", ROW, voGroupId).stream()
                .findFirst();
    }

    /** Every VO's addendum in force, by VO path. */
    public List<Addendum> inForce() {
        Instant now = clock.instant();
        Cached<List<Addendum>> cached = inForce;
        if (cached == null || !cached.until().isAfter(now)) {
            List<Addendum> all = jdbc.query("select a.vo_group_id, g.path, a.version, a.aup_text, a.url, "
                    + "a.signature_validity_days, a.reminder_days, a.created_at from vo_aup a join vo_group g on g.id "
                    + "= a.vo_group_id where a.version = (select max(b.version) from vo_aup b where b.vo_group_id = "
                    + "a.vo_group_id) order by g.path", (rs, n) -> new Addendum(rs.getString(1), rs.getString(2),
                    new AupService.Aup(rs.getInt(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                            AupService.parseDays(rs.getString(7)), rs.getTimestamp(8).toInstant())));
            cached = new Cached<>(List.copyOf(all), now.plusSeconds(AupService.CACHE_SECONDS));
            inForce = cached;
        }
        return cached.value();
    }

    /** Publishes a new version of the VO's addendum: its members sign it at their next sign-in. */
    @Transactional
    public AupService.Aup publish(String voGroupId, String text, String url, int validityDays,
            List<Integer> reminderDays, String actor) {
        AupService.validate(text, url, validityDays, reminderDays);
        int version = current(voGroupId).map(a -> a.version() + 1).orElse(1);
        jdbc.update("insert into vo_aup (vo_group_id, version, aup_text, url, signature_validity_days, reminder_days, "
                + "created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)", voGroupId, version,
                AupService.blankToNull(text), AupService.blankToNull(url), validityDays,
                String.join(",", reminderDays.stream().map(String::valueOf).toList()), Timestamp.from(clock.instant()),
                actor);
        forget();
        audit.record("vo.aup_published", actor, voGroupId, Map.of("version", version,
                "signatureValidityDays", validityDays));
        return current(voGroupId).orElseThrow();
    }

    /** Withdraws the VO's addendum (every version and signature): its members need not sign any more. */
    @Transactional
    public boolean withdraw(String voGroupId, String actor) {
        int removed = jdbc.update("delete from vo_aup where vo_group_id = ?", voGroupId);
        jdbc.update("delete from vo_aup_signature where vo_group_id = ?", voGroupId);
        forget();
        if (removed > 0) {
            audit.record("vo.aup_withdrawn", actor, voGroupId, Map.of());
        }
        return removed > 0;
    }

    /** Records the account's signature of the VO's version in force. */
    @Transactional
    public Optional<AupService.Signature> sign(String voGroupId, String accountId, Instant signedAt, String actor) {
        return record(voGroupId, accountId, current(voGroupId), signedAt, actor);
    }

    /** Records a signature of a given version (accepted on the registration form); nothing if it is gone. */
    @Transactional
    public Optional<AupService.Signature> signVersion(String voGroupId, String accountId, int version,
            Instant signedAt, String actor) {
        return record(voGroupId, accountId, jdbc.query(SELECT + "where vo_group_id = ? and version = ?", ROW,
                voGroupId, version).stream().findFirst(), signedAt, actor);
    }

    private Optional<AupService.Signature> record(String voGroupId, String accountId, Optional<AupService.Aup> aup,
            Instant signedAt, String actor) {
        if (aup.isEmpty()) {
            return Optional.empty();
        }
        Instant expires = aup.get().signatureValidityDays() == 0 ? null
                : signedAt.plus(Duration.ofDays(aup.get().signatureValidityDays()));
        jdbc.update("delete from vo_aup_signature where vo_group_id = ? and account_id = ?", voGroupId, accountId);
        jdbc.update("insert into vo_aup_signature (vo_group_id, account_id, aup_version, signed_at, expires_at, "
                + "expiry_notified) values (?, ?, ?, ?, ?, false)", voGroupId, accountId, aup.get().version(),
                Timestamp.from(signedAt), expires == null ? null : Timestamp.from(expires));
        signatures.remove(accountId);
        audit.record("vo.aup_signed", actor, accountId, Map.of("vo", voGroupId, "version", aup.get().version()));
        return signature(voGroupId, accountId);
    }

    public Optional<AupService.Signature> signature(String voGroupId, String accountId) {
        return jdbc.query("select aup_version, signed_at, expires_at from vo_aup_signature where vo_group_id = ? and "
                + "account_id = ?", (rs, n) -> new AupService.Signature(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()), voGroupId, accountId)
                .stream().findFirst();
    }

    /**
     * When the account's signature of the addendum of the VO at {@code voPath} stops counting: empty when the VO has
     * none in force (or the account is a service account, or the signature never expires); {@link Instant#EPOCH}
     * when the version in force is not signed.
     */
    public Optional<Instant> expiry(String accountId, String voPath) {
        return expiries(accountId).getOrDefault(voPath, Optional.empty());
    }

    /** Per VO path with an addendum in force: as {@link #expiry}. Cached per account. */
    private Map<String, Optional<Instant>> expiries(String accountId) {
        List<Addendum> addenda = inForce();
        if (addenda.isEmpty()) {
            return Map.of();
        }
        Instant now = clock.instant();
        Cached<Map<String, Optional<Instant>>> cached = signatures.get(accountId);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.value();
        }
        Map<String, Optional<Instant>> result = new java.util.HashMap<>();
        boolean service = jdbc.query("select service_account from account where id = ?", (rs, n) -> rs.getBoolean(1),
                accountId).stream().findFirst().orElse(false);
        if (!service) {
            Map<String, AupService.Signature> signed = new java.util.HashMap<>();
            jdbc.query("select vo_group_id, aup_version, signed_at, expires_at from vo_aup_signature where account_id "
                    + "= ?", rs -> {
                signed.put(rs.getString(1), new AupService.Signature(rs.getInt(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()));
            }, accountId);
            for (Addendum addendum : addenda) {
                AupService.Signature signature = signed.get(addendum.voGroupId());
                result.put(addendum.voPath(), signature == null || signature.version() != addendum.aup().version()
                        ? Optional.of(Instant.EPOCH) : Optional.ofNullable(signature.expiresAt()));
            }
        }
        if (signatures.size() > 100_000) {
            signatures.clear();
        }
        Map<String, Optional<Instant>> value = Map.copyOf(result);
        signatures.put(accountId, new Cached<>(value, now.plusSeconds(AupService.CACHE_SECONDS)));
        return value;
    }

    /** The paths of the VOs whose addendum the account must sign (missing or expired), member or not. */
    public List<String> unsignedVoPaths(String accountId) {
        Instant now = clock.instant();
        List<String> unsigned = new ArrayList<>();
        expiries(accountId).forEach((path, expiry) -> {
            if (expiry.isPresent() && !expiry.get().isAfter(now)) {
                unsigned.add(path);
            }
        });
        return unsigned;
    }

    /** The group paths outside every VO whose addendum the account must sign: what tokens may carry. */
    public List<String> withoutUnsigned(String accountId, Collection<String> paths) {
        List<String> unsigned = unsignedVoPaths(accountId);
        if (unsigned.isEmpty()) {
            return List.copyOf(paths);
        }
        return paths.stream().filter(path -> unsigned.stream().noneMatch(vo -> GroupPaths.isWithin(path, vo)))
                .toList();
    }

    /** As {@link #withoutUnsigned}, for group ids. */
    public List<String> groupIdsWithoutUnsigned(String accountId, List<String> groupIds) {
        List<String> unsigned = unsignedVoPaths(accountId);
        if (unsigned.isEmpty() || groupIds.isEmpty()) {
            return groupIds;
        }
        // one query for the paths of all the groups, not one per group (a member may be in 50)
        Map<String, String> paths = new java.util.HashMap<>();
        jdbc.query("select id, path from vo_group where id in (" + String.join(", ",
                java.util.Collections.nCopies(groupIds.size(), "?")) + ")",
                rs -> {
                    paths.put(rs.getString(1), rs.getString(2));
                }, groupIds.toArray());
        return groupIds.stream().filter(id -> paths.containsKey(id) && unsigned.stream()
                .noneMatch(vo -> GroupPaths.isWithin(paths.get(id), vo))).toList();
    }

    /** The addenda the account must sign before going on: those of VOs it is a member of. */
    public List<Addendum> toSign(String accountId) {
        List<String> unsigned = unsignedVoPaths(accountId);
        if (unsigned.isEmpty()) {
            return List.of();
        }
        List<String> memberOf = vos.vosOf(accountId).stream().map(eu.tessera.server.group.GroupAdmin.Group::id)
                .toList();
        return inForce().stream().filter(a -> unsigned.contains(a.voPath()))
                .filter(a -> memberOf.contains(a.voGroupId())).toList();
    }

    /** The addenda of the VOs the account is a member of, signed or not (for the signing page). */
    public List<Addendum> ofMember(String accountId) {
        List<Addendum> addenda = inForce();
        if (addenda.isEmpty()) {
            return List.of();
        }
        List<String> memberOf = vos.vosOf(accountId).stream().map(eu.tessera.server.group.GroupAdmin.Group::id)
                .toList();
        return addenda.stream().filter(a -> memberOf.contains(a.voGroupId())).toList();
    }

    private void forget() {
        inForce = null;
        signatures.clear();
    }
}
