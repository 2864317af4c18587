package eu.tessera.server.login.saml;

import eu.tessera.saml.LoginAssertion;
import eu.tessera.saml.SamlAttributes;
import eu.tessera.saml.SamlException;
import eu.tessera.saml.SamlResponses;
import eu.tessera.saml.metadata.IdentityProvider;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.login.ExternalLogins;
import eu.tessera.server.web.MessagePage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SAML assertion consumer service. {@code POST /saml/acs} (HTTP-POST binding) takes the IdP's Response, which a
 * browser sends cross-site and so without the SameSite=Lax session cookie: it is validated against the metadata of the
 * IdP the pending request went to ({@link SamlResponses}), the request and the assertion ID are used once (in the
 * database, for all instances), and the result waits with its request. The redirect to
 * {@code /saml/acs/complete} is a top-level GET that carries the session: only the session that started the login
 * can pick the result up (no login CSRF), and {@link ExternalLogins} logs in, links or registers. {@code POST
 * /account/identities/link-saml} makes the next SAML login of the session link its identity to the account.
 */
@Controller
public class SamlAcsController {

    /** Session attribute: the IDs of the SAML requests this session started (at most {@link #KEPT}). */
    static final String REQUESTS = "tessera.saml.requests";
    static final int KEPT = 8;
    private static final Logger LOG = LoggerFactory.getLogger(SamlAcsController.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SamlMetadataSources sources;
    private final TesseraProperties properties;
    private final JdbcTemplate jdbc;
    private final ExternalLogins logins;
    private final AuditLog audit;
    private final SamlTrustedIdps trustedIdps;
    private final SamlSpKeys keys;
    private final Clock clock;

    public SamlAcsController(SamlMetadataSources sources, TesseraProperties properties, JdbcTemplate jdbc,
            ExternalLogins logins, AuditLog audit, SamlTrustedIdps trustedIdps, SamlSpKeys keys, Clock clock) {
        this.trustedIdps = trustedIdps;
        this.keys = keys;
        this.sources = sources;
        this.properties = properties;
        this.jdbc = jdbc;
        this.logins = logins;
        this.audit = audit;
        this.clock = clock;
    }

    /** Remembers in the session that it started the request {@code id}. */
    @SuppressWarnings("unchecked")
    static void started(HttpSession session, String id) {
        List<String> ids = session.getAttribute(REQUESTS) instanceof List<?> list ? new ArrayList<>((List<String>) list)
                : new ArrayList<>();
        ids.add(id);
        while (ids.size() > KEPT) {
            ids.remove(0);
        }
        session.setAttribute(REQUESTS, ids);
    }

    private static String refused(Model model, HttpServletResponse response, HttpStatus status, String text) {
        model.addAttribute("link", "/saml/discovery");
        model.addAttribute("linkText", "Log in again through your institution");
        return MessagePage.show(model, response, status, "Institution login failed", text);
    }

    @PostMapping("/saml/acs")
    public String consume(@RequestParam(name = "SAMLResponse", required = false) String samlResponse,
            HttpServletResponse response, Model model) {
        TesseraProperties.Saml saml = properties.saml();
        if (!saml.sp().configured()) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "Institution login is off",
                    "This service does not offer login through your institution.");
        }
        SamlResponses.Unverified unverified;
        try {
            unverified = SamlResponses.read(samlResponse);
        } catch (SamlException e) {
            return failure(model, response, null, e.getMessage());
        }
        String requestId = unverified.inResponseTo();
        if (requestId == null) {
            return failure(model, response, unverified.issuer(), "unsolicited Response (no InResponseTo): start the "
                    + "login here");
        }
        Instant now = clock.instant();
        // typed reads: H2 hands out OffsetDateTime where PostgreSQL's driver gives Timestamp
        List<String> pending = jdbc.query("select idp_entity_id from saml_request where id = ? and validated_at is "
                + "null and expires_at > ?", (rs, n) -> rs.getString(1), requestId, Timestamp.from(now));
        if (pending.isEmpty()) {
            return failure(model, response, unverified.issuer(), "this login has expired or was already used");
        }
        String entityId = pending.get(0);
        Optional<SamlMetadataSources.Found> found = sources.findWithSource(entityId);
        if (found.isEmpty()) {
            return failure(model, response, entityId, "the institution is no longer in the federation metadata");
        }
        IdentityProvider idp = found.get().idp();
        TesseraProperties.Saml.MetadataSource source = found.get().source();
        LoginAssertion login;
        try {
            login = SamlResponses.validate(unverified, idp, new SamlResponses.Expectations(
                    SpMetadataController.entityId(properties), acsUrl(properties), requestId, saml.clockSkew(), now,
                    source.allowCbc(), source.requireSignedResponse()), keys.decryptionKeys());
        } catch (SamlResponses.StatusException e) {
            audit.record("login.failure", "anonymous", null, Map.of("method", "saml", "idp", entityId, "reason",
                    "status " + e.status()));
            return refused(model, response, HttpStatus.UNAUTHORIZED, "Your institution did not log you in ("
                    + e.status() + "). Try again, or choose another way to log in.");
        } catch (SamlException e) {
            return failure(model, response, entityId, e.getMessage());
        }
        jdbc.update("delete from saml_assertion_seen where expires_at < ?", Timestamp.from(now));
        try {
            jdbc.update("insert into saml_assertion_seen (id, idp_entity_id, expires_at) values (?, ?, ?)",
                    login.assertionId(), entityId, Timestamp.from(login.replayUntil()));
        } catch (DuplicateKeyException replayed) {
            return failure(model, response, entityId, "this assertion was already used (replay)");
        }
        int claimed = jdbc.update("update saml_request set validated_at = ?, login_result = ? where id = ? and "
                + "validated_at is null", Timestamp.from(now), JSON.writeValueAsString(login), requestId);
        if (claimed != 1) {
            return failure(model, response, entityId, "this login was already used");
        }
        return "redirect:/saml/acs/complete?request=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8);
    }

    /** Whether the IdP's authentication context is one its metadata source counts as MFA (REFEDS MFA by default). */
    private boolean countsAsMfa(LoginAssertion login) {
        return sources.findWithSource(login.idp()).map(found -> login.authnContexts().stream()
                .anyMatch(found.source().mfaContexts()::contains)).orElse(false);
    }

    @GetMapping("/saml/acs/complete")
    public String complete(@RequestParam(defaultValue = "") String request, HttpServletRequest http,
            HttpServletResponse response, Model model) throws IOException {
        HttpSession session = http.getSession(false);
        if (session == null || !(session.getAttribute(REQUESTS) instanceof List<?> started)
                || !started.contains(request)) {
            audit.record("login.failure", "anonymous", null, Map.of("method", "saml", "reason",
                    "completed in another browser session"));
            return refused(model, response, HttpStatus.BAD_REQUEST, "This login was not started in this browser. "
                    + "Start it again here.");
        }
        Instant now = clock.instant();
        int consumed = jdbc.update("update saml_request set consumed_at = ? where id = ? and consumed_at is null and "
                + "validated_at is not null and expires_at > ?", Timestamp.from(now), request, Timestamp.from(now));
        if (consumed != 1) {
            return refused(model, response, HttpStatus.BAD_REQUEST, "This login has expired or was already used.");
        }
        List<?> remaining = new ArrayList<>(started);
        remaining.remove(request);
        session.setAttribute(REQUESTS, remaining);
        String stored = jdbc.queryForObject("select login_result from saml_request where id = ?", String.class,
                request);
        jdbc.update("update saml_request set login_result = null where id = ?", request);   // nothing personal kept
        LoginAssertion login = JSON.readValue(stored, LoginAssertion.class);
        IdentityProvider idp = sources.find(login.idp()).orElse(null);
        String label = idp == null ? login.idp() : idp.displayName();
        Identifier identifier = identifier(login, properties.saml().identityAttributes());
        if (identifier == null) {
            audit.record("login.failure", "anonymous", null, Map.of("method", "saml", "idp", login.idp(), "reason",
                    "no identifier released"));
            ExternalLogins.problem(http, response, label + " did not release an identifier this service accepts ("
                    + String.join(", ", properties.saml().identityAttributes()) + "). Ask your institution to "
                    + "release the REFEDS Research and Scholarship attributes to this service.");
            return null;
        }
        String[] names = names(login);
        logins.complete(new ExternalLogins.ExternalUser("SAML", label.length() > 64 ? label.substring(0, 64) : label,
                label, login.idp(), identifier.value(), identifier.attribute(), login.first(SamlAttributes.MAIL),
                names[0], names[1], username(login), trustedIdps.trusted(login.idp()), "saml",
                Map.of("idp", login.idp(), "encrypted", String.valueOf(login.encrypted())), countsAsMfa(login)),
                missing(login, properties.saml().requiredAttributes()), http, response);
        return null;
    }

    @PostMapping("/account/identities/link-saml")
    public String link(Authentication user, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!properties.saml().sp().configured()) {
            return MessagePage.show(model, response, HttpStatus.NOT_FOUND, "Institution login is off",
                    "This service does not offer login through your institution.");
        }
        request.getSession().setAttribute(ExternalLogins.LINK_ACCOUNT, user.getName());
        return "redirect:/saml/discovery";
    }

    private String failure(Model model, HttpServletResponse response, String idp, String reason) {
        LOG.info("SAML Response refused (IdP {}): {}", idp, reason);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("method", "saml");
        if (idp != null) {
            details.put("idp", idp.length() > 256 ? idp.substring(0, 256) : idp);
        }
        details.put("reason", reason.length() > 300 ? reason.substring(0, 300) : reason);
        audit.record("login.failure", "anonymous", null, details);
        return refused(model, response, HttpStatus.BAD_REQUEST, "The answer from your institution was refused: "
                + reason + ".");
    }

    static String acsUrl(TesseraProperties properties) {
        return properties.baseUrl() + "/saml/acs";
    }

    /** The user's identifier at the IdP and the attribute it came from. */
    record Identifier(String attribute, String value) {
    }

    static Identifier identifier(LoginAssertion login, List<String> order) {
        for (String name : order) {
            String full = SamlAttributes.resolve(name);
            String value = full.equals(SamlAttributes.PERSISTENT_NAME_ID)
                    ? (full.equals(login.nameIdFormat()) ? login.nameId() : null) : login.first(full);
            if (value != null && !value.isBlank()) {
                return new Identifier(name.strip(), value.strip());
            }
        }
        return null;
    }

    /** Given and family name: givenName and sn, else displayName split at its last space. */
    static String[] names(LoginAssertion login) {
        String given = login.first(SamlAttributes.GIVEN_NAME);
        String family = login.first(SamlAttributes.SURNAME);
        String display = login.first(SamlAttributes.DISPLAY_NAME);
        if (given == null && family == null && display != null) {
            int space = display.strip().lastIndexOf(' ');
            return space < 0 ? new String[] {display.strip(), null}
                    : new String[] {display.strip().substring(0, space), display.strip().substring(space + 1)};
        }
        return new String[] {given, family};
    }

    /** The proposed username of a just-in-time account: uid, else the local part of the ePPN. */
    static String username(LoginAssertion login) {
        String uid = login.first(SamlAttributes.UID);
        if (uid != null) {
            return uid;
        }
        String eppn = login.first(SamlAttributes.EPPN);
        return eppn == null ? null : eppn.substring(0, eppn.indexOf('@') > 0 ? eppn.indexOf('@') : eppn.length());
    }

    static String missing(LoginAssertion login, List<String> requirements) {
        return ExternalLogins.firstUnmet(requirements, login::values);
    }
}
