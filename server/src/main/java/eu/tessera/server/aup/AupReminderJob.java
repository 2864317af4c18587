package eu.tessera.server.aup;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.mail.MailTemplates;
import eu.tessera.server.mail.MailOutbox;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Mails AUP reminders, for the common AUP and each VO's addendum (at each of the version's reminder days before a signature expires, once each) and expiry
 * notices (once), never to service accounts or disabled accounts. Runs hourly; each mail is queued in the same
 * transaction as the mark that it was sent, so a reminder goes out once even with several instances.
 */
@Component
public class AupReminderJob {

    private record Due(String accountId, String email, String name, String username, Instant expiresAt,
            Integer lastReminder, boolean expiryNotified) {
    }

    private final JdbcTemplate jdbc;
    private final AupService aup;
    private final VoAupService addenda;
    private final MailOutbox mail;
    private final MailTemplates templates;
    private final TesseraProperties properties;
    private final Clock clock;

    public AupReminderJob(JdbcTemplate jdbc, AupService aup, VoAupService addenda, MailOutbox mail,
            MailTemplates templates, TesseraProperties properties, Clock clock) {
        this.addenda = addenda;
        this.jdbc = jdbc;
        this.aup = aup;
        this.mail = mail;
        this.templates = templates;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT2M")
    public void scheduled() {
        run();
    }

    /** One round; returns the number of mails queued. */
    @Transactional
    public int run() {
        int queued = 0;
        Optional<AupService.Aup> current = aup.current();
        if (current.isPresent()) {
            queued += remind(current.get(), "aup_signature", "", List.of(), null);
        }
        for (VoAupService.Addendum addendum : addenda.inForce()) {
            queued += remind(addendum.aup(), "vo_aup_signature", "s.vo_group_id = ? and ",
                    List.of(addendum.voGroupId()), addendum.voPath());
        }
        return queued;
    }

    /**
     * Only members of the VO are reminded of its addendum (a signature outlives leaving the VO): the condition, whose
     * {@code ?} stand for the VO's path three times.
     */
    private static String stillMember(String vo) {
        return vo == null ? "" : " and exists (select 1 from membership m join vo_group mg on mg.id = m.group_id where "
                + "m.account_id = s.account_id and " + eu.tessera.server.group.GroupPaths.within("mg.path", "?") + ")";
    }

    /**
     * Reminders and expiry notices for the signatures of one policy version: the common AUP's ({@code vo} null) or a
     * VO's addendum ({@code table} vo_aup_signature, {@code key} its VO's condition and arguments).
     */
    private int remind(AupService.Aup current, String table, String key, List<Object> keyArgs, String vo) {
        if (current.signatureValidityDays() == 0) {
            return 0;
        }
        Instant now = clock.instant();
        List<Integer> reminderDays = current.reminderDays();   // descending
        int longest = reminderDays.isEmpty() ? 0 : reminderDays.get(0);
        List<Object> args = new java.util.ArrayList<>(keyArgs);
        args.add(current.version());
        args.add(Timestamp.from(now.plus(Duration.ofDays(longest))));
        if (vo != null) {
            args.addAll(List.of(vo, vo, vo));
        }
        List<Due> due = jdbc.query("select s.account_id, a.email, a.given_name, a.username, s.expires_at, "
                + "s.last_reminder_days, s.expiry_notified from " + table + " s join account a on a.id = s.account_id "
                + "where " + key + "s.aup_version = ? and s.expires_at is not null and s.expires_at <= ? and a.active = "
                + "true and a.service_account = false and a.email is not null and s.expiry_notified = false"
                + stillMember(vo),
                (rs, n) -> new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), (Integer) rs.getObject(6), rs.getBoolean(7)),
                args.toArray());
        String template = vo == null ? "aup-" : "vo-aup-";
        int queued = 0;
        for (Due signature : due) {
            List<Object> which = new java.util.ArrayList<>(keyArgs);
            which.add(signature.accountId());
            if (!signature.expiresAt().isAfter(now)) {
                int marked = jdbc.update("update " + table + " s set expiry_notified = true where " + key
                        + "s.account_id = ? and s.expiry_notified = false", which.toArray());
                if (marked == 1) {
                    queue(template + "expired", signature, 0, vo);
                    queued++;
                }
                continue;
            }
            long daysLeft = (long) Math.ceil(Duration.between(now, signature.expiresAt()).toSeconds() / 86400.0);
            Integer threshold = null;
            for (int days : reminderDays) {
                if (days >= daysLeft && (signature.lastReminder() == null || days < signature.lastReminder())) {
                    threshold = days;   // the smallest threshold reached and not yet reminded
                }
            }
            if (threshold == null) {
                continue;
            }
            List<Object> update = new java.util.ArrayList<>(List.of(threshold));
            update.addAll(which);
            update.add(threshold);
            int marked = jdbc.update("update " + table + " s set last_reminder_days = ? where " + key
                    + "s.account_id = ? and (s.last_reminder_days is null or s.last_reminder_days > ?)",
                    update.toArray());
            if (marked == 1) {
                queue(template + "reminder", signature, daysLeft, vo);
                queued++;
            }
        }
        return queued;
    }

    private void queue(String template, Due signature, long daysLeft, String vo) {
        MailTemplates.Rendered text = templates.render(template, Map.of(
                "organisation", properties.organisationName(), "vo", vo == null ? "" : vo,
                "name", signature.name() == null ? signature.username() : signature.name(),
                "username", signature.username(), "days", daysLeft,
                "expires", signature.expiresAt().truncatedTo(ChronoUnit.MINUTES).toString(),
                "link", properties.baseUrl() + "/aup"));
        mail.queue(signature.email(), text.subject(), text.body());
    }
}
