package eu.tessera.server.audit;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit log for administrators and readers ({@code /admin/audit}): who (by name; the id on hover) did what to
 * whom, filtered by actor, target (usernames or ids), event type (its beginning) and time
 * range (UTC), 100 a page; {@code /admin/audit.csv} exports the same filter (at most {@value #CSV_LIMIT} rows).
 */
@Controller
public class AuditPageController {

    static final int PAGE = 100;
    static final int CSV_LIMIT = 50_000;

    private final AuditQuery audit;

    public AuditPageController(AuditQuery audit) {
        this.audit = audit;
    }

    @GetMapping("/admin/audit")
    public String page(@RequestParam(defaultValue = "") String type, @RequestParam(defaultValue = "") String actor,
            @RequestParam(defaultValue = "") String target, @RequestParam(defaultValue = "") String since,
            @RequestParam(defaultValue = "") String until, @RequestParam(defaultValue = "1") int page, Model model,
            HttpServletResponse response) {
        model.addAttribute("type", type);
        model.addAttribute("actor", actor);
        model.addAttribute("target", target);
        model.addAttribute("since", since);
        model.addAttribute("until", until);
        AuditQuery.Filter filter;
        try {
            filter = filter(type, actor, target, since, until);
        } catch (DateTimeParseException e) {
            response.setStatus(400);
            model.addAttribute("error", "Times are dates (2026-11-25) or date and time (2026-11-25T10:00), UTC.");
            model.addAttribute("events", List.of());
            model.addAttribute("names", Map.of());
            model.addAttribute("page", 1);
            model.addAttribute("hasNext", false);
            return "admin/audit";
        }
        int current = Math.max(1, page);
        List<AuditQuery.Event> events = audit.events(filter, (current - 1) * PAGE, PAGE + 1);
        model.addAttribute("events", events.size() > PAGE ? events.subList(0, PAGE) : events);
        model.addAttribute("names", audit.names(events));
        model.addAttribute("page", current);
        model.addAttribute("hasNext", events.size() > PAGE);
        return "admin/audit";
    }

    @GetMapping("/admin/audit.csv")
    public void csv(@RequestParam(defaultValue = "") String type, @RequestParam(defaultValue = "") String actor,
            @RequestParam(defaultValue = "") String target, @RequestParam(defaultValue = "") String since,
            @RequestParam(defaultValue = "") String until, HttpServletResponse response) throws IOException {
        AuditQuery.Filter filter;
        try {
            filter = filter(type, actor, target, since, until);
        } catch (DateTimeParseException e) {
            response.sendError(400, "times are dates or date and time, UTC");
            return;
        }
        List<AuditQuery.Event> events = audit.events(filter, 0, CSV_LIMIT);
        Map<String, String> names = audit.names(events);
        response.setContentType("text/csv;charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Content-Disposition", "attachment; filename=\"tessera-audit.csv\"");
        PrintWriter out = response.getWriter();
        out.print("time,type,actor,actor_name,target,target_name,address,details\r\n");
        for (AuditQuery.Event e : events) {
            out.print(String.join(",", cell(e.time().toString()), cell(e.type()), cell(e.actor()),
                    cell(names.get(e.actor())), cell(e.target()), cell(names.get(e.target())), cell(e.address()),
                    cell(e.details())) + "\r\n");
        }
        out.flush();
    }

    private AuditQuery.Filter filter(String type, String actor, String target, String since, String until) {
        // on the page a type is a prefix (account. finds every account event)
        String prefix = type.isBlank() ? null : type.strip().endsWith("*") ? type.strip() : type.strip() + "*";
        return new AuditQuery.Filter(prefix, audit.resolve(actor),
                audit.resolve(target), time(since, false), time(until, true));
    }

    /** A date (start of day, or the next day's start for an end) or a date and time, UTC. */
    static Instant time(String text, boolean end) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        if (value.length() == 10) {
            LocalDate day = LocalDate.parse(value);
            return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (value.endsWith("Z")) {
            return Instant.parse(value);
        }
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    }

    /**
     * RFC 4180 quoting; a cell a spreadsheet would run as a formula ({@code = + - @}) is prefixed with a quote
     * (OWASP CSV injection).
     */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String text = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
