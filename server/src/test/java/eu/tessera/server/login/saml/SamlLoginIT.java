package eu.tessera.server.login.saml;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestSaml;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The start of a SAML login: discovery (search by name or domain, JSON for type-ahead, the last choice remembered)
 * and the signed HTTP-Redirect AuthnRequest to the chosen IdP, recorded for InResponseTo.
 */
@TesseraIntegrationTest
class SamlLoginIT {

    private static final String IDP2 = "https://idp2.example2.org/idp/shibboleth";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    private static Map<String, String> query(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : java.net.URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return parameters;
    }

    @Test
    void discoveryFindsByNameOrDomainAndLoginRedirectsWithASignedRequestAndRemembersTheChoice() throws Exception {
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        assertThat(browser.get("/login").body()).contains("Log in through your institution");
        String page = browser.get("/saml/discovery?q=" + URLEncoder.encode("university 2", StandardCharsets.UTF_8))
                .body();
        assertThat(page).contains("University 2 (en)", "href=\"/saml/login?idp=" + IDP2 + "\"");
        assertThat(browser.get("/saml/discovery/search?q=example2.org", "Accept", "application/json").body())
                .contains("\"entityId\":\"" + IDP2 + "\"", "\"name\":\"University 2 (en)\"");
        assertThat(browser.get("/saml/discovery?q=%3Cscript%3E").body()).contains("&lt;script&gt;")
                .doesNotContain("value=\"<script>");

        TesseraHttp.Response login = browser.get("/saml/login?idp=" + URLEncoder.encode(IDP2, StandardCharsets.UTF_8));
        assertThat(login.status()).isEqualTo(302);
        String location = login.location();
        assertThat(location).startsWith("https://idp2.example2.org/idp/profile/SAML2/Redirect/SSO?SAMLRequest=");
        Map<String, String> raw = query(location);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(TestSaml.get().spSigner.certificate().getPublicKey());
        verifier.update(("SAMLRequest=" + raw.get("SAMLRequest") + "&SigAlg=" + raw.get("SigAlg"))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(URLDecoder.decode(raw.get("Signature"),
                StandardCharsets.UTF_8)))).isTrue();
        String request = TestSaml.authnRequest(location);
        assertThat(request).contains("AssertionConsumerServiceURL=\"" + properties.issuer() + "/saml/acs\"",
                "<saml:Issuer>" + properties.issuer() + "/saml/metadata</saml:Issuer>");
        String id = request.replaceAll("(?s).* ID=\"([^\"]+)\".*", "$1");
        assertThat(jdbc.queryForObject("select idp_entity_id from saml_request where id = ?", String.class, id))
                .isEqualTo(IDP2);

        assertThat(browser.get("/saml/discovery").body()).contains("Last time:", "University 2 (en)");
    }

    @Test
    void unknownInstitutionThenAPageNotAnError() {
        TesseraHttp.Response unknown = TesseraHttp.browser(properties.issuer()).get("/saml/login?idp="
                + URLEncoder.encode("https://nowhere.example.org/idp", StandardCharsets.UTF_8));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("No institution with this identifier");
        assertThat(TesseraHttp.browser(properties.issuer()).get("/saml/login").status()).isEqualTo(404);
    }
}
