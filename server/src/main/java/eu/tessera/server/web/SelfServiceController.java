package eu.tessera.server.web;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.account.CertificateLinks;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.aup.AupService;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.enrollment.PasswordLinks;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.server.group.GroupRequests;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The member's own page: profile, groups and group requests (ask for a group with a reason), AUP status,
 * linked certificates, SSH keys ({@link eu.tessera.server.account.SshKeyPages}), password change. Plain forms with CSRF; works without JavaScript.
 */
@Controller
public class SelfServiceController {

    private final AccountRepository accounts;
    private final GroupAdmin groups;
    private final GroupRequests requests;
    private final CertificateLinks certificates;
    private final AupService aup;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final JdbcTemplate jdbc;
    private final TesseraProperties properties;
    private final Clock clock;
    private final eu.tessera.server.oauth2.authorization.JpaAuthorizationService grants;
    private final eu.tessera.server.account.ExternalIdentities identities;
    private final eu.tessera.server.account.SshKeys sshKeys;
    private final eu.tessera.server.login.mfa.MfaService mfa;
    private final eu.tessera.server.group.VoAdmins vos;
    private final org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository clients;

    /** A refresh-token grant as the page shows it: the client's id and name. */
    public record GrantView(String id, String clientId, String clientName, java.time.Instant since,
            java.time.Instant expiresAt, String scopes) {
    }

    public SelfServiceController(AccountRepository accounts, GroupAdmin groups, GroupRequests requests,
            CertificateLinks certificates, AupService aup, PasswordEncoder encoder, AuditLog audit, JdbcTemplate jdbc,
            TesseraProperties properties, Clock clock,
            eu.tessera.server.oauth2.authorization.JpaAuthorizationService grants,
            org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository clients,
            eu.tessera.server.account.ExternalIdentities identities, eu.tessera.server.account.SshKeys sshKeys,
            eu.tessera.server.login.mfa.MfaService mfa, eu.tessera.server.group.VoAdmins vos) {
        this.mfa = mfa;
        this.vos = vos;
        this.identities = identities;
        this.sshKeys = sshKeys;
        this.grants = grants;
        this.clients = clients;
        this.accounts = accounts;
        this.groups = groups;
        this.requests = requests;
        this.certificates = certificates;
        this.aup = aup;
        this.encoder = encoder;
        this.audit = audit;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/account")
    public String page(Authentication user, Model model) {
        Account account = accounts.findById(user.getName()).orElseThrow();
        List<Map<String, Object>> memberships = jdbc.queryForList("select g.path, m.optional, m.end_time from "
                + "membership m join vo_group g on g.id = m.group_id where m.account_id = ? order by g.path",
                account.getId());
        Set<String> mine = memberships.stream().map(m -> (String) m.get("path")).collect(Collectors.toSet());
        model.addAttribute("organisation", properties.organisationName());
        model.addAttribute("account", account);
        model.addAttribute("memberships", memberships);
        model.addAttribute("requests", requests.of(account.getId()));
        model.addAttribute("available", groups.all().stream().filter(g -> !mine.contains(g.path())).toList());
        model.addAttribute("certificates", certificates.of(account.getId()));
        model.addAttribute("sshKeys", sshKeys.of(account.getId()));
        model.addAttribute("mustSign", aup.mustSign(account.getId()));
        model.addAttribute("mfaEnrolled", mfa.enrolled(account.getId()));
        model.addAttribute("administeredVos", vos.administeredBy(account.getId()));
        model.addAttribute("signature", aup.signature(account.getId()).orElse(null));
        model.addAttribute("isAdmin", account.isAdmin());
        model.addAttribute("x509", properties.x509().loginEnabled());
        model.addAttribute("identities", identities.of(account.getId()));
        model.addAttribute("providers", properties.oidc().providers());
        model.addAttribute("samlLogin", properties.saml().sp().configured());
        model.addAttribute("x509Url", properties.x509().pageUrl(properties.issuer(), "/account"));
        model.addAttribute("isManager", jdbc.queryForObject("select count(*) from group_manager where account_id = ?",
                Integer.class, account.getId()) > 0);
        model.addAttribute("minPassword", PasswordLinks.MIN_PASSWORD);
        model.addAttribute("grants", grants.refreshGrants(account.getId()).stream().map(g -> {
            var client = clients.findById(g.clientId());
            return new GrantView(g.id(), client == null ? g.clientId() : client.getClientId(),
                    client == null ? "" : client.getClientName(), g.since(), g.expiresAt(), g.scopes());
        }).toList());
        return "account";
    }

    /** Revokes one of the user's refresh tokens (the whole family, and its last access token). */
    @PostMapping("/account/refresh-tokens/{id}/revoke")
    public String revoke(Authentication user, @org.springframework.web.bind.annotation.PathVariable String id) {
        if (grants.revokeGrant(user.getName(), id)) {
            audit.record("token.revoked", user.getName(), user.getName(), Map.of("grant", id, "via", "account page"));
        }
        return "redirect:/account?revoked";
    }

    /** Unlinks one of the user's certificates. */
    @PostMapping("/account/certificates/{id}/unlink")
    public String unlink(Authentication user, @org.springframework.web.bind.annotation.PathVariable String id,
            Model model, HttpServletResponse response) {
        try {
            certificates.unlinkOwn(user.getName(), id);
        } catch (eu.tessera.server.account.LinkException e) {
            response.setStatus(HttpStatus.CONFLICT.value());
            model.addAttribute("certificateError", e.getMessage());
            return page(user, model);
        }
        return "redirect:/account?unlinked";
    }

    @PostMapping("/account/group-requests")
    public String ask(Authentication user, @RequestParam(defaultValue = "") String group,
            @RequestParam(defaultValue = "") String reason, Model model, HttpServletResponse response) {
        try {
            requests.submit(user.getName(), group, reason);
        } catch (GroupAdmin.GroupException e) {
            response.setStatus(e.status() == 409 ? HttpStatus.CONFLICT.value() : HttpStatus.BAD_REQUEST.value());
            model.addAttribute("requestError", e.getMessage());
            return page(user, model);
        }
        return "redirect:/account?requested";
    }

    @PostMapping("/account/password")
    public String password(Authentication user, @RequestParam(defaultValue = "") String current,
            @RequestParam(defaultValue = "") String password, @RequestParam(defaultValue = "") String repeated,
            Model model, HttpServletResponse response) {
        Account account = accounts.findById(user.getName()).orElseThrow();
        String error = null;
        if (account.getPasswordHash() == null || !encoder.matches(current, account.getPasswordHash())) {
            error = "The current password is wrong.";
        } else if (password.length() < PasswordLinks.MIN_PASSWORD || password.length() > PasswordLinks.MAX_PASSWORD) {
            error = "Use between " + PasswordLinks.MIN_PASSWORD + " and " + PasswordLinks.MAX_PASSWORD + " characters.";
        } else if (!password.equals(repeated)) {
            error = "The two new passwords differ.";
        }
        if (error != null) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("passwordError", error);
            return page(user, model);
        }
        account.setPasswordHash(encoder.encode(password), clock.instant());
        accounts.save(account);
        audit.record("account.password_changed", account.getId(), account.getId(), Map.of());
        return "redirect:/account?password";
    }
}
