package eu.tessera.server.mail;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Queues a mail in {@code mail_outbox}, in the caller's transaction: the mail exists exactly when the change that
 * causes it commits, and {@link MailDispatcher} sends it, retrying through SMTP outages.
 */
@Component
public class MailOutbox {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public MailOutbox(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Queues a plain-text mail; returns its id. */
    public String queue(String recipient, String subject, String body) {
        if (recipient == null || recipient.isBlank()) {
            throw new IllegalArgumentException("no recipient");
        }
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        jdbc.update("insert into mail_outbox (id, recipient, subject, body, created_at, attempts, next_attempt_at) "
                + "values (?, ?, ?, ?, ?, 0, ?)", id, recipient, subject.length() > 255 ? subject.substring(0, 255)
                : subject, body, Timestamp.from(now), Timestamp.from(now));
        return id;
    }
}
