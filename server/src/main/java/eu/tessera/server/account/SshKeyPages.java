package eu.tessera.server.account;

import eu.tessera.server.web.Confirmation;
import eu.tessera.server.web.MessagePage;
import eu.tessera.server.web.SelfServiceController;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * SSH keys on the pages: a member adds (label and the line of their {@code .pub} file) and removes their own keys
 * on {@code /account}; an admin removes a member's key from the account page (asks first), e.g. a key that leaked.
 * The keys are listed on both pages; SCIM serves them as IAM does.
 */
@Controller
public class SshKeyPages {

    private final SshKeys keys;
    private final SelfServiceController selfService;
    private final AccountRepository accounts;

    public SshKeyPages(SshKeys keys, SelfServiceController selfService, AccountRepository accounts) {
        this.keys = keys;
        this.selfService = selfService;
        this.accounts = accounts;
    }

    @PostMapping("/account/ssh-keys")
    public String add(Authentication user, @RequestParam(defaultValue = "") String label,
            @RequestParam(defaultValue = "") String key, Model model, HttpServletResponse response) {
        try {
            keys.add(user.getName(), label, key, keys.of(user.getName()).isEmpty(), user.getName());
        } catch (LinkException e) {
            response.setStatus(e.conflict() ? HttpStatus.CONFLICT.value() : HttpStatus.BAD_REQUEST.value());
            model.addAttribute("sshKeyError", e.getMessage());
            model.addAttribute("sshKeyLabel", label);
            return selfService.page(user, model);
        }
        return "redirect:/account?sshKeyAdded#ssh-keys";
    }

    @PostMapping("/account/ssh-keys/{id}/remove")
    public String remove(Authentication user, @PathVariable String id) {
        keys.remove(user.getName(), id, user.getName());
        return "redirect:/account?sshKeyRemoved#ssh-keys";
    }

    /** An admin removes one of an account's keys (asks for confirmation first). */
    @PostMapping("/admin/accounts/{id}/ssh-keys")
    public String adminRemove(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String key, @RequestParam(defaultValue = "") String confirmed,
            Model model, HttpServletResponse response) {
        String back = "/admin/accounts/" + id;
        Account account = accounts.findById(id).orElse(null);
        SshKeys.Key found = account == null ? null
                : keys.of(id).stream().filter(k -> k.id().equals(key)).findFirst().orElse(null);
        if (found == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "SSH key not removed",
                    account == null ? "There is no account " + id + "." : "The account has no such SSH key.",
                    account == null ? "/admin/accounts" : back, "Back");
        }
        if (!Confirmation.CONFIRMED.equals(confirmed)) {
            return Confirmation.page(model, "Remove this SSH key?", "Remove the SSH key " + found.label() + " ("
                    + found.sha256() + ") from " + account.getUsername() + "? Services that read keys from Tessera "
                    + "stop accepting it.", "Remove", back + "/ssh-keys", Map.of("key", key), back);
        }
        keys.remove(id, key, user.getName());
        return "redirect:" + back + "?sshKeyRemoved#credentials";
    }
}
