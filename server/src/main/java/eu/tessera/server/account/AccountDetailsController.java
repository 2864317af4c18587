package eu.tessera.server.account;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.audit.AuditQuery;
import eu.tessera.server.web.Confirmation;
import eu.tessera.server.web.MessagePage;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The account page's lower sections: attributes (issued as VOMS generic attributes) and labels, the account's
 * browser sessions (signed out one by one or all at once; the page names a session by a hash of its id, never the
 * id), and the account's latest audit events. {@link #fill} adds them to the page's model; the forms post here.
 */
@Controller
public class AccountDetailsController {

    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A session as the page shows it. */
    public record SessionView(String handle, Instant created, Instant lastActive) {
    }

    private final AccountRepository accounts;
    private final AccountAttributeRepository attributes;
    private final AccountLabels labels;
    /** Absent when Tessera runs without its web server (the import command). */
    private final org.springframework.beans.factory.ObjectProvider<FindByIndexNameSessionRepository<? extends Session>>
            sessionRepository;
    private final AuditQuery auditQuery;
    private final AuditLog audit;

    public AccountDetailsController(AccountRepository accounts, AccountAttributeRepository attributes,
            AccountLabels labels,
            org.springframework.beans.factory.ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions,
            AuditQuery auditQuery, AuditLog audit) {
        this.accounts = accounts;
        this.attributes = attributes;
        this.labels = labels;
        this.sessionRepository = sessions;
        this.auditQuery = auditQuery;
        this.audit = audit;
    }

    /** The sections' model for the account page. */
    public void fill(String accountId, Model model) {
        model.addAttribute("attributes", attributes.findByKeyAccountIdOrderByKeyName(accountId));
        model.addAttribute("labels", labels.of(accountId));
        model.addAttribute("sessions", sessions(accountId));
        List<AuditQuery.Event> events = auditQuery.about(accountId, 20);
        model.addAttribute("events", events);
        model.addAttribute("eventNames", auditQuery.names(events));
    }

    private FindByIndexNameSessionRepository<? extends Session> sessions() {
        return sessionRepository.getObject();
    }

    private List<SessionView> sessions(String accountId) {
        return sessions().findByPrincipalName(accountId).values().stream()
                .map(s -> new SessionView(handle(s.getId()), s.getCreationTime(), s.getLastAccessedTime()))
                .sorted(Comparator.comparing(SessionView::lastActive).reversed()).toList();
    }

    static String handle(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @PostMapping("/admin/accounts/{id}/attributes")
    @Transactional
    public String attribute(Authentication user, @PathVariable String id, @RequestParam(defaultValue = "set")
            String action, @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String value,
            Model model, HttpServletResponse response) {
        String back = "/admin/accounts/" + id;
        if (accounts.findById(id).isEmpty()) {
            return missing(model, response, id);
        }
        if (!ATTRIBUTE.matcher(name.strip()).matches()) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Attribute not saved",
                    "The name has 1 to 64 letters, digits, '.', '_' or '-'.", back + "#details", "Back to the account");
        }
        AccountAttribute.Key key = new AccountAttribute.Key(id, name.strip());
        if (action.equals("remove")) {
            if (attributes.existsById(key)) {
                attributes.deleteById(key);
                audit.record("account.attribute_removed", user.getName(), id, Map.of("name", name.strip()));
            }
            return "redirect:" + back + "?details#details";
        }
        if (value.isEmpty() || value.length() > 1024) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Attribute not saved",
                    "The value is needed, at most 1024 characters.", back + "#details", "Back to the account");
        }
        AccountAttribute row = attributes.findById(key).orElseGet(() -> new AccountAttribute(id, key.name(), value));
        row.setValue(value);
        attributes.save(row);
        audit.record("account.attribute_set", user.getName(), id, Map.of("name", key.name()));
        return "redirect:" + back + "?details#details";
    }

    @PostMapping("/admin/accounts/{id}/labels")
    public String label(Authentication user, @PathVariable String id, @RequestParam(defaultValue = "set")
            String action, @RequestParam(defaultValue = "") String prefix, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String value, Model model, HttpServletResponse response) {
        String back = "/admin/accounts/" + id;
        if (accounts.findById(id).isEmpty()) {
            return missing(model, response, id);
        }
        try {
            AccountLabels.Label label = AccountLabels.checked(prefix, name.strip(), action.equals("remove") ? null
                    : value);
            if (action.equals("remove")) {
                labels.remove(id, label.prefix(), label.name(), user.getName());
            } else {
                labels.set(id, label, user.getName());
            }
        } catch (IllegalArgumentException e) {
            return MessagePage.show(model, response, HttpStatus.BAD_REQUEST, "Label not saved", e.getMessage(),
                    back + "#details", "Back to the account");
        }
        return "redirect:" + back + "?details#details";
    }

    /** Signs the account out of one browser session ({@code session}: its handle) or of all of them. */
    @PostMapping("/admin/accounts/{id}/sessions")
    public String signOut(Authentication user, @PathVariable String id, @RequestParam(defaultValue = "") String session,
            @RequestParam(defaultValue = "") String confirmed, Model model, HttpServletResponse response) {
        Account account = accounts.findById(id).orElse(null);
        if (account == null) {
            return missing(model, response, id);
        }
        String back = "/admin/accounts/" + id;
        if (session.isBlank() && !Confirmation.CONFIRMED.equals(confirmed)) {
            return Confirmation.page(model, "Sign " + account.getUsername() + " out everywhere?",
                    account.getUsername() + " is signed out of every browser and has to sign in again (refresh "
                    + "tokens held by clients are not touched: revoke them above).", "Sign out everywhere",
                    back + "/sessions", Map.of(), back);
        }
        int ended = 0;
        for (String sessionId : sessions().findByPrincipalName(id).keySet()) {
            if (session.isBlank() || handle(sessionId).equals(session)) {
                sessions().deleteById(sessionId);
                ended++;
            }
        }
        audit.record("account.sessions_ended", user.getName(), id, Map.of("sessions", ended));
        return "redirect:" + back + "?sessions=" + ended + "#sessions";
    }

    private static String missing(Model model, HttpServletResponse response, String id) {
        return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "No such account",
                "There is no account " + id + ".", "/admin/accounts", "All accounts");
    }
}
