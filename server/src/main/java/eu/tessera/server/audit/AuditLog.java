package eu.tessera.server.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log of admin and security events: one row in {@code audit_event} (in the caller's transaction, so an
 * event is recorded exactly when its change commits) and one JSON line on the {@code tessera.audit} logger for
 * log shippers. Details never contain secrets or tokens; callers pass identifiers only.
 */
@Component
public class AuditLog {

    private static final Logger AUDIT = LoggerFactory.getLogger("tessera.audit");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DETAILS = 8000;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    public AuditLog(JdbcTemplate jdbc, Clock clock,
            org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.meters = meters.getIfAvailable();
    }

    /** Logins for Prometheus ({@code tessera.logins}): by outcome and method (password, x509, oidc, saml). */
    private void countLogin(String type, Map<String, ?> details) {
        if (meters == null || !(type.equals("login.success") || type.equals("login.failure"))) {
            return;
        }
        Object method = details == null ? null : details.get("method");
        String tag = method instanceof String m && java.util.Set.of("password", "x509", "oidc", "saml").contains(m)
                ? m : "other";
        io.micrometer.core.instrument.Counter.builder("tessera.logins").description("logins, by outcome and method")
                .tag("outcome", type.substring("login.".length())).tag("method", tag).register(meters).increment();
    }

    /**
     * Records an event.
     *
     * @param type    dotted event name, e.g. {@code registration.approved}
     * @param actor   who did it (account id, client id, or {@code anonymous})
     * @param target  what it was done to (account id, request id, policy id), may be null
     * @param details further identifiers and values, no secrets
     */
    public void record(String type, String actor, String target, Map<String, ?> details) {
        countLogin(type, details);
        Instant now = clock.instant();
        String address = remoteAddress();
        String detailsJson = details == null || details.isEmpty() ? null : JSON.writeValueAsString(details);
        if (detailsJson != null && detailsJson.length() > MAX_DETAILS) {
            detailsJson = JSON.writeValueAsString(Map.of("truncated", detailsJson.substring(0, MAX_DETAILS - 100)));
        }
        jdbc.update("insert into audit_event (occurred_at, event_type, actor, target, remote_address, details) "
                + "values (?, ?, ?, ?, ?, ?)", Timestamp.from(now), type, cut(actor, 255), cut(target, 255),
                cut(address, 64), detailsJson);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", now.toString());
        line.put("type", type);
        line.put("actor", actor);
        line.put("target", target);
        line.put("address", address);
        if (details != null && !details.isEmpty()) {
            line.put("details", details);
        }
        String json = JSON.writeValueAsString(line);
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            // the log line only for what was committed (a rolled-back change, e.g. an import's dry run, is no event)
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            AUDIT.info(json);
                        }
                    });
        } else {
            AUDIT.info(json);
        }
    }

    /** Records an event done by the current user or client (the authenticated principal of this request). */
    public void record(String type, String target, Map<String, ?> details) {
        record(type, currentActor(), target, details);
    }

    /** The authenticated principal's name (account id or client id), or {@code anonymous}. */
    public static String currentActor() {
        var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext()
                .getAuthentication();
        return authentication == null || !authentication.isAuthenticated() ? "anonymous" : authentication.getName();
    }

    private static String remoteAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
