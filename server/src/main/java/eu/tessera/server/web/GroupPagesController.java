package eu.tessera.server.web;

import eu.tessera.server.aup.AupService;
import eu.tessera.server.group.GroupAdmin;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Group pages: {@code /admin/groups} (admins: create, rename, move, optional, delete, appoint managers),
 * {@code /manage/groups/{id}} (admins and the group's managers: members, add by username, remove) and
 * {@code /admin/aup} (publish a version, withdraw).
 */
@Controller
public class GroupPagesController {

    private final GroupAdmin groups;
    private final AupService aup;
    private final JdbcTemplate jdbc;

    public GroupPagesController(GroupAdmin groups, AupService aup, JdbcTemplate jdbc) {
        this.groups = groups;
        this.aup = aup;
        this.jdbc = jdbc;
    }

    private static boolean isAdmin(Authentication user) {
        return user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
    }

    @GetMapping("/admin/groups")
    public String list(Model model) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (GroupAdmin.Group group : groups.all()) {
            rows.add(Map.of("group", group, "members", jdbc.queryForObject("select count(*) from membership where "
                    + "group_id = ?", Integer.class, group.id()), "managers", groups.managers(group.id())));
        }
        model.addAttribute("rows", rows);
        model.addAttribute("groups", groups.all());
        return "admin/groups";
    }

    @PostMapping("/admin/groups")
    public String change(Authentication user, @RequestParam(defaultValue = "") String action,
            @RequestParam(defaultValue = "") String id, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String parent, @RequestParam(defaultValue = "false") boolean optional,
            @RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String confirmed,
            Model model, HttpServletResponse response) {
        try {
            if (action.equals("delete") && !Confirmation.CONFIRMED.equals(confirmed)) {
                GroupAdmin.Group group = groups.require(id);
                int members = groups.members(group.id()).size();
                if (members > 0) {
                    return Confirmation.page(model, "Delete " + group.path() + "?", "Delete " + group.path()
                            + " and its subgroups? Its " + members + (members == 1 ? " member loses" : " members lose")
                            + " the group: it leaves their tokens, VOMS proxies and synced catalogues.", "Delete",
                            "/admin/groups", java.util.Map.of("action", "delete", "id", id), "/admin/groups");
                }
            }
            switch (action) {
                case "create" -> groups.create(name.strip(), parent, optional);
                case "update" -> groups.update(id, name.isBlank() ? null : name.strip(), parent, optional);
                case "delete" -> groups.delete(id);
                case "manager" -> groups.addManager(id, accountId(username), user.getName());
                default -> throw new GroupAdmin.GroupException(400, "unknown action");
            }
        } catch (GroupAdmin.GroupException e) {
            response.setStatus(e.status());
            model.addAttribute("error", e.getMessage());
            return list(model);
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            response.setStatus(HttpStatus.CONFLICT.value());
            model.addAttribute("error", "Someone made the same change at the same time; the list below is current.");
            return list(model);
        }
        return "redirect:/admin/groups?changed";
    }

    private String accountId(String username) {
        List<String> ids = jdbc.queryForList("select id from account where username = ?", String.class,
                username.strip());
        if (ids.isEmpty()) {
            throw new GroupAdmin.GroupException(404, "no account " + username);
        }
        return ids.get(0);
    }

    @GetMapping("/manage/groups/{id}")
    public String members(Authentication user, @PathVariable String id, Model model, HttpServletResponse response) {
        GroupAdmin.Group group;
        try {
            group = groups.require(id);
            if (!isAdmin(user) && !groups.isManager(user.getName(), group.id())) {
                throw new GroupAdmin.GroupException(403, "you do not manage this group");
            }
        } catch (GroupAdmin.GroupException e) {
            response.setStatus(e.status());
            model.addAttribute("title", "Not allowed");
            model.addAttribute("message", e.getMessage());
            model.addAttribute("error", true);
            return "message";
        }
        model.addAttribute("group", group);
        model.addAttribute("members", groups.members(group.id()));
        model.addAttribute("labels", groups.properties(group.id(), "LABEL"));
        model.addAttribute("attributes", groups.properties(group.id(), "ATTRIBUTE"));
        model.addAttribute("isAdmin", isAdmin(user));
        return "manage/group";
    }

    @PostMapping("/manage/groups/{id}")
    public String changeMembers(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "") String username,
            @RequestParam(defaultValue = "") String account, @RequestParam(defaultValue = "false") boolean optional,
            @RequestParam(defaultValue = "") String endTime, @RequestParam(defaultValue = "") String kind,
            @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String value,
            Model model, HttpServletResponse response) {
        try {
            GroupAdmin.Group group = groups.require(id);
            if (!isAdmin(user) && !groups.isManager(user.getName(), group.id())) {
                throw new GroupAdmin.GroupException(403, "you do not manage this group");
            }
            if (action.equals("add")) {
                Instant end = null;
                if (!endTime.isBlank()) {
                    try {
                        end = Instant.parse(endTime.strip());
                    } catch (DateTimeParseException e) {
                        throw new GroupAdmin.GroupException(400, "end time: an ISO-8601 instant, e.g. 2027-01-01T00:00:00Z");
                    }
                }
                groups.addMember(group.id(), accountId(username), optional, end, user.getName());
            } else if (action.equals("remove")) {
                groups.removeMember(group.id(), account, user.getName());
            } else if (action.equals("property-set") || action.equals("property-remove")) {
                // labels and attributes are the VO's: admins only
                if (!isAdmin(user)) {
                    throw new GroupAdmin.GroupException(403, "only admins change labels and attributes");
                }
                if (!kind.equals("LABEL") && !kind.equals("ATTRIBUTE")) {
                    throw new GroupAdmin.GroupException(400, "kind: LABEL or ATTRIBUTE");
                }
                if (action.equals("property-set")) {
                    groups.setProperty(group.id(), kind, name.strip(), value);
                } else {
                    groups.removeProperty(group.id(), kind, name);
                }
            } else {
                throw new GroupAdmin.GroupException(400, "unknown action");
            }
        } catch (GroupAdmin.GroupException e) {
            response.setStatus(e.status());
            model.addAttribute("error", e.getMessage());
            return members(user, id, model, response);
        }
        return "redirect:/manage/groups/" + id + "?changed";
    }

    @GetMapping("/admin/aup")
    public String aupPage(Model model) {
        model.addAttribute("aup", aup.current().orElse(null));
        return "admin/aup";
    }

    @PostMapping("/admin/aup")
    public String publish(Authentication user, @RequestParam(defaultValue = "") String action,
            @RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "") String url,
            @RequestParam(defaultValue = "365") String validity, @RequestParam(defaultValue = "30,15,1") String reminders,
            Model model, HttpServletResponse response) {
        if (action.equals("withdraw")) {
            aup.withdraw(user.getName());
            return "redirect:/admin/aup?withdrawn";
        }
        try {
            List<Integer> days = new ArrayList<>();
            for (String day : reminders.split(",")) {
                if (!day.isBlank()) {
                    days.add(Integer.valueOf(day.strip()));
                }
            }
            aup.publish(text, url, Integer.parseInt(validity.strip()), days, user.getName());
        } catch (NumberFormatException e) {
            response.setStatus(400);
            model.addAttribute("error", "Validity and reminders are numbers of days.");
            return aupPage(model);
        } catch (IllegalArgumentException e) {
            response.setStatus(400);
            model.addAttribute("error", e.getMessage());
            return aupPage(model);
        }
        return "redirect:/admin/aup?published";
    }
}
