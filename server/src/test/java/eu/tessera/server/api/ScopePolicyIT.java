package eu.tessera.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.UserTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@TesseraIntegrationTest
class ScopePolicyIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    TesseraHttp http;
    String write;
    final List<String> created = new ArrayList<>();

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
        write = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read iam:admin.write").json().get("access_token");
    }

    @AfterEach
    void removePolicies() {
        for (String id : created) {
            http.sendJson("DELETE", "/iam/scope_policies/" + id, null, "Authorization", write);
        }
    }

    private Map<String, Object> create(String json) {
        TesseraHttp.Response response = http.sendJson("POST", "/iam/scope_policies", json, "Authorization", write);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        created.add(String.valueOf(response.json().get("id")));
        return response.json();
    }

    @Test
    void listWhenAdminReadThenSeededDefaultPolicyInIamShape() {
        String read = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read").json().get("access_token");
        TesseraHttp.Response response = http.get("/iam/scope_policies", "Authorization", read);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("\"description\":\"Default Permit ALL\"", "\"rule\":\"PERMIT\"",
                "\"matchingPolicy\":\"EQ\"", "\"scopes\":[]", "\"creationTime\"");
        TesseraHttp.Response writeWithRead = http.sendJson("POST", "/iam/scope_policies",
                "{\"rule\":\"DENY\",\"scopes\":[\"compute.read\"]}", "Authorization", read);
        assertThat(writeWithRead.status()).isEqualTo(403);
    }

    @Test
    void apiWhenNoTokenOrNoAdminScopeThenRefused() {
        assertThat(http.get("/iam/scope_policies").status()).isEqualTo(401);
        String demo = "Bearer " + http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "client_credentials").json().get("access_token");
        assertThat(http.get("/iam/scope_policies", "Authorization", demo).status()).isEqualTo(403);
    }

    @Test
    void createWhenInvalidThenProblemNamingField() {
        String[][] cases = {
                {"{\"scopes\":[\"x\"]}", "rule"},
                {"{\"rule\":\"MAYBE\"}", "rule"},
                {"{\"rule\":\"DENY\",\"matchingPolicy\":\"REGEXP\",\"scopes\":[\"(\"]}", "scopes"},
                {"{\"rule\":\"DENY\",\"matchingPolicy\":\"PATH\",\"scopes\":[]}", "scopes"},
                {"{\"rule\":\"DENY\",\"scopes\":\"compute.read\"}", "scopes"},
                {"{\"rule\":\"DENY\",\"account\":{\"username\":\"nobody-here\"}}", "account"},
                {"{\"rule\":\"DENY\",\"group\":{\"name\":\"no/such/group\"}}", "group"},
                {"{\"rule\":\"DENY\",\"account\":{\"username\":\"alice\"},\"group\":{\"name\":\"escape\"}}", "account"},
                {"not json", "body"}};
        for (String[] c : cases) {
            TesseraHttp.Response response = http.sendJson("POST", "/iam/scope_policies", c[0], "Authorization", write);
            assertThat(response.status()).as(c[0]).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat((String) response.json().get("detail")).as(c[0]).contains(c[1]);
        }
        assertThat(http.get("/iam/scope_policies/999999", "Authorization", write).status()).isEqualTo(404);
    }

    @Test
    void codeFlowWhenGroupDeniedAndAccountPermittedThenTokenShowsExactlyGrantedScopes() throws Exception {
        create("""
                {"description":"no cms data by default","rule":"DENY","matchingPolicy":"PATH",
                 "group":{"name":"escape/cms"},"scopes":["storage.read:/escape/cms"]}""");
        Map<String, Object> tokens = UserTokens.alice(properties.issuer(),
                "openid storage.read:/escape storage.read:/escape/cms/x");
        assertThat((String) tokens.get("scope")).contains("storage.read:/escape").doesNotContain("/escape/cms/x");
        assertThat(SignedJWT.parse((String) tokens.get("access_token")).getJWTClaimsSet().getStringClaim("scope"))
                .doesNotContain("storage.read:/escape/cms/x");

        TesseraHttp.Response mine = http.get("/iam/me/scopes?" + TesseraHttp.form("scope",
                "storage.read:/escape/cms/x openid"), "Authorization", "Bearer " + tokens.get("access_token"));
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json()).containsEntry("denied", List.of("storage.read:/escape/cms/x"))
                .containsEntry("granted", List.of("openid"));

        Map<String, Object> permit = create("""
                {"rule":"PERMIT","matchingPolicy":"EQ","account":{"username":"alice"},
                 "scopes":["storage.read:/escape/cms/x"]}""");
        assertThat(permit.get("account")).asString().contains("alice");
        Map<String, Object> again = UserTokens.alice(properties.issuer(), "openid storage.read:/escape/cms/x");
        assertThat((String) again.get("scope")).contains("storage.read:/escape/cms/x");

        TesseraHttp.Response decision = http.get("/iam/scope_policies/decision?" + TesseraHttp.form("account", "alice",
                "scope", "storage.read:/escape/cms/y storage.read:/escape/cms/x iam:admin.read"),
                "Authorization", write);
        assertThat(decision.json()).containsEntry("granted", List.of("storage.read:/escape/cms/x"))
                .containsEntry("denied", List.of("storage.read:/escape/cms/y", "iam:admin.read"));
    }

    @Test
    void refreshWhenPolicyNowDeniesScopeThenInvalidScopeNamingItAndNarrowerRefreshWorks() {
        Map<String, Object> tokens = UserTokens.alice(properties.issuer(),
                "openid offline_access storage.read:/escape/cms/z");
        create("""
                {"rule":"DENY","matchingPolicy":"EQ","account":{"username":"alice"},
                 "scopes":["storage.read:/escape/cms/z"]}""");
        TesseraHttp.Response refused = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "refresh_token", "refresh_token", (String) tokens.get("refresh_token"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json()).containsEntry("error", "invalid_scope");
        assertThat((String) refused.json().get("error_description")).contains("storage.read:/escape/cms/z");
        TesseraHttp.Response narrower = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "refresh_token", "refresh_token", (String) tokens.get("refresh_token"), "scope", "openid offline_access");
        assertThat(narrower.status()).as(narrower.body()).isEqualTo(200);
        assertThat(narrower.json()).containsEntry("scope", "openid offline_access");
    }

    @Test
    void updateAndDeleteWhenAdminWriteThenStoredAndGone() {
        Map<String, Object> policy = create("{\"rule\":\"DENY\",\"scopes\":[\"compute.cancel\"]}");
        String id = String.valueOf(policy.get("id"));
        TesseraHttp.Response updated = http.sendJson("PUT", "/iam/scope_policies/" + id,
                "{\"rule\":\"PERMIT\",\"description\":\"now allowed\",\"scopes\":[\"compute.cancel\"]}",
                "Authorization", write);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select rule from scope_policy where id = ?", String.class, Long.valueOf(id)))
                .isEqualTo("PERMIT");
        assertThat(http.sendJson("DELETE", "/iam/scope_policies/" + id, null, "Authorization", write).status())
                .isEqualTo(204);
        assertThat(jdbc.queryForObject("select count(*) from scope_policy where id = ?", Long.class, Long.valueOf(id)))
                .isZero();
        assertThat(http.sendJson("DELETE", "/iam/scope_policies/" + id, null, "Authorization", write).status())
                .isEqualTo(404);
    }
}
