package eu.tessera.server.login.saml;

import eu.tessera.saml.AuthnRequests;
import eu.tessera.saml.SamlException;
import eu.tessera.saml.metadata.IdentityProvider;
import eu.tessera.server.config.TesseraProperties;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import eu.tessera.server.web.MessagePage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The start of a SAML login: the discovery page ({@code /saml/discovery}: search over IdP names and domains, as you
 * type with {@code /saml/discovery/search} or by submitting the form, the last choice first) and
 * {@code /saml/login?idp=<entityID>}, which records the request (shared by all instances, for InResponseTo) and
 * redirects the browser to the IdP with a signed AuthnRequest (HTTP-Redirect binding).
 */
@Controller
public class SamlLoginController {

    static final String LAST_IDP = "tessera_last_idp";
    private static final Duration REQUEST_TTL = Duration.ofMinutes(10);

    private final SamlMetadataSources sources;
    private final TesseraProperties properties;
    private final JdbcTemplate jdbc;
    private final SamlSpKeys keys;
    private final Clock clock;

    public SamlLoginController(SamlMetadataSources sources, TesseraProperties properties, JdbcTemplate jdbc,
            SamlSpKeys keys, Clock clock) {
        this.keys = keys;
        this.sources = sources;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private static String message(Model model, HttpServletResponse response, HttpStatus status, String title,
            String text) {
        model.addAttribute("link", "/saml/discovery");
        model.addAttribute("linkText", "Choose your institution");
        return MessagePage.show(model, response, status, title, text);
    }

    @GetMapping("/saml/discovery")
    public String discovery(@RequestParam(defaultValue = "") String q,
            @CookieValue(name = LAST_IDP, required = false) String last, Model model) {
        String query = q.length() > 200 ? q.substring(0, 200) : q;
        model.addAttribute("q", query);
        model.addAttribute("results", query.isBlank() ? List.of() : sources.search(query, 50));
        model.addAttribute("last", last == null ? null
                : sources.find(URLDecoder.decode(last, StandardCharsets.UTF_8)).orElse(null));
        return "saml-discovery";
    }

    @GetMapping("/saml/discovery/search")
    @ResponseBody
    public List<Map<String, Object>> search(@RequestParam(defaultValue = "") String q) {
        if (q.isBlank() || q.length() > 200) {
            return List.of();
        }
        return sources.search(q, 20).stream().map(idp -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("entityId", idp.entityId());
            entry.put("name", idp.displayName());
            entry.put("domains", idp.domains());
            entry.put("login", "/saml/login?idp=" + URLEncoder.encode(idp.entityId(), StandardCharsets.UTF_8));
            return entry;
        }).toList();
    }

    @GetMapping("/saml/login")
    public String login(@RequestParam(defaultValue = "") String idp, HttpServletRequest request,
            HttpServletResponse response, Model model) throws IOException {
        TesseraProperties.Saml.Sp sp = properties.saml().sp();
        if (!sp.configured()) {
            return message(model, response, HttpStatus.NOT_FOUND, "Institution login is off",
                    "This service does not offer login through your institution.");
        }
        Optional<SamlMetadataSources.Found> found = sources.findWithSource(idp);
        Optional<IdentityProvider> provider = found.map(SamlMetadataSources.Found::idp);
        if (provider.isEmpty()) {
            return message(model, response, HttpStatus.NOT_FOUND, "Unknown institution",
                    "No institution with this identifier is known here.");
        }
        if (provider.get().ssoRedirect() == null) {
            return message(model, response, HttpStatus.BAD_REQUEST, "Institution not supported",
                    provider.get().displayName() + " offers no login this service can use (HTTP-Redirect).");
        }
        Instant now = clock.instant();
        AuthnRequests.Redirect redirect;
        try {
            redirect = AuthnRequests.redirect(provider.get().ssoRedirect(), SamlAcsController.acsUrl(properties),
                    SpMetadataController.entityId(properties), null, keys.signingKey(),
                    now, found.get().source().requestMfa()
                            || eu.tessera.server.login.mfa.SecondFactor.waitingRequestAsksForMfa(request, response)
                            ? eu.tessera.server.login.mfa.AuthenticationMethods.ACR_MFA : null);
        } catch (SamlException e) {
            return message(model, response, HttpStatus.INTERNAL_SERVER_ERROR, "Login not started", e.getMessage());
        }
        jdbc.update("delete from saml_request where expires_at < ?", Timestamp.from(now));
        jdbc.update("insert into saml_request (id, idp_entity_id, created_at, expires_at) values (?, ?, ?, ?)",
                redirect.id(), provider.get().entityId(), Timestamp.from(now), Timestamp.from(now.plus(REQUEST_TTL)));
        SamlAcsController.started(request.getSession(), redirect.id());   // only this session may complete it
        Cookie remembered = new Cookie(LAST_IDP, URLEncoder.encode(provider.get().entityId(), StandardCharsets.UTF_8));
        remembered.setPath("/saml");
        remembered.setMaxAge((int) Duration.ofDays(365).toSeconds());
        remembered.setHttpOnly(true);
        remembered.setSecure(request.isSecure());
        remembered.setAttribute("SameSite", "Lax");
        response.addCookie(remembered);
        return "redirect:" + redirect.url();
    }
}
