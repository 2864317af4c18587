package eu.tessera.server.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the audit log for the API, the page and the CSV export: one filter (type, or a type prefix ending in
 * {@code *}; actor; target; time range), newest first, and the names behind the ids (accounts by username, clients
 * by name, groups by path) so that people read who did what.
 */
@Component
public class AuditQuery {

    /** A filter; null or blank fields do not filter. */
    public record Filter(String type, String actor, String target, Instant since, Instant until) {
    }

    /** One event. */
    public record Event(long id, Instant time, String type, String actor, String target, String address,
            String details) {
    }

    private final JdbcTemplate jdbc;

    public AuditQuery(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public int count(Filter filter) {
        List<Object> args = new ArrayList<>();
        return jdbc.queryForObject("select count(*) from audit_event" + where(filter, args), Integer.class,
                args.toArray());
    }

    /** Events newest first, {@code offset} skipped, at most {@code limit}. */
    public List<Event> events(Filter filter, int offset, int limit) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        args.add(limit);
        args.add(offset);
        return jdbc.query("select id, occurred_at, event_type, actor, target, remote_address, details from audit_event"
                + where + " order by id desc limit ? offset ?", (rs, n) -> new Event(rs.getLong(1),
                rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7)), args.toArray());
    }

    /** The latest events whose actor is an account with the admin role now, newest first. */
    public List<Event> recentByAdmins(int limit) {
        return jdbc.query("select id, occurred_at, event_type, actor, target, remote_address, details from audit_event"
                + " where actor in (select id from account where admin = true) order by id desc limit ?",
                (rs, n) -> new Event(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)), limit);
    }

    /** The latest events an account did or that were done to it, newest first. */
    public List<Event> about(String accountId, int limit) {
        return jdbc.query("select id, occurred_at, event_type, actor, target, remote_address, details from ("
                + "(select * from audit_event where target = ? order by id desc limit ?) union "
                + "(select * from audit_event where actor = ? order by id desc limit ?)) e order by id desc limit ?",
                (rs, n) -> new Event(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)), accountId, limit, accountId, limit, limit);
    }

    /** The readable names of the ids among actors and targets: username, client name, group path. */
    public Map<String, String> names(Collection<Event> events) {
        Set<String> ids = new LinkedHashSet<>();
        events.forEach(e -> {
            if (e.actor() != null) {
                ids.add(e.actor());
            }
            if (e.target() != null) {
                ids.add(e.target());
            }
        });
        Map<String, String> names = new HashMap<>();
        if (ids.isEmpty()) {
            return names;
        }
        String in = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        Object[] args = ids.toArray();
        jdbc.query("select id, username from account where id in (" + in + ")",
                rs -> { names.put(rs.getString(1), rs.getString(2)); }, args);
        jdbc.query("select client_id, client_name from oauth_client where client_id in (" + in + ")",
                rs -> { names.putIfAbsent(rs.getString(1), "client " + rs.getString(2)); }, args);
        jdbc.query("select id, path from vo_group where id in (" + in + ")",
                rs -> { names.putIfAbsent(rs.getString(1), rs.getString(2)); }, args);
        return names;
    }

    /** An actor or target as typed on the page: a username stands for its account id. */
    public String resolve(String nameOrId) {
        if (nameOrId == null || nameOrId.isBlank()) {
            return null;
        }
        String text = nameOrId.strip();
        List<String> ids = jdbc.queryForList("select id from account where username = ?", String.class, text);
        return ids.isEmpty() ? text : ids.get(0);
    }

    private static String where(Filter filter, List<Object> args) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        String type = filter.type();
        if (type != null && !type.isBlank()) {
            boolean prefix = type.endsWith("*");
            where.append(prefix ? " and event_type like ?" : " and event_type = ?");
            args.add(prefix ? type.substring(0, type.length() - 1).replace("%", "") + "%" : type.strip());
        }
        if (filter.actor() != null && !filter.actor().isBlank()) {
            where.append(" and actor = ?");
            args.add(filter.actor());
        }
        if (filter.target() != null && !filter.target().isBlank()) {
            where.append(" and target = ?");
            args.add(filter.target());
        }
        if (filter.since() != null) {
            where.append(" and occurred_at >= ?");
            args.add(Timestamp.from(filter.since()));
        }
        if (filter.until() != null) {
            where.append(" and occurred_at < ?");
            args.add(Timestamp.from(filter.until()));
        }
        return where.toString();
    }

    /** An event as a JSON-friendly map (the API's shape). */
    public static Map<String, Object> json(Event event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", event.id());
        out.put("time", event.time().toString());
        out.put("type", event.type());
        out.put("actor", event.actor());
        out.put("target", event.target());
        out.put("address", event.address());
        out.put("details", event.details());
        return out;
    }
}
