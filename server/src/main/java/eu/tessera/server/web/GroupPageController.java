package eu.tessera.server.web;

import eu.tessera.server.account.AccountRoles;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.server.group.GroupRequests;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
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
 * A group's page, {@code /manage/groups/{id}}: members (paged, searchable; add with an end date, change the end
 * date, remove), pending requests (approve, reject with a reason), managers, subgroups, labels and attributes,
 * and the group's settings (rename, move, optional, delete). Admins do everything; the group's managers handle
 * members and requests; readers see it all and change nothing. Removals and deletion ask for confirmation.
 */
@Controller
public class GroupPageController {

    static final int PAGE = 50;

    private final GroupAdmin groups;
    private final GroupRequests requests;
    private final JdbcTemplate jdbc;
    private final eu.tessera.server.group.VoAdmins vos;
    private final eu.tessera.server.group.CapabilitySets capabilitySets;

    private final VoPageModel voModel;

    public GroupPageController(GroupAdmin groups, GroupRequests requests, JdbcTemplate jdbc,
            eu.tessera.server.group.VoAdmins vos, eu.tessera.server.group.CapabilitySets capabilitySets,
            VoPageModel voModel) {
        this.voModel = voModel;
        this.capabilitySets = capabilitySets;
        this.vos = vos;
        this.groups = groups;
        this.requests = requests;
        this.jdbc = jdbc;
    }

