package eu.tessera.server.account;

import eu.tessera.server.web.MessagePage;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
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
 * An account as administrators see it ({@code /admin/accounts/{id}}): profile and state, roles (admins grant and
 * take the admin and reader roles here, as IAM's dashboard does), groups, certificates and linked identities.
 * Readers see the page without its forms.
 */
@Controller
public class AccountPageController {

    private final AccountRepository accounts;
    private final AccountRoles roles;
    private final CertificateLinks certificates;
    private final ExternalIdentities identities;
    private final JdbcTemplate jdbc;

    public AccountPageController(AccountRepository accounts, AccountRoles roles, CertificateLinks certificates,
            ExternalIdentities identities, JdbcTemplate jdbc) {
        this.accounts = accounts;
        this.roles = roles;
        this.certificates = certificates;
        this.identities = identities;
        this.jdbc = jdbc;
    }

    @GetMapping("/admin/accounts/{id}")
    public String page(Authentication user, @PathVariable String id, Model model, HttpServletResponse response) {
        Account account = accounts.findById(id).orElse(null);
        if (account == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such account",
                    "There is no account " + id + ".", "/admin/accounts", "All accounts");
        }
        List<Map<String, Object>> memberships = jdbc.queryForList("select g.id, g.path, m.optional, m.end_time, "
                + "(select count(*) from group_manager gm where gm.group_id = g.id and gm.account_id = m.account_id) "
                + "as manager from membership m join vo_group g on g.id = m.group_id where m.account_id = ? "
                + "order by g.path", id);
        model.addAttribute("account", account);
        model.addAttribute("state", jdbc.queryForObject("select lifecycle_state from account where id = ?",
                String.class, id));
        model.addAttribute("authorities", roles.authorities(id));
        model.addAttribute("memberships", memberships);
        model.addAttribute("certificates", certificates.of(id));
        model.addAttribute("identities", identities.of(id));
        model.addAttribute("canChange", user.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals(AccountRoles.ADMIN)));
        model.addAttribute("self", id.equals(user.getName()));
        return "admin/account";
    }

    /** Grants or takes the admin or reader role ({@code action=grant|revoke}). */
    @PostMapping("/admin/accounts/{id}/roles")
    public String roles(Authentication user, @PathVariable String id, @RequestParam(defaultValue = "") String action,
            @RequestParam(defaultValue = "") String authority, Model model, HttpServletResponse response) {
        try {
            switch (action) {
                case "grant" -> roles.grant(id, authority, user.getName());
                case "revoke" -> roles.revoke(id, authority, user.getName());
                default -> throw new AccountRoles.RoleException(400, "unknown action " + action);
            }
        } catch (AccountRoles.RoleException e) {
            return MessagePage.show(model, response, HttpStatus.valueOf(e.status()), "Role not changed",
                    e.getMessage(), "/admin/accounts/" + id, "Back to the account");
        }
        return "redirect:/admin/accounts/" + id + "?roles";
    }
}
