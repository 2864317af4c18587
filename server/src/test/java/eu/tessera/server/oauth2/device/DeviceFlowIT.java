package eu.tessera.server.oauth2.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@TesseraIntegrationTest
class DeviceFlowIT {

    @Autowired
    TesseraProperties properties;
    TesseraHttp http;
    String clientId;
    String secret;

    @BeforeEach
    void registerClient() {
        http = TesseraHttp.to(properties.issuer());
        Map<String, Object> client = http.sendJson("POST", "/register", """
                {"client_name":"cli","grant_types":["urn:ietf:params:oauth:grant-type:device_code","refresh_token"],
                 "scope":"openid offline_access wlcg.groups storage.read:/"}""").json();
        clientId = (String) client.get("client_id");
        secret = (String) client.get("client_secret");
    }

    private Map<String, Object> authorizeDevice(String scope) {
        TesseraHttp.Response response = http.postForm("/devicecode", TesseraHttp.form("scope", scope),
                "Authorization", TesseraHttp.basic(clientId, secret));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private TesseraHttp.Response poll(String deviceCode) {
        return http.token(clientId, secret, "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", deviceCode);
    }

    @Test
    void deviceFlowWhenUserApprovesThenTokensAfterPendingAndSlowDown() throws Exception {
        Map<String, Object> device = authorizeDevice("openid offline_access wlcg.groups storage.read:/");
        String userCode = (String) device.get("user_code");
        assertThat(userCode).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(device).containsEntry("verification_uri", properties.issuer() + "/device")
                .containsKeys("device_code", "expires_in", "verification_uri_complete");
        assertThat(http.get("/.well-known/openid-configuration").json())
                .containsEntry("device_authorization_endpoint", properties.issuer() + "/devicecode");

        String deviceCode = (String) device.get("device_code");
        assertThat(poll(deviceCode).json()).containsEntry("error", "authorization_pending");
        assertThat(poll(deviceCode).json()).containsEntry("error", "slow_down");

        // people type codes in lower case and without the dash
        String typed = userCode.replace("-", "").toLowerCase(Locale.ROOT);
        String result = BrowserFlows.verifyDevice(TesseraHttp.browser(properties.issuer()), typed, TestAccounts.ALICE,
                TestAccounts.ALICE_PASSWORD, true);
        assertThat(result).contains("/device?approved");

        Thread.sleep(DeviceCodeAuthenticationProvider.INTERVAL.toMillis());
        TesseraHttp.Response tokens = poll(deviceCode);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.json()).containsKeys("access_token", "refresh_token", "id_token");
        JWTClaimsSet claims = TokenVerifier.verify(http, (String) tokens.json().get("access_token")).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("wlcg.groups")).containsExactly("/escape", "/escape/cms");
        assertThat(claims.getStringClaim("scope")).contains("storage.read:/");

        // a refresh with openid gets an ID token although the device grant issued none
        TesseraHttp.Response refreshed = http.token(clientId, secret, "grant_type", "refresh_token",
                "refresh_token", (String) tokens.json().get("refresh_token"), "scope", "openid offline_access");
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(TokenVerifier.verify(http, (String) refreshed.json().get("id_token")).getJWTClaimsSet()
                .getAudience()).containsExactly(clientId);

