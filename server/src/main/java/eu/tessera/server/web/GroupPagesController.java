package eu.tessera.server.web;

import eu.tessera.server.aup.AupService;
import eu.tessera.server.group.GroupAdmin;
import jakarta.servlet.http.HttpServletResponse;
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

    /** A group in the tree: its direct members, its subgroups' nodes, and whether it shows open. */
    public record Node(GroupAdmin.Group group, int members, List<Node> children, boolean open, boolean match) {
    }

    /**
     * The group tree as nested {@code <details>} (expand and collapse without JavaScript), with member and subgroup
     * counts from two queries whatever the tree's size. {@code q} opens the branches down to the groups whose path
     * contains it; {@code open=all} opens everything.
     */
    @GetMapping("/admin/groups")
    public String list(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "") String open,
            Model model, Authentication user) {
        model.addAttribute("canChange", user.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals(eu.tessera.server.account.AccountRoles.ADMIN)));
        List<GroupAdmin.Group> all = groups.all();
        Map<String, Integer> counts = groups.memberCounts();
        Map<String, List<GroupAdmin.Group>> byParent = new java.util.HashMap<>();
        for (GroupAdmin.Group group : all) {
            byParent.computeIfAbsent(group.parentId() == null ? "" : group.parentId(), k -> new ArrayList<>())
                    .add(group);
        }
        String needle = q.strip().toLowerCase(java.util.Locale.ROOT);
        List<Node> roots = nodes(byParent, "", counts, needle, open.equals("all"));
        model.addAttribute("tree", roots);
        model.addAttribute("groupCount", all.size());
        model.addAttribute("q", q);
        model.addAttribute("matches", needle.isEmpty() ? -1 : all.stream()
                .filter(g -> g.path().toLowerCase(java.util.Locale.ROOT).contains(needle)).count());
        return "admin/groups";
    }

    private static List<Node> nodes(Map<String, List<GroupAdmin.Group>> byParent, String parent,
            Map<String, Integer> counts, String needle, boolean openAll) {
        List<Node> nodes = new ArrayList<>();
        List<GroupAdmin.Group> children = new ArrayList<>(byParent.getOrDefault(parent, List.of()));
        children.sort(java.util.Comparator.comparing(GroupAdmin.Group::name));
        for (GroupAdmin.Group group : children) {
            List<Node> below = nodes(byParent, group.id(), counts, needle, openAll);
            boolean match = !needle.isEmpty() && group.path().toLowerCase(java.util.Locale.ROOT).contains(needle);
            boolean matchBelow = below.stream().anyMatch(n -> n.match() || n.open() && !needle.isEmpty());
            boolean open = openAll || (needle.isEmpty() ? parent.isEmpty() : matchBelow);
            nodes.add(new Node(group, counts.getOrDefault(group.id(), 0), below, open, match));
        }
        return nodes;
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
            return list("", "", model, user);
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            response.setStatus(HttpStatus.CONFLICT.value());
            model.addAttribute("error", "Someone made the same change at the same time; the list below is current.");
            return list("", "", model, user);
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
