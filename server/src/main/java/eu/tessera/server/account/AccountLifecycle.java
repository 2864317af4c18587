package eu.tessera.server.account;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.mail.MailTemplates;
import eu.tessera.server.mail.MailOutbox;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Account suspension, restoration and the end-time lifecycle: when an account's end time passes it gets no
 * more tokens and is pending suspension for {@code tessera.lifecycle.suspension-grace} (an admin can extend
 * the end time); then it is suspended; when {@code removal-grace} is set, a suspended-by-lifecycle account is
 * removed after it. Expired memberships are removed. Each step is audited and mailed (never to service
 * accounts). A suspended account gets no tokens or VOMS ACs, its refresh tokens stop working and introspection
 * calls its tokens inactive.
 */
@Service
public class AccountLifecycle implements SmartLifecycle {

    /** An admin acting on their own account where that would lock them out (suspension, removal). */
    public static class SelfActionException extends RuntimeException {
        public SelfActionException(String message) {
            super(message);
        }
    }

    /** Refuses an admin suspending or removing their own account. */
    public static void refuseSelf(String accountId, String actor, String what) {
        if (accountId.equals(actor)) {
            throw new SelfActionException("you cannot " + what + " your own account: ask another admin");
        }
    }

    /** Lifecycle states. */
    public enum State { ACTIVE, PENDING_SUSPENSION, SUSPENDED }

    private record Row(String id, String username, String email, String name, boolean service, Instant endTime,
            Instant changedAt) {
    }

    private final JdbcTemplate jdbc;
    private final AccountRoles roles;
    private final MailOutbox mail;
    private final MailTemplates templates;
    private final AuditLog audit;
    private final TesseraProperties properties;
    private final Clock clock;
    private final eu.tessera.server.config.PeriodicTasks tasks;

    public AccountLifecycle(JdbcTemplate jdbc, MailOutbox mail, MailTemplates templates, AuditLog audit,
            TesseraProperties properties, TaskScheduler scheduler, Clock clock, AccountRoles roles) {
        this.roles = roles;
        this.jdbc = jdbc;
        this.mail = mail;
        this.templates = templates;
        this.audit = audit;
        this.properties = properties;
        this.tasks = new eu.tessera.server.config.PeriodicTasks(scheduler);
        this.clock = clock;
    }

    public State state(String accountId) {
        return State.valueOf(jdbc.queryForObject("select lifecycle_state from account where id = ?", String.class,
                accountId));
    }

    @Transactional
    public void suspend(String accountId, String actor, String reason) {
        refuseSelf(accountId, actor, "suspend");
        roles.requireAnotherActiveAdmin(accountId, "suspend");
        Row row = row(accountId);
        jdbc.update("update account set active = false, lifecycle_state = 'SUSPENDED', state_changed_at = ? "
                + "where id = ?", Timestamp.from(clock.instant()), accountId);
        notify(row, "account-suspended", reason);
        audit.record("account.suspended", actor, accountId, reason == null ? Map.of() : Map.of("reason", reason));
    }

    @Transactional
    public void restore(String accountId, String actor) {
        Row row = row(accountId);
        jdbc.update("update account set active = true, lifecycle_state = 'ACTIVE', state_changed_at = ? "
                + "where id = ?", Timestamp.from(clock.instant()), accountId);
        notify(row, "account-restored", null);
        audit.record("account.restored", actor, accountId, Map.of());
    }

    /**
     * Takes over an imported account's state from the old service, without the mails a suspension or restoration by
     * an admin sends (the holder was told there); false when it already was in that state.
     */
    @Transactional
    public boolean setImportedState(String accountId, boolean active, String actor) {
        int changed = jdbc.update("update account set active = ?, lifecycle_state = ?, state_changed_at = ? where id = ? "
                + "and active <> ?", active, active ? "ACTIVE" : "SUSPENDED", Timestamp.from(clock.instant()), accountId,
                active);
        if (changed > 0) {
            audit.record(active ? "account.restored" : "account.suspended", actor, accountId,
                    Map.of("reason", "as at the source of an import"));
        }
        return changed > 0;
    }

