package eu.tessera.server.voms;

import eu.tessera.voms.AttributeAuthority;
import eu.tessera.voms.VomsAccount;
import eu.tessera.voms.ac.GenericAttribute;
import eu.tessera.voms.fqan.FqanResolver.Membership;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Maps a certificate to the account it is linked to, with the account's status, current memberships (default
 * ones in group order, then optional ones) and attributes: two plain SQL queries, no JPA and no transaction on
 * this hot path (the JPA version spent more time than signing the AC). A lookup is reused for
 * {@code tessera.tokens.client-cache-ttl} (default 5 s), the bound on staleness token validation has too, so a
 * suspension or membership change applies to ACs within it. The AUP
 * expiry comes from {@link eu.tessera.server.aup.AupService}: an expired or missing signature refuses the AC,
 * one expiring soon adds a warning.
 */
public class VomsAccountLookup implements AttributeAuthority.AccountLookup {

    private static final String ACCOUNT = """
            select a.id, a.username, a.active, a.end_time, g.path, m.optional, m.end_time
            from account_certificate c
            join account a on a.id = c.account_id
            left join membership m on m.account_id = a.id
            left join vo_group g on g.id = m.group_id
            where c.subject_dn = ? and c.issuer_dn = ?
            order by g.path""";
    private static final String ATTRIBUTES =
            "select name, attr_value from account_attribute where account_id = ? order by name";

    private record Row(String id, String username, boolean active, Instant endTime, String path, boolean optional,
            Instant membershipEnd) {
    }

    private final JdbcTemplate jdbc;
    private final eu.tessera.server.aup.AupService aup;
    private final Clock clock;
    private final String vo;

    private record Cached(Optional<VomsAccount> account, Instant until) {
    }

    private final java.time.Duration cacheTtl;
    private final java.util.Map<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param cacheTtl how long a lookup is reused on this instance ({@code tessera.tokens.client-cache-ttl}, the same
     *                 bound on staleness as token validation); zero: never
     */
    public VomsAccountLookup(JdbcTemplate jdbc, Clock clock, String vo, eu.tessera.server.aup.AupService aup,
            java.time.Duration cacheTtl) {
        this.cacheTtl = cacheTtl;
        this.aup = aup;
        this.jdbc = jdbc;
        this.clock = clock;
        this.vo = vo;
    }

    @Override
    public Optional<VomsAccount> find(String subjectDn, String issuerDn) {
        if (cacheTtl.isZero() || cacheTtl.isNegative()) {
            return load(subjectDn, issuerDn);
        }
        String key = subjectDn + "\n" + issuerDn;
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.account();
        }
        Optional<VomsAccount> account = load(subjectDn, issuerDn);
        if (cache.size() > 100_000) {
            cache.clear();
        }
        cache.put(key, new Cached(account, now.plus(cacheTtl)));
        return account;
    }

    private Optional<VomsAccount> load(String subjectDn, String issuerDn) {
        List<Row> rows = jdbc.query(ACCOUNT, (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                instant(rs.getTimestamp(4)), rs.getString(5), rs.getBoolean(6), instant(rs.getTimestamp(7))),
                subjectDn, issuerDn);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Row account = rows.get(0);
        List<Membership> defaults = new ArrayList<>();
        List<Membership> optional = new ArrayList<>();
        for (Row row : rows) {
            if (row.path() == null || row.membershipEnd() != null && !row.membershipEnd().isAfter(now)) {
                continue;
            }
            (row.optional() ? optional : defaults).add(new Membership(row.path(), row.optional()));
        }
        List<Membership> memberships = new ArrayList<>(defaults);
        memberships.addAll(optional);
        List<GenericAttribute> attributes = jdbc.query(ATTRIBUTES,
                (rs, n) -> new GenericAttribute(rs.getString(1), rs.getString(2), vo), account.id());
        boolean usable = account.active() && (account.endTime() == null || account.endTime().isAfter(now));
        return Optional.of(new VomsAccount(account.id(), account.username(), usable, memberships, attributes,
                aup.signatureExpiry(account.id())));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