    private static boolean has(Authentication user, String authority) {
        return user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(authority));
    }

    @GetMapping("/manage/groups/{id}")
    public String page(Authentication user, @PathVariable String id, @RequestParam(defaultValue = "") String q,
            @RequestParam(defaultValue = "1") int page, Model model, HttpServletResponse response) {
        GroupAdmin.Group group = groups.find(id).orElse(null);
        if (group == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such group", "There is no group " + id
                    + ".", "/admin/groups", "All groups");
        }
        boolean globalAdmin = has(user, AccountRoles.ADMIN);
        // an admin of the group's VO changes the group as a global admin would (within the VO, see change())
        boolean admin = globalAdmin || vos.administers(user.getName(), group.path());
        boolean manager = groups.isManager(user.getName(), group.id());
        if (!admin && !manager && !has(user, AccountRoles.READER)) {
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Not allowed",
                    "You do not manage " + group.path() + ".", "/account", "Your account");
        }
        int total = groups.countMembers(group.id(), q);
        int pages = Math.max(1, (total + PAGE - 1) / PAGE);
        int current = Math.min(Math.max(page, 1), pages);
        List<Map<String, Object>> subgroups = new ArrayList<>();
        for (GroupAdmin.Group child : groups.children(group.id())) {
            subgroups.add(Map.of("group", child, "members", groups.countMembers(child.id(), "")));
        }
        model.addAttribute("group", group);
        model.addAttribute("ancestors", ancestors(group));
        int all = q.isBlank() ? total : groups.countMembers(group.id(), "");
        model.addAttribute("members", groups.members(group.id(), q, (current - 1) * PAGE, PAGE, all));
        model.addAttribute("total", total);
        model.addAttribute("allMembers", all);
        model.addAttribute("q", q);
        model.addAttribute("page", current);
        model.addAttribute("pages", pages);
        model.addAttribute("requests", requests.pending(group.id()));
        model.addAttribute("managers", groups.managers(group.id()));
        model.addAttribute("subgroups", subgroups);
        model.addAttribute("labels", groups.properties(group.id(), "LABEL"));
        model.addAttribute("attributes", groups.properties(group.id(), "ATTRIBUTE"));
        model.addAttribute("isAdmin", admin);
        model.addAttribute("isGlobalAdmin", globalAdmin);
        model.addAttribute("isVo", vos.isVo(group.id()));
        model.addAttribute("vo", vos.voOf(group.path()).orElse(null));
        model.addAttribute("voAdmins", vos.admins(group.id()));
        model.addAttribute("capabilities", capabilitySets.of(group.id()).orElse(""));
        model.addAttribute("mfaRequired", groups.mfaRequired(group.id()));
        model.addAttribute("voDefault", vos.isDefault(group.id()));
        model.addAttribute("voStats", vos.isVo(group.id()) && admin ? vos.stats(group.id(), group.path()) : null);
        voModel.addTo(model, group, vos.isVo(group.id()), admin);
        model.addAttribute("canChange", admin || manager);
        model.addAttribute("canSeeAccounts", admin || has(user, AccountRoles.READER));
        return "manage/group";
    }

    private List<GroupAdmin.Group> ancestors(GroupAdmin.Group group) {
        List<GroupAdmin.Group> chain = new ArrayList<>();
        String parent = group.parentId();
        while (parent != null && chain.size() < 64) {
            GroupAdmin.Group up = groups.require(parent);
            chain.add(0, up);
            parent = up.parentId();
        }
        return chain;
    }

    @PostMapping("/manage/groups/{id}")
    public String change(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "") String username,
            @RequestParam(defaultValue = "") String account, @RequestParam(defaultValue = "false") boolean optional,
            @RequestParam(defaultValue = "") String until, @RequestParam(defaultValue = "") String kind,
            @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String value,
            @RequestParam(defaultValue = "") String parent, @RequestParam(defaultValue = "") String confirmed,
            Model model, HttpServletResponse response) {
        GroupAdmin.Group group = groups.find(id).orElse(null);
        if (group == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such group", "There is no group " + id
                    + ".", "/admin/groups", "All groups");
        }
        String back = "/manage/groups/" + group.id();
        boolean globalAdmin = has(user, AccountRoles.ADMIN);
        boolean admin = globalAdmin || vos.administers(user.getName(), group.path());
        try {
            if (!admin && !groups.isManager(user.getName(), group.id())) {
                throw new GroupAdmin.GroupException(403, "you do not manage " + group.path());
            }
            if (!globalAdmin) {
                requireWithinVo(user, group, action, parent);
            }
            if (!admin && !List.of("add", "remove", "until").contains(action)) {
                // managers handle members; the group itself (labels, managers, subgroups, settings) is the admins'
                throw new GroupAdmin.GroupException(403, "only admins change " + switch (action) {
                    case "property-set", "property-remove" -> "labels and attributes";
                    case "manager", "unmanage" -> "managers";
                    default -> "the group";
                });
            }
            switch (action) {
                case "add" -> groups.addMember(group.id(), accountId(username), optional ? Boolean.TRUE : null,
                        EndDates.endOfDay(until), user.getName());
                case "until" -> {
                    if (!groups.setMemberEndTime(group.id(), account, EndDates.endOfDay(until), user.getName())) {
                        throw new GroupAdmin.GroupException(404, "that account is not a member of " + group.path());
                    }
                }
                case "remove" -> {
                    boolean voRoot = vos.isVo(group.id());
                    if (!Confirmation.CONFIRMED.equals(confirmed)) {
                        String who = username(account);
                        return Confirmation.page(model, "Remove " + who + " from " + group.path() + "?", voRoot
                                ? who + " leaves the VO " + group.path() + ": every group of it, and managing any. "
                                + "Their account and other VOs stay."
                                : who + " loses " + group.path() + ": it leaves their next tokens, VOMS proxies and "
                                + "synced catalogues.", "Remove", back, Map.of("action", "remove", "account", account),
                                back);
                    }
                    if (voRoot) {
                        vos.removeFromVo(group.id(), account, user.getName());   // suspension from the VO
                    } else {
                        groups.removeMember(group.id(), account, user.getName());
                    }
                }
                case "manager" -> groups.addManager(group.id(), accountId(username), user.getName());
                case "unmanage" -> {
                    if (!Confirmation.CONFIRMED.equals(confirmed)) {
                        String who = username(account);
                        return Confirmation.page(model, "Stop " + who + " managing " + group.path() + "?", who
                                + " no longer decides requests for " + group.path() + " nor adds or removes its "
                                + "members.", "Stop managing", back, Map.of("action", "unmanage", "account", account),
                                back);
                    }
                    groups.removeManager(group.id(), account, user.getName());
                }
                case "subgroup" -> {
                    GroupAdmin.Group created = groups.create(name.strip(), group.id(), optional);
                    return "redirect:/manage/groups/" + created.id() + "?created";
                }
                case "settings" -> groups.update(group.id(), name.isBlank() ? null : name.strip(),
                        parent.isBlank() ? null : parent.strip().equals("/") ? "" : parent.strip(), optional);
                case "delete" -> {
                    if (!Confirmation.CONFIRMED.equals(confirmed)) {
                        int members = groups.countMembers(group.id(), "");
                        return Confirmation.page(model, "Delete " + group.path() + "?", "Delete " + group.path()
                                + "? " + (members == 0 ? "It has no members." : "Its " + members + (members == 1
                                ? " member loses" : " members lose") + " the group: it leaves their tokens, VOMS "
                                + "proxies and synced catalogues."), "Delete", back, Map.of("action", "delete"),
                                back);
                    }
                    groups.delete(group.id());
                    return "redirect:/admin/groups?deleted";
                }
                case "capabilities" -> capabilitySets.set(group.id(), value, user.getName());
                case "mfa" -> groups.setMfaRequired(group.id(), "true".equals(value), user.getName());
                case "vo-default" -> vos.setDefault(group.id(), "true".equals(value), user.getName());
                case "vo-mark" -> vos.mark(group.id(), user.getName());
                case "vo-unmark" -> {
                    if (!Confirmation.CONFIRMED.equals(confirmed)) {
                        return Confirmation.page(model, "Stop " + group.path() + " being a VO?", "Its VO admins "
                                + "lose their powers over " + group.path() + "; the groups and members stay.",
                                "Stop being a VO", back, Map.of("action", "vo-unmark"), back);
                    }
                    vos.unmark(group.id(), user.getName());
                }
                case "vo-admin" -> vos.addAdmin(group.id(), accountId(username), user.getName());
                case "vo-unadmin" -> vos.removeAdmin(group.id(), account, user.getName());
                case "property-set", "property-remove" -> {
                    if (!kind.equals("LABEL") && !kind.equals("ATTRIBUTE")) {
                        throw new GroupAdmin.GroupException(400, "kind: LABEL or ATTRIBUTE");
                    }
                    if (action.equals("property-set")) {
                        groups.setProperty(group.id(), kind, name.strip(), value);
                    } else {
                        groups.removeProperty(group.id(), kind, name);
                    }
                }
                default -> throw new GroupAdmin.GroupException(400, "unknown action");
            }
        } catch (GroupAdmin.GroupException e) {
            return refused(user, group.id(), HttpStatus.valueOf(e.status()), e.getMessage(), model, response);
        } catch (IllegalArgumentException e) {
            return refused(user, group.id(), HttpStatus.BAD_REQUEST, e.getMessage(), model, response);
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            return refused(user, group.id(), HttpStatus.CONFLICT, "Someone made the same change at the same time; "
                    + "the page below is current.", model, response);
        }
        return "redirect:" + back + "?changed";
    }

    /**
     * What a VO admin (not a global admin) may not do: change VOs and their admins, touch the VO's root group itself
     * (rename, move, delete), or move a group out of the VO.
     */
    private void requireWithinVo(Authentication user, GroupAdmin.Group group, String action, String parent) {
        if (action.startsWith("vo-") && !action.equals("vo-default")) {
            throw new GroupAdmin.GroupException(403, "only global admins decide VOs and their admins");
        }
        boolean root = vos.isVo(group.id());
        if (root && (action.equals("delete") || action.equals("settings"))) {
            throw new GroupAdmin.GroupException(403, "only global admins rename, move or delete the VO's group "
                    + group.path());
        }
        if (action.equals("settings") && !parent.isBlank()) {
            String target = parent.strip().equals("/") ? "/" : groups.find(parent.strip())
                    .map(GroupAdmin.Group::path).orElse(parent.strip());
            if (!vos.administers(user.getName(), target)) {
                throw new GroupAdmin.GroupException(403, "a group of your VO stays in it: " + target
                        + " is outside");
            }
        }
    }

    private String refused(Authentication user, String id, HttpStatus status, String message, Model model,
            HttpServletResponse response) {
        String view = page(user, id, "", 1, model, response);
        response.setStatus(status.value());
        model.addAttribute("error", message);
        return view;
    }

    private String accountId(String username) {
        List<String> ids = jdbc.queryForList("select id from account where username = ?", String.class,
                username.strip());
        if (ids.isEmpty()) {
            throw new GroupAdmin.GroupException(404, "no account " + username.strip());
        }
        return ids.get(0);
    }

    private String username(String accountId) {
        List<String> names = jdbc.queryForList("select username from account where id = ?", String.class, accountId);
        if (names.isEmpty()) {
            throw new GroupAdmin.GroupException(404, "no account " + accountId);
        }
        return names.get(0);
    }
}
