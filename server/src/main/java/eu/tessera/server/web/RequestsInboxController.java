package eu.tessera.server.web;

import eu.tessera.server.account.AccountRoles;
import eu.tessera.server.enrollment.RegistrationService;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.server.group.GroupRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * One inbox for what waits for a decision, {@code /manage/requests}: registrations (admins; those still waiting for
 * the registrant's email confirmation listed apart) and group membership requests (admins: all; group managers:
 * their groups), filtered by kind, group and person, approved one by one or in bulk, rejected with a reason.
 * {@code /admin/registrations} is the same inbox showing registrations only.
 */
@Controller
public class RequestsInboxController {

    private static final int MAX = 500;

    private final RegistrationService registrations;
    private final GroupRequests groupRequests;
    private final GroupAdmin groups;
    private final eu.tessera.server.group.VoAdmins vos;

    public RequestsInboxController(RegistrationService registrations, GroupRequests groupRequests, GroupAdmin groups,
            eu.tessera.server.group.VoAdmins vos) {
        this.vos = vos;
        this.registrations = registrations;
        this.groupRequests = groupRequests;
        this.groups = groups;
    }

    private static boolean isAdmin(Authentication user) {
        return user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(AccountRoles.ADMIN));
    }

    @GetMapping("/manage/requests")
    public String inbox(Authentication user, @RequestParam(defaultValue = "") String kind,
            @RequestParam(defaultValue = "") String group, @RequestParam(defaultValue = "") String q, Model model) {
        boolean admin = isAdmin(user);
        String who = q.strip().toLowerCase(Locale.ROOT);
        String path = group.strip().toLowerCase(Locale.ROOT);
        List<RegistrationService.Request> confirmed = List.of();
        List<RegistrationService.Request> unconfirmed = List.of();
        // global admins see every registration, a VO's admins those that ask to join their VO
        java.util.Set<String> administered = admin ? java.util.Set.of() : vos.administeredBy(user.getName()).stream()
                .map(GroupAdmin.Group::id).collect(java.util.stream.Collectors.toSet());
        if ((admin || !administered.isEmpty()) && !kind.equals("groups") && path.isEmpty()) {
            confirmed = registrations.list(RegistrationService.Status.CONFIRMED, 1, MAX).stream()
                    .filter(r -> admin || administered.contains(r.voGroupId()))
                    .filter(r -> matches(who, r.username(), r.email(), r.givenName() + " " + r.familyName()))
                    .toList();
            unconfirmed = registrations.list(RegistrationService.Status.NEW, 1, MAX).stream()
                    .filter(r -> admin || administered.contains(r.voGroupId()))
                    .filter(r -> matches(who, r.username(), r.email(), r.givenName() + " " + r.familyName()))
                    .toList();
        }
        List<GroupRequests.Request> pending = List.of();
        if (!kind.equals("registrations")) {
            pending = groupRequests.list("PENDING", admin ? null : user.getName()).stream()
                    .filter(r -> path.isEmpty() || r.groupPath().toLowerCase(Locale.ROOT).contains(path))
                    .filter(r -> matches(who, r.username())).toList();
        }
        model.addAttribute("isAdmin", admin);
        model.addAttribute("kind", kind);
        model.addAttribute("group", group);
        model.addAttribute("q", q);
        model.addAttribute("registrations", confirmed);
        model.addAttribute("unconfirmed", unconfirmed);
        model.addAttribute("requests", pending);
        model.addAttribute("selectable", confirmed.size() + pending.size() > 1);
        return "manage/requests";
    }

    private static boolean matches(String needle, String... values) {
        if (needle.isEmpty()) {
            return true;
        }
        for (String value : values) {
            if (value != null && value.toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    @GetMapping("/admin/registrations")
    public String registrations(Authentication user, Model model) {
        return inbox(user, "registrations", "", "", model);
    }

    /**
     * Approves the selected registrations ({@code id}, admins only) and group requests ({@code request}) at once;
     * each is decided on its own, so one refusal stops no other, and the page says which were not approved and why.
     */
    @PostMapping({"/manage/requests/bulk", "/admin/registrations/bulk"})
    public String approveSelected(Authentication user, HttpServletRequest http,
            @RequestParam(name = "id", required = false) List<String> ids,
            @RequestParam(name = "request", required = false) List<String> requestIds, Model model,
            HttpServletResponse response) {
        boolean fromAdmin = http.getRequestURI().endsWith("/admin/registrations/bulk");
        List<String> registrationIds = ids == null ? List.of() : ids.stream().distinct().limit(MAX).toList();
        List<String> groupRequestIds = requestIds == null ? List.of()
                : requestIds.stream().distinct().limit(MAX).toList();
        String back = fromAdmin ? "/admin/registrations" : "/manage/requests";
        if (registrationIds.isEmpty() && groupRequestIds.isEmpty()) {
            return refused(user, fromAdmin, HttpStatus.BAD_REQUEST, "Select the requests to approve.", model,
                    response);
        }
        java.util.Set<String> administered = isAdmin(user) ? null : vos.administeredBy(user.getName()).stream()
                .map(GroupAdmin.Group::id).collect(java.util.stream.Collectors.toSet());
        if (!registrationIds.isEmpty() && administered != null && administered.isEmpty()) {
            return refused(user, fromAdmin, HttpStatus.FORBIDDEN, "Only admins decide registrations.", model,
                    response);
        }
        List<String> refused = new ArrayList<>();
        int approved = 0;
        for (String id : registrationIds) {
            if (administered != null && !administered.contains(registrations.find(id)
                    .map(RegistrationService.Request::voGroupId).orElse(""))) {
                refused.add(id + ": not a registration for your VO");
                continue;
            }
            try {
                registrations.approve(id, user.getName());
                approved++;
            } catch (RegistrationService.DecisionException e) {
                refused.add(id + ": " + e.getMessage());
            }
        }
        for (String id : groupRequestIds) {
            try {
                decideGroupRequest(user, id, true, "");
                approved++;
            } catch (GroupAdmin.GroupException e) {
                refused.add(id + ": " + e.getMessage());
            }
        }
        if (!refused.isEmpty()) {
            return refused(user, fromAdmin, HttpStatus.CONFLICT, approved + " approved; not approved: "
                    + String.join("; ", refused), model, response);
        }
        return "redirect:" + back + "?approved=" + approved;
    }

    private String refused(Authentication user, boolean fromAdmin, HttpStatus status, String message, Model model,
            HttpServletResponse response) {
        response.setStatus(status.value());
        model.addAttribute("error", message);
        return inbox(user, fromAdmin ? "registrations" : "", "", "", model);
    }

    @PostMapping({"/admin/registrations/{id}", "/manage/registrations/{id}"})
    public String decideRegistration(Authentication user, HttpServletRequest http, @PathVariable String id,
            @RequestParam(defaultValue = "") String decision, @RequestParam(defaultValue = "") String reason,
            @RequestParam(defaultValue = "false") boolean notify, Model model, HttpServletResponse response) {
        boolean fromAdmin = http.getRequestURI().startsWith(http.getContextPath() + "/admin/");
        if (!isAdmin(user)) {
            // a VO's admin decides the registrations that ask to join the VO
            String vo = registrations.find(id).map(RegistrationService.Request::voGroupId).orElse(null);
            if (vo == null || vos.administeredBy(user.getName()).stream().noneMatch(g -> g.id().equals(vo))) {
                return refused(user, fromAdmin, HttpStatus.FORBIDDEN, "You do not decide this registration.", model,
                        response);
            }
        }
        try {
            if (decision.equals("approve")) {
                registrations.approve(id, user.getName());
            } else if (decision.equals("reject")) {
                registrations.reject(id, user.getName(), reason, notify);
            } else {
                throw new RegistrationService.DecisionException("choose approve or reject", false);
            }
        } catch (RegistrationService.DecisionException e) {
            return refused(user, fromAdmin, e.conflict() ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST,
                    e.getMessage(), model, response);
        }
        return fromAdmin ? "redirect:/admin/registrations?decided" : "redirect:/manage/requests?decided";
    }

    /** Decides one group request; {@code back} (the request's group id) returns to that group's page. */
    @PostMapping("/manage/requests/{id}")
    public String decide(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String decision, @RequestParam(defaultValue = "") String reason,
            @RequestParam(defaultValue = "") String back, Model model, HttpServletResponse response) {
        GroupRequests.Request request;
        try {
            if (!decision.equals("approve") && !decision.equals("reject")) {
                throw new GroupAdmin.GroupException(400, "choose approve or reject");
            }
            request = decideGroupRequest(user, id, decision.equals("approve"), reason);
        } catch (GroupAdmin.GroupException e) {
            return refused(user, false, HttpStatus.valueOf(e.status()), e.getMessage(), model, response);
        }
        if (!back.isBlank() && back.equals(request.groupId())) {
            return "redirect:/manage/groups/" + request.groupId() + "?decided";
        }
        return "redirect:/manage/requests?decided";
    }

    private GroupRequests.Request decideGroupRequest(Authentication user, String id, boolean approve,
            String reason) {
        GroupRequests.Request request = groupRequests.find(id)
                .orElseThrow(() -> new GroupAdmin.GroupException(404, "no such request"));
        if (!isAdmin(user) && !groups.isManager(user.getName(), request.groupId())
                && !vos.administers(user.getName(), request.groupPath())) {
            throw new GroupAdmin.GroupException(403, "you do not manage " + request.groupPath());
        }
        groupRequests.decide(id, approve, user.getName(), reason);
        return request;
    }
}
