package eu.tessera.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import java.util.List;

/** The admin, manager and self-service pages over HTTP: who may see what, forms with CSRF, escaping. */
@TesseraIntegrationTest
class ManagementPagesIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;

    private TesseraHttp signedIn(String username, String password) {
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        assertThat(BrowserFlows.login(browser, username, password).location()).doesNotContain("error");
        return browser;
    }

    @Test
    void adminPagesAreForAdminsOnly() {
        TesseraHttp alice = signedIn(TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        TesseraHttp.Response refused = alice.get("/admin", "Accept", "text/html");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("Not allowed", "administrators").doesNotContain("wrong or expired link");
        assertThat(alice.get("/").body()).doesNotContain("id=\"admin-link\"");
        assertThat(alice.get("/admin/accounts").status()).isEqualTo(403);
        assertThat(alice.get("/manage/requests").body()).contains("No request waits for you.");
        assertThat(TesseraHttp.browser(properties.issuer()).get("/account").location()).endsWith("/login");

        TesseraHttp admin = signedIn("admin", TestAccounts.ADMIN_PASSWORD);
        assertThat(admin.get("/admin").body()).contains("Waiting for a decision", "Audit log", "Scope policies");
        assertThat(admin.get("/").body()).contains("id=\"admin-link\"");
        String accounts = admin.get("/admin/accounts?q=ALI").body();
        assertThat(accounts).contains("alice@example.org").doesNotContain("Next");
        assertThat(admin.get("/admin/accounts?q=%25").status()).isEqualTo(200);
        // by certificate subject, in either DN form, and by state and role
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        jdbc.update("insert into account_certificate (id, account_id, subject_dn, issuer_dn, created_at) values "
                + "(?, ?, '/DC=org/DC=example/CN=Alice Findme', '/DC=org/DC=example/CN=CA', current_timestamp)",
                "cert-findme", aliceId);
        try {
            assertThat(admin.get("/admin/accounts?q=" + java.net.URLEncoder.encode("CN=Alice Findme,DC=example,DC=org",
                    java.nio.charset.StandardCharsets.UTF_8)).body()).contains("alice@example.org");
            assertThat(admin.get("/admin/accounts?q=findme").body()).contains("alice@example.org");
        } finally {
            jdbc.update("delete from account_certificate where id = 'cert-findme'");
        }
        assertThat(admin.get("/admin/accounts?role=admin").body()).contains(">admin<")
                .doesNotContain("alice@example.org");
        assertThat(admin.get("/admin/accounts?state=SUSPENDED&q=alice").body()).doesNotContain("alice@example.org");
        assertThat(admin.get("/admin/audit?type=login").body()).contains("login.success");
        // names instead of ids (the id on hover), filtered by actor's username, exported as CSV
        String adminId = jdbc.queryForObject("select id from account where username = 'admin'", String.class);
        String byAdmin = admin.get("/admin/audit?actor=admin&type=login.success").body();
        assertThat(byAdmin).contains("<span title=\"" + adminId + "\">admin</span>").doesNotContain(">"
                + jdbc.queryForObject("select id from account where username = 'alice'", String.class) + "<");
        TesseraHttp.Response csv = admin.get("/admin/audit.csv?actor=admin&type=login.");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("attachment");
        assertThat(csv.body()).startsWith("time,type,actor,actor_name,target,target_name,address,details\r\n")
                .contains("\"login.success\",\"" + adminId + "\",\"admin\"");
        assertThat(admin.get("/admin/audit?since=yesterday").status()).isEqualTo(400);
        assertThat(admin.get("/admin/audit?since=2999-01-01").body()).doesNotContain("login.success");
    }

    @Test
    void groupAndAupPages() {
        String name = "pg" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String escape = jdbc.queryForObject("select id from vo_group where path = '/escape'", String.class);
        String adminId = jdbc.queryForObject("select id from account where username = 'admin'", String.class);
        TesseraHttp admin = signedIn("admin", TestAccounts.ADMIN_PASSWORD);
        try {
            String page = admin.get("/admin/groups").body();
            assertThat(page).contains("/escape/cms");
            assertThat(admin.postForm("/admin/groups", TesseraHttp.form("action", "create", "name", name, "parent",
                    escape, "_csrf", BrowserFlows.csrf(page))).location()).endsWith("/admin/groups?changed");
            String id = jdbc.queryForObject("select id from vo_group where path = ?", String.class, "/escape/" + name);
            TesseraHttp.Response bad = admin.postForm("/admin/groups", TesseraHttp.form("action", "create", "name",
                    "<script>", "parent", escape, "_csrf", BrowserFlows.csrf(page)));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("name: 1 to 64 letters").doesNotContain("<script>");
            admin.postForm("/admin/groups", TesseraHttp.form("action", "manager", "id", id, "username", "alice",
                    "_csrf", BrowserFlows.csrf(page)));

            TesseraHttp alice = signedIn(TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
            String members = alice.get("/manage/groups/" + id).body();
            assertThat(members).contains("Members", "/escape/" + name);
            assertThat(alice.postForm("/manage/groups/" + id, TesseraHttp.form("action", "add", "username", "admin",
                    "_csrf", BrowserFlows.csrf(members))).location()).endsWith("?changed");
            assertThat(jdbc.queryForObject("select count(*) from membership where group_id = ? and account_id = ?",
                    Integer.class, id, adminId)).isEqualTo(1);
            // deleting a group with members asks first
            TesseraHttp.Response asked = admin.postForm("/admin/groups", TesseraHttp.form("action", "delete", "id", id,
                    "_csrf", BrowserFlows.csrf(page)));
            assertThat(asked.status()).isEqualTo(200);
            assertThat(asked.body()).contains("Delete /escape/" + name + "?", "Its 1 member loses the group");
            assertThat(jdbc.queryForObject("select count(*) from vo_group where id = ?", Integer.class, id)).isOne();
            assertThat(alice.postForm("/manage/groups/" + id, TesseraHttp.form("action", "add", "username", "nobody",
                    "_csrf", BrowserFlows.csrf(members))).status()).isEqualTo(404);
            // removing asks first (nothing removed), then removes
            TesseraHttp.Response ask = alice.postForm("/manage/groups/" + id, TesseraHttp.form("action", "remove",
                    "account", adminId, "_csrf", BrowserFlows.csrf(members)));
            assertThat(ask.body()).contains("Remove admin from /escape/" + name + "?");
            assertThat(jdbc.queryForObject("select count(*) from membership where group_id = ?", Integer.class, id))
                    .isOne();
            alice.postForm("/manage/groups/" + id, TesseraHttp.form("action", "remove", "account", adminId,
                    "confirmed", "yes", "_csrf", BrowserFlows.csrf(members)));
            assertThat(jdbc.queryForObject("select count(*) from membership where group_id = ?", Integer.class, id))
                    .isZero();
            String cms = jdbc.queryForObject("select id from vo_group where path = '/escape/cms'", String.class);
            assertThat(alice.get("/manage/groups/" + cms).status()).isEqualTo(403);

            String aupPage = admin.get("/admin/aup").body();
            assertThat(aupPage).contains("No AUP is in force.");
            assertThat(admin.postForm("/admin/aup", TesseraHttp.form("action", "publish", "text", "Be fair.",
                    "validity", "ten", "_csrf", BrowserFlows.csrf(aupPage))).status()).isEqualTo(400);
            assertThat(admin.postForm("/admin/aup", TesseraHttp.form("action", "publish", "text", "Be fair.",
                    "validity", "100", "reminders", "10,1", "_csrf", BrowserFlows.csrf(aupPage))).location())
                    .endsWith("/admin/aup?published");
            assertThat(admin.get("/admin/aup").body()).contains("Be fair.", "Version <span>1</span>");
            admin.postForm("/admin/aup", TesseraHttp.form("action", "withdraw", "_csrf", BrowserFlows.csrf(aupPage)));
            assertThat(jdbc.queryForObject("select count(*) from aup", Integer.class)).isZero();
        } finally {
            jdbc.update("delete from aup");
            jdbc.update("delete from vo_group where path = ?", "/escape/" + name);
        }
    }

    @Test
    void clientAndScopePolicyPages() throws Exception {
        TesseraHttp admin = signedIn("admin", TestAccounts.ADMIN_PASSWORD);
        String clients = admin.get("/admin/clients?q=demo-client").body();
        assertThat(clients).contains("demo-client");
        TesseraHttp api = TesseraHttp.to(properties.issuer());
        String token = "Bearer " + api.token(eu.tessera.server.testsupport.TestClients.ADMIN_ID,
                eu.tessera.server.testsupport.TestClients.ADMIN_SECRET, "grant_type", "client_credentials", "scope",
                "iam:admin.write").json().get("access_token");
        java.util.Map<String, Object> registered = api.sendJson("POST", "/register", "{\"client_name\":\"page test\","
                + "\"grant_types\":[\"client_credentials\"]}", "Authorization", token).json();
        String clientId = (String) registered.get("client_id");
        // the admin gives it its own access-token lifetime; a value above the maximum is refused
        clients = admin.get("/admin/clients").body();
        TesseraHttp.Response tooLong = admin.postForm("/admin/clients/" + clientId + "/lifetimes", TesseraHttp.form(
                "access", "999999", "_csrf", BrowserFlows.csrf(clients)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("access_token_validity_seconds may be at most 21600");
        assertThat(admin.postForm("/admin/clients/" + clientId + "/lifetimes", TesseraHttp.form("access", "ten",
                "_csrf", BrowserFlows.csrf(clients))).status()).isEqualTo(400);
        assertThat(admin.postForm("/admin/clients/" + clientId + "/lifetimes", TesseraHttp.form("access", "900",
                "refresh", "", "_csrf", BrowserFlows.csrf(clients))).location()).endsWith("/admin/clients?saved");
        String issued = (String) api.token(clientId, (String) registered.get("client_secret"), "grant_type",
                "client_credentials").json().get("access_token");
        com.nimbusds.jwt.JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse(issued).getJWTClaimsSet();
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(900_000);
        assertThat(admin.get("/admin/clients/" + clientId).body()).contains("value=\"900\"");
        TesseraHttp.Response asked = admin.postForm("/admin/clients", TesseraHttp.form("clientId", clientId, "_csrf",
                BrowserFlows.csrf(clients)));
        assertThat(asked.body()).contains("Delete client " + clientId + "?");
        assertThat(jdbc.queryForObject("select count(*) from oauth_client where client_id = ?", Integer.class,
                clientId)).isOne();
        assertThat(admin.postForm("/admin/clients", TesseraHttp.form("clientId", clientId, "confirmed", "yes",
                "_csrf", BrowserFlows.csrf(asked.body()))).location()).endsWith("?deleted");
        assertThat(jdbc.queryForObject("select count(*) from oauth_client where client_id = ?", Integer.class,
                clientId)).isZero();

        String page = admin.get("/admin/scope-policies").body();
        assertThat(page).contains("Default Permit ALL", "everyone");
        TesseraHttp.Response bad = admin.postForm("/admin/scope-policies", TesseraHttp.form("action", "create",
                "rule", "DENY", "matching", "REGEXP", "scopes", "(", "_csrf", BrowserFlows.csrf(page)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("scopes");
        assertThat(admin.postForm("/admin/scope-policies", TesseraHttp.form("action", "create", "rule", "DENY",
                "matching", "EQ", "username", "alice", "scopes", "compute.cancel", "description", "page <b>test</b>",
                "_csrf", BrowserFlows.csrf(page))).location()).endsWith("?saved");
        String listed = admin.get("/admin/scope-policies").body();
        assertThat(listed).contains("page &lt;b&gt;test&lt;/b&gt;", "compute.cancel");
        Long id = jdbc.queryForObject("select id from scope_policy where description = 'page <b>test</b>'", Long.class);
        admin.postForm("/admin/scope-policies", TesseraHttp.form("action", "delete", "id", String.valueOf(id),
                "_csrf", BrowserFlows.csrf(listed)));
        assertThat(jdbc.queryForObject("select count(*) from scope_policy where id = ?", Integer.class, id)).isZero();
    }

    @Test
    void adminSuspendsAndRestoresFromTheAccountsPage() {
        jdbc.update("insert into account (id, username, email, active, created_at, updated_at) values "
                + "('page-test', 'pagetest', 'pagetest@example.org', true, current_timestamp, current_timestamp)");
        try {
            TesseraHttp admin = signedIn("admin", TestAccounts.ADMIN_PASSWORD);
            String page = admin.get("/admin/accounts?q=pagetest").body();
            TesseraHttp.Response asked = admin.postForm("/admin/accounts/page-test", TesseraHttp.form("action",
                    "suspend", "q", "pagetest", "_csrf", BrowserFlows.csrf(page)));
            assertThat(asked.status()).isEqualTo(200);
            assertThat(asked.body()).contains("Suspend pagetest?", "Their browser sessions end");
            assertThat(jdbc.queryForObject("select active from account where id = 'page-test'", Boolean.class))
                    .isTrue();
            TesseraHttp.Response suspended = admin.postForm("/admin/accounts/page-test", TesseraHttp.form("action",
                    "suspend", "q", "pagetest", "confirmed", "yes", "_csrf", BrowserFlows.csrf(asked.body())));
            assertThat(suspended.status()).isEqualTo(302);
            assertThat(jdbc.queryForObject("select active from account where id = 'page-test'", Boolean.class))
                    .isFalse();
            assertThat(admin.get("/admin/accounts?q=pagetest").body()).contains("SUSPENDED", "Restore");
            assertThat(admin.postForm("/admin/accounts/page-test", TesseraHttp.form("action", "suspend"))
                    .status()).isEqualTo(403);   // no CSRF token
            // an admin cannot suspend themselves
            String adminId = jdbc.queryForObject("select id from account where username = 'admin'", String.class);
            TesseraHttp.Response self = admin.postForm("/admin/accounts/" + adminId, TesseraHttp.form("action",
                    "suspend", "confirmed", "yes", "_csrf", BrowserFlows.csrf(page)));
            assertThat(self.status()).isEqualTo(409);
            assertThat(self.body()).contains("You cannot suspend your own account");
            assertThat(jdbc.queryForObject("select active from account where id = ?", Boolean.class, adminId)).isTrue();
        } finally {
            jdbc.update("delete from account where id = 'page-test'");
        }
    }

    @Test
    void usersRevokeTheirRefreshTokensOnTheAccountPage() {
        java.util.Map<String, Object> tokens = eu.tessera.server.testsupport.UserTokens.alice(properties.issuer(),
                "openid offline_access");
        TesseraHttp alice = signedIn(TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        String page = alice.get("/account").body();
        java.util.regex.Matcher grant = java.util.regex.Pattern.compile(
                "/account/refresh-tokens/([^/]+)/revoke").matcher(page);
        assertThat(page).contains("demo-client", "offline_access");
        // the long page has sections a member jumps to
        assertThat(page).contains("<a href=\"#groups\">Groups</a>", "<h2 id=\"groups\">Groups</h2>",
                "<a href=\"#tokens\">Refresh tokens</a>", "<h2 id=\"tokens\">Refresh tokens</h2>");
        java.util.List<String> grants = new java.util.ArrayList<>();
        while (grant.find()) {
            grants.add(grant.group(1));
        }
        assertThat(grants).isNotEmpty();
        for (String id : grants) {
            assertThat(alice.postForm("/account/refresh-tokens/" + id + "/revoke", TesseraHttp.form("_csrf",
                    BrowserFlows.csrf(page))).location()).endsWith("/account?revoked");
        }
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        TesseraHttp.Response refresh = http.token(eu.tessera.server.testsupport.TestClients.DEMO_ID,
                eu.tessera.server.testsupport.TestClients.DEMO_SECRET, "grant_type", "refresh_token", "refresh_token",
                (String) tokens.get("refresh_token"));
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(alice.get("/account").body()).contains("No client holds a refresh token for your account.");
        // someone else's grant id is not revoked through this page
        assertThat(alice.postForm("/account/refresh-tokens/not-mine/revoke", TesseraHttp.form("_csrf",
                BrowserFlows.csrf(page))).location()).endsWith("/account?revoked");
    }

    @Test
    void passwordChangeOnTheAccountPage() {
        TesseraHttp alice = signedIn(TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        String page = alice.get("/account").body();
        assertThat(page).contains("alice@example.org", "/escape/cms");
        TesseraHttp.Response wrong = alice.postForm("/account/password", TesseraHttp.form("current", "nope",
                "password", "another-long-secret", "repeated", "another-long-secret", "_csrf",
                BrowserFlows.csrf(page)));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("The current password is wrong.");
        TesseraHttp.Response changed = alice.postForm("/account/password", TesseraHttp.form("current",
                TestAccounts.ALICE_PASSWORD, "password", "another-long-secret", "repeated", "another-long-secret",
                "_csrf", BrowserFlows.csrf(page)));
        assertThat(changed.location()).endsWith("/account?password");
        TesseraHttp again = signedIn(TestAccounts.ALICE, "another-long-secret");
        String page2 = again.get("/account").body();
        again.postForm("/account/password", TesseraHttp.form("current", "another-long-secret", "password",
                TestAccounts.ALICE_PASSWORD, "repeated", TestAccounts.ALICE_PASSWORD, "_csrf",
                BrowserFlows.csrf(page2)));
        signedIn(TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        TesseraHttp.Response empty = alice.postForm("/account/group-requests", TesseraHttp.form("group", "/escape/atlas",
                "reason", "", "_csrf", BrowserFlows.csrf(page)));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body()).contains("say why you need this group");
        // the member's own reason and the managers' answer are two columns
        String atlas = "/escape/atlas";
        jdbc.update("delete from group_request where account_id = (select id from account where username = 'alice') "
                + "and group_id = (select id from vo_group where path = ?)", atlas);
        assertThat(alice.postForm("/account/group-requests", TesseraHttp.form("group", atlas, "reason",
                "I analyse ATLAS open data", "_csrf", BrowserFlows.csrf(page))).status()).isLessThan(400);
        String mine = alice.get("/account").body();
        assertThat(mine).contains("Your reason", "The managers' answer",
                "<td class=\"request-reason\">I analyse ATLAS open data</td>", "<td class=\"request-answer\">-</td>");
        jdbc.update("delete from group_request where reason = 'I analyse ATLAS open data'");
    }

    @Test
    void accountsSortedCountedAndReadersSeeNoChangeButtons() {
        String tag = "srt" + java.util.UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                String id = java.util.UUID.randomUUID().toString();
                ids.add(id);
                // created one day apart; family names in the reverse order of creation
                jdbc.update("insert into account (id, username, email, family_name, active, created_at, updated_at) "
                        + "values (?, ?, ?, ?, true, ?, ?)", id, tag + i, tag + i + "@example.org", "Z" + (9 - i),
                        java.sql.Timestamp.from(java.time.Instant.parse("2025-01-0" + (i + 1) + "T00:00:00Z")),
                        java.sql.Timestamp.from(java.time.Instant.now()));
            }
            TesseraHttp admin = signedIn("admin", TestAccounts.ADMIN_PASSWORD);
            String newest = admin.get("/admin/accounts?q=" + tag + "&sort=newest").body();
            assertThat(newest).contains("id=\"account-count\"><span>3</span> account<span>s</span>");
            assertThat(newest.indexOf(">" + tag + "2<")).isLessThan(newest.indexOf(">" + tag + "1<"));
            assertThat(newest.indexOf(">" + tag + "1<")).isLessThan(newest.indexOf(">" + tag + "0<"));
            String oldest = admin.get("/admin/accounts?q=" + tag + "&sort=oldest").body();
            assertThat(oldest.indexOf(">" + tag + "0<")).isLessThan(oldest.indexOf(">" + tag + "2<"));
            String byName = admin.get("/admin/accounts?q=" + tag + "&sort=name").body();
            assertThat(byName.indexOf(">" + tag + "2<")).isLessThan(byName.indexOf(">" + tag + "0<"));
            // an unknown order is the default one, never SQL
            assertThat(admin.get("/admin/accounts?q=" + tag + "&sort=id%3Bdrop%20table%20account").status()).isEqualTo(200);
            assertThat(admin.get("/").body()).contains("/admin/accounts?role=admin");

            String reader = ids.get(0);
            jdbc.update("update account set reader = true, password_hash = ? where id = ?",
                    encoder.encode("reader-sort-password"), reader);
            TesseraHttp readerBrowser = signedIn(tag + "0", "reader-sort-password");
            assertThat(readerBrowser.get("/admin/accounts?q=" + tag).body()).contains(tag + "1")
                    .doesNotContain(">Suspend<", "Create an account");
            TesseraHttp.Response form = readerBrowser.get("/admin/accounts/new");
            assertThat(form.status()).isEqualTo(403);
            assertThat(form.body()).contains("Only administrators create accounts");
        } finally {
            ids.forEach(id -> jdbc.update("delete from account where id = ?", id));
        }
    }
}
