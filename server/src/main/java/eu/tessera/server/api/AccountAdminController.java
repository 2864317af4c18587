package eu.tessera.server.api;

import eu.tessera.server.account.AccountLifecycle;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Account administration (admin scopes): {@code GET /iam/account/{id}}, {@code POST /iam/account/{id}/suspend}
 * (optional {@code {"reason": ..}}), {@code POST /iam/account/{id}/restore}, {@code PUT /iam/account/{id}/end-time}
 * or IAM's {@code .../endTime} with {@code {"endTime": "2027-01-01T00:00:00Z" | epoch millis | null}}.
 */
@RestController
public class AccountAdminController {

    private final AccountLifecycle lifecycle;
    private final JdbcTemplate jdbc;

    public AccountAdminController(AccountLifecycle lifecycle, JdbcTemplate jdbc) {
        this.lifecycle = lifecycle;
        this.jdbc = jdbc;
    }

    @GetMapping("/iam/account/{id}")
    public ResponseEntity<?> get(@PathVariable String id) {
        List<Map<String, Object>> rows = jdbc.query("select id, username, email, given_name, family_name, admin, "
                + "service_account, active, end_time, lifecycle_state, created_at from account where id = ?",
                (rs, n) -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("id", rs.getString(1));
                    out.put("username", rs.getString(2));
                    out.put("email", rs.getString(3));
                    out.put("givenName", rs.getString(4));
                    out.put("familyName", rs.getString(5));
                    out.put("admin", rs.getBoolean(6));
                    out.put("serviceAccount", rs.getBoolean(7));
                    out.put("active", rs.getBoolean(8));
                    out.put("endTime", rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant().toString());
                    out.put("state", rs.getString(10));
                    out.put("created", rs.getTimestamp(11).toInstant().toString());
                    return out;
                }, id);
        return rows.isEmpty() ? ProblemDetails.of(HttpStatus.NOT_FOUND, "no account " + id)
                : ResponseEntity.ok(rows.get(0));
    }

    @PostMapping("/iam/account/{id}/suspend")
    public ResponseEntity<?> suspend(@PathVariable String id, @RequestBody(required = false) Map<String, Object> body,
            @AuthenticationPrincipal Jwt admin) {
        Object reason = body == null ? null : body.get("reason");
        if (reason != null && (!(reason instanceof String text) || text.length() > 2000)) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "reason: a string of at most 2000 characters");
        }
        lifecycle.suspend(id, admin.getSubject(), (String) reason);
        return get(id);
    }

    @PostMapping("/iam/account/{id}/restore")
    public ResponseEntity<?> restore(@PathVariable String id, @AuthenticationPrincipal Jwt admin) {
        lifecycle.restore(id, admin.getSubject());
        return get(id);
    }

    /** Tessera's path and INDIGO IAM's ({@code AccountLifecycleController}: {@code PUT .../endTime}). */
    @PutMapping({"/iam/account/{id}/end-time", "/iam/account/{id}/endTime"})
    public ResponseEntity<?> endTime(@PathVariable String id, @RequestBody Map<String, Object> body,
            @AuthenticationPrincipal Jwt admin) {
        Instant endTime;
        try {
            endTime = IamDates.parse(body.get("endTime"), "endTime");
        } catch (IllegalArgumentException e) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        lifecycle.setEndTime(id, endTime, admin.getSubject());
        return get(id);
    }

    @ExceptionHandler(eu.tessera.server.account.AccountRoles.RoleException.class)
    ResponseEntity<?> role(eu.tessera.server.account.AccountRoles.RoleException e) {
        return ProblemDetails.of(HttpStatus.valueOf(e.status()), e.getMessage());
    }

    @ExceptionHandler(AccountLifecycle.SelfActionException.class)
    ResponseEntity<?> self(AccountLifecycle.SelfActionException e) {
        return ProblemDetails.of(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(NoSuchElementException.class)
    ResponseEntity<ProblemDetail> missing(NoSuchElementException e) {
        return ProblemDetails.of(HttpStatus.NOT_FOUND, e.getMessage());
    }

}
