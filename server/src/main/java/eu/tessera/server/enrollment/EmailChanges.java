package eu.tessera.server.enrollment;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.mail.MailOutbox;
import eu.tessera.server.mail.MailTemplates;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's email address, set or changed by its owner (the admin account has none at first): the new address
 * takes effect when its owner opens the link mailed to it, so nobody's notifications go to an address they do not
 * hold. The old address, if any, is told of the change.
 */
@Service
public class EmailChanges {

    /** What asking for a change gave. */
    public enum Requested { SENT, INVALID, TAKEN, MAIL_OFF }

    /** What following a link gave. */
    public enum Confirmed { CHANGED, EXPIRED, UNKNOWN, TAKEN }

    private final JdbcTemplate jdbc;
    private final MailOutbox mail;
    private final MailTemplates templates;
    private final AuditLog audit;
    private final TesseraProperties properties;
    private final Clock clock;
    private final eu.tessera.server.account.AccountProfiles profiles;

    public EmailChanges(JdbcTemplate jdbc, MailOutbox mail, MailTemplates templates, AuditLog audit,
            TesseraProperties properties, Clock clock,
            eu.tessera.server.account.AccountProfiles profiles) {
        this.profiles = profiles;
        this.jdbc = jdbc;
        this.mail = mail;
        this.templates = templates;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** Mails a confirmation link to {@code email} for the account; the address changes when it is followed. */
    @Transactional
    public Requested request(String accountId, String email) {
        String address = email == null ? "" : email.strip();
        if (address.length() > 320 || !RegistrationService.EMAIL.matcher(address).matches()) {
            return Requested.INVALID;
        }
        if (!properties.mail().enabled()) {
            return Requested.MAIL_OFF;
        }
        if (takenByAnother(accountId, address)) {
            return Requested.TAKEN;
        }
        Instant now = clock.instant();
        Instant expires = now.plus(properties.enrollment().confirmationTtl());
        String token = Tokens.random();
        jdbc.update("delete from email_change where account_id = ?", accountId);
        jdbc.update("insert into email_change (token_hash, account_id, email, expires_at, created_at) values "
                + "(?, ?, ?, ?, ?)", Tokens.hash(token), accountId, address, Timestamp.from(expires),
                Timestamp.from(now));
        String username = jdbc.queryForObject("select username from account where id = ?", String.class, accountId);
        MailTemplates.Rendered text = templates.render("email-confirm", Map.of(
                "organisation", properties.organisationName(), "username", username,
                "expires", expires.truncatedTo(ChronoUnit.MINUTES).toString(),
                "link", properties.baseUrl() + "/account/email/confirm?token=" + token));
        mail.queue(address, text.subject(), text.body());
        audit.record("account.email_change_requested", accountId, accountId, Map.of());
        return Requested.SENT;
    }

    /** Applies the change a link stands for. */
    @Transactional
    public Confirmed confirm(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Confirmed.UNKNOWN;
        }
        List<Map<String, Object>> rows = jdbc.queryForList("select e.account_id, e.email, e.expires_at, a.email as "
                + "old_email, a.username from email_change e join account a on a.id = e.account_id "
                + "where e.token_hash = ?", Tokens.hash(token));
        if (rows.isEmpty()) {
            return Confirmed.UNKNOWN;
        }
        Map<String, Object> row = rows.get(0);
        String accountId = (String) row.get("account_id");
        String email = (String) row.get("email");
        jdbc.update("delete from email_change where token_hash = ?", Tokens.hash(token));
        Instant expires = row.get("expires_at") instanceof Timestamp t ? t.toInstant()
                : ((java.time.OffsetDateTime) row.get("expires_at")).toInstant();
        Instant now = clock.instant();
        if (!expires.isAfter(now)) {
            return Confirmed.EXPIRED;
        }
        if (takenByAnother(accountId, email)) {
            return Confirmed.TAKEN;
        }
        jdbc.update("update account set email = ?, updated_at = ? where id = ?", email, Timestamp.from(now),
                accountId);
        String old = (String) row.get("old_email");
        if (old != null && !old.equalsIgnoreCase(email)) {
            MailTemplates.Rendered text = templates.render("email-changed", Map.of(
                    "organisation", properties.organisationName(), "username", row.get("username"),
                    "email", email));
            mail.queue(old, text.subject(), text.body());
        }
        audit.record("account.email_changed", accountId, accountId, Map.of());
        return Confirmed.CHANGED;
    }

    private boolean takenByAnother(String accountId, String email) {
        return profiles.emailTaken(email, accountId);
    }
}
