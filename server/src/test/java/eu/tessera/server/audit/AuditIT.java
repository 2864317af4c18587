package eu.tessera.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Admin and security events reach the audit log, and admins (only) can browse it. */
@TesseraIntegrationTest
class AuditIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    TesseraHttp http;
    String admin;

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
        admin = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read iam:admin.write").json().get("access_token");
    }

    @Test
    void policyChangesRevocationsAndFailedLoginsAreAudited() {
        Instant since = Instant.now().minusSeconds(1);
        TesseraHttp.Response created = http.sendJson("POST", "/iam/scope_policies",
                "{\"rule\":\"DENY\",\"scopes\":[\"compute.cancel\"],\"description\":\"audit test\"}",
                "Authorization", admin);
        assertThat(created.status()).isEqualTo(201);
        String id = String.valueOf(created.json().get("id"));
        assertThat(http.sendJson("DELETE", "/iam/scope_policies/" + id, null, "Authorization", admin).status())
                .isEqualTo(204);
        String token = (String) http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "client_credentials").json().get("access_token");
        assertThat(http.postForm("/revoke", TesseraHttp.form("token", token, "token_type_hint", "access_token"),
                "Authorization", TesseraHttp.basic(TestClients.DEMO_ID, TestClients.DEMO_SECRET)).status())
                .isEqualTo(200);
        BrowserFlows.login(TesseraHttp.browser(properties.issuer()), "audit-nobody", "wrong-password");
        // a wrong client secret is a security event; a grant refused to an authenticated client is not
        assertThat(http.token(TestClients.DEMO_ID, "audit-wrong-secret", "grant_type", "client_credentials").status())
                .isEqualTo(401);
        int refusals = jdbc.queryForObject("select count(*) from audit_event where target = ? and occurred_at >= ?",
                Integer.class, TestClients.DEMO_ID, java.sql.Timestamp.from(since));
        assertThat(http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type", "client_credentials",
                "scope", "no-such-scope").json()).containsEntry("error", "invalid_scope");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where target = ? and occurred_at >= ?",
                Integer.class, TestClients.DEMO_ID, java.sql.Timestamp.from(since))).isEqualTo(refusals);

        String events = http.get("/iam/audit?since=" + since + "&count=200", "Authorization", admin).body();
        assertThat(events).contains("\"type\":\"scope_policy.created\",\"actor\":\"" + TestClients.ADMIN_ID
                + "\",\"target\":\"" + id + "\"");
        assertThat(events).contains("\"type\":\"scope_policy.deleted\"", "\"type\":\"token.revoked\",\"actor\":\""
                + TestClients.DEMO_ID + "\"", "\"type\":\"login.failure\",\"actor\":\"anonymous\",\"target\":"
                + "\"audit-nobody\"", "\"type\":\"client.authentication_failure\",\"actor\":\"anonymous\","
                + "\"target\":\"" + TestClients.DEMO_ID + "\"");
        assertThat(events).doesNotContain(token);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'scope_policy.created' "
                + "and target = ?", Integer.class, id)).isEqualTo(1);
        String filtered = http.get("/iam/audit?type=scope_policy.*&target=" + id, "Authorization", admin).body();
        assertThat(filtered).contains("\"totalResults\":2");
    }

    @Test
    void onlyAdminsBrowseAndBadQueriesAreProblems() {
        String demo = "Bearer " + http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "client_credentials").json().get("access_token");
        assertThat(http.get("/iam/audit", "Authorization", demo).status()).isEqualTo(403);
        assertThat(http.get("/iam/audit").status()).isEqualTo(401);
        TesseraHttp.Response bad = http.get("/iam/audit?since=yesterday", "Authorization", admin);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        assertThat(http.get("/iam/audit?count=5000", "Authorization", admin).status()).isEqualTo(400);
        Map<String, Object> page = http.get("/iam/audit?count=1", "Authorization", admin).json();
        assertThat(page.get("itemsPerPage")).isEqualTo(1);
    }
}
