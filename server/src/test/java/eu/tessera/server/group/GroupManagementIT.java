package eu.tessera.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestMail;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import eu.tessera.server.testsupport.UserTokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The group tree and membership decisions over the API: admins build the tree and appoint managers; a member
 * asks for a group, its manager (by the manager's own token) approves, and the next token carries the group;
 * managers act on their groups only.
 */
@TesseraIntegrationTest
class GroupManagementIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    TesseraHttp http;
    String admin;
    String aliceId;
    String adminAccountId;
    String group;
    final TestMail mail = TestMail.get();

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
        admin = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read iam:admin.write").json().get("access_token");
        aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        adminAccountId = jdbc.queryForObject("select id from account where username = 'admin'", String.class);
        group = "g" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void cleanUp() {
        jdbc.update("delete from vo_group where path like ?", "/escape/" + group + "%");
    }

    private String create(String name, String parent) {
        TesseraHttp.Response created = http.sendJson("POST", "/iam/group", "{\"name\":\"" + name + "\",\"parent\":\""
                + parent + "\"}", "Authorization", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return (String) created.json().get("id");
    }

    @Test
    void treeChanges() {
        String id = create(group, "/escape");
        String child = create("sub", "/escape/" + group);
        assertThat(http.sendJson("POST", "/iam/group", "{\"name\":\"" + group + "\",\"parent\":\"/escape\"}",
                "Authorization", admin).status()).isEqualTo(409);
        assertThat(http.sendJson("POST", "/iam/group", "{\"name\":\"bad name\",\"parent\":\"/escape\"}",
                "Authorization", admin).status()).isEqualTo(400);
        assertThat(http.sendJson("POST", "/iam/group", "{\"name\":\"x\",\"parent\":\"/nowhere\"}",
                "Authorization", admin).status()).isEqualTo(404);
        // rename: the subtree's paths follow
        TesseraHttp.Response renamed = http.sendJson("PUT", "/iam/group/" + id, "{\"name\":\"" + group + "x\"}",
                "Authorization", admin);
        assertThat(renamed.body()).contains("\"path\":\"/escape/" + group + "x\"");
        assertThat(http.get("/iam/group/" + child, "Authorization", admin).body())
                .contains("\"path\":\"/escape/" + group + "x/sub\"");
        // move under /escape/cms, mark optional
        assertThat(http.sendJson("PUT", "/iam/group/" + id, "{\"parent\":\"/escape/cms\",\"optional\":true}",
                "Authorization", admin).body()).contains("\"path\":\"/escape/cms/" + group + "x\"",
                "\"optional\":true");
        assertThat(http.sendJson("PUT", "/iam/group/" + id, "{\"parent\":\"/escape/cms/" + group + "x/sub\"}",
                "Authorization", admin).status()).isEqualTo(400);
        // labels and attributes, escaped values kept verbatim in JSON
        assertThat(http.sendJson("PUT", "/iam/group/" + id + "/labels", "{\"name\":\"wlcg.optional-group\","
                + "\"value\":\"<b>yes</b>\"}", "Authorization", admin).status()).isEqualTo(200);
        assertThat(http.sendJson("PUT", "/iam/group/" + id + "/attributes", "{\"name\":\"rucio\",\"value\":\"1\"}",
                "Authorization", admin).status()).isEqualTo(200);
        assertThat(http.get("/iam/group/" + id, "Authorization", admin).body())
                .contains("\"labels\":{\"wlcg.optional-group\":\"<b>yes</b>\"}", "\"attributes\":{\"rucio\":\"1\"}");
        // delete: not while it has subgroups
        assertThat(http.sendJson("DELETE", "/iam/group/" + id, null, "Authorization", admin).status()).isEqualTo(409);
        assertThat(http.sendJson("DELETE", "/iam/group/" + child, null, "Authorization", admin).status())
                .isEqualTo(204);
        assertThat(http.sendJson("DELETE", "/iam/group/" + id, null, "Authorization", admin).status()).isEqualTo(204);
        assertThat(http.get("/iam/group/" + id, "Authorization", admin).status()).isEqualTo(404);
        assertThat(http.get("/iam/audit?type=group.*&target=" + id, "Authorization", admin).body())
                .contains("group.created", "group.moved", "group.deleted");
    }

    @Test
    void requestApprovedByTheGroupManagerShowsInTheNextToken() throws Exception {
        String id = create(group, "/escape");
        String managerEmail = "mgr-" + group + "@example.org";
        jdbc.update("update account set email = ? where id = ?", managerEmail, adminAccountId);
        try {
            assertThat(http.sendJson("POST", "/iam/group/" + id + "/managers/" + adminAccountId, null,
                    "Authorization", admin).status()).isEqualTo(201);
            String alice = "Bearer " + UserTokens.alice(properties.issuer(), "openid").get("access_token");
            TesseraHttp.Response asked = http.sendJson("POST", "/iam/me/group-requests", "{\"group\":\"/escape/"
                    + group + "\",\"reason\":\"I analyse <i>this</i> data\"}", "Authorization", alice);
            assertThat(asked.status()).as(asked.body()).isEqualTo(201);
            String requestId = (String) asked.json().get("id");
            assertThat(http.sendJson("POST", "/iam/me/group-requests", "{\"group\":\"/escape/" + group
                    + "\",\"reason\":\"again\"}", "Authorization", alice).status()).isEqualTo(409);
            assertThat(TestMail.body(mail.awaitContaining(managerEmail, requestId))).contains("I analyse <i>this</i>");

            // alice manages nothing: she cannot decide her own request
            assertThat(http.sendJson("POST", "/iam/group-requests/" + requestId + "/approve", null,
                    "Authorization", alice).status()).isEqualTo(403);
            assertThat(http.get("/iam/group-requests?status=PENDING", "Authorization", alice).body()).isEqualTo("[]");

            // the manager, with a user token of the admin account (no admin scope), sees and approves it
            String manager = "Bearer " + managerToken();
            assertThat(http.get("/iam/group-requests?status=PENDING", "Authorization", manager).body())
                    .contains(requestId);
            TesseraHttp.Response approved = http.sendJson("POST", "/iam/group-requests/" + requestId + "/approve",
                    "{}", "Authorization", manager);
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            assertThat(http.sendJson("POST", "/iam/group-requests/" + requestId + "/reject", null,
                    "Authorization", manager).status()).isEqualTo(409);
            assertThat(TestMail.body(mail.awaitContaining(TestAccounts.ALICE_EMAIL, "/escape/" + group)))
                    .contains("approved");
            // ... but not the groups it does not manage
            assertThat(http.sendJson("POST", "/iam/group/" + groupId("/escape/cms") + "/members/" + aliceId, null,
                    "Authorization", manager).status()).isEqualTo(403);

            SignedJWT token = TokenVerifier.verify(http, (String) UserTokens.alice(properties.issuer(),
                    "openid wlcg.groups").get("access_token"));
            @SuppressWarnings("unchecked")
            List<String> groups = (List<String>) token.getJWTClaimsSet().getClaim("wlcg.groups");
            assertThat(groups).contains("/escape/" + group);
        } finally {
            jdbc.update("update account set email = null where id = ?", adminAccountId);
        }
    }

    @Test
    void rejectionAndDirectAdds() {
        String id = create(group, "/escape");
        String alice = "Bearer " + UserTokens.alice(properties.issuer(), "openid").get("access_token");
        String first = (String) http.sendJson("POST", "/iam/me/group-requests", "{\"group\":\"" + id
                + "\",\"reason\":\"please\"}", "Authorization", alice).json().get("id");
        TesseraHttp.Response rejected = http.sendJson("POST", "/iam/group-requests/" + first + "/reject",
                "{\"reason\":\"not in the collaboration\"}", "Authorization", admin);
        assertThat(rejected.body()).contains("\"status\":\"REJECTED\"", "not in the collaboration");
        assertThat(TestMail.body(mail.awaitContaining(TestAccounts.ALICE_EMAIL, "not in the collaboration")))
                .contains("was not approved");
        // a direct add by an admin resolves a pending request
        String second = (String) http.sendJson("POST", "/iam/me/group-requests", "{\"group\":\"" + id
                + "\",\"reason\":\"please again\"}", "Authorization", alice).json().get("id");
        assertThat(http.sendJson("POST", "/iam/group/" + id + "/members/" + aliceId, "{\"optional\":true}",
                "Authorization", admin).status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("select status from group_request where id = ?", String.class, second))
                .isEqualTo("APPROVED");
        assertThat(http.get("/iam/group/" + id + "/members", "Authorization", admin).body())
                .contains("\"username\":\"alice\",\"optional\":true");
        assertThat(http.sendJson("POST", "/iam/me/group-requests", "{\"group\":\"" + id + "\",\"reason\":\"x\"}",
                "Authorization", alice).status()).isEqualTo(409);
        assertThat(http.sendJson("POST", "/iam/me/group-requests", "{\"group\":\"" + id + "\"}",
                "Authorization", alice).status()).isEqualTo(400);
        assertThat(http.sendJson("DELETE", "/iam/group/" + id + "/members/" + aliceId, null, "Authorization", admin)
                .status()).isEqualTo(204);
        assertThat(http.get("/iam/me/group-requests", "Authorization", alice).body()).contains(first, second);
    }

    private String groupId(String path) {
        return jdbc.queryForObject("select id from vo_group where path = ?", String.class, path);
    }

    /** A user token of the admin account through the code flow (it has no admin scope). */
    private String managerToken() {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String redirect = eu.tessera.server.testsupport.BrowserFlows.authorize(
                TesseraHttp.browser(properties.issuer()), TesseraHttp.form("response_type", "code", "client_id",
                        TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid", "state", "s",
                        "code_challenge", eu.tessera.server.testsupport.BrowserFlows.s256(verifier),
                        "code_challenge_method", "S256"), "admin", TestAccounts.ADMIN_PASSWORD);
        String code = TesseraHttp.queryParameter(redirect, "code").orElseThrow(() -> new AssertionError(redirect));
        Map<String, Object> response = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "authorization_code", "code", code, "redirect_uri", TestClients.DEMO_REDIRECT, "code_verifier",
                verifier).json();
        return (String) response.get("access_token");
    }
}
