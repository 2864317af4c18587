package eu.tessera.server.login.x509;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.VomsTestPki;
import eu.tessera.voms.testpki.TestPki;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Login with an X.509 certificate on Tessera's certificate port (a real TLS client presenting end-entity
 * certificates and RFC 3820 proxies) and through a trusted TLS-terminating proxy's headers; self-service linking
 * of the presented certificate; the last way to log in cannot be unlinked.
 */
@TesseraIntegrationTest
class X509LoginIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    private final VomsTestPki pki = VomsTestPki.get();

    /** A browser on the certificate port presenting {@code client} (null: none), with cookies. */
    private HttpClient browser(TestPki.Credential client) throws Exception {
        SSLContext context = pki.sslContext(client);
        return HttpClient.newBuilder().sslContext(context).cookieHandler(new CookieManager(null,
                CookiePolicy.ACCEPT_ALL)).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private String secure(String path) {
        return "https://127.0.0.1:" + pki.x509Port + path;
    }

    private HttpResponse<String> get(HttpClient browser, String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(secure(path))).header("Accept", "text/html").GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(HttpClient browser, String path, String form) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(secure(path))).header("Content-Type",
                "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String adminToken() {
        return TestClients.adminToken(properties.issuer(), "iam:admin.write scim:write");
    }

    /** A new account without a password, and a new certificate for it (not linked yet). */
    private String[] newAccount() {
        String username = "x509-" + UUID.randomUUID().toString().substring(0, 8);
        String id = (String) TesseraHttp.to(properties.issuer()).sendJson("POST", "/scim/Users", "{\"userName\":\""
                + username + "\",\"emails\":[{\"value\":\"" + username + "@example.org\"}]}", "Authorization",
                "Bearer " + adminToken()).json().get("id");
        return new String[] {id, username};
    }

    private void link(String accountId, TestPki.Credential credential) {
        assertThat(TesseraHttp.to(properties.issuer()).sendJson("POST", "/iam/account/" + accountId + "/certificates",
                "{\"pem\":\"" + TestPki.pem(credential.certificate()).replace("\n", "\\n") + "\"}", "Authorization",
                "Bearer " + adminToken()).status()).isEqualTo(201);
    }

    private TestPki.Credential newCertificate(String cn) {
        return TestPki.endEntity(pki.ca, "C=IT,O=Tessera Test,OU=Users,CN=" + cn, false);
    }

    @org.springframework.beans.factory.annotation.Autowired
    eu.tessera.server.login.mfa.MfaService mfa;

    @Test
    void certificateLoginWhenAccountHasAuthenticatorThenCodeAskedBeforeAnyPage() throws Exception {
        String[] account = newAccount();
        TestPki.Credential certificate = newCertificate("Mfa " + account[1]);
        link(account[0], certificate);
        eu.tessera.server.login.mfa.MfaService.Enrolment enrolment = mfa.startTotp(account[0], account[1]);
        java.util.Optional<java.util.List<String>> codes = mfa.confirmTotp(account[0],
                eu.tessera.server.login.mfa.TotpCodes.now(enrolment.secret(), 0), "127.0.0.1");
        assertThat(codes).isPresent();
        HttpClient browser = browser(certificate);
        assertThat(get(browser, "/login/x509").statusCode()).isEqualTo(302);
        HttpResponse<String> page = get(browser, "/account");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login/mfa");
        String form = get(browser, "/login/mfa").body();
        // a recovery code (the TOTP code of this step is spent by the enrolment)
        HttpResponse<String> accepted = post(browser, "/login/mfa", TesseraHttp.form("code", codes.get().get(0),
                "_csrf", BrowserFlows.csrf(form)));
        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(get(browser, "/account").statusCode()).isEqualTo(200);
    }

    @Test
    void linkedCertificateOrItsProxyThenLoggedInAndOthersRefusedWithAReason() throws Exception {
        String[] account = newAccount();
        TestPki.Credential certificate = newCertificate("Login " + account[1]);

        HttpResponse<String> unlinked = get(browser(certificate), "/login/x509");
        assertThat(unlinked.statusCode()).isEqualTo(401);
        assertThat(unlinked.body()).contains("is not linked to an account");

        link(account[0], certificate);
        HttpClient browser = browser(certificate);
        HttpResponse<String> login = get(browser, "/login/x509");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/account");
        HttpResponse<String> page = get(browser, "/account");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(account[1]);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'login.success' and "
                + "actor = ? and details like '%x509%'", Long.class, account[0])).isEqualTo(1);

        // an authorization-code flow (demo client) completed in that certificate session: the ID token has auth_time
        String verifier = "w".repeat(50);
        HttpResponse<String> authorize = get(browser, "/authorize?" + TesseraHttp.form("response_type", "code",
                "client_id", TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid",
                "state", "s", "code_challenge", BrowserFlows.s256(verifier), "code_challenge_method", "S256"));
        String location = authorize.headers().firstValue("Location").orElseThrow();
        if (location.contains("/oauth2/consent")) {   // asked once per client and account
            String consent = get(browser, location.substring(location.indexOf("/oauth2/consent"))).body();
            java.util.regex.Matcher state = java.util.regex.Pattern.compile(
                    "name=\"state\"[^>]*value=\"([^\"]+)\"").matcher(consent);
            assertThat(state.find()).isTrue();
            location = post(browser, "/authorize", TesseraHttp.form("client_id", TestClients.DEMO_ID, "state",
                    state.group(1).replace("&amp;", "&"), "scope", "openid", "_csrf", BrowserFlows.csrf(consent)))
                    .headers().firstValue("Location").orElseThrow();
        }
        String code = TesseraHttp.queryParameter(location, "code").orElseThrow(() -> new AssertionError("no code"));
        java.util.Map<String, Object> tokens = TesseraHttp.to(properties.issuer()).token(TestClients.DEMO_ID,
                TestClients.DEMO_SECRET, "grant_type", "authorization_code", "code", code, "redirect_uri",
                TestClients.DEMO_REDIRECT, "code_verifier", verifier).json();
        assertThat(com.nimbusds.jwt.SignedJWT.parse((String) tokens.get("id_token")).getJWTClaimsSet()
                .getDateClaim("auth_time")).isNotNull();

        // an RFC 3820 proxy of the certificate: the chain is validated by Tessera, the account is the same
        HttpClient proxied = browser(TestPki.proxy(certificate, true));
        assertThat(get(proxied, "/login/x509").statusCode()).isEqualTo(302);
        assertThat(get(proxied, "/account").body()).contains(account[1]);

        // no certificate; the same name from a CA Tessera does not trust
        HttpResponse<String> none = get(browser(null), "/login/x509");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("did not present a client certificate");
        HttpResponse<String> stranger = get(browser(pki.stranger), "/login/x509");
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.body()).contains("Your certificate was not accepted");

        // the last way to log in of an account without password cannot be unlinked
        String accountPage = get(browser, "/account").body();
        String certificateId = jdbc.queryForObject("select id from account_certificate where account_id = ?",
                String.class, account[0]);
        HttpResponse<String> unlink = post(browser, "/account/certificates/" + certificateId + "/unlink",
                "_csrf=" + URLEncoder.encode(BrowserFlows.csrf(accountPage), StandardCharsets.UTF_8));
        assertThat(unlink.statusCode()).isEqualTo(409);
        assertThat(unlink.body()).contains("the only way to log in");
        assertThat(jdbc.queryForObject("select count(*) from account_certificate where account_id = ?", Long.class,
                account[0])).isEqualTo(1);

        // a suspended account is not logged in
        TesseraHttp.to(properties.issuer()).sendJson("POST", "/iam/account/" + account[0] + "/suspend", "{}",
                "Authorization", "Bearer " + adminToken());
        HttpResponse<String> suspended = get(browser(certificate), "/login/x509");
        assertThat(suspended.statusCode()).isEqualTo(403);
        assertThat(suspended.body()).contains("suspended or expired");
    }

    @Test
    void trustedProxyHeadersThenLoggedInAndTheSameHeadersFromElsewhereIgnored() {
        String[] account = newAccount();
        TestPki.Credential certificate = newCertificate("Proxy " + account[1]);
        link(account[0], certificate);
        String pem = URLEncoder.encode(TestPki.pem(certificate.certificate()), StandardCharsets.UTF_8);
        String viaProxy = TesseraHttp.raw(properties.issuer(), "127.0.0.2", "GET", "/login/x509",
                "X-SSL-Client-Verify: SUCCESS", "X-SSL-Client-Cert: " + pem);
        assertThat(viaProxy).startsWith("HTTP/1.1 302").containsPattern("Location: [^\\r]*/account");
        String forged = TesseraHttp.raw(properties.issuer(), "127.0.0.1", "GET", "/login/x509",
                "X-SSL-Client-Verify: SUCCESS", "X-SSL-Client-Cert: " + pem);
        assertThat(forged).startsWith("HTTP/1.1 401").contains("did not present a client certificate");
        String unverified = TesseraHttp.raw(properties.issuer(), "127.0.0.2", "GET", "/login/x509",
                "X-SSL-Client-Verify: FAILED:unknown CA", "X-SSL-Client-Cert: " + pem);
        assertThat(unverified).startsWith("HTTP/1.1 401").contains("not accepted");
    }

    @Test
    void memberLinksTheCertificateTheirBrowserPresentsThenLogsInWithIt() throws Exception {
        TestPki.Credential certificate = newCertificate("Alice Browser " + UUID.randomUUID().toString().substring(0, 6));
        HttpClient browser = browser(certificate);
        String loginPage = get(browser, "/login").body();
        assertThat(loginPage).contains("Log in with your certificate");
        post(browser, "/login", "username=alice&password=" + TestAccounts.ALICE_PASSWORD + "&_csrf="
                + URLEncoder.encode(BrowserFlows.csrf(loginPage), StandardCharsets.UTF_8));
        String accountPage = get(browser, "/account").body();
        assertThat(accountPage).contains("Link my browser");
        String csrf = URLEncoder.encode(BrowserFlows.csrf(accountPage), StandardCharsets.UTF_8);
        HttpResponse<String> linked = post(browser, "/account/certificates/link-current", "_csrf=" + csrf);
        assertThat(linked.statusCode()).isEqualTo(302);
        assertThat(linked.headers().firstValue("Location").orElseThrow()).endsWith("/account?linked");
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        assertThat(jdbc.queryForObject("select account_id from account_certificate where subject_dn like ?",
                String.class, "%CN=Alice Browser%")).isEqualTo(aliceId);
        assertThat(post(browser, "/account/certificates/link-current", "_csrf=" + csrf).body())
                .contains("already linked to your account");
        assertThat(post(browser, "/account/certificates/link-current", "").statusCode()).isEqualTo(403);   // CSRF

        HttpClient fresh = browser(certificate);
        assertThat(get(fresh, "/login/x509").statusCode()).isEqualTo(302);
        assertThat(get(fresh, "/account").body()).contains("alice");
        jdbc.update("delete from account_certificate where subject_dn like ?", "%CN=Alice Browser%");
    }
}
