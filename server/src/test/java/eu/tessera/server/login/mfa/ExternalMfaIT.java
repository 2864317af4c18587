package eu.tessera.server.login.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.account.ExternalIdentities;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.login.saml.SamlMetadataSources;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.ChromiumBrowser;
import eu.tessera.server.testsupport.SimpleSamlPhpIdp;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestSaml;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import eu.tessera.server.testsupport.UpstreamTessera;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * MFA from a home institution, with a real IdP (Debian's SimpleSAMLphp) and a real browser: a member with an
 * authenticator app who logs in through the IdP is asked for a code when the IdP asserts a password login, and is
 * not when the IdP asserts the REFEDS MFA profile, which Tessera asks it for (RequestedAuthnContext) when the client
 * asked Tessera for MFA ({@code acr_values}); the ID token then says {@code acr} REFEDS MFA. The same with an external
 * OpenID provider, a second real Tessera ({@link UpstreamTessera}): a login there is followed by the code here, and
 * when the client asks for MFA, Tessera passes {@code acr_values} on, the upstream makes its user set up and use an
 * authenticator app, and its ID token's {@code acr} counts here.
 */
@TesseraIntegrationTest
class ExternalMfaIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    MfaService mfa;
    @Autowired
    ExternalIdentities identities;
    @Autowired
    SamlMetadataSources sources;

    private final SimpleSamlPhpIdp idp = SimpleSamlPhpIdp.get();
    private String account;
    private String previousOwner;

    @BeforeEach
    void setUp() {
        idp.start(properties.issuer(), TestSaml.get().spSigner.certificate());
        assertThat(sources.refresh("local").orElseThrow().identityProviders()).isEqualTo(1);
        account = TestAccounts.insert(jdbc, encoder, "xmfa", "external-mfa-password");
        // the IdP's one user becomes this account's identity for the test (another test links it to alice)
        var existing = identities.find("SAML", SimpleSamlPhpIdp.ENTITY_ID, SimpleSamlPhpIdp.UNIQUE_ID);
        if (existing.isPresent()) {
            previousOwner = existing.get().accountId();
            jdbc.update("update account_identity set account_id = ? where id = ?", account, existing.get().id());
        } else {
            identities.link(account, "SAML", SimpleSamlPhpIdp.DISPLAY_NAME, SimpleSamlPhpIdp.ENTITY_ID,
                    SimpleSamlPhpIdp.UNIQUE_ID, "eduPersonUniqueId", null, account);
        }
        // an authenticator app, set up as the account page does
        MfaService.Enrolment enrolment = mfa.startTotp(account, TestAccounts.username(jdbc, account));
        assertThat(mfa.confirmTotp(account, Totp.code(Base32.decode(enrolment.secret()),
                Totp.step(java.time.Instant.now())), "127.0.0.1")).isPresent();
    }

    @AfterEach
    void tearDown() {
        if (previousOwner != null) {
            jdbc.update("update account_identity set account_id = ? where account_id = ? and subject = ?",
                    previousOwner, account, SimpleSamlPhpIdp.UNIQUE_ID);
        }
        jdbc.update("delete from account where id = ?", account);
    }

    private String authorize(String verifier, String... extra) {
        List<String> pairs = new ArrayList<>(List.of("response_type", "code", "client_id", TestClients.DEMO_ID,
                "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid", "state", "s", "nonce", "n",
                "code_challenge", BrowserFlows.s256(verifier), "code_challenge_method", "S256"));
        pairs.addAll(List.of(extra));
        return "/authorize?" + TesseraHttp.form(pairs.toArray(String[]::new));
    }

    /** From Tessera's login page through the IdP's form; back from it (at Tessera, or already at the client). */
    private void institutionLogin(ChromiumBrowser chromium) {
        WebDriverWait wait = new WebDriverWait(chromium.driver(), Duration.ofSeconds(20));
        wait.until(ExpectedConditions.urlContains("/login"));
        chromium.open("/saml/login?idp=" + URLEncoder.encode(SimpleSamlPhpIdp.ENTITY_ID, StandardCharsets.UTF_8));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        chromium.find(By.id("username")).sendKeys(SimpleSamlPhpIdp.USERNAME);
        chromium.find(By.id("password")).sendKeys(SimpleSamlPhpIdp.PASSWORD);
        chromium.find(By.id("password")).submit();
        try {
            wait.until(d -> !d.getCurrentUrl().startsWith(idp.base()) && !d.getCurrentUrl().contains("/saml/"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("stuck at " + chromium.driver().getCurrentUrl() + ": " + chromium.driver()
                    .getPageSource() + "\nIdP log:\n" + idp.log(), e);
        }
    }

    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<");
    private static final Pattern CONTINUE = Pattern.compile("id=\"continue\" href=\"([^\"]+)\"");

    /**
     * Follows redirects like a browser through Tessera and the upstream: Tessera's login page goes to the upstream
     * (trusted provider), the upstream's login form gets the user's password, the upstream's enrolment page (when
     * it asks for a second factor) an authenticator app set up with its secret, consent pages are approved. Stops
     * at the demo client or at Tessera's own second-factor page; {@code upstreamRequests} collects the
     * authorization requests Tessera sent the upstream.
     */
    private TesseraHttp.Response through(TesseraHttp browser, String url, String user, List<String> upstreamRequests) {
        UpstreamTessera upstream = UpstreamTessera.get();
        TesseraHttp.Response response = browser.get(url);
        String current = url;
        for (int hops = 0; hops < 30; hops++) {
            if (response.status() != 302) {
                return response;
            }
            String location = URI.create(current).resolve(response.location()).toString();
            if (location.startsWith(TestClients.DEMO_REDIRECT) || location.equals(properties.issuer() + "/login/mfa")) {
                return response;
            }
            if (location.equals(properties.issuer() + "/login")) {
                location = properties.issuer() + "/oauth2/authorization/upstream-jit";
            } else if (location.startsWith(upstream.issuer() + "/authorize")) {
                upstreamRequests.add(location);
            } else if (location.equals(upstream.issuer() + "/login")) {
                String page = browser.get(location).body();
                response = browser.postForm(location, TesseraHttp.form("username", user, "password",
                        user + "-password", "_csrf", BrowserFlows.csrf(page)));
                current = location;
                continue;
            } else if (location.startsWith(upstream.issuer() + "/account/mfa")) {
                // the upstream asks its user for a second factor: set up an app there, as its page shows it
                String page = browser.get(location).body();
                browser.postForm(upstream.issuer() + "/account/mfa/totp", TesseraHttp.form("_csrf",
                        BrowserFlows.csrf(page)));
                String setup = browser.get(upstream.issuer() + "/account/mfa").body();
                Matcher secret = SECRET.matcher(setup);
                assertThat(secret.find()).as(setup).isTrue();
                String codes = browser.postForm(upstream.issuer() + "/account/mfa/totp/confirm", TesseraHttp.form(
                        "code", Totp.code(Base32.decode(secret.group(1)), Totp.step(java.time.Instant.now())),
                        "_csrf", BrowserFlows.csrf(setup))).body();
                Matcher next = CONTINUE.matcher(codes);
                assertThat(next.find()).as(codes).isTrue();
                location = URI.create(upstream.issuer()).resolve(next.group(1).replace("&amp;", "&")).toString();
            } else if (location.contains("/oauth2/consent")) {
                TesseraHttp.Response consent = browser.get(location);
                response = BrowserFlows.approve(browser, consent.body(),
                        TesseraHttp.queryParameter(location, "client_id").get());
                current = location;
                continue;
            }
            response = browser.get(location);
            current = location;
        }
        throw new AssertionError("too many redirects");
    }

    @Test
    void providerLoginWhenUpstreamDidMfaThenCountedOtherwiseCodeAskedAndAcrValuesPassedOn() throws Exception {
        UpstreamTessera upstream = UpstreamTessera.get();
        upstream.start(properties.issuer());
        String user = "mfa-" + UUID.randomUUID().toString().substring(0, 6);
        upstream.user(user, user + "@upstream.example.org", user + "-password");
        // a first login creates the account here (trusted provider); it then sets up an authenticator app here
        List<String> sent = new ArrayList<>();
        TesseraHttp.Response first = through(TesseraHttp.browser(properties.issuer()), properties.issuer()
                + "/oauth2/authorization/upstream-jit", user, sent);
        assertThat(first.status()).as(first.body()).isEqualTo(200);   // signed in, on a page of Tessera's
        String local = jdbc.queryForObject("select id from account where email = ?", String.class,
                user + "@upstream.example.org");
        try {
            MfaService.Enrolment enrolment = mfa.startTotp(local, user);
            assertThat(mfa.confirmTotp(local, Totp.code(Base32.decode(enrolment.secret()),
                    Totp.step(java.time.Instant.now())), "127.0.0.1")).isPresent();

            // the upstream's login alone is one factor: Tessera asks for its own code
            sent.clear();
            TesseraHttp.Response plain = through(TesseraHttp.browser(properties.issuer()), properties.issuer()
                    + authorize("w".repeat(43)), user, sent);
            assertThat(plain.location()).isEqualTo(properties.issuer() + "/login/mfa");
            assertThat(sent).isNotEmpty().noneMatch(request -> request.contains("acr_values"));

            // the client asks for MFA: the upstream is asked too, sets its user up with an app, says acr MFA
            sent.clear();
            String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
            TesseraHttp browser = TesseraHttp.browser(properties.issuer());
            TesseraHttp.Response done = through(browser, properties.issuer() + authorize(verifier, "acr_values",
                    AuthenticationMethods.ACR_MFA), user, sent);
            assertThat(sent).anyMatch(request -> AuthenticationMethods.ACR_MFA.equals(TesseraHttp.queryParameter(
                    request, "acr_values").orElse(null)));
            assertThat(done.location()).startsWith(TestClients.DEMO_REDIRECT);
            String code = TesseraHttp.queryParameter(done.location(), "code").orElseThrow();
            TesseraHttp http = TesseraHttp.to(properties.issuer());
            SignedJWT jwt = TokenVerifier.verify(http, (String) BrowserFlows.redeemDemoCode(http, code, verifier)
                    .json().get("id_token"));
            assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(local);
            assertThat(jwt.getJWTClaimsSet().getStringClaim("acr")).isEqualTo(AuthenticationMethods.ACR_MFA);
            assertThat(jwt.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("mfa");
        } finally {
            jdbc.update("delete from account where id = ?", local);
        }
    }

    @Test
    void institutionLoginWhenIdpAssertsRefedsMfaThenCountedOtherwiseCodeAsked() throws Exception {
        try (ChromiumBrowser chromium = new ChromiumBrowser(properties.issuer())) {
            // a plain password login at the IdP: one factor, so the authenticator app's code is asked
            chromium.open(authorize("v".repeat(43)));
            institutionLogin(chromium);
            new WebDriverWait(chromium.driver(), Duration.ofSeconds(15)).until(ExpectedConditions.urlContains(
                    "/login/mfa"));
            assertThat(chromium.text()).contains("6-digit");
            assertThat(jdbc.queryForObject("select details from audit_event where event_type = 'login.success' and "
                    + "actor = ? order by id desc limit 1", String.class, account)).contains("saml")
                    .doesNotContain("mfa");

            // the client asks for MFA: Tessera asks the IdP, which asserts REFEDS MFA, which counts
            chromium.open("/login");
            chromium.driver().manage().deleteAllCookies();   // Tessera's and the IdP's (one host)
            String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
            chromium.open(authorize(verifier, "acr_values", AuthenticationMethods.ACR_MFA));
            institutionLogin(chromium);
            assertThat(chromium.driver().getCurrentUrl()).doesNotContain("/login/mfa");
            String code = chromium.authorizationCode();
            TesseraHttp http = TesseraHttp.to(properties.issuer());
            SignedJWT jwt = TokenVerifier.verify(http, (String) BrowserFlows.redeemDemoCode(http, code, verifier)
                    .json().get("id_token"));
            assertThat(jwt.getJWTClaimsSet().getStringClaim("acr")).isEqualTo(AuthenticationMethods.ACR_MFA);
            assertThat(jwt.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("mfa");
            assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(account);
            assertThat(jdbc.queryForObject("select details from audit_event where event_type = 'login.success' and "
                    + "actor = ? order by id desc limit 1", String.class, account)).contains("saml")
                    .containsPattern("mfa\\W+true");
        }
    }
}
