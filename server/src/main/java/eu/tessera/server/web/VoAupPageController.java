package eu.tessera.server.web;

import eu.tessera.server.account.AccountRoles;
import eu.tessera.server.aup.AupService;
import eu.tessera.server.aup.VoAupService;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.server.group.VoAdmins;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code POST /manage/groups/{id}/aup}: a VO's admins (or a global admin) publish a version of the VO's addendum to the
 * acceptable use policy ({@code action=publish}: text or URL, signature validity, reminder days) or withdraw it
 * ({@code action=withdraw}), from the VO group's page. Anyone else: 403, nothing changed.
 */
@Controller
public class VoAupPageController {

    private final GroupAdmin groups;
    private final VoAdmins vos;
    private final VoAupService addenda;

    public VoAupPageController(GroupAdmin groups, VoAdmins vos, VoAupService addenda) {
        this.groups = groups;
        this.vos = vos;
        this.addenda = addenda;
    }

    @PostMapping("/manage/groups/{id}/aup")
    public String change(Authentication user, @PathVariable String id, @RequestParam(defaultValue = "") String action,
            @RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "") String url,
            @RequestParam(defaultValue = "365") String validity,
            @RequestParam(defaultValue = "30,15,1") String reminders, Model model, HttpServletResponse response) {
        GroupAdmin.Group group = groups.find(id).orElse(null);
        String back = group == null ? "/account" : "/manage/groups/" + group.id();
        if (group == null || !vos.isVo(group.id())) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such VO", "There is no VO " + id + ".",
                    "/account", "Your account");
        }
        boolean admin = user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(AccountRoles.ADMIN))
                || vos.administers(user.getName(), group.path());
        if (!admin) {
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Not allowed",
                    "Only the admins of the VO " + group.path() + " publish its addendum.", "/account", "Your account");
        }
        if (action.equals("withdraw")) {
            addenda.withdraw(group.id(), user.getName());
            return "redirect:" + back + "?changed";
        }
        if (!action.equals("publish")) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Unknown change",
                    "Publish or withdraw the addendum.", back, group.path());
        }
        try {
            addenda.publish(group.id(), text, url, Integer.parseInt(validity.strip()), AupService.parseDays(reminders),
                    user.getName());
        } catch (NumberFormatException e) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Not published",
                    "Validity and reminders are numbers of days.", back, group.path());
        } catch (IllegalArgumentException e) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Not published", e.getMessage(), back,
                    group.path());
        }
        return "redirect:" + back + "?changed";
    }
}
