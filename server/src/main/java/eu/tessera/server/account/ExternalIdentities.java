package eu.tessera.server.account;

import eu.tessera.server.audit.AuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * External identities (an OpenID Connect provider's issuer and subject, a SAML IdP's entity ID and the user's
 * identifier there) linked to accounts: one identity belongs to
 * at most one account; holders link and unlink their own, but not the last way to log in of an account without a
 * password; every change is audited.
 */
@Service
public class ExternalIdentities {

    /** A linked identity as pages show it. */
    public record Identity(String id, String accountId, String type, String provider, String issuer, String subject,
            String email, Instant created, Instant lastLogin) {
    }


    private static final String COLUMNS = "id, account_id, type, provider, issuer, subject, email, created_at, "
            + "last_login_at";

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Clock clock;

    public ExternalIdentities(JdbcTemplate jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    private static Identity map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp last = rs.getTimestamp(9);
        return new Identity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(),
                last == null ? null : last.toInstant());
    }

    public List<Identity> of(String accountId) {
        return jdbc.query("select " + COLUMNS + " from account_identity where account_id = ? order by created_at",
                ExternalIdentities::map, accountId);
    }

    public Optional<Identity> find(String type, String issuer, String subject) {
        return jdbc.query("select " + COLUMNS + " from account_identity where type = ? and issuer = ? and subject = ?",
                ExternalIdentities::map, type, issuer, subject).stream().findFirst();
    }

    /** Records a login with the identity. */
    public void loggedIn(String identityId) {
        jdbc.update("update account_identity set last_login_at = ? where id = ?", Timestamp.from(clock.instant()),
                identityId);
    }

    /**
     * Links an identity to an account.
     *
     * @throws LinkException (conflict) when it is linked to another account
     */
    @Transactional
    public Identity link(String accountId, String type, String provider, String issuer, String subject, String email,
            String actor) {
        return link(accountId, type, provider, issuer, subject, null, email, actor);
    }

    /**
     * Links an identity to an account, recording which attribute named it (SAML).
     *
     * @throws LinkException (conflict) when it is linked to another account
     */
    @Transactional
    public Identity link(String accountId, String type, String provider, String issuer, String subject,
            String attribute, String email, String actor) {
        Optional<Identity> existing = find(type, issuer, subject);
        if (existing.isPresent()) {
            if (existing.get().accountId().equals(accountId)) {
                return existing.get();
            }
            throw new LinkException("This " + provider + " account is linked to another account.", true);
        }
        String id = UUID.randomUUID().toString();
        try {
            jdbc.update("insert into account_identity (id, account_id, type, provider, issuer, subject, attribute, "
                    + "email, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, accountId, type, provider, issuer,
                    subject, attribute, email, Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException raced) {
            throw new LinkException("This " + provider + " account is linked to another account.", true);
        }
        audit.record("identity.linked", actor, accountId, Map.of("type", type, "provider", provider, "issuer", issuer,
                "subject", subject));
        return find(type, issuer, subject).orElseThrow();
    }

    /**
     * The holder unlinks one of their identities; refused when it is their last way to log in.
     *
     * @return false when the account has no such identity
     */
    @Transactional
    public boolean unlinkOwn(String accountId, String identityId) {
        Optional<Identity> identity = of(accountId).stream().filter(i -> i.id().equals(identityId)).findFirst();
        if (identity.isEmpty()) {
            return false;
        }
        if (waysToLogIn(accountId) <= 1) {
            throw new LinkException("This is the only way to log in to your account: set a password or link "
                    + "another identity first.", true);
        }
        return unlink(accountId, identityId, accountId);
    }

    /**
     * Unlinks one of the account's identities (an administrator's action: the last way to log in may go, the
     * account can still get a password link).
     *
     * @return false when the account has no such identity
     */
    @Transactional
    public boolean unlink(String accountId, String identityId, String actor) {
        Optional<Identity> identity = of(accountId).stream().filter(i -> i.id().equals(identityId)).findFirst();
        if (identity.isEmpty()) {
            return false;
        }
        jdbc.update("delete from account_identity where id = ?", identityId);
        audit.record("identity.unlinked", actor, accountId, Map.of("type", identity.get().type(), "provider",
                identity.get().provider(), "subject", identity.get().subject()));
        return true;
    }

    /** Password (if set), linked certificates and linked external identities. */
    public int waysToLogIn(String accountId) {
        Integer ways = jdbc.queryForObject("select (select count(*) from account where id = ? and password_hash is "
                + "not null) + (select count(*) from account_certificate where account_id = ?) + (select count(*) "
                + "from account_identity where account_id = ?)", Integer.class, accountId, accountId, accountId);
        return ways == null ? 0 : ways;
    }
}
