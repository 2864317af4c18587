package eu.tessera.server.mail;

import eu.tessera.server.config.TesseraProperties;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Sends queued mail every {@code tessera.mail.poll-interval} when {@code tessera.mail.enabled}. Each mail is
 * claimed first (a conditional update of {@code claimed_until}), so with several instances one sends it; a failed
 * attempt is retried with exponential backoff and jitter ({@code retry-base} doubling up to {@code retry-max}),
 * forever: nothing is lost,
 * and the last error is kept for operators. Without SMTP configured, mail waits in the outbox.
 */
@Component
public class MailDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MailDispatcher.class);
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final int BATCH = 50;

    private record Mail(String id, String recipient, String subject, String body, int attempts) {
    }

    private final JdbcTemplate jdbc;
    private final org.springframework.beans.factory.ObjectProvider<JavaMailSender> senders;
    private JavaMailSender sender;
    private final TesseraProperties properties;
    private final Clock clock;
    private final eu.tessera.server.config.PeriodicTasks tasks;

    public MailDispatcher(JdbcTemplate jdbc, org.springframework.beans.factory.ObjectProvider<JavaMailSender> senders,
            TaskScheduler scheduler, TesseraProperties properties, Clock clock,
            org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        this.jdbc = jdbc;
        this.senders = senders;
        io.micrometer.core.instrument.MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {   // read on each scrape: one indexed count
            io.micrometer.core.instrument.Gauge.builder("tessera.mail.pending", this, MailDispatcher::pending)
                    .description("mails in the outbox not sent yet").register(registry);
            io.micrometer.core.instrument.Gauge.builder("tessera.mail.failing", this, MailDispatcher::failing)
                    .description("unsent mails whose last attempt failed").register(registry);
        }
        this.tasks = new eu.tessera.server.config.PeriodicTasks(scheduler);
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void start() {
        if (!properties.mail().enabled()) {
            log.warn("Mail is disabled (tessera.mail.enabled=false): registration and notification mails wait in "
                    + "the outbox until it is enabled");
            return;
        }
        sender = senders.getIfAvailable();
        if (sender == null) {
            throw new IllegalStateException("tessera.mail.enabled needs an SMTP server: set spring.mail.host "
                    + "(SPRING_MAIL_HOST) and, if needed, spring.mail.port, username and password");
        }
        tasks.every("Mail dispatch", properties.mail().pollInterval(), this::dispatch);
    }

    private double pending() {
        return jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null", Long.class);
    }

    private double failing() {
        return jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null and attempts > 0",
                Long.class);
    }

    /** Sends every due mail once; returns how many were sent. */
    public int dispatch() {
        if (sender == null) {
            return 0;
        }
        Instant now = clock.instant();
        List<Mail> due = jdbc.query("select id, recipient, subject, body, attempts from mail_outbox "
                + "where sent_at is null and next_attempt_at <= ? and (claimed_until is null or claimed_until < ?) "
                + "order by created_at limit " + BATCH, (rs, n) -> new Mail(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getInt(5)), Timestamp.from(now), Timestamp.from(now));
        int sent = 0;
        for (Mail mail : due) {
            int claimed = jdbc.update("update mail_outbox set claimed_until = ? where id = ? and sent_at is null "
                    + "and (claimed_until is null or claimed_until < ?)", Timestamp.from(now.plus(CLAIM)), mail.id(),
                    Timestamp.from(now));
            if (claimed != 1) {
                continue;   // another instance has it
            }
            try {
                send(mail);
                jdbc.update("update mail_outbox set sent_at = ?, attempts = attempts + 1, claimed_until = null, "
                        + "last_error = null where id = ?", Timestamp.from(clock.instant()), mail.id());
                sent++;
            } catch (Exception e) {
                int attempts = mail.attempts() + 1;
                long base = Math.min(properties.mail().retryMax().toMillis(),
                        properties.mail().retryBase().toMillis() << Math.min(attempts - 1, 16));
                long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
                String error = String.valueOf(e.getMessage());
                jdbc.update("update mail_outbox set attempts = ?, next_attempt_at = ?, claimed_until = null, "
                        + "last_error = ? where id = ?", attempts, Timestamp.from(clock.instant().plusMillis(delay)),
                        error.length() > 1000 ? error.substring(0, 1000) : error, mail.id());
                log.warn("Mail {} to {} not sent (attempt {}), retrying in {} s: {}", mail.id(), mail.recipient(),
                        attempts, delay / 1000, error);
            }
        }
        return sent;
    }

    private void send(Mail mail) throws Exception {
        MimeMessage message = sender.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
        helper.setFrom(new InternetAddress(from()));
        helper.setTo(mail.recipient());
        helper.setSubject(mail.subject());
        helper.setText(mail.body(), false);
        message.setHeader("Message-ID", "<" + mail.id() + "@tessera>");
        sender.send(message);
    }

    private String from() {
        String from = properties.mail().from();
        return from != null && !from.isBlank() ? from
                : "tessera@" + java.net.URI.create(properties.issuer()).getHost();
    }

    @Override
    public void stop() {
        tasks.cancelAll();
    }

    @Override
    public boolean isRunning() {
        return tasks.running();
    }
}
