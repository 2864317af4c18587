package eu.tessera.server.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Browse the audit log (admin read): {@code GET /iam/audit?type=&actor=&target=&since=&until=&startIndex=&count=},
 * newest first, SCIM-style paging ({@code startIndex} from 1, {@code count} at most 500).
 */
@RestController
public class AuditController {

    private final AuditQuery audit;

    public AuditController(AuditQuery audit) {
        this.audit = audit;
    }

    private static Instant instant(String text) {
        return text == null || text.isBlank() ? null : Instant.parse(text.strip());
    }

    @GetMapping("/iam/audit")
    public ResponseEntity<?> list(@RequestParam(required = false) String type,
            @RequestParam(required = false) String actor, @RequestParam(required = false) String target,
            @RequestParam(required = false) String since, @RequestParam(required = false) String until,
            @RequestParam(defaultValue = "1") int startIndex, @RequestParam(defaultValue = "100") int count) {
        if (startIndex < 1 || count < 0 || count > 500) {
            return problem("startIndex must be at least 1 and count between 0 and 500");
        }
        AuditQuery.Filter filter;
        try {
            filter = new AuditQuery.Filter(type, actor, target, instant(since), instant(until));
        } catch (DateTimeParseException e) {
            return problem("since and until are ISO-8601 instants, e.g. 2026-11-25T10:00:00Z");
        }
        int total = audit.count(filter);
        List<Map<String, Object>> events = audit.events(filter, startIndex - 1, count).stream()
                .map(AuditQuery::json).toList();
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
