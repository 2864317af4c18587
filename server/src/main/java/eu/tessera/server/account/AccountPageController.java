package eu.tessera.server.account;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.aup.AupService;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.oauth2.authorization.JpaAuthorizationService;
import eu.tessera.server.enrollment.PasswordLinks;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.server.web.Confirmation;
import eu.tessera.server.web.EndDates;
import eu.tessera.server.web.MessagePage;
import eu.tessera.server.web.SelfServiceController;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
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
    private final GroupAdmin groups;
    private final AccountLifecycle lifecycle;
    private final AccountProfiles profiles;
    private final PasswordLinks passwords;
    private final boolean mailEnabled;
    private final JpaAuthorizationService grants;
    private final AuditLog audit;
    private final RegisteredClientRepository clients;
    private final AupService aup;
    private final AccountDetailsController details;
    private final SshKeys sshKeys;
    private final eu.tessera.server.login.mfa.MfaService mfa;
    private final eu.tessera.server.login.passkey.PasskeyCredentials passkeys;

    public AccountPageController(AccountRepository accounts, AccountRoles roles, CertificateLinks certificates,
            ExternalIdentities identities, JdbcTemplate jdbc, GroupAdmin groups, AccountLifecycle lifecycle,
            AccountProfiles profiles, PasswordLinks passwords, TesseraProperties properties,
            JpaAuthorizationService grants, AuditLog audit, RegisteredClientRepository clients, AupService aup,
            AccountDetailsController details, SshKeys sshKeys, eu.tessera.server.login.mfa.MfaService mfa,
            eu.tessera.server.login.passkey.PasskeyCredentials passkeys) {
        this.mfa = mfa;
        this.passkeys = passkeys;
        this.aup = aup;
        this.sshKeys = sshKeys;
        this.details = details;
        this.clients = clients;
        this.grants = grants;
        this.audit = audit;
        this.profiles = profiles;
        this.passwords = passwords;
        this.mailEnabled = properties.mail().enabled();
        this.groups = groups;
        this.lifecycle = lifecycle;
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
        model.addAttribute("sshKeys", sshKeys.of(id));
        model.addAttribute("mfaEnrolled", mfa.enrolled(id));
        model.addAttribute("mfaTotp", mfa.totpEnrolled(id));
        model.addAttribute("mfaPasskeys", passkeys.count(id));
        model.addAttribute("mfaCodesLeft", mfa.recoveryCodesLeft(id));
        model.addAttribute("identities", identities.of(id));
        model.addAttribute("canChange", user.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals(AccountRoles.ADMIN)));
        model.addAttribute("self", id.equals(user.getName()));
        model.addAttribute("grants", grants.refreshGrants(id).stream().map(g -> {
            var client = clients.findById(g.clientId());
            return new SelfServiceController.GrantView(g.id(), client == null ? g.clientId() : client.getClientId(),
                    client == null ? "" : client.getClientName(), g.since(), g.expiresAt(), g.scopes());
        }).toList());
        model.addAttribute("mailEnabled", mailEnabled);
        model.addAttribute("aup", aup.current().orElse(null));
        model.addAttribute("aupSignature", aup.signature(id).orElse(null));
        model.addAttribute("endDate", EndDates.lastDay(account.getEndTime()));
        model.addAttribute("groupPaths", groups.all().stream().map(GroupAdmin.Group::path).toList());
        details.fill(id, model);
        return "admin/account";
    }

    /** The form to create an account (admins). */
    @GetMapping("/admin/accounts/new")
    public String newAccount(Authentication user, Model model, HttpServletResponse response) {
        if (user.getAuthorities().stream().noneMatch(a -> a.getAuthority().equals(AccountRoles.ADMIN))) {
            // a reader may GET every admin page, but this one is only a form to change something
            return MessagePage.show(model, response, HttpStatus.FORBIDDEN, "Not allowed",
                    "Only administrators create accounts.", "/admin/accounts", "All accounts");
        }
        model.addAttribute("mailEnabled", mailEnabled);
        return "admin/account-new";
    }

    /** Creates an account and mails its holder an invitation with a link to set a password. */
    @PostMapping("/admin/accounts/new")
    public String invite(Authentication user, @RequestParam(defaultValue = "") String username,
            @RequestParam(defaultValue = "") String givenName, @RequestParam(defaultValue = "") String familyName,
            @RequestParam(defaultValue = "") String email, Model model, HttpServletResponse response) {
        try {
            String id = profiles.invite(username, givenName, familyName, email, user.getName());
            return "redirect:/admin/accounts/" + id + "?invited";
        } catch (AccountProfiles.ProfileException e) {
            response.setStatus(e.status());
            model.addAttribute("error", e.getMessage());
            model.addAttribute("username", username);
            model.addAttribute("givenName", givenName);
            model.addAttribute("familyName", familyName);
            model.addAttribute("email", email);
            return newAccount(user, model, response);
        }
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

    /**
     * Group memberships from the account page: {@code add} (group path, optional end date: the membership lasts
     * through that day, UTC), {@code remove} (asks for confirmation), {@code manager} and {@code unmanage}.
     */
    @PostMapping("/admin/accounts/{id}/groups")
    public String groups(Authentication user, @PathVariable String id, @RequestParam(defaultValue = "") String action,
            @RequestParam(defaultValue = "") String group, @RequestParam(defaultValue = "") String until,
            @RequestParam(defaultValue = "") String confirmed, Model model, HttpServletResponse response) {
        Account account = accounts.findById(id).orElse(null);
        if (account == null) {
            return missing(model, response, id);
        }
        String back = "/admin/accounts/" + id;
        try {
            GroupAdmin.Group target = groups.require(group.strip());
            switch (action) {
                case "add" -> groups.addMember(target.id(), id, null, EndDates.endOfDay(until), user.getName());
                case "remove" -> {
                    if (!Confirmation.CONFIRMED.equals(confirmed)) {
                        return Confirmation.page(model, "Remove " + account.getUsername() + " from " + target.path()
                                + "?", account.getUsername() + " loses " + target.path() + ": it leaves their tokens, "
                                + "VOMS proxies and synced catalogues.", "Remove", back + "/groups",
                                Map.of("action", "remove", "group", target.id()), back);
                    }
                    groups.removeMember(target.id(), id, user.getName());
                }
                case "manager" -> groups.addManager(target.id(), id, user.getName());
                case "unmanage" -> groups.removeManager(target.id(), id, user.getName());
                default -> throw new GroupAdmin.GroupException(400, "unknown action " + action);
            }
        } catch (GroupAdmin.GroupException | IllegalArgumentException e) {
            return MessagePage.show(model, response, e instanceof GroupAdmin.GroupException g
                    ? HttpStatus.valueOf(g.status()) : HttpStatus.BAD_REQUEST, "Groups not changed", e.getMessage(),
                    back, "Back to the account");
        }
        return "redirect:" + back + "?groups";
    }

    /**
     * Certificates from the account page: {@code link} by PEM upload or by subject and issuer (either DN form),
     * {@code unlink} (asks for confirmation).
     */
    @PostMapping("/admin/accounts/{id}/certificates")
    public String certificates(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "") String pem,
            @RequestParam(defaultValue = "") String subject, @RequestParam(defaultValue = "") String issuer,
            @RequestParam(defaultValue = "") String label, @RequestParam(defaultValue = "") String certificate,
            @RequestParam(defaultValue = "") String confirmed, Model model, HttpServletResponse response) {
        Account account = accounts.findById(id).orElse(null);
        if (account == null) {
            return missing(model, response, id);
        }
        String back = "/admin/accounts/" + id;
        String labelOrNull = label.isBlank() ? null : label.strip();
        try {
            switch (action) {
                case "link" -> {
                    if (!pem.isBlank()) {
                        certificates.linkPem(id, pem, labelOrNull, user.getName());
                    } else if (!subject.isBlank() && !issuer.isBlank()) {
                        certificates.link(id, subject.strip(), issuer.strip(), labelOrNull, null, user.getName());
                    } else {
                        throw new LinkException("Paste the certificate (PEM) or give both its subject and its issuer.",
                                false);
                    }
                }
                case "unlink" -> {
                    AccountCertificate linked = certificates.of(id).stream()
                            .filter(c -> c.getId().equals(certificate)).findFirst()
                            .orElseThrow(() -> new LinkException("The account has no such certificate.", false));
                    if (!Confirmation.CONFIRMED.equals(confirmed)) {
                        return Confirmation.page(model, "Unlink this certificate?", "Unlink " + linked.getSubjectDn()
                                + " from " + account.getUsername() + "? Proxies made from it stop getting VOMS "
                                + "attributes and it no longer logs in.", "Unlink", back + "/certificates",
                                Map.of("action", "unlink", "certificate", certificate), back);
                    }
                    certificates.unlink(id, certificate, user.getName());
                }
                default -> throw new LinkException("unknown action " + action, false);
            }
        } catch (LinkException e) {
            return MessagePage.show(model, response, e.conflict() ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST,
                    "Certificate not changed", e.getMessage(), back, "Back to the account");
        }
        return "redirect:" + back + "?certificates";
    }

    /** The profile: username, given and family name, email (an admin's change needs no confirmation mail). */
    @PostMapping("/admin/accounts/{id}/profile")
    public String profile(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String givenName,
            @RequestParam(defaultValue = "") String familyName, @RequestParam(defaultValue = "") String email,
            Model model, HttpServletResponse response) {
        try {
            profiles.update(id, username, givenName, familyName, email, user.getName());
        } catch (AccountProfiles.ProfileException e) {
            return MessagePage.show(model, response, HttpStatus.valueOf(e.status()), "Profile not changed",
                    e.getMessage(), "/admin/accounts/" + id, "Back to the account");
        }
        return "redirect:/admin/accounts/" + id + "?profile";
    }

    /** Unlinks a SAML or OpenID identity (asks for confirmation). */
    @PostMapping("/admin/accounts/{id}/identities")
    public String identities(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String identity, @RequestParam(defaultValue = "") String confirmed,
            Model model, HttpServletResponse response) {
        String back = "/admin/accounts/" + id;
        ExternalIdentities.Identity linked = identities.of(id).stream().filter(i -> i.id().equals(identity))
                .findFirst().orElse(null);
        if (linked == null) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "Identity not unlinked",
                    "The account has no such linked identity.", back, "Back to the account");
        }
        if (!Confirmation.CONFIRMED.equals(confirmed)) {
            boolean last = identities.waysToLogIn(id) <= 1;
            return Confirmation.page(model, "Unlink this identity?", "Unlink " + linked.type() + " identity "
                    + linked.subject() + " (" + linked.provider() + ")? It no longer logs in to this account."
                    + (last ? " It is the account's only way to log in: send a password link afterwards." : ""),
                    "Unlink", back + "/identities", Map.of("identity", identity), back);
        }
        identities.unlink(id, identity, user.getName());
        return "redirect:" + back + "?identities";
    }

    /** Revokes one of the account's refresh tokens (the whole family and its last access token). */
    @PostMapping("/admin/accounts/{id}/refresh-tokens/{grant}/revoke")
    public String revoke(Authentication user, @PathVariable String id, @PathVariable String grant, Model model,
            HttpServletResponse response) {
        if (!grants.revokeGrant(id, grant)) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "Nothing revoked",
                    "The account holds no such refresh token (it may have expired or been revoked).",
                    "/admin/accounts/" + id, "Back to the account");
        }
        audit.record("token.revoked", user.getName(), id, Map.of("grant", grant, "via", "admin account page"));
        return "redirect:/admin/accounts/" + id + "?revoked";
    }

    /**
     * Asks the account to sign the AUP again (asks for confirmation): its signature goes, and it gets no user-bound
     * token or VOMS AC until it signs.
     */
    @PostMapping("/admin/accounts/{id}/aup")
    public String aupSignature(Authentication user, @PathVariable String id,
            @RequestParam(defaultValue = "") String confirmed, Model model, HttpServletResponse response) {
        Account account = accounts.findById(id).orElse(null);
        if (account == null) {
            return missing(model, response, id);
        }
        String back = "/admin/accounts/" + id;
        if (aup.current().isEmpty()) {
            return MessagePage.show(model, response, HttpStatus.CONFLICT, "Nothing to sign",
                    "No acceptable use policy is in force.", back, "Back to the account");
        }
        if (!Confirmation.CONFIRMED.equals(confirmed)) {
            return Confirmation.page(model, "Ask " + account.getUsername() + " to sign the AUP again?",
                    account.getUsername() + " gets no tokens or VOMS proxies until they sign the acceptable use "
                    + "policy again at their next login.", "Ask to sign again", back + "/aup", Map.of(), back);
        }
        aup.requestSignature(id, user.getName());
        return "redirect:" + back + "?aup";
    }

    /** Mails the account a link to set a new password. */
    @PostMapping("/admin/accounts/{id}/password-reset")
    public String passwordReset(Authentication user, @PathVariable String id, Model model,
            HttpServletResponse response) {
        String back = "/admin/accounts/" + id;
        return switch (passwords.sendReset(id, user.getName())) {
            case QUEUED -> MessagePage.show(model, response, HttpStatus.OK, "Reset link sent", mailEnabled
                    ? "A link to set a new password is on its way to the account's email address."
                    : "A link to set a new password waits in the outbox: mail is off (tessera.mail.enabled=false) "
                    + "and goes out once it is on.", back, "Back to the account");
            case NO_EMAIL -> MessagePage.show(model, response, HttpStatus.CONFLICT, "No reset link sent",
                    "The account has no email address: add one to its profile first.", back, "Back to the account");
            case SERVICE_ACCOUNT -> MessagePage.show(model, response, HttpStatus.CONFLICT, "No reset link sent",
                    "A service account has no password to reset.", back, "Back to the account");
            case NOT_USABLE -> MessagePage.show(model, response, HttpStatus.CONFLICT, "No reset link sent",
                    "The account is suspended or past its end time: restore it first.", back, "Back to the account");
            case NO_ACCOUNT -> missing(model, response, id);
        };
    }

    /** The account's end time (a date: the account stays usable through that day, UTC); empty clears it. */
    @PostMapping("/admin/accounts/{id}/end-time")
    public String endTime(Authentication user, @PathVariable String id, @RequestParam(defaultValue = "") String until,
            Model model, HttpServletResponse response) {
        if (accounts.findById(id).isEmpty()) {
            return missing(model, response, id);
        }
        String back = "/admin/accounts/" + id;
        try {
            lifecycle.setEndTime(id, EndDates.endOfDay(until), user.getName());
        } catch (IllegalArgumentException e) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "End time not changed", e.getMessage(),
                    back, "Back to the account");
        }
        return "redirect:" + back + "?endtime";
    }

    private static String missing(Model model, HttpServletResponse response, String id) {
        return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such account",
                "There is no account " + id + ".", "/admin/accounts", "All accounts");
    }
}
