package eu.tessera.server.oauth2.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestClock;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@TesseraIntegrationTest
class AuthorizationCodeIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestClock clock;
    TesseraHttp http;
    TesseraHttp browser;
    String verifier;

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
        browser = TesseraHttp.browser(properties.issuer());
        verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private String query(String scope) {
        return TesseraHttp.form("response_type", "code", "client_id", TestClients.DEMO_ID,
                "redirect_uri", TestClients.DEMO_REDIRECT, "scope", scope, "state", "st-1", "nonce", "n-1",
                "code_challenge", BrowserFlows.s256(verifier), "code_challenge_method", "S256");
    }

    private String code(String scope) {
        String redirect = BrowserFlows.authorize(browser, query(scope), TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        assertThat(redirect).startsWith(TestClients.DEMO_REDIRECT);
        assertThat(TesseraHttp.queryParameter(redirect, "state")).contains("st-1");
        return TesseraHttp.queryParameter(redirect, "code").orElseThrow(() -> new AssertionError(redirect));
    }

    private TesseraHttp.Response exchange(String code, String codeVerifier) {
        return http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type", "authorization_code",
                "code", code, "redirect_uri", TestClients.DEMO_REDIRECT, "code_verifier", codeVerifier);
    }

    private String accountId(String username) {
        return jdbc.queryForObject("select id from account where username = ?", String.class, username);
    }

    @Test
    void consentPageWhenScopesRequestedThenExplainsThemInWordsWithTheTechnicalNameBeside() {
        // a client alice never consented to, so that the consent page is shown
        String client = (String) http.sendJson("POST", "/register", "{\"client_name\":\"consent words\","
                + "\"redirect_uris\":[\"" + TestClients.DEMO_REDIRECT + "\"],\"grant_types\":[\"authorization_code\","
                + "\"refresh_token\"],\"scope\":\"openid offline_access wlcg.groups storage.read:/escape "
                + "compute.create\"}").json().get("client_id");
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(browser, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        String location = browser.get("/authorize?" + TesseraHttp.form("response_type", "code", "client_id", client,
                "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid offline_access wlcg.groups "
                + "storage.read:/escape/cms compute.create", "state", "st-2", "code_challenge",
                BrowserFlows.s256(verifier), "code_challenge_method", "S256")).location();
        for (int hops = 0; hops < 5 && location != null && !location.contains("/oauth2/consent")
                && location.startsWith(properties.issuer()); hops++) {
            location = browser.get(location).location();
        }
        assertThat(location).contains("/oauth2/consent");
        String consent = browser.get(location).body();
        assertThat(consent).contains("Read data under /escape/cms", "<code class=\"small\">storage.read:/escape/cms</code>",
                "Keep access while you are away", "See the groups you belong to", "Submit compute jobs for you");
    }

    @Test
    void codeFlowWhenGroupsRequestedThenTokensCarryProfileOrderedGroups() throws Exception {
        String code = code("openid profile email offline_access wlcg.groups:/escape/data-manager wlcg.groups "
                + "storage.read:/escape/cms");
        TesseraHttp.Response response = exchange(code, verifier);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Object> body = response.json();
        assertThat(body).containsKeys("access_token", "refresh_token", "id_token");

        JWTClaimsSet access = TokenVerifier.verify(http, (String) body.get("access_token")).getJWTClaimsSet();
        assertThat(access.getSubject()).isEqualTo(accountId(TestAccounts.ALICE));
        assertThat(access.getStringListClaim("wlcg.groups"))
                .containsExactly("/escape/data-manager", "/escape", "/escape/cms");
        assertThat(access.getStringClaim("wlcg.ver")).isEqualTo("1.0");
        assertThat(access.getStringClaim("scope")).startsWith("openid profile email offline_access "
                + "wlcg.groups:/escape/data-manager wlcg.groups storage.read:/escape/cms");
        assertThat(access.getAudience()).containsExactly("https://wlcg.cern.ch/jwt/v1/any");

        JWTClaimsSet id = TokenVerifier.verify(http, (String) body.get("id_token")).getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly(TestClients.DEMO_ID);
        assertThat(id.getStringClaim("nonce")).isEqualTo("n-1");
        assertThat(Duration.between(id.getIssueTime().toInstant(), id.getExpirationTime().toInstant()))
                .isEqualTo(properties.tokens().idTokenTtl());
        assertThat(id.getClaim("auth_time")).isNotNull();
        assertThat(id.getStringListClaim("wlcg.groups"))
                .containsExactly("/escape/data-manager", "/escape", "/escape/cms");

        TesseraHttp.Response userinfo = http.get("/userinfo", "Authorization", "Bearer " + body.get("access_token"));
        assertThat(userinfo.status()).as(userinfo.body() + userinfo.headers().map()).isEqualTo(200);
        assertThat(userinfo.json()).containsEntry("sub", accountId(TestAccounts.ALICE))
                .containsEntry("preferred_username", "alice").containsEntry("email", "alice@example.org");
        assertThat(userinfo.json().get("wlcg.groups")).asList()
                .containsExactly("/escape/data-manager", "/escape", "/escape/cms");
    }

    @Test
    void codeFlowWhenOptionalGroupNotRequestedThenOnlyDefaultGroups() throws Exception {
        TesseraHttp.Response response = exchange(code("openid wlcg.groups"), verifier);
        JWTClaimsSet access = TokenVerifier.verify(http, (String) response.json().get("access_token"))
                .getJWTClaimsSet();
        assertThat(access.getStringListClaim("wlcg.groups")).containsExactly("/escape", "/escape/cms");
        assertThat(response.json()).doesNotContainKey("refresh_token");
    }

    @Test
    void authorizeWhenGroupNotEntitledThenAccessDenied() {
        String redirect = BrowserFlows.authorize(browser, query("openid wlcg.groups:/escape/atlas"),
                TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        assertThat(TesseraHttp.queryParameter(redirect, "error")).contains("access_denied");
        assertThat(TesseraHttp.queryParameter(redirect, "code")).isEmpty();
    }

    @Test
    void authorizeWhenScopeWidensThenInvalidScopeRedirect() {
        String redirect = BrowserFlows.authorize(browser, query("openid storage.read:/"),
                TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        assertThat(TesseraHttp.queryParameter(redirect, "error")).contains("invalid_scope");
    }

    @Test
    void authorizeWhenRedirectUriMismatchThenErrorPageWithoutRedirect() {
        TesseraHttp.Response response = browser.get("/authorize?" + TesseraHttp.form("response_type", "code",
                "client_id", TestClients.DEMO_ID, "redirect_uri", "https://evil.example.org/cb", "scope", "openid",
                "state", "s"), "Accept", "text/html");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.location()).isNull();
        assertThat(response.body()).contains("This request cannot be completed").doesNotContain("Exception");
    }

    @Test
    void authorizeWhenClientMissingUnknownOrResponseTypeWrongThenErrorPage() {
        for (String query : new String[] {
                TesseraHttp.form("response_type", "code", "scope", "openid"),
                TesseraHttp.form("response_type", "code", "client_id", "no-such-client", "scope", "openid"),
                TesseraHttp.form("response_type", "code", "client_id", TestClients.DEMO_ID, "client_id", "x"),
                TesseraHttp.form("response_type", "code", "client_id", TestClients.DEMO_ID,
                        "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "x".repeat(1024 * 1024))}) {
            TesseraHttp.Response response = browser.get("/authorize?" + query, "Accept", "text/html");
            assertThat(response.status()).as(query.substring(0, Math.min(80, query.length()))).isEqualTo(400);
            assertThat(response.body()).doesNotContain("Exception");
        }
        // implicit grant (RFC 9700 section 2.1.2): refused before anything is issued
        TesseraHttp.Response implicit = browser.get("/authorize?" + TesseraHttp.form("response_type", "token",
                "client_id", TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid",
                "state", "s"), "Accept", "text/html");
        assertThat(implicit.status()).isEqualTo(400);
        assertThat(implicit.location()).isNull();
    }

    @Test
    void endSessionWhenIdTokenHintThenSessionEnded() {
        TesseraHttp.Response tokens = exchange(code("openid"), verifier);
        String idToken = (String) tokens.json().get("id_token");
        TesseraHttp.Response logout = browser.get("/connect/logout?" + TesseraHttp.form("id_token_hint", idToken));
        assertThat(logout.status()).isIn(200, 302);
        TesseraHttp.Response again = browser.get("/authorize?" + query("openid"));
        assertThat(again.status()).isEqualTo(302);
        assertThat(again.location()).as("login needed again").endsWith("/login");
        TesseraHttp.Response badHint = browser.get("/connect/logout?id_token_hint=not-a-token", "Accept", "text/html");
        assertThat(badHint.status()).isEqualTo(400);
    }

    @Test
    void tokenWhenPkceVerifierMissingOrWrongThenInvalidGrant() {
        TesseraHttp.Response wrong = exchange(code("openid"), "wrong-verifier-" + UUID.randomUUID());
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json()).containsEntry("error", "invalid_grant");
        TesseraHttp.Response missing = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET,
                "grant_type", "authorization_code", "code", code("openid"), "redirect_uri", TestClients.DEMO_REDIRECT);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json()).containsEntry("error", "invalid_grant");
    }

    @Test
    void tokenWhenRedirectUriDiffersFromAuthorizeThenInvalidGrant() {
        TesseraHttp.Response response = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET,
                "grant_type", "authorization_code", "code", code("openid"),
                "redirect_uri", "http://localhost:9876/callback", "code_verifier", verifier);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json()).containsEntry("error", "invalid_grant");
    }

    @Test
    void tokenWhenCodeReusedThenInvalidGrantAndFirstTokensRevoked() {
        String code = code("openid offline_access");
        TesseraHttp.Response first = exchange(code, verifier);
        assertThat(first.status()).isEqualTo(200);
        String access = (String) first.json().get("access_token");
        String refresh = (String) first.json().get("refresh_token");
        assertThat(http.get("/userinfo", "Authorization", "Bearer " + access).status()).isEqualTo(200);

        TesseraHttp.Response second = exchange(code, verifier);
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.json()).containsEntry("error", "invalid_grant");

        String jti = (String) TokenVerifier.verify(http, access).getPayload().toJSONObject().get("jti");
        assertThat(jdbc.queryForObject("select count(*) from revoked_token where jti = ?", Long.class, jti))
                .isEqualTo(1);
        assertThat(http.get("/userinfo", "Authorization", "Bearer " + access).status()).isEqualTo(401);
        TesseraHttp.Response refreshed = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET,
                "grant_type", "refresh_token", "refresh_token", refresh);
        assertThat(refreshed.status()).isEqualTo(400);
        assertThat(refreshed.json()).containsEntry("error", "invalid_grant");
    }

    @Test
    void tokenWhenCodeExpiredThenInvalidGrant() throws InterruptedException {
        String code = code("openid");
        Thread.sleep(properties.tokens().authorizationCodeTtl().plusMillis(1500).toMillis());
        TesseraHttp.Response response = exchange(code, verifier);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json()).containsEntry("error", "invalid_grant");
    }

    @Test
    void refreshWhenUsedThenRotatedAndReuseAfterGraceRevokesFamily() throws Exception {
        TesseraHttp.Response initial = exchange(code("openid offline_access wlcg.groups"), verifier);
        String refresh1 = (String) initial.json().get("refresh_token");
        assertThat(jdbc.queryForObject("select count(*) from refresh_token where token_hash like ?", Long.class,
                refresh1)).as("refresh tokens are stored hashed").isZero();

        TesseraHttp.Response second = refresh(refresh1);
        assertThat(second.status()).isEqualTo(200);
        String refresh2 = (String) second.json().get("refresh_token");
        assertThat(refresh2).isNotBlank().isNotEqualTo(refresh1);
        JWTClaimsSet claims = TokenVerifier.verify(http, (String) second.json().get("access_token")).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("wlcg.groups")).containsExactly("/escape", "/escape/cms");

        // within the grace period the rotated token still works (a lost response can be retried)
        TesseraHttp.Response retry = refresh(refresh1);
        assertThat(retry.status()).isEqualTo(200);
        String refresh3 = (String) retry.json().get("refresh_token");
        String access3 = (String) retry.json().get("access_token");
        // the family: three tokens stored, only the newest active, the two it replaced rotated
        assertThat(jdbc.queryForList("select t.status from refresh_token t join refresh_token n on t.authorization_id"
                + " = n.authorization_id where n.token_hash = ? order by t.issued_at", String.class,
                eu.tessera.server.oauth2.client.ClientSecrets.sha256(refresh3)))
                .containsExactlyInAnyOrder("ROTATED", "ROTATED", "ACTIVE");

        clock.advance(properties.tokens().refreshGracePeriod().plus(Duration.ofSeconds(5)));
        TesseraHttp.Response reuse = refresh(refresh1);
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.json()).containsEntry("error", "invalid_grant");
        // the whole family is revoked, including the newest token and its access token
        assertThat(refresh(refresh3).json()).containsEntry("error", "invalid_grant");
        assertThat(refresh(refresh2).json()).containsEntry("error", "invalid_grant");
        assertThat(http.get("/userinfo", "Authorization", "Bearer " + access3).status()).isEqualTo(401);
    }

    @Test
    void refreshWhenStoragePathNarrowedThenTokenCarriesNarrowScopeAndFamilyKeepsItsScopes() throws Exception {
        TesseraHttp.Response initial = exchange(code("openid offline_access storage.read:/escape"), verifier);
        TesseraHttp.Response narrow = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET,
                "grant_type", "refresh_token", "refresh_token", (String) initial.json().get("refresh_token"),
                "scope", "storage.read:/escape/cms");
        assertThat(narrow.status()).as(narrow.body()).isEqualTo(200);
        assertThat(narrow.json()).containsEntry("scope", "storage.read:/escape/cms");
        assertThat(TokenVerifier.verify(http, (String) narrow.json().get("access_token")).getJWTClaimsSet()
                .getStringClaim("scope")).isEqualTo("storage.read:/escape/cms");
        TesseraHttp.Response whole = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET,
                "grant_type", "refresh_token", "refresh_token", (String) narrow.json().get("refresh_token"));
        assertThat(whole.status()).isEqualTo(200);
        assertThat(((String) whole.json().get("scope")).split(" "))
                .containsExactlyInAnyOrder("openid", "offline_access", "storage.read:/escape");
        TesseraHttp.Response other = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET,
                "grant_type", "refresh_token", "refresh_token", (String) whole.json().get("refresh_token"),
                "scope", "storage.read:/escapeX");
        assertThat(other.json()).containsEntry("error", "invalid_scope");
    }

    @Test
    void refreshWhenClientIsNotTheFamilysThenInvalidGrant() {
        TesseraHttp.Response initial = exchange(code("openid offline_access"), verifier);
        TesseraHttp.Response stolen = http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET,
                "grant_type", "refresh_token", "refresh_token", (String) initial.json().get("refresh_token"));
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.json()).containsEntry("error", "invalid_grant");
    }

    @Test
    void refreshWhenScopeWidenedThenInvalidScope() {
        TesseraHttp.Response initial = exchange(code("openid offline_access"), verifier);
        TesseraHttp.Response widened = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET,
                "grant_type", "refresh_token", "refresh_token", (String) initial.json().get("refresh_token"),
                "scope", "openid offline_access storage.read:/escape");
        assertThat(widened.status()).isEqualTo(400);
        assertThat(widened.json()).containsEntry("error", "invalid_scope");
    }

    private TesseraHttp.Response refresh(String token) {
        return http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type", "refresh_token",
                "refresh_token", token);
    }
}