    /** Sets or clears the end time; an account pending suspension whose new end time is ahead is active again. */
    @Transactional
    public void setEndTime(String accountId, Instant endTime, String actor) {
        row(accountId);
        jdbc.update("update account set end_time = ? where id = ?", endTime == null ? null : Timestamp.from(endTime),
                accountId);
        if (endTime == null || endTime.isAfter(clock.instant())) {
            jdbc.update("update account set lifecycle_state = 'ACTIVE', state_changed_at = ? where id = ? and "
                    + "lifecycle_state = 'PENDING_SUSPENSION'", Timestamp.from(clock.instant()), accountId);
        }
        audit.record("account.end_time_set", actor, accountId,
                Map.of("endTime", endTime == null ? "none" : endTime.toString()));
    }

    /** One lifecycle round; returns the number of accounts and memberships changed. */
    @Transactional
    public int run() {
        Instant now = clock.instant();
        int changed = 0;
        for (Row row : rows("select id, username, email, given_name, service_account, end_time, state_changed_at "
                + "from account where lifecycle_state = 'ACTIVE' and end_time is not null and end_time <= ?", now)) {
            jdbc.update("update account set lifecycle_state = 'PENDING_SUSPENSION', state_changed_at = ? where id = ?",
                    Timestamp.from(now), row.id());
            notify(row, "account-expired", now.plus(properties.lifecycle().suspensionGrace())
                    .truncatedTo(ChronoUnit.MINUTES).toString());
            audit.record("account.pending_suspension", "lifecycle", row.id(), Map.of());
            changed++;
        }
        for (Row row : rows("select id, username, email, given_name, service_account, end_time, state_changed_at "
                + "from account where lifecycle_state = 'PENDING_SUSPENSION' and state_changed_at <= ?",
                now.minus(properties.lifecycle().suspensionGrace()))) {
            jdbc.update("update account set active = false, lifecycle_state = 'SUSPENDED', state_changed_at = ? "
                    + "where id = ?", Timestamp.from(now), row.id());
            notify(row, "account-suspended", "your account's end time passed");
            audit.record("account.suspended", "lifecycle", row.id(), Map.of("reason", "end time"));
            changed++;
        }
        if (!properties.lifecycle().removalGrace().isZero()) {
            for (Row row : rows("select id, username, email, given_name, service_account, end_time, state_changed_at "
                    + "from account where lifecycle_state = 'SUSPENDED' and end_time is not null and end_time <= ? "
                    + "and state_changed_at <= ? and admin = false", now,
                    now.minus(properties.lifecycle().removalGrace()))) {
                notify(row, "account-removed", null);
                jdbc.update("delete from account where id = ?", row.id());
                audit.record("account.removed", "lifecycle", row.id(), Map.of("username", row.username()));
                changed++;
            }
        }
        List<Map<String, Object>> expired = jdbc.queryForList("select account_id, group_id from membership where "
                + "end_time is not null and end_time <= ?", Timestamp.from(now));
        for (Map<String, Object> membership : expired) {
            jdbc.update("delete from membership where account_id = ? and group_id = ?",
                    membership.get("account_id"), membership.get("group_id"));
            audit.record("group.membership_expired", "lifecycle", (String) membership.get("group_id"),
                    Map.of("account", membership.get("account_id")));
            changed++;
        }
        return changed;
    }

    private List<Row> rows(String sql, Instant... instants) {
        Object[] args = new Object[instants.length];
        for (int i = 0; i < instants.length; i++) {
            args[i] = Timestamp.from(instants[i]);
        }
        return jdbc.query(sql, (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getBoolean(5), rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant(),
                rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant()), args);
    }

    private Row row(String accountId) {
        List<Row> rows = jdbc.query("select id, username, email, given_name, service_account, end_time, "
                + "state_changed_at from account where id = ?", (rs, n) -> new Row(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getBoolean(5), null, null), accountId);
        if (rows.isEmpty()) {
            throw new java.util.NoSuchElementException("no account " + accountId);
        }
        return rows.get(0);
    }

    private void notify(Row row, String template, String detail) {
        if (row.service() || row.email() == null) {
            return;
        }
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put("organisation", properties.organisationName());
        variables.put("name", row.name() == null ? row.username() : row.name());
        variables.put("username", row.username());
        variables.put("detail", detail);
        MailTemplates.Rendered text = templates.render(template, variables);
        mail.queue(row.email(), text.subject(), text.body());
    }

    @Override
    public void start() {
        tasks.every("Account lifecycle", properties.lifecycle().checkInterval(), this::run);
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