        Thread.sleep(DeviceCodeAuthenticationProvider.INTERVAL.toMillis());
        TesseraHttp.Response again = poll(deviceCode);
        assertThat(again.status()).as("a device code is used once").isEqualTo(400);
        assertThat(again.json()).doesNotContainKey("access_token").containsEntry("error", "access_denied");
    }

    @Test
    void deviceFlowWhenUserDeniesThenAccessDenied() {
        Map<String, Object> device = authorizeDevice("openid wlcg.groups");
        String result = BrowserFlows.verifyDevice(TesseraHttp.browser(properties.issuer()),
                (String) device.get("user_code"), TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD, false);
        assertThat(result).contains("/device?denied");
        assertThat(poll((String) device.get("device_code")).json()).containsEntry("error", "access_denied");
    }

    @Test
    void deviceCodeWhenPresentedByAnotherClientThenInvalidGrantAndBurntForItsOwnerToo() {
        Map<String, Object> device = authorizeDevice("openid");
        String deviceCode = (String) device.get("device_code");
        TesseraHttp.Response stolen = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET,
                "grant_type", "urn:ietf:params:oauth:grant-type:device_code", "device_code", deviceCode);
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.json()).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
        String result = BrowserFlows.verifyDevice(TesseraHttp.browser(properties.issuer()),
                (String) device.get("user_code"), TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD, true);
        assertThat(result).doesNotContain("error");
        TesseraHttp.Response owner = poll(deviceCode);
        assertThat(owner.json()).containsEntry("error", "access_denied").doesNotContainKey("access_token");
    }

    @Test
    void deviceFlowWhenCodeWrongThenErrorPageAndWhenExpiredThenExpiredToken() throws Exception {
        String result = BrowserFlows.verifyDevice(TesseraHttp.browser(properties.issuer()), "BCDF-GHJK",
                TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD, true);
        assertThat(result).contains("/device?error");

        Map<String, Object> device = authorizeDevice("openid");
        Thread.sleep(properties.tokens().deviceCodeTtl().plusSeconds(1).toMillis());
        assertThat(poll((String) device.get("device_code")).json()).containsEntry("error", "expired_token");
    }

    @Test
    void deviceFlowWhenPolicyDeniesRequestedScopeThenNotOfferedAndTokenShowsWhatWasGranted() throws Exception {
        String admin = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.write").json().get("access_token");
        TesseraHttp.Response policy = http.sendJson("POST", "/iam/scope_policies",
                "{\"rule\":\"DENY\",\"account\":{\"username\":\"alice\"},\"scopes\":[\"storage.read:/\"]}",
                "Authorization", admin);
        assertThat(policy.status()).isEqualTo(201);
        try {
            Map<String, Object> device = authorizeDevice("openid wlcg.groups storage.read:/");
            TesseraHttp browser = TesseraHttp.browser(properties.issuer());
            BrowserFlows.login(browser, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
            String consent = browser.get("/device/verify?user_code=" + device.get("user_code")).location();
            String page = browser.get(consent).body();
            assertThat(page).contains("Not permitted for your account")
                    .contains("<li class=\"not-permitted\"><span>Read data under / (everywhere)</span>",
                            "<code class=\"small\">storage.read:/</code></li>")
                    .doesNotContain("value=\"storage.read:/\"");
            assertThat(BrowserFlows.verifyDevice(browser, (String) device.get("user_code"), TestAccounts.ALICE,
                    TestAccounts.ALICE_PASSWORD, true)).contains("approved");
            Thread.sleep(DeviceCodeAuthenticationProvider.INTERVAL.toMillis());
            TesseraHttp.Response tokens = poll((String) device.get("device_code"));
            assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
            assertThat(((String) tokens.json().get("scope")).split(" "))
                    .containsExactlyInAnyOrder("openid", "wlcg.groups");
            assertThat(tokens.json()).as("no offline_access, no refresh token").doesNotContainKey("refresh_token");
        } finally {
            http.sendJson("DELETE", "/iam/scope_policies/" + policy.json().get("id"), null, "Authorization", admin);
        }
    }

    @Test
    void verificationWhenTooManyWrongCodesFromAddressThenThrottled() {
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(browser, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD, "X-Forwarded-For", "198.51.100.90");
        String address = "198.51.100.91";
        for (int i = 0; i < properties.login().maxFailuresPerAddress(); i++) {
            TesseraHttp.Response wrong = browser.get("/device/verify?user_code=BCDF-BCD" + "BCDFGHJKLM".charAt(i),
                    "X-Forwarded-For", address);
            assertThat(wrong.location()).endsWith("/device?error");
        }
        String userCode = (String) authorizeDevice("openid").get("user_code");
        TesseraHttp.Response refused = browser.get("/device/verify?user_code=" + userCode, "X-Forwarded-For", address);
        assertThat(refused.location()).as("even a right code is refused while throttled").endsWith("/device?throttled");
        TesseraHttp.Response other = browser.get("/device/verify?user_code=" + userCode,
                "X-Forwarded-For", "198.51.100.92");
        assertThat(other.location()).contains("/oauth2/consent");
    }

    @Test
    void deviceAuthorizationWhenScopeNotRegisteredOrClientUnknownThenRfcErrors() {
        TesseraHttp.Response scope = http.postForm("/devicecode", TesseraHttp.form("scope", "storage.modify:/"),
                "Authorization", TesseraHttp.basic(clientId, secret));
        assertThat(scope.status()).isEqualTo(400);
        TesseraHttp.Response narrowed = http.postForm("/devicecode", TesseraHttp.form("scope",
                "openid storage.read:/escape/cms"), "Authorization", TesseraHttp.basic(clientId, secret));
        assertThat(narrowed.status()).as("storage paths narrow as in every grant").isEqualTo(200);
        assertThat(scope.json()).containsEntry("error", "invalid_scope");
        TesseraHttp.Response client = http.postForm("/devicecode", TesseraHttp.form("scope", "openid"),
                "Authorization", TesseraHttp.basic("no-such", "x"));
        assertThat(client.status()).isEqualTo(401);
        assertThat(poll("not-a-device-code").json()).containsEntry("error", "invalid_grant");
    }
}
