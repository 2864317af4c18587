package eu.tessera.server.enrollment;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.mail.MailOutbox;
import eu.tessera.server.mail.MailTemplates;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Single-use links to set or reset a password (stored as SHA-256 hashes, expiring after
 * {@code tessera.enrollment.password-link-ttl}). Asking for a reset never reveals whether an account exists.
 */
@Service
public class PasswordLinks {

    /** Shortest password accepted. */
    public static final int MIN_PASSWORD = 10;
    /** Longest password accepted. */
    public static final int MAX_PASSWORD = 256;

    /** A link to mail. */
    public record Link(String url, Instant expires) {
    }

    /** Outcome of using a link. */
    public enum Outcome { SET, INVALID_LINK, WEAK_PASSWORD, MISMATCH }

    private final JdbcTemplate jdbc;
    private final AccountRepository accounts;
    private final PasswordEncoder encoder;
    private final MailOutbox mail;
    private final MailTemplates templates;
    private final AuditLog audit;
    private final TesseraProperties properties;
    private final Clock clock;

    public PasswordLinks(JdbcTemplate jdbc, AccountRepository accounts, PasswordEncoder encoder, MailOutbox mail,
            MailTemplates templates, AuditLog audit, TesseraProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.encoder = encoder;
        this.mail = mail;
        this.templates = templates;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** A new link for an account. */
    @Transactional
    public Link create(String accountId) {
        String token = Tokens.random();
        Instant now = clock.instant();
        Instant expires = now.plus(properties.enrollment().passwordLinkTtl());
        jdbc.update("insert into password_token (token_hash, account_id, created_at, expires_at) values (?, ?, ?, ?)",
                Tokens.hash(token), accountId, Timestamp.from(now), Timestamp.from(expires));
        return new Link(properties.baseUrl() + "/reset-password?token=" + token, expires);
    }

    /** Whether a link can still be used (for showing the form). */
    @Transactional(readOnly = true)
    public boolean valid(String token) {
        return accountFor(token).isPresent();
    }

    private Optional<String> accountFor(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        List<String> ids = jdbc.queryForList("select account_id from password_token where token_hash = ? and "
                + "used_at is null and expires_at > ?", String.class, Tokens.hash(token),
                Timestamp.from(clock.instant()));
        return ids.stream().findFirst();
    }

    /** Sets the password through a link; the link then stops working. */
    @Transactional
    public Outcome use(String token, String password, String repeated) {
        Optional<String> accountId = accountFor(token);
        if (accountId.isEmpty()) {
            return Outcome.INVALID_LINK;
        }
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            return Outcome.WEAK_PASSWORD;
        }
        if (!password.equals(repeated)) {
            return Outcome.MISMATCH;
        }
        int used = jdbc.update("update password_token set used_at = ? where token_hash = ? and used_at is null",
                Timestamp.from(clock.instant()), Tokens.hash(token));
        if (used != 1) {
            return Outcome.INVALID_LINK;
        }
        Account account = accounts.findById(accountId.get()).orElseThrow();
        account.setPasswordHash(encoder.encode(password), clock.instant());
        accounts.save(account);
        audit.record("account.password_set", account.getId(), account.getId(), Map.of("via", "link"));
        return Outcome.SET;
    }

    /** Mails a reset link when a usable account has this username or email; says nothing either way. */
    @Transactional
    public void requestReset(String usernameOrEmail) {
        if (usernameOrEmail == null || usernameOrEmail.isBlank() || usernameOrEmail.length() > 320) {
            return;
        }
        String value = usernameOrEmail.strip().toLowerCase(Locale.ROOT);
        List<String> ids = jdbc.queryForList("select id from account where (lower(username) = ? or lower(email) = ?) "
                + "and service_account = false and email is not null", String.class, value, value);
        if (ids.size() != 1) {
            audit.record("account.password_reset_unknown", "anonymous", null, Map.of());
            return;
        }
        Account account = accounts.findById(ids.get(0)).orElseThrow();
        if (!account.isUsable(clock.instant())) {
            return;
        }
        mailReset(account, "anonymous");
    }

    /** Why an administrator's reset mail was not sent, or that it was queued. */
    public enum ResetOutcome { QUEUED, NO_EMAIL, SERVICE_ACCOUNT, NOT_USABLE, NO_ACCOUNT }

    /**
     * An administrator sends the account a link to set a new password (the account page's action); the mail goes
     * through the outbox like every other.
     */
    @Transactional
    public ResetOutcome sendReset(String accountId, String actor) {
        Account account = accounts.findById(accountId).orElse(null);
        if (account == null) {
            return ResetOutcome.NO_ACCOUNT;
        }
        if (account.isServiceAccount()) {
            return ResetOutcome.SERVICE_ACCOUNT;
        }
        if (account.getEmail() == null || account.getEmail().isBlank()) {
            return ResetOutcome.NO_EMAIL;
        }
        if (!account.isUsable(clock.instant())) {
            return ResetOutcome.NOT_USABLE;
        }
        mailReset(account, actor);
        return ResetOutcome.QUEUED;
    }

    private void mailReset(Account account, String actor) {
        mailLink(account, "password-reset");
        audit.record("account.password_reset_requested", actor, account.getId(), Map.of());
    }

    /**
     * Queues a mail with a new link to the account's address, from a template that gets {@code organisation},
     * {@code name}, {@code username}, {@code expires} and {@code link} (a reset, an invitation).
     */
    @Transactional
    public void mailLink(Account account, String template) {
        Link link = create(account.getId());
        MailTemplates.Rendered text = templates.render(template, Map.of(
                "organisation", properties.organisationName(), "name", account.getDisplayName(),
                "username", account.getUsername(), "expires", link.expires().truncatedTo(ChronoUnit.MINUTES).toString(),
                "link", link.url()));
        mail.queue(account.getEmail(), text.subject(), text.body());
    }
}
