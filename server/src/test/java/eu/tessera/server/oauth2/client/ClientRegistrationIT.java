package eu.tessera.server.oauth2.client;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@TesseraIntegrationTest
class ClientRegistrationIT {

    /** What oidc-agent 4.2.6 sends (shared/reference/protocols.md section 4.1). */
    private static final String OIDC_AGENT_BODY = """
            {"application_type":"web","client_name":"oidc-agent:test-host","response_types":[],
             "grant_types":["refresh_token","urn:ietf:params:oauth:grant-type:device_code"],
             "scope":"openid storage.read:/ offline_access",
             "redirect_uris":["http://localhost:4242","http://localhost:21245","http://localhost:8080",
                              "edu.kit.data.oidc-agent:/redirect"]}""";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    TesseraHttp http;

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
    }

    private String adminToken(String scope) {
        return (String) http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type", "client_credentials",
                "scope", scope).json().get("access_token");
    }

    @Test
    void registerWhenAnonymousOidcAgentThenCreatedWithHashedSecret() {
        TesseraHttp.Response response = http.sendJson("POST", "/register", OIDC_AGENT_BODY);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.header("Cache-Control")).contains("no-store");
        Map<String, Object> body = response.json();
        String clientId = (String) body.get("client_id");
        String secret = (String) body.get("client_secret");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
        assertThat(body).containsKeys("registration_access_token", "client_id_issued_at")
                .containsEntry("registration_client_uri", properties.issuer() + "/register/" + clientId)
                .containsEntry("scope", "openid storage.read:/ offline_access")
                .containsEntry("client_secret_expires_at", 0);
        String stored = jdbc.queryForObject("select secret_hash from oauth_client where client_id = ?", String.class,
                clientId);
        assertThat(stored).startsWith("{sha256}").doesNotContain(secret).hasSize("{sha256}".length() + 64);
        Boolean consent = jdbc.queryForObject("select require_consent from oauth_client where client_id = ?",
                Boolean.class, clientId);
        assertThat(consent).isTrue();
    }

    @Test
    void registerWhenAnonymousAsksForServiceGrantsOrAdminScopesThenRefused() {
        for (String body : new String[] {
                "{\"grant_types\":[\"client_credentials\"],\"scope\":\"storage.read:/\"}",
                "{\"grant_types\":[\"urn:ietf:params:oauth:grant-type:token-exchange\"]}",
                "{\"grant_types\":[\"refresh_token\"],\"scope\":\"openid iam:admin.read\"}",
                "{\"grant_types\":[\"refresh_token\"],\"scope\":\"scim:write\"}"}) {
            TesseraHttp.Response response = http.sendJson("POST", "/register", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json()).as(body).containsEntry("error", "invalid_client_metadata");
        }
    }

    @Test
    void registerWhenAdminTokenThenClientCredentialsClientWorks() {
        TesseraHttp.Response response = http.sendJson("POST", "/register",
                "{\"client_name\":\"rucio\",\"grant_types\":[\"client_credentials\"],\"scope\":\"storage.read:/data\"}",
                "Authorization", "Bearer " + adminToken("iam:admin.write"));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        Map<String, Object> body = response.json();
        TesseraHttp.Response token = http.token((String) body.get("client_id"), (String) body.get("client_secret"),
                "grant_type", "client_credentials", "scope", "storage.read:/data/sub");
        assertThat(token.status()).as(token.body()).isEqualTo(200);
    }

    @Test
    void perClientLifetimesWhenSetByAnAdminThenTheTokensAndCodesGetThemCappedByTheServerMaxima() throws Exception {
        String admin = "Bearer " + adminToken("iam:admin.write");
        TesseraHttp.Response created = http.sendJson("POST", "/register", """
                {"client_name":"short-lived","grant_types":["client_credentials",
                 "urn:ietf:params:oauth:grant-type:device_code","refresh_token"],"scope":"openid offline_access",
                 "access_token_validity_seconds":600,"refresh_token_validity_seconds":3600,
                 "id_token_validity_seconds":300,"device_code_validity_seconds":120}""", "Authorization", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = (String) created.json().get("client_id");
        String secret = (String) created.json().get("client_secret");
        TesseraHttp.Response read = http.get("/register/" + id, "Authorization", "Bearer "
                + created.json().get("registration_access_token"));
        assertThat(read.json()).containsEntry("access_token_validity_seconds", 600)
                .containsEntry("refresh_token_validity_seconds", 3600).containsEntry("id_token_validity_seconds", 300)
                .containsEntry("device_code_validity_seconds", 120);

        com.nimbusds.jwt.JWTClaimsSet access = eu.tessera.server.testsupport.TokenVerifier.verify(http,
                (String) http.token(id, secret, "grant_type", "client_credentials").json().get("access_token"))
                .getJWTClaimsSet();
        assertThat(access.getExpirationTime().getTime() - access.getIssueTime().getTime()).isEqualTo(600_000);
        TesseraHttp.Response device = http.postForm("/devicecode", TesseraHttp.form("scope", "openid offline_access"),
                "Authorization", TesseraHttp.basic(id, secret));
        assertThat(device.json()).containsEntry("expires_in", 120);
        assertThat(eu.tessera.server.testsupport.BrowserFlows.verifyDevice(TesseraHttp.browser(properties.issuer()),
                (String) device.json().get("user_code"), eu.tessera.server.testsupport.TestAccounts.ALICE,
                eu.tessera.server.testsupport.TestAccounts.ALICE_PASSWORD, true)).contains("approved");
        TesseraHttp.Response tokens = http.token(id, secret, "grant_type",
                "urn:ietf:params:oauth:grant-type:device_code", "device_code", (String) device.json().get("device_code"));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(((Number) tokens.json().get("expires_in")).intValue()).isBetween(590, 600);
        com.nimbusds.jwt.JWTClaimsSet idToken = com.nimbusds.jwt.SignedJWT.parse((String) tokens.json().get("id_token"))
                .getJWTClaimsSet();
        assertThat(idToken.getExpirationTime().getTime() - idToken.getIssueTime().getTime()).isEqualTo(300_000);
        Long refreshSeconds = jdbc.queryForObject("select cast(max(extract(epoch from r.expires_at) - extract(epoch "
                + "from r.issued_at)) as bigint) from refresh_token r join oauth_authorization a on a.id = r.authorization_id "
                + "where a.client_id in (?, (select id from oauth_client where client_id = ?))", Long.class, id, id);
        assertThat(refreshSeconds).isEqualTo(3600);

        // above the server's maxima: refused, naming the field; anonymous registrations cannot set them
        TesseraHttp.Response tooLong = http.sendJson("POST", "/register", """
                {"grant_types":["client_credentials"],"access_token_validity_seconds":86400}""", "Authorization",
                admin);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json()).containsEntry("error", "invalid_client_metadata")
                .containsEntry("error_description", "access_token_validity_seconds may be at most 21600 on this server");
        TesseraHttp.Response anonymous = http.sendJson("POST", "/register", """
                {"grant_types":["urn:ietf:params:oauth:grant-type:device_code"],"access_token_validity_seconds":60}""");
        assertThat(anonymous.status()).isEqualTo(400);
        assertThat((String) anonymous.json().get("error_description")).contains("needs a registration with an admin");
        assertThat(http.sendJson("POST", "/register", """
                {"grant_types":["client_credentials"],"id_token_validity_seconds":"long"}""", "Authorization",
                admin).status()).isEqualTo(400);
        // without their own: the server's defaults, shown
        TesseraHttp.Response plain = http.sendJson("POST", "/register", """
                {"grant_types":["client_credentials"]}""", "Authorization", admin);
        assertThat(plain.json()).containsEntry("access_token_validity_seconds", 3600)
                .containsEntry("refresh_token_validity_seconds", 864000);
    }

    @Test
    void registerWhenTokenInvalidOrLacksScopeThenRefused() {
        TesseraHttp.Response invalid = http.sendJson("POST", "/register", "{\"grant_types\":[\"client_credentials\"]}",
                "Authorization", "Bearer not-a-token");
        assertThat(invalid.status()).isEqualTo(401);
        assertThat(invalid.json()).containsEntry("error", "invalid_token");
        TesseraHttp.Response readOnly = http.sendJson("POST", "/register", "{\"grant_types\":[\"client_credentials\"]}",
                "Authorization", "Bearer " + adminToken("iam:admin.read"));
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(readOnly.json()).containsEntry("error", "insufficient_scope");
    }

    @Test
    void registerWhenBodyMalformedThenRfc7591Errors() {
        TesseraHttp.Response notJson = http.sendJson("POST", "/register", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json()).containsEntry("error", "invalid_client_metadata");
        TesseraHttp.Response fragment = http.sendJson("POST", "/register",
                "{\"redirect_uris\":[\"https://app.example.org/cb#frag\"]}");
        assertThat(fragment.json()).containsEntry("error", "invalid_redirect_uri");
        TesseraHttp.Response noRedirect = http.sendJson("POST", "/register", "{\"grant_types\":[\"authorization_code\"]}");
        assertThat(noRedirect.json()).containsEntry("error", "invalid_redirect_uri");
        TesseraHttp.Response wrongType = http.sendJson("POST", "/register", "{\"grant_types\":\"refresh_token\"}");
        assertThat(wrongType.json()).containsEntry("error", "invalid_client_metadata");
        TesseraHttp.Response implicit = http.sendJson("POST", "/register",
                "{\"response_types\":[\"token\"],\"redirect_uris\":[\"https://a.example.org/cb\"]}");
        assertThat(implicit.json()).containsEntry("error", "invalid_client_metadata");
    }

    @Test
    void managementWhenRegistrationTokenThenReadUpdateDelete() {
        Map<String, Object> created = http.sendJson("POST", "/register", OIDC_AGENT_BODY).json();
        String uri = (String) created.get("registration_client_uri");
        String rat = "Bearer " + created.get("registration_access_token");

        TesseraHttp.Response read = http.get(uri, "Authorization", rat);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).containsEntry("client_id", created.get("client_id")).doesNotContainKey("client_secret");
        assertThat(http.get(uri, "Authorization", "Bearer wrong").status()).isEqualTo(401);
        assertThat(http.get(uri).status()).isEqualTo(401);

        TesseraHttp.Response updated = http.sendJson("PUT", uri, OIDC_AGENT_BODY.replace("oidc-agent:test-host",
                "renamed"), "Authorization", rat);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json()).containsEntry("client_name", "renamed");

        assertThat(http.sendJson("DELETE", uri, null, "Authorization", rat).status()).isEqualTo(204);
        TesseraHttp.Response gone = http.token((String) created.get("client_id"), (String) created.get("client_secret"),
                "grant_type", "refresh_token", "refresh_token", "x");
        assertThat(gone.status()).isEqualTo(401);
        assertThat(gone.json()).containsEntry("error", "invalid_client");
    }

    @Test
    void publicClientWhenAuthorizingWithoutPkceThenRefusedAndWithPkceThenTokens() {
        Map<String, Object> created = http.sendJson("POST", "/register", """
                {"client_name":"spa","token_endpoint_auth_method":"none","grant_types":["authorization_code"],
                 "redirect_uris":["http://127.0.0.1:9876/callback"],"scope":"openid wlcg.groups"}""").json();
        String clientId = (String) created.get("client_id");
        assertThat(created).doesNotContainKey("client_secret");
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        String noPkce = BrowserFlows.authorize(browser, TesseraHttp.form("response_type", "code", "client_id", clientId,
                "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid", "state", "s"), TestAccounts.ALICE,
                TestAccounts.ALICE_PASSWORD);
        assertThat(TesseraHttp.queryParameter(noPkce, "error")).contains("invalid_request");

        String verifier = "v".repeat(50);
        String redirect = BrowserFlows.authorize(browser, TesseraHttp.form("response_type", "code", "client_id",
                clientId, "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid wlcg.groups", "state", "s",
                "code_challenge", BrowserFlows.s256(verifier), "code_challenge_method", "S256"), TestAccounts.ALICE,
                TestAccounts.ALICE_PASSWORD);
        String code = TesseraHttp.queryParameter(redirect, "code").orElseThrow(() -> new AssertionError(redirect));
        TesseraHttp.Response token = http.postForm("/token", TesseraHttp.form("grant_type", "authorization_code",
                "client_id", clientId, "code", code, "redirect_uri", TestClients.DEMO_REDIRECT,
                "code_verifier", verifier));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(token.json()).containsKey("access_token").doesNotContainKey("refresh_token");
    }
}
