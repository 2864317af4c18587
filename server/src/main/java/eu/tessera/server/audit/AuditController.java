package eu.tessera.server.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Browse the audit log (admin read): {@code GET /iam/audit?type=&actor=&target=&since=&until=&startIndex=&count=},
 * newest first, SCIM-style paging ({@code startIndex} from 1, {@code count} at most 500).
 */
@RestController
public class AuditController {

    private final JdbcTemplate jdbc;

    public AuditController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/iam/audit")
    public ResponseEntity<?> list(@RequestParam(required = false) String type,
            @RequestParam(required = false) String actor, @RequestParam(required = false) String target,
            @RequestParam(required = false) String since, @RequestParam(required = false) String until,
            @RequestParam(defaultValue = "1") int startIndex, @RequestParam(defaultValue = "100") int count) {
        if (startIndex < 1 || count < 0 || count > 500) {
            return problem("startIndex must be at least 1 and count between 0 and 500");
        }
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (type != null && !type.isBlank()) {
            where.append(type.endsWith("*") ? " and event_type like ?" : " and event_type = ?");
            args.add(type.endsWith("*") ? type.substring(0, type.length() - 1).replace("%", "") + "%" : type);
        }
        if (actor != null && !actor.isBlank()) {
            where.append(" and actor = ?");
            args.add(actor);
        }
        if (target != null && !target.isBlank()) {
            where.append(" and target = ?");
            args.add(target);
        }
        try {
            if (since != null && !since.isBlank()) {
                where.append(" and occurred_at >= ?");
                args.add(Timestamp.from(Instant.parse(since)));
            }
            if (until != null && !until.isBlank()) {
                where.append(" and occurred_at < ?");
                args.add(Timestamp.from(Instant.parse(until)));
            }
        } catch (DateTimeParseException e) {
            return problem("since and until are ISO-8601 instants, e.g. 2026-11-25T10:00:00Z");
        }
        Integer total = jdbc.queryForObject("select count(*) from audit_event" + where, Integer.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(count);
        pageArgs.add(startIndex - 1);
        List<Map<String, Object>> events = jdbc.query("select id, occurred_at, event_type, actor, target, "
                + "remote_address, details from audit_event" + where + " order by id desc limit ? offset ?",
                (rs, n) -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("id", rs.getLong(1));
                    event.put("time", rs.getTimestamp(2).toInstant().toString());
                    event.put("type", rs.getString(3));
                    event.put("actor", rs.getString(4));
                    event.put("target", rs.getString(5));
                    event.put("address", rs.getString(6));
                    event.put("details", rs.getString(7));
                    return event;
                }, pageArgs.toArray());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalResults", total);
        out.put("startIndex", startIndex);
        out.put("itemsPerPage", events.size());
        out.put("Resources", events);
        return ResponseEntity.ok(out);
    }

    private static ResponseEntity<ProblemDetail> problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
