package eu.tessera.server.aup;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestClock;
import eu.tessera.server.testsupport.TestMail;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.UserTokens;
import eu.tessera.server.testsupport.VomsTestPki;
import eu.tessera.voms.VomsError;
import eu.tessera.voms.protocol.VomsResponse;
import eu.tessera.voms.testpki.TestPki;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The AUP end to end: publishing a version asks everyone to sign; until then no user-bound token or VOMS AC is
 * issued and the browser flow stops at the signing page; reminders and expiry notices are mailed once each.
 */
@TesseraIntegrationTest
class AupIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestClock clock;
    @Autowired
    AupReminderJob reminders;
    TesseraHttp http;
    String admin;
    String aliceId;
    final VomsTestPki pki = VomsTestPki.get();
    final TestMail mail = TestMail.get();

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
        admin = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read iam:admin.write").json().get("access_token");
        aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        jdbc.update("delete from account_certificate");
        assertThat(http.sendJson("POST", "/iam/account/" + aliceId + "/certificates",
                "{\"pem\":\"" + TestPki.pem(pki.alice.certificate()).replace("\n", "\\n") + "\"}",
                "Authorization", admin).status()).isEqualTo(201);
    }

    @AfterEach
    void withdraw() {
        clock.reset();
        String fresh = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.write").json().get("access_token");
        http.sendJson("DELETE", "/iam/aup", null, "Authorization", fresh);
        assertThat(jdbc.queryForObject("select count(*) from aup", Integer.class)).isZero();
    }

    private TesseraHttp.Response refresh(String refreshToken) {
        return http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type", "refresh_token",
                "refresh_token", refreshToken);
    }

    private VomsResponse voms() throws Exception {
        String response = pki.get(pki.alice, "fqans=/escape");
        return VomsResponse.parse(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void aNewVersionMustBeSignedBeforeTokensOrAcs() throws Exception {
        Map<String, Object> tokens = UserTokens.alice(properties.issuer(), "openid offline_access");
        String refreshToken = (String) tokens.get("refresh_token");
        assertThat(http.get("/iam/aup").status()).isEqualTo(404);

        TesseraHttp.Response published = http.sendJson("POST", "/iam/aup", "{\"text\":\"Be nice.\\n<script>alert(1)"
                + "</script>\",\"signatureValidityDays\":10,\"reminderDays\":[5,1]}", "Authorization", admin);
        assertThat(published.status()).as(published.body()).isEqualTo(201);
        assertThat(http.get("/iam/aup").body()).contains("\"version\":1", "\"signatureValidityInDays\":10");
        assertThat(http.get("/iam/aup/signature/" + aliceId, "Authorization", admin).body())
                .contains("\"mustSign\":true");

        TesseraHttp.Response refused = refresh(refreshToken);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("invalid_grant", "acceptable use policy");
        VomsResponse ac = voms();
        assertThat(ac).isInstanceOfSatisfying(VomsResponse.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(VomsError.SuspendedUser);
            assertThat(f.message()).contains("acceptable use policy", properties.issuer() + "/aup");
        });

        // The browser flow stops at the signing page, then resumes the authorization request.
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        String query = TesseraHttp.form("response_type", "code", "client_id", TestClients.DEMO_ID, "redirect_uri",
                TestClients.DEMO_REDIRECT, "scope", "openid", "state", "s", "code_challenge",
                BrowserFlows.s256("v".repeat(50)), "code_challenge_method", "S256");
        assertThat(browser.get("/authorize?" + query).location()).endsWith("/login");
        TesseraHttp.Response login = BrowserFlows.login(browser, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        TesseraHttp.Response resumed = browser.get(login.location());
        assertThat(resumed.status()).isEqualTo(302);
        assertThat(resumed.location()).endsWith("/aup");
        TesseraHttp.Response page = browser.get("/aup");
        assertThat(page.body()).contains("Please read and accept", "&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert(1)</script>");
        TesseraHttp.Response signed = browser.postForm("/aup", TesseraHttp.form("_csrf",
                BrowserFlows.csrf(page.body())));
        assertThat(signed.status()).isEqualTo(302);
        assertThat(signed.location()).contains("/authorize?");
        assertThat(BrowserFlows.authorize(browser, query, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD))
                .startsWith(TestClients.DEMO_REDIRECT).contains("code=");

        assertThat(refresh(refreshToken).status()).isEqualTo(200);
        assertThat(voms()).isInstanceOfSatisfying(VomsResponse.Success.class, s -> assertThat(s.warnings())
                .anySatisfy(w -> assertThat(w).contains("acceptable use policy expires on")));
        assertThat(http.get("/iam/audit?type=aup.*&target=" + aliceId, "Authorization", admin).body())
                .contains("aup.signed");

        // An admin asks alice to sign again.
        assertThat(http.sendJson("DELETE", "/iam/aup/signature/" + aliceId, null, "Authorization", admin).status())
                .isEqualTo(204);
        assertThat(refresh((String) tokens.get("refresh_token")).status()).isEqualTo(400);
    }

    @Test
    void remindersAndExpiryAreMailedOnceEach() {
        assertThat(http.sendJson("POST", "/iam/aup", "{\"url\":\"https://example.org/aup-v2\","
                + "\"signatureValidityDays\":10,\"reminderDays\":[5,1]}", "Authorization", admin).status())
                .isEqualTo(201);
        String email = "aup-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        jdbc.update("update account set email = ? where id = ?", email, aliceId);
        try {
            TesseraHttp browser = TesseraHttp.browser(properties.issuer());
            BrowserFlows.login(browser, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
            TesseraHttp.Response page = browser.get("/aup");
            assertThat(page.body()).contains("https://example.org/aup-v2");
            browser.postForm("/aup", TesseraHttp.form("_csrf", BrowserFlows.csrf(page.body())));
            assertThat(reminders.run()).isZero();
            clock.advance(Duration.ofDays(6));          // 4 days left: the 5-day reminder
            assertThat(reminders.run()).isEqualTo(1);
            assertThat(reminders.run()).isZero();
            clock.advance(Duration.ofHours(84));        // half a day left: the 1-day reminder
            assertThat(reminders.run()).isEqualTo(1);
            clock.advance(Duration.ofDays(1));          // expired
            assertThat(reminders.run()).isEqualTo(1);
            assertThat(reminders.run()).isZero();
            var mails = mail.await(email, 3);
            assertThat(mails.stream().map(TestMail::body).toList()).satisfiesExactly(
                    body -> assertThat(body).contains("expires on"),
                    body -> assertThat(body).contains("expires on"),
                    body -> assertThat(body).contains("expired on"));
            String fresh = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                    "client_credentials", "scope", "iam:admin.read").json().get("access_token");
            assertThat(http.get("/iam/aup/signature/" + aliceId, "Authorization", fresh).body())
                    .contains("\"mustSign\":true");
        } finally {
            jdbc.update("update account set email = ? where id = ?", TestAccounts.ALICE_EMAIL, aliceId);
        }
    }

    @Test
    void badInputIsAProblem() {
        assertThat(http.sendJson("POST", "/iam/aup", "{\"signatureValidityDays\":10}", "Authorization", admin)
                .body()).contains("text or url is required");
        assertThat(http.sendJson("POST", "/iam/aup", "{\"url\":\"javascript:alert(1)\"}", "Authorization", admin)
                .status()).isEqualTo(400);
        assertThat(http.sendJson("POST", "/iam/aup", "{\"text\":\"x\",\"reminderDays\":[0]}", "Authorization", admin)
                .status()).isEqualTo(400);
        assertThat(http.sendJson("POST", "/iam/aup", "{\"text\":\"x\",\"signatureValidityDays\":\"ten\"}",
                "Authorization", admin).status()).isEqualTo(400);
        String demo = "Bearer " + http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "client_credentials").json().get("access_token");
        assertThat(http.sendJson("POST", "/iam/aup", "{\"text\":\"x\"}", "Authorization", demo).status())
                .isEqualTo(403);
    }
}
