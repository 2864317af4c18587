package eu.tessera.server.web;

import eu.tessera.server.audit.AuditQuery;
import eu.tessera.server.config.TesseraProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * The admin dashboard shown on {@code /} and {@code /admin} to admins and readers: what waits for a decision
 * (registrations, those waiting for email confirmation, group requests), accounts by state, and the latest changes
 * made by admins. A handful of count queries, each on an indexed column or a small table.
 */
@Component
public class Dashboard {

    private static final List<String> STATES = List.of("ACTIVE", "PENDING_SUSPENSION", "SUSPENDED");

    private final JdbcTemplate jdbc;
    private final AuditQuery audit;
    private final TesseraProperties properties;
    private final eu.tessera.server.group.VoAdmins vos;

    public Dashboard(JdbcTemplate jdbc, AuditQuery audit, TesseraProperties properties,
            eu.tessera.server.group.VoAdmins vos) {
        this.vos = vos;
        this.jdbc = jdbc;
        this.audit = audit;
        this.properties = properties;
    }

    public void fill(Model model) {
        model.addAttribute("organisation", properties.organisationName());
        model.addAttribute("voStats", vos.stats());
        model.addAttribute("pendingRegistrations", count("select count(*) from registration_request where status = "
                + "'CONFIRMED'"));
        model.addAttribute("unconfirmedRegistrations", count("select count(*) from registration_request where "
                + "status = 'NEW'"));
        model.addAttribute("pendingGroupRequests", count("select count(*) from group_request where status = "
                + "'PENDING'"));
        Map<String, Integer> byState = new LinkedHashMap<>();
        STATES.forEach(state -> byState.put(state, 0));
        jdbc.query("select lifecycle_state, count(*) from account where service_account = false group by "
                + "lifecycle_state", (org.springframework.jdbc.core.RowCallbackHandler) rs ->
                byState.put(rs.getString(1), rs.getInt(2)));
        model.addAttribute("accountsByState", byState);
        model.addAttribute("accountTotal", byState.values().stream().mapToInt(Integer::intValue).sum());
        model.addAttribute("admins", count("select count(*) from account where admin = true"));
        List<AuditQuery.Event> events = audit.recentByAdmins(10);
        model.addAttribute("recentEvents", events);
        model.addAttribute("recentNames", audit.names(events));
    }

    private int count(String sql) {
        Integer value = jdbc.queryForObject(sql, Integer.class);
        return value == null ? 0 : value;
    }
}
