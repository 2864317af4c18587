package eu.tessera.server.web;

import eu.tessera.server.account.AccountLifecycle;
import eu.tessera.server.config.TesseraProperties;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Admin pages: the dashboard ({@code /admin}) and the accounts list with search, filters and paging, with suspend
 * and restore. Requests are {@link RequestsInboxController}'s, groups {@link GroupPageController}'s.
 */
@Controller
public class ManagementPagesController {

    private static final int PAGE = 50;

    /** The accounts list's orders (a fixed set: never the request's text in SQL). */
    private static final Map<String, String> SORTS = Map.of("username", "username",
            "name", "family_name, given_name, username", "email", "email, username",
            "newest", "created_at desc, id", "oldest", "created_at, id");

    private final Dashboard dashboard;
    private final AccountLifecycle lifecycle;
    private final JdbcTemplate jdbc;
    private final TesseraProperties properties;

    public ManagementPagesController(Dashboard dashboard, AccountLifecycle lifecycle, JdbcTemplate jdbc,
            TesseraProperties properties) {
        this.dashboard = dashboard;
        this.lifecycle = lifecycle;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    private static boolean isAdmin(Authentication user) {
        return user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
    }

    @GetMapping("/admin")
    public String index(Model model, Authentication user) {
        dashboard.fill(model);
        model.addAttribute("isAdmin", isAdmin(user));
        return "admin/index";
    }

    /**
     * Accounts: search on username, email, names, certificate subjects (either DN form) and linked identities
     * (subject or email); filters by state, role and group; sorted by username, name, email or creation (each
     * indexed); pages of 50 with the number of matches.
     */
    @GetMapping("/admin/accounts")
    public String accounts(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "1") int page,
            @RequestParam(defaultValue = "") String state, @RequestParam(defaultValue = "") String role,
            @RequestParam(defaultValue = "") String group, @RequestParam(defaultValue = "username") String sort,
            Authentication user, Model model) {
        String order = SORTS.getOrDefault(sort, SORTS.get("username"));
        model.addAttribute("canChange", user.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals(eu.tessera.server.account.AccountRoles.ADMIN)));
        String query = q.strip();
        if (query.length() > 200) {
            query = query.substring(0, 200);
        }
        int current = Math.max(1, Math.min(page, 100_000));
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (!query.isEmpty()) {
            String like = like(query);
            String dn = like;
            try {   // a DN typed in the other form than stored still finds its certificate
                dn = like(eu.tessera.voms.pki.DistinguishedNames.canonical(query));
            } catch (IllegalArgumentException notADn) {
                // plain text
            }
            conditions.add("(lower(username) like ? escape '\\' or lower(email) like ? escape '\\' or "
                    + "lower(coalesce(given_name, '') || ' ' || coalesce(family_name, '')) like ? escape '\\' or "
                    + "exists (select 1 from account_certificate c where c.account_id = account.id and "
                    + "(lower(c.subject_dn) like ? escape '\\' or lower(c.subject_dn) like ? escape '\\')) or "
                    + "exists (select 1 from account_identity i where i.account_id = account.id and "
                    + "(lower(i.subject) like ? escape '\\' or lower(coalesce(i.email, '')) like ? escape '\\')))");
            args.addAll(List.of(like, like, like, like, dn, like, like));
        }
        if (List.of("ACTIVE", "PENDING_SUSPENSION", "SUSPENDED").contains(state)) {
            conditions.add("lifecycle_state = ?");
            args.add(state);
        }
        if (role.equals("admin")) {
            conditions.add("admin = true");
        } else if (role.equals("reader")) {
            conditions.add("reader = true");
        }
        String groupPath = group.strip();
        if (!groupPath.isEmpty()) {   // direct members of the group (its page lists them the same way)
            conditions.add("exists (select 1 from membership m join vo_group g on g.id = m.group_id where "
                    + "m.account_id = account.id and g.path = ?)");
            args.add(groupPath.startsWith("/") ? groupPath : "/" + groupPath);
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        model.addAttribute("group", groupPath);
        model.addAttribute("groupPaths", jdbc.queryForList("select path from vo_group order by path", String.class));
        model.addAttribute("state", state);
        model.addAttribute("role", role);
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(PAGE + 1);
        pageArgs.add((current - 1) * PAGE);
        List<Map<String, Object>> rows = jdbc.queryForList("select id, username, email, given_name, family_name, "
                + "active, lifecycle_state, end_time, created_at from account" + where + " order by " + order
                + " limit ? offset ?", pageArgs.toArray());
        model.addAttribute("total", jdbc.queryForObject("select count(*) from account" + where, Integer.class,
                args.toArray()));
        model.addAttribute("sort", SORTS.containsKey(sort) ? sort : "username");
        model.addAttribute("accounts", rows.size() > PAGE ? rows.subList(0, PAGE) : rows);
        model.addAttribute("hasNext", rows.size() > PAGE);
        model.addAttribute("page", current);
        model.addAttribute("q", query);
        return "admin/accounts";
    }

    @PostMapping("/admin/accounts/{id}")
    public String changeAccount(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "") String q,
            @RequestParam(defaultValue = "") String confirmed, @RequestParam(defaultValue = "") String from,
            Model model, HttpServletResponse response) {
        // back to the list (with its search) or, from the account page, to the account page
        String back = from.equals("page") ? "/admin/accounts/" + id
                : "/admin/accounts?q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8);
        List<String> names = jdbc.queryForList("select username from account where id = ?", String.class, id);
        if (names.isEmpty()) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such account",
                    "There is no account " + id + ".", back, "Back");
        }
        if (action.equals("suspend")) {
            if (id.equals(user.getName())) {
                return MessagePage.show(model, response, HttpStatus.CONFLICT, "Not suspended",
                        "You cannot suspend your own account: ask another admin.", back, "Back");
            }
            if (!Confirmation.CONFIRMED.equals(confirmed)) {
                return Confirmation.page(model, "Suspend " + names.get(0) + "?", "Suspend " + names.get(0)
                        + "? Their browser sessions end, they get no more tokens or VOMS proxies, and their refresh "
                        + "tokens stop working until an admin restores the account.", "Suspend",
                        "/admin/accounts/" + id, Map.of("action", "suspend", "q", q, "from", from), back);
            }
            lifecycle.suspend(id, user.getName(), null);
        } else if (action.equals("restore")) {
            lifecycle.restore(id, user.getName());
        }
        return "redirect:" + back;
    }

    private static String like(String text) {
        return "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%";
    }
}
