package eu.tessera.server.oauth2.client;

import jakarta.annotation.PreDestroy;
import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The day each client last got a token. Issuing stays free of database writes: a token notes its client's day in
 * memory (one map lookup), and a flush once a minute writes each client at most once a day per instance, never
 * moving a date backwards when several instances write. The day is UTC; pages and the API show a date, as INDIGO IAM
 * does.
 */
@Component
public class ClientUsage {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, LocalDate> seen = new ConcurrentHashMap<>();
    private final Map<String, LocalDate> written = new ConcurrentHashMap<>();

    public ClientUsage(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Notes that the client got a token now. */
    public void record(String clientId) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!today.equals(seen.get(clientId))) {
            seen.put(clientId, today);
        }
    }

    /** Writes the days not yet written; forgets the days before today once written. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    @PreDestroy
    public void flush() {
        for (Map.Entry<String, LocalDate> entry : seen.entrySet()) {
            LocalDate day = entry.getValue();
            if (day.equals(written.get(entry.getKey()))) {
                continue;
            }
            jdbc.update("update oauth_client set last_used_on = ? where client_id = ? and (last_used_on is null or "
                    + "last_used_on < ?)", Date.valueOf(day), entry.getKey(), Date.valueOf(day));
            written.put(entry.getKey(), day);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        seen.values().removeIf(day -> day.isBefore(today));
        written.values().removeIf(day -> day.isBefore(today));
    }
}
