package eu.tessera.server.group;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.mail.MailTemplates;
import eu.tessera.server.mail.MailOutbox;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Membership requests: a member asks for a group with a reason; the group's managers (when it has none, the admins
 * of its VO; outside VOs, the global admins) are mailed; a manager of that group or an admin approves (the membership is created) or rejects
 * (with a reason); the requester is mailed either way. Decided once (a conditional update).
 */
@Service
public class GroupRequests {

    /** A request as the API shows it. */
    public record Request(String id, String accountId, String username, String groupId, String groupPath,
            String reason, String status, Instant createdAt, Instant decidedAt, String decidedBy,
            String decisionReason) {
    }

    private static final String SELECT = "select r.id, r.account_id, a.username, r.group_id, g.path, r.reason, "
            + "r.status, r.created_at, r.decided_at, r.decided_by, r.decision_reason from group_request r "
            + "join account a on a.id = r.account_id join vo_group g on g.id = r.group_id";

    private final JdbcTemplate jdbc;
    private final GroupAdmin groups;
    private final MailOutbox mail;
    private final MailTemplates templates;
    private final AuditLog audit;
    private final TesseraProperties properties;
    private final Clock clock;

    public GroupRequests(JdbcTemplate jdbc, GroupAdmin groups, MailOutbox mail, MailTemplates templates,
            AuditLog audit, TesseraProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.groups = groups;
        this.mail = mail;
        this.templates = templates;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional
    public Request submit(String accountId, String group, String reason) {
        GroupAdmin.Group target = groups.require(group);
        if (reason == null || reason.isBlank()) {
            throw new GroupAdmin.GroupException(400, "reason: say why you need this group");
        }
        if (reason.length() > 2000) {
            throw new GroupAdmin.GroupException(400, "reason: at most 2000 characters");
        }
        if (jdbc.queryForObject("select count(*) from membership where account_id = ? and group_id = ?",
                Integer.class, accountId, target.id()) > 0) {
            throw new GroupAdmin.GroupException(409, "you are already a member of " + target.path());
        }
        if (jdbc.queryForObject("select count(*) from group_request where account_id = ? and group_id = ? and "
                + "status = 'PENDING'", Integer.class, accountId, target.id()) > 0) {
            throw new GroupAdmin.GroupException(409, "you already asked for " + target.path());
        }
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into group_request (id, account_id, group_id, reason, status, created_at) values "
                + "(?, ?, ?, ?, 'PENDING', ?)", id, accountId, target.id(), reason.strip(),
                Timestamp.from(clock.instant()));
        Request request = find(id).orElseThrow();
        for (String recipient : deciders(target.id())) {
            MailTemplates.Rendered text = templates.render("group-request-new", Map.of(
                    "organisation", properties.organisationName(), "username", request.username(),
                    "group", target.path(), "reason", request.reason(), "id", id,
                    "link", properties.baseUrl() + "/iam/group-requests/" + id));
            mail.queue(recipient, text.subject(), text.body());
        }
        audit.record("group_request.submitted", accountId, id, Map.of("group", target.path()));
        return request;
    }

    private List<String> deciders(String groupId) {
        List<String> managers = jdbc.queryForList("select a.email from group_manager m join account a on "
                + "a.id = m.account_id where m.group_id = ? and a.email is not null and a.active = true", String.class,
                groupId);
        if (!managers.isEmpty()) {
            return managers;
        }
        // a group of a VO: that VO's admins, who decide it (daily work stays in the VO)
        List<String> voAdmins = jdbc.queryForList("select a.email from vo v join vo_group g on g.id = v.group_id join "
                + "vo_admin va on va.group_id = v.group_id join account a on a.id = va.account_id join vo_group t on "
                + "t.id = ? where " + GroupPaths.within("t.path", "g.path") + " and a.email is not null and a.active "
                + "= true", String.class, groupId);
        if (!voAdmins.isEmpty()) {
            return voAdmins;
        }
        List<String> admins = new ArrayList<>(jdbc.queryForList("select email from account where admin = true and "
                + "active = true and email is not null", String.class));
        properties.enrollment().adminEmails().stream().map(String::strip).filter(s -> !s.isEmpty())
                .filter(s -> !admins.contains(s)).forEach(admins::add);
        return admins;
    }

    public Optional<Request> find(String id) {
        return jdbc.query(SELECT + " where r.id = ?", (rs, n) -> map(rs), id).stream().findFirst();
    }

    /** Requests, optionally by status, for all groups (admins) or the groups an account manages. */
    public List<Request> list(String status, String managerAccountId) {
        StringBuilder sql = new StringBuilder(SELECT + " where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (status != null && !status.isBlank()) {
            sql.append(" and r.status = ?");
            args.add(status);
        }
        if (managerAccountId != null) {
            // the groups the account manages, and every group of the VOs it administers
            sql.append(" and (r.group_id in (select group_id from group_manager where account_id = ?) or r.group_id in "
                    + "(select g.id from vo_admin a join vo_group v on v.id = a.group_id join vo_group g on "
                    + GroupPaths.within("g.path", "v.path") + " where a.account_id = ?))");
            args.add(managerAccountId);
            args.add(managerAccountId);
        }
        sql.append(" order by r.created_at");
        return jdbc.query(sql.toString(), (rs, n) -> map(rs), args.toArray());
    }

    /** The pending requests for one group, oldest first. */
    public List<Request> pending(String groupId) {
        return jdbc.query(SELECT + " where r.status = 'PENDING' and r.group_id = ? order by r.created_at",
                (rs, n) -> map(rs), groupId);
    }

    public List<Request> of(String accountId) {
        return jdbc.query(SELECT + " where r.account_id = ? order by r.created_at desc", (rs, n) -> map(rs),
                accountId);
    }

    @Transactional
    public Request decide(String id, boolean approve, String actor, String reason) {
        Request request = find(id).orElseThrow(() -> new GroupAdmin.GroupException(404, "no group request " + id));
        if (reason != null && reason.length() > 2000) {
            throw new GroupAdmin.GroupException(400, "reason: at most 2000 characters");
        }
        int updated = jdbc.update("update group_request set status = ?, decided_at = ?, decided_by = ?, "
                + "decision_reason = ? where id = ? and status = 'PENDING'", approve ? "APPROVED" : "REJECTED",
                Timestamp.from(clock.instant()), actor, reason == null || reason.isBlank() ? null : reason.strip(), id);
        if (updated != 1) {
            throw new GroupAdmin.GroupException(409, "the request was already decided (" + request.status() + ")");
        }
        if (approve) {
            groups.addMember(request.groupId(), request.accountId(), null, null, actor);
        }
        String email = jdbc.queryForObject("select email from account where id = ?", String.class,
                request.accountId());
        if (email != null) {
            Map<String, Object> variables = new LinkedHashMap<>();
            variables.put("organisation", properties.organisationName());
            variables.put("username", request.username());
            variables.put("group", request.groupPath());
            variables.put("reason", reason == null || reason.isBlank() ? null : reason.strip());
            MailTemplates.Rendered text = templates.render(approve ? "group-request-approved"
                    : "group-request-rejected", variables);
            mail.queue(email, text.subject(), text.body());
        }
        audit.record(approve ? "group_request.approved" : "group_request.rejected", actor, id,
                Map.of("group", request.groupPath(), "account", request.accountId()));
        return find(id).orElseThrow();
    }

    private static Request map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Request(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(),
                rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant(), rs.getString(10),
                rs.getString(11));
    }
}
