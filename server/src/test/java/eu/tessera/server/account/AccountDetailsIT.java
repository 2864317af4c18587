package eu.tessera.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The account page's attributes, labels (and IAM's {@code /iam/account/{id}/labels} API with IAM's rules), browser
 * sessions (signed out by an admin: the member's next request needs a new login), suspension from the page, and the
 * account's history.
 */
@TesseraIntegrationTest
class AccountDetailsIT {

    private static final String PASSWORD = "account-details-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;

    private String member;
    private String username;
    private TesseraHttp admin;

    @BeforeEach
    void setUp() {
        member = TestAccounts.insert(jdbc, encoder, "details", PASSWORD);
        username = jdbc.queryForObject("select username from account where id = ?", String.class, member);
        admin = TestAccounts.signedIn(properties.issuer(), "admin", TestAccounts.ADMIN_PASSWORD);
    }

    @AfterEach
    void cleanUp() {
        jdbc.update("delete from account where id = ?", member);
    }

    private TesseraHttp.Response post(String path, String... fields) {
        return BrowserFlows.post(admin, admin.get("/admin/accounts/" + member).body(), path, fields);
    }

    @Test
    @SuppressWarnings("unchecked")
    void labelsThroughIamsApiWithIamsRules() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String write = "Bearer " + TestClients.adminToken(properties.issuer(), "iam:admin.read iam:admin.write");
        String read = "Bearer " + TestClients.adminToken(properties.issuer(), "iam:admin.read");
        String path = "/iam/account/" + member + "/labels";
        assertThat(http.sendJson("PUT", path, "{\"prefix\":\"voms.example.org\",\"name\":\"id\",\"value\":\"42\"}",
                "Authorization", write).status()).isEqualTo(200);
        assertThat(http.sendJson("PUT", path, "{\"name\":\"imported\"}", "Authorization", write).status())
                .isEqualTo(200);
        // the same prefix and name replaces the value
        http.sendJson("PUT", path, "{\"prefix\":\"voms.example.org\",\"name\":\"id\",\"value\":\"43\"}",
                "Authorization", write);
        List<Object> listed = http.get(path, "Authorization", read).jsonList();
        assertThat(listed).containsExactly(Map.of("name", "imported"),
                Map.of("prefix", "voms.example.org", "name", "id", "value", "43"));
        for (String bad : List.of("{\"prefix\":\"not a domain\",\"name\":\"x\"}", "{\"name\":\"1starts-with-digit\"}",
                "{\"prefix\":\"voms.example.org\"}", "{\"name\":\"x\",\"value\":\"two\\nlines\"}",
                "{\"name\":\"x\",\"value\":\"" + "v".repeat(65) + "\"}", "{\"name\":7}", "not json")) {
            TesseraHttp.Response refused = http.sendJson("PUT", path, bad, "Authorization", write);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat((String) refused.json().get("error")).as(bad).startsWith("Invalid label");
        }
        assertThat(http.sendJson("PUT", path, "{\"name\":\"x\"}", "Authorization", read).status()).isEqualTo(403);
        assertThat(http.get("/iam/account/no-such-account/labels", "Authorization", read).status()).isEqualTo(404);
        assertThat(http.sendJson("DELETE", path + "?prefix=voms.example.org&name=id", null, "Authorization", write)
                .status()).isEqualTo(204);
        assertThat(jdbc.queryForList("select name from account_label where account_id = ?", String.class, member))
                .containsExactly("imported");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where target = ? and event_type = "
                + "'account.label_set'", Integer.class, member)).isEqualTo(3);
    }

    @Test
    void attributesLabelsAndHistoryOnTheAccountPage() {
        assertThat(post("/admin/accounts/" + member + "/attributes", "name", "nationality", "value", "IT").location())
                .endsWith("?details#details");
        assertThat(jdbc.queryForObject("select attr_value from account_attribute where account_id = ? and name = "
                + "'nationality'", String.class, member)).isEqualTo("IT");
        post("/admin/accounts/" + member + "/labels", "prefix", "voms.escape.eu", "name", "id", "value", "7");
        assertThat(jdbc.queryForObject("select label_value from account_label where account_id = ? and prefix = "
                + "'voms.escape.eu' and name = 'id'", String.class, member)).isEqualTo("7");
        String page = admin.get("/admin/accounts/" + member).body();
        assertThat(page).contains("nationality", "voms.escape.eu/id", "account.label_set", "account.attribute_set",
                ">admin</span>");
        TesseraHttp.Response bad = post("/admin/accounts/" + member + "/labels", "prefix", "-bad-", "name", "id");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("a domain name");
        assertThat(post("/admin/accounts/" + member + "/attributes", "name", "bad name", "value", "x").status())
                .isEqualTo(400);
        post("/admin/accounts/" + member + "/labels", "action", "remove", "prefix", "voms.escape.eu", "name", "id");
        post("/admin/accounts/" + member + "/attributes", "action", "remove", "name", "nationality");
        assertThat(jdbc.queryForObject("select count(*) from account_label where account_id = ?", Integer.class,
                member)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from account_attribute where account_id = ?", Integer.class,
                member)).isZero();
    }

    @Test
    void anAdminSignsAMemberOutAndSuspendsFromTheAccountPage() {
        TesseraHttp memberBrowser = TestAccounts.signedIn(properties.issuer(), username, PASSWORD);
        assertThat(memberBrowser.get("/account").status()).isEqualTo(200);
        String page = admin.get("/admin/accounts/" + member).body();
        assertThat(page).contains("class=\"session\"").doesNotContain("Not signed in anywhere");
        // a session id never appears on the page
        String sessionId = jdbc.queryForObject("select session_id from spring_session where principal_name = ?",
                String.class, member);
        assertThat(page).doesNotContain(sessionId);
        assertThat(post("/admin/accounts/" + member + "/sessions").body()).contains("Sign " + username
                + " out everywhere?");
        assertThat(memberBrowser.get("/account").status()).isEqualTo(200);
        assertThat(post("/admin/accounts/" + member + "/sessions", "confirmed", "yes").location())
                .endsWith("?sessions=1#sessions");
        assertThat(memberBrowser.get("/account").location()).endsWith("/login");
        assertThat(jdbc.queryForObject("select count(*) from spring_session where principal_name = ?", Integer.class,
                member)).isZero();

        TesseraHttp.Response asked = post("/admin/accounts/" + member, "action", "suspend", "from", "page");
        assertThat(asked.body()).contains("Suspend " + username + "?");
        assertThat(post("/admin/accounts/" + member, "action", "suspend", "from", "page", "confirmed", "yes")
                .location()).endsWith("/admin/accounts/" + member);
        assertThat(jdbc.queryForObject("select lifecycle_state from account where id = ?", String.class, member))
                .isEqualTo("SUSPENDED");
        assertThat(admin.get("/admin/accounts/" + member).body()).contains("Restore the account");
        post("/admin/accounts/" + member, "action", "restore", "from", "page");
        assertThat(jdbc.queryForObject("select lifecycle_state from account where id = ?", String.class, member))
                .isEqualTo("ACTIVE");
    }

    @Test
    void oneEmailOneAccountWhetherAnAdminEditsInvitesOrTheImportCreates() {
        String before = jdbc.queryForObject("select email from account where id = ?", String.class, member);
        TesseraHttp.Response taken = post("/admin/accounts/" + member + "/profile", "username", username, "givenName",
                "", "familyName", "", "email", TestAccounts.ALICE_EMAIL.toUpperCase());
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body()).contains("belongs to another account");
        assertThat(jdbc.queryForObject("select email from account where id = ?", String.class, member))
                .isEqualTo(before);
        TesseraHttp.Response invited = post("/admin/accounts/new", "username", "invite" + member.substring(0, 6),
                "email", TestAccounts.ALICE_EMAIL);
        assertThat(invited.status()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select count(*) from account where username = ?", Integer.class,
                "invite" + member.substring(0, 6))).isZero();
        // its own address, in another case, is no conflict
        assertThat(post("/admin/accounts/" + member + "/profile", "username", username, "givenName", "", "familyName",
                "", "email", before.toUpperCase()).status()).isEqualTo(302);
    }
}
